#!/usr/bin/env bash
# `vigil fleet` end to end: products, releases and devices added, listed and shown (table and
# JSON); check-ins of a device whose audit log is written by `vigil log` (append, checkpoint,
# prove): the first checkpoint is trusted, a grown log with its consistency proof is accepted, a
# rolled-back log, a forked log, a counter that went down and a checkpoint signed by another key
# are each refused and listed by `vigil fleet alerts`; one-line errors.
set -u
vigil=$1
src=$2
data=$3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
source "$src/tests/testing/check_lib.sh"
P="Infusion pump"
origin=pump.example/SN-1/audit

# --- model -------------------------------------------------------------------------------------
check "product add" 0 "$vigil" fleet product add "$P" --manufacturer "Example Medical"
expect_stdout "fleet.sqlite: product '$P' added"
check "product again" 2 "$vigil" fleet product add "$P"
expect_err "vigil fleet: fleet database fleet.sqlite: product '$P' already exists"
check "release of no product" 2 "$vigil" fleet release add --product Ventilator --version 1.0
expect_err "no product 'Ventilator' (add it first)"
check "release 1.0" 0 "$vigil" fleet release add --product "$P" --version 1.0 --sbom r1.json
expect_stdout "(register: $P 1.0)"
check "release 1.1" 0 "$vigil" fleet release add --product "$P" --version 1.1 --sbom r2.json
check "release list json" 0 "$vigil" fleet release list --format json
equal "releases" "$(python3 -c 'import json,sys; print(len(json.load(open("out.txt"))))')" 2

check keygen 0 "$vigil" keygen --alg ed25519 --out dev.pem
check vkey 0 "$vigil" log vkey --origin "$origin" --key dev.pem
vkey=$(cat out.txt)
check keygen-other 0 "$vigil" keygen --alg ed25519 --out other.pem
check "device add" 0 "$vigil" fleet device add SN-1 --product "$P" --release 1.0 --log-key "$vkey" \
  --site "Ward 3" --customer "General Hospital" --support-end 2031-12-31 --counter 3
expect_stdout "device 'SN-1' ($P 1.0) added"
check "device bad key" 2 "$vigil" fleet device add SN-2 --product "$P" --release 1.0 --log-key nonsense
expect_err "vigil fleet: log key: "
check "device bad date" 2 "$vigil" fleet device add SN-2 --product "$P" --release 1.0 \
  --log-key "$vkey" --support-end 31/12/2031
expect_err "support end: expected a date YYYY-MM-DD, got '31/12/2031'"
check "device unknown release" 2 "$vigil" fleet device add SN-2 --product "$P" --release 3.0 --log-key "$vkey"
expect_err "no release '3.0' of product '$P'"
check "device negative counter" 2 "$vigil" fleet device add SN-2 --product "$P" --release 1.0 \
  --log-key "$vkey" --counter -1
check "device 2" 0 "$vigil" fleet device add SN-2 --product "$P" --release 1.1 --log-key "$vkey" --site ICU
check "device list" 0 "$vigil" fleet device list --site ICU
expect_stdout "^SN-2 "
expect_stdout "1 device(s)"
check "product show" 0 "$vigil" fleet product show "$P" --format json
equal "product devices" "$(python3 -c 'import json; print(json.load(open("out.txt"))["devices"])')" 2
check "release show" 0 "$vigil" fleet release show --product "$P" --version 1.0
expect_stdout "site      Ward 3: 1 device(s)"
check "product list" 0 "$vigil" fleet product list
expect_stdout "1 product(s)"
check "missing db" 2 "$vigil" fleet device list --db nowhere.sqlite
expect_err "nowhere.sqlite"

# --- check-ins ---------------------------------------------------------------------------------
append() {  # append DIR N: N events in the log at DIR
  for ((i = 0; i < $2; i++)); do
    "$vigil" log append --dir "$1" --device SN-1 --actor "clin.$((i % 5))" --role clinician \
      --action auth.login >/dev/null || echo "FAIL append to $1"
  done
}
source "$src/tests/testing/checkin_lib.sh"  # body OUT DIR RELEASE COUNTER [PROOF-FROM]
append log 5
check "checkpoint 5" 0 "$vigil" log checkpoint --dir log --origin "$origin" --key dev.pem
body c1.json log 1.1 4
check "first check-in" 0 "$vigil" fleet checkin --device SN-1 c1.json
expect_stdout "SN-1: check-in accepted (release 1.1, counter 4)"
append log 10
check "checkpoint 15" 0 "$vigil" log checkpoint --dir log --origin "$origin" --key dev.pem
body c2.json log 1.1 4 5
check "grown log with proof" 0 "$vigil" fleet checkin --device SN-1 c2.json --format json
equal "accepted" "$(python3 -c 'import json; print(json.load(open("out.txt"))["accepted"])')" True
check "device show" 0 "$vigil" fleet device show SN-1 --format json
equal "stored size" "$(python3 -c 'import json; print(json.load(open("out.txt"))["checkpoint"]["size"])')" 15
equal "stored release" "$(python3 -c 'import json; print(json.load(open("out.txt"))["release"])')" 1.1

