#!/usr/bin/env bash
# New name searches for 5 s, twice, with the server's and PostgreSQL's CPU ticks (100 a second
# per core): what a search not answered before costs.
#
#   bash bench/search_load.sh BUILD_DIR/practicum DATABASE_URL [SCRIPT]
#
# SCRIPT is bench/lua/new_search.lua (three random letters, mostly matching nobody; the
# default) or bench/lua/new_name_search.lua (a seeded surname and number: someone there).
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
TOKEN=$(curl -s http://127.0.0.1:18091/api/v1/auth/login -H 'content-type: application/json' \
  -d '{"email":"admin@demo.practicum.test","password":"practicum-demo"}' | sed -n 's/^{"token":"\([^"]*\)".*/\1/p')
ticks() { local t=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
for _ in 1 2; do
  pgp=$(pgrep -u postgres postgres | tr '\n' ' ' || true)
  s0=$(ticks $S); g0=$(ticks $pgp)
  wrk -t2 -c50 -d5s --latency -s "$here/lua/$SCRIPT" -H "authorization: Bearer $TOKEN" \
    http://127.0.0.1:18091/api/v1/students | grep -E "Requests/sec|99%" | tr '\n' ' '
  echo "server ticks $(($(ticks $S) - s0)), postgres ticks $(($(ticks $pgp) - g0)) (of 1000)"
done
