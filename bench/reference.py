#!/usr/bin/env python3
"""Reference solvers for the allocation benchmark: the exact MIP of ALLOCATION.md's model,
solved by HiGHS (highspy) or by CP-SAT (OR-Tools), under a time limit.

    bench/.venv/bin/python bench/reference.py --solver highs --time-limit 300 problem.json --out solution.json

The model, with only the variables that can be used (a department hosting the discipline, a
preceptor of that discipline with room and no leave in the weeks):
  x[r,d,s,p]  students of request r in option d from week s with preceptor p (interns: no p),
              integer 0..students
  z[r,d,s]    a cohort's one (department, start), binary            (together requests only)
  t           the worst-served school's share, 0..1
  max  sum weight(r,d) * x  +  F * t
  s.t. sum_{d,s,p} x[r,...]                 <= students(r)            (rule 1)
       sum_p x[r,d,s,p] = students(r) * z[r,d,s];  sum_{d,s} z[r,..] <= 1   (rule 6)
       students in department d in week w    <= capacity - fixed load (rule 5)
       students with preceptor p in week w   <= max_students - fixed  (rule 5)
       t * asked(school)                     <= placed(school)        (fairness)
       pins: x at least the number of times the assignment is pinned
The solution file gets the solver's own objective and proven bound (`bound`), and `stats`
with the build and solve times. CP-SAT needs integer coefficients: weights are scaled by S (the
smallest of 10, 20, 40, 100, ... that makes every weight and F*S/1000 whole: S = 10 for weights
3, 2, 1, 0.5 and F = 100) and t is an integer T counted in thousandths (a school's constraint
asked * T <= 1000 * placed), so the objective is (S*sum weight*x + (F*S/1000)*T) / S. Its
objective is thus at most 0.1% of F below the true one of the same assignments (the checker
recomputes it), and its bound is reported plus F/1000 to stay a bound for the continuous t.
"""
import argparse
import json
import math
import sys
import time
from collections import defaultdict


def build(problem):
    W = problem["weeks"]
    F = problem["fairness_weight"]
    depts = {d["id"]: d for d in problem["departments"]}
    dept_free = {d["id"]: [d["capacity"]] * W for d in problem["departments"]}
    prec_free = {}
    precs_by = defaultdict(list)
    for p in problem["preceptors"]:
        free = [p["max_students"]] * W
        for w in p.get("unavailable_weeks", []):
            free[w] = 0
        prec_free[p["id"]] = free
        precs_by[(p["department"], p["discipline"])].append(p["id"])
    for f in problem.get("fixed", []):
        for w in range(f["start"], f["start"] + f["weeks"]):
            dept_free[f["department"]][w] -= 1
            if f.get("preceptor"):
                prec_free[f["preceptor"]][w] -= 1
    pins = defaultdict(int)
    for a in problem.get("pins", []):
        pins[(a["request"], a["department"], a["start"], a.get("preceptor"))] += 1
    cols = []  # (request, dept, start, prec, weight)
    cohorts = []  # (request, dept, start, [col indices])
    for r in problem["requests"]:
        n, L = r["students"], r["weeks"]
        for o in r["options"]:
            d = o["department"]
            if r["discipline"] not in depts[d]["disciplines"]:
                continue
            for s in range(r["earliest_start"], r["latest_start"] + 1):
                if s + L > W or min(dept_free[d][s:s + L]) <= 0 and not any(
                        pins.get((r["id"], d, s, p)) for p in [None] + precs_by[(d, r["discipline"])]):
                    continue
                idx = []
                if r["kind"] == "clinical":
                    for p in precs_by[(d, r["discipline"])]:
                        if min(prec_free[p][s:s + L]) > 0 or pins.get((r["id"], d, s, p)):
                            idx.append(len(cols))
                            cols.append((r, d, s, p, o["weight"]))
                else:
                    idx.append(len(cols))
                    cols.append((r, d, s, None, o["weight"]))
                if r.get("together") and idx:
                    cohorts.append((r, d, s, idx))
    return W, F, dept_free, prec_free, pins, cols, cohorts


def rows_of(problem, W, dept_free, prec_free, cols):
    """Capacity rows as {key: [col indices]} with their right-hand sides."""
    by_dw = defaultdict(list)
    by_pw = defaultdict(list)
    by_req = defaultdict(list)
    by_school = defaultdict(list)
    for j, (r, d, s, p, _) in enumerate(cols):
        for w in range(s, s + r["weeks"]):
            by_dw[(d, w)].append(j)
            if p is not None:
                by_pw[(p, w)].append(j)
        by_req[r["id"]].append(j)
        by_school[r["school"]].append(j)
    return by_dw, by_pw, by_req, by_school


