#!/usr/bin/env python3
"""Seeded allocation instances in the shape of ALLOCATION.md's tiers.

    python3 bench/generate.py --tier hospital --seed 1 > hospital.json

The shape follows what education offices see: a few large schools and many small ones
(Zipf-like), each discipline hosted by a few departments per site, popular departments
asked for 1.3-1.8x what they can give, preceptors scarcer than seats, about 10% of requests
as cohorts that arrive together, start windows of a few weeks, some preceptor leave, and a
little load already accepted. Only the standard library; the same seed gives the same file.
"""
import argparse
import json
import random
import sys

TIERS = {
    # sites, departments, preceptors, students, schools
    "hospital": (1, 40, 150, 400, 25),
    "system": (4, 120, 600, 2000, 80),
    "consortium": (50, 1500, 6000, 20000, 600),
}
# The hard regime (issue 18): the same sizes, but demand set per department against what it can
# really give (popular ones 1.3-1.8x, the rest near 1), a few large schools and a long tail of
# schools sending 1-5 students, and the fairness weight one unit per requested student.
# More preceptors and seats than the easy tiers, so that the students asked come near the tiers' sizes.
HARD = {"hospital-hard": (1, 40, 220, 400, 50), "system-hard": (4, 120, 1300, 2000, 160),
        "consortium-hard": (50, 1500, 13000, 20000, 1200)}
LENGTHS = [4, 4, 6, 6, 8, 8, 10, 12]
DISCIPLINES = ["RAD", "RT", "PT", "OT", "SLP", "MLS", "RN", "PHARM", "DIET", "SONO", "SURG", "RESP",
               "NUC", "PA", "EMS", "HIM"]
WEEKS = 16


def generate(tier, seed):
    rng = random.Random(f"{tier}:{seed}")
    n_sites, n_depts, n_precs, n_students, n_schools = TIERS[tier]
    # Departments: spread over sites; each hosts one to three disciplines.
    departments = []
    for i in range(n_depts):
        site = i % n_sites
        k = rng.choices([1, 2, 3], weights=[5, 3, 1])[0]
        hosted = sorted(rng.sample(DISCIPLINES, k))
        departments.append({"id": f"D{i + 1}", "site": site, "capacity": rng.choice([2, 3, 3, 4, 4, 5, 6, 8]),
                            "disciplines": hosted})
    # Preceptors: scarcer than seats, each in a department and one of its disciplines.
    preceptors = []
    for i in range(n_precs):
        d = departments[rng.randrange(n_depts)]
        unavailable = []
        if rng.random() < 0.10:
            start = rng.randrange(WEEKS)
            unavailable = list(range(start, min(WEEKS, start + rng.choice([1, 2, 3]))))
        preceptors.append({"id": f"P{i + 1}", "department": d["id"], "discipline": rng.choice(d["disciplines"]),
                           "max_students": rng.choices([1, 2], weights=[3, 1])[0], "unavailable_weeks": unavailable})
    # Who can teach what where: departments with at least one preceptor per discipline.
    teach = {}
    for p in preceptors:
        teach.setdefault((p["department"], p["discipline"]), 0)
        teach[(p["department"], p["discipline"])] += p["max_students"]
    by_site_disc = {}
    for d in departments:
        for disc in d["disciplines"]:
            by_site_disc.setdefault((d["site"], disc), []).append(d)
    # Popularity: some departments are asked for much more than others.
    popularity = {d["id"]: rng.paretovariate(1.5) for d in departments}
    # Schools: Zipf-like sizes.
    sizes = [1.0 / (k + 1) ** 1.1 for k in range(n_schools)]
    total = sum(sizes)
    quotas = [max(1, round(n_students * s / total)) for s in sizes]
    requests = []
    rid = 0
    keys = sorted(by_site_disc)
    for s, quota in enumerate(quotas):
        school = f"S{s + 1}"
        home = rng.randrange(n_sites)
        placed = 0
        while placed < quota:
            # A school mostly asks at its home site.
            site = home if rng.random() < 0.8 else rng.randrange(n_sites)
            options_here = [k for k in keys if k[0] == site]
            if not options_here:
                continue
            disc_key = rng.choice(options_here)
            disc = disc_key[1]
            hosts = by_site_disc[disc_key]
            together = rng.random() < 0.10
            students = rng.randint(2, 6) if together else rng.choices([1, 2, 3, 4], weights=[5, 3, 1, 1])[0]
            students = min(students, quota - placed) if not together else students
            length = rng.choice([4, 4, 6, 6, 8, 8, 10, 12])
            earliest = rng.randrange(0, WEEKS - length + 1)
            window = rng.choice([0, 0, 1, 2, 2, 3, 4])
            latest = min(WEEKS - length, earliest + window)
            kind = "internship" if rng.random() < 0.1 else "clinical"
            ranked = sorted(hosts, key=lambda d: -popularity[d["id"]] * rng.random())
            choices = ranked[:rng.choice([1, 2, 3])]
            options = [{"department": d["id"], "weight": w} for d, w in zip(choices, [3, 2, 1])]
            chosen = {d["id"] for d in choices}
            options += [{"department": d["id"], "weight": 0.5} for d in hosts if d["id"] not in chosen]
            rid += 1
            requests.append({"id": f"R{rid}", "school": school, "discipline": disc, "kind": kind,
                             "students": students, "weeks": length, "earliest_start": earliest,
                             "latest_start": latest, "together": together, "options": options})
            placed += students
    # Accepted load: about 5% of seat-weeks, with a preceptor where one is free.
    fixed, _, _ = accepted_load(rng, departments, preceptors, 0.05)
    for d in departments:
        del d["site"]
    return {"format": "practicum-allocation/1", "weeks": WEEKS, "fairness_weight": 100.0,
            "departments": departments, "preceptors": preceptors, "requests": requests, "fixed": fixed}


