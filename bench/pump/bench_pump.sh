#!/usr/bin/env bash
# bench_pump (configured from bench/pump/bench_pump.sh): builds pumpd against this build's
# install (scripts/build_pump), runs it with an infusion under way and tests/pump/flood.py
# against it (rate limit raised so the latency pairs are not throttled), and reports
#  - the delivery loop's wake-up lateness p50/p99/max idle, beside the loop period, and under
#    the flood of unauthenticated and malformed requests, beside the same figure idle;
#  - an authenticated GET /api/v1/status (session, policy decision, audit) beside an
#    unauthenticated GET of the same server (answered 401), medians on kept-alive connections.
set -uo pipefail  # not -e: pump_lib.sh counts failed checks in $fail
root=@PROJECT_SOURCE_DIR@
build=@PROJECT_BINARY_DIR@
mkdir -p "$build/bench"
pumpd=$("$root/scripts/build_pump" "$build" "$build/bench/pump-build.log") || exit 1
source "$root/tests/pump/pump_lib.sh" "$pumpd" "$build/bin/vigil" "$root" >&2
serve_pump PUMP-BENCH --requests-per-second 5000 >&2
login_admin >&2
enrol_clinician bob >&2
tag
api "start" 200 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}" >&2
python3 "$root/tests/pump/flood.py" --port "$port" --ca state/tls/ca.pem --cert clients/ward-7.pem \
  --key clients/ward-7.key --session "$clinician" --latency 200 --idle-seconds 5 \
  --flood-seconds 8 >flood.json || { echo "bench_pump: flood.py failed" >&2; exit 1; }
stop_pump >&2
[[ $fail -eq 0 ]] || { echo "bench_pump: the pump's setup failed ($fail checks)" >&2; exit 1; }
python3 - flood.json "${VIGIL_BENCH_RESULTS:-$build/bench/results.jsonl}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
out = open(sys.argv[2], "a")
def row(bench, value, unit, peer, peer_value):
    ratio = value / peer_value if peer_value else float("inf")
    print(f"{bench:<44.44} {value:12.4g} {unit:<3.3}  {peer:<34.34} {peer_value:16.4g} {ratio:8.3f}")
    out.write(json.dumps({"bench": bench, "value": value, "unit": unit, "peer": peer,
                          "peer_value": peer_value, "ratio": ratio}) + "\n")
period = r["period_us"]
for q in ("p50", "p99", "max"):
    idle, flood = r["idle"][q + "_us"], r["flood"][q + "_us"]
    row(f"pump/loop_lateness_{q}_idle", idle, "us", "loop period", period)
    row(f"pump/loop_lateness_{q}_flood", flood, "us", f"same loop idle ({q})", idle)
lat = r["latency"]
row("pump/get_status_authenticated", lat["authenticated_ms"], "ms",
    "unauthenticated GET (401)", lat["unauthenticated_ms"])
legit = r["legit"]
if legit["ok"] != legit["sent"]:
    sys.exit(f"bench_pump: {legit['sent'] - legit['ok']} legitimate requests failed under the flood")
PY