# Rolled back: the device's log replaced by a smaller one (8 events), signed with its key.
append restored 8
check "checkpoint restored" 0 "$vigil" log checkpoint --dir restored --origin "$origin" --key dev.pem
body c3.json restored 1.1 4
check "rolled-back log" 1 "$vigil" fleet checkin --device SN-1 c3.json
expect_stdout "check-in NOT accepted, 1 alert(s)"
expect_stdout "rolled_back .*accepted size 15, reported 8"
# Forked: another history of 15 events and one more, with the fork's own proof from 15.
append fork 15
"$vigil" log append --dir fork --device SN-1 --actor intruder.1 --role administrator \
  --action auth.login >/dev/null
check "checkpoint fork" 0 "$vigil" log checkpoint --dir fork --origin "$origin" --key dev.pem
body c4.json fork 1.1 4 15
check "forked log" 1 "$vigil" fleet checkin --device SN-1 c4.json
expect_stdout "forked .*consistency proof does not verify (accepted size 15, reported 16)"
# A counter that went down, with an honest log.
append log 1
check "checkpoint 16" 0 "$vigil" log checkpoint --dir log --origin "$origin" --key dev.pem
body c5.json log 1.1 2 15
check "counter down" 1 "$vigil" fleet checkin --device SN-1 c5.json
expect_stdout "counter_rollback .*security counter went down from 4 to 2"
# Signed by another key.
cp -r log stolen
check "checkpoint other key" 0 "$vigil" log checkpoint --dir stolen --origin "$origin" --key other.pem
body c6.json stolen 1.1 4 15
check "bad signature" 1 "$vigil" fleet checkin --device SN-1 c6.json
expect_stdout "bad_signature"
check "alerts" 0 "$vigil" fleet alerts --device SN-1 --format json
equal "alert kinds" "$(python3 -c 'import json; print(",".join(a["kind"] for a in json.load(open("out.txt"))))')" \
  "rolled_back,forked,counter_rollback,bad_signature"
check "device unchanged" 0 "$vigil" fleet device show SN-1
expect_stdout "security counter  4"
expect_stdout "checkpoint        $origin size 15 "
expect_stdout "alerts            4"
# The honest check-in still goes through after all that.
body c7.json log 1.1 4 15
check "honest again" 0 "$vigil" fleet checkin --device SN-1 c7.json --db fleet.sqlite
check "alerts table" 0 "$vigil" fleet alerts
expect_stdout "4 alert(s)"

# Bad input: one line naming the file and the JSON path.
echo '{"release":"1.1","slot":"c","slot_status":"good","security_counter":1,"checkpoint":"x"}' > bad.json
check "bad slot" 2 "$vigil" fleet checkin --device SN-1 bad.json
expect_err "vigil fleet: bad.json: \$.slot: expected \"a\" or \"b\", got 'c'"
check "unknown device" 2 "$vigil" fleet checkin --device SN-404 c5.json
expect_err "no device 'SN-404'"
check "no body" 2 "$vigil" fleet checkin --device SN-1 missing.json
expect_err "missing.json"

# --- exposure ----------------------------------------------------------------------------------
# A real scan of two releases of the real medical-device SBOM (with the device's Go service agent,
# as tests/triage does) against the real OSV Go advisories and CISA KEV, filed in the register.
# Between the releases wazuh moves from 4.5.0 to 4.7.0 (still vulnerable: CVE-2025-24016, KEV) and
# x/crypto to 0.35.0 (its findings are fixed in 1.1 and stay open on the devices running 1.0).
check "import OSV Go + KEV" 0 "$vigil" vulndb import --db db.sqlite "$data/vuln/osv-go" \
  "$data/vuln/kev/known_exploited_vulnerabilities.json"
python3 "$src/tests/testing/go_agent_release.py" "$data" narrow.sbom.json r1.json v4.5.0+incompatible \
  v0.0.0-20200220183623-bac4c82f6975
