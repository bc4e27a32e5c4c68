#!/usr/bin/env bash
# Methods of one JMH benchmark class timed in alternating short rounds in one JVM per point
# (benchmarks' Interleaved), so each ratio to the first method is taken within a round, as the
# end-to-end scripts take theirs. Prints, per point and method: median ns/op, and the ratio of the
# first method's time to it (median, lowest and highest round).
# Usage: scripts/bench/interleaved.sh CLASS 'METHOD1 METHOD2 ...' 'entries=1,3' 'family=ipv4,ipv6' ...
#   e.g. scripts/bench/interleaved.sh dev.trustproxy.benchmarks.TrustProxyValveBenchmark \
#        'tomcatRemoteIpValve trustproxyValve containerFloor' entries=1,3 family=ipv4,ipv6 trust=hops
# Env: IL_WARMUP_MS (4000), IL_ROUNDS (15), IL_ROUND_MS (200), IL_OUT (benchmarks/target/interleaved.csv).
# Needs benchmarks/target/classpath.txt (see ab-jmh.sh for the build command).
set -euo pipefail
cls=$1 methods=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
cd "$project"
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
out=${IL_OUT:-benchmarks/target/interleaved.csv}
echo "mode,contender,baseline,round,order,requests_per_sec,errors" > "$out"
. "$here/grid-lib.sh"
mapfile -t points < <(grid "$@")
for p in "${points[@]}"; do
  # A mode names the point without commas (the CSV's separator): entries-1_family-ipv4.
  mode=$(tr ',=' '_-' <<< "$p")
  # shellcheck disable=SC2086
  java -Xms512m -Xmx512m -cp "$cp" dev.trustproxy.benchmarks.Interleaved "$out" "$cls" "$mode" \
    "$p" "${IL_WARMUP_MS:-4000}" "${IL_ROUNDS:-15}" "${IL_ROUND_MS:-200}" $methods \
    2> >(grep -v ' INFO ' >&2) > /dev/null
done
python3 - "$out" <<'PY'
import csv, statistics, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1])))
rounds = defaultdict(dict)
for r in rows:
    rounds[(r["mode"], r["round"])][r["contender"]] = float(r["requests_per_sec"])
print("| point | method | ns/op (median) | first ÷ method: median | lowest round | highest round |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for mode in dict.fromkeys(r["mode"] for r in rows):
    base = next(r["baseline"] for r in rows if r["mode"] == mode)
    per = [v for (m, _), v in rounds.items() if m == mode]
    for method in per[0]:
        ns = statistics.median(1e9 / v[method] for v in per)
        ratios = sorted(v[method] / v[base] for v in per)
        print(f"| {mode} | {method} | {ns:.1f} | {statistics.median(ratios):.2f}× "
              f"| {ratios[0]:.2f}× | {ratios[-1]:.2f}× |")
PY
