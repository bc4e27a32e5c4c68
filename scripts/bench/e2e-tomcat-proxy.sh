#!/usr/bin/env bash
# End-to-end on Tomcat: the PROXY connector (TrustProxyHttp11NioProtocol, one PROXY header per
# connection, one request per connection) against Tomcat's plain NIO connector (one request per
# connection), alternating in rounds in one JVM (TomcatProxyE2eServer).
# Usage: scripts/bench/e2e-tomcat-proxy.sh OUT_DIR CLASSPATH
# Env: as e2e-lib.sh, and E2E_MODES (proxy-v1-close proxy-v2-close).
# Writes OUT_DIR/e2e-tomcat-proxy.csv (see e2e-lib.sh).
set -euo pipefail
. "$(dirname "$0")/e2e-lib.sh"
start_server dev.trustproxy.benchmarks.TomcatProxyE2eServer

# Both must answer right first: plain names the TCP peer, PROXY names the header's source.
check tomcat-plain "http://127.0.0.1:$(port tomcat-plain)/" 127.0.0.1
check tomcat-proxy "http://127.0.0.1:$(port tomcat-proxy)/" 127.0.0.1 --haproxy-protocol
check_raw tomcat-proxy-v1 "$(port tomcat-proxy)" 'PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\n' 198.51.100.22
check_raw tomcat-proxy-v2 "$(port tomcat-proxy)" '\r\n\r\n\0\r\nQUIT\n\x21\x11\0\x0c\xc6\x33\x64\x16\xcb\0\x71\x07\x8b\x3e\0\x50' 198.51.100.22

target() { # MODE CONTENDER
  URL="http://127.0.0.1:$(port "$2")/"
  case "$1/$2" in
    */tomcat-plain) ARGS=(-H "Connection: close") ;;
    proxy-v1-close/tomcat-proxy) ARGS=(-s "$here/proxy-v1-per-connection.lua") ;;
    proxy-v2-close/tomcat-proxy) ARGS=(-s "$here/proxy-v2-per-connection.lua") ;;
    *) echo "e2e-tomcat-proxy: unknown mode $1" >&2; exit 1 ;;
  esac
}
for mode in ${E2E_MODES:-proxy-v1-close proxy-v2-close}; do
  measure "$mode" tomcat-plain tomcat-proxy
done
echo "e2e-tomcat-proxy: done, $csv" >&2
