#!/usr/bin/env python3
"""Markdown tables from one JMH JSON result file (run with -prof gc), with the ratios the targets
name: contender time / trustproxy time, each from the same run. A ratio's +- combines both sides'
relative errors. Usage: jmh-table.py jmh.json > report.md"""
import json
import sys

# benchmark class -> (trustproxy method, contender method, contender name, parameter columns)
PAIRS = {
    "ClientResolutionBenchmark": ("trustproxyFilter", "tomcatRemoteIpFilter",
                                  "Tomcat RemoteIpFilter", ["trust", "family", "entries"]),
    "TrustProxyValveBenchmark": ("trustproxyValve", "tomcatRemoteIpValve",
                                 "Tomcat RemoteIpValve", ["trust", "family", "entries"]),
    "ProxyParseBenchmark": ("trustproxy", "netty", "Netty HAProxyMessageDecoder", ["header"]),
}


def rows(results):
    table = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 1)
        cls = cls.rsplit(".", 1)[1]
        params = r.get("params", {})
        primary = r["primaryMetric"]
        secondary = r.get("secondaryMetrics", {})
        # JMH names it "gc.alloc.rate.norm" or, in older versions, with a leading middle dot.
        norm = secondary.get("gc.alloc.rate.norm") or secondary.get("\u00b7gc.alloc.rate.norm") or {}
        alloc = norm.get("score")
        key = (cls, tuple(sorted(params.items())))
        table.setdefault(key, {})[method] = (primary["score"], primary["scoreError"],
                                             primary["scoreUnit"], alloc)
    return table


def fmt(cell):
    if cell is None:
        return "—", "—"
    score, error, _, alloc = cell
    return f"{score:,.1f} ± {error:,.1f}", "—" if alloc is None else f"{alloc:,.0f}"


def main(path):
    table = rows(json.load(open(path)))
    for cls, (ours, theirs, name, columns) in PAIRS.items():
        keys = [k for k in table if k[0] == cls]
        if not keys:
            continue
        others = sorted({m for k in keys for m in table[k]} - {ours, theirs})
        head = columns + [f"{ours} ns/op", "B/op"] + [x for o in others for x in (o, "B/op")] \
            + [f"{name} ns/op", "B/op", f"{name} ÷ {ours}"]
        print(f"### {cls}\n")
        print("| " + " | ".join(head) + " |")
        print("|" + " --- |" * len(head))
        def order(k):
            p = dict(k[1])
            return tuple(int(p[c]) if p.get(c, "").isdigit() else p.get(c, "") for c in columns)
        for key in sorted(keys, key=order):
            p = dict(key[1])
            cells = table[key]
            line = [p.get(c, "") for c in columns]
            line += fmt(cells.get(ours))
            for o in others:
                line += fmt(cells.get(o))
            line += fmt(cells.get(theirs))
            a, b = cells.get(ours), cells.get(theirs)
            if a and b and a[0] > 0:
                ratio = b[0] / a[0]
                spread = ratio * ((a[1] / a[0]) + (b[1] / b[0]))
                line.append(f"{ratio:.2f}× ± {spread:.2f}")
            else:
                line.append("—")
            print("| " + " | ".join(line) + " |")
        print()


if __name__ == "__main__":
    main(sys.argv[1])
