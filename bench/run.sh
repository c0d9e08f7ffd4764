#!/usr/bin/env bash
# The allocation benchmark (ALLOCATION.md): every tier solved in one run by `practicum allocate`,
# HiGHS (exact MIP) and CP-SAT (2 workers), each under a time limit; every solution checked by
# `practicum check`; one table of objective, proven bound, gap to the best bound, time and peak
# memory. Not part of CI (the reference solvers need minutes).
#
#   bash bench/run.sh                       # the full run (about 45 minutes on 2 cores)
#   TIERS=hospital REF_TIME_HOSPITAL=30 bash bench/run.sh    # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
TIERS=${TIERS:-"hospital system consortium"}
SEED=${SEED:-1}
OUR_TIME_HOSPITAL=${OUR_TIME_HOSPITAL:-1}
OUR_TIME_SYSTEM=${OUR_TIME_SYSTEM:-10}
OUR_TIME_CONSORTIUM=${OUR_TIME_CONSORTIUM:-60}
REF_TIME_HOSPITAL=${REF_TIME_HOSPITAL:-300}
REF_TIME_SYSTEM=${REF_TIME_SYSTEM:-300}
REF_TIME_CONSORTIUM=${REF_TIME_CONSORTIUM:-600}
OUT=${OUT:-bench/results/allocation.md}
WORK=bench/instances
mkdir -p "$WORK" bench/results

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q highspy ortools
fi
cargo build --release -q -p practicum
BIN=target/release/practicum

# peak RSS (MiB) and wall seconds of a command, from GNU time
measure() { # name logfile command...
  local log=$2; shift 2
  /usr/bin/time -f '%e %M' -o "$log.time" "$@" >"$log.out" 2>"$log" || true
  read -r secs kib < "$log.time"
  echo "$secs $((kib / 1024))"
}

declare -A BEST
rows=()
for tier in $TIERS; do
  upper=${tier^^}
  ours=OUR_TIME_$upper; ref=REF_TIME_$upper
  problem=$WORK/$tier-$SEED.json
  python3 bench/generate.py --tier "$tier" --seed "$SEED" --out "$problem" 2>"$WORK/$tier.shape"
  shape=$(cat "$WORK/$tier.shape")
  for solver in practicum highs cpsat; do
    sol=$WORK/$tier-$SEED.$solver.json
    log=$WORK/$tier-$SEED.$solver.log
    rm -f "$sol"
    case $solver in
      practicum)
        read -r secs mib < <(measure $solver "$log" $BIN allocate "$problem" --time-limit "${!ours}" --seed "$SEED")
        cp "$log.out" "$sol" ;;
      *) read -r secs mib < <(measure $solver "$log" bench/.venv/bin/python bench/reference.py "$problem" --solver $solver --time-limit "${!ref}" --threads 2 --out "$sol") ;;
    esac
    if [ -s "$sol" ] && checked=$($BIN check "$problem" "$sol" 2>/dev/null); then
      objective=$(echo "$checked" | sed -E 's/.*objective ([0-9.]+).*/\1/')
    else
      objective=infeasible
    fi
    bound=$(python3 -c "import json,sys; s=json.load(open('$sol')); print(s.get('bound') if s.get('bound') is not None else '')" 2>/dev/null || true)
    rows+=("$tier|$solver|$objective|${bound:-}|$secs|$mib")
    echo "$tier $solver: objective $objective, bound ${bound:-none}, ${secs} s, ${mib} MiB" >&2
  done
  echo "$tier: $shape" >&2
  BEST[$tier]=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v t="$tier" '$1==t && $4!="" {print $4}' | sort -g | head -1)
done

{
  echo "# Allocation benchmark"
  echo
  echo "Run on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
  echo
  echo "Command: \`TIERS=\"$TIERS\" OUR_TIME_HOSPITAL=$OUR_TIME_HOSPITAL OUR_TIME_SYSTEM=$OUR_TIME_SYSTEM OUR_TIME_CONSORTIUM=$OUR_TIME_CONSORTIUM REF_TIME_HOSPITAL=$REF_TIME_HOSPITAL REF_TIME_SYSTEM=$REF_TIME_SYSTEM REF_TIME_CONSORTIUM=$REF_TIME_CONSORTIUM bash bench/run.sh\` (seed $SEED)."
  echo
  echo "Objective as recomputed by \`practicum check\` (a solution it refuses is *infeasible*); bound as proven by that solver; *% of best bound* is the objective against the lowest bound any solver proved on that instance; time is wall clock including model building; memory is peak RSS."
  echo
  echo "| tier | solver | objective | proven bound | % of best bound | gap to best bound | time (s) | peak memory (MiB) |"
  echo "|---|---|---|---|---|---|---|---|"
  for row in "${rows[@]}"; do
    IFS='|' read -r tier solver objective bound secs mib <<< "$row"
    best=${BEST[$tier]:-}
    if [ "$objective" != infeasible ] && [ -n "$best" ]; then
      pct=$(python3 -c "print(f'{100*$objective/$best:.2f}%')")
      gap=$(python3 -c "print(f'{100*($best-$objective)/$best:.2f}%')")
    else
      pct=-; gap=-
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$tier" "$solver" "$objective" \
      "$( [ -n "$bound" ] && python3 -c "print(f'{float($bound):.2f}')" || echo -)" "$pct" "$gap" "$secs" "$mib"
  done
  echo
  echo "Instances (generator \`bench/generate.py\`, seed $SEED):"
  echo
  for tier in $TIERS; do echo "- $(cat "$WORK/$tier.shape")"; done
} > "$OUT"
cat "$OUT"
