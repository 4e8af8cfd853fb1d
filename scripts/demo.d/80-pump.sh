# Step: the reference infusion pump (examples/infusion-pump/), built as a device maker builds
# it: this release build installed into a prefix and pumpd built against it (scripts/build_pump;
# incremental, so a second run builds nothing). Then a pump is manufactured and provisioned
# with its one-time secret (no default credential), an administrator and a clinician enrol with
# TOTP (oathtool), the clinician logs in over mutual TLS 1.3 (curl with a client certificate)
# and starts an infusion; a burst of wrong passwords is throttled, a captured start command sent
# again is refused; the manufacturer publishes a signed update (`vigil repo`, served on
# loopback) that the pump installs into its inactive slot while the infusion runs, refusing a
# tampered copy and a rollback, and activates once the infusion is stopped (trial boot under
# `pumpd run`, health check, commit); and `vigil log verify` checks the pump's audit log end to
# end. Each outcome is a "> " line (scripts/demo shows them under the step); everything stays in
# DEMO_DIR/pump.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(dirname "$(dirname "$VIGIL")")
pumpd=$("$root/scripts/build_pump" "$build" "$DEMO_DIR/pump-build.log" 2>&1) || { echo "$pumpd"; exit 1; }
echo "> built pumpd against the installed library in $build/pump/prefix"

cd "$DEMO_DIR"
rm -rf pump && mkdir pump && cd pump
server= repo_server=
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; [[ -n $repo_server ]] && kill "$repo_server" 2>/dev/null; true' EXIT
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

# The manufacturer's TUF repository (releases of pumpd: custom.vigil release and security
# version), served on loopback; the pump leaves the factory with release 2 committed in slot A.
mkdir keys
for k in root targets snapshot timestamp; do "$VIGIL" keygen --alg ed25519 --out "keys/$k.pem" >/dev/null; done
"$VIGIL" repo init --repo repo --root-key keys/root.pem --targets-key keys/targets.pem \
  --snapshot-key keys/snapshot.pem --timestamp-key keys/timestamp.pem >/dev/null
publish() {  # publish N: pumpd/pumpd-N (pumpd, its bytes made distinct), release N
  cp "$pumpd" "pumpd-$1.bin" && echo "release $1" >>"pumpd-$1.bin"
  "$VIGIL" repo add-target --repo repo "pumpd-$1.bin" --path "pumpd/pumpd-$1" \
    --custom "{\"vigil\":{\"release\":$1,\"security_version\":$1}}" >/dev/null
  "$VIGIL" repo publish --repo repo >/dev/null
}
publish 1
publish 2
rport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$rport" --bind 127.0.0.1 --directory repo/public >repo.log 2>&1 &
repo_server=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$rport") 2>/dev/null && break; sleep 0.1; done
"$VIGIL" update setup --slots slots --attempts 2 >/dev/null
"$VIGIL" update init --metadata-dir tuf --root repo/public/metadata/1.root.json >/dev/null
"$VIGIL" update install --slots slots --metadata-dir tuf --metadata-url "http://127.0.0.1:$rport/metadata" \
  --targets-url "http://127.0.0.1:$rport/targets" --target pumpd/pumpd-2 >/dev/null
"$VIGIL" update boot --slots slots >/dev/null
"$VIGIL" update commit --slots slots >/dev/null

cp "$root/examples/infusion-pump/drug-library.json" drug-library.json
"$pumpd" library seal --state state drug-library.json >/dev/null
"$pumpd" run --slots slots --state state --policy "$root/examples/infusion-pump/access-policy.json" \
  --library drug-library.json --port-file port --requests-per-second 50 --tuf tuf \
  --update-url "http://127.0.0.1:$rport" --update-poll-s 5 >serve.log 2>&1 &
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

# The update: release 3 published; a copy whose bytes changed after signing and release 1
# (below the anti-rollback counter) refused; release 3 installed while the infusion runs.
update() {  # update N COUNTER: the administrator's critical command for pumpd/pumpd-N
  api POST /api/v1/update "{\"nonce\":\"$(openssl rand -hex 16)\",\"counter\":$2,\"target\":\"pumpd/pumpd-$1\"}" "$admin"
}
publish 3
served=$(find repo/public/targets -name '*.pumpd-3')
cp "$served" pumpd-3.signed
printf 'X' | dd of="$served" bs=1 seek=100 conv=notrunc 2>/dev/null
r=$(update 3 1)
want 422 "$r" "tampered update"
tampered=$(body "$r" | field message | sed 's/: expected .*//')
cp pumpd-3.signed "$served"
r=$(update 1 2)
want 409 "$r" "rollback"
rollback=$(body "$r" | field message | grep -o 'below the device.s counter [0-9]*')
before=$(body "$(api GET /api/v1/status "" "$bob")" | field delivered_ul)
r=$(update 3 3)
want 200 "$r" "update"
r=$(api GET /api/v1/status "" "$bob")
[[ $(body "$r" | field state) == running ]] || { echo "the infusion stopped during the update: $r"; exit 1; }
echo "> the manufacturer publishes release 3, signed; the pump installs it into slot B while the infusion keeps running ($before → $(body "$r" | field delivered_ul) µL)"
echo "> a tampered copy refused ($tampered); a rollback to release 1 refused ($rollback)"
activation=$(body "$(api GET /api/v1/update "" "$admin")" | field activation)
want 200 "$(api POST /api/v1/therapy/stop "{}" "$bob")" "stop"
for _ in $(seq 300); do grep -q "committed in slot b" serve.log && break; sleep 0.1; done
committed=$(grep -o 'release 3 (pumpd/pumpd-3) committed in slot b (anti-rollback counter [0-9]*)' serve.log) ||
  { echo "release 3 was not committed:"; tail -n 5 serve.log; exit 1; }
echo "> activation $activation; once stopped, the pump restarted into slot B for a trial boot, passed its health check: $committed"

kill -TERM "$server"; wait "$server"; server=
"$VIGIL" log verify --dir state/audit --vkey "$(cat state/audit.vkey)" >verify.txt
"$VIGIL" log export --dir state/audit >audit.jsonl
replays=$(grep -c '"action":"integrity.violation".*replayed command refused' audit.jsonl)
[[ $replays -eq 1 ]] || { echo "expected 1 replay in the audit log, found $replays"; exit 1; }
echo "> audit log verified by vigil against its signed checkpoint: $(head -n1 verify.txt | sed 's/ (.*//'); the replay recorded"
echo "pump: PUMP-DEMO-1 provisioned, infusing, updated to release 3, attacks refused, audit verified (outputs in $DEMO_DIR/pump)"
