#!/usr/bin/env bash
# vigil threat check|findings|views|diff on the infusion pump's threat model: the summary, the
# findings (the same bytes on a second run, the facts that fired each, --fail-on-uncontrolled),
# the views rendered to SVG by Graphviz's dot with the expected nodes, a diff after an edit,
# one-line errors naming file and line (exit 2), a missing dot refused, and the model's controls
# naming ctest tests of this build and files of this tree.
set -u
vigil=$1
src=$2
build=$3
model=$src/examples/infusion-pump/threat-model.yaml
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

check check 0 "$vigil" threat check "$model"
expect_stdout "Vigil reference infusion pump (IEC 62304 class C, cyber device)"
expect_stdout "2 files, 4 clinical functions"
expect_stdout "rules: vigil-medical 2026.12.1"
expect_stdout "findings: .* uncontrolled before mitigation, .* after"
if grep -q "stale tracking" out.txt; then fail=$((fail + 1)); echo "FAIL stale tracking:"; cat out.txt; else pass=$((pass + 1)); fi

check findings-json 0 "$vigil" threat findings --format json "$model"
cp out.txt findings1.json
equal findings-read "$(python3 -c '
import json
d = {f["id"]: f for f in json.load(open("findings1.json"))}
u = d["open-debug-port@service-uart"]
t = d["unauthenticated-therapy-command@pumpd-to-motor"]
print(len(d) >= 20, u["fired_by"], u["controls"], t["status"], t["pre"]["harm"], t["post"]["controlled"])')" \
  "True ['interface_type = uart', 'enabled_in_production = true'] ['C-role-policy'] accepted catastrophic False"
check findings-again 0 "$vigil" threat findings --format json "$model"
equal stable-ids "$(sha256sum <out.txt | cut -c1-64)" "$(sha256sum <findings1.json | cut -c1-64)"
check findings-text 0 "$vigil" threat findings "$model"
expect_stdout "open-debug-port@service-uart  \[elevation_of_privilege\] A debug port is open in production"
expect_stdout "    fired by: interface_type = uart, enabled_in_production = true"
check fail-on-uncontrolled 1 "$vigil" threat findings --fail-on-uncontrolled "$model"

check views 0 "$vigil" threat views "$model" --out views
equal svg-count "$(ls views/*.svg | wc -l)" 7
for v in global multi-patient update use-case-infusion use-case-alarms use-case-dose-limits use-case-records; do
  if [[ -s views/$v.svg ]] && grep -q '<svg' "views/$v.svg"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL views/$v.svg missing or not SVG"; fi
done
expect views/global.svg "<title>pumpd</title>"
expect views/global.svg "<title>service&#45;uart</title>"
expect views/global.svg "<title>cluster_patient&#45;body</title>"
expect views/update.svg "<title>update&#45;repository</title>"
expect views/update.svg "SBOM: pkg:generic/vigil&#45;update&#45;agent@0.1.0"
expect views/multi-patient.svg "<title>integration&#45;gateway</title>"
expect views/use-case-infusion.svg "<title>motor&#45;controller</title>"
check no-dot 2 env PATH=/nonexistent "$vigil" threat views "$model" --out views2
expect_err "vigil threat views: dot (Graphviz) not found on PATH"

# A copy of the model with the service console closed and the motor bus authenticated.
cp "$src"/examples/infusion-pump/threat-model*.yaml .
sed -i -e '/id: service-uart/,/credentials: default/s/enabled_in_production: true/enabled_in_production: false/' \
  -e '/id: pumpd-to-motor/,/carries_therapy_commands/s/authentication: none/authentication: token/' threat-model.yaml
rules=(--rules "$src/threat/rules/stride.yaml" --rules "$src/threat/rules/medical.yaml"
       --policy "$src/examples/infusion-pump/threat-risk-policy.yaml")
check diff 1 "$vigil" threat diff "$model" threat-model.yaml "${rules[@]}"
expect_stdout "~ assets service-uart  fields: enabled_in_production"
expect_stdout "~ links pumpd-to-motor  fields: authentication"
expect_stdout "- finding open-debug-port@service-uart  was controlled"
expect_stdout "- finding unauthenticated-therapy-command@pumpd-to-motor"
check diff-json 1 "$vigil" threat diff --format json "$model" threat-model.yaml "${rules[@]}"
equal diff-json-read "$(python3 -c 'import json; d=json.load(open("out.txt")); print(len(d["model"]), sorted({c["change"] for c in d["findings"]}))')" \
  "2 ['removed']"
check diff-same 0 "$vigil" threat diff "$model" "$model"

