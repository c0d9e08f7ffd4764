#!/usr/bin/env bash
# The server at consortium size (issue 18 point 4): seeds a store through the store's own
# functions (examples/bench_seed: 20,000 students, 40,000 placements, 100,000 documents on top
# of the demo), then for each build to compare (VARIANTS) loads every list and search of
# students, placement requests, placements and documents with wrk (50 connections, closed
# loop), beside a hello-world axum server answering the same JSON page (examples/bench_hello,
# the ceiling), all in one run. One JSON line per measurement goes to $OUT.
#
#   VARIANTS="before=/tmp/bench-before after=target/release" DATABASES="sqlite postgres" \
#   PG_URL=postgres://postgres@127.0.0.1:55433 bash bench/server.sh
#
# A variant is a directory holding `practicum` and `examples/bench_seed` (and, for the last,
# `examples/bench_hello`): `cargo build --release -p practicum --bin practicum --examples`.
# Needs wrk (Debian: apt-get install wrk), curl, bc, python3, and psql for PostgreSQL. WRITES_PER_SECOND
# (default 10; 0 skips) sets the write rate of the "while the office writes" measurements.
# SEED_DIR (default: the first variant's directory) names the build that seeds the store.
# ONLY (a regular expression, e.g. "never kept|each one new") measures only the rows it matches.
set -euo pipefail
cd "$(dirname "$0")/.."

VARIANTS=${VARIANTS:-"current=target/release"}
DATABASES=${DATABASES:-sqlite}
STUDENTS=${STUDENTS:-20000}
PLACEMENTS=${PLACEMENTS:-40000}
DOCUMENTS=${DOCUMENTS:-100000}
CONNS=${CONNS:-50}
SECS=${SECS:-10}
OUT=${OUT:-bench/results/server-scale.jsonl}
WORK=${WORK:-/tmp/server-bench}
PORT=${PORT:-18080}
HELLO_PORT=${HELLO_PORT:-18081}
PG_URL=${PG_URL:-}

mkdir -p "$WORK" "$(dirname "$OUT")"
# The build that seeds (its `seed-demo` and `examples/bench_seed`): the first variant's, or
# SEED_DIR's. Seed with the oldest build compared: each variant migrates its own copy forward,
# and an older build refuses a store that a newer one has migrated.
first_dir=${VARIANTS%% *}; first_dir=${first_dir#*=}
seed_dir=${SEED_DIR:-$first_dir}
last_dir=${VARIANTS##* }; last_dir=${last_dir#*=}
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

log() { echo "[$(date +%T)] $*" >&2; }

wait_up() { # wait_up PORT PATH
  for _ in $(seq 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/$2" && return 0
    sleep 0.2
  done
  return 1
}

# Waits until process $1 has used under 50 ms of CPU in a second (its start-up sweep is done).
wait_idle() {
  local pid=$1 prev now
  prev=$(awk '{print $14+$15}' "/proc/$pid/stat")
  for _ in $(seq 600); do
    sleep 1
    now=$(awk '{print $14+$15}' "/proc/$pid/stat")
    [ $((now - prev)) -lt 5 ] && return 0
    prev=$now
  done
}

url_for() { case $1 in sqlite) echo "sqlite://$WORK/$2.db" ;; postgres) echo "$PG_URL/$2" ;; esac; }
copy_db() { # copy_db DB FROM TO
  case $1 in
    sqlite) rm -f "$WORK/$3.db"*; cp "$WORK/$2.db" "$WORK/$3.db" ;;
    postgres) psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $3" -c "CREATE DATABASE $3 TEMPLATE $2" ;;
  esac
}
drop_db() {
  case $1 in
    sqlite) rm -f "$WORK/$2.db"* ;;
    postgres) psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $2" ;;
  esac
}

settle_mail() { # settle_mail DB URL
  local sql="UPDATE mail_queue SET sent_at = next_attempt_at WHERE sent_at IS NULL"
  case $1 in
    sqlite) python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30); c.execute(sys.argv[2]); c.commit()" "${2#sqlite://}" "$sql" ;;
    postgres) psql -q "$2" -c "$sql" ;;
  esac
}

record() { # record DB VARIANT WHAT JSON
  echo "{\"database\": \"$1\", \"variant\": \"$2\", \"what\": \"$3\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"result\": $4}" | tee -a "$OUT"
}

# wrk's report as JSON: requests a second, p50/p99 latency in ms, and the answers not 2xx/3xx.
wrk_json() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /requests in/ { n = $1 }
    END { printf "{\"requests_per_second\": %s, \"p50_ms\": %s, \"p99_ms\": %s, \"requests\": %s, \"not_2xx\": %d}\n", rps, p50, p99, n, bad }'
}

