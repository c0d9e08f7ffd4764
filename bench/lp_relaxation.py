#!/usr/bin/env python3
"""The LP relaxation of reference.py's exact model (ALLOCATION.md), solved by HiGHS: the value a
proven bound must at least match (issue 18).

    bench/.venv/bin/python bench/lp_relaxation.py problem.json

Prints one JSON line: the LP value, seconds, and the model's size. The model is reference.py's,
built by the same code, with every integrality dropped.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import highspy  # noqa: E402
import reference  # noqa: E402


def main():
    with open(sys.argv[1]) as f:
        problem = json.load(f)
    highspy.Highs.changeColsIntegrality = lambda self, *a: None  # the relaxation: no integers
    t0 = time.time()
    _, _, stats = reference.solve_highs(problem, 3600, 2)
    print(json.dumps({"lp_value": stats["claimed_objective"], "status": stats["status"],
                      "seconds": round(time.time() - t0, 2), "variables": stats["variables"],
                      "rows": stats["rows"]}))


if __name__ == "__main__":
    main()
