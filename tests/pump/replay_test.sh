#!/usr/bin/env bash
# Critical commands refused on replay (labels device, e2e): a start, a program change and a
# drug-library update, each captured and sent again — on a new TLS connection, on the same
# connection, from a new login session, and with a fresh nonce but an old counter — are refused
# (403 "replayed command"), audited as integrity.violation and alerted, and the running infusion
# keeps the program it was given. A library update is sealed and written for the next boot; an
# older library is refused as a rollback.
# Usage: replay_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"
serve_pump PUMP-REPLAY
login_admin
enrol_clinician bob

tag
start="{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
api "start" 200 --session "$clinician" POST /api/v1/therapy/start "$start"
api "the start replayed on a new TLS connection" 403 --session "$clinician" POST /api/v1/therapy/start "$start"
expect_stdout "replayed command: nonce"
expect_stdout "was already used"

tag
change="{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":18000,\"volume_ul\":100000}"
check "a change sent twice on one connection" 0 "${client[@]}" --cert clients/ward-7.pem \
  --key clients/ward-7.key --session "$clinician" --twice POST /api/v1/therapy/change "$change"
equal "answers on the connection" "$(cut -d' ' -f1 out.txt | tr '\n' ' ')" "200 403 "
expect_stdout "replayed command: nonce"

stale="{\"nonce\":\"$(openssl rand -hex 16)\",\"counter\":1,\"drug_id\":\"$heparin\",\"rate_ul_h\":40000,\"volume_ul\":100000}"
api "a fresh nonce with an old counter" 403 --session "$clinician" POST /api/v1/therapy/change "$stale"
expect_stdout "replayed command: counter 1 is not above 2"

sleep $((31 - $(date +%s) % 30))  # a TOTP code is accepted once: wait for the next one
login_clinician bob
api "the change replayed from a new session" 403 --session "$clinician" POST /api/v1/therapy/change "$change"
expect_stdout "was already used"
api "nothing replayed took effect" 200 --session "$clinician" GET /api/v1/status
equal "state" "$(json "['state']")" running
equal "rate: the one change accepted" "$(json "['rate_ul_h']")" 18000

# The drug library: an update with a higher version, its replay, and a rollback.
library() {  # library VERSION: the example library as that version, in an update tagged $TAG
  python3 -c "import json; l = json.load(open('$src/examples/infusion-pump/drug-library.json')); \
l['version'] = $1; print(json.dumps({$TAG, 'library': l}))"
}
counter=0  # the administrator's session counts on its own
tag
update=$(library 2)
api "library update" 200 --session "$admin" POST /api/v1/drug-library "$update"
equal "library version" "$(json "['library_version']")" 2
api "the update replayed" 403 --session "$admin" POST /api/v1/drug-library "$update"
tag
api "an older library" 409 --session "$admin" POST /api/v1/drug-library "$(library 1)"
expect_stdout "version 1 is not above version 2 in force: refused"
api "alerts" 200 --session "$clinician" GET /api/v1/alerts
expect_stdout '"component":"api","message":"replayed command'

stop_pump
equal "replays audited" "$(grep -c '"action":"integrity.violation"' out.txt)" 5
expect_stdout '"reason":"replayed command refused"'
check "the new library was sealed for the next boot" 0 "$pumpd" library check --state state lib.json
expect_stdout "drug library version 2: 5 drugs, integrity verified"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
