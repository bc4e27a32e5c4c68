#!/usr/bin/env bash
# Runs every benchmark BENCHMARKS.md reports and writes BENCHMARKS.md whole from the results:
#   1. refuses to start when the 1-minute load average is above BENCH_MAX_LOAD (1.5);
#   2. builds the benchmarks module (and what it needs) with the Maven wrapper, and the test
#      classpath of every module an end-to-end script of suite.py names (e2e-boot.sh: the Spring
#      Boot 3.5 Tomcat tests), then waits up to BENCH_SETTLE_SECONDS (120) for the build's own
#      load to fall below the limit again;
#   3. JMH, one run, every class scripts/bench/suite.py lists (a class not in the build is
#      skipped with a line), -prof gc, into one JSON file;
#   4. every end-to-end script suite.py lists (wrk against embedded Jetty, Tomcat, Spring Boot);
#   5. scripts/bench/report.py turns the results into BENCHMARKS.md.
# What runs, and the targets the report checks, are listed in one place: scripts/bench/suite.py.
#
# Usage: scripts/bench/run-all.sh [--smoke] [--force]
#   (default) about 25 minutes on 2 cores (build 2-3, JMH 10, end to end 11, of which Spring Boot
#             3.5: two 60 s warm-ups); writes BENCHMARKS.md at the repository root, only if
#             every step succeeded.
#   --smoke   tiny iterations in one JVM (JMH -f 0) and one 1 s round per end-to-end pair, about
#             2 minutes: exercises every step and writes benchmarks/target/bench-smoke/BENCHMARKS.md
#             (figures meaningless, marked as such; never copied to the root). Ignores the load.
#   --force   run even when the load is above the limit (the report says so).
# Env: BENCH_MAX_LOAD (1.5), BENCH_WAIT_MINUTES (0: refuse at once; else wait that long for a
#      quiet machine), BENCH_SETTLE_SECONDS (120), JMH_FORKS (1), JMH_WARMUP (3), JMH_WARMUP_TIME
#      (500ms), JMH_ITERATIONS (6), JMH_TIME (500ms), E2E_ROUNDS (4), E2E_DURATION (5s),
#      E2E_WARMUP (3s), E2E_BOOT_WARMUP (60s: the Spring Boot JVMs' warm-up), E2E_THREADS (2),
#      E2E_CONNECTIONS (32), BENCH_OUT (results folder, benchmarks/target/bench), BENCH_NOTES (a markdown file appended to the report).
#      To rewrite the report from existing results: python3 scripts/bench/report.py DIR > BENCHMARKS.md
# Needs: JDK 17+, python3, wrk, haproxy, curl (apt-get install -y wrk haproxy curl).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export PATH="$PATH:/usr/sbin:/sbin"
here=scripts/bench

mode=full forced=no
for arg in "$@"; do
  case $arg in
    --smoke|--quick) mode=smoke ;;
    --force) forced=yes ;;
    *) echo "usage: scripts/bench/run-all.sh [--smoke] [--force]" >&2; exit 2 ;;
  esac
done
if [ "$mode" = smoke ]; then
  forks=0 warmup=0 warmup_time=100ms iterations=1 time=50ms
  export E2E_ROUNDS=1 E2E_DURATION=1s E2E_WARMUP=1s E2E_BOOT_WARMUP=1s
  out=${BENCH_OUT:-benchmarks/target/bench-smoke}
else
  forks=${JMH_FORKS:-1} warmup=${JMH_WARMUP:-3} warmup_time=${JMH_WARMUP_TIME:-500ms}
  iterations=${JMH_ITERATIONS:-6} time=${JMH_TIME:-500ms}
  export E2E_ROUNDS=${E2E_ROUNDS:-4} E2E_DURATION=${E2E_DURATION:-5s} E2E_WARMUP=${E2E_WARMUP:-3s}
  export E2E_BOOT_WARMUP=${E2E_BOOT_WARMUP:-60s}
  out=${BENCH_OUT:-benchmarks/target/bench}
fi
export E2E_THREADS=${E2E_THREADS:-2} E2E_CONNECTIONS=${E2E_CONNECTIONS:-32}
max_load=${BENCH_MAX_LOAD:-1.5}
case $out in ""|/|.|..|"$root") echo "run-all.sh: BENCH_OUT='$out' is not a results folder (it is emptied first)" >&2; exit 2 ;; esac

for tool in java python3 wrk haproxy curl; do
  command -v "$tool" >/dev/null || { echo "run-all.sh: $tool is missing" >&2; exit 1; }
done
python3 $here/suite.py check

