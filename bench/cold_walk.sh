#!/usr/bin/env bash
# A list walked page after page on a server that has kept nothing, then twice more while what
# the first walk kept still holds: the cold pass and the warm one side by side, with the
# server's and PostgreSQL's CPU ticks over the three (100 a second per core).
#
#   LIST=placements bash bench/cold_walk.sh BUILD_DIR/practicum DATABASE_URL
#
# DATABASE_URL is a store seeded by bench/server.sh's seeding (a copy: the server migrates it
# and writes sessions). Each walk is wrk, 2 threads, 50 connections, 5 s, bench/lua/
# walk_pages.lua. Port 18090. Used for the eleventh and sixteenth rounds of
# bench/results/server-scale.md.
set -euo pipefail
BIN=$1; URL=$2; LIST=${LIST:-placements}
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d)
RUST_LOG=warn "$BIN" serve --addr 127.0.0.1:18090 --data-dir "$data" --database "$URL" >"$data/serve.log" 2>&1 &
S=$!
trap 'kill $S 2>/dev/null; wait $S 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 300); do curl -fs -o /dev/null http://127.0.0.1:18090/login && break; sleep 0.2; done
# Until the start-up sweep goes idle (under 5 ticks a second).
prev=0; for _ in $(seq 120); do sleep 1; now=$(awk '{print $14+$15}' /proc/$S/stat); [ $((now-prev)) -lt 5 ] && break; prev=$now; done
# The mail that sweep queued, marked sent: sending it during the walk would be a write a mail.
SQL="UPDATE mail_queue SET sent_at = next_attempt_at WHERE sent_at IS NULL"
case $URL in
  sqlite*) python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30); c.execute(sys.argv[2]); c.commit()" "${URL#sqlite://}" "$SQL" ;;
  *) psql -q "$URL" -c "$SQL" ;;
esac
TOKEN=$(curl -s http://127.0.0.1:18090/api/v1/auth/login -H 'content-type: application/json' \
  -d '{"email":"admin@demo.practicum.test","password":"practicum-demo"}' | sed -n 's/^{"token":"\([^"]*\)".*/\1/p')
ticks() { local t=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
pgp=$(pgrep -u postgres postgres | tr '\n' ' ' || true)
s0=$(ticks $S); g0=$(ticks $pgp)
for walk in cold warm warm; do
  echo -n "$walk: "
  wrk -t2 -c50 -d5s --latency -s "$here/lua/walk_pages.lua" -H "authorization: Bearer $TOKEN" \
    "http://127.0.0.1:18090/api/v1/$LIST" | grep -E "Requests/sec|99%" | tr '\n' ' '
  # The server's own memory and the file pages it maps (SQLite's mmap, counted once per
  # connection that touched them), after each walk.
  grep -E "RssAnon|RssFile" "/proc/$S/status" | tr -s ' \t\n' ' '
  echo
done
echo "server ticks $(($(ticks $S) - s0)), postgres ticks $(($(ticks $pgp) - g0)) (of 3000)"
