#!/usr/bin/env bash
# The dashboard of `vigil serve` in headless Chromium: a fleet (a product with two releases, four
# devices at three sites, one with a signed check-in), advisories imported and a release scanned
# into the register, the server on loopback; then tests/server/dashboard_browser.js logs in, filters
# the exposure by site, records a triage decision, sees the counts and the chart change, checks
# the session cookie, the Content-Security-Policy, CSRF refusals, the read-only view without the
# form, logout, and runs axe-core on every page. The screenshot stays in BUILD/server/.
# Usage: dashboard_test.sh VIGIL SOURCE_DIR DATA_DIR BUILD_DIR
set -u
vigil=$1
src=$2
data=$3
build=$4
source "$src/tests/server/serve_fleet_lib.sh"

# --- the fleet, the advisories and the register ----------------------------------------------
serve_fleet
device() {  # device SERIAL RELEASE SITE
  check "device $1" 0 "$vigil" fleet device add "$1" --product "$P" --release "$2" --site "$3" \
    --customer "General Hospital" --log-key "$vkey"
}
device SN-1 1.0 ICU
device SN-2 1.0 "Ward 3"
device SN-3 1.0 ICU
device SN-4 1.1 Oncology

# A signed check-in of SN-1: its checkpoint is the device page's history.
for k in 1 2 3; do
  "$vigil" log append --dir sn1-log --device SN-1 --actor "clin.n$k" --role clinician \
    --action auth.login >/dev/null 2>&1
done
check "checkpoint" 0 "$vigil" log checkpoint --dir sn1-log --origin "$origin" --key dev.pem
python3 -c 'import json, sys; json.dump({"release": "1.0", "slot": "a", "slot_status": "good",
  "security_counter": 1, "checkpoint": open("sn1-log/checkpoint").read(), "consistency_proof": []},
  open("checkin.json", "w"))'
check "check-in" 0 "$vigil" fleet checkin --device SN-1 checkin.json

analyst=$("$vigil" serve token add --role analyst ops.analyst 2>/dev/null)
viewer=$("$vigil" serve token add --role read-only ops.viewer 2>/dev/null)
[[ $analyst == vgt_* && $viewer == vgt_* ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL tokens"; }

# --- the server ------------------------------------------------------------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key 2>/dev/null
openssl req -x509 -new -key server.key -out server.pem -days 30 -subj "/CN=localhost" \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null
"$vigil" serve --listen 127.0.0.1:0 --cert server.pem --key server.key --register $reg \
  --audit-dir audit --rate 1000 --burst 1000 >serve.out 2>serve.err &
pids+=($!)
for ((i = 0; i < 600; i++)); do
  grep -q "dashboard at" serve.out 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's|.*dashboard at \(https://[^ ]*/\) .*|\1|p' serve.out)
[[ -n $url ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL server did not start"; cat serve.out serve.err; }

# --- the browser -----------------------------------------------------------------------------
mkdir -p "$build/server"
if VIGIL_NODE_MODULES=$src/build/node/node_modules node "$src/tests/server/dashboard_browser.js" \
    "$url" "$analyst" "$viewer" "$build/server/dashboard.png" >browser.txt 2>&1; then
  pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL browser checks:"; fi
cat browser.txt

# The server's audit log holds the logins, the refusals and the decision under the tokens' names.
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null; pids=()
check "export audit" 0 "$vigil" log export --dir audit
cp out.txt audit.jsonl
audited() { python3 -c "import json; print(' '.join(sorted(set(e['actor'] + ':' + e['action'] + ':' + e['outcome'] for e in map(json.loads, open('audit.jsonl')) if e['reason'].startswith('dashboard')))))"; }
equal "dashboard events audited" "$(audited)" \
  ":auth.login:minor-failure ops.analyst:access.decision:minor-failure ops.analyst:auth.login:success ops.analyst:auth.logout:success ops.analyst:config.change:success ops.viewer:access.decision:minor-failure ops.viewer:auth.login:success"

echo "dashboard: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
