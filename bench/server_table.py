#!/usr/bin/env python3
"""The tables of bench/results/server-scale.md from bench/server.sh's JSON lines: for each
database, every list beside the hello-world ceiling, before and after, with the share of the
ceiling and whether it meets issue 18's target (at least 30% of the ceiling, p99 under 20 ms).

    python3 bench/server_table.py /tmp/server-run.jsonl before after
"""
import json
import sys


def main():
    path, *variants = sys.argv[1:]
    rows = [json.loads(line) for line in open(path) if line.strip()]
    for db in dict.fromkeys(r["database"] for r in rows):
        mine = [r for r in rows if r["database"] == db]
        hello = next(r for r in mine if r["variant"] == "hello")
        ceiling = hello["result"]["requests_per_second"]
        print(f"### {db} (hello-world ceiling: {ceiling:,.0f} requests/s, p99 {hello['result']['p99_ms']} ms)\n")
        head = "| list or search |"
        rule = "|---|"
        for v in variants:
            head += f" {v} req/s | {v} p99 ms |"
            rule += "---:|---:|"
        head += f" {variants[-1]}, % of ceiling | target met |"
        rule += "---:|:---:|"
        print(head)
        print(rule)
        whats = [r["what"] for r in mine if r["variant"] == variants[-1] and "requests_per_second" in r["result"]]
        for what in whats:
            line = f"| {what} |"
            last = None
            for v in variants:
                r = next((x for x in mine if x["variant"] == v and x["what"] == what), None)
                if r is None:
                    line += " – | – |"
                    continue
                res = r["result"]
                line += f" {res['requests_per_second']:,.0f} | {res['p99_ms']:.1f} |"
                last = res
            share = 100 * last["requests_per_second"] / ceiling
            met = share >= 30 and last["p99_ms"] < 20 and "POST" not in what
            line += f" {share:.1f}% | {'yes' if met else 'no'} |"
            print(line)
        print()
        for r in mine:
            if "seconds" in r["result"] or "kib" in r["result"]:
                print(f"- {r['variant']}: {r['what']}: {r['result']}")
        print()


main()
