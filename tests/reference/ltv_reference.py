"""Reference values for the lifetime-value tests, computed with the Python `lifetimes`
package (the conventions Insitu follows), scipy and mpmath.

    python3 -m venv /tmp/ltvenv
    /tmp/ltvenv/bin/pip install "numpy<2" "pandas==1.5.3" "scipy<1.12" lifetimes==0.11.3 mpmath
    /tmp/ltvenv/bin/python tests/reference/ltv_reference.py   # writes tests/fixtures/ltv/reference.json

lifetimes 0.11.3 predates pandas 2 (its holdout helper fails on pandas 3), hence the pins.
CI has no Python: the Rust and JS tests read the JSON this writes. Inputs are the CDNOW
files in tests/fixtures/ltv/ (copied from lifetimes' datasets folder).
"""

import json
import os
import sys

import lifetimes
import mpmath
import numpy as np
import pandas as pd
import scipy
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data
from scipy.special import hyp2f1

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "ltv")
CALIBRATION_END = "1997-09-30"
OBSERVATION_END = "1998-06-30"


def transactions():
    tx = pd.read_csv(
        os.path.join(FIXTURES, "CDNOW_sample.txt"),
        sep=r"\s+",
        header=None,
        names=["master", "id", "date", "qty", "amount"],
        dtype={"date": str},
    )
    tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")
    return tx


def columns(df, names):
    """A frame as {column: list}, rows sorted by customer id."""
    df = df.sort_index()
    out = {"id": [int(i) for i in df.index]}
    for n in names:
        out[n] = [float(f"{v:.12g}") for v in df[n]]
    return out


def total_ll(fitter, data_args):
    """Total log-likelihood at the fitted, unscaled parameters, without the penalty."""
    log_params = np.log(fitter.params_.values)
    n = len(data_args[0])
    mean_nll = fitter._negative_log_likelihood(log_params, *data_args, np.ones(n), 0.0)
    return float(-mean_nll * n)


def bgnbd(summary, penalizer=0.0):
    f = BetaGeoFitter(penalizer_coef=penalizer)
    f.fit(summary["frequency"], summary["recency"], summary["T"])
    ll = total_ll(f, (summary["frequency"].values, summary["recency"].values, summary["T"].values))
    return f, {
        "params": {k: float(v) for k, v in f.params_.items()},
        "standardErrors": {k: float(v) for k, v in f.standard_errors_.items()},
        "logLikelihood": ll,
        "penalizer": penalizer,
    }


def gamma_gamma(frequency, monetary, penalizer=0.0):
    f = GammaGammaFitter(penalizer_coef=penalizer)
    f.fit(frequency, monetary)
    ll = total_ll(f, (frequency.values, monetary.values))
    return f, {
        "params": {("gamma" if k == "v" else k): float(v) for k, v in f.params_.items()},
        "standardErrors": {("gamma" if k == "v" else k): float(v) for k, v in f.standard_errors_.items()},
        "logLikelihood": ll,
        "customers": int(len(frequency)),
        "penalizer": penalizer,
    }


def conditional_k_mpmath(r, alpha, a, b, t, x, t_x, T):
    """E[X(t) | x, t_x, T] at 50 digits, straight from eq. 10 of Fader, Hardie & Lee (2005)."""
    mpmath.mp.dps = 50
    r, alpha, a, b, t, x, t_x, T = (mpmath.mpf(v) for v in (r, alpha, a, b, t, x, t_x, T))
    z = t / (alpha + T + t)
    hyp = mpmath.hyp2f1(r + x, b + x, a + b + x - 1, z)
    numerator = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
    denominator = 1 + (1 if x > 0 else 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + t_x)) ** (r + x)
    return float(numerator / denominator)


