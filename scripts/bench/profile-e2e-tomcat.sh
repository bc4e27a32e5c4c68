#!/usr/bin/env bash
# Where the Tomcat end-to-end server's CPU goes, per request and per contender, in one run: one
# TomcatE2eServer JVM under async-profiler (CPU samples, per thread), wrk loading tomcat-none,
# tomcat-valve and tomcat-remoteip in turn (keep-alive, the XFF header). Each contender's
# samples are those of its own connector threads, so its microseconds of server CPU per request
# can be compared across contenders, whatever the load on the machine did to throughput. The
# profiler is attached after a warm-up of every contender.
# Usage: scripts/bench/profile-e2e-tomcat.sh CLASSPATH [SECONDS_PER_TURN] [ROUNDS]
#   CLASSPATH: benchmarks/target/classes plus benchmarks/target/classpath.txt (run-all.sh's build)
set -euo pipefail
cp=$1 seconds=${2:-6} rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
lib=$("$here/async-profiler.sh")
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
java -Xms512m -Xmx512m -cp "$cp" dev.trustproxy.benchmarks.TomcatE2eServer "$work/ports" \
  > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do [ -f "$work/ports" ] && break; sleep 0.1; done
[ -f "$work/ports" ] || { echo "profile-e2e-tomcat.sh: the server did not start" >&2; exit 1; }
XFF="203.0.113.7, 10.0.0.3, 10.0.0.2"
contenders=(tomcat-none tomcat-valve tomcat-remoteip)
: > "$work/requests"
load() { # contender seconds: prints the requests wrk completed
  local port
  port=$(awk -v n="$1" '$1 == n { print $2 }' "$work/ports")
  wrk -t2 -c32 -d"$2s" -H "X-Forwarded-For: $XFF" "http://127.0.0.1:$port/" \
    | awk '/requests in/ { print $1 }'
}
for c in "${contenders[@]}"; do load "$c" 5 > /dev/null; done # warm-up, not profiled
# jcmd reads name=value pairs: the agent's options go in quotes.
jcmd "$server_pid" JVMTI.agent_load "$lib" '"start,event=cpu,interval=1ms,threads"' > /dev/null
for round in $(seq 1 "$rounds"); do
  # A rotating order, so no contender always runs first after another.
  for i in 0 1 2; do
    c=${contenders[$(( (i + round) % 3 ))]}
    echo "$c $(load "$c" "$seconds")" >> "$work/requests"
  done
done
jcmd "$server_pid" JVMTI.agent_load "$lib" "\"stop,file=$work/cpu.collapsed,collapsed\"" > /dev/null
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=
python3 - "$work/cpu.collapsed" "$work/requests" "${contenders[@]}" <<'PY'
import re
import sys
from collections import Counter, defaultdict

samples, requests_file, contenders = sys.argv[1], sys.argv[2], sys.argv[3:]
requests = Counter()
for line in open(requests_file):
    name, n = line.split()
    requests[name] += int(n)
# Tomcat names a connector's threads http-nio-<address>-auto-<N>-..., N in start order.
by_index = {str(i + 1): c for i, c in enumerate(contenders)}
where = defaultdict(Counter)
for line in open(samples):
    stack, n = line.rsplit(' ', 1)
    m = re.search(r'http-nio-127\.0\.0\.1-auto-(\d+)', stack.split(';')[0])
    if not m or m.group(1) not in by_index:
        continue
    frames = stack.split(';')
    below = any('StandardEngineValve.invoke' in f for f in frames)
    if any('TrustProxyValve.invoke' in f for f in frames) and not below:
        k = 'TrustProxyValve, its own work'
    elif any('RemoteIpValve.invoke' in f for f in frames) and not below:
        k = 'RemoteIpValve, its own work'
    elif below:
        k = 'the pipeline below the engine valves (host, context, servlet)'
    elif any('CoyoteAdapter.service' in f for f in frames):
        k = 'the rest of CoyoteAdapter.service (request setup, recycling)'
    elif any('Http11Processor' in f for f in frames):
        k = 'the rest of Http11Processor (parsing, writing)'
    else:
        k = 'the connector (poller, sockets)'
    where[by_index[m.group(1)]][k] += int(n)
print('Server CPU per request, microseconds (1 ms CPU-time samples of each contender\'s own'
      ' connector threads, divided by the requests wrk completed against it):')
print()
print('| where | ' + ' | '.join(contenders) + ' |')
print('| --- |' + ' ---: |' * len(contenders))
for k in sorted({k for c in where for k in where[c]}):
    print(f'| {k} | ' + ' | '.join(f'{where[c][k] * 1000 / requests[c]:.2f}' for c in contenders)
          + ' |')
print('| **all** | ' + ' | '.join(f'**{sum(where[c].values()) * 1000 / requests[c]:.2f}**'
                                   for c in contenders) + ' |')
print('| requests | ' + ' | '.join(f'{requests[c]:,}' for c in contenders) + ' |')
PY
