#!/usr/bin/env bash
# Proves that a new user without haproxy, nginx, apache2, varnishd, caddy, curl, openssl or
# python3 gets a green build from the README's test command, with one line saying what was
# skipped, and that CI=true turns the same missing peers into a red build. From the repository root:
#
#   scripts/check-fresh-clone.sh                                  # the whole build, twice
#   scripts/check-fresh-clone.sh -pl jetty-connector,sample-webapp -am   # a shorter experiment
#
# Clones the committed HEAD into a temp folder (uncommitted changes are not part of a fresh
# clone), then runs `./mvnw -B verify` plus the given arguments twice, in a private mount
# namespace where an empty, non-executable file is bind-mounted over every peer program on PATH
# and in /usr/sbin, /usr/local/sbin and /sbin (where the tests look): once with CI unset (must
# pass and print "trustproxy: skipped ..."), once with CI=true (must fail naming the peer).
# Needs unshare(1): as root it uses a plain mount namespace, otherwise a user namespace.
# Uses the shared ~/.m2 read-only in effect: verify installs nothing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
peers=(haproxy nginx apache2 varnishd caddy curl openssl python3)

work=$(mktemp -d "${TMPDIR:-/tmp}/trustproxy-fresh-clone.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-hardlinks "$repo" "$work/trustproxy"
echo "check-fresh-clone: cloned $(git -C "$work/trustproxy" rev-parse --short HEAD) into $work/trustproxy"
: > "$work/hidden"
chmod 644 "$work/hidden"

if [ "$(id -u)" -eq 0 ]; then
  namespace=(unshare --mount)
else
  namespace=(unshare --mount --map-root-user)
fi

# Runs the README's test command with the peers hidden; the first argument is the CI value
# ("" for unset). Prints the build's exit code on the last line of its log.
run_hidden() {
  local ci=$1 log=$2
  shift 2
  # The inner script hides each peer, checks it is hidden, then runs Maven.
  "${namespace[@]}" env -u CI ${ci:+CI=$ci} PEERS="${peers[*]}" bash -c '
    set -u
    hidden=$1; shift
    dirs="$PATH:/usr/sbin:/usr/local/sbin:/sbin"
    for program in $PEERS; do
      IFS=: read -r -a folders <<< "$dirs"
      for dir in "${folders[@]}"; do
        [ -n "$dir" ] && [ -f "$dir/$program" ] && mount --bind "$hidden" "$dir/$program"
      done
      if command -v "$program" >/dev/null 2>&1 && [ -x "$(command -v "$program")" ]; then
        echo "check-fresh-clone: could not hide $program" >&2; exit 97
      fi
    done
    ./mvnw -B verify "$@"
  ' hide "$work/hidden" "$@" > "$log" 2>&1
}

cd "$work/trustproxy"
status=0

echo "check-fresh-clone: 1/2 ./mvnw -B verify${*:+ $*} with ${peers[*]} hidden, CI unset"
set +e; run_hidden "" "$work/no-ci.log" "$@"; code=$?; set -e
grep -E '^trustproxy: skipped' "$work/no-ci.log" | sed 's/^/  /' || true
grep -E '^\[(INFO|WARNING|ERROR)\] (Tests run:|BUILD)' "$work/no-ci.log" | sed 's/^/  /' | tail -n 12
if [ "$code" -ne 0 ]; then
  echo "check-fresh-clone: FAIL: without CI the build must pass, it exited $code"; status=1
  tail -n 60 "$work/no-ci.log"
elif ! grep -q '^trustproxy: skipped [0-9]* real-peer test' "$work/no-ci.log"; then
  echo "check-fresh-clone: FAIL: the build passed but printed no skip line"; status=1
else
  echo "check-fresh-clone: ok: passed and said what it skipped"
fi

echo "check-fresh-clone: 2/2 the same with CI=true"
set +e; run_hidden true "$work/ci.log" "$@"; code=$?; set -e
grep -E 'real peer missing' "$work/ci.log" | grep -E '^\[ERROR\]   ' | sed 's/^/  /' | head -n 8 || true
grep -E '^\[(INFO|WARNING|ERROR)\] (Tests run:|BUILD)' "$work/ci.log" | sed 's/^/  /' | tail -n 6
if [ "$code" -eq 0 ]; then
  echo "check-fresh-clone: FAIL: with CI=true a missing peer must fail the build"; status=1
elif [ "$code" -eq 97 ] || ! grep -q 'real peer missing' "$work/ci.log"; then
  echo "check-fresh-clone: FAIL: the build failed (exit $code), but not for a missing peer"; status=1
  tail -n 60 "$work/ci.log"
else
  echo "check-fresh-clone: ok: failed naming the missing peer (exit $code)"
fi
exit "$status"
