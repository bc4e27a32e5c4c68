# Sourced by the end-to-end scripts: one benchmark server class in its own JVM, its ports, and
# a cleanup that stops it (and any pid the caller adds to extra_pids) however the script ends.
work=$(mktemp -d)
server_pid=
extra_pids=()
e2e_cleanup() {
  local pid
  for pid in "${extra_pids[@]}" $server_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap e2e_cleanup EXIT

# start_server SCRIPT_NAME CLASS LOG CLASSPATH: starts CLASS, waits for it to write its ports.
start_server() {
  java -Xms512m -Xmx512m -cp "$4" "$2" "$work/ports" > "$3" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do [ -f "$work/ports" ] && break; sleep 0.1; done
  [ -f "$work/ports" ] || { echo "$1: server did not start, see $3" >&2; exit 1; }
}

# port NAME: the port the server wrote for NAME.
port() { awk -v n="$1" '$1 == n { print $2 }' "$work/ports"; }