def solve_highs(problem, time_limit, threads, log=None):
    import highspy
    import numpy as np
    t0 = time.time()
    W, F, dept_free, prec_free, pins, cols, cohorts = build(problem)
    by_dw, by_pw, by_req, by_school = rows_of(problem, W, dept_free, prec_free, cols)
    asked = defaultdict(int)
    for r in problem["requests"]:
        asked[r["school"]] += r["students"]
    n_x = len(cols)
    n_z = len(cohorts)
    t_col = n_x + n_z
    n = t_col + 1
    cost = np.zeros(n)
    lower = np.zeros(n)
    upper = np.zeros(n)
    for j, (r, d, s, p, w) in enumerate(cols):
        cost[j] = w
        upper[j] = r["students"]
        lower[j] = pins.get((r["id"], d, s, p), 0)
    upper[n_x:n_x + n_z] = 1
    cost[t_col] = F
    upper[t_col] = 1
    rows_lo, rows_hi, starts, index, value = [], [], [], [], []

    def row(idx, coef, lo, hi):
        starts.append(len(index))
        index.extend(idx)
        value.extend(coef)
        rows_lo.append(lo)
        rows_hi.append(hi)

    inf = highspy.kHighsInf
    reqs = {r["id"]: r for r in problem["requests"]}
    for rid, idx in by_req.items():
        row(idx, [1.0] * len(idx), -inf, reqs[rid]["students"])
    per_request_cohorts = defaultdict(list)
    for k, (r, d, s, idx) in enumerate(cohorts):
        row(idx + [n_x + k], [1.0] * len(idx) + [-float(r["students"])], 0.0, 0.0)
        per_request_cohorts[r["id"]].append(n_x + k)
    for rid, zs in per_request_cohorts.items():
        row(zs, [1.0] * len(zs), -inf, 1.0)
        # A cohort's students are all in its one (department, start).
        inside = set()
        for k in zs:
            inside.update(cohorts[k - n_x][3])
        outside = [j for j in by_req[rid] if j not in inside]
        if outside:
            row(outside, [1.0] * len(outside), 0.0, 0.0)
    for (d, w), idx in by_dw.items():
        row(idx, [1.0] * len(idx), -inf, max(0, dept_free[d][w]))
    for (p, w), idx in by_pw.items():
        row(idx, [1.0] * len(idx), -inf, max(0, prec_free[p][w]))
    for sch, a in asked.items():
        idx = by_school.get(sch, [])
        row(idx + [t_col], [-1.0 / a] * len(idx) + [1.0], -inf, 0.0)
    h = highspy.Highs()
    # With a log file HiGHS writes its progress there (its bound over time survives a run
    # that is stopped or dies before it writes the solution).
    h.setOptionValue("output_flag", bool(log))
    if log:
        h.setOptionValue("log_to_console", False)
        h.setOptionValue("log_file", log)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", int(threads))
    h.addVars(n, lower, upper)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.addRows(len(rows_lo), np.array(rows_lo), np.array(rows_hi), len(index),
              np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32), np.array(value))
    integer = np.arange(n_x + n_z, dtype=np.int32)
    h.changeColsIntegrality(len(integer), integer,
                            np.array([highspy.HighsVarType.kInteger] * len(integer)))
    built = time.time() - t0
    h.run()
    solved = time.time() - t0 - built
    info = h.getInfo()
    sol = h.getSolution()
    values = list(sol.col_value) if sol.value_valid else []
    bound = info.mip_dual_bound
    return cols, values, {"solver": "highs", "status": h.modelStatusToString(h.getModelStatus()),
                          "claimed_objective": info.objective_function_value, "bound": bound,
                          "build_seconds": built, "solve_seconds": solved,
                          "variables": n, "rows": len(rows_lo)}


def scale(problem):
    """CP-SAT's integer objective: weights x S and t in steps of 1/K, so the fairness term is
    (F*S/K) * T. The smallest S (of a few) that makes every weight and F*S/K whole; with
    weights 3, 2, 1, 0.5 and F = 100 that is S = 10 (0.5 -> 5, T's coefficient 1)."""
    K = 1000
    F = problem["fairness_weight"]
    weights = {o["weight"] for r in problem["requests"] for o in r["options"]} | {F / K}
    for S in (10, 20, 40, 100, 200, 1000, 10000, 100000):
        if all(abs(w * S - round(w * S)) < 1e-9 for w in weights):
            return S, K, True
    return 100000, K, False  # rounded: the reported bound is then approximate (stats say so)


