#!/usr/bin/env python3
"""Markdown tables, with the same-run ratios suite.py names, from one JMH JSON result file (run
with -prof gc), for a JMH-only run outside run-all.sh. The tables are report.py's.
Usage: jmh-table.py jmh.json > tables.md"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in scripts/bench
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import results  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: jmh-table.py jmh.json > tables.md")
    with open(sys.argv[1]) as f:
        print("\n".join(report.jmh_sections(results.jmh_scores(json.load(f)), heading="###")))
