#!/usr/bin/env bash
# vigil scan end to end: a database imported from the real Go vulnerability database (OSV) and
# the real CISA KEV catalogue, a real medical-device SBOM (narrow.sbom.json, converted to
# CycloneDX 1.6) with two Go components added by this test, VEX in all three formats, every
# output format validated by its reference tool, and the exit codes (0 / 1 --fail-on / 2).
set -u
vigil=$1
src=$2
data=$3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
pass=0; fail=0
check() {  # check NAME EXPECTED_RC COMMAND...
  local name=$1 want=$2; shift 2
  "$@" >out.txt 2>err.txt; local rc=$?
  if [[ $rc -eq $want ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $name: exit $rc, expected $want"; head -20 out.txt err.txt; fi
}
expect() {  # expect FILE TEXT
  if grep -q -- "$2" "$1"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1 should contain '$2':"; head -20 "$1"; fi
}
expect_err_line() {  # stderr is exactly one line containing TEXT
  if grep -q -- "$1" err.txt && [[ $(wc -l <err.txt) -eq 1 ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL stderr should be one line containing '$1':"; cat err.txt; fi
}
node_tool() {  # node_tool SCRIPT ARGS...: a reference validator from build/node
  VIGIL_NODE_MODULES=$src/build/node/node_modules node "$src/tests/tools/$1" "${@:2}"
}

check "import OSV Go + KEV" 0 "$vigil" vulndb import --db db.sqlite "$data/vuln/osv-go" \
  "$data/vuln/kev/known_exploited_vulnerabilities.json"
check "convert real SBOM" 0 "$vigil" sbom convert "$data/sbom/medical-device/narrow.sbom.json" \
  --out narrow16.json
# The device also ships a Go agent: Go 1.13.5's standard library (GO-2022-0535 is CVE-2020-0601,
# in KEV) and a wazuh module (GO-2025-3459, CVE-2025-24016, in KEV).
python3 - <<'PY'
import json
d = json.load(open('narrow16.json'))
d['components'] += [
  {'type': 'library', 'bom-ref': 'go-stdlib', 'name': 'stdlib', 'version': '1.13.5',
   'purl': 'pkg:golang/stdlib@1.13.5'},
  {'type': 'library', 'bom-ref': 'wazuh', 'name': 'github.com/wazuh/wazuh',
   'version': 'v4.5.0+incompatible', 'purl': 'pkg:golang/github.com/wazuh/wazuh@v4.5.0%2Bincompatible'}]
json.dump(d, open('device.json', 'w'), indent=1)
PY

check "scan table" 1 "$vigil" scan device.json --db db.sqlite --fail-on high
cp out.txt table.txt
expect table.txt "GO-2022-0535"
expect table.txt "due 2020-01-29"
expect table.txt "GO-2025-3459"
expect table.txt "why: "
expect err.txt "findings at or above high remain"
check "scan of the device without Go parts finds nothing" 0 \
  "$vigil" scan narrow16.json --db db.sqlite --fail-on low
expect out.txt "0 findings"

cat >vex.openvex.json <<'JSON'
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/pump/vex-1",
 "author": "Pump maker PSIRT", "timestamp": "2025-08-01T00:00:00Z", "version": 1,
 "statements": [
  {"vulnerability": {"name": "CVE-2025-24016"},
   "products": [{"@id": "pkg:golang/github.com/wazuh/wazuh"}],
   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
   "impact_statement": "The wazuh API server is not started on the device"},
  {"vulnerability": {"name": "GO-2022-0535"},
   "products": [{"@id": "pkg:golang/stdlib"}],
   "status": "not_affected", "impact_statement": "we believe so"}]}
JSON
check "scan with OpenVEX" 1 "$vigil" scan device.json --db db.sqlite --vex vex.openvex.json \
  --format json --fail-on high
cp out.txt scan.json
expect err.txt "vex.openvex.json: statements\[1\]: not_affected without a justification"
python3 - <<'PY' >py.txt
import json
d = json.load(open('scan.json'))
by = {}
for f in d['findings']:
    by.setdefault(f['id'], []).append(f)
w = by['GO-2025-3459'][0]
s = by['GO-2022-0535'][0]
print('wazuh', w['suppressed'], w['vex']['trace'], w['kev'])
print('stdlib', s['suppressed'], s['kev'], s['kev_due_date'])
print('findings', len(d['findings']))
PY
expect py.txt "wazuh True vex.openvex.json: statements\[0\] True"
expect py.txt "stdlib False True 2020-01-29"

for fmt in cyclonedx openvex csaf sarif; do
  check "format $fmt" 0 "$vigil" scan device.json --db db.sqlite --vex vex.openvex.json \
    --format "$fmt" --output "scan.$fmt.json" --publisher "Example Medical" \
    --publisher-namespace https://example-medical.test
  expect out.txt "scan.$fmt.json: "
done
python3 -c "
import json, sys
p = json.load(open('scan.csaf.json'))['document']['publisher']
o = json.load(open('scan.openvex.json'))
sys.exit(0 if (p['name'], p['namespace'], o['author']) == ('Example Medical',
    'https://example-medical.test', 'Example Medical') else 1)" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL publisher not in CSAF / OpenVEX"; }
# No placeholder publisher: CSAF needs the manufacturer's name and URL.
check "csaf without publisher" 2 "$vigil" scan device.json --db db.sqlite --format csaf
expect_err_line "--publisher NAME and --publisher-namespace URL are required"
check "csaf with a bad namespace" 2 "$vigil" scan device.json --db db.sqlite --format csaf \
  --publisher X --publisher-namespace example-medical.test
expect_err_line "--publisher-namespace: expected an http(s) URL"
check "CycloneDX VEX schema" 0 node_tool validate-json-schema.js \
  "$data/sbom/cyclonedx/bom-1.6.schema.json" scan.cyclonedx.json
check "CSAF reference validator" 0 node_tool validate-csaf.mjs scan.csaf.json
check "SARIF schema" 0 node_tool validate-sarif.js scan.sarif.json
# Our own outputs are VEX Vigil reads back: the decision survives the round trip.
for fmt in cyclonedx openvex csaf; do
  check "read back $fmt" 0 "$vigil" scan device.json --db db.sqlite --vex "scan.$fmt.json" \
    --format json --output "back.$fmt.json"
  python3 -c "
import json, sys
d = json.load(open('back.$fmt.json'))
ok = [f for f in d['findings'] if f['id'] == 'GO-2025-3459' and f['suppressed']]
sys.exit(0 if ok else 1)" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL $fmt round trip"; }
done
check "output refuses overwrite" 2 "$vigil" scan device.json --db db.sqlite --format sarif \
  --output scan.sarif.json

echo '{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a",
  "timestamp": "2025-01-01T00:00:00Z", "version": 1, "statements": [{"vulnerability":
  {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "unaffected"}]}' >bad.json
check "malformed VEX" 2 "$vigil" scan device.json --db db.sqlite --vex bad.json
expect_err_line "bad.json: statements\[0\].status: expected one of not_affected"
check "missing database" 2 "$vigil" scan device.json --db nope.sqlite
expect_err_line "nope.sqlite"
check "bad threshold" 2 "$vigil" scan device.json --db db.sqlite --fail-on severe
expect_err_line "--fail-on: expected critical, high, medium, low or none, got 'severe'"
check "bad SBOM" 2 "$vigil" scan "$data/sbom/cyclonedx/tests/invalid-scope-1.6.json" --db db.sqlite
expect_err_line "components\[0\].scope"
echo "scan cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
