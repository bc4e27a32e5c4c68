#!/usr/bin/env bash
# A/B of one JMH benchmark between two builds, measured in the same window: for every point of the
# parameter grid, the BEFORE build and this checkout each run it once in their own JVM, the order
# alternating from point to point so that a change of the machine's load hits both alike. Prints
# one table: per point and method, before and after (ns/op ± JMH's 99.9% interval, B/op), the
# ratio after ÷ before, and whether the point is slower beyond both error bars.
# Usage: scripts/bench/ab-jmh.sh BEFORE_ROOT 'JMH_REGEX' 'entries=1,3' 'family=ipv4,ipv6' ...
#   BEFORE_ROOT: another checkout (git worktree add ../before <commit>) built like this one:
#   ./mvnw -B -q -pl benchmarks -am package dependency:build-classpath -DskipTests \
#     -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime   (in both checkouts)
# Env: AB_JMH_OPTS (default "-f 1 -wi 3 -w 1 -i 5 -r 1"), AB_OUT (benchmarks/target/ab).
set -euo pipefail
before=$(cd "$1" && pwd); regex=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
after=$(cd "$here/../.." && pwd)
out=${AB_OUT:-$after/benchmarks/target/ab}
rm -rf "$out"; mkdir -p "$out"
opts=${AB_JMH_OPTS:--f 1 -wi 3 -w 1 -i 5 -r 1}
# The grid: every combination of the NAME=V1,V2 arguments, as JMH options (-p name=v ...).
. "$here/grid-lib.sh"
mapfile -t points < <(grid "$@" | sed 's/^/-p /; s/,/ -p /g')
n=0
for p in "${points[@]}"; do
  order=(before after); [ $((n % 2)) = 1 ] && order=(after before)
  for side in "${order[@]}"; do
    root=$before; [ "$side" = after ] && root=$after
    cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
    # shellcheck disable=SC2086
    java -Djmh.ignoreLock=true -cp "$cp" org.openjdk.jmh.Main $opts $p -prof gc -rf json \
      -rff "$out/$side-$n.json" "$regex" > "$out/$side-$n.log" 2>&1
  done
  echo "ab-jmh.sh: point $((n + 1)) of ${#points[@]} done ($p)" >&2
  n=$((n + 1))
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$out" <<'PY'
import glob, json, math, os, sys
out = sys.argv[1]
rows = {}
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    side = os.path.basename(path).split("-")[0]
    for r in json.load(open(path)):
        key = (r["benchmark"].rsplit(".", 1)[1],) + tuple(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        m = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", r.get("secondaryMetrics", {}).get("·gc.alloc.rate.norm", {})).get("score")
        # JMH writes the error as the string "NaN" when one iteration gives no interval.
        rows.setdefault(key, {})[side] = (m["score"], float(m["scoreError"]), alloc)
print("| method | point | before ns/op | B/op | after ns/op | B/op | after ÷ before | slower beyond both error bars |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
slower = 0
for key in sorted(rows):
    v = rows[key]
    if "before" not in v or "after" not in v:
        continue
    (b, be, ba), (a, ae, aa) = v["before"], v["after"]
    ratio = a / b
    err = ratio * math.sqrt((be / b) ** 2 + (ae / a) ** 2)
    worse = a - ae > b + be
    slower += worse
    fmt = lambda x: "—" if x is None else f"{x:,.0f}"
    print(f"| {key[0]} | {', '.join(key[1:])} | {b:,.1f} ± {be:,.1f} | {fmt(ba)} | {a:,.1f} ± {ae:,.1f} | {fmt(aa)} | {ratio:.2f} ± {err:.2f} | {'**yes**' if worse else 'no'} |")
print()
print(f"{slower} of {sum(1 for v in rows.values() if len(v) == 2)} points slower beyond both error bars.")
PY
