#!/usr/bin/env bash
# Reports benchmark (issue 17 part 2): every report of /api/v1/reports/<name> over a
# consortium-sized store — the demo (with its two years of history) plus STUDENTS students,
# PLACEMENTS placements and DOCUMENTS documents from `examples/bench_seed.rs` — on SQLite and
# (given a server URL) on PostgreSQL, through the real server over HTTP (JSON, this year,
# no other filter). Each report: one warm-up, then RUNS timed requests; the median and the
# slowest in milliseconds, with the report's rows and total (what it read is real).
#
#   cargo build --release -p practicum --examples --bins
#   bench/reports.sh [STUDENTS] [PLACEMENTS] [DOCUMENTS] [postgres://user@host:port/]
#   (defaults 20000 40000 100000; PRACTICUM_BIN, PRACTICUM_BENCH_SEED, RUNS=5)
set -euo pipefail
STUDENTS=${1:-20000}
PLACEMENTS=${2:-40000}
DOCUMENTS=${3:-100000}
PG=${4:-}
BIN=${PRACTICUM_BIN:-target/release/practicum}
SEED=${PRACTICUM_BENCH_SEED:-target/release/examples/bench_seed}
RUNS=${RUNS:-5}
REPORTS="placed capacity turnaround holdups hours evaluations agreements"
D=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$D"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bench() { # label, database URL, store flags...
  local label=$1 url=$2; shift 2
  "$BIN" seed-demo "$@" > /dev/null
  local t0=$SECONDS
  "$SEED" "$url" "$STUDENTS" "$PLACEMENTS" "$DOCUMENTS" | tail -1
  echo "(seeded in $((SECONDS - t0)) s)"
  local port; port=$(free_port)
  "$BIN" serve "$@" --addr "127.0.0.1:$port" > "$D/serve-$label.log" 2>&1 &
  SERVER=$!
  local base="http://127.0.0.1:$port"
  for _ in $(seq 600); do curl -sf "$base/readyz" > /dev/null && break; sleep 0.1; done
  local token
  token=$(curl -sf -X POST -H 'content-type: application/json' \
    -d '{"email":"coordinator@demo.practicum.test","password":"practicum-demo"}' "$base/api/v1/auth/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  echo
  echo "### $label: $STUDENTS students, $PLACEMENTS placements, $DOCUMENTS documents (+ the demo)"
  echo
  echo "| report | median ms | slowest ms | rows | total |"
  echo "|---|---:|---:|---:|---:|"
  for r in $REPORTS; do
    local url="$base/api/v1/reports/$r"
    curl -sf -H "authorization: Bearer $token" "$url" > "$D/$r.json"
    local times=()
    for _ in $(seq "$RUNS"); do
      times+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "authorization: Bearer $token" "$url")")
    done
    python3 - "$r" "$D/$r.json" "${times[@]}" <<'PY'
import json, statistics, sys
name, path, *times = sys.argv[1:]
ms = sorted(float(t) * 1000 for t in times)
r = json.load(open(path))
print(f"| {name} | {statistics.median(ms):.0f} | {ms[-1]:.0f} | {len(r['rows'])} | {r['total']['value']} |")
PY
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

bench SQLite "sqlite://$D/sqlite/practicum.db" --data-dir "$D/sqlite"
if [ -n "$PG" ]; then
  DB="bench_reports_$$"
  psql "${PG%/}/postgres" -qc "CREATE DATABASE $DB"
  bench PostgreSQL "${PG%/}/$DB" --data-dir "$D/pg" --database "${PG%/}/$DB"
  psql "${PG%/}/postgres" -qc "DROP DATABASE $DB"
fi
