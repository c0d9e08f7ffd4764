#!/usr/bin/env bash
# Where the time of creating one student through the API goes (POST /api/v1/students), on
# SQLite at consortium size: seeds the store as bench/server.sh does (examples/bench_seed),
# then serves it and creates students with one connection and with 50 (wrk), and, each with a
# fresh copy of the seeded store:
#   - the statements of the create and their time (sqlx's own log, bench/statement_times.py);
#   - the system calls a create makes (strace -c over the one-connection load);
#   - where the server's CPU time goes (perf, over the 50-connection load).
#
#   DIR=target/release bash bench/create_profile.sh
#
# DIR holds `practicum` and `examples/bench_seed` (cargo build --release -p practicum --bin
# practicum --examples). Needs wrk, curl, python3, strace and perf. Output goes to $WORK.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${DIR:-target/release}
WORK=${WORK:-/tmp/create-profile}
PORT=${PORT:-18095}
SECS=${SECS:-8}
STUDENTS=${STUDENTS:-20000}
PLACEMENTS=${PLACEMENTS:-40000}
DOCUMENTS=${DOCUMENTS:-100000}
log() { echo "[$(date +%T)] $*" >&2; }

mkdir -p "$WORK"
rm -rf "$WORK"/seed.db* "$WORK/data"
log "seeding the demo, then $STUDENTS students, $PLACEMENTS placements, $DOCUMENTS documents"
"$DIR/practicum" seed-demo --data-dir "$WORK/data" --database "sqlite://$WORK/seed.db" >/dev/null 2>&1
"$DIR/examples/bench_seed" "sqlite://$WORK/seed.db" "$STUDENTS" "$PLACEMENTS" "$DOCUMENTS" >/dev/null
python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()" "$WORK/seed.db"

server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true' EXIT

# serve RUST_LOG: a fresh copy of the seeded store, served, its start-up sweep done and its
# mail backlog marked sent (as bench/server.sh does), a token and a school and program to use.
serve() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  rm -f "$WORK"/run.db*; cp "$WORK/seed.db" "$WORK/run.db"
  RUST_LOG=$1 "$DIR/practicum" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" \
    --database "sqlite://$WORK/run.db" >"$WORK/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.2; done
  local prev=0 now
  for i in $(seq 300); do
    now=$(awk '{print $14+$15}' "/proc/$server/stat")
    [ "$i" -gt 3 ] && [ $((now - prev)) -lt 5 ] && break
    prev=$now; sleep 1
  done
  python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30); c.execute('UPDATE mail_queue SET sent_at = next_attempt_at WHERE sent_at IS NULL'); c.commit()" "$WORK/run.db"
  token=$(curl -s "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"admin@demo.practicum.test","password":"practicum-demo"}' | sed -n 's/^{"token":"\([^"]*\)".*/\1/p')
  curl -fs "http://127.0.0.1:$PORT/api/v1/students?limit=50" -H "authorization: Bearer $token" >"$WORK/page.json"
  export SCHOOL PROGRAM
  SCHOOL=$(sed -n 's/.*"school_id":"\([^"]*\)".*/\1/p' "$WORK/page.json" | head -1)
  PROGRAM=$(sed -n 's/.*"program_id":"\([^"]*\)".*/\1/p' "$WORK/page.json" | head -1)
  : >"$WORK/serve.log"
}

creates() { # creates CONNECTIONS: requests a second, p50, p99
  wrk -t1 -c"$1" -d"${SECS}s" --latency -s bench/lua/create_student.lua \
    -H "authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/students" |
    awk -v c="$1" '/Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{bad=$5}
      END { printf "%d connection(s): %s creates/s, p50 %s, p99 %s%s\n", c, r, p50, p99, bad ? ", " bad " not 2xx" : "" }'
}

log "creates, as served"
serve warn
creates 1
creates 50

log "the statements of a create (sqlx's log; the log's own cost slows the loads)"
serve warn,sqlx::query=debug
creates 1 >/dev/null
python3 bench/statement_times.py "$WORK/serve.log" | head -12

log "system calls per create (strace -c, one connection)"
serve warn
strace -f -c -p "$server" -o "$WORK/strace.txt" &
tracer=$!
sleep 0.5
made=$(wrk -t1 -c1 -d"${SECS}s" -s bench/lua/create_student.lua -H "authorization: Bearer $token" \
  "http://127.0.0.1:$PORT/api/v1/students" | awk '/requests in/{print $1}')
kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
python3 - "$WORK/strace.txt" "$made" <<'EOF'
import re, sys
made = int(sys.argv[2])
print(f"{made} creates traced")
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 5 and re.match(r"^[0-9.]+$", f[0]) and f[-1] not in ("total",):
        calls = int(f[3])
        if calls >= made // 2:
            print(f"  {f[-1]:<12} {calls / made:7.1f} a create, {f[2]:>5} µs a call")
EOF

log "where the CPU goes (perf, 50 connections)"
serve warn
creates 50 >"$WORK/perf-load.txt" &
loader=$!
sleep 1
perf record -F 499 -g -p "$server" -o "$WORK/perf.data" -- sleep $((SECS - 2)) >/dev/null 2>&1
wait "$loader"
cat "$WORK/perf-load.txt"
perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
  grep -E '^ +[0-9.]+%' | head -15 | cut -c1-90
log "done: $WORK"
