#!/usr/bin/env python3
"""A management-API client for the pump tests: mutual TLS with a client certificate, the pump's
certificate verified against the manufacturer CA and its identity (URI SAN
urn:vigil:device:<id>) checked instead of a host name (device certificates carry no DNS name).

Usage: pump_client.py --port P --ca CA.pem [--cert C.pem --key C.key] --device-id ID
                      [--session S] [--tls12] [--repeat N] METHOD PATH [BODY]
Prints "<HTTP status> <body>" on stdout, a line per answer (with --repeat, N requests on new connections, one status
a line); exits 0 when an HTTP answer came back, 2 when the TLS
connection failed (printing "tls: <reason>").
"""
import argparse
import http.client
import ssl
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--device-id", required=True)
    p.add_argument("--session")
    p.add_argument("--tls12", action="store_true", help="offer TLS 1.2 only")
    p.add_argument("--repeat", type=int, default=0)
    p.add_argument("--twice", action="store_true",
                   help="send the request a second time on the same connection (TLS session)")
    p.add_argument("method")
    p.add_argument("path")
    p.add_argument("body", nargs="?")
    a = p.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(a.ca)
    if a.tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if a.cert:
        ctx.load_cert_chain(a.cert, a.key)
    if a.repeat:
        for _ in range(a.repeat):
            conn = http.client.HTTPSConnection("127.0.0.1", a.port, context=ctx, timeout=20)
            conn.request(a.method, a.path, body=a.body)
            print(conn.getresponse().status)
            conn.close()
        return 0
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", a.port, context=ctx, timeout=20)
        conn.connect()
        sans = conn.sock.getpeercert().get("subjectAltName", ())
        if ("URI", "urn:vigil:device:" + a.device_id) not in sans:
            print("tls: the pump's certificate does not name " + a.device_id, sans)
            return 2
        headers = {"Content-Type": "application/json"}
        if a.session:
            headers["Authorization"] = "Bearer " + a.session
        for _ in range(2 if a.twice else 1):
            conn.request(a.method, a.path, body=a.body, headers=headers)
            r = conn.getresponse()
            print(r.status, r.read().decode().strip())
    except (ssl.SSLError, ConnectionError, OSError) as e:
        print("tls:", e)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
