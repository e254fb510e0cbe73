//! Unconstrained minimisation for the model fits: BFGS with a strong-Wolfe line search
//! (Nocedal & Wright, algorithms 6.1, 3.5 and 3.6), plus the Hessian by central
//! differences of the gradient (for standard errors) and a small symmetric inverse.
//!
//! The fits minimise over log parameters, so every point is a valid parameter vector and
//! the problem is unconstrained. Objectives return `None` where they cannot be evaluated
//! (overflow, a parameter at 0 or infinity); the line search then steps back.

/// An objective: value and gradient at a point, or `None` where it is not finite.
pub trait Objective {
    /// `f(x)` and `∇f(x)`.
    fn value_and_gradient(&self, x: &[f64]) -> Option<(f64, Vec<f64>)>;
}

/// How a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The best point found.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// The gradient there.
    pub gradient: Vec<f64>,
    /// BFGS iterations taken.
    pub iterations: usize,
    /// Whether the gradient test was met.
    pub converged: bool,
    /// Why it stopped, in words.
    pub reason: String,
}

/// Log parameters beyond this are treated as having run off to 0 or infinity.
pub const LOG_PARAM_LIMIT: f64 = 20.0;

/// Why a minimum of a negative log-likelihood over log parameters is not a usable fit,
/// or `None` when it is. `names` name the parameters, `cannot_pin` says what in the data
/// leaves a parameter undetermined, `penalizer_hint` is added when no penalizer was used.
pub fn unusable_fit(
    m: &Minimum,
    start: &[f64],
    names: &[&str],
    cannot_pin: &str,
    penalizer_hint: Option<&str>,
) -> Option<String> {
    // A parameter heading to 0 or infinity is the real reason even when the
    // optimiser also stalls on the numerical noise out there.
    if let Some(i) = m.x.iter().position(|v| v.abs() > LOG_PARAM_LIMIT) {
        return Some(format!(
            "parameter {} ran off to {} (the data cannot pin it down, {cannot_pin}){}",
            names[i],
            if m.x[i] < 0.0 { "0" } else { "infinity" },
            penalizer_hint.map_or(String::new(), |h| format!("; {h}"))
        ));
    }
    if !m.converged {
        return Some(m.reason.clone());
    }
    if m.iterations == 0 || m.x.iter().zip(start).all(|(a, b)| (a - b).abs() < 1e-9) {
        return Some("the fit stopped at its start values: the likelihood is flat there".into());
    }
    // A parameter that did not move at all has a zero gradient everywhere the fit
    // went: the data say nothing about it (e.g. every repeat buyer bought last in
    // the final period, so dropout is invisible).
    m.x.iter()
        .zip(start)
        .position(|(a, b)| (a - b).abs() < 1e-9)
        .map(|i| {
            format!(
                "parameter {} stayed at its start value: the data carry no information about it",
                names[i]
            )
        })
}

/// Standard errors of the parameters `values = exp(x)` by the delta method, from the
/// inverse Hessian of the objective at `x` (an average over `weight` customers), or
/// `None` when the Hessian is not positive definite.
pub fn standard_errors<const N: usize>(
    f: &impl Objective,
    x: &[f64],
    values: [f64; N],
    weight: f64,
) -> Option<[f64; N]> {
    hessian(f, x)
        .and_then(|h| inverse_spd(&h))
        .map(|inv| std::array::from_fn(|i| values[i] * (inv[i][i] / weight).sqrt()))
        .filter(|se: &[f64; N]| se.iter().all(|v| v.is_finite()))
}