def structure(rng, n_sites, n_depts, n_precs, capacities):
    """Departments and preceptors as in the easy tiers (the same draws in the same order)."""
    departments = []
    for i in range(n_depts):
        site = i % n_sites
        k = rng.choices([1, 2, 3], weights=[5, 3, 1])[0]
        hosted = sorted(rng.sample(DISCIPLINES, k))
        departments.append({"id": f"D{i + 1}", "site": site, "capacity": rng.choice(capacities),
                            "disciplines": hosted})
    preceptors = []
    for i in range(n_precs):
        d = departments[rng.randrange(n_depts)]
        unavailable = []
        if rng.random() < 0.10:
            start = rng.randrange(WEEKS)
            unavailable = list(range(start, min(WEEKS, start + rng.choice([1, 2, 3]))))
        preceptors.append({"id": f"P{i + 1}", "department": d["id"], "discipline": rng.choice(d["disciplines"]),
                           "max_students": rng.choices([1, 2], weights=[3, 1])[0], "unavailable_weeks": unavailable})
    return departments, preceptors


def accepted_load(rng, departments, preceptors, share):
    """Accepted placements on about `share` of the seat-weeks, within capacity."""
    fixed = []
    seat_weeks = sum(d["capacity"] for d in departments) * WEEKS
    used = 0
    prec_by_dept = {}
    for p in preceptors:
        prec_by_dept.setdefault(p["department"], []).append(p)
    dept_load = {d["id"]: [0] * WEEKS for d in departments}
    prec_load = {p["id"]: [0] * WEEKS for p in preceptors}
    attempts = 0
    while used < share * seat_weeks and attempts < 100000:
        attempts += 1
        d = rng.choice(departments)
        length = rng.choice([4, 6, 8])
        start = rng.randrange(0, WEEKS - length + 1)
        weeks = range(start, start + length)
        # Accepted placements respect capacity, as approval made sure they did.
        if any(dept_load[d["id"]][w] >= d["capacity"] for w in weeks):
            continue
        entry = {"department": d["id"], "start": start, "weeks": length}
        precs = [p for p in prec_by_dept.get(d["id"], [])
                 if all(prec_load[p["id"]][w] < p["max_students"] and w not in p["unavailable_weeks"] for w in weeks)]
        if precs and rng.random() < 0.7:
            p = rng.choice(precs)
            entry["preceptor"] = p["id"]
            for w in weeks:
                prec_load[p["id"]][w] += 1
        for w in weeks:
            dept_load[d["id"]][w] += 1
        fixed.append(entry)
        used += length
    return fixed, dept_load, prec_load


