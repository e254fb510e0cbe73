"""Reference fit for the lookalike model (tests/segments_lookalike.rs).

Writes tests/fixtures/segments/lookalike_reference.json: a small customer table
(age, income with a few nulls, country, a `vip` flag drawn from a known logistic
model) and scikit-learn's L2 logistic regression of vip on the features encoded as
Insitu encodes them: numbers standardised with the population standard deviation,
a null number imputed with the mean plus a standardised "(missing)" indicator,
categories one-hot with every level, intercept unpenalised, C = 1 / l2.
Also the ROC AUC (scikit-learn) of rounded in-sample scores, ties included.

Run: python3 tests/reference/segments_lookalike.py   (numpy, scikit-learn)
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

rng = np.random.default_rng(20240501)
n = 160
age = rng.integers(18, 70, n).astype(float)
income = np.round(rng.normal(50, 15, n), 1)
income[rng.choice(n, 12, replace=False)] = np.nan
country = rng.choice(["KR", "JP", "US"], n, p=[0.5, 0.3, 0.2])
eta = -1.0 + 0.05 * (age - 40) + 0.04 * np.nan_to_num(income - 50) + np.where(country == "KR", 0.8, 0.0)
vip = rng.random(n) < 1 / (1 + np.exp(-eta))


def standardise(x):
    return (x - x.mean()) / x.std()  # population std, as StandardScaler


inc_missing = np.isnan(income)
inc_mean = np.nanmean(income)
inc_std = np.nanstd(income)
inc_z = np.where(inc_missing, 0.0, (income - inc_mean) / inc_std)
levels = sorted(set(country))
columns = {
    "age": standardise(age),
    "income": inc_z,
    "income (missing)": standardise(inc_missing.astype(float)),
}
for level in levels:
    columns[f"country={level}"] = (country == level).astype(float)
X = np.column_stack(list(columns.values()))

results = {}
for l2 in [1.0, 0.1]:
    model = LogisticRegression(C=1 / l2, tol=1e-12, max_iter=100_000, solver="lbfgs")
    model.fit(X, vip)
    results[str(l2)] = {
        "intercept": float(model.intercept_[0]),
        "coefficients": dict(zip(columns, map(float, model.coef_[0]))),
    }

scores = np.round(LogisticRegression(C=1.0, tol=1e-12, max_iter=100_000).fit(X, vip).predict_proba(X)[:, 1], 2)

out = {
    "generator": "tests/reference/segments_lookalike.py",
    "sklearn": sklearn.__version__,
    "customers": [
        {
            "id": i + 1,
            "age": float(age[i]),
            "income": None if np.isnan(income[i]) else float(income[i]),
            "country": str(country[i]),
            "vip": "yes" if vip[i] else "no",
        }
        for i in range(n)
    ],
    "fits": results,
    "auc": {"scores": scores.tolist(), "labels": vip.tolist(), "auc": float(roc_auc_score(vip, scores))},
}
path = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "segments" / "lookalike_reference.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}: {int(vip.sum())} vip of {n}")
