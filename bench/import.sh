#!/usr/bin/env bash
# Bulk import benchmark (issue 14 point 1): ROWS generated student rows imported with
# `practicum import students` into a fresh demo database, on SQLite and (given a server URL)
# on PostgreSQL. The command prints its own wall time; rows per second = rows / seconds.
#
#   bench/import.sh [ROWS] [postgres://user@host:port/]     (default ROWS=20000)
#   PRACTICUM_BIN=target/release/practicum (default)
set -euo pipefail
ROWS=${1:-20000}
PG=${2:-}
BIN=${PRACTICUM_BIN:-target/release/practicum}
SCHOOL="Harborview Community College"
PROGRAM="AS in Radiologic Technology"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT

gen() { # year of graduation -> CSV on stdout
python3 - "$ROWS" "$PROGRAM" "$1" <<'PY'
import sys
n, program, year = int(sys.argv[1]), sys.argv[2], sys.argv[3]
print("First name,Last name,Email,Program,Enrollment status,Expected graduation")
first = ["Ada", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo"]
last = ["Ng", "Park", "Lopez", "Smith", "Okafor", "Chen", "Rossi", "Kim", "Diaz", "Berg"]
for i in range(n):
    print(f"{first[i % 10]},{last[(i // 10) % 10]}-{i},student{i}@bench.example,{program},enrolled,{year}-05-{1 + i % 28:02d}")
PY
}
gen 2028 > "$D/students.csv"
gen 2029 > "$D/students-changed.csv"

run() { # label, store flags...
  local label=$1; shift
  "$BIN" seed-demo "$@" > /dev/null
  echo "== $label: $ROWS rows"
  "$BIN" import students "$D/students.csv" --school "$SCHOOL" --dry-run "$@" | tail -1
  "$BIN" import students "$D/students.csv" --school "$SCHOOL" "$@" | tail -1
  echo "-- the same file again (every row matched by email, unchanged):"
  "$BIN" import students "$D/students.csv" --school "$SCHOOL" "$@" | tail -1
  echo "-- every row's graduation date changed (every row an update by email):"
  "$BIN" import students "$D/students-changed.csv" --school "$SCHOOL" "$@" | tail -1
  "$BIN" audit verify "$@" | tail -1
}

run sqlite --data-dir "$D/sqlite"
if [ -n "$PG" ]; then
  DB="bench_import_$$"
  psql "${PG%/}/postgres" -qc "CREATE DATABASE $DB"
  run postgresql --data-dir "$D/pg" --database "${PG%/}/$DB"
  psql "${PG%/}/postgres" -qc "DROP DATABASE $DB"
fi