/// Settings of [`bfgs`].
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Stop when every component of the gradient is below this (scipy's `gtol`).
    pub gradient_tolerance: f64,
    /// Accept as converged when progress stalls with the gradient below this.
    pub stall_tolerance: f64,
    /// Most iterations.
    pub max_iterations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            gradient_tolerance: 1e-7,
            stall_tolerance: 1e-5,
            max_iterations: 1_000,
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn axpy(x: &[f64], step: f64, d: &[f64]) -> Vec<f64> {
    x.iter().zip(d).map(|(a, b)| a + step * b).collect()
}

/// Minimises `f` from `start` with BFGS. Never panics; a start where `f` cannot be
/// evaluated ends at once with `converged = false`.
pub fn bfgs(f: &impl Objective, start: &[f64], settings: Settings) -> Minimum {
    let n = start.len();
    let mut x = start.to_vec();
    let Some((mut fx, mut g)) = f.value_and_gradient(&x) else {
        return Minimum {
            x,
            value: f64::NAN,
            gradient: vec![f64::NAN; n],
            iterations: 0,
            converged: false,
            reason: "the likelihood cannot be evaluated at the start values".into(),
        };
    };
    // Inverse Hessian approximation, identity at first (rescaled after the first step).
    let mut h = identity(n);
    let mut first = true;
    let mut iterations = 0;
    let mut reason = String::new();
    let mut converged = false;
    while iterations < settings.max_iterations {
        if max_abs(&g) <= settings.gradient_tolerance {
            converged = true;
            reason = "gradient below tolerance".into();
            break;
        }
        let mut d: Vec<f64> = (0..n).map(|i| -dot(&h[i], &g)).collect();
        if dot(&d, &g) >= 0.0 {
            // Not a descent direction (the approximation has degraded): restart it.
            h = identity(n);
            d = g.iter().map(|v| -v).collect();
        }
        // A first step of unit length at most: log parameters move by e-fold at a time.
        let initial = if first {
            (1.0 / max_abs(&d)).min(1.0)
        } else {
            1.0
        };
        let Some(step) = line_search(f, &x, fx, &g, &d, initial) else {
            if max_abs(&g) <= settings.stall_tolerance {
                converged = true;
                reason = "no further progress possible; gradient small".into();
            } else {
                reason = format!(
                    "the line search found no lower point (largest gradient component {:.3e})",
                    max_abs(&g)
                );
            }
            break;
        };
        iterations += 1;
        let s: Vec<f64> = step.x.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = step.g.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        let decrease = fx - step.fx;
        x = step.x;
        fx = step.fx;
        g = step.g;
        if sy > 1e-300 {
            if first {
                // Scale the initial inverse Hessian (N&W eq. 6.20).
                let scale = sy / dot(&y, &y);
                h = identity(n);
                for (i, row) in h.iter_mut().enumerate() {
                    row[i] = scale;
                }
                first = false;
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
        if decrease.abs() <= 1e-16 * fx.abs().max(1.0) && max_abs(&g) <= settings.stall_tolerance {
            converged = true;
            reason = "objective no longer decreases; gradient small".into();
            break;
        }
    }
    if !converged && reason.is_empty() {
        reason = format!(
            "{} iterations without meeting the gradient tolerance",
            settings.max_iterations
        );
    }
    Minimum {
        x,
        value: fx,
        gradient: g,
        iterations,
        converged,
        reason,
    }
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

/// `H <- (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ`, `ρ = 1 / yᵀs`.
fn bfgs_update(h: &mut [Vec<f64>], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n).map(|i| dot(&h[i], y)).collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i][j] += rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
        }
    }
}

struct Step {
    x: Vec<f64>,
    fx: f64,
    g: Vec<f64>,
}

