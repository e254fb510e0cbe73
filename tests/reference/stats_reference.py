"""Reference values for src/stats, computed with scipy.

Run from the repository root (CI has no Python, so its output is committed):

    python3 tests/reference/stats_reference.py > tests/fixtures/stats/reference.json

`tests/stats_reference.rs` compares the Rust implementation with every value here.
"""

import json
import math
import sys

import numpy as np
import scipy
from scipy import integrate, stats


def wilson(k, n, confidence=0.95):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return [ci.low, ci.high]


def z_test(x1, n1, x2, n2):
    """Pooled two-proportion z; its p-value from scipy's chi-square test (z² = chi²)."""
    p = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    chi2, pvalue, _, _ = stats.chi2_contingency(
        [[x1, n1 - x1], [x2, n2 - x2]], correction=False
    )
    return {"z": z, "pValue": pvalue, "pValueNormal": 2 * stats.norm.sf(abs(z)), "chi2": chi2}


def newcombe(x1, n1, x2, n2, confidence=0.95):
    l1, u1 = wilson(x1, n1, confidence)
    l2, u2 = wilson(x2, n2, confidence)
    p1, p2 = x1 / n1, x2 / n2
    d = p2 - p1
    return [d - math.hypot(p2 - l2, u1 - p1), d + math.hypot(u2 - p2, p1 - l1)]


def beta_greater(a_x, b_x, a_y, b_y):
    """P(X > Y) = ∫ f_X(t) F_Y(t) dt, by adaptive quadrature around the modes."""
    fx = stats.beta(a_x, b_x)
    fy = stats.beta(a_y, b_y)
    lo = min(fx.ppf(1e-12), fy.ppf(1e-12))
    hi = max(fx.isf(1e-12), fy.isf(1e-12))
    value, _ = integrate.quad(
        lambda t: fx.pdf(t) * fy.cdf(t), lo, hi, epsabs=1e-14, epsrel=1e-12, limit=500
    )
    return value


def prob_best(posteriors):
    dists = [stats.beta(a, b) for a, b in posteriors]
    lo = min(d.ppf(1e-12) for d in dists)
    hi = max(d.isf(1e-12) for d in dists)
    out = []
    for k, dk in enumerate(dists):
        others = [d for j, d in enumerate(dists) if j != k]
        value, _ = integrate.quad(
            lambda t: dk.pdf(t) * np.prod([d.cdf(t) for d in others]),
            lo,
            hi,
            epsabs=1e-13,
            limit=500,
        )
        out.append(value)
    return out


def sample_size(baseline, effect, alpha, power, relative):
    delta = baseline * effect if relative else effect
    p2 = baseline + delta
    za = stats.norm.ppf(1 - alpha / 2)
    zb = stats.norm.ppf(power)
    pbar = (baseline + p2) / 2
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(baseline * (1 - baseline) + p2 * (1 - p2))) ** 2 / delta**2
    return {"baseline": baseline, "effect": effect, "alpha": alpha, "power": power, "relative": relative, "n": n, "perVariant": math.ceil(n)}


def welch_arrays(control, treatment, alpha=0.05):
    r = stats.ttest_ind(treatment, control, equal_var=False)
    ci = r.confidence_interval(confidence_level=1 - alpha)
    return {
        "control": control,
        "treatment": treatment,
        "alpha": alpha,
        "t": r.statistic,
        "df": r.df,
        "pValue": r.pvalue,
        "low": ci.low,
        "high": ci.high,
    }


def welch_stats(c, t, alpha=0.05):
    r = stats.ttest_ind_from_stats(t[1], t[2], t[0], c[1], c[2], c[0], equal_var=False)
    v1, v2 = c[2] ** 2 / c[0], t[2] ** 2 / t[0]
    df = (v1 + v2) ** 2 / (v1**2 / (c[0] - 1) + v2**2 / (t[0] - 1))
    half = stats.t.ppf(1 - alpha / 2, df) * math.sqrt(v1 + v2)
    d = t[1] - c[1]
    return {
        "control": {"n": c[0], "mean": c[1], "sd": c[2]},
        "treatment": {"n": t[0], "mean": t[1], "sd": t[2]},
        "alpha": alpha,
        "t": r.statistic,
        "df": df,
        "pValue": r.pvalue,
        "low": d - half,
        "high": d + half,
    }


