#!/usr/bin/env python3
"""Writes BENCHMARKS.md from one run's results (scripts/bench/run-all.sh calls it).

Usage: report.py RESULTS_DIR > BENCHMARKS.md
RESULTS_DIR holds run.env (key=value lines: machine, commands, load averages, phase times),
jmh.json (JMH -rf json), one CSV per end-to-end script (e2e-lib.sh's `measure`), and optionally
skipped.txt, touched.txt, header-sizes.txt and notes.md. What is reported, and the targets, come
from suite.py. Every ratio is computed from figures of this one run.
"""
import json
import os
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ in scripts/bench
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402
from results import (e2e_results, fmt_alloc, fmt_ratio, fmt_score, jmh_scores,  # noqa: E402
                     per_round, ratio)
from targets import evaluate  # noqa: E402


def order_key(params, columns):
    return tuple((0, int(params[c]), "") if str(params.get(c, "")).isdigit()
                 else (1, 0, str(params.get(c, ""))) for c in columns)


def jmh_table(spec, scores, joined, sizes):
    """Markdown lines of one class's table: a row per @Param combination."""
    own = [s for s in scores if s.cls == spec.name]
    if not own:
        return []
    columns = list(spec.columns) or sorted({k for s in own for k in s.params})
    dens = [d for _, d in spec.ratios]
    methods = sorted({s.method for s in own},
                     key=lambda m: (m not in dens, not m.startswith("trustproxy"), m))
    extra = sorted({s.method for s in joined} - set(methods))
    unit = own[0].unit
    rows = sorted({tuple((c, s.params.get(c, "")) for c in columns) for s in own},
                  key=lambda row: order_key(dict(row), columns))
    show_sizes = bool(spec.sizes and sizes)
    size_col = [spec.sizes[1]] if show_sizes else []
    head = columns + size_col + [x for m in methods + extra for x in (f"{m} {unit}", "B/op")] \
        + [f"{n} ÷ {d}" for n, d in spec.ratios]
    lines = ["| " + " | ".join(head) + " |",
             "| " + " | ".join(["---"] * len(columns) + ["---:"] * (len(head) - len(columns))) + " |"]
    for row in rows:
        p = dict(row)

        def find(method):
            for s in own + joined:
                if s.method == method and all(p.get(k) == v for k, v in s.params.items()):
                    return s
            return None

        cells = [f"{int(v):,}" if str(v).isdigit() else str(v) for v in p.values()]
        if show_sizes:
            cells.append(sizes.get(p.get(spec.sizes[0], ""), ""))
        for m in methods + extra:
            s = find(m)
            cells += [fmt_score(s), fmt_alloc(s)]
        for n, d in spec.ratios:
            a, b = find(n), find(d)
            cells.append(fmt_ratio(ratio((a.score, a.error), (b.score, b.error)))
                         if a and b else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def jmh_sections(scores, sizes=None, heading="##"):
    """A section per benchmark class in the results: the suite's order, then any other class."""
    sizes = sizes or {}
    specs = [j for j in suite.JMH if not j.join]
    known = {j.name for j in suite.JMH}
    for cls in sorted({s.cls for s in scores} - known):
        specs.append(suite.Jmh(cls, cls + " (not described in suite.py)"))
    lines = []
    for spec in specs:
        joined = [s for s in scores for j in suite.JMH if j.join == spec.name and s.cls == j.name]
        table = jmh_table(spec, scores, joined, sizes.get(spec.name, {}))
        if not table:
            continue
        lines += [f"{heading} {spec.title}", ""]
        if spec.about:
            lines += [spec.about, ""]
        lines += table + [""]
    return lines


def e2e_sections(results, env):
    lines = []
    for e in suite.E2E:
        mine = [w for w in results if w.source == e.name]
        if not mine:
            continue
        lines += [f"## {e.title}", "", f"`scripts/bench/{e.script}`. " + e.about, ""]
        for mode in dict.fromkeys(w.mode for w in mine):
            ws = [w for w in mine if w.mode == mode]
            base = next((w for w in ws if w.contender == ws[0].baseline), None)
            ws.sort(key=lambda w: (w is not base, w.contender))
            lines += [f"### {e.name}: {mode}", "",
                      f"| contender | req/s median | min – max | errors | ÷ {ws[0].baseline} per round:"
                      " median | min – max |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
            for w in ws:
                v = list(w.rounds.values())
                pr = per_round(w, base) if base else []
                rt = f"{statistics.median(pr):.3f} | {min(pr):.3f} – {max(pr):.3f}" if pr else "— | —"
                lines.append(f"| {w.contender} | {statistics.median(v):,.0f} | {min(v):,.0f} – "
                             f"{max(v):,.0f} | {w.errors} | {rt} |")
            lines.append("")
    return lines


# ---------------------------------------------------------------- the report
def read_env(path):
    env = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
    return env


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def minutes(env, key):
    return f"{int(env[key]) / 60:.1f} min" if env.get(key, "").isdigit() else "?"


def tradeoff(env, jmh):
    """The paragraph that says what the run's settings cost in precision, and why."""
    e2e = (f"each end-to-end pair gets {env.get('e2e_rounds', '?')} round(s) of "
           f"{env.get('e2e_duration', '?')} after a {env.get('e2e_warmup', '?')} warm-up")
    if env.get("e2e_boot_warmup"):
        why = "" if env.get("mode") == "smoke" else (
            ", the longest step of the end-to-end part: with less, a Boot JVM is still getting "
            "faster during the rounds and the ratio measures the JIT's progress")
        e2e += f" (the Spring Boot JVMs a {env['e2e_boot_warmup']} warm-up each{why})"
    if env.get("mode") == "smoke":
        text = (f"Smoke settings: every JMH point runs once in the JMH process itself (no fork, no "
                f"warm-up) and {e2e}, to check that every step works; no figure here means anything.")
    else:
        text = (f"Trade-off: the whole run has to fit in about 25 minutes on 2 cores, so each JMH point "
                f"gets {jmh.get('forks', '?')} fork (fork-to-fork JIT differences are not sampled) "
                f"and short iterations ({jmh.get('warmupIterations', '?')} × {jmh.get('warmupTime', '?')} "
                f"warm-up, {jmh.get('measurementIterations', '?')} × {jmh.get('measurementTime', '?')} "
                f"measured), and {e2e}; rounds alternate the contenders, so a load change hits them "
                f"alike.")
    return (text + " JMH's ± is its 99.9% confidence interval over the iterations, wide with few "
            "iterations; a ratio's ± combines both sides' relative errors in quadrature. B/op is "
            "`gc.alloc.rate.norm`. The machine is shared, and wrk, haproxy and the server share its 2 "
            "cores: absolute figures move between runs, so compare ratios from one run.")


def report(out_dir):
    env = read_env(os.path.join(out_dir, "run.env"))
    jmh_path = os.path.join(out_dir, "jmh.json")
    scores = []
    if os.path.exists(jmh_path) and os.path.getsize(jmh_path) > 0:
        with open(jmh_path) as f:
            raw = json.load(f)
        scores = jmh_scores(raw)
    else:
        raw = []
    wrks = e2e_results(out_dir)
    sizes = {j.name: dict(line.split(None, 1) for line in read_lines(os.path.join(out_dir, j.sizes[2])))
             for j in suite.JMH if j.sizes}
    lines = []
    p = lines.append
    p("# Benchmarks")
    p("")
    if env.get("mode") == "smoke":
        p("> **SMOKE RUN** (`run-all.sh --smoke`): tiny iterations in one JVM, to test the pipeline.")
        p("> Every figure below is meaningless; never commit this file as BENCHMARKS.md.")
        p("")
    p("Generated whole by `scripts/bench/run-all.sh` from one run (`scripts/bench/report.py`, what runs")
    p("and the targets are listed in `scripts/bench/suite.py`); every ratio compares figures measured in")
    p("that same run. Do not edit by hand: rerun the script. Raw results stay in the results folder")
    p("(`benchmarks/target/bench/`: JMH JSON and log, wrk figures per round, server logs).")
    p("")
    p("## Machine and run")
    p("")
    p("| | |")
    p("| --- | --- |")
    for key, text in [
        ("date", "date (UTC)"), ("git", "commit"), ("cpu", "CPU (/proc/cpuinfo)"), ("nproc", "cores"),
        ("memory", "memory"), ("jdk", "JDK"), ("os", "OS"), ("wrk", "wrk"), ("haproxy", "haproxy"),
        ("load_start", "load average (1, 5, 15 min) at start"),
        ("load_measure", "load average when the measurements began (after the build)"),
        ("load_after_jmh", "load average after JMH"), ("load_end", "load average at end"),
        ("forced", "started above the load limit"),
        ("build_command", "build"), ("jmh_command", "JMH command"), ("e2e_command", "end-to-end"),
    ]:
        if env.get(key):
            value = f"`{env[key]}`" if key.endswith("command") else env[key]
            p(f"| {text} | {value} |")
    if "total_seconds" in env:
        p(f"| wall time | {minutes(env, 'total_seconds')} (build {minutes(env, 'build_seconds')}, JMH "
          f"{minutes(env, 'jmh_seconds')}, end to end {minutes(env, 'e2e_seconds')}) |")
    if raw:
        s = raw[0]
        p(f"| JMH settings | {s.get('forks')} fork(s) × {s.get('measurementIterations')} iterations of "
          f"{s.get('measurementTime')} after {s.get('warmupIterations')} warm-up iterations of "
          f"{s.get('warmupTime')} per point, {len(raw)} points; `-prof gc`; JVM args "
          f"`{' '.join(s.get('jvmArgs', [])) or '(none)'}` |")
    p("")
    p(tradeoff(env, raw[0] if raw else {}))
    p("")
    skipped = read_lines(os.path.join(out_dir, "skipped.txt"))
    if skipped:
        p("## Not run")
        p("")
        for line in skipped:
            p(f"- {line}")
        p("")
    p("## Targets")
    p("")
    p("| target | measured (this run) | verdict |")
    p("| --- | --- | --- |")
    for t in suite.TARGETS:
        text, verdict = evaluate(t, scores, wrks)
        p(f"| {t.label} | {text} | {verdict} |")
    p("")
    p("A JMH row meets a bound only when its whole error bar clears it; an end-to-end ratio is taken")
    p("within each round (same machine state) and must clear the bound in every round.")
    p("")
    lines += jmh_sections(scores, sizes)
    lines += e2e_sections(wrks, env)
    touched = read_lines(os.path.join(out_dir, "touched.txt"))
    if touched:
        p("## Request methods each filter calls (one request, recorded by a proxy around `BenchRequest`)")
        p("")
        p("```")
        lines.extend(touched)
        p("```")
        p("")
    notes = os.path.join(out_dir, "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            p(f.read().rstrip())
        p("")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: report.py RESULTS_DIR > BENCHMARKS.md")
    print(report(sys.argv[1]))