/// A step length satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9), or `None`.
fn line_search(
    f: &impl Objective,
    x: &[f64],
    fx: f64,
    g: &[f64],
    d: &[f64],
    initial: f64,
) -> Option<Step> {
    const C1: f64 = 1e-4;
    const C2: f64 = 0.9;
    let dg0 = dot(g, d);
    let eval = |alpha: f64| -> Option<(f64, Vec<f64>, f64)> {
        let xa = axpy(x, alpha, d);
        let (v, ga) = f.value_and_gradient(&xa)?;
        (v.is_finite() && ga.iter().all(|c| c.is_finite())).then(|| {
            let dg = dot(&ga, d);
            (v, ga, dg)
        })
    };
    let mut lo = (0.0, fx, dg0);
    let mut alpha = initial;
    let mut best: Option<Step> = None;
    for i in 0..40 {
        match eval(alpha) {
            None => {
                // Outside where the objective is finite: shorten the step.
                alpha = lo.0 + 0.25 * (alpha - lo.0);
                continue;
            }
            Some((v, ga, dg)) => {
                if v > fx + C1 * alpha * dg0 || (i > 0 && v >= lo.1) {
                    return zoom(&eval, fx, dg0, lo, (alpha, v, dg), x, d).or(best);
                }
                if dg.abs() <= -C2 * dg0 {
                    return Some(Step {
                        x: axpy(x, alpha, d),
                        fx: v,
                        g: ga,
                    });
                }
                if dg >= 0.0 {
                    return zoom(&eval, fx, dg0, (alpha, v, dg), lo, x, d).or(Some(Step {
                        x: axpy(x, alpha, d),
                        fx: v,
                        g: ga,
                    }));
                }
                best = Some(Step {
                    x: axpy(x, alpha, d),
                    fx: v,
                    g: ga,
                });
                lo = (alpha, v, dg);
                alpha *= 2.0;
            }
        }
    }
    best
}

/// Narrows `[lo, hi]` (`lo` has the lower value) to a strong-Wolfe step.
fn zoom(
    eval: &impl Fn(f64) -> Option<(f64, Vec<f64>, f64)>,
    fx: f64,
    dg0: f64,
    mut lo: (f64, f64, f64),
    mut hi: (f64, f64, f64),
    x: &[f64],
    d: &[f64],
) -> Option<Step> {
    const C1: f64 = 1e-4;
    const C2: f64 = 0.9;
    let mut best: Option<Step> = None;
    for _ in 0..60 {
        let alpha = cubic_minimiser(lo, hi).unwrap_or(0.5 * (lo.0 + hi.0));
        let (a_min, a_max) = if lo.0 < hi.0 {
            (lo.0, hi.0)
        } else {
            (hi.0, lo.0)
        };
        let width = a_max - a_min;
        // Keep the trial inside the interval, away from its ends.
        let alpha = alpha.clamp(a_min + 0.1 * width, a_max - 0.1 * width);
        if width <= 1e-16 * a_max.max(1.0) {
            break;
        }
        let Some((v, ga, dg)) = eval(alpha) else {
            hi = (alpha, f64::INFINITY, 0.0);
            continue;
        };
        if v > fx + C1 * alpha * dg0 || v >= lo.1 {
            hi = (alpha, v, dg);
        } else {
            if dg.abs() <= -C2 * dg0 {
                return Some(Step {
                    x: axpy(x, alpha, d),
                    fx: v,
                    g: ga,
                });
            }
            if dg * (hi.0 - lo.0) >= 0.0 {
                hi = lo;
            }
            lo = (alpha, v, dg);
            best = Some(Step {
                x: axpy(x, alpha, d),
                fx: v,
                g: ga,
            });
        }
    }
    // A point with sufficient decrease is still progress even without the curvature test.
    best
}

/// The minimiser of the cubic through two points with values and slopes, if it exists.
fn cubic_minimiser(a: (f64, f64, f64), b: (f64, f64, f64)) -> Option<f64> {
    let (x0, f0, d0) = a;
    let (x1, f1, d1) = b;
    if !(f0.is_finite() && f1.is_finite()) || x0 == x1 {
        return None;
    }
    let d1c = d0 + d1 - 3.0 * (f0 - f1) / (x0 - x1);
    let disc = d1c * d1c - d0 * d1;
    if disc < 0.0 {
        return None;
    }
    let d2 = (x1 - x0).signum() * disc.sqrt();
    let denom = d1 - d0 + 2.0 * d2;
    if denom == 0.0 {
        return None;
    }
    let t = x1 - (x1 - x0) * (d1 + d2 - d1c) / denom;
    t.is_finite().then_some(t)
}

