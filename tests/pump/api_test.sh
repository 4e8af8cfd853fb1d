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
pumpd=$1 vigil=$2 src=$3
source "$src/tests/testing/check_lib.sh"
work=$(mktemp -d)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
heparin=heparin-25000u-250ml

# totp SECRET: a code one step ahead (identity accepts ±1 step and each code once, so two codes
# in the same 30 s, for enrolment and then login, stay distinct).
totp() { oathtool --totp -b --now="$(date -u -d '+30 seconds' '+%Y-%m-%d %H:%M:%S UTC')" "$1"; }
totp_now() { oathtool --totp -b "$1"; }
uri_secret() { sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p' <<<"$1"; }
json() { python3 -c "import json,sys; print(json.loads(sys.stdin.read().split(' ',1)[1])$1)" <out.txt; }
# api NAME STATUS [--session S] METHOD PATH [BODY]: one request with the ward's client
# certificate; the HTTP status must be STATUS.
api() {
  local name=$1 want=$2; shift 2
  check "$name" 0 python3 "$src/tests/pump/pump_client.py" --port "$port" --ca state/tls/ca.pem \
    --cert clients/ward-7.pem --key clients/ward-7.key --device-id PUMP-API "$@"
  local got; got=$(cut -d' ' -f1 out.txt)
  equal "$name: HTTP status" "$got" "$want"
}

"$pumpd" factory ca --dir ca --name "Example Medical Devices CA" >/dev/null
"$pumpd" factory ca --dir rogue --name "Rogue CA" >/dev/null
"$pumpd" factory device --ca ca --state state --device-id PUMP-API --secret-out secret.txt >/dev/null
"$pumpd" factory client-cert --ca ca --name ward-7 --out clients >/dev/null
"$pumpd" factory client-cert --ca rogue --name intruder --out clients >/dev/null
echo 'correct horse battery staple' >pw
check "provision" 0 "$pumpd" provision --state state --secret-file secret.txt --admin alice --password-file pw
alice_totp=$(uri_secret "$(grep -o 'otpauth://[^ ]*' out.txt)")
check "confirm alice" 0 "$pumpd" confirm-totp --state state --account alice --code "$(totp_now "$alice_totp")"
cp "$src/examples/infusion-pump/drug-library.json" lib.json
"$pumpd" library seal --state state lib.json >/dev/null

"$pumpd" serve --state state --policy "$src/examples/infusion-pump/access-policy.json" \
  --library lib.json --port-file port --requests-per-second 5 >serve.log 2>&1 &
server=$!
for _ in $(seq 100); do [[ -s port ]] && break; sleep 0.1; done
port=$(cat port)
expect serve.log "pump PUMP-API listening on https://127.0.0.1:$port"

# Transport: mutual TLS 1.3 with the manufacturer CA's certificates only.
client=(python3 "$src/tests/pump/pump_client.py" --port "$port" --ca state/tls/ca.pem --device-id PUMP-API)
check "no client certificate" 2 "${client[@]}" GET /api/v1/status
expect_stdout "tls:"
check "client certificate from another CA" 2 "${client[@]}" --cert clients/intruder.pem \
  --key clients/intruder.key GET /api/v1/status
check "TLS 1.2" 2 "${client[@]}" --cert clients/ward-7.pem --key clients/ward-7.key --tls12 GET /api/v1/status
expect_stdout "tls:"

api "no session" 401 GET /api/v1/status
api "administrator without TOTP" 401 POST /api/v1/login '{"account":"alice","password":"correct horse battery staple"}'
api "administrator login" 200 POST /api/v1/login \
  "{\"account\":\"alice\",\"password\":\"correct horse battery staple\",\"totp\":\"$(totp "$alice_totp")\"}"
admin=$(json "['session']")
api "enrol a clinician" 200 --session "$admin" POST /api/v1/accounts \
  '{"account":"bob","role":"clinician","password":"bob has a long passphrase"}'
bob_totp=$(uri_secret "$(json "['totp_uri']")")
equal "clinician TOTP secret" "${#bob_totp}" 32
api "malformed account" 400 --session "$admin" POST /api/v1/accounts '{"account":"eve","role":"root","password":"x"}'
expect_stdout 'request body: $.role: expected patient, clinician'
api "clinician confirms TOTP" 200 POST /api/v1/accounts/confirm "{\"account\":\"bob\",\"code\":\"$(totp_now "$bob_totp")\"}"
api "clinician login" 200 POST /api/v1/login \
  "{\"account\":\"bob\",\"password\":\"bob has a long passphrase\",\"totp\":\"$(totp "$bob_totp")\"}"
bob=$(json "['session']")
equal "clinician role" "$(json "['role']")" clinician

program="{\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
api "administrator may not start therapy" 403 --session "$admin" POST /api/v1/therapy/start "$program"
expect_stdout "therapy.start: denied"
api "clinician may not create accounts" 403 --session "$bob" POST /api/v1/accounts \
  '{"account":"eve","role":"administrator","password":"eve has a long passphrase"}'
api "unknown member" 400 --session "$bob" POST /api/v1/therapy/start \
  "{\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":1000,\"bolus_ul\":5000}"
expect_stdout 'unknown member \\"bolus_ul\\"'
api "negative rate" 400 --session "$bob" POST /api/v1/therapy/start "{\"drug_id\":\"$heparin\",\"rate_ul_h\":-1,\"volume_ul\":1000}"
api "rate as text" 400 --session "$bob" POST /api/v1/therapy/start "{\"drug_id\":\"$heparin\",\"rate_ul_h\":\"fast\",\"volume_ul\":1000}"
api "not JSON" 400 --session "$bob" POST /api/v1/therapy/start '{"drug_id":'
api "above the hard limit" 400 --session "$bob" POST /api/v1/therapy/start \
  "{\"drug_id\":\"$heparin\",\"rate_ul_h\":60000,\"volume_ul\":1000,\"confirm_soft_limit\":true}"
expect_stdout "above the hard limit 50000"
api "nothing started by refused requests" 200 --session "$bob" GET /api/v1/status
equal "state after refusals" "$(json "['state']")" idle
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

kill -TERM "$server"; wait "$server"; server=
expect serve.log "stopped: stopped, delivered"
check "audit log verified by vigil" 0 "$vigil" log verify --dir state/audit --vkey "$(cat state/audit.vkey)"
expect_stdout "log OK"
check "export" 0 "$vigil" log export --dir state/audit
expect_stdout '"action":"auth.login","actor":"bob"'
expect_stdout '"outcome":"minor-failure"'
expect_stdout '"action":"access.decision","actor":"alice"'
expect_stdout '"action":"therapy.start","actor":"bob"'
expect_stdout '"action":"therapy.stop","actor":"bob"'
expect_stdout '"source":"ward-7@127.0.0.1"'

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
