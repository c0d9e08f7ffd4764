#!/usr/bin/env bash
# New name searches for 5 s, twice, with the server's and PostgreSQL's CPU ticks (100 a second
# per core): what a search not answered before costs.
#
#   bash bench/search_load.sh BUILD_DIR/practicum DATABASE_URL [SCRIPT]
#
# SCRIPT is bench/lua/new_search.lua (three random letters, mostly matching nobody; the
# default) or bench/lua/new_name_search.lua (a seeded surname and number: someone there), or
# bench/lua/create_student.lua (students created through the API, POST; fifteenth round).
# DATABASE_URL is a copy of a store seeded by bench/server.sh's seeding. wrk, 2 threads, 50
# connections. Port 18091. Used for the eleventh round of bench/results/server-scale.md.
set -euo pipefail
BIN=$1; URL=$2; SCRIPT=${3:-new_search.lua}
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d)
RUST_LOG=warn "$BIN" serve --addr 127.0.0.1:18091 --data-dir "$data" --database "$URL" >"$data/serve.log" 2>&1 &
S=$!
trap 'kill $S 2>/dev/null; wait $S 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 300); do curl -fs -o /dev/null http://127.0.0.1:18091/login && break; sleep 0.2; done
prev=0; for _ in $(seq 120); do sleep 1; now=$(awk '{print $14+$15}' /proc/$S/stat); [ $((now-prev)) -lt 5 ] && break; prev=$now; done
# The start-up sweep's reminder backlog marked sent, as bench/server.sh does (settle_mail): the
# mail worker's commits would otherwise take the writer's turn ten times a second.
sql="UPDATE mail_queue SET sent_at = next_attempt_at WHERE sent_at IS NULL"
case $URL in
  sqlite://*) python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30); c.execute(sys.argv[2]); c.commit()" "${URL#sqlite://}" "$sql" ;;
  *) psql -q "$URL" -c "$sql" ;;
esac
TOKEN=$(curl -s http://127.0.0.1:18091/api/v1/auth/login -H 'content-type: application/json' \
  -d '{"email":"admin@demo.practicum.test","password":"practicum-demo"}' | sed -n 's/^{"token":"\([^"]*\)".*/\1/p')
# The school and program a created student joins (create_student.lua), from the first page.
page=$(curl -fs "http://127.0.0.1:18091/api/v1/students?limit=1" -H "authorization: Bearer $TOKEN")
SCHOOL=$(sed -n 's/.*"school_id":"\([^"]*\)".*/\1/p' <<<"$page" | head -1)
PROGRAM=$(sed -n 's/.*"program_id":"\([^"]*\)".*/\1/p' <<<"$page" | head -1)
export SCHOOL PROGRAM
# WRITES_PER_SECOND (default 0): a second client creates students at that rate during the
# loads, as bench/server.sh's "while 10 writes/s" rows do: every write stops searches being
# answered from memory alone (db::students::held_suffixes) until memory is read again.
if [ "${WRITES_PER_SECOND:-0}" -gt 0 ]; then
  (i=0; while :; do
    i=$((i + 1))
    curl -s -o /dev/null http://127.0.0.1:18091/api/v1/students -H "authorization: Bearer $TOKEN" \
      -H 'content-type: application/json' \
      -d "{\"school_id\":\"$SCHOOL\",\"program_id\":\"$PROGRAM\",\"first_name\":\"Busy\",\"last_name\":\"Office\",\"email\":\"w$i-$RANDOM@load.practicum.test\"}"
    sleep "$(echo "scale=3; 1 / $WRITES_PER_SECOND" | bc)"
  done) &
  W=$!
  trap 'kill $W 2>/dev/null; kill $S 2>/dev/null; wait $S 2>/dev/null; rm -rf "$data"' EXIT
fi
ticks() { local t=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
for _ in 1 2; do
  pgp=$(pgrep -u postgres postgres | tr '\n' ' ' || true)
  s0=$(ticks $S); g0=$(ticks $pgp)
  wrk -t2 -c50 -d5s --latency -s "$here/lua/$SCRIPT" -H "authorization: Bearer $TOKEN" \
    http://127.0.0.1:18091/api/v1/students | grep -E "Requests/sec|99%" | tr '\n' ' '
  echo "server ticks $(($(ticks $S) - s0)), postgres ticks $(($(ticks $pgp) - g0)) (of 1000)"
done
