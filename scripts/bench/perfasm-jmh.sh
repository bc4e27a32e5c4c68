#!/usr/bin/env bash
# The hottest machine code of a JMH benchmark: JMH's perfasm profiler (Linux perf, cpu-clock
# samples, since a shared VM usually exposes no hardware counters) with the instructions
# disassembled by a Capstone-based hsdis that this script builds (scripts/bench/hsdis-capstone.c).
# This is how README D120 was found: per-group loop set-up in the address readers. Prints JMH's
# report: the hottest regions with their source lines, and the share of each compiled method.
# Usage: scripts/bench/perfasm-jmh.sh 'JMH_REGEX' [JMH options but -f -wi -w -i -r, e.g. -p entries=1]
# The plugin is copied into the JDK's lib/server directory (the JVM looks for it nowhere else).
# Needs: perf, gcc and libcapstone-dev (apt-get install linux-perf gcc libcapstone-dev), and
# benchmarks/target/classpath.txt (see ab-jmh.sh for the build command).
set -euo pipefail
regex=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
cd "$project"
dir=benchmarks/target/hsdis
if [ ! -f "$dir/hsdis-amd64.so" ]; then
  mkdir -p "$dir"
  gcc -O2 -shared -fPIC -o "$dir/hsdis-amd64.so" "$here/hsdis-capstone.c" -lcapstone
fi
# JDK 17 loads hsdis-amd64.so only from its own directories, not from LD_LIBRARY_PATH.
server=$(dirname "$(java -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.home = //p')/lib/server/libjvm.so")
if ! cmp -s "$dir/hsdis-amd64.so" "$server/hsdis-amd64.so"; then
  cp "$dir/hsdis-amd64.so" "$server/" 2>/dev/null || {
    echo "perfasm-jmh.sh: cannot write $server; run: sudo cp $dir/hsdis-amd64.so $server/" >&2
    exit 1
  }
fi
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# The fork, warm-up and measurement settings are fixed here: JMH refuses an option given twice.
java -Djmh.ignoreLock=true -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 3 -w 1 -i 4 -r 1 "$@" \
  "$regex" -prof 'perfasm:intelSyntax=true;events=cpu-clock'
