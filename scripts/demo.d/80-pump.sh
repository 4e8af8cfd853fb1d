# Step: the reference infusion pump (examples/infusion-pump/), built as a device maker builds
# it: this release build installed into a prefix and pumpd built against it (scripts/build_pump;
# incremental, so a second run builds nothing). Then a pump is manufactured and provisioned
# with its one-time secret (no default credential), an administrator and a clinician enrol with
# TOTP (oathtool), the clinician logs in over mutual TLS 1.3 (curl with a client certificate)
# and starts an infusion; a burst of wrong passwords is throttled, a captured start command sent
# again is refused, and `vigil log verify` checks the pump's audit log end to end. Each outcome
# is a "> " line (scripts/demo shows them under the step); everything stays in DEMO_DIR/pump.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(dirname "$(dirname "$VIGIL")")
pumpd=$("$root/scripts/build_pump" "$build" "$DEMO_DIR/pump-build.log" 2>&1) || { echo "$pumpd"; exit 1; }
echo "> built pumpd against the installed library in $build/pump/prefix"

cd "$DEMO_DIR"
rm -rf pump && mkdir pump && cd pump
server=
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; true' EXIT
# A code one step ahead: identity accepts each code once and ±1 step, so the enrolment (this
# step's code) and the login (the next step's) never collide.
totp() { oathtool --totp -b "$1"; }
totp_next() { oathtool --totp -b --now="$(date -u -d '+30 seconds' '+%Y-%m-%d %H:%M:%S UTC')" "$1"; }
secret_of() { grep -o 'otpauth://[^ "]*' | sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p'; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

"$pumpd" factory ca --dir ca --name "Demo Medical Devices CA" >/dev/null
"$pumpd" factory device --ca ca --state state --device-id PUMP-DEMO-1 --dns-name localhost \
  --secret-out provisioning-secret.txt >/dev/null
"$pumpd" factory client-cert --ca ca --name ward-7 --out clients >/dev/null
echo 'correct horse battery staple' >admin-password.txt
alice=$("$pumpd" provision --state state --secret-file provisioning-secret.txt --admin alice \
  --password-file admin-password.txt | secret_of)
"$pumpd" confirm-totp --state state --account alice --code "$(totp "$alice")" >/dev/null
echo "> provisioned PUMP-DEMO-1 with its one-time secret; administrator alice enrolled with TOTP"

cp "$root/examples/infusion-pump/drug-library.json" drug-library.json
"$pumpd" library seal --state state drug-library.json >/dev/null
"$pumpd" serve --state state --policy "$root/examples/infusion-pump/access-policy.json" \
  --library drug-library.json --port-file port --requests-per-second 50 >serve.log 2>&1 &
server=$!
for _ in $(seq 100); do [[ -s port ]] && break; sleep 0.1; done
port=$(cat port)
# api METHOD PATH [BODY] [SESSION]: prints the body, then the HTTP status on a line of its own.
api() {
  local auth=()
  [[ -n ${4:-} ]] && auth=(-H "Authorization: Bearer $4")
  curl -sS --tlsv1.3 --cacert state/tls/ca.pem --cert clients/ward-7.pem --key clients/ward-7.key \
    -H 'Content-Type: application/json' "${auth[@]}" -X "$1" ${3:+--data "$3"} \
    -w '\n%{http_code}\n' "https://localhost:$port$2"
}
status() { tail -n1 <<<"$1"; }
body() { head -n1 <<<"$1"; }
want() {  # want STATUS RESPONSE WHAT
  [[ $(status "$2") == "$1" ]] || { echo "$3: expected HTTP $1, got: $2"; exit 1; }
}

r=$(api POST /api/v1/login "{\"account\":\"alice\",\"password\":\"correct horse battery staple\",\"totp\":\"$(totp_next "$alice")\"}")
want 200 "$r" "administrator login"
admin=$(body "$r" | field session)
r=$(api POST /api/v1/accounts '{"account":"bob","role":"clinician","password":"bob has a long passphrase"}' "$admin")
want 200 "$r" "enrol bob"
bob_totp=$(body "$r" | secret_of)
want 200 "$(api POST /api/v1/accounts/confirm "{\"account\":\"bob\",\"code\":\"$(totp "$bob_totp")\"}")" "bob confirms TOTP"
r=$(api POST /api/v1/login "{\"account\":\"bob\",\"password\":\"bob has a long passphrase\",\"totp\":\"$(totp_next "$bob_totp")\"}")
want 200 "$r" "bob logs in"
bob=$(body "$r" | field session)
echo "> clinician bob enrolled by alice, confirmed TOTP, logged in over mutual TLS 1.3"

start="{\"nonce\":\"$(openssl rand -hex 16)\",\"counter\":1,\"drug_id\":\"heparin-25000u-250ml\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
r=$(api POST /api/v1/therapy/start "$start" "$bob")
want 200 "$r" "start"
sleep 1
r=$(api GET /api/v1/status "" "$bob")
want 200 "$r" "status"
echo "> infusion started: heparin at 36 mL/h, $(body "$r" | field state), $(body "$r" | field delivered_ul) µL delivered after 1 s"

codes=()
for _ in $(seq 8); do
  codes+=("$(status "$(api POST /api/v1/login '{"account":"bob","password":"wrong guess","totp":"000000"}')")")
done
[[ " ${codes[*]:5} " == *" 429 "* ]] || { echo "no throttling after 8 wrong passwords: ${codes[*]}"; exit 1; }
echo "> 8 wrong passwords for bob: HTTP ${codes[*]} (throttled)"

r=$(api POST /api/v1/therapy/start "$start" "$bob")
want 403 "$r" "replayed start"
echo "> the captured start command sent again: HTTP 403, $(body "$r" | field message | sed 's/: nonce.*//')"

kill -TERM "$server"; wait "$server"; server=
"$VIGIL" log verify --dir state/audit --vkey "$(cat state/audit.vkey)" >verify.txt
"$VIGIL" log export --dir state/audit >audit.jsonl
replays=$(grep -c '"action":"integrity.violation"' audit.jsonl)
[[ $replays -eq 1 ]] || { echo "expected 1 replay in the audit log, found $replays"; exit 1; }
echo "> audit log verified by vigil against its signed checkpoint: $(head -n1 verify.txt | sed 's/ (.*//'); the replay recorded"
echo "pump: PUMP-DEMO-1 provisioned, infusing, attacks refused, audit verified (outputs in $DEMO_DIR/pump)"