/// The Hessian at `x` by central differences of the gradient (step `1e-5` relative to
/// `max(|x_i|, 1)`), symmetrised. `None` if the gradient cannot be evaluated nearby.
// Small dense matrices: index arithmetic reads clearer than iterator chains here.
#[allow(clippy::needless_range_loop)]
pub fn hessian(f: &impl Objective, x: &[f64]) -> Option<Vec<Vec<f64>>> {
    let n = x.len();
    let mut h = vec![vec![0.0; n]; n];
    for j in 0..n {
        let step = 1e-5 * x[j].abs().max(1.0);
        let mut up = x.to_vec();
        up[j] += step;
        let mut down = x.to_vec();
        down[j] -= step;
        let (_, gu) = f.value_and_gradient(&up)?;
        let (_, gd) = f.value_and_gradient(&down)?;
        for i in 0..n {
            h[i][j] = (gu[i] - gd[i]) / (2.0 * step);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (h[i][j] + h[j][i]);
            h[i][j] = m;
            h[j][i] = m;
        }
    }
    h.iter().flatten().all(|v| v.is_finite()).then_some(h)
}

/// The inverse of a symmetric positive definite matrix (Cholesky), or `None` when it is
/// not positive definite (a saddle or a flat direction: no standard errors).
#[allow(clippy::needless_range_loop)]
pub fn inverse_spd(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = m[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if s.is_nan() || s <= 0.0 {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // Columns of L^{-1}, then M^{-1} = L^{-T} L^{-1}.
    let mut inv_l = vec![vec![0.0; n]; n];
    for col in 0..n {
        for i in col..n {
            let rhs = if i == col { 1.0 } else { 0.0 };
            let s: f64 = rhs - (col..i).map(|k| l[i][k] * inv_l[k][col]).sum::<f64>();
            inv_l[i][col] = s / l[i][i];
        }
    }
    let mut out = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            out[i][j] = (i.max(j)..n).map(|k| inv_l[k][i] * inv_l[k][j]).sum();
        }
    }
    out.iter().flatten().all(|v| v.is_finite()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rosenbrock;
    impl Objective for Rosenbrock {
        fn value_and_gradient(&self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
            let (a, b) = (x[0], x[1]);
            let v = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
            let g = vec![
                -2.0 * (1.0 - a) - 400.0 * a * (b - a * a),
                200.0 * (b - a * a),
            ];
            Some((v, g))
        }
    }

    struct Quadratic;
    impl Objective for Quadratic {
        fn value_and_gradient(&self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
            // 2x² + xy + y² - x, minimum at (2/7, -1/7); Hessian [[4,1],[1,2]].
            let (a, b) = (x[0], x[1]);
            Some((
                2.0 * a * a + a * b + b * b - a,
                vec![4.0 * a + b - 1.0, a + 2.0 * b],
            ))
        }
    }

    #[test]
    fn minimises_rosenbrock() {
        let m = bfgs(&Rosenbrock, &[-1.2, 1.0], Settings::default());
        assert!(m.converged, "{}", m.reason);
        assert!((m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6);
        assert!(m.iterations < 100);
    }

    #[test]
    fn hessian_and_inverse_of_a_quadratic() {
        let m = bfgs(&Quadratic, &[0.0, 0.0], Settings::default());
        assert!(m.converged);
        assert!((m.x[0] - 2.0 / 7.0).abs() < 1e-9);
        let h = hessian(&Quadratic, &m.x).unwrap();
        assert!((h[0][0] - 4.0).abs() < 1e-6 && (h[0][1] - 1.0).abs() < 1e-6);
        let inv = inverse_spd(&h).unwrap();
        // [[4,1],[1,2]]^-1 = [[2,-1],[-1,4]] / 7
        assert!((inv[0][0] - 2.0 / 7.0).abs() < 1e-6);
        assert!((inv[0][1] + 1.0 / 7.0).abs() < 1e-6);
        assert!(inverse_spd(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
    }

    struct Nowhere;
    impl Objective for Nowhere {
        fn value_and_gradient(&self, _: &[f64]) -> Option<(f64, Vec<f64>)> {
            None
        }
    }

    #[test]
    fn unevaluable_start_does_not_converge() {
        let m = bfgs(&Nowhere, &[0.0], Settings::default());
        assert!(!m.converged);
    }
}
