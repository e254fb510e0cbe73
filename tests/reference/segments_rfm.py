"""Reference RFM scores for tests/segments_rfm.rs, computed with numpy independently
of the Rust code, on generated orders with many ties.

Writes tests/fixtures/segments/rfm_reference.json: the orders (customer, day-granular
epoch-ms time, amount from a few round values, so recency, frequency and monetary all
tie a lot), and for bins 5, 4 and 10 and monetary total / mean: each customer's
recency (days), frequency, monetary, R, F, M and the named segment.

Semantics (SEMANTICS.md, RFM): orders before asOf; thresholds q_k = numpy.quantile(
values, k/B) (linear = R type 7) for k = 1..B-1; F = 1 + #{k: f > q_k}, M likewise,
R = 1 + #{k: r < q_k}. Segments: first matching row of the 11-segment table on the
1..5 scale (other scales mapped by 1 + round((s-1)*4/(B-1))), else "Others".

Run: python3 tests/reference/segments_rfm.py   (numpy)
"""
import json
import pathlib

import numpy as np

DAY_MS = 86_400_000
START = 1_704_067_200_000  # 2024-01-01
AS_OF = START + 200 * DAY_MS

rng = np.random.default_rng(7)
orders = []
for c in range(1, 401):
    k = int(rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 9]))
    for _ in range(k):
        day = int(rng.integers(0, 230))  # some after asOf: they must not count
        amount = float(rng.choice([10, 20, 20, 35, 50, 50, 100, 250]))
        orders.append((c, START + day * DAY_MS + int(rng.choice([0, 3_600_000])), amount))
# Customers whose orders all fall after asOf are not scored.

TABLE = [
    ("Champions", (4, 5), (4, 5), (4, 5)),
    ("Loyal Customers", (2, 5), (3, 5), (3, 5)),
    ("Potential Loyalist", (3, 5), (1, 3), (1, 3)),
    ("New Customers", (4, 5), (1, 1), (1, 1)),
    ("Promising", (3, 4), (1, 1), (1, 1)),
    ("Need Attention", (2, 3), (2, 3), (2, 3)),
    ("About To Sleep", (2, 3), (1, 2), (1, 2)),
    ("At Risk", (1, 2), (2, 5), (2, 5)),
    ("Can't Lose Them", (1, 1), (4, 5), (4, 5)),
    ("Hibernating", (1, 2), (1, 2), (1, 2)),
    ("Lost", (1, 2), (1, 2), (1, 2)),
]


def segment(r, f, m, bins):
    scale = (lambda s: s) if bins == 5 else (lambda s: 1 + int(np.floor((s - 1) * 4 / (bins - 1) + 0.5)))
    s = (scale(r), scale(f), scale(m))
    for name, *ranges in TABLE:
        if all(lo <= x <= hi for x, (lo, hi) in zip(s, ranges)):
            return name
    return "Others"


def rfm(bins, monetary):
    per = {}
    for c, t, a in orders:
        if t < AS_OF:
            per.setdefault(c, []).append((t, a))
    ids = sorted(per)
    rec = np.array([(AS_OF - max(t for t, _ in per[c])) / DAY_MS for c in ids])
    freq = np.array([len(per[c]) for c in ids], dtype=float)
    tot = np.array([sum(a for _, a in per[c]) for c in ids])
    mon = tot if monetary == "total" else tot / freq
    ps = [k / bins for k in range(1, bins)]
    qr, qf, qm = (np.quantile(v, ps) for v in (rec, freq, mon))
    rows = []
    for i, c in enumerate(ids):
        r = 1 + int(np.sum(rec[i] < qr))
        f = 1 + int(np.sum(freq[i] > qf))
        m = 1 + int(np.sum(mon[i] > qm))
        rows.append([c, rec[i], int(freq[i]), mon[i], r, f, m, segment(r, f, m, bins)])
    return {"bins": bins, "monetary": monetary, "thresholds": [qr.tolist(), qf.tolist(), qm.tolist()], "customers": rows}


out = {
    "generator": "tests/reference/segments_rfm.py",
    "numpy": np.__version__,
    "asOf": AS_OF,
    "orders": orders,
    "cases": [rfm(5, "total"), rfm(4, "total"), rfm(10, "mean"), rfm(5, "mean")],
}
path = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "segments" / "rfm_reference.json"
path.write_text(json.dumps(out) + "\n")
print(f"wrote {path}: {len(orders)} orders, {len(out['cases'][0]['customers'])} scored customers")
