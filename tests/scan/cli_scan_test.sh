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
source "$src/tests/testing/check_lib.sh"

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
# JSON and the table stream into --out as they do to standard output (a 300,000-component scan
# never holds its findings): the same bytes, a summary line on stdout, and an existing file is
# kept unless --force. Two runs may straddle a second, so the JSON's "generated" time is left
# out of the comparison (same_report); everything else must be byte for byte the same.
same_report() { cmp -s <(sed -E '/^  "generated": "[^"]*",$/d' "$1") <(sed -E '/^  "generated": "[^"]*",$/d' "$2"); }
check "scan json to stdout" 1 "$vigil" scan device.json --db db.sqlite --format json --fail-on high
cp out.txt stdout.json
check "scan json streamed to --out" 1 "$vigil" scan device.json --db db.sqlite --format json \
  --fail-on high --out streamed.json
expect_stdout "streamed.json: "
same_report stdout.json streamed.json && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --out json differs from stdout"; }
[[ ! -e streamed.json.tmp ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL streamed.json.tmp left behind"; }
cp streamed.json kept.json
check "streamed --out refuses overwrite" 2 "$vigil" scan device.json --db db.sqlite --format table \
  --out streamed.json
expect_err "streamed.json: exists; use --force to replace it"
cmp -s kept.json streamed.json && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL refused --out changed the file"; }
check "streamed --out --force replaces" 1 "$vigil" scan device.json --db db.sqlite --format table \
  --fail-on high --out streamed.json --force
cmp -s table.txt streamed.json && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --out table differs from stdout"; }
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
expect err.txt "vex.openvex.json: \$.statements\[1\]: not_affected without a justification"
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
expect py.txt "wazuh True vex.openvex.json: \$.statements\[0\] True"
expect py.txt "stdlib False True 2020-01-29"

for fmt in cyclonedx openvex csaf sarif; do
  check "format $fmt" 0 "$vigil" scan device.json --db db.sqlite --vex vex.openvex.json \
    --format "$fmt" --out "scan.$fmt.json" --publisher "Example Medical" \
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
expect_err "--publisher NAME and --publisher-namespace URL are required"
check "csaf with a bad namespace" 2 "$vigil" scan device.json --db db.sqlite --format csaf \
  --publisher X --publisher-namespace example-medical.test
expect_err "--publisher-namespace: expected an http(s) URL"
check "CycloneDX VEX schema" 0 node_tool validate-json-schema.js \
  "$data/sbom/cyclonedx/bom-1.6.schema.json" scan.cyclonedx.json
# Issue 19 items 3 and 4: CSAF with scores (optional test 6.2.3 clean) and a TLP label; SARIF
# with relative, encoded URIs and regions, clean under the SARIF Multitool's rules.
check "CSAF reference validator" 0 node_tool validate-csaf.mjs --clean=optionalTest_6_2_3 scan.csaf.json
expect scan.csaf.json '"label": "AMBER"'
check "csaf with --tlp red" 0 "$vigil" scan device.json --db db.sqlite --vex vex.openvex.json \
  --format csaf --tlp red --publisher "Example Medical" --publisher-namespace https://example-medical.test
expect out.txt '"label": "RED"'
check "csaf with an unknown TLP label" 2 "$vigil" scan device.json --db db.sqlite --format csaf \
  --tlp purple --publisher "Example Medical" --publisher-namespace https://example-medical.test
expect_err "--tlp: expected WHITE, GREEN, AMBER or RED"
check "SARIF schema" 0 node_tool validate-sarif.js --clean=SARIF1001,SARIF1004,SARIF2005,SARIF2017 scan.sarif.json
mkdir -p "sboms/pump #2"
cp device.json "sboms/pump #2/device 1.json"
check "SARIF of an SBOM path with a space" 0 "$vigil" scan "sboms/pump #2/device 1.json" \
  --db db.sqlite --format sarif --output space.sarif.json
check "SARIF with a space: schema and Multitool" 0 node_tool validate-sarif.js \
  --clean=SARIF1001,SARIF1004,SARIF2005,SARIF2017 space.sarif.json
python3 - <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL SARIF locations"; }
import json, os
run = json.load(open('space.sarif.json'))['runs'][0]
base = run['originalUriBaseIds']['SBOMROOT']['uri']
assert base.startswith('file:///') and base.endswith('/'), base
# The tool names the README installed beside it (share/doc/vigil, copied there in the build tree).
info = run['tool']['driver']['informationUri']
assert info.startswith('file:///') and info.endswith('/share/doc/vigil/README.md'), info
assert os.path.isfile(info[len('file://'):].replace('%20', ' ')), info
lines = open('sboms/pump #2/device 1.json').read().split('\n')
for r in run['results']:
  loc = r['locations'][0]['physicalLocation']
  assert loc['artifactLocation'] == {'uri': 'sboms/pump%20%232/device%201.json',
                                     'uriBaseId': 'SBOMROOT'}, loc
  reg = loc['region']
  text = lines[reg['startLine'] - 1][reg['startColumn'] - 1:reg['endColumn'] - 1]
  assert text.startswith('"bom-ref"') and r['properties']['component']['name'], (text, r)
PY
# Our own outputs are VEX Vigil reads back: the decision survives the round trip.
for fmt in cyclonedx openvex csaf; do
  check "read back $fmt" 0 "$vigil" scan device.json --db db.sqlite --vex "scan.$fmt.json" \
    --format json --out "back.$fmt.json"
  python3 -c "
import json, sys
d = json.load(open('back.$fmt.json'))
ok = [f for f in d['findings'] if f['id'] == 'GO-2025-3459' and f['suppressed']]
sys.exit(0 if ok else 1)" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL $fmt round trip"; }
done
check "output refuses overwrite" 2 "$vigil" scan device.json --db db.sqlite --format sarif \
  --out scan.sarif.json

echo '{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a",
  "timestamp": "2025-01-01T00:00:00Z", "version": 1, "statements": [{"vulnerability":
  {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "unaffected"}]}' >bad.json
check "malformed VEX" 2 "$vigil" scan device.json --db db.sqlite --vex bad.json
expect_err "bad.json: \$.statements\[0\].status: expected one of not_affected"
check "missing database" 2 "$vigil" scan device.json --db nope.sqlite
expect_err "nope.sqlite"
check "bad threshold" 2 "$vigil" scan device.json --db db.sqlite --fail-on severe
expect_err "--fail-on: expected critical, high, medium, low or none, got 'severe'"
check "bad SBOM" 2 "$vigil" scan "$data/sbom/cyclonedx/tests/invalid-scope-1.6.json" --db db.sqlite
expect_err "components\[0\].scope"
# Issue 13 item 7: NVD's records and the CVE List's (CVE JSON 5) records of
# shared/data/vuln/nvd-cve5, imported as they are, against its SBOM. The verdicts agree with
# the README's table where NVD or the CNA gives versions (src/vuln/nvd_cve5_data_test.cc argues
# its uncertain rows); the records no source gives versions for are listed as unassessed.
nc=$data/vuln/nvd-cve5
check "import NVD and CVE 5 records" 0 "$vigil" vulndb import --db nc.sqlite "$nc/nvd" "$nc/cve5"
expect out.txt "nvd: 41 new"
expect out.txt "cve5: 41 new"
check "stats counts the unassessed CVEs" 0 "$vigil" vulndb stats --db nc.sqlite
expect out.txt "cve 5 records: 41"
expect out.txt "unassessed cves (no source gives versions): 4"
check "scan against NVD and CVE 5" 0 "$vigil" scan "$nc/sbom.cdx.json" --db nc.sqlite --format json \
  --out nc.json
python3 - <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL nvd-cve5 verdicts"; }
import json, sys
d = json.load(open('nc.json'))
got = {(f['id'], f['component']['ref'], f['confidence']) for f in d['findings']}
want = {
  ('CVE-2020-17529', 'nuttx@10.0.0', 'high'), ('CVE-2020-22283', 'lwip@2.1.2', 'low'),
  ('CVE-2020-22284', 'lwip@2.1.2', 'high'), ('CVE-2022-28391', 'busybox@1.35.0', 'high'),
  ('CVE-2022-30065', 'busybox@1.35.0', 'high'), ('CVE-2022-30295', 'uclibc-ng@1.0.39', 'high'),
  ('CVE-2022-48174', 'busybox@1.35.0', 'high'), ('CVE-2023-27349', 'bluez@5.66', 'high'),
  ('CVE-2023-28450', 'dnsmasq@2.89', 'high'), ('CVE-2023-45853', 'zlib@1.3', 'high'),
  ('CVE-2023-5678', 'openssl@1.1.1w', 'high'), ('CVE-2024-13176', 'openssl@3.0.13', 'high'),
  ('CVE-2024-13176', 'openssl@1.1.1w', 'high'), ('CVE-2025-0665', 'curl@8.11.1', 'low'),
  ('CVE-2025-10148', 'curl@8.11.1', 'low'), ('CVE-2025-1674', 'zephyr@4.0.0', 'high'),
  ('CVE-2025-1675', 'zephyr@4.0.0', 'high'), ('CVE-2025-24928', 'libxml2@2.12.5', 'high'),
  ('CVE-2025-38250', 'linux-kernel@6.6.84', 'high'), ('CVE-2025-6965', 'sqlite@3.41.2', 'high'),
  ('CVE-2025-9230', 'openssl@3.0.13', 'high'), ('CVE-2025-9230', 'openssl@1.1.1w', 'high')}
unassessed = {(f['id'], f['component']['ref']) for f in d['unassessed']}
want_unassessed = {('CVE-2023-42363', 'busybox@1.35.0'), ('CVE-2024-25062', 'libxml2@2.12.5'),
                   ('CVE-2024-45159', 'mbedtls@3.5.2')}
for name, a, b in (('findings', got, want), ('unassessed', unassessed, want_unassessed)):
  if a != b:
    print(name, 'unexpected:', sorted(a - b), 'missing:', sorted(b - a))
    sys.exit(1)
PY
check "nvd-cve5 table, --fail-on critical" 1 "$vigil" scan "$nc/sbom.cdx.json" --db nc.sqlite \
  --fail-on critical
expect out.txt "UNASSESSED: records naming a component"
expect out.txt "3 unassessed"
# Only findings fail a scan: the count on stderr is that of the critical and unscored findings,
# whatever the severity of the unassessed records.
python3 - <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL unassessed counted"; cat err.txt; }
import json, re, sys
d = json.load(open('nc.json'))
n = sum(1 for f in d['findings'] if f['severity'] in ('critical', 'unknown') and not f['suppressed'])
m = re.search(r'(\d+) findings at or above critical remain', open('err.txt').read())
sys.exit(0 if m and int(m.group(1)) == n and n < len(d['findings']) else 1)
PY
for fmt in cyclonedx openvex sarif; do
  check "scan nvd-cve5 as $fmt" 0 "$vigil" scan "$nc/sbom.cdx.json" --db nc.sqlite --format "$fmt" \
    --out "nc.$fmt.json"
done
expect nc.cyclonedx.json '"in_triage"'
expect nc.openvex.json "unassessed: NVD 'Received' without configurations"
expect nc.sarif.json '"unassessed": true'
check "nvd-cve5 CycloneDX VEX schema" 0 node_tool validate-json-schema.js \
  "$data/sbom/cyclonedx/bom-1.6.schema.json" nc.cyclonedx.json
# NVD's records carry CVSS vectors: every affected product has its score (optional test 6.2.3).
check "scan nvd-cve5 as csaf" 0 "$vigil" scan "$nc/sbom.cdx.json" --db nc.sqlite --format csaf \
  --publisher "Example Medical" --publisher-namespace https://example-medical.test --output nc.csaf.json
check "nvd-cve5 CSAF: mandatory tests, 6.2.3 clean" 0 node_tool validate-csaf.mjs \
  --clean=optionalTest_6_2_3 nc.csaf.json
python3 - <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL CSAF scores"; }
import json
d = json.load(open('nc.csaf.json'))
scored = [v for v in d['vulnerabilities'] if v.get('scores')]
assert len(scored) >= 10, len(scored)
for v in scored:
  for s in v['scores']:
    cvss = s.get('cvss_v3') or s['cvss_v2']
    assert cvss['vectorString'] and cvss['baseScore'] > 0, s
PY
check "nvd-cve5 SARIF schema" 0 node_tool validate-sarif.js --clean=SARIF1001,SARIF1004,SARIF2005,SARIF2017 nc.sarif.json
# Issue 19 items 1 and 2: OpenVEX products by versioned purl; CycloneDX VEX with the SBOM's
# bom-refs and types, one vulnerability per CVE with an affects per component.
NC=$nc python3 - <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL VEX identities"; }
import json, os
sbom = json.load(open(os.environ['NC'] + '/sbom.cdx.json'))
types = {c['bom-ref']: c['type'] for c in sbom['components']}
cdx = json.load(open('nc.cyclonedx.json'))
for c in cdx['components']:
  assert types[c['bom-ref']] == c['type'], c
assert any(c['type'] == 'operating-system' for c in cdx['components'])
v = [v for v in cdx['vulnerabilities'] if v['id'] == 'CVE-2024-13176']
assert len(v) == 1, v
assert sorted(a['ref'] for a in v[0]['affects']) == ['openssl@1.1.1w', 'openssl@3.0.13'], v
ids = [c['@id'] for s in json.load(open('nc.openvex.json'))['statements'] for c in s['products']]
assert ids and all(i.startswith('pkg:') and '@' in i for i in ids), ids
PY
echo "scan cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
