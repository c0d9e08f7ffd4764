#!/usr/bin/env python3
"""Walks one list page after page from one client, in order, and prints the pages, the rows
and the seconds it took: how long a list's first pass costs on a server that has derived
nothing yet (issue 18 point 4, the placements walk), and the same walk again once it has.

    python3 bench/seq_walk.py http://127.0.0.1:18090 TOKEN /api/v1/placements

Pages are asked at sizes 47 to 53 in turn, so no kept whole answer (http::api::kept) serves
them; each row may be answered from what the server kept for it.
"""
import json
import sys
import time
import urllib.request


def walk(base: str, token: str, path: str) -> None:
    start = time.time()
    cursor, pages, rows = None, 0, 0
    while True:
        url = f"{base}{path}?limit={47 + pages % 7}" + (f"&cursor={cursor}" if cursor else "")
        req = urllib.request.Request(url, headers={"authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req) as answer:
            page = json.load(answer)
        pages += 1
        rows += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    print(f"{pages} pages, {rows} rows in {time.time() - start:.2f} s")


if __name__ == "__main__":
    walk(sys.argv[1], sys.argv[2], sys.argv[3])