python3 "$src/tests/testing/go_agent_release.py" "$data" narrow.sbom.json r2.json v4.7.0+incompatible v0.35.0
reg=register.sqlite
check "policy" 0 "$vigil" triage policy --register $reg "$src/examples/risk-policy.yaml" --actor qa@example-medical.test
check "scan 1.0" 0 "$vigil" scan r1.json --db db.sqlite --register $reg --product "$P" --release 1.0
check "scan 1.1" 0 "$vigil" scan r2.json --db db.sqlite --register $reg --product "$P" --release 1.1
check "device 3" 0 "$vigil" fleet device add SN-3 --product "$P" --release 1.0 --log-key "$vkey" --site "Ward 3"
check "device 4" 0 "$vigil" fleet device add SN-4 --product "$P" --release 1.0 --log-key "$vkey" --site ICU
# SN-1 (1.1 since its check-in) and SN-3 in Ward 3; SN-2 (1.1) and SN-4 (1.0) in ICU.
check "exposure KEV" 0 "$vigil" fleet exposure --register $reg --cve CVE-2025-24016 --format json
cp out.txt kev.json
q() { python3 -c "import json; e = json.load(open('$1')); print($2)"; }
equal "KEV devices" "$(q kev.json 'e["devices"]')" 4
equal "KEV uncontrolled" "$(q kev.json 'e["uncontrolled_devices"]')" 4
equal "KEV rows" "$(q kev.json '" ".join(r["release"] + "/" + r["site"] + "=" + str(r["devices"]) for r in e["rows"])')" \
  "1.0/ICU=1 1.0/Ward 3=1 1.1/ICU=1 1.1/Ward 3=1"
equal "KEV component" "$(q kev.json 'e["rows"][0]["record"]["component"]')" pkg:golang/github.com/wazuh/wazuh
equal "KEV sites" "$(q kev.json '" ".join(s["site"] + "=" + str(s["devices"]) for s in e["sites"])')" "ICU=2 Ward 3=2"
check "exposure all" 0 "$vigil" fleet exposure --register $reg --format json
cp out.txt all.json
# Uncontrolled first; the x/crypto findings fixed in 1.1 stay open on the devices running 1.0.
equal "uncontrolled first" "$(q all.json 'sorted(e["rows"], key=lambda r: r["controlled"]) == e["rows"]')" True
fixed=$(q all.json 'sorted(set(r["record"]["vulnerability"] for r in e["rows"] if r["fixed_in"] == "1.1"))')
equal "fixed in 1.1 open on 1.0 only" \
  "$(q all.json 'set(r["release"] for r in e["rows"] if r["fixed_in"] == "1.1")')" "{'1.0'}"
[[ $fixed != "[]" ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL no x/crypto finding fixed in 1.1"; }
check "exposure ICU" 0 "$vigil" fleet exposure --register $reg --site ICU
expect_stdout "^UNCONTROLLED .*CVE-2025-24016"
expect_stdout "site ICU: 2 device(s) exposed"
if grep -q "Ward 3" out.txt; then fail=$((fail + 1)); echo "FAIL --site ICU lists Ward 3"; else pass=$((pass + 1)); fi
# A not_affected decision takes the finding out of the exposure.
stdlib_cve=$(q all.json '[r["record"]["vulnerability"] for r in e["rows"] if r["record"]["component"] == "pkg:golang/stdlib"][0]')
check "not affected" 0 "$vigil" triage set --register $reg --product "$P" --vulnerability "$stdlib_cve" \
  --component pkg:golang/stdlib --status not_affected --justification code_not_reachable \
  --reason "the agent never reaches it" --actor psirt@example-medical.test
check "exposure after decision" 0 "$vigil" fleet exposure --register $reg --cve "$stdlib_cve" --format json
equal "decided away" "$(q out.txt 'len(e["rows"])')" 0
check "exposure as of 2099" 0 "$vigil" fleet exposure --register $reg --cve CVE-2025-24016 --as-of 2099-01-01
expect_stdout "OVERDUE"
check "exposure no register" 2 "$vigil" fleet exposure --register nowhere.sqlite
expect_err "nowhere.sqlite"

# Deregistering: the device leaves the fleet and its counts, its check-ins are refused.
check "device 5" 0 "$vigil" fleet device add SN-5 --product "$P" --release 1.0 --log-key "$vkey"
check "device remove" 0 "$vigil" fleet device remove SN-5
expect_stdout "device 'SN-5' (.* 1.0) removed; its check-ins are refused from now on"
check "removed device check-in" 2 "$vigil" fleet checkin --device SN-5 c7.json
expect_err "no device 'SN-5'"
check "remove again" 2 "$vigil" fleet device remove SN-5
expect_err "no device 'SN-5'"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
