"""The lifetimes side of the LTV benchmark (benches/ltv.mjs).

    python ltv_bench.py --csv bench-results/data/ltv-cdnow.csv --calibration-end 1997-09-30 --runs 5

Reads the transactions CSV (customer_id, time as epoch ms, amount) into a DataFrame
(not timed), warms up once on the first 10,000 customers (imports, autograd tracing),
then times `runs` runs of what a lifetimes user does, from the parsed DataFrame:

    summary_data_from_transaction_data(freq="D", freq_multiplier=7)    # weeks, days collapsed
    BetaGeoFitter(penalizer_coef=0).fit(frequency, recency, T)
    GammaGammaFitter(penalizer_coef=0).fit(frequency, monetary_value)  # repeat buyers, spend > 0

Prints one JSON object: parameters, log-likelihoods, summary totals (for the check against
Insitu's) and the timings in milliseconds per stage and run.
"""

import argparse
import json
import sys
import time
import warnings

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data


def load(path):
    tx = pd.read_csv(path, float_precision="round_trip", dtype={"customer_id": np.int64, "time": np.int64})
    tx["time"] = pd.to_datetime(tx["time"], unit="ms")
    return tx


def total_ll(fitter, data_args):
    """Total log-likelihood at the fitted parameters, without the penalty."""
    n = len(data_args[0])
    mean_nll = fitter._negative_log_likelihood(np.log(fitter.params_.values), *data_args, np.ones(n), 0.0)
    return float(-mean_nll * n)


def pipeline(tx, calibration_end):
    """The timed work; returns (stage milliseconds, summary, fitters, repeat buyers)."""
    t0 = time.perf_counter()
    summary = summary_data_from_transaction_data(
        tx, "customer_id", "time", "amount", observation_period_end=calibration_end, freq="D", freq_multiplier=7
    )
    t1 = time.perf_counter()
    bgf = BetaGeoFitter(penalizer_coef=0.0)
    bgf.fit(summary["frequency"], summary["recency"], summary["T"])
    t2 = time.perf_counter()
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    ggf = GammaGammaFitter(penalizer_coef=0.0)
    ggf.fit(repeat["frequency"], repeat["monetary_value"])
    t3 = time.perf_counter()
    ms = {"summary": (t1 - t0) * 1e3, "bgnbd": (t2 - t1) * 1e3, "gammaGamma": (t3 - t2) * 1e3, "total": (t3 - t0) * 1e3}
    return ms, summary, bgf, ggf, repeat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--calibration-end", required=True)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    # lifetimes' own deprecation noise (pandas 1.5) is not ours to print.
    warnings.simplefilter("ignore")

    t = time.perf_counter()
    tx = load(args.csv)
    load_ms = (time.perf_counter() - t) * 1e3

    warm_tx = tx[tx["customer_id"] <= tx["customer_id"].min() + 10_000]
    pipeline(warm_tx, args.calibration_end)

    runs = []
    for _ in range(args.runs):
        ms, summary, bgf, ggf, repeat = pipeline(tx, args.calibration_end)
        runs.append(ms)

    bg_args = (summary["frequency"].values, summary["recency"].values, summary["T"].values)
    out = {
        "versions": {"lifetimes": lifetimes.__version__, "pandas": pd.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "transactions": int(len(tx)),
        "loadMs": load_ms,
        "runs": runs,
        "summary": {
            "customers": int(len(summary)),
            "repeatBuyers": int((summary["frequency"] > 0).sum()),
            "frequency": float(summary["frequency"].sum()),
            "recency": float(summary["recency"].sum()),
            "T": float(summary["T"].sum()),
            "monetary": float(summary["monetary_value"].sum()),
            "distinctHistories": int(len(summary.groupby(["frequency", "recency", "T"]).size())),
        },
        "bgnbd": {
            "params": {k: float(v) for k, v in bgf.params_.items()},
            "logLikelihood": total_ll(bgf, bg_args),
        },
        "gammaGamma": {
            "params": {("gamma" if k == "v" else k): float(v) for k, v in ggf.params_.items()},
            "logLikelihood": total_ll(ggf, (repeat["frequency"].values, repeat["monetary_value"].values)),
            "customers": int(len(repeat)),
        },
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
