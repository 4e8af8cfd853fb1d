#!/usr/bin/env bash
# Break-glass (labels device, e2e): a clinician without her second factor opens an emergency
# session with password and reason (`serve --break-glass-minutes 1`); it is refused without a
# reason, with a wrong password and to an administrator; it may start, stop and watch therapy
# only (the policy's break-glass grants; the access module allows no more than therapy.start,
# .stop and monitor.*: the status routes need monitor.therapy), raises an alert, is audited with purpose break-glass and waits
# in the review queue, which a clinician may not close and the administrator does; it ends after
# its minute while the infusion it started keeps running.
# Usage: break_glass_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"
serve_pump PUMP-BTG --break-glass-minutes 1
login_admin
enrol_clinician bob
reason="bedside emergency, authenticator phone not at hand"
emergency() { echo "{\"account\":\"$1\",\"password\":\"$2\",\"reason\":\"$reason\"}"; }

api "no reason" 400 POST /api/v1/break-glass '{"account":"bob","password":"bob has a long passphrase"}'
api "wrong password" 401 POST /api/v1/break-glass "$(emergency bob 'not his password')"
api "administrators have no break-glass" 403 POST /api/v1/break-glass \
  "$(emergency alice 'correct horse battery staple')"
expect_stdout "emergency access is for clinicians"
api "break-glass" 200 POST /api/v1/break-glass "$(emergency bob 'bob has a long passphrase')"
opened=$(date +%s)
btg=$(json "['session']")
equal "a minute long" "$(json "['expires_in_s']")" 60
equal "marked" "$(json "['break_glass']")" True

tag
api "start under break-glass" 200 --session "$btg" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":36000,\"volume_ul\":100000}"
equal "running" "$(json "['state']")" running
tag
api "no program change under break-glass" 403 --session "$btg" POST /api/v1/therapy/change \
  "{$TAG,\"drug_id\":\"$heparin\",\"rate_ul_h\":18000,\"volume_ul\":100000}"
api "no accounts under break-glass" 403 --session "$btg" POST /api/v1/accounts \
  '{"account":"eve","role":"administrator","password":"eve has a long passphrase"}'
api "status under break-glass (monitor.therapy)" 200 --session "$btg" GET /api/v1/status
equal "the emergency infusion shows" "$(json "['state']")" running
api "alerts under break-glass (monitor.therapy)" 200 --session "$btg" GET /api/v1/alerts
api "no therapy record under break-glass (therapy.view)" 403 --session "$btg" GET /api/v1/therapy/record
api "the alert" 200 --session "$admin" GET /api/v1/alerts
expect_stdout "break-glass session opened by bob: $reason"

api "the review queue" 200 --session "$admin" GET /api/v1/break-glass/reviews
equal "one pending" "$(json "['pending'][0]['account']"),$(json "['pending'][0]['reason']")" "bob,$reason"
review=$(json "['pending'][0]['review']")
api "a clinician may not close it" 403 --session "$clinician" POST /api/v1/break-glass/reviews/close "{\"review\":$review}"

sleep $((opened + 62 - $(date +%s)))
api "the session ended after its minute" 401 --session "$btg" GET /api/v1/status
api "the infusion it started runs on" 200 --session "$clinician" GET /api/v1/status
equal "still running" "$(json "['state']")" running
api "the administrator closes the review" 200 --session "$admin" POST /api/v1/break-glass/reviews/close "{\"review\":$review}"
api "the queue after" 200 --session "$admin" GET /api/v1/break-glass/reviews
equal "none pending" "$(json "['pending']")" "[]"

stop_pump
expect_stdout '"action":"emergency.open","actor":"bob".*"outcome":"success".*"purpose":"break-glass"'
expect_stdout '"action":"therapy.start","actor":"bob".*"purpose":"break-glass"'
expect_stdout '"action":"emergency.review","actor":"alice"'
equal "refused openings audited" "$(grep -c '"action":"emergency.open".*"outcome":"minor-failure"' out.txt)" 2

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
