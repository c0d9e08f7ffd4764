#!/usr/bin/env python3
"""An independent checker of ALLOCATION.md's six hard rules and its objective, in plain Python.

    python3 bench/check.py problem.json solution.json

A second opinion beside `practicum check` (written separately, from the contract alone): exit 0
and print `feasible, objective X` when every rule holds, exit 1 listing the broken rules. The
benchmark runs both and flags any disagreement. Standard library only.

Fixed load already over a department's capacity (or a preceptor's max_students) in some week is
not the solution's fault: only a week where the solution adds students *and* the total exceeds
the limit is a violation (the same reading as `practicum check`).
"""
import json
import sys
from collections import Counter, defaultdict


def check(problem, solution):
    errors = []
    W = problem["weeks"]
    depts = {d["id"]: d for d in problem["departments"]}
    precs = {p["id"]: p for p in problem["preceptors"]}
    reqs = {r["id"]: r for r in problem["requests"]}
    fixed_d = Counter()
    fixed_p = Counter()
    for f in problem.get("fixed", []):
        for w in range(f["start"], f["start"] + f["weeks"]):
            fixed_d[(f["department"], w)] += 1
            if f.get("preceptor"):
                fixed_p[(f["preceptor"], w)] += 1
    load_d = Counter()
    load_p = Counter()
    per_req = defaultdict(list)
    for i, a in enumerate(solution.get("assignments", [])):
        where = f"assignment {i} (request {a.get('request')})"
        r = reqs.get(a.get("request"))
        d = depts.get(a.get("department"))
        if r is None:
            errors.append(f"rule 1: {where}: unknown request")
            continue
        if d is None:
            errors.append(f"rule 1: {where}: unknown department {a.get('department')}")
            continue
        per_req[r["id"]].append(a)
        weights = {o["department"]: o["weight"] for o in r["options"]}
        if d["id"] not in weights:
            errors.append(f"rule 2: {where}: {d['id']} is not an option")
        if r["discipline"] not in d["disciplines"]:
            errors.append(f"rule 2: {where}: {d['id']} does not list {r['discipline']}")
        s = a.get("start")
        if not isinstance(s, int) or s < r["earliest_start"] or s > r["latest_start"] or s + r["weeks"] > W or s < 0:
            errors.append(f"rule 3: {where}: start {s} outside its window")
            continue
        occupied = range(s, s + r["weeks"])
        pid = a.get("preceptor")
        if r["kind"] == "clinical":
            p = precs.get(pid)
            if p is None:
                errors.append(f"rule 4: {where}: clinical without a known preceptor ({pid})")
            else:
                if p["department"] != d["id"]:
                    errors.append(f"rule 4: {where}: {pid} is not in {d['id']}")
                if p["discipline"] != r["discipline"]:
                    errors.append(f"rule 4: {where}: {pid} does not teach {r['discipline']}")
                if set(p.get("unavailable_weeks", [])) & set(occupied):
                    errors.append(f"rule 4: {where}: {pid} is unavailable during it")
                for w in occupied:
                    load_p[(pid, w)] += 1
        elif pid is not None:
            errors.append(f"rule 4: {where}: an internship with a preceptor")
        for w in occupied:
            load_d[(d["id"], w)] += 1
    for rid, assigned in per_req.items():
        r = reqs[rid]
        if len(assigned) > r["students"]:
            errors.append(f"rule 1: request {rid}: {len(assigned)} assignments for {r['students']} students")
        if r.get("together") and (len(assigned) != r["students"]
                                  or len({(a["department"], a["start"]) for a in assigned}) != 1):
            errors.append(f"rule 6: request {rid}: a cohort not placed whole in one department and start")
    for (did, w), n in load_d.items():
        if n + fixed_d[(did, w)] > depts[did]["capacity"]:
            errors.append(f"rule 5: department {did} week {w}: {n} + {fixed_d[(did, w)]} fixed > capacity")
    for (pid, w), n in load_p.items():
        if n + fixed_p[(pid, w)] > precs[pid]["max_students"]:
            errors.append(f"rule 5: preceptor {pid} week {w}: {n} + {fixed_p[(pid, w)]} fixed > max_students")
    pinned = Counter((a["request"], a["department"], a.get("preceptor"), a["start"])
                     for a in problem.get("pins", []))
    got = Counter((a.get("request"), a.get("department"), a.get("preceptor"), a.get("start"))
                  for a in solution.get("assignments", []))
    for key, n in pinned.items():
        if got[key] < n:
            errors.append(f"pins: {key} pinned {n} times, present {got[key]}")
    # Objective.
    total = 0.0
    asked = Counter()
    placed = Counter()
    for r in problem["requests"]:
        asked[r["school"]] += r["students"]
    for rid, assigned in per_req.items():
        r = reqs[rid]
        weights = {o["department"]: o["weight"] for o in r["options"]}
        placed[r["school"]] += len(assigned)
        total += sum(weights.get(a["department"], 0.0) for a in assigned)
    share = min((placed[s] / asked[s] if asked[s] else 0.0) for s in asked) if asked else 0.0
    return errors, total + problem["fairness_weight"] * share


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check.py problem.json solution.json")
    with open(sys.argv[1]) as f:
        problem = json.load(f)
    with open(sys.argv[2]) as f:
        solution = json.load(f)
    errors, objective = check(problem, solution)
    if errors:
        print(f"infeasible: {len(errors)} violation(s)")
        for e in errors[:50]:
            print(f"  {e}")
        sys.exit(1)
    print(f"feasible, objective {objective:.4f} ({len(solution.get('assignments', []))} assignments)")


if __name__ == "__main__":
    main()
