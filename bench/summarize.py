#!/usr/bin/env python3
"""The benchmark's table: reads the rows `run.sh` appended (one JSON object per solve) and writes
the markdown table (`--md`) and the raw results (`--json`). Standard library only.

    python3 bench/summarize.py ROWS.jsonl --md results/allocation.md --json results/allocation.json \
        --command "..." --seed 1

The gap is measured against the lowest upper bound any solver proved on the instance (ours
included). A bound below an objective that `practicum check` accepted cannot be a valid upper
bound and is flagged.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess


def fmt(v, digits=2):
    return "-" if v is None else f"{v:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows")
    ap.add_argument("--md", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--command", default="")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--shapes", nargs="*", default=[])
    a = ap.parse_args()
    with open(a.rows) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    tiers = []
    for r in rows:
        if r["tier"] not in tiers:
            tiers.append(r["tier"])
    warnings = []
    for t in tiers:
        mine = [r for r in rows if r["tier"] == t]
        bounds = [r["bound"] for r in mine if r.get("bound") is not None]
        best_bound = min(bounds) if bounds else None
        feasible = [r["objective"] for r in mine if r.get("objective") is not None]
        best_obj = max(feasible) if feasible else None
        for r in mine:
            r["best_bound"] = best_bound
            r["best_objective"] = best_obj
            obj = r.get("objective")
            r["pct_of_best_bound"] = 100 * obj / best_bound if obj is not None and best_bound else None
            r["gap_to_best_bound"] = 100 * (best_bound - obj) / best_bound if obj is not None and best_bound else None
            if r.get("bound") is not None and best_obj is not None and r["bound"] < best_obj - 1e-6:
                warnings.append(f"{t}: {r['solver']}'s bound {r['bound']:.4f} is below a checked objective "
                                f"{best_obj:.4f}: not a valid bound")
            if r.get("crosscheck") == "disagrees":
                warnings.append(f"{t}: {r['solver']}: `practicum check` and `bench/check.py` disagree "
                                f"({r.get('check_output')!r} vs {r.get('crosscheck_output')!r})")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    machine = {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
               "python": platform.python_version()}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Allocation benchmark", "",
             f"Run {now} at commit `{commit}` on {machine['nproc']} cores ({cpu}).", "",
             f"Command: `{a.command}` (seed {a.seed}).", "",
             "Objective as recomputed by `practicum check` (a solution it refuses is *infeasible*; "
             "`bench/check.py` recomputes it independently and must agree); bound as proven by that solver "
             "(CP-SAT's converted back from its integer scaling); *% of best bound* and *gap* are against "
             "the lowest bound any solver proved on that instance; time is wall clock of the whole process "
             "(model building included; *build* is the reference solvers' model building alone); *own gap* is "
             "(own bound - objective) / own bound; *to 1%* is when our plan first came within 1% of its final "
             "objective (our solver's `stats.seconds_to_within_1pct`); memory is peak RSS.", "",
             "| tier | solver | objective | proven bound | own gap | % of best bound | gap to best bound | status | "
             "time (s) | to 1% (s) | build (s) | peak memory (MiB) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        obj = "infeasible" if r.get("objective") is None else f"{r['objective']:.2f}"
        pct = "-" if r["pct_of_best_bound"] is None else f"{r['pct_of_best_bound']:.2f}%"
        gap = "-" if r["gap_to_best_bound"] is None else f"{r['gap_to_best_bound']:.2f}%"
        stats = r.get("stats") or {}
        own = r.get("bound")
        own_gap = (f"{100 * (own - r['objective']) / own:.2f}%"
                   if own and r.get("objective") is not None else "-")
        lines.append(f"| {r['tier']} | {r['solver']} | {obj} | {fmt(r.get('bound'))} | {own_gap} | {pct} | {gap} | "
                     f"{stats.get('status', '-')} | {fmt(r.get('seconds'))} | "
                     f"{fmt(stats.get('seconds_to_within_1pct'))} | {fmt(stats.get('build_seconds'))} | "
                     f"{r.get('peak_mib', '-')} |")
    if a.shapes:
        lines += ["", f"Instances (`bench/generate.py`, seed {a.seed}):", ""]
        lines += [f"- {s}" for s in a.shapes]
    if warnings:
        lines += ["", "**Warnings:**", ""] + [f"- {w}" for w in warnings]
    text = "\n".join(lines) + "\n"
    with open(a.md, "w") as f:
        f.write(text)
    with open(a.json, "w") as f:
        json.dump({"date": now, "commit": commit, "machine": machine, "command": a.command, "seed": a.seed,
                   "rows": rows, "warnings": warnings}, f, indent=1)
    print(text, end="")


if __name__ == "__main__":
    main()
