#!/usr/bin/env python3
"""The statements in a server log written with RUST_LOG=sqlx::query=debug, by the time they
took in all: total ms, count, ms each, and the statement's first words.

    python3 bench/statement_times.py serve.log
"""
import collections
import re
import sys

UNIT_MS = {"µs": 1e-3, "ms": 1.0, "s": 1000.0}
total = collections.defaultdict(float)
count = collections.Counter()
for line in open(sys.argv[1], errors="replace"):
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    summary = re.search(r'summary="([^"]{0,60})', line)
    elapsed = re.search(r"elapsed=([0-9.]+)(µs|ms|s)\b", line)
    if summary and elapsed:
        ms = float(elapsed.group(1)) * UNIT_MS[elapsed.group(2)]
        total[summary.group(1)] += ms
        count[summary.group(1)] += 1
for text, ms in sorted(total.items(), key=lambda kv: -kv[1]):
    print(f"{ms:9.1f} ms {count[text]:7d} x {ms / count[text]:7.3f} ms  {text}")
