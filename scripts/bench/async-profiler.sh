#!/usr/bin/env bash
# Prints the path of async-profiler's Linux x64 agent, fetching it from Maven Central into
# benchmarks/target/async-profiler the first time (tools.profiler:async-profiler).
# Usage: lib=$(scripts/bench/async-profiler.sh)
set -euo pipefail
project=$(cd "$(dirname "$0")/../.." && pwd)
version=4.1
dir=$project/benchmarks/target/async-profiler
lib=$dir/linux-x64/libasyncProfiler.so
if [ ! -f "$lib" ]; then
  (cd "$project" && ./mvnw -B -q -N dependency:copy \
    -Dartifact=tools.profiler:async-profiler:$version -DoutputDirectory="$dir") >&2
  (cd "$dir" && unzip -q -o async-profiler-$version.jar 'linux-x64/*')
fi
echo "$lib"
