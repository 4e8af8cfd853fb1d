# Step: the triage register over two releases of the medical device scanned in 50-scan: a risk
# policy, decisions on 1.0, then 1.1 (the extended SBOM; wazuh 4.5.0 -> 4.7.0): decisions carry,
# the changed component re-opens, a KEV entry stays uncontrolled; CSAF VEX of 1.1 exported and
# a CSAF security advisory issued from the register.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$DEMO_DIR"
python3 - "$VIGIL_DATA_DIR" <<'PY'
import json, sys
d = json.load(open('pump.json'))
json.dump(d, open('pump-1.0.json', 'w'))
e = json.load(open(sys.argv[1] + '/sbom/medical-device/extended.sbom.json'))
for c in d['components']:
    if c.get('bom-ref') == 'wazuh':
        c = dict(c, version='v4.7.0+incompatible',
                 purl='pkg:golang/github.com/wazuh/wazuh@v4.7.0%2Bincompatible')
    if c.get('bom-ref') in ('go-stdlib', 'wazuh'):
        e['components'].append(c)
json.dump(e, open('pump-1.1.json', 'w'))
PY
R=triage.sqlite
"$VIGIL" triage policy --register $R "$root/examples/risk-policy.yaml" --actor qa@demo-medical.test >/dev/null
"$VIGIL" scan pump-1.0.json --db scan-db.sqlite --register $R --product Pump --release 1.0 2>/dev/null | grep -q '^register'
"$VIGIL" triage set --register $R --product Pump --vulnerability CVE-2025-24016 \
  --component pkg:golang/github.com/wazuh/wazuh --status not_affected \
  --justification vulnerable_code_not_in_execute_path --reason 'API server not started' \
  --actor psirt@demo-medical.test >/dev/null
"$VIGIL" triage set --register $R --product Pump --vulnerability CVE-2020-0601 \
  --component pkg:golang/stdlib --status affected --action 'Go 1.13.15 in 1.2' --harm serious \
  --reason 'update signatures checked with crypto/x509' --actor psirt@demo-medical.test >/dev/null
filed=$("$VIGIL" scan pump-1.1.json --db scan-db.sqlite --register $R --product Pump --release 1.1 2>/dev/null | grep '^register')
stdlib=$("$VIGIL" triage list --register $R --product Pump --format json | python3 -c '
import json, sys
r = [x for x in json.load(sys.stdin) if x["vulnerability"] == "CVE-2020-0601"][0]
print("%s as %s, risk %s (%s)" % (r["decision"]["origin"], r["decision"]["status"],
      "controlled" if r["risk"]["controlled"] else "uncontrolled", r["risk"]["cell"]))')
"$VIGIL" triage export --register $R --product Pump --release 1.1 --format csaf \
  --publisher 'Demo Medical' --publisher-namespace https://demo-medical.test --out pump-1.1.csaf.json >/dev/null
"$VIGIL" advisory --register $R --product Pump --id DEMO-2026-001 --publisher 'Demo Medical' \
  --publisher-namespace https://demo-medical.test --vulnerability CVE-2020-0601 \
  --vulnerability CVE-2025-24016 --out DEMO-2026-001.json >/dev/null
echo "release 1.1: ${filed#*Pump 1.1: }; KEV CVE-2020-0601 in stdlib $stdlib; CSAF VEX and CSAF advisory DEMO-2026-001 written"
