#!/usr/bin/env bash
# Runs every benchmark and writes BENCHMARKS.md at the repository root:
#   1. builds the benchmarks module (and what it needs) with the Maven wrapper;
#   2. JMH: client resolution (trustproxy filter, walk, Tomcat, Spring) and PROXY parsing
#      (trustproxy, Netty), with -prof gc, into a JSON result file;
#   3. end-to-end: wrk against embedded Jetty (scripts/bench/e2e.sh);
#   4. scripts/bench/report.py turns the results into BENCHMARKS.md.
#
# Usage: scripts/bench/run-all.sh [--quick]
#   --quick   smoke settings (1 fork, 1 short iteration, 1 e2e round): checks the pipeline, the
#             figures mean nothing.
# Env: JMH_FORKS (2), JMH_WARMUP (4), JMH_ITERATIONS (5), JMH_TIME (1s), JMH_FILTER (all),
#      E2E_ROUNDS (5), E2E_DURATION (8s), E2E_WARMUP (4s), E2E_THREADS (2), E2E_CONNECTIONS (32),
#      BENCH_MAX_LOAD: wait (up to BENCH_WAIT_MINUTES, 60) until the 1-minute load average is
#      below this before starting, e.g. 1.5 on a shared machine.
#      BENCH_OUT: results folder (benchmarks/target/bench); BENCH_NOTES: a markdown file appended
#      to the report (analysis of the run, e.g. scripts/bench/analysis.md for the committed run).
#      To regenerate the report from existing results: python3 scripts/bench/report.py DIR > BENCHMARKS.md
# Needs: JDK 17+, python3, wrk and haproxy (apt-get install -y wrk haproxy), curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export PATH="$PATH:/usr/sbin:/sbin"

if [ "${1:-}" = "--quick" ]; then
  : "${JMH_FORKS:=1}" "${JMH_WARMUP:=1}" "${JMH_ITERATIONS:=1}" "${JMH_TIME:=200ms}"
  : "${E2E_ROUNDS:=1}" "${E2E_DURATION:=1s}" "${E2E_WARMUP:=1s}"
fi
forks=${JMH_FORKS:-2}
warmup=${JMH_WARMUP:-4}
iterations=${JMH_ITERATIONS:-5}
time=${JMH_TIME:-1s}
filter=${JMH_FILTER:-'dev\.trustproxy\..*Benchmark'}
export E2E_ROUNDS=${E2E_ROUNDS:-5} E2E_DURATION=${E2E_DURATION:-8s} E2E_WARMUP=${E2E_WARMUP:-4s}
export E2E_THREADS=${E2E_THREADS:-2} E2E_CONNECTIONS=${E2E_CONNECTIONS:-32}
out=${BENCH_OUT:-benchmarks/target/bench}

for tool in java python3 wrk haproxy curl; do
  command -v "$tool" >/dev/null || { echo "run-all.sh: $tool is missing" >&2; exit 1; }
done

echo "run-all.sh: building the benchmarks module" >&2
./mvnw -B -q -pl benchmarks -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime
cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
rm -rf "$out"
mkdir -p "$out"

load() { cut -d' ' -f1-3 /proc/loadavg; }
if [ -n "${BENCH_MAX_LOAD:-}" ]; then
  deadline=$(( $(date +%s) + 60 * ${BENCH_WAIT_MINUTES:-60} ))
  while awk -v max="$BENCH_MAX_LOAD" '{ exit !($1 >= max) }' /proc/loadavg \
      && [ "$(date +%s)" -lt "$deadline" ]; do
    echo "run-all.sh: load $(load) is above $BENCH_MAX_LOAD, waiting" >&2
    sleep 60
  done
fi

jmh_command="java -cp \$CP org.openjdk.jmh.Main -f $forks -wi $warmup -w $time -i $iterations -r $time -prof gc -rf json -rff $out/jmh.json '$filter'"
e2e_command="E2E_ROUNDS=$E2E_ROUNDS E2E_DURATION=$E2E_DURATION E2E_WARMUP=$E2E_WARMUP E2E_THREADS=$E2E_THREADS E2E_CONNECTIONS=$E2E_CONNECTIONS scripts/bench/e2e.sh $out \$CP"
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M')"
  echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "jdk=$(java -version 2>&1 | sed -n 2p)"
  echo "os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -sr)"
  echo "wrk=$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "haproxy=$(haproxy -v 2>&1 | head -1 | cut -d' ' -f1-3)"
  echo "load_start=$(load)"
  echo "jmh_command=$jmh_command"
  echo "e2e_command=$e2e_command"
  echo "e2e_rounds=$E2E_ROUNDS"
  echo "e2e_duration=$E2E_DURATION"
  echo "e2e_threads=$E2E_THREADS"
  echo "e2e_connections=$E2E_CONNECTIONS"
} > "$out/run.env"

java -cp "$cp" dev.trustproxy.benchmarks.Describe "$out" 2>/dev/null

echo "run-all.sh: JMH ($jmh_command)" >&2
java -cp "$cp" org.openjdk.jmh.Main -f "$forks" -wi "$warmup" -w "$time" -i "$iterations" \
  -r "$time" -prof gc -rf json -rff "$out/jmh.json" "$filter" > "$out/jmh.txt" 2>&1 \
  || { tail -40 "$out/jmh.txt" >&2; exit 1; }
echo "load_after_jmh=$(load)" >> "$out/run.env"

echo "run-all.sh: end-to-end" >&2
scripts/bench/e2e.sh "$out" "$cp"
echo "load_end=$(load)" >> "$out/run.env"

if [ -n "${BENCH_NOTES:-}" ]; then cp "$BENCH_NOTES" "$out/notes.md"; fi
python3 scripts/bench/report.py "$out" > BENCHMARKS.md
echo "run-all.sh: wrote BENCHMARKS.md (raw results in $out)" >&2
