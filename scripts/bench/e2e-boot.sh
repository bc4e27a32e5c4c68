#!/usr/bin/env bash
# End-to-end throughput of a Spring Boot 3.5 application on embedded Tomcat (the starter's test
# application, spring-boot/tests/boot35-tomcat): the starter (trustproxy.trust-proxy) against
# Boot's server.forward-headers-strategy=native (RemoteIpValve), the same X-Forwarded-For from a
# trusted peer, keep-alive, each in its own JVM, contenders alternating in rotating order per round.
# Usage: scripts/bench/e2e-boot.sh OUT_DIR CLASSPATH
#   CLASSPATH: the boot35-tomcat test classpath (run-all.sh builds it, suite.py names the module):
#   ./mvnw -B -q -pl spring-boot/tests/boot35-tomcat -am test-compile dependency:build-classpath \
#     -DincludeScope=test -Dmdep.outputFile=target/classpath-test.txt
#   CP=spring-boot/tests/boot35-tomcat/target/test-classes:$(cat spring-boot/tests/boot35-tomcat/target/classpath-test.txt)
# Env: as e2e-lib.sh, except the warm-up: E2E_BOOT_WARMUP (60s) of load per contender before
#   the rounds; a Boot JVM with a shorter one was still getting faster during the rounds, so its
#   ratios measured the JIT's progress. Writes OUT_DIR/e2e-boot.csv (see e2e-lib.sh).
set -euo pipefail
. "$(dirname "$0")/e2e-lib.sh"
warmup=${E2E_BOOT_WARMUP:-60s}

names=(boot-starter boot-native)
args=("--trustproxy.trust-proxy=loopback,10.0.0.0/8 --server.forward-headers-strategy=none"
      "--trustproxy.enabled=false --server.forward-headers-strategy=native")
: > "$work/ports"
for i in 0 1; do
  p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "${names[$i]} $p" >> "$work/ports"
  # shellcheck disable=SC2086
  java -Xms512m -Xmx512m -cp "$cp" dev.trustproxy.spring.it.TestApplication \
    --server.address=127.0.0.1 --server.port="$p" --spring.main.banner-mode=off \
    --logging.level.root=WARN --spring.jmx.enabled=false ${args[$i]} \
    > "$out/$e2e_name-${names[$i]}.log" 2>&1 &
  extra_pids+=($!)
done

# Both JVMs start at once; wait (up to 3 minutes on a loaded machine) until each answers at all.
for i in 0 1; do
  url="http://127.0.0.1:$(port "${names[$i]}")/hello"
  for _ in $(seq 1 1800); do
    curl -s -o /dev/null --max-time 5 "$url" && break
    kill -0 "${extra_pids[$i]}" 2>/dev/null \
      || { echo "$e2e_name: ${names[$i]} exited, see $out/$e2e_name-${names[$i]}.log" >&2; exit 1; }
    sleep 0.1
  done
  check "${names[$i]}" "$url" 203.0.113.7 -H "X-Forwarded-For: $XFF"
done

target() { URL="http://127.0.0.1:$(port "$2")/hello"; ARGS=(-H "X-Forwarded-For: $XFF"); }
measure xff-keepalive boot-native boot-starter
echo "$e2e_name: done, $csv" >&2
