#!/usr/bin/env bash
# End-to-end throughput of a Spring Boot 3.5 application on embedded Tomcat (the starter's test
# application, spring-boot/tests/boot35-tomcat): the starter (trustproxy.trust-proxy) against
# Boot's server.forward-headers-strategy=native (RemoteIpValve), the same X-Forwarded-For from a
# trusted peer, keep-alive, each in its own JVM, contenders alternating in rotating order per round.
# Usage: scripts/bench/e2e-boot.sh OUT_DIR CLASSPATH
#   CLASSPATH: the boot35-tomcat test classpath, e.g.
#   ./mvnw -B -q -pl spring-boot/tests/boot35-tomcat -am test-compile -DskipTests
#   ./mvnw -B -q -pl spring-boot/tests/boot35-tomcat dependency:build-classpath \
#     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
#   CP=spring-boot/tests/boot35-tomcat/target/test-classes:$(cat /tmp/cp.txt)
# Env: E2E_ROUNDS (5), E2E_DURATION (8s), E2E_WARMUP (4s), E2E_THREADS (2), E2E_CONNECTIONS (32)
# Writes OUT_DIR/e2e-boot.csv: contender,round,order,requests_per_sec
set -euo pipefail
out=$1
cp=$2
rounds=${E2E_ROUNDS:-5}
duration=${E2E_DURATION:-8s}
warmup=${E2E_WARMUP:-4s}
threads=${E2E_THREADS:-2}
connections=${E2E_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "e2e-boot.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
mkdir -p "$out"
. "$(dirname "$0")/e2e-lib.sh"

names=(boot-starter boot-native)
args=("--trustproxy.trust-proxy=loopback,10.0.0.0/8 --server.forward-headers-strategy=none"
      "--trustproxy.enabled=false --server.forward-headers-strategy=native")
ports=()
for i in 0 1; do
  p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  ports+=("$p")
  # shellcheck disable=SC2086
  java -Xms512m -Xmx512m -cp "$cp" dev.trustproxy.spring.it.TestApplication \
    --server.address=127.0.0.1 --server.port="$p" --spring.main.banner-mode=off \
    --logging.level.root=WARN --spring.jmx.enabled=false ${args[$i]} \
    > "$out/e2e-boot-${names[$i]}.log" 2>&1 &
  extra_pids+=($!)
done

XFF="203.0.113.7, 10.0.0.3, 10.0.0.2"
for i in 0 1; do
  body=
  for _ in $(seq 1 600); do
    body=$(curl -s --max-time 5 -H "X-Forwarded-For: $XFF" "http://127.0.0.1:${ports[$i]}/hello" || true)
    [ -n "$body" ] && break
    sleep 0.1
  done
  [ "$body" = "hello 203.0.113.7" ] || { echo "e2e-boot.sh: ${names[$i]} answered '$body'" >&2; exit 1; }
done
rps() { wrk -t"$threads" -c"$connections" -d"$2" -H "X-Forwarded-For: $XFF" \
  "http://127.0.0.1:${ports[$1]}/hello" | awk '/^Requests\/sec:/ { print $2 }'; }
csv="$out/e2e-boot.csv"
echo "contender,round,order,requests_per_sec" > "$csv"
for i in 0 1; do rps "$i" "$warmup" > /dev/null; done
for r in $(seq 1 "$rounds"); do
  for k in 0 1; do
    i=$(( (k + r) % 2 ))
    v=$(rps "$i" "$duration")
    echo "${names[$i]},$r,$k,$v" >> "$csv"
    echo "e2e-boot: round $r ${names[$i]} $v req/s" >&2
  done
done
echo "e2e-boot: done, $csv" >&2
