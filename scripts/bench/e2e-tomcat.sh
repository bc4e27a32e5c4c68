#!/usr/bin/env bash
# End-to-end throughput on embedded Tomcat: wrk against TomcatE2eServer's contenders (no valve,
# TrustProxyValve, RemoteIpValve), X-Forwarded-For from a trusted peer, keep-alive, contenders
# alternating in rotating order per round.
# Usage: scripts/bench/e2e-tomcat.sh OUT_DIR CLASSPATH
# Env: as e2e-lib.sh. Writes OUT_DIR/e2e-tomcat.csv (see e2e-lib.sh).
set -euo pipefail
. "$(dirname "$0")/e2e-lib.sh"
start_server dev.trustproxy.benchmarks.TomcatE2eServer

check tomcat-none "http://127.0.0.1:$(port tomcat-none)/" 127.0.0.1 -H "X-Forwarded-For: $XFF"
check tomcat-valve "http://127.0.0.1:$(port tomcat-valve)/" 203.0.113.7 -H "X-Forwarded-For: $XFF"
check tomcat-remoteip "http://127.0.0.1:$(port tomcat-remoteip)/" 203.0.113.7 -H "X-Forwarded-For: $XFF"

target() { URL="http://127.0.0.1:$(port "$2")/"; ARGS=(-H "X-Forwarded-For: $XFF"); }
measure xff-keepalive tomcat-none tomcat-valve tomcat-remoteip
echo "e2e-tomcat: done, $csv" >&2