def generate_hard(tier, seed):
    """The hard regime: every (department, discipline) is asked for a set multiple of what it
    can give in student-weeks after the accepted load (the smaller of its share of the seats and
    its preceptors' slots): the popular third 1.3-1.8x, the rest 0.95-1.15x. Schools: a few
    large ones (Zipf) with about 60% of the students, and a long tail each sending 1-5."""
    rng = random.Random(f"{tier}:{seed}")
    n_sites, n_depts, n_precs, _, n_schools = HARD[tier]
    departments, preceptors = structure(rng, n_sites, n_depts, n_precs, [3, 4, 5, 6, 6, 8, 8, 10])
    fixed, dept_load, prec_load = accepted_load(rng, departments, preceptors, 0.05)
    # What each (department, discipline) can give, in student-weeks.
    slots = {}
    for p in preceptors:
        free = sum(0 if w in p["unavailable_weeks"] else p["max_students"] - prec_load[p["id"]][w]
                   for w in range(WEEKS))
        slots[(p["department"], p["discipline"])] = slots.get((p["department"], p["discipline"]), 0) + max(0, free)
    site_of = {d["id"]: d["site"] for d in departments}
    supply = {}
    for d in departments:
        seats = sum(d["capacity"] - dept_load[d["id"]][w] for w in range(WEEKS))
        mine = {k: v for k, v in slots.items() if k[0] == d["id"]}
        total = sum(mine.values())
        for k, v in mine.items():
            supply[k] = min(v, seats * v / total)
    keys = sorted(k for k in supply if supply[k] >= 4)
    popularity = {k: rng.paretovariate(1.5) for k in keys}
    ranked = sorted(keys, key=lambda k: -popularity[k])
    popular = set(ranked[:max(1, len(ranked) // 3)])
    budget = {k: supply[k] * (rng.uniform(1.3, 1.8) if k in popular else rng.uniform(0.95, 1.15)) for k in keys}
    mean_len = sum(LENGTHS) / len(LENGTHS)
    n_students = round(sum(budget.values()) / mean_len)
    # Schools: a long tail of 1-5 students (about 40% of the students), a few large ones.
    tail = []
    while sum(tail) < 0.4 * n_students:
        tail.append(rng.choice([1, 1, 1, 2, 2, 3, 4, 5]))
    n_large = max(3, n_schools // 12)
    sizes = [1.0 / (k + 1) ** 1.1 for k in range(n_large)]
    rest = n_students - sum(tail)
    large = [max(6, round(rest * s / sum(sizes))) for s in sizes]
    quotas = large + tail
    by_site = {}
    for k in keys:
        by_site.setdefault(site_of[k[0]], []).append(k)
    hosts_of = {}
    for k in keys:
        hosts_of.setdefault((site_of[k[0]], k[1]), []).append(k[0])
    sites = sorted(by_site)
    left = dict(budget)
    requests = []
    rid = 0
    for s, quota in enumerate(quotas):
        school = f"S{s + 1}"
        home = rng.choice(sites)
        placed = 0
        while placed < quota:
            site = home if rng.random() < 0.8 else rng.choice(sites)
            here = by_site[site]
            # First choices follow the demand still to place; a spent department is still
            # asked for now and then.
            first = rng.choices(here, weights=[max(left[k], 0) + 0.05 * budget[k] for k in here])[0]
            dept, disc = first
            length = rng.choice(LENGTHS)
            # Cohorts come from the large schools' programmes.
            together = quota >= 6 and quota - placed >= 2 and rng.random() < 0.10
            students = (rng.randint(2, min(6, quota - placed)) if together
                        else min(quota - placed, rng.choices([1, 2, 3, 4], weights=[5, 3, 1, 1])[0]))
            left[first] -= students * length
            earliest = rng.randrange(0, WEEKS - length + 1)
            window = rng.choice([0, 0, 1, 2, 2, 3, 4])
            latest = min(WEEKS - length, earliest + window)
            kind = "internship" if rng.random() < 0.1 else "clinical"
            others = [d for d in hosts_of[(site, disc)] if d != dept]
            others.sort(key=lambda d: -popularity[(d, disc)] * rng.random())
            choices = [dept] + others[:rng.choice([0, 1, 2])]
            options = [{"department": d, "weight": w} for d, w in zip(choices, [3, 2, 1])]
            options += [{"department": d, "weight": 0.5} for d in hosts_of[(site, disc)] if d not in choices]
            rid += 1
            requests.append({"id": f"R{rid}", "school": school, "discipline": disc, "kind": kind,
                             "students": students, "weeks": length, "earliest_start": earliest,
                             "latest_start": latest, "together": together, "options": options})
            placed += students
    for d in departments:
        del d["site"]
    asked = sum(r["students"] for r in requests)
    return {"format": "practicum-allocation/1", "weeks": WEEKS, "fairness_weight": float(asked),
            "departments": departments, "preceptors": preceptors, "requests": requests, "fixed": fixed}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tier", choices=sorted(TIERS) + sorted(HARD), required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    a = ap.parse_args()
    problem = generate_hard(a.tier, a.seed) if a.tier in HARD else generate(a.tier, a.seed)
    text = json.dumps(problem, separators=(",", ":"))
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    p = problem
    asked = sum(r["students"] for r in p["requests"])
    print(f"{a.tier}: {len(p['departments'])} departments, {len(p['preceptors'])} preceptors, "
          f"{len(p['requests'])} requests, {asked} students, "
          f"{len({r['school'] for r in p['requests']})} schools, {len(p['fixed'])} fixed, "
          f"fairness weight {p['fairness_weight']:g}", file=sys.stderr)


if __name__ == "__main__":
    main()
