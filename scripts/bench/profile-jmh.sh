#!/usr/bin/env bash
# Where a JMH benchmark's time goes: runs it under async-profiler (CPU samples, 1 fork) and prints,
# per benchmark point, the share of the samples spent in each method the measured method calls
# (inclusive, two levels deep), so a target that is missed can be explained with figures.
# Usage: scripts/bench/profile-jmh.sh ROOT_METHOD 'JMH_REGEX' [JMH options, e.g. -p entries=1]
#   e.g. scripts/bench/profile-jmh.sh TrustProxyValve.invoke 'TrustProxyValveBenchmark.trustproxyValve' \
#        -p entries=1 -p family=ipv4 -p trust=hops
# Env: PROFILE_AGAIN=1 reads the last run's profiles again (for another ROOT_METHOD); JMH_JAVA_OPTS, options for JMH's own JVM (e.g. -Djmh.ignoreLock=true).
# Needs benchmarks/target/classpath.txt (run-all.sh's build writes it). async-profiler comes from
# Maven Central (tools.profiler:async-profiler, Linux x64 only).
set -euo pipefail
root_method=$1 regex=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
cd "$project"
lib=$("$here/async-profiler.sh")
out=benchmarks/target/profile-jmh
if [ -z "${PROFILE_AGAIN:-}" ]; then
  rm -rf "$out"
  cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
  java ${JMH_JAVA_OPTS:-} -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 3 -w 1 -i 5 -r 2 "$@" "$regex" \
    -prof "async:libPath=$lib;output=collapsed;dir=$project/$out" | grep -E ' avgt ' || true
fi
shopt -s nullglob
files=("$out"/*/collapsed-cpu.csv)
[ ${#files[@]} -gt 0 ] || { echo "profile-jmh.sh: no profile written under $out" >&2; exit 1; }
for file in "${files[@]}"; do
  echo
  echo "## $(basename "$(dirname "$file")")"
  python3 - "$file" "$root_method" <<'PY'
import sys
from collections import Counter

path, root = sys.argv[1], sys.argv[2]
total = 0
under = Counter()
inside = 0
for line in open(path):
    stack, n = line.rsplit(' ', 1)
    n = int(n)
    total += n
    frames = [f.replace('/', '.') for f in stack.split(';')]
    at = next((i for i, f in enumerate(frames) if f.endswith(root)), None)
    if at is None:
        continue
    inside += n
    rest = frames[at + 1:]
    under[rest[0] if rest else '(its own code)'] += n
    if len(rest) > 1:
        under[rest[0] + ' > ' + rest[1]] += n
if not inside:
    sys.exit(f'no sample passes through {root}')
print(f'{root}: {inside * 100 / total:.1f}% of all samples; below, shares of its samples')
print()
print('| calls | share |')
print('| --- | ---: |')
for name, n in sorted(under.items(), key=lambda kv: -kv[1]):
    if n * 100 / inside >= 1.0:
        print(f'| `{name}` | {n * 100 / inside:.1f}% |')
PY
done
