#!/usr/bin/env python3
"""Sign-in bursts and a mixed soak against a release `practicum` binary (issue 13 point 9).

    bench/signin_load.py burst --binary target/release/practicum --label after
    bench/signin_load.py soak  --binary target/release/practicum --minutes 5 --connections 50

`burst` starts the server on a fresh SQLite data directory, fires 200 and then 2,000 sign-in
attempts at once for made-up e-mails (one connection each), and reports the answers by status
and the server's peak resident memory (VmHWM from /proc/PID/status) after each burst, and its
resident memory (VmRSS) 5 s later. `soak` starts it with the demo data, signs 50 office users in
(the demo coordinator) and keeps 50 connections busy with a mix of reads (placements, requests,
students, sites, me) and writes (create and rename sites), reporting requests/s, latency
percentiles, errors (any status >= 400, or a broken connection) and VmRSS sampled every 10 s.
Only 127.0.0.1 is ever contacted; every loop is bounded in count and time. Standard library only.
"""
import argparse, asyncio, http.client, json, os, random, shutil, socket, subprocess, sys, tempfile, threading, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def mem(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0  # MiB
    return float("nan")


def start(binary, demo, extra):
    data = tempfile.mkdtemp(prefix="practicum-bench-")
    port = free_port()
    args = [binary, "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", data] + (["--demo"] if demo else []) + extra
    env = dict(os.environ, RUST_LOG="warn")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/login")
            if c.getresponse().status == 200:
                return proc, port, data
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("the server did not start")


async def one_attempt(port, i):
    body = json.dumps({"email": f"made-up-{i}-{random.random()}@bench.example", "password": "wrong-password-123"})
    req = (f"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode()
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 60)
        w.write(req)
        await w.drain()
        data = await asyncio.wait_for(r.read(), 120)
        w.close()
        return data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "no answer"
    except Exception as e:  # a refused or reset connection counts as its own outcome
        return type(e).__name__


async def burst(port, n):
    return await asyncio.gather(*(one_attempt(port, i) for i in range(n)))


def cmd_burst(a):
    proc, port, data = start(a.binary, False, a.extra)
    try:
        print(f"## {a.label}: {a.binary}")
        print(f"idle after start: VmRSS {mem(proc.pid, 'VmRSS'):.0f} MiB")
        for n in (200, 2000):
            t = time.time()
            outcomes = asyncio.run(burst(port, n))
            took = time.time() - t
            counts = {}
            for o in outcomes:
                counts[o] = counts.get(o, 0) + 1
            hwm = mem(proc.pid, "VmHWM")
            time.sleep(5)
            print(f"burst of {n}: {took:.1f} s, answers {dict(sorted(counts.items()))}, "
                  f"peak VmHWM {hwm:.0f} MiB, VmRSS 5 s later {mem(proc.pid, 'VmRSS'):.0f} MiB")
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(data, ignore_errors=True)


def cmd_soak(a):
    proc, port, data = start(a.binary, True, a.extra)
    stop = time.time() + a.minutes * 60
    lat, errors, retried, lock = [], {}, {}, threading.Lock()
    samples = []

    def worker(k):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        def call(method, path, body=None, token=None):
            h = {"Content-Type": "application/json"}
            if token:
                h["Authorization"] = f"Bearer {token}"
            t = time.perf_counter()
            c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
            r = c.getresponse()
            payload = r.read()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                lat.append(ms)
                if r.status >= 400:
                    key = f"{r.status} {method} {path.split('?')[0]}"
                    errors[key] = errors.get(key, 0) + 1
            return r.status, payload
        # 50 sign-ins at once meet the bounded password hashing: a well-behaved client waits
        # the Retry-After of a 503 and tries again (at most 10 times). Those answers are not
        # counted as errors of the soak; any other failure is.
        token = None
        for _ in range(10):
            h = {"Content-Type": "application/json"}
            c.request("POST", "/api/v1/auth/login", body=json.dumps(
                {"email": "coordinator@demo.practicum.test", "password": "practicum-demo"}), headers=h)
            r = c.getresponse()
            p = r.read()
            if r.status == 200:
                token = json.loads(p)["token"]
                break
            with lock:
                key = f"sign-in {r.status} (retried)"
                retried[key] = retried.get(key, 0) + 1
            time.sleep(float(r.getheader("Retry-After") or 1))
        if token is None:
            with lock:
                errors["sign-in failed 10 times"] = errors.get("sign-in failed 10 times", 0) + 1
            return
        my_sites = []
        reads = ["/api/v1/placements?limit=50", "/api/v1/placement-requests?limit=50", "/api/v1/students?limit=50",
                 "/api/v1/sites", "/api/v1/me", "/api/v1/placements?at_risk=true"]
        n = 0
        while time.time() < stop:
            n += 1
            try:
                if n % 5 == 0:
                    if my_sites and n % 10 == 0:
                        call("PATCH", f"/api/v1/sites/{random.choice(my_sites)}", {"name": f"Soak {k}-{n}"}, token)
                    else:
                        s, p = call("POST", "/api/v1/sites", {"name": f"Soak {k}-{n}"}, token)
                        if s == 201:
                            my_sites.append(json.loads(p)["id"])
                else:
                    call("GET", random.choice(reads), None, token)
            except Exception as e:
                with lock:
                    errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    try:
        t0 = time.time()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(a.connections)]
        for t in threads:
            t.start()
        while time.time() < stop:
            samples.append((round(time.time() - t0), mem(proc.pid, "VmRSS")))
            time.sleep(10)
        for t in threads:
            t.join(60)
        took = time.time() - t0
        lat.sort()
        pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
        print(f"## soak: {a.connections} connections, {took/60:.1f} min, {a.binary}")
        print(f"requests {len(lat)}, {len(lat)/took:.0f} req/s, p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lat[-1]:.0f} ms")
        print(f"errors: {sum(errors.values())} {errors}; sign-ins answered 503/429 and retried: {retried}")
        rss = [m for _, m in samples]
        print(f"VmRSS MiB: first {rss[0]:.0f}, after 1 min {rss[min(6, len(rss)-1)]:.0f}, last {rss[-1]:.0f}, max {max(rss):.0f}; "
              f"peak VmHWM {mem(proc.pid, 'VmHWM'):.0f}")
        print("samples (s, MiB): " + " ".join(f"{s}:{m:.0f}" for s, m in samples))
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(data, ignore_errors=True)


def main():
    import resource  # 2,000 sockets at once: raise the open-files limit (the server inherits it)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("burst")
    b.add_argument("--binary", required=True)
    b.add_argument("--label", default="")
    b.add_argument("extra", nargs="*", help="extra flags for `practicum serve` (after --)")
    s = sub.add_parser("soak")
    s.add_argument("--binary", required=True)
    s.add_argument("--minutes", type=float, default=5)
    s.add_argument("--connections", type=int, default=50)
    s.add_argument("extra", nargs="*")
    a = p.parse_args()
    {"burst": cmd_burst, "soak": cmd_soak}[a.cmd](a)


if __name__ == "__main__":
    main()
