#!/usr/bin/env bash
# The management API end to end (labels device, e2e): a provisioned pump serving on loopback;
# mutual TLS 1.3 (no client certificate, one from another CA, and TLS 1.2 all refused); a
# clinician enrolled by the administrator with TOTP (oathtool computes the codes) who logs in,
# is refused malformed and out-of-range programs, starts an infusion and sees it run; the
# administrator refused therapy by the access policy; a burst of wrong passwords throttled; a
# request flood rate limited; and the audit log, checkpointed at shutdown, verified end to end
# by the installed `vigil log verify`, holding each of these events.
# Usage: api_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"
serve_pump PUMP-API --requests-per-second 5
# Transport: mutual TLS 1.3 with the manufacturer CA's certificates only.
check "no client certificate" 2 "${client[@]}" GET /api/v1/status
expect_stdout "tls:"
check "client certificate from another CA" 2 "${client[@]}" --cert clients/intruder.pem \
  --key clients/intruder.key GET /api/v1/status
check "TLS 1.2" 2 "${client[@]}" --cert clients/ward-7.pem --key clients/ward-7.key --tls12 GET /api/v1/status
expect_stdout "tls:"

api "no session" 401 GET /api/v1/status
api "administrator without TOTP" 401 POST /api/v1/login '{"account":"alice","password":"correct horse battery staple"}'
login_admin
api "malformed account" 400 --session "$admin" POST /api/v1/accounts '{"account":"eve","role":"root","password":"x"}'
expect_stdout 'request body: $.role: expected patient, clinician'
enrol_clinician bob
equal "clinician TOTP secret" "${#clinician_totp}" 32
bob=$clinician
equal "clinician role" "$(json "['role']")" clinician

tag
program="{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
api "administrator may not start therapy" 403 --session "$admin" POST /api/v1/therapy/start "$program"
expect_stdout "therapy.start: denied"
api "clinician may not create accounts" 403 --session "$bob" POST /api/v1/accounts \
  '{"account":"eve","role":"administrator","password":"eve has a long passphrase"}'
tag
api "unknown member" 400 --session "$bob" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":1000,\"bolus_ul\":5000}"
expect_stdout 'unknown member \\"bolus_ul\\"'
tag
api "negative rate" 400 --session "$bob" POST /api/v1/therapy/start "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":-1,\"volume_ul\":1000}"
tag
api "rate as text" 400 --session "$bob" POST /api/v1/therapy/start "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":\"fast\",\"volume_ul\":1000}"
api "not JSON" 400 --session "$bob" POST /api/v1/therapy/start '{"drug_id":'
tag
api "above the hard limit" 400 --session "$bob" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":60000,\"volume_ul\":1000,\"confirm_soft_limit\":true}"
expect_stdout "above the hard limit 50000"
api "nothing started by refused requests" 200 --session "$bob" GET /api/v1/status
equal "state after refusals" "$(json "['state']")" idle
tag
program="{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
api "start" 200 --session "$bob" POST /api/v1/therapy/start "$program"
equal "state" "$(json "['state']")" running
sleep 1
api "status while running" 200 --session "$bob" GET /api/v1/status
delivered=$(json "['delivered_ul']")
if ((delivered >= 5 && delivered <= 30)); then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL delivered $delivered µL after about 1 s at 10 µL/s"; fi

# A burst of wrong passwords: refused, then throttled (identity: 5 free failures, then waits).
codes=()
for i in $(seq 8); do
  "${client[@]}" --cert clients/ward-7.pem --key clients/ward-7.key POST /api/v1/login \
    '{"account":"bob","password":"wrong guess","totp":"000000"}' >burst.txt
  codes+=("$(cut -d' ' -f1 burst.txt)")
done
equal "first wrong passwords refused" "${codes[*]:0:5}" "401 401 401 401 401"
if [[ " ${codes[*]:5} " == *" 429 "* ]]; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL no throttling after 8 wrong passwords: ${codes[*]}"; fi

# A flood from one address: the token bucket (5 a second, burst 10) answers 429.
check "flood" 0 "${client[@]}" --cert clients/ward-7.pem --key clients/ward-7.key --repeat 40 GET /api/v1/status
limited=$(grep -c '^429$' out.txt)
if ((limited > 0)); then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL no 429 in 40 quick requests"; cat out.txt; fi
sleep 3  # the bucket refills
api "the infusion ran through it all" 200 --session "$bob" GET /api/v1/status
equal "state after the flood" "$(json "['state']")" running
api "stop" 200 --session "$bob" POST /api/v1/therapy/stop
equal "stopped" "$(json "['state']")" stopped

stop_pump
expect serve.log "stopped: stopped, delivered"
expect_stdout '"action":"auth.login","actor":"bob"'
expect_stdout '"outcome":"minor-failure"'
expect_stdout '"action":"access.decision","actor":"alice"'
expect_stdout '"action":"therapy.start","actor":"bob"'
expect_stdout '"action":"therapy.stop","actor":"bob"'
expect_stdout '"source":"ward-7@127.0.0.1"'

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