load() { # load DB VARIANT WHAT PATH [wrk options...]
  local db=$1 variant=$2 what=$3 path=$4; shift 4
  # ONLY (an extended regular expression) keeps the rows whose name matches it.
  if [ -n "${ONLY:-}" ] && ! [[ "$what" =~ $ONLY ]]; then return 0; fi
  record "$db" "$variant" "$what" "$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" "http://127.0.0.1:$PORT$path" | wrk_json)"
}

for db in $DATABASES; do
  seed=bench_seed_$db; drop_db "$db" "$seed"
  [ "$db" = postgres ] && psql -q "$PG_URL/postgres" -c "CREATE DATABASE $seed"
  url=$(url_for "$db" "$seed")
  log "$db: seeding the demo, then $STUDENTS students, $PLACEMENTS placements, $DOCUMENTS documents"
  rm -rf "$WORK/data-seed"
  "$seed_dir/practicum" seed-demo --data-dir "$WORK/data-seed" --database "$url" >/dev/null 2>&1
  start=$(date +%s.%N)
  "$seed_dir/examples/bench_seed" "$url" "$STUDENTS" "$PLACEMENTS" "$DOCUMENTS"
  record "$db" seed seed "{\"seconds\": $(echo "$(date +%s.%N) - $start" | bc)}"
  # A store as a running office's is: vacuumed and its statistics gathered (autovacuum does it
  # within minutes of a bulk load). Otherwise the variant served first meets autovacuum's
  # work and plans without statistics during its loads, and the others do not.
  [ "$db" = postgres ] && psql -q "$url" -c "VACUUM ANALYZE"

  hello_done=""
  for v in $VARIANTS; do
    name=${v%%=*}; dir=${v#*=}; copy=bench_${name}_$db
    copy_db "$db" "$seed" "$copy"
    url=$(url_for "$db" "$copy")
    log "$db/$name: serving"
    rm -rf "$WORK/data-$name"
    started=$(date +%s.%N)
    RUST_LOG=warn "$dir/practicum" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data-$name" \
      --database "$url" >"$WORK/serve-$name-$db.log" 2>&1 &
    server=$!; PIDS+=("$server")
    wait_up "$PORT" login
    record "$db" "$name" "start-up to first answer" "{\"seconds\": $(echo "$(date +%s.%N) - $started" | bc | sed "s/^\./0./")}"
    wait_idle "$server"
    # Statistics for what this build's migrations added (an index, a column).
    [ "$db" = postgres ] && psql -q "$url" -c "ANALYZE"
    # The start-up sweep queues a reminder for each lapsing requirement (about 15,000 in the
    # seeded store) and the mail worker sends them a batch at a time, one commit each, for
    # minutes: each commit makes what the server keeps stale (db::recent). A real office's
    # queue is sent as it fills, so the backlog is marked sent here, through another
    # connection, before the loads; the loads "while the office writes" measure writes.
    settle_mail "$db" "$url"
    token=""
    for _ in $(seq 20); do
      token=$(curl -s "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
        -d '{"email":"admin@demo.practicum.test","password":"practicum-demo"}' | sed -n 's/^{"token":"\([^"]*\)".*/\1/p')
      [ -n "$token" ] && break
      sleep 1
    done
    auth=(-H "authorization: Bearer $token")
    curl -fs "http://127.0.0.1:$PORT/api/v1/students?limit=50" "${auth[@]}" >"$WORK/page.json"
    school=$(sed -n 's/.*"school_id":"\([^"]*\)".*/\1/p' "$WORK/page.json" | head -1)
    program=$(sed -n 's/.*"program_id":"\([^"]*\)".*/\1/p' "$WORK/page.json" | head -1)
    cursor=$(sed -n 's/.*"next_cursor":"\([^"]*\)".*/\1/p' "$WORK/page.json")

    if [ -z "$hello_done" ]; then
      "$last_dir/examples/bench_hello" "127.0.0.1:$HELLO_PORT" "$WORK/page.json" &
      hello=$!; PIDS+=("$hello")
      wait_up "$HELLO_PORT" ""
      record "$db" hello "hello-world axum, the same JSON page ($(wc -c <"$WORK/page.json") bytes)" \
        "$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$HELLO_PORT/" | wrk_json)"
      kill "$hello"; wait "$hello" 2>/dev/null || true
      hello_done=1
    fi

    load "$db" "$name" "students, 50 a page" "/api/v1/students?limit=50" "${auth[@]}"
    load "$db" "$name" "students, a later page" "/api/v1/students?limit=50&cursor=$cursor" "${auth[@]}"
    load "$db" "$name" "students, name search (common: tanaka)" "/api/v1/students?limit=50&q=tanaka" "${auth[@]}"
    load "$db" "$name" "students, name search (rare: müller42)" "/api/v1/students?limit=50&q=m%C3%BCller42" "${auth[@]}"
    load "$db" "$name" "students, name search, each one new" "/api/v1/students" "${auth[@]}" -s bench/lua/new_search.lua
    load "$db" "$name" "students, name search for someone there, each one new" "/api/v1/students" "${auth[@]}" -s bench/lua/new_name_search.lua
    load "$db" "$name" "students, enrolled at one school" "/api/v1/students?limit=50&status=enrolled&school_id=$school" "${auth[@]}"
    load "$db" "$name" "placement requests, 50 a page" "/api/v1/placement-requests?limit=50" "${auth[@]}"
    load "$db" "$name" "placement requests, submitted" "/api/v1/placement-requests?limit=50&status=submitted" "${auth[@]}"
    load "$db" "$name" "placements, 50 a page" "/api/v1/placements?limit=50" "${auth[@]}"
    load "$db" "$name" "placements, confirmed" "/api/v1/placements?limit=50&status=confirmed" "${auth[@]}"
    load "$db" "$name" "documents (review queue), 50 a page" "/api/v1/documents?limit=50" "${auth[@]}"
    load "$db" "$name" "documents, verified" "/api/v1/documents?limit=50&status=verified" "${auth[@]}"
    # Each list walked page after page at sizes from 40 to 60 (bench/lua/walk_pages.lua): no
    # page is asked twice, so none is served from what was kept; what a full page costs.
    for list in students placement-requests placements documents; do
      load "$db" "$name" "$list, page after page (never kept)" "/api/v1/$list" "${auth[@]}" -s bench/lua/walk_pages.lua
    done
    # The same lists while the office writes (WRITES_PER_SECOND students created by a second
    # client): every committed write makes the views and sessions kept so far stale
    # (db::recent), so this is what the caches give a busy office, not a quiet one.
    if [ "${WRITES_PER_SECOND:-10}" -gt 0 ]; then
      writer() {
        local i=0
        while :; do
          # Renamed into place: read while written, a file truncated then filled could read as
          # nothing (run 26 recorded an empty count, which is not JSON).
          i=$((i + 1)); echo "$i" >"$WORK/writes.next"; mv "$WORK/writes.next" "$WORK/writes"
          curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/students" "${auth[@]}" -H 'content-type: application/json' \
            -d "{\"school_id\":\"$school\",\"program_id\":\"$program\",\"first_name\":\"Busy\",\"last_name\":\"Office\",\"email\":\"w$i-$RANDOM@bench.practicum.test\"}"
          sleep "$(echo "scale=3; 1 / ${WRITES_PER_SECOND:-10}" | bc)"
        done
      }
      echo 0 >"$WORK/writes"; wstart=$(date +%s.%N)
      writer & wpid=$!; PIDS+=("$wpid")
      w="while ${WRITES_PER_SECOND:-10} writes/s"
      load "$db" "$name" "students, 50 a page, $w" "/api/v1/students?limit=50" "${auth[@]}"
      # Each write makes the listing kept whole stale (db::listings): the walk's worst case.
      load "$db" "$name" "students, page after page, $w" "/api/v1/students" "${auth[@]}" -s bench/lua/walk_pages.lua
      load "$db" "$name" "placement requests, submitted, $w" "/api/v1/placement-requests?limit=50&status=submitted" "${auth[@]}"
      load "$db" "$name" "placements, confirmed, $w" "/api/v1/placements?limit=50&status=confirmed" "${auth[@]}"
      # A new student is none of a placement's facts (migration 0039): what the placements
      # lists kept stays through these writes (Db::placement_generation), where before every
      # write made the whole walk cold again.
      load "$db" "$name" "placements, page after page, $w" "/api/v1/placements" "${auth[@]}" -s bench/lua/walk_pages.lua
      kill "$wpid"; wait "$wpid" 2>/dev/null || true
      writes=$(cat "$WORK/writes" 2>/dev/null); writes=${writes:-0}
      record "$db" "$name" "writes made during those loads" \
        "{\"writes\": $writes, \"per_second\": $(echo "scale=1; $writes / ($(date +%s.%N) - $wstart)" | bc)}"
    fi
    SCHOOL=$school PROGRAM=$program load "$db" "$name" "create a student (POST)" "/api/v1/students" \
      "${auth[@]}" -s bench/lua/create_student.lua
    record "$db" "$name" "resident memory after the load" "{\"kib\": $(awk '/VmRSS/{print $2}' "/proc/$server/status")}"

    kill "$server"; wait "$server" 2>/dev/null || true
    drop_db "$db" "$copy"; rm -rf "$WORK/data-$name"
  done
  drop_db "$db" "$seed"; rm -rf "$WORK/data-seed"
done
log "done: $OUT"