def main():
    tx = transactions()
    out = {
        "generator": "tests/reference/ltv_reference.py",
        "versions": {
            "lifetimes": lifetimes.__version__,
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "mpmath": mpmath.__version__,
        },
        "calibrationEnd": CALIBRATION_END,
        "observationEnd": OBSERVATION_END,
    }

    # Summaries from the transactions, three ways (freq, freq_multiplier).
    summaries = {}
    for name, freq, mult in [("D7", "D", 7), ("W1", "W", 1), ("D1", "D", 1)]:
        s = summary_data_from_transaction_data(
            tx, "id", "date", "amount", observation_period_end=CALIBRATION_END, freq=freq, freq_multiplier=mult
        )
        summaries[name] = s
        if name != "D1":  # days are D7 times 7
            out["summary" + name] = columns(s, ["frequency", "recency", "T", "monetary_value"])

    # BG/NBD: on the published (rounded) summary, and on the exact one from transactions.
    published = pd.read_csv(os.path.join(FIXTURES, "cdnow_customers_summary.csv"), index_col=0)
    _, out["bgnbdPublished"] = bgnbd(published)
    exact = summaries["D7"]
    bgf, out["bgnbd"] = bgnbd(exact)
    _, out["bgnbdPenalized"] = bgnbd(exact, penalizer=0.01)
    _, out["bgnbdDays"] = bgnbd(summaries["D1"])

    # Conditional expectations and P(alive) with the exact fit's parameters.
    p = out["bgnbd"]["params"]
    points = [
        (39.0, 2, 30.43, 38.86),
        (39.0, 0, 0.0, 38.86),
        (1.0, 1, 1.71, 38.86),
        (4.345, 5, 20.0, 30.0),
        (52.0, 10, 38.0, 38.86),
        (200.0, 3, 10.0, 12.0),
        (10.0, 0, 0.0, 0.5),
        (500.0, 1, 0.5, 1.0),
    ]
    out["conditional"] = [
        {
            "t": t,
            "frequency": x,
            "recency": t_x,
            "T": T,
            "expected": float(bgf.conditional_expected_number_of_purchases_up_to_time(t, x, t_x, T)),
            "pAlive": float(bgf.conditional_probability_alive(x, t_x, T)[0]),
        }
        for t, x, t_x, T in points
    ]
    # Where the 2F1 series converge slowly or overflow: mpmath at 50 digits.
    extreme = [
        # (r, alpha, a, b, t, x, t_x, T)
        (0.243, 4.414, 0.793, 2.426, 5000.0, 0, 0.0, 0.0),
        (0.243, 4.414, 0.793, 2.426, 1e5, 2, 1.0, 1.0),
        (0.5, 0.01, 1.5, 0.3, 365.0, 0, 0.0, 0.0),
        (0.243, 4.414, 0.793, 2.426, 52.0, 10000, 9000.0, 9100.0),
        (2.0, 30.0, 0.3, 8.0, 360.0, 400, 700.0, 730.0),
        (0.9, 2.0, 1.0 + 1e-9, 1.5, 12.0, 3, 5.0, 6.0),
    ]
    out["conditionalExtreme"] = [
        {
            "params": {"r": r, "alpha": alpha, "a": a, "b": b},
            "t": t,
            "frequency": x,
            "recency": t_x,
            "T": T,
            "expected": conditional_k_mpmath(r, alpha, a, b, t, x, t_x, T),
        }
        for r, alpha, a, b, t, x, t_x, T in extreme
    ]

    # Gamma-Gamma on repeat buyers: published summary, and the exact one.
    with_tx = pd.read_csv(os.path.join(FIXTURES, "cdnow_customers_summary_with_transactions.csv"), index_col=0)
    rb = with_tx[with_tx["x"] > 0]
    _, out["gammaGammaPublished"] = gamma_gamma(rb["x"], rb["zbar"])
    repeat = exact[(exact["frequency"] > 0) & (exact["monetary_value"] > 0)]
    ggf, out["gammaGamma"] = gamma_gamma(repeat["frequency"], repeat["monetary_value"])

    # CLV as lifetimes computes it (weeks: a month is 4.345 weeks), a few horizons.
    ids = [1, 2, 3, 6, 9, 18, 100, 1000, 1515, 2357]
    ids += [int(i) for i in exact.sort_values("frequency", ascending=False).index[:5]]
    sel = exact.loc[ids]
    clv = []
    for time, rate in [(12, 0.01), (6, 0.05), (24, 0.0)]:
        values = ggf.customer_lifetime_value(
            bgf, sel["frequency"], sel["recency"], sel["T"], sel["monetary_value"], time=time, discount_rate=rate, freq="W"
        )
        clv.append({"horizon": time, "discountRate": rate, "clv": {str(i): float(values.loc[i]) for i in ids}})
    spend = ggf.conditional_expected_average_profit(sel["frequency"], sel["monetary_value"])
    out["clv"] = {
        "ids": ids,
        "runs": clv,
        "expectedSpend": {str(i): float(spend.loc[i]) for i in ids},
        "pAlive": {
            str(i): float(v)
            for i, v in zip(ids, bgf.conditional_probability_alive(sel["frequency"], sel["recency"], sel["T"]))
        },
        "expected52": {
            str(i): float(v)
            for i, v in zip(
                ids,
                bgf.conditional_expected_number_of_purchases_up_to_time(52.0, sel["frequency"], sel["recency"], sel["T"]),
            )
        },
    }

    # Holdout check: calibration to 1997-09-30, holdout to 1998-06-30, weeks from days.
    ch = calibration_and_holdout_data(
        tx, "id", "date", calibration_period_end=CALIBRATION_END, observation_period_end=OBSERVATION_END,
        freq="D", freq_multiplier=7,
    )
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(
        ch["duration_holdout"], ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
    )
    bucket = np.minimum(ch["frequency_cal"], 7).astype(int)
    buckets = []
    for b in range(8):
        m = bucket == b
        buckets.append({
            "frequency": f"{b}+" if b == 7 else str(b),
            "customers": int(m.sum()),
            "actual": float(ch["frequency_holdout"][m].mean()),
            "expected": float(expected[m].mean()),
        })
    out["holdout"] = {
        "duration": float(ch["duration_holdout"].iloc[0]),
        "actual": float(ch["frequency_holdout"].sum()),
        "expected": float(expected.sum()),
        "buckets": buckets,
    }

    # scipy's hyp2f1 on the domain special::hyp2f1 covers (-1 < z < 1).
    grid = []
    for a, b, c, z in [
        (0.5, 1.5, 2.5, 0.3), (1.2, 3.4, 2.1, 0.9), (0.243, 2.426, 2.219, 0.47),
        (2.0, -0.2, 3.2, -0.7), (5.0, 0.3, 6.5, -0.95), (10.5, 12.0, 20.0, 0.6),
        (0.1, 0.2, 0.3, 0.99),
    ]:
        grid.append({"a": a, "b": b, "c": c, "z": z, "value": float(hyp2f1(a, b, c, z))})
    out["hyp2f1"] = grid

    path = os.path.join(FIXTURES, "reference.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
