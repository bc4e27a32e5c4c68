"""Checks suite.py's targets against one run's results (see suite.Target for the rules)."""
import statistics

import suite
from results import fmt_ratio, fmt_score, nz, per_round, ratio


def clears(value, op, bound):
    return {">=": value >= bound, ">": value > bound, "<=": value <= bound, "<": value < bound}[op]


def label(num, den, a_params, b_params):
    """The row's param values, leaving out a param the selectors fix to one value (a glob on
    either side keeps it: `ranges=10000*` over `ranges=3` labels 10000 and 10000-file)."""
    def constrained(sel, k, glob):
        return (sel is not None and k in sel.params
                and any(ch in sel.params[k] for ch in "*?[") == glob)
    merged = dict(a_params)
    for k, v in b_params.items():
        merged.setdefault(k, v)
    fixed = [k for k in merged
             if (constrained(num, k, False) or constrained(den, k, False))
             and not constrained(num, k, True) and not constrained(den, k, True)]
    return ", ".join(str(v) for k, v in merged.items() if k not in fixed) or "all"


def evaluate(target, scores, wrks):
    """(measured text, verdict) of one target."""
    num, den, op, bound = suite.parse_target(target.expr)
    jmh_sources = {s.cls for s in scores}
    e2e_sources = {w.source for w in wrks}
    for sel in (num, den):
        if sel and sel.source not in jmh_sources | e2e_sources:
            return f"not measured: {sel.source} is not in this run", "not measured"
    if num.source in e2e_sources:
        return evaluate_e2e(num, den, op, bound, wrks)
    lower = op in (">=", ">")

    def value(s, sel):
        return (round(s.alloc), 0.0) if sel.alloc else (s.score, s.error)

    rows = []  # (label, (value, error), formatted)
    a_list = [s for s in scores if num.matches(s.cls, s.method, s.params)]
    for a in a_list:
        if den is None:
            v = value(a, num)
            rows.append((label(num, None, a.params, {}), v,
                         f"{v[0]:,.0f} B/op" if num.alloc else f"{fmt_score(a)} {a.unit}"))
            continue
        for b in scores:
            if den.matches(b.cls, b.method, b.params) and suite.pairs_with(num, den, a.params, b.params):
                rr = ratio(value(a, num), value(b, den))
                if rr:
                    rows.append((label(num, den, a.params, b.params), rr, fmt_ratio(rr)))
    if not rows:
        return "no results match", "not measured"
    conservative = [(lab, v[0] - nz(v[1]) if lower else v[0] + nz(v[1])) for lab, v, _ in rows]
    ok = sum(clears(c, op, bound) for _, c in conservative)
    ok_point = sum(clears(v[0], op, bound) for _, v, _ in rows)
    if len(rows) <= 6:
        text = "; ".join(f"{lab}: {f}" for lab, _, f in rows)
    else:
        worst = (min if lower else max)(rows, key=lambda r: r[1][0])
        text = (f"{ok} of {len(rows)} rows clear it with the whole error bar, {ok_point} by the "
                f"point estimate; {'lowest' if lower else 'highest'} {worst[2]} ({worst[0]})")
    verdict = "met" if ok == len(rows) else (
        f"partly met ({ok} of {len(rows)})" if ok else
        ("**not met** (point estimates clear it; error bars do not)" if ok_point == len(rows)
         else "**not met**"))
    return text, verdict


def evaluate_e2e(num, den, op, bound, wrks):
    rows = []
    for a in wrks:
        if not num.matches(a.source, a.contender, a.params):
            continue
        if den is None:
            rows.append((a.mode, list(a.rounds.values())))
            continue
        for b in wrks:
            if den.matches(b.source, b.contender, b.params) and suite.pairs_with(num, den, a.params, b.params):
                rows.append((a.mode, per_round(a, b)))
    rows = [(m, v) for m, v in rows if v]
    if not rows:
        return "no results match", "not measured"
    fmt = ".3f" if den else ",.0f"
    text = "; ".join(f"{m}: median {statistics.median(v):{fmt}} (rounds {min(v):{fmt}} – {max(v):{fmt}})"
                     for m, v in rows)
    worst = min if op in (">=", ">") else max
    every = sum(clears(worst(v), op, bound) for _, v in rows)
    median = sum(clears(statistics.median(v), op, bound) for _, v in rows)
    if every == len(rows):
        verdict = "met in every round"
    elif median == len(rows):
        verdict = "met by the median; rounds spread across the bound"
    elif median:
        verdict = f"partly met ({median} of {len(rows)} by the median)"
    else:
        verdict = "**not met**"
    return text, verdict