def main():
    rng = np.random.default_rng(20240601)
    spend_a = [round(float(x), 2) for x in rng.gamma(2.0, 20.0, 40)]
    spend_b = [round(float(x), 2) for x in rng.gamma(2.2, 21.0, 55)]
    zero_heavy_a = [0.0] * 30 + [round(float(x), 2) for x in rng.gamma(3.0, 15.0, 10)]
    zero_heavy_b = [0.0] * 25 + [round(float(x), 2) for x in rng.gamma(3.0, 17.0, 14)]

    out = {
        "generator": f"tests/reference/stats_reference.py, scipy {scipy.__version__}, numpy {np.__version__}",
        "normalCdf": [[x, stats.norm.cdf(x)] for x in [-37.5, -20.0, -8.0, -3.0, -1.959963984540054, -0.5, 0.0, 0.3, 1.0, 2.5, 6.0]],
        "normalQuantile": [[p, stats.norm.ppf(p)] for p in [1e-300, 1e-20, 1e-9, 0.001, 0.025, 0.05, 0.2, 0.5, 0.8, 0.975, 0.999, 1 - 1e-12]],
        "tSf": [[t, df, stats.t.sf(t, df)] for t, df in [(0.5, 1.0), (2.0, 3.0), (2.1, 10.0), (-1.5, 7.3), (4.0, 100.0), (3.0, 1e5), (10.0, 2.0), (0.01, 50.0), (40.0, 5.0)]],
        "tQuantile": [[p, df, stats.t.ppf(p, df)] for p, df in [(0.975, 1.0), (0.975, 2.5), (0.975, 10.0), (0.995, 30.0), (0.9, 1000.0), (0.025, 4.0), (0.9999, 3.0)]],
        "chi2Sf": [[x, df, stats.chi2.sf(x, df)] for x, df in [(4.42, 1.0), (10.0, 2.0), (3.0, 5.0), (50.0, 20.0), (0.5, 3.0), (200.0, 4.0), (1e-4, 1.0)]],
        "betaInc": [[a, b, x, scipy.special.betainc(a, b, x)] for a, b, x in [(0.5, 0.5, 0.2), (2.0, 3.0, 0.4), (10.0, 0.5, 0.9), (50.0, 60.0, 0.45), (1000.0, 2000.0, 0.34), (0.1, 5.0, 0.01)]],
        "gammaP": [[a, x, scipy.special.gammainc(a, x)] for a, x in [(0.5, 0.1), (0.5, 4.0), (3.0, 2.0), (10.0, 25.0), (100.0, 90.0), (2.5, 0.001)]],
        "lnGamma": [[x, scipy.special.gammaln(x)] for x in [0.1, 0.5, 1.5, 3.7, 10.0, 171.5, 1e5]],
        "wilson": [
            {"successes": k, "n": n, "confidence": c, "low": w[0], "high": w[1]}
            for k, n, c in [(0, 10, 0.95), (10, 10, 0.95), (0, 1, 0.95), (1, 1, 0.95), (3, 7, 0.95), (130, 1000, 0.95), (0, 1000, 0.95), (1000, 1000, 0.95), (17, 60, 0.9), (2, 200, 0.99)]
            for w in [wilson(k, n, c)]
        ],
        "zTest": [
            dict({"x1": x1, "n1": n1, "x2": x2, "n2": n2}, **z_test(x1, n1, x2, n2), difference=newcombe(x1, n1, x2, n2))
            for x1, n1, x2, n2 in [(100, 1000, 130, 1000), (45, 500, 38, 480), (3, 40, 9, 35), (2000, 20000, 2150, 20500)]
        ],
        "chiSquare": [
            {"counts": counts, "statistic": r[0], "df": r[2], "pValue": r[1]}
            for counts in [[[100, 1000], [130, 1000], [115, 1000]], [[30, 400], [45, 410], [28, 390], [52, 405]], [[5, 80], [9, 75], [2, 90]]]
            for r in [stats.chi2_contingency([[c, n - c] for c, n in counts], correction=False)]
        ],
        "probabilityToBeat": [
            {"a": [xa, na], "b": [xb, nb], "pBBeatsA": beta_greater(1 + xb, 1 + nb - xb, 1 + xa, 1 + na - xa)}
            for xa, na, xb, nb in [(100, 1000, 130, 1000), (5, 20, 9, 21), (0, 50, 3, 50), (1, 3, 2, 3), (5000, 100000, 5200, 100000), (40, 40, 38, 40)]
        ],
        "probabilityToBeBest": [
            {"counts": counts, "best": prob_best([(1 + c, 1 + n - c) for c, n in counts])}
            for counts in [[[100, 1000], [130, 1000], [115, 1000]], [[30, 400], [45, 410], [28, 390], [52, 405]]]
        ],
        "sampleSize": [
            sample_size(*args)
            for args in [(0.1, 0.02, 0.05, 0.8, False), (0.1, 0.2, 0.05, 0.8, True), (0.05, 0.01, 0.05, 0.8, False), (0.3, -0.05, 0.01, 0.9, False), (0.5, 0.1, 0.1, 0.95, True)]
        ],
        "welch": [
            welch_arrays(spend_a, spend_b),
            welch_arrays(zero_heavy_a, zero_heavy_b, 0.1),
            welch_stats((500, 42.0, 30.0), (480, 46.5, 35.0)),
            welch_stats((12, 3.1, 0.4), (9, 2.7, 1.1), 0.01),
        ],
    }
    json.dump(out, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
