# supervise NAME COMMAND...: run COMMAND, and start it again whenever it exits (after 1, 2,
# 4 ... at most 30 s; the delay starts over once it has run a minute), as systemd's
# Restart=always does in production (docs/deploy.md). SIGTERM stops the child and the loop.
# Sourced by scripts/demo; tests/core/test_demo_supervise.py runs it.
supervise() {
  local name=$1 delay=1 child rc started
  shift
  trap 'kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM
  while true; do
    started=$SECONDS
    "$@" &
    child=$!
    rc=0
    wait "$child" || rc=$?
    if (( SECONDS - started >= 60 )); then delay=1; fi
    echo "==> $(date '+%H:%M:%S') $name stopped (exit code $rc); restarting it in ${delay} s" >&2
    sleep "$delay" & wait $! || true
    delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
  done
}
