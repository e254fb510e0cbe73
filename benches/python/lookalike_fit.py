"""The lookalike comparator of benches/segments.mjs: scikit-learn's LogisticRegression
(lbfgs) on the matrix Insitu's lookalike fits, timed in this process.

Reads the generator's raw feature values (benches/gen-segments-data.mjs: float64,
column-major, NaN = null, categories as codes) and the seed labels, and encodes them
as Insitu does (src/segments/lookalike/design.rs): numbers standardised with the mean
and population standard deviation of the non-null values, a null imputed with the mean
(0 after centring) plus a standardised "(missing)" indicator when the feature has nulls;
categories one-hot with every level that occurs, in label order, a null all zeros.
Penalty C = 1 / l2, intercept unpenalised (sklearn's default).

Timed (time.perf_counter around `fit` only, after one warm-up fit): LogisticRegression(
C=1/l2, solver="lbfgs") at tol 1e-4 (the default; max_iter 100), then 1e-6, 1e-8 and
1e-10 (max_iter 10000) until a fit agrees with Insitu's model: every predicted
probability within --agree (default 1e-4). The default and the agreeing tol are timed
`runs` times; a tol in between that does not agree, once. Untimed: reading, encoding,
and each comparison (largest coefficient and intercept difference, largest probability
difference over all rows, the penalised objective: lower is nearer the optimum).
Writes JSON to --out.

usage: python lookalike_fit.py --features F --vip V --meta M --insitu COEF.json --runs K --out OUT
"""
import argparse
import json
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression


def encode(raw, meta):
    columns, names = [], []
    for j, f in enumerate(meta["features"]):
        x = raw[j]
        if f["kind"] == "number":
            missing = np.isnan(x)
            present = x[~missing]
            mean = present.mean()
            std = present.std()
            std = std if std > 0 else 1.0
            columns.append(np.where(missing, 0.0, (x - mean) / std))
            names.append(f["name"])
            if missing.any():
                flag = missing.astype(float)
                s = flag.std()
                columns.append((flag - flag.mean()) / (s if s > 0 else 1.0))
                names.append(f"{f['name']}=(missing)")
        else:
            codes = x
            present = sorted(
                (label, code) for code, label in enumerate(f["labels"]) if np.any(codes == code)
            )
            for label, code in present:
                columns.append((codes == code).astype(float))
                names.append(f"{f['name']}={label}")
    return np.column_stack(columns), names


def timed(make, X, y, runs):
    samples, model = [], None
    for _ in range(runs):
        model = make()
        started = time.perf_counter()
        model.fit(X, y)
        samples.append((time.perf_counter() - started) * 1e3)
    return samples, model


def main():
    p = argparse.ArgumentParser()
    for a in ["features", "vip", "meta", "insitu", "out"]:
        p.add_argument(f"--{a}", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--agree", type=float, default=1e-4)
    p.add_argument("--l2", type=float, default=1.0)
    args = p.parse_args()
    meta = json.load(open(args.meta))
    n = meta["customers"]
    raw = np.fromfile(args.features, dtype="<f8").reshape(len(meta["features"]), n)
    y = np.fromfile(args.vip, dtype=np.uint8).astype(bool)
    X, names = encode(raw, meta)
    X = np.ascontiguousarray(X)
    del raw

    insitu = json.load(open(args.insitu))
    theirs = {(c["feature"] if c["level"] is None else f"{c['feature']}={c['level']}"): c["coefficient"] for c in insitu["coefficients"]}
    if sorted(theirs) != sorted(names):
        raise SystemExit(f"model columns differ:\n insitu {sorted(theirs)}\n python {sorted(names)}")

    C = 1.0 / args.l2
    ours_w = np.array([theirs[k] for k in names])
    ours_b = insitu["intercept"]

    def objective(w, b):
        eta = X @ w + b
        return float(np.sum(np.logaddexp(0.0, eta) - y * eta) + 0.5 * args.l2 * np.dot(w, w))

    insitu_eta = X @ ours_w + ours_b
    insitu_p = 1.0 / (1.0 + np.exp(-insitu_eta))

    def compare(model):
        w, b = model.coef_[0], model.intercept_[0]
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        return {
            "maxAbsCoefficientDiff": float(max(np.max(np.abs(w - ours_w)), abs(b - ours_b))),
            "maxAbsProbabilityDiff": float(np.max(np.abs(p - insitu_p))),
            "objective": objective(w, b),
            "iterations": int(model.n_iter_[0]),
        }

    fits = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        LogisticRegression(C=C, solver="lbfgs").fit(X, y)  # warm-up
        for tol in [1e-4, 1e-6, 1e-8, 1e-10]:
            max_iter = 100 if tol == 1e-4 else 10_000
            samples, model = timed(lambda: LogisticRegression(C=C, solver="lbfgs", tol=tol, max_iter=max_iter), X, y, 1)
            fit = {"tol": tol, "maxIter": max_iter, **compare(model)}
            fit["agrees"] = fit["maxAbsProbabilityDiff"] <= args.agree
            if fit["agrees"] or tol == 1e-4:
                more, _ = timed(lambda: LogisticRegression(C=C, solver="lbfgs", tol=tol, max_iter=max_iter), X, y, args.runs - 1)
                samples += more
            fit["samplesMs"] = samples
            fits.append(fit)
            if fit["agrees"]:
                break
    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "rows": int(X.shape[0]),
        "columns": int(X.shape[1]),
        "seed": int(y.sum()),
        "agree": args.agree,
        "insituObjective": objective(ours_w, ours_b),
        "fits": fits,
        "convergenceWarnings": sorted({str(w.message).split("\n")[0] for w in caught}),
    }
    json.dump(out, open(args.out, "w"), indent=1)


if __name__ == "__main__":
    main()