load() { cut -d' ' -f1-3 /proc/loadavg; }
above() { awk -v max="$max_load" '{ exit !($1 > max) }' /proc/loadavg; }
# quiet SECONDS: waits up to SECONDS for the 1-minute load to be at most the limit.
quiet() {
  local deadline=$(( $(date +%s) + $1 ))
  while above && [ "$(date +%s)" -lt "$deadline" ]; do
    echo "run-all.sh: 1-minute load $(load) is above $max_load, waiting" >&2
    sleep 15
  done
  ! above
}
refuse() {
  echo "run-all.sh: the 1-minute load average is $(load | cut -d' ' -f1) $1, above BENCH_MAX_LOAD=$max_load:" \
    "the figures would measure the other jobs. Wait for a quiet machine (BENCH_WAIT_MINUTES=30" \
    "waits up to 30 minutes), or pass --force to run anyway (the report records it)." >&2
  exit 3
}
over_limit=
# check_load WHEN SECONDS: in a full run, refuses (unless --force) when the load stays above the
# limit for SECONDS.
check_load() {
  [ "$mode" = full ] || return 0
  if ! quiet "$([ "$forced" = yes ] && echo 0 || echo "$2")"; then
    [ "$forced" = yes ] || refuse "$1"
    over_limit="$over_limit $1 ($(load | cut -d' ' -f1))"
  fi
}
start=$(date +%s)
load_start=$(load)
check_load "before the build" $(( 60 * ${BENCH_WAIT_MINUTES:-0} ))

build_command="./mvnw -B -q -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime"
echo "run-all.sh: building the benchmarks module" >&2
$build_command
cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
# The test classpath of each module an end-to-end script names (built once per module).
declare -A module_cp=()
for script in $(python3 $here/suite.py e2e); do
  module=$(python3 $here/suite.py module "$script")
  [ -n "$module" ] && [ -z "${module_cp[$module]:-}" ] && [ -f "$module/pom.xml" ] || continue
  module_command="./mvnw -B -q -pl $module -am test-compile dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/classpath-test.txt"
  echo "run-all.sh: building $module's test classpath for $script" >&2
  $module_command
  build_command="$build_command; $module_command"
  module_cp[$module]="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$root/$module/target/classpath-test.txt")"
done
rm -rf "$out"
mkdir -p "$out"
built=$(date +%s)
check_load "after the build" "${BENCH_SETTLE_SECONDS:-120}"
measure_start=$(date +%s)

# JMH: the suite's classes that are in this build, in one run (one JSON file).
java -cp "$cp" org.openjdk.jmh.Main -l > "$out/jmh-list.txt"
: > "$out/skipped.txt"
classes=()
for c in $(python3 $here/suite.py jmh); do
  if grep -q "^$c\." "$out/jmh-list.txt"; then classes+=("$c"); else
    echo "run-all.sh: $c is not in this build, skipped" >&2
    echo "JMH \`$c\`: not in this build, skipped" >> "$out/skipped.txt"
  fi
