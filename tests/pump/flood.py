#!/usr/bin/env python3
"""Floods a running pump's management API on loopback while an infusion runs and measures the
delivery loop's timing (GET /api/v1/loop?since=MARK) idle and under the flood.

The flood comes from other loopback addresses (127.0.0.2 and up: the rate limiter keys on the
address, as it would for attackers on other hosts) and is bounded by --flood-seconds and
--max-requests. It mixes what an unauthenticated attacker can send: TCP connections carrying
garbage instead of a TLS handshake, TLS handshakes without a client certificate, and, with a
certificate, requests without a session, malformed JSON bodies and oversized bodies. Meanwhile a
legitimate client (127.0.0.1, a session) asks for the status every 0.25 s on a new connection;
every one of its requests must be answered 200.

Prints one JSON object: {"period_us", "idle": {p50_us, p99_us, max_us, wakeups},
"flood": {...}, "flood_requests": {outcome: count}, "legit": {"sent", "ok", "p50_ms", "max_ms"}}
and, with --latency N, "latency": the median milliseconds of N authenticated GET /api/v1/status
and N unauthenticated ones (no session: 401) on one kept-alive connection each.

Usage: flood.py --port P --ca CA --cert C --key K --session S
                [--idle-seconds 4] [--flood-seconds 6] [--max-requests 20000] [--threads 6]
                [--latency N]
"""
import argparse
import http.client
import json
import socket
import ssl
import statistics
import threading
import time


def context(a, with_cert):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(a.ca)
    if with_cert:
        ctx.load_cert_chain(a.cert, a.key)
    return ctx


def connection(a, ctx, source="127.0.0.1"):
    return http.client.HTTPSConnection("127.0.0.1", a.port, context=ctx, timeout=10,
                                       source_address=(source, 0))


def get_json(a, ctx, path, session):
    conn = connection(a, ctx)
    conn.request("GET", path, headers={"Authorization": "Bearer " + session})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status != 200:
        raise SystemExit(f"GET {path}: HTTP {r.status} {body[:200]!r}")
    return json.loads(body)


def flood_one(a, kind, source, plain_ctx, cert_ctx):
    """One attack request on a new connection; returns its outcome name."""
    try:
        if kind == 0:  # garbage instead of a TLS ClientHello
            with socket.create_connection(("127.0.0.1", a.port), timeout=5,
                                          source_address=(source, 0)) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: pump\r\n\r\n" + b"\x16\x03\x01" * 100)
                s.settimeout(5)
                s.recv(1024)
            return "garbage-closed"
        if kind == 1:  # TLS without a client certificate
            conn = connection(a, plain_ctx, source)
            conn.request("GET", "/api/v1/status")
            conn.getresponse().read()
            return "no-cert-answered"  # must not happen: counted, and the check fails
        conn = connection(a, cert_ctx, source)
        if kind == 2:
            conn.request("GET", "/api/v1/status")
        elif kind == 3:
            conn.request("POST", "/api/v1/login", body='{"account":',
                         headers={"Content-Type": "application/json"})
        else:
            conn.request("POST", "/api/v1/accounts", body="x" * 40000,
                         headers={"Content-Type": "application/json"})
        status = conn.getresponse().status
        conn.close()
        return f"http-{status}"
    except ssl.SSLError:
        return "tls-refused"
    except (ConnectionError, socket.timeout, OSError):
        return "connection-closed"


def flood(a, stop_at, outcomes, lock, index):
    plain_ctx, cert_ctx = context(a, False), context(a, True)
    source = f"127.0.0.{2 + index % 4}"
    kind = index
    while time.monotonic() < stop_at:
        with lock:
            if sum(outcomes.values()) >= a.max_requests:
                return
        outcome = flood_one(a, kind % 5, source, plain_ctx, cert_ctx)
        kind += 1
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1


def legit(a, stop_at, results):
    ctx = context(a, True)
    while time.monotonic() < stop_at:
        t0 = time.monotonic()
        try:
            conn = connection(a, ctx)
            conn.request("GET", "/api/v1/status", headers={"Authorization": "Bearer " + a.session})
            r = conn.getresponse()
            r.read()
            conn.close()
            results.append((r.status, time.monotonic() - t0))
        except (ssl.SSLError, ConnectionError, socket.timeout, OSError) as e:
            results.append((str(e), time.monotonic() - t0))
        time.sleep(max(0.0, 0.25 - (time.monotonic() - t0)))


def window(a, ctx, mark):
    j = get_json(a, ctx, f"/api/v1/loop?since={mark}", a.session)
    return {k: j[k] for k in ("p50_us", "p99_us", "max_us", "wakeups")}


def latency(a, n):
    """Median ms of n authenticated and n unauthenticated GETs, each on one kept-alive conn."""
    ctx = context(a, True)
    out = {}
    for name, headers in (("authenticated", {"Authorization": "Bearer " + a.session}),
                          ("unauthenticated", {})):
        conn = connection(a, ctx)
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            conn.request("GET", "/api/v1/status", headers=headers)
            r = conn.getresponse()
            r.read()
            times.append((time.perf_counter() - t0) * 1000)
            if r.status != (200 if headers else 401):
                raise SystemExit(f"{name} GET: HTTP {r.status}")
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = connection(a, ctx)
        conn.close()
        out[name + "_ms"] = statistics.median(times)
    return out


def main():
    p = argparse.ArgumentParser()
    for name in ("--ca", "--cert", "--key", "--session"):
        p.add_argument(name, required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--idle-seconds", type=float, default=4)
    p.add_argument("--flood-seconds", type=float, default=6)
    p.add_argument("--max-requests", type=int, default=20000)
    p.add_argument("--threads", type=int, default=6)
    p.add_argument("--latency", type=int, default=0)
    a = p.parse_args()
    ctx = context(a, True)
    report = {}
    if a.latency:
        report["latency"] = latency(a, a.latency)
    loop = get_json(a, ctx, "/api/v1/loop", a.session)
    report["period_us"] = loop["period_us"]
    time.sleep(a.idle_seconds)
    report["idle"] = window(a, ctx, loop["wakeups"])
    mark = report["idle"]["wakeups"]
    stop_at = time.monotonic() + a.flood_seconds
    outcomes, lock, legit_results = {}, threading.Lock(), []
    threads = [threading.Thread(target=flood, args=(a, stop_at, outcomes, lock, i))
               for i in range(a.threads)]
    threads.append(threading.Thread(target=legit, args=(a, stop_at, legit_results)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report["flood"] = window(a, ctx, mark)
    report["flood_requests"] = dict(sorted(outcomes.items()))
    times = [t * 1000 for _, t in legit_results]
    report["legit"] = {
        "sent": len(legit_results),
        "ok": sum(1 for s, _ in legit_results if s == 200),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "failures": sorted({str(s) for s, _ in legit_results if s != 200}),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
