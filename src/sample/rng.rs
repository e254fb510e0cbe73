//! A small deterministic PRNG (xoshiro256**, seeded with splitmix64) and the few
//! distributions the generator needs, all built from integer math, `+ - * /`, `sqrt`
//! and the portable [`super::math`] functions.

use super::math::{exp, ln};

/// One step of splitmix64: a strong 64-bit mixer.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One step of xoshiro256** (Blackman and Vigna) on state `s`: the next 64 bits.
#[inline]
pub(crate) fn xoshiro256(s: &mut [u64; 4]) -> u64 {
    let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
    let t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3].rotate_left(45);
    result
}

/// xoshiro256**: fast, small state, good statistical quality.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// An independent stream for (`seed`, `stream`, `index`), e.g. one per person.
    pub(crate) fn new(seed: u64, stream: u64, index: u64) -> Self {
        let mut sm = seed;
        let a = splitmix64(&mut sm);
        let mut sm = a ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03);
        let b = splitmix64(&mut sm);
        let mut sm = b ^ index.wrapping_mul(0x8cb9_2ba7_2f3d_8dd7);
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// The next 64 random bits.
    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        xoshiro256(&mut self.s)
    }

    /// Uniform in the open interval (0, 1).
    #[inline]
    pub(crate) fn f64(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// True with probability `p`.
    #[inline]
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Uniform integer in `0..n` (`n > 0`; 0 when `n == 0`).
    #[inline]
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `[lo, hi)`.
    #[inline]
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Exponential with the given mean.
    #[inline]
    pub(crate) fn exponential(&mut self, mean: f64) -> f64 {
        -mean * ln(self.f64())
    }

    /// Exponentially distributed milliseconds with the given mean, at least `min_ms`.
    #[inline]
    pub(crate) fn delay_ms(&mut self, min_ms: i64, mean_ms: f64) -> i64 {
        min_ms + self.exponential(mean_ms) as i64
    }

    /// Number of failures before the first success, success probability `p` (0 < p <= 1),
    /// capped at `cap`.
    pub(crate) fn geometric(&mut self, p: f64, cap: u32) -> u32 {
        let mut n = 0;
        while n < cap && !self.chance(p) {
            n += 1;
        }
        n
    }

    /// Standard normal (Marsaglia's polar method: needs only `ln` and `sqrt`).
    pub(crate) fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.f64() - 1.0;
            let v = 2.0 * self.f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Gamma with the given shape and scale 1 (Marsaglia & Tsang 2000).
    pub(crate) fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            // Gamma(k) = Gamma(k + 1) * U^(1/k).
            let g = self.gamma(shape + 1.0);
            return g * exp(ln(self.f64()) / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.f64();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || ln(u) < 0.5 * x2 + d * (1.0 - v + ln(v)) {
                return d * v;
            }
        }
    }

    /// Beta(a, b) as a ratio of gammas.
    pub(crate) fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        if x + y > 0.0 {
            x / (x + y)
        } else {
            0.5
        }
    }

    /// An index drawn with probability proportional to `weights` (non-empty, positive sum).
    pub(crate) fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f64() * total;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n;
        (m, v)
    }

    #[test]
    fn streams_are_deterministic_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(1, 2, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::new(1, 2, 3).next_u64(), Rng::new(1, 2, 4).next_u64());
        assert_ne!(Rng::new(1, 2, 3).next_u64(), Rng::new(2, 2, 3).next_u64());
        assert_ne!(Rng::new(1, 2, 3).next_u64(), Rng::new(1, 3, 3).next_u64());
    }

    #[test]
    fn distributions_have_the_right_moments() {
        let mut rng = Rng::new(7, 0, 0);
        let n = 200_000;
        let (m, v) = mean_var(&(0..n).map(|_| rng.f64()).collect::<Vec<_>>());
        assert!((m - 0.5).abs() < 0.005 && (v - 1.0 / 12.0).abs() < 0.002);
        let (m, v) = mean_var(&(0..n).map(|_| rng.normal()).collect::<Vec<_>>());
        assert!(m.abs() < 0.01 && (v - 1.0).abs() < 0.02, "{m} {v}");
        let (m, v) = mean_var(&(0..n).map(|_| rng.gamma(2.5)).collect::<Vec<_>>());
        assert!((m - 2.5).abs() < 0.03 && (v - 2.5).abs() < 0.08, "{m} {v}");
        let (m, v) = mean_var(&(0..n).map(|_| rng.gamma(0.6)).collect::<Vec<_>>());
        assert!((m - 0.6).abs() < 0.01 && (v - 0.6).abs() < 0.03, "{m} {v}");
        let (m, _) = mean_var(&(0..n).map(|_| rng.beta(2.0, 6.0)).collect::<Vec<_>>());
        assert!((m - 0.25).abs() < 0.003, "{m}");
        let (m, _) = mean_var(&(0..n).map(|_| rng.exponential(3.0)).collect::<Vec<_>>());
        assert!((m - 3.0).abs() < 0.03, "{m}");
        let (m, _) = mean_var(
            &(0..n)
                .map(|_| rng.geometric(0.25, 1000) as f64)
                .collect::<Vec<_>>(),
        );
        assert!((m - 3.0).abs() < 0.05, "{m}");
        let counts = (0..n).fold([0u32; 3], |mut c, _| {
            c[rng.pick(&[1.0, 2.0, 7.0])] += 1;
            c
        });
        assert!((counts[2] as f64 / n as f64 - 0.7).abs() < 0.005);
        assert!((0..1000).all(|_| rng.below(10) < 10));
    }
}
