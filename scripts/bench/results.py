"""One run's results as values: JMH scores (from -rf json) and wrk rounds (from the CSV files
e2e-lib.sh's `measure` writes), and the same-run ratio arithmetic report.py and targets.py share.
"""
import csv
import math
import os
from dataclasses import dataclass

import suite


@dataclass(frozen=True)
class Score:
    """One JMH result: score ± error (99.9% CI; NaN with too few iterations) and B/op."""
    cls: str
    method: str
    params: dict
    score: float
    error: float
    unit: str
    alloc: float


def jmh_scores(results):
    scores = []
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 1)
        primary = r["primaryMetric"]
        secondary = r.get("secondaryMetrics", {})
        # JMH names it "gc.alloc.rate.norm" or, in older versions, with a leading middle dot.
        norm = secondary.get("gc.alloc.rate.norm") or secondary.get("\u00b7gc.alloc.rate.norm") or {}
        error = primary.get("scoreError", float("nan"))
        scores.append(Score(cls.rsplit(".", 1)[1], method, dict(r.get("params", {})),
                            primary["score"], float(error) if not isinstance(error, str) else
                            float("nan"), primary.get("scoreUnit", ""),
                            norm.get("score", float("nan"))))
    return scores


def nz(x):
    return 0.0 if math.isnan(x) else x


def fmt_score(s):
    if s is None:
        return "—"
    return f"{s.score:,.1f}" if math.isnan(s.error) else f"{s.score:,.1f} ± {s.error:,.1f}"


def fmt_alloc(s):
    return "—" if s is None or math.isnan(s.alloc) else f"{s.alloc:,.0f}"


def ratio(num, den):
    """num/den and its error: both sides' relative errors combined in quadrature."""
    if den[0] == 0:
        return None
    r = num[0] / den[0]
    if num[0] == 0:
        return r, 0.0
    if math.isnan(num[1]) or math.isnan(den[1]):
        return r, float("nan")
    return r, r * math.hypot(num[1] / num[0], den[1] / den[0])


def fmt_ratio(rr):
    if rr is None:
        return "—"
    r, e = rr
    return f"{r:,.2f}×" if math.isnan(e) else f"{r:,.2f}× ± {e:,.2f}"


@dataclass(frozen=True)
class Wrk:
    """One contender in one mode of one end-to-end script: req/s and errors per round."""
    source: str
    contender: str
    mode: str
    baseline: str
    rounds: dict
    errors: int

    @property
    def params(self):
        return {"mode": self.mode}


def e2e_results(out_dir):
    results = []
    for e in suite.E2E:
        path = os.path.join(out_dir, e.name + ".csv")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            rows = list(csv.DictReader(f))
        keys = []
        for r in rows:
            if (r["mode"], r["contender"]) not in keys:
                keys.append((r["mode"], r["contender"]))
        for mode, c in keys:
            mine = [r for r in rows if r["mode"] == mode and r["contender"] == c]
            results.append(Wrk(e.name, c, mode, mine[0]["baseline"],
                               {int(r["round"]): float(r["requests_per_sec"]) for r in mine},
                               sum(int(r["errors"]) for r in mine)))
    return results


def per_round(a, b):
    return [a.rounds[k] / b.rounds[k] for k in sorted(a.rounds) if b.rounds.get(k)]
