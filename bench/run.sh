#!/usr/bin/env bash
# The allocation benchmark (ALLOCATION.md): every tier solved in one run by `practicum allocate`,
# HiGHS (exact MIP) and CP-SAT (2 workers), each under a time limit; every solution checked by
# `practicum check` (and cross-checked by bench/check.py); one table of objective, proven bound,
# gap to the best bound, time and peak memory. Not part of CI (the reference solvers need minutes).
#
#   bash bench/run.sh                       # the full run (about 45 minutes on 2 cores)
#   TIERS=hospital REF_TIME_HOSPITAL=30 bash bench/run.sh    # a quick look
#   SOLVERS="practicum highs" bash bench/run.sh              # a subset of the solvers
#   TIERS="hospital-hard system-hard consortium-hard" bash bench/run.sh   # the hard regime (issue 18)
set -euo pipefail
cd "$(dirname "$0")/.."
TIERS=${TIERS:-"hospital system consortium"}
SOLVERS=${SOLVERS:-"practicum highs cpsat"}
SEED=${SEED:-1}
OUR_TIME_HOSPITAL=${OUR_TIME_HOSPITAL:-1}
OUR_TIME_SYSTEM=${OUR_TIME_SYSTEM:-10}
OUR_TIME_CONSORTIUM=${OUR_TIME_CONSORTIUM:-60}
REF_TIME_HOSPITAL=${REF_TIME_HOSPITAL:-300}
REF_TIME_SYSTEM=${REF_TIME_SYSTEM:-300}
REF_TIME_CONSORTIUM=${REF_TIME_CONSORTIUM:-600}
# The hard regime (issue 18): 10 / 30 / 60 s for us; the reference solvers 300 / 300 / 1200 s.
OUR_TIME_HOSPITAL_HARD=${OUR_TIME_HOSPITAL_HARD:-10}
OUR_TIME_SYSTEM_HARD=${OUR_TIME_SYSTEM_HARD:-30}
OUR_TIME_CONSORTIUM_HARD=${OUR_TIME_CONSORTIUM_HARD:-60}
REF_TIME_HOSPITAL_HARD=${REF_TIME_HOSPITAL_HARD:-300}
REF_TIME_SYSTEM_HARD=${REF_TIME_SYSTEM_HARD:-300}
REF_TIME_CONSORTIUM_HARD=${REF_TIME_CONSORTIUM_HARD:-1200}
OUT=${OUT:-bench/results/allocation.md}
JSON_OUT=${JSON_OUT:-${OUT%.md}.json}
WORK=${WORK:-bench/instances}   # instances, solutions and logs (git ignores bench/instances)
mkdir -p "$WORK" "$(dirname "$OUT")"
COMMAND="TIERS=\"$TIERS\" SOLVERS=\"$SOLVERS\" SEED=$SEED"
for tier in $TIERS; do
  upper=${tier^^}; upper=${upper//-/_}
  ours=OUR_TIME_$upper; ref=REF_TIME_$upper
  COMMAND="$COMMAND $ours=${!ours} $ref=${!ref}"
done
COMMAND="$COMMAND bash bench/run.sh"

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q highspy ortools
fi
cargo build --release -q -p practicum
BIN=target/release/practicum
ROWS=$WORK/rows-$SEED.jsonl
: > "$ROWS"

# wall seconds and peak RSS (MiB) of a command, from GNU time (-v gives the same numbers, wordier)
measure() { # logfile command...
  local log=$1; shift
  /usr/bin/time -f '%e %M' -o "$log.time" "$@" >"$log.out" 2>"$log" || true
  # the last line: a command killed by a signal gets a note above it
  read -r secs kib < <(tail -n 1 "$log.time") || true
  echo "${secs:-0} $(( ${kib:-0} / 1024 ))"
}

shapes=()
for tier in $TIERS; do
  upper=${tier^^}; upper=${upper//-/_}
  ours=OUR_TIME_$upper; ref=REF_TIME_$upper
  problem=$WORK/$tier-$SEED.json
  start=$(date +%s.%N)
  python3 bench/generate.py --tier "$tier" --seed "$SEED" --out "$problem" 2>"$WORK/$tier-$SEED.shape"
  echo "$tier: generated in $(python3 -c "print(f'{$(date +%s.%N)-$start:.1f}')") s: $(cat "$WORK/$tier-$SEED.shape")" >&2
  shapes+=("$(cat "$WORK/$tier-$SEED.shape")")
  for solver in $SOLVERS; do
    sol=$WORK/$tier-$SEED.$solver.json
    log=$WORK/$tier-$SEED.$solver.log
    rm -f "$sol"
    case $solver in
      practicum)
        read -r secs mib < <(measure "$log" $BIN allocate "$problem" --time-limit "${!ours}" --seed "$SEED")
        cp "$log.out" "$sol" ;;
      highs|cpsat)
        read -r secs mib < <(measure "$log" bench/.venv/bin/python bench/reference.py "$problem" --solver $solver --time-limit "${!ref}" --threads 2 --out "$sol") ;;
      *) echo "unknown solver $solver" >&2; exit 2 ;;
    esac
    checked=$($BIN check "$problem" "$sol" 2>/dev/null | head -n 1) || true
    cross=$(python3 bench/check.py "$problem" "$sol" 2>/dev/null | head -n 1) || true
    python3 - "$tier" "$solver" "$sol" "$secs" "$mib" "$checked" "$cross" >> "$ROWS" <<'PY'
import json, re, sys
tier, solver, sol, secs, mib, checked, cross = sys.argv[1:]
def objective(line):
    m = re.match(r"feasible, objective (-?[0-9.]+)", line)
    return float(m.group(1)) if m else None
try:
    with open(sol) as f:
        s = json.load(f)
except Exception:
    s = {}
ours, theirs = objective(checked), objective(cross)
agree = (ours is None) == (theirs is None) and (ours is None or abs(ours - theirs) < 1e-3)
print(json.dumps({"tier": tier, "solver": solver, "objective": ours, "bound": s.get("bound"),
                  "claimed_objective": s.get("objective"), "seconds": float(secs), "peak_mib": int(mib),
                  "check_output": checked, "crosscheck": "agrees" if agree else "disagrees",
                  "crosscheck_output": cross, "assignments": len(s.get("assignments", [])),
                  "stats": s.get("stats")}))
PY
    tail -n 1 "$ROWS" | python3 -c "import json,sys; r=json.load(sys.stdin); print(f\"{r['tier']} {r['solver']}: objective {r['objective'] if r['objective'] is not None else 'infeasible'}, bound {r['bound']}, {r['seconds']} s, {r['peak_mib']} MiB, cross-check {r['crosscheck']}\")" >&2
  done
done

python3 bench/summarize.py "$ROWS" --md "$OUT" --json "$JSON_OUT" --command "$COMMAND" --seed "$SEED" --shapes "${shapes[@]}"