done
filter="^($(IFS='|'; echo "${classes[*]//./\\.}"))\."
jmh_args=(-f "$forks" -wi "$warmup" -w "$warmup_time" -i "$iterations" -r "$time" -prof gc
  -rf json -rff "$out/jmh.json")
jmh_command="java -cp \$CP org.openjdk.jmh.Main ${jmh_args[*]} '$filter'"
read -r points jmh_minutes < <(java -cp "$cp" org.openjdk.jmh.Main -lp "$filter" \
  | python3 $here/suite.py estimate "$forks" "$warmup" "$warmup_time" "$iterations" "$time" || echo "? ?")
e2e_command="E2E_ROUNDS=$E2E_ROUNDS E2E_DURATION=$E2E_DURATION E2E_WARMUP=$E2E_WARMUP E2E_BOOT_WARMUP=$E2E_BOOT_WARMUP E2E_THREADS=$E2E_THREADS E2E_CONNECTIONS=$E2E_CONNECTIONS scripts/bench/<script> $out \$CP (e2e-boot.sh: the test classpath of the module suite.py names), for each of: $(python3 $here/suite.py e2e | tr '\n' ' ')"
{
  echo "mode=$mode"
  echo "date=$(date -u '+%Y-%m-%d %H:%M')"
  echo "git=$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/^model name/ { m = $2 } /^cpu MHz/ { f = $2 } /^cache size/ { c = $2 } END { printf "%s, %.0f MHz, cache %s", m, f, c }' /proc/cpuinfo)"
  echo "memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "jdk=$(java -version 2>&1 | sed -n 2p)"
  echo "os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -sr)"
  echo "wrk=$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "haproxy=$(haproxy -v 2>&1 | head -1 | cut -d' ' -f1-3)"
  echo "load_start=$load_start"
  echo "load_measure=$(load)"
  [ -z "$over_limit" ] || echo "forced=yes (--force): the 1-minute load was above $max_load$over_limit"
  echo "build_command=$build_command"
  echo "jmh_command=$jmh_command"
  echo "e2e_command=$e2e_command"
  echo "e2e_rounds=$E2E_ROUNDS"
  echo "e2e_duration=$E2E_DURATION"
  echo "e2e_warmup=$E2E_WARMUP"
  echo "e2e_boot_warmup=$E2E_BOOT_WARMUP"
  echo "build_seconds=$(( built - start ))"
} > "$out/run.env"

java -cp "$cp" dev.trustproxy.benchmarks.Describe "$out" 2>/dev/null \
  || echo "Describe (request methods per filter, PROXY header sizes): failed" >> "$out/skipped.txt"

echo "run-all.sh: JMH, $points points, about $jmh_minutes min ($jmh_command)" >&2
failed=0
# JMH refuses to run beside another JMH (its /tmp/jmh.lock), which a full run wants; a smoke run's
# figures mean nothing anyway, so it runs beside one.
jmh_jvm=()
[ "$mode" = smoke ] && jmh_jvm=(-Djmh.ignoreLock=true)
if [ ${#classes[@]} = 0 ]; then
  echo "JMH: no benchmark class of suite.py is in this build" >> "$out/skipped.txt"
elif ! java "${jmh_jvm[@]}" -cp "$cp" org.openjdk.jmh.Main "${jmh_args[@]}" "$filter" > "$out/jmh.txt" 2>&1; then
  tail -40 "$out/jmh.txt" >&2
  echo "JMH: failed (see jmh.txt in the results folder)" >> "$out/skipped.txt"
  failed=1
fi
jmh_end=$(date +%s)
echo "jmh_seconds=$(( jmh_end - measure_start ))" >> "$out/run.env"
echo "load_after_jmh=$(load)" >> "$out/run.env"

for script in $(python3 $here/suite.py e2e); do
  if [ ! -x "$here/$script" ]; then
    echo "run-all.sh: $here/$script does not exist, skipped" >&2
    echo "end to end \`$script\`: not in this checkout, skipped" >> "$out/skipped.txt"
    continue
  fi
  echo "run-all.sh: end to end, $script" >&2
  module=$(python3 $here/suite.py module "$script")
  script_cp=$cp
  if [ -n "$module" ]; then
    if [ -z "${module_cp[$module]:-}" ]; then
      echo "run-all.sh: $module (for $script) is not in this checkout, skipped" >&2
      echo "end to end \`$script\`: module $module not in this checkout, skipped" >> "$out/skipped.txt"
      continue
    fi
    script_cp=${module_cp[$module]}
  fi
  if ! "$here/$script" "$out" "$script_cp" 2> "$out/${script%.sh}.log"; then
    tail -20 "$out/${script%.sh}.log" >&2
    echo "end to end \`$script\`: failed (see ${script%.sh}.log in the results folder)" >> "$out/skipped.txt"
    failed=1
  fi
  echo "load_after_${script%.sh}=$(load)" >> "$out/run.env"
done
end=$(date +%s)
{
  echo "e2e_seconds=$(( end - jmh_end ))"
  echo "total_seconds=$(( end - start ))"
  echo "load_end=$(load)"
} >> "$out/run.env"

if [ -n "${BENCH_NOTES:-}" ]; then cp "$BENCH_NOTES" "$out/notes.md"; fi
python3 $here/report.py "$out" > "$out/BENCHMARKS.md"
echo "run-all.sh: $(( (end - start) / 60 )) min $(( (end - start) % 60 )) s; report in $out/BENCHMARKS.md" >&2
if [ "$mode" = full ] && [ $(( end - start )) -gt 1500 ]; then
  echo "run-all.sh: the run took more than 25 minutes: shorten JMH_ITERATIONS/E2E_ROUNDS or the suite" >&2
fi
if [ "$failed" = 1 ]; then
  echo "run-all.sh: a step failed (listed under 'Not run' in the report); BENCHMARKS.md left as it was" >&2
  exit 1
fi
if [ "$mode" = full ]; then
  cp "$out/BENCHMARKS.md" BENCHMARKS.md
  echo "run-all.sh: wrote BENCHMARKS.md" >&2
fi