# One-line errors naming file, line and field.
sed 's/    to: pumpd$/    to: pumpdd/' threat-model.yaml >dangling.yaml
check dangling 2 "$vigil" threat check dangling.yaml "${rules[@]}"
expect_err 'vigil threat check: dangling.yaml:[0-9]*: links\[[0-9]*\].to: unknown asset "pumpdd"'
sed 's/kind: datastore/kind: database/' threat-model.yaml >enum.yaml
check unknown-enum 2 "$vigil" threat check enum.yaml "${rules[@]}"
expect_err 'vigil threat check: enum.yaml:[0-9]*: assets\[[0-9]*\].kind: expected one of process, datastore, external_entity, interface; found "database"'
printf 'includes: [threat-model.yaml]\n' >>threat-model-network.yaml
check include-cycle 2 "$vigil" threat check threat-model.yaml "${rules[@]}"
expect_err 'vigil threat check: threat-model-network.yaml:[0-9]*: includes\[0\]: include cycle threat-model.yaml -> threat-model-network.yaml -> threat-model.yaml'
cp "$src"/examples/infusion-pump/threat-model-network.yaml .
sed 's/  - id: siem$/  - id: pumpd/' threat-model-network.yaml >net.yaml && mv net.yaml threat-model-network.yaml
check duplicate-id 2 "$vigil" threat check threat-model.yaml "${rules[@]}"
expect_err 'vigil threat check: threat-model-network.yaml:[0-9]*: assets\[[0-9]*\].id: duplicate id "pumpd" (first defined at threat-model.yaml:[0-9]*'
printf 'ruleset: bad\nversion: "1"\nrules:\n  - {id: r, title: t, stride: spoofing, applies_to: [link], when: "signedd", exploitability: 1}\n' >bad-rules.yaml
check bad-rule 2 "$vigil" threat check "$model" --rules bad-rules.yaml
expect_err 'vigil threat check: bad-rules.yaml:4: rules\[0\].when: column 1: expected a fact'
check no-model 2 "$vigil" threat check does-not-exist.yaml
expect_err 'vigil threat check: .*does-not-exist.yaml'

# The Playbook's worked example (AMPS: ankle monitor, phone app over BLE, cloud, clinician portal)
# fits the same model: checked, its findings on the shapes the pump lacks, its six views.
amps=$src/examples/playbook-amps/threat-model.yaml
check amps-check 0 "$vigil" threat check "$amps"
expect_stdout "AMPS ankle monitor predictor of stroke (Playbook worked example) (IEC 62304 class B, cyber device)"
expect_stdout "1 files, 3 clinical functions, 9 trust boundaries, 14 assets, 15 links, 4 data assets, 4 controls, 8 tracked findings"
if grep -q "stale tracking" out.txt; then fail=$((fail + 1)); echo "FAIL amps stale tracking:"; cat out.txt; else pass=$((pass + 1)); fi
check amps-findings 0 "$vigil" threat findings --format json "$amps"
equal amps-findings-read "$(python3 -c '
import json
d = {f["id"]: f for f in json.load(open("out.txt"))}
b = d["stride-dos-link@ble-to-app"]
r = d["stride-tampering-datastore@cloud-database"]
print(len(d), b["pre"]["controlled"], b["post"]["controlled"], b["controls"], r["post"]["controlled"],
      "stride-tampering-link@ble-to-app" in d, "unsigned-update-path@app-to-monitor-update" in d,
      "open-debug-port@monitor-swd" in d, d["stride-spoofing-external-entity@patient"]["status"])')" \
  "35 False True ['C-monitoring-stopped-alert'] False False False False accepted"
check amps-views 0 "$vigil" threat views "$amps" --out amps-views
equal amps-svg-count "$(ls amps-views/*.svg | wc -l)" 6
expect amps-views/global.svg "<title>cluster_phone</title>"
expect amps-views/update.svg "<title>mobile&#45;app&#45;&gt;monitor&#45;ble</title>"
expect amps-views/use-case-risk-alert.svg "<title>prediction&#45;service</title>"
expect amps-views/multi-patient.svg "<title>mobile&#45;app&#45;&gt;cloud&#45;api</title>"

# The controls name ctest tests of this build and files of this tree.
ctest --test-dir "$build" -N | sed -n 's/^ *Test *#[0-9]*: //p' >tests.txt
equal controls-traced "$(python3 - "$model" "$src" <<'PY'
import os, sys, yaml
model, src = sys.argv[1], sys.argv[2]
tests = set(open("tests.txt").read().split())
bad = []
for c in yaml.safe_load(open(model))["controls"]:
    bad += ["test " + t for t in c["verified_by"] if t not in tests]
    bad += ["file " + f for f in c.get("implemented_by", []) if not os.path.exists(os.path.join(src, f))]
print(bad)
PY
)" "[]"

echo "cli threat: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
