#!/usr/bin/env bash
# The flood (labels device, e2e): during an infusion, flood.py sends unauthenticated and
# malformed requests from other loopback addresses for 6 s (at most 20000) while a clinician
# asks for the status every 0.25 s, and reads the delivery loop's wake-up lateness idle (4 s)
# and under the flood. Printed, then checked:
#  - every legitimate request answered 200, and the flood was real (at least 100 requests, none
#    answered 200, none served without a client certificate);
#  - the loop's lateness under the flood: p99 at most 2 periods (20 ms) beyond the idle p99, and
#    max at most 250 ms. Why these: a late wake-up delivers every period it missed at once
#    (delivery_loop.h), so volume never falls behind; lateness only lumps the flow. IEC
#    60601-2-24 judges flow over windows of 1 minute and more; 250 ms at the top rate (50 mL/h)
#    is 3.5 µL, 0.1 % of a minute's volume, and 99 % of wake-ups within 2 periods of what the
#    machine gives anyway keeps the flow smooth. "Anyway": this test machine is shared and the
#    loop runs at normal priority (a real pump gives it a real-time one), so other work already
#    costs up to tens of ms (the idle window shows it); the flood must not add more than 2
#    periods to that. Measured: idle p99 0.2 ms, flood p99 2 ms, max 2.7 ms on a quiet run;
#  - the volume delivered matches the programmed rate over the time elapsed (within 2 % and
#    one second's volume).
# Usage: flood_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"
serve_pump PUMP-FLOOD
login_admin
enrol_clinician bob
tag
api "start" 200 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
started=$(date +%s%N)
check "flood" 0 timeout 120 python3 "$src/tests/pump/flood.py" --port "$port" --ca state/tls/ca.pem \
  --cert clients/ward-7.pem --key clients/ward-7.key --session "$clinician"
cp out.txt flood.json
cat flood.json
g() { python3 -c "import json; r = json.load(open('flood.json')); print($1)"; }  # an expression of r
f() { g "r$1"; }  # a member of r
equal "legitimate requests answered" "$(f "['legit']['ok']")" "$(f "['legit']['sent']")"
if (($(f "['legit']['sent']") >= 10)); then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL only $(f "['legit']['sent']") legitimate requests"; fi
flooded=$(g "sum(r['flood_requests'].values())")
if ((flooded >= 100)); then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL the flood sent $flooded requests"; fi
equal "flood requests served" "$(g "r['flood_requests'].get('http-200', 0) + r['flood_requests'].get('no-cert-answered', 0)")" 0
p99=$(f "['flood']['p99_us']") max=$(f "['flood']['max_us']") idle_p99=$(f "['idle']['p99_us']")
echo "delivery loop lateness, period 10000 µs: idle p50 $(f "['idle']['p50_us']") p99 $(f "['idle']['p99_us']") max $(f "['idle']['max_us']") µs; flood p50 $(f "['flood']['p50_us']") p99 $p99 max $max µs"
if ((p99 <= idle_p99 + 20000 && max <= 250000)); then pass=$((pass + 1)); else
  fail=$((fail + 1))
  echo "FAIL lateness under the flood: p99 $p99 µs (at most $((idle_p99 + 20000))), max $max µs (at most 250000)"
fi
api "status after the flood" 200 --session "$clinician" GET /api/v1/status
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
delivered=$(json "['delivered_ul']")
expected=$((elapsed_ms * 10 / 1000))  # 36 mL/h = 10 µL/s
if ((delivered <= expected + 10 && delivered >= expected - expected / 50 - 10)); then
  pass=$((pass + 1)); else fail=$((fail + 1))
  echo "FAIL delivered $delivered µL in $elapsed_ms ms at 10 µL/s (expected about $expected)"; fi
equal "still running" "$(json "['state']")" running
stop_pump

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
