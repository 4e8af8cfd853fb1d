# Step: import the real Go vulnerability database and CISA KEV catalogue, scan a medical-device
# SBOM that also ships a Go agent, apply the maker's OpenVEX, write SARIF and CSAF VEX.
set -e
cd "$DEMO_DIR"
"$VIGIL" vulndb import --db scan-db.sqlite "$VIGIL_DATA_DIR/vuln/osv-go" \
  "$VIGIL_DATA_DIR/vuln/kev/known_exploited_vulnerabilities.json" | tail -1
"$VIGIL" sbom convert "$VIGIL_DATA_DIR/sbom/medical-device/narrow.sbom.json" --out pump.json --force
python3 - <<'PY'
import json
d = json.load(open('pump.json'))
d['components'] += [
  {'type': 'library', 'bom-ref': 'go-stdlib', 'name': 'stdlib', 'version': '1.13.5',
   'purl': 'pkg:golang/stdlib@1.13.5'},
  {'type': 'library', 'bom-ref': 'wazuh', 'name': 'github.com/wazuh/wazuh',
   'version': 'v4.5.0+incompatible', 'purl': 'pkg:golang/github.com/wazuh/wazuh@v4.5.0%2Bincompatible'}]
json.dump(d, open('pump.json', 'w'))
PY
cat >pump.openvex.json <<'JSON'
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/pump/vex-1",
 "author": "Pump maker PSIRT", "timestamp": "2025-08-01T00:00:00Z", "version": 1,
 "statements": [{"vulnerability": {"name": "CVE-2025-24016"},
   "products": [{"@id": "pkg:golang/github.com/wazuh/wazuh"}],
   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
JSON
"$VIGIL" scan pump.json --db scan-db.sqlite --vex pump.openvex.json | grep -E "KEV|^SEVERITY" | head -4
"$VIGIL" scan pump.json --db scan-db.sqlite --vex pump.openvex.json --format sarif --out pump.sarif --force
"$VIGIL" scan pump.json --db scan-db.sqlite --vex pump.openvex.json --format csaf --out pump.csaf.json --force \
  --publisher 'Demo Medical' --publisher-namespace https://demo-medical.test
rc=0
"$VIGIL" scan pump.json --db scan-db.sqlite --vex pump.openvex.json --fail-on high >/dev/null 2>&1 || rc=$?
report=$("$VIGIL" scan pump.json --db scan-db.sqlite --vex pump.openvex.json 2>/dev/null)
printf '%s\n' "$report" >pump.scan.txt  # the table, kept with the SARIF and CSAF
summary=$(grep -m1 '^pump.json: ' <<<"$report")
uncovered=$(grep -m1 -oE '^[0-9]+ components not covered' <<<"$report" || true)
echo "${summary#pump.json: }${uncovered:+; $uncovered (listed)}; --fail-on high exits $rc; SARIF, CSAF VEX and the table in pump.scan.txt"