def solve_cpsat(problem, time_limit, threads):
    from ortools.sat.python import cp_model
    t0 = time.time()
    W, F, dept_free, prec_free, pins, cols, cohorts = build(problem)
    by_dw, by_pw, by_req, by_school = rows_of(problem, W, dept_free, prec_free, cols)
    asked = defaultdict(int)
    for r in problem["requests"]:
        asked[r["school"]] += r["students"]
    S, K, exact = scale(problem)
    m = cp_model.CpModel()
    x = [m.NewIntVar(pins.get((r["id"], d, s, p), 0), r["students"], "") for (r, d, s, p, _) in cols]
    reqs = {r["id"]: r for r in problem["requests"]}
    Sum = cp_model.LinearExpr.Sum  # one flat expression (Python's sum() nests and is slow)
    for rid, idx in by_req.items():
        m.Add(Sum([x[j] for j in idx]) <= reqs[rid]["students"])
    per_request = defaultdict(list)
    for (r, d, s, idx) in cohorts:
        z = m.NewBoolVar("")
        m.Add(Sum([x[j] for j in idx]) == r["students"] * z)
        per_request[r["id"]].append((z, idx))
    for rid, zs in per_request.items():
        m.Add(Sum([z for z, _ in zs]) <= 1)
        inside = {j for _, idx in zs for j in idx}
        outside = [j for j in by_req[rid] if j not in inside]
        if outside:
            m.Add(Sum([x[j] for j in outside]) == 0)
    for (d, w), idx in by_dw.items():
        m.Add(Sum([x[j] for j in idx]) <= max(0, dept_free[d][w]))
    for (p, w), idx in by_pw.items():
        m.Add(Sum([x[j] for j in idx]) <= max(0, prec_free[p][w]))
    T = m.NewIntVar(0, K, "t")
    for sch, a in asked.items():
        idx = by_school.get(sch, [])
        m.Add(a * T <= K * Sum([x[j] for j in idx]))
    t_coef = int(round(F * S / K))
    m.Maximize(cp_model.LinearExpr.WeightedSum(x + [T], [int(round(S * c[4])) for c in cols] + [t_coef]))
    built = time.time() - t0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(threads)
    status = solver.Solve(m)
    solved = time.time() - t0 - built
    ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = [solver.Value(v) for v in x] if ok else []
    # T counts thousandths of the continuous t: allow the rounding when reporting a bound.
    bound = solver.BestObjectiveBound() / S + F / K if ok else None
    return cols, values, {"solver": "cpsat", "status": solver.StatusName(status),
                          "claimed_objective": solver.ObjectiveValue() / S if ok else None,
                          "bound": bound, "build_seconds": built, "solve_seconds": solved,
                          "variables": len(x), "scale": S, "t_resolution": K, "scaling_exact": exact}


def main():
    ap = argparse.ArgumentParser(description="reference solvers for the allocation benchmark")
    ap.add_argument("problem")
    ap.add_argument("--solver", choices=["highs", "cpsat"], required=True)
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--log", help="HiGHS only: write its progress log to this file")
    a = ap.parse_args()
    with open(a.problem) as f:
        problem = json.load(f)
    if a.solver == "highs":
        cols, values, stats = solve_highs(problem, a.time_limit, a.threads, a.log)
    else:
        cols, values, stats = solve_cpsat(problem, a.time_limit, a.threads)
    assignments = []
    for j, v in enumerate(values[:len(cols)]):
        k = int(round(v))
        if k <= 0:
            continue
        r, d, s, p, _ = cols[j]
        for _ in range(k):
            assignments.append({"request": r["id"], "department": d, "preceptor": p, "start": s})
    # No incumbent or no bound yet (a short time limit): HiGHS reports +-inf, which is not JSON.
    for key in ("claimed_objective", "bound"):
        if stats.get(key) is not None and not math.isfinite(stats[key]):
            stats[key] = None
    out = {"format": "practicum-allocation-solution/1", "assignments": assignments,
           "objective": stats.get("claimed_objective") or 0.0, "stats": stats}
    if stats.get("bound") is not None:
        out["bound"] = stats["bound"]
    with open(a.out, "w") as f:
        json.dump(out, f)
    print(json.dumps(stats), file=sys.stderr)


if __name__ == "__main__":
    main()
