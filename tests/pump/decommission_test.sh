#!/usr/bin/env bash
# Decommissioning (labels device, e2e): a therapy record naming a patient is kept in the vault
# (readable through the API, never in clear on disk); decommission is refused to a clinician,
# to a body naming another pump, while the infusion runs, and on replay; the administrator's
# erases the vault, the identity store and the device key, audited and checkpointed; afterwards
# the pump refuses login and therapy, `pumpd serve` and `provision` refuse the folder, the
# patient's name is nowhere in it, and the audit log still verifies with `vigil log verify`.
# Usage: decommission_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"
serve_pump PUMP-DECOM
login_admin
enrol_clinician bob
patient="Jane Roe MRN-778812"
# scan WHAT: the number of files under state/ holding the patient's name in clear.
scan() { grep -rlaF "$patient" state | wc -l; }
echo "$patient" >state/control.txt  # the scan finds the name where it is in clear
equal "the scan finds a name in clear" "$(scan)" 1
rm state/control.txt

tag
api "start for a patient" 200 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000,\"patient\":\"$patient\"}"
api "the therapy record" 200 --session "$clinician" GET /api/v1/therapy/record
equal "the record names the patient" "$(json "['patient']")" "$patient"
equal "the record names the clinician" "$(json "['clinician']")" bob
check "vigil vault scan: the name not in the database" 0 "$vigil" vault scan --db state/vault.sqlite --text "$patient"
equal "files holding the name in clear while in service" "$(scan)" 0
tag
api "a patient name with a control character" 400 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000,\"patient\":\"a\\u0001b\"}"
expect_stdout 'request body: $.patient: expected 1 to 128 bytes'

decommission() { echo "{$TAG,\"device_id\":\"$1\"}"; }
counter=0  # the administrator's session counts on its own
tag
api "a clinician may not decommission" 403 --session "$clinician" POST /api/v1/decommission "$(decommission PUMP-DECOM)"
expect_stdout "device.decommission: denied"
tag
api "another pump's id" 400 --session "$admin" POST /api/v1/decommission "$(decommission PUMP-OTHER)"
expect_stdout 'device_id: expected \\"PUMP-DECOM\\"'
tag
api "while infusing" 409 --session "$admin" POST /api/v1/decommission "$(decommission PUMP-DECOM)"
expect_stdout "the infusion is running; stop it first"
api "stop" 200 --session "$clinician" POST /api/v1/therapy/stop
api "no nonce" 400 --session "$admin" POST /api/v1/decommission '{"device_id":"PUMP-DECOM"}'
tag
order=$(decommission PUMP-DECOM)
api "decommission" 200 --session "$admin" POST /api/v1/decommission "$order"
equal "decommissioned" "$(json "['decommissioned']")" PUMP-DECOM
equal "erased" "$(json "['erased']")" "['vault', 'identity', 'device-key']"
api "the order replayed" 409 --session "$admin" POST /api/v1/decommission "$order"
expect_stdout "is decommissioned"
api "login refused" 409 POST /api/v1/login \
  "{\"account\":\"bob\",\"password\":\"bob has a long passphrase\",\"totp\":\"$(totp_now "$clinician_totp")\"}"
expect_stdout "no login or therapy until it is provisioned again"
tag
api "therapy refused" 409 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
api "the record is gone" 409 --session "$clinician" GET /api/v1/therapy/record

stop_pump
equal "decommission audited" "$(grep -c '"action":"device.decommission","actor":"alice"' out.txt)" 1
equal "erasures audited" "$(grep -c '"action":"key.crypto-erase"' out.txt)" 2
expect_stdout '"objects":\["identity-key","identity-store","device-key"\]'
for gone in se/vault-kek se/identity-key identity.json tls/device.key; do
  if [[ -e state/$gone ]]; then fail=$((fail + 1)); echo "FAIL state/$gone survived"; else
    pass=$((pass + 1)); fi
done
equal "files holding the name in clear after" "$(scan)" 0
check "serve refuses the folder" 1 "$pumpd" serve --state state \
  --policy "$src/examples/infusion-pump/access-policy.json" --library lib.json
expect_err "PUMP-DECOM was decommissioned"
echo 'another password entirely' >pw2
check "provision refuses the folder" 1 "$pumpd" provision --state state --secret-file secret.txt \
  --admin mallory --password-file pw2
expect_err "manufacture it again into a new state folder"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
