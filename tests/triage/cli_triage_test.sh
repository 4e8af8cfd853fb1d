#!/usr/bin/env bash
# The triage register end to end, on two releases of a real medical device: release 1.0 is the
# real narrow.sbom.json, release 1.1 the real extended.sbom.json (the same device described with
# its network parts), each with the device's Go service agent added by this test (the real Go
# vulnerability database has advisories for it; the .NET and firmware parts have none in the
# test data). Between the releases the agent's wazuh module moves from 4.5.0 to 4.7.0 (still
# vulnerable) and x/crypto from a 2020 snapshot to 0.35.0; the Go standard library stays 1.13.5.
#
# Shows: decisions made on 1.0 carry to 1.1 where the component version is unchanged; the
# changed wazuh version re-opens its decision with a reason; x/crypto's findings not found in
# 1.1 are marked fixed; the risk decision under a policy (KEV never controlled without a
# control); deadlines and --overdue; metrics; history that the database refuses to rewrite;
# CycloneDX VEX, OpenVEX and CSAF VEX exports validated by the reference tools; one-line errors.
set -u
vigil=$1
src=$2
data=$3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
source "$src/tests/testing/check_lib.sh"
reg=register.sqlite
P="Infusion pump"

check "import OSV Go + KEV" 0 "$vigil" vulndb import --db db.sqlite "$data/vuln/osv-go" \
  "$data/vuln/kev/known_exploited_vulnerabilities.json"
python3 "$src/tests/testing/go_agent_release.py" "$data" narrow.sbom.json r1.json v4.5.0+incompatible \
  v0.0.0-20200220183623-bac4c82f6975
python3 "$src/tests/testing/go_agent_release.py" "$data" extended.sbom.json r2.json v4.7.0+incompatible v0.35.0

cp "$src/examples/risk-policy.yaml" policy.yaml
check "policy" 0 "$vigil" triage policy --register $reg policy.yaml --actor qa@example-medical.test
expect_stdout "3 exploitability bands"

# Release 1.0: every finding opens in triage.
check "scan 1.0 into the register" 0 "$vigil" scan r1.json --db db.sqlite --register $reg \
  --product "$P" --release 1.0
expect_stdout "register $reg: $P 1.0: [0-9]* opened, 0 carried, 0 re-opened"
expect_stdout "in_triage .*CVE-2025-24016 .*github.com/wazuh/wazuh v4.5.0+incompatible KEV"
opened=$(grep -oE '[0-9]+ opened' out.txt | cut -d' ' -f1)

wazuh=pkg:golang/github.com/wazuh/wazuh
xcrypto=pkg:golang/golang.org/x/crypto
check "harm of the agent" 0 "$vigil" triage harm --register $reg --product "$P" \
  --component pkg:golang/stdlib --harm minor --actor clinical@example-medical.test \
  --reason "service agent: no therapy function"
check "stdlib CVE-2020-0601 not affected" 0 "$vigil" triage set --register $reg --product "$P" \
  --vulnerability CVE-2020-0601 --component pkg:golang/stdlib@1.13.5 --status not_affected \
  --justification code_not_reachable --reason "crypto/x509 never verifies Windows chains" \
  --actor psirt@example-medical.test
check "wazuh KEV not affected" 0 "$vigil" triage set --register $reg --product "$P" \
  --vulnerability CVE-2025-24016 --component $wazuh --status not_affected \
  --justification vulnerable_code_not_in_execute_path \
  --reason "the wazuh API server is not started on the pump" --actor psirt@example-medical.test
check "x/crypto affected" 0 "$vigil" triage set --register $reg --product "$P" \
  --vulnerability CVE-2020-29652 --component $xcrypto --status affected \
  --action "update golang.org/x/crypto in 1.1" --harm serious \
  --cvss CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H \
  --reason "the service SSH server is reachable on the device network" \
  --actor psirt@example-medical.test
expect_stdout "affected; risk uncontrolled (CVSS 6.5, harm serious -> exploitability medium; matrix.medium.serious = uncontrolled)"
# KEV is never controlled without a documented compensating control.
check "KEV stays uncontrolled" 0 "$vigil" triage list --register $reg --product "$P" --format json
python3 - <<'PY' >py.txt
import json
d = [r for r in json.load(open('out.txt')) if r['vulnerability'] == 'CVE-2020-0601']
r = d[0]
print(r['decision']['status'], r['decision']['justification'], r['kev'])
PY
expect py.txt "not_affected vulnerable_code_not_in_execute_path True"

# Release 1.1: decisions carry where the version is unchanged, re-open where it changed.
check "scan 1.1 into the register" 0 "$vigil" scan r2.json --db db.sqlite --register $reg \
  --product "$P" --release 1.1 --format json
python3 - "$P" <<'PY' >py.txt
import json, sys
d = json.load(open('out.txt'))
t = d['triage']
print(t['filed'])
# Each finding carries its record; several advisories of one CVE share it.
rec = {(x['triage']['vulnerability'], x['triage']['component']): x for x in d['findings']}
print('every finding has its record', all('triage' in x for x in d['findings']))
s = rec[('CVE-2020-0601', 'pkg:golang/stdlib')]['triage']
print('stdlib', s['origin'], s['status'], s['release'])
x = rec[('CVE-2025-24016', 'pkg:golang/github.com/wazuh/wazuh')]
w = x['triage']
print('wazuh', w['origin'], w['status'], x['vex']['trace'])
print('wazuh-risk', w['risk']['controlled'], w['risk']['reason'])
print('wazuh-ssvc', w['ssvc']['priority'], w['ssvc']['vector'])
print('ssvc everywhere', all(x['triage']['ssvc']['priority'] in
      ('defer', 'scheduled', 'out-of-cycle', 'immediate') for x in d['findings']))
f = [x for x in d['findings'] if x['id'] == 'GO-2022-0535' or 'CVE-2020-0601' in x.get('aliases', [])][0]
print('vex', f.get('vex', {}).get('status'), f.get('vex', {}).get('trace', '')[:40])
PY
expect py.txt "0 opened, [0-9]* carried, 1 re-opened, 0 unchanged, [1-9][0-9]* not found (marked fixed)"
expect py.txt "every finding has its record True"
expect py.txt "stdlib carried not_affected 1.1"
expect py.txt "wazuh re-opened in_triage .*re-opened: component version changed from v4.5.0+incompatible (release 1.0) to v4.7.0+incompatible"
expect py.txt "wazuh-risk False .*CISA KEV"
# SSVC: KEV-listed is exploitation active; no vector and no harm assessed take the worse values
# (exposure open, automatable, human impact very high): immediate.
expect py.txt "wazuh-ssvc immediate SSVC/DP:1.0.0/E:A/EXP:O/A:Y/HI:VH/DSOI:I/"
expect py.txt "ssvc everywhere True"
expect py.txt "vex not_affected $reg: carried by vigil scan"

check "history of the carried decision" 0 "$vigil" triage history --register $reg --product "$P" \
  --vulnerability CVE-2020-0601 --component pkg:golang/stdlib
expect_stdout "1.0 .*opened .*in_triage"
expect_stdout "1.0 .*set .*not_affected psirt@example-medical.test \[vulnerable_code_not_in_execute_path\]"
expect_stdout "1.1 .*carried .*not_affected vigil scan"
check "x/crypto fixed in 1.1 (not found)" 0 "$vigil" triage history --register $reg \
  --product "$P" --vulnerability CVE-2020-29652 --component $xcrypto --format json
python3 -c "
import json; h = json.load(open('out.txt')); print(h[-1]['origin'], h[-1]['status'], h[-1]['fixed_in'], h[-1]['harm'])" >py.txt
expect py.txt "not found fixed 1.1 serious"

# Deadlines: 30 days after discovery the uncontrolled ones wait for a customer notice.
later=$(date -u -d '+45 days' +%F)
check "overdue list" 1 "$vigil" triage list --register $reg --product "$P" --overdue --as-of "$later"
expect_stdout "notify .* OVERDUE"
check "nothing overdue today" 0 "$vigil" triage list --register $reg --product "$P" --overdue
expect_stdout "^0 record(s)"
check "field 1.1" 0 "$vigil" triage field --register $reg --product "$P" --release 1.1 \
  --date "$(date -u +%F)"
check "metrics" 0 "$vigil" triage metrics --register $reg --product "$P" --format json
python3 -c "
import json; m = json.load(open('out.txt'))
print(m['vulnerabilities'], m['patched'] > 0, m['not_affected'], m['fielded'] == m['patched'], m['patch_days_median'])" >py.txt
expect py.txt "^$opened True 1 True 0"

# History is append-only, whatever writes to the file.
python3 - $reg <<'PY' >py.txt
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for sql in ("UPDATE triage_events SET status='fixed'", "DELETE FROM triage_events"):
    try:
        db.execute(sql); db.commit(); print('ACCEPTED', sql)
    except sqlite3.DatabaseError as e:
        print('refused:', e)
PY
expect py.txt "refused: triage_events is append-only history"
if grep -q ACCEPTED py.txt; then fail=$((fail + 1)); echo "FAIL history was rewritten"; cat py.txt; fi

# The register's decisions for 1.1 as VEX, checked by the reference validators.
check "export CycloneDX" 0 "$vigil" triage export --register $reg --product "$P" --release 1.1 \
  --format cyclonedx --out r2.cdx.json
check "CycloneDX VEX schema" 0 node_tool validate-json-schema.js \
  "$data/sbom/cyclonedx/bom-1.6.schema.json" r2.cdx.json
check "export OpenVEX" 0 "$vigil" triage export --register $reg --product "$P" --release 1.1 \
  --format openvex --publisher "Example Medical" --out r2.openvex.json
check "export CSAF VEX" 0 "$vigil" triage export --register $reg --product "$P" --release 1.1 \
  --format csaf --publisher "Example Medical" --publisher-namespace https://example-medical.test \
  --out r2.csaf.json
check "CSAF reference validator" 0 node_tool validate-csaf.mjs --clean=optionalTest_6_2_3 r2.csaf.json
expect r2.csaf.json '"label": "AMBER"'
# Read back as VEX: the register's not_affected decision is in each document.
for f in r2.cdx.json r2.openvex.json r2.csaf.json; do
  check "scan with exported $f" 0 "$vigil" scan r2.json --db db.sqlite --vex $f --format json
  python3 -c "
import json; d = json.load(open('out.txt'))
print([x['vex']['status'] for x in d['findings'] if x['id'] == 'GO-2022-0535'])" >py.txt
  expect py.txt "not_affected"
done

# The CSAF security advisory from the register: mandatory tests pass, optional ones reported;
# issuing the same id again is revision 2 with the history; issuing meets the notify deadline.
adv=(advisory --register $reg --product "$P" --id EXMED-2026-001 --publisher "Example Medical"
     --publisher-namespace https://example-medical.test --contact psirt@example-medical.test
     --canonical-url https://example-medical.test/csaf/exmed-2026-001.json
     --vulnerability CVE-2020-29652 --vulnerability CVE-2025-24016 --vulnerability CVE-2020-0601)
check "advisory revision 1" 0 "$vigil" "${adv[@]}" --summary "Go agent of the pump" --out adv1.json
expect_stdout "revision 1 (final); recorded in the register as the customer notice"
check "advisory 1: CSAF validator" 0 node_tool validate-csaf.mjs --clean=optionalTest_6_2_3 adv1.json
cat out.txt
expect_stdout "1 valid, 0 invalid"
python3 - <<'PY' >py.txt
import json
d = json.load(open('adv1.json'))
v = {x['cve']: x for x in d['vulnerabilities']}
ids = {b['name']: b['product']['product_id'] for b in d['product_tree']['branches'][0]['branches'][0]['branches']}
x = v['CVE-2020-29652']
print('xcrypto', sorted(x['product_status']), [r['category'] for r in x['remediations']],
      x['scores'][0]['cvss_v3']['vectorString'])
w = v['CVE-2025-24016']
print('wazuh', sorted(w['product_status']), w['flags'][0]['label'],
      [t['category'] for t in w['threats']])
print('releases', sorted(ids))
PY
expect py.txt "xcrypto \['fixed', 'known_affected'\] \['vendor_fix'\] CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
expect py.txt "wazuh \['known_not_affected', 'under_investigation'\] vulnerable_code_not_in_execute_path \['exploit_status', 'impact'\]"
expect py.txt "releases \['1.0', '1.1'\]"
check "notice meets the notify deadline" 0 "$vigil" triage list --register $reg --product "$P" \
  --format json --as-of "$later"
python3 -c "
import json; d = [r for r in json.load(open('out.txt')) if r['vulnerability'] == 'CVE-2025-24016'][0]
print(d['notified'] != '', [x['met'] for x in d['deadlines'] if x['what'] == 'notify customers'])" >py.txt
expect py.txt "True \[True\]"
check "advisory revision 2" 0 "$vigil" "${adv[@]}" --revision-summary "wazuh re-examined" \
  --out adv2.json
expect_stdout "revision 2 (final)"
check "advisory 2: CSAF validator" 0 node_tool validate-csaf.mjs --clean=optionalTest_6_2_3 adv2.json
expect adv2.json '"label": "WHITE"'
check "advisory with --tlp amber" 0 "$vigil" "${adv[@]}" --tlp amber --status draft --out adv-amber.json
expect adv-amber.json '"label": "AMBER"'
check "advisory with a bad --tlp" 2 "$vigil" "${adv[@]}" --tlp clear --out adv-bad.json
expect_err "--tlp: expected WHITE, GREEN, AMBER or RED"
python3 -c "
import json; t = json.load(open('adv2.json'))['document']['tracking']
print(t['version'], [r['summary'] for r in t['revision_history']], t['initial_release_date'] <= t['current_release_date'])" >py.txt
expect py.txt "2 \['Initial version.', 'wazuh re-examined'\] True"
check "draft not recorded" 0 "$vigil" advisory --register $reg --product "$P" --id EXMED-DRAFT \
  --publisher "Example Medical" --publisher-namespace https://example-medical.test --status draft \
  --out draft.json
expect_stdout "drafts are not recorded"
check "advisory without publisher" 2 "$vigil" advisory --register $reg --product "$P" --id X \
  --publisher "Example Medical" --publisher-namespace example-medical.test
expect_err "--publisher-namespace: expected an http(s) URL"
check "advisory of an unknown product" 2 "$vigil" advisory --register $reg --product Nothing --id X \
  --publisher "Example Medical" --publisher-namespace https://example-medical.test
expect_err "the register holds no record for product \"Nothing\""

# Errors: one line naming the option or field.
check "unknown record" 2 "$vigil" triage set --register $reg --product "$P" \
  --vulnerability CVE-1999-0001 --component $wazuh --status affected --action x --reason r --actor a
expect_err "no record for CVE-1999-0001"
check "bad justification" 2 "$vigil" triage set --register $reg --product "$P" \
  --vulnerability CVE-2025-24016 --component $wazuh --status not_affected --justification maybe \
  --reason r --actor a
expect_err "justification: not_affected needs one of"
check "bad harm" 2 "$vigil" triage harm --register $reg --product "$P" --component x \
  --harm severe --actor a --reason r
expect_err "--harm: expected negligible, minor, serious, critical or catastrophic"
sed 's/minor: uncontrolled, serious/minor: maybe, serious/' policy.yaml >bad.yaml
check "bad policy" 2 "$vigil" triage policy --register $reg bad.yaml --actor a
expect_err "bad.yaml:10: matrix.high.minor: expected controlled or uncontrolled"
check "bad as-of" 2 "$vigil" triage list --register $reg --as-of 2026-02-30
expect_err "--as-of: expected a date YYYY-MM-DD"
check "missing register is not created by list" 2 "$vigil" triage list --register none.sqlite
[[ ! -e none.sqlite ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL list created a file"; }
check "no product name in the SBOM" 2 "$vigil" scan r1.json --db db.sqlite --register $reg
expect_err "name the product and release with --product NAME --release VERSION"

# Issue 19 item 4: the advisory's CWE. The NVD and CVE 5 records of shared/data/vuln/nvd-cve5
# (CVE 5 problemTypes name the weakness; NVD gives the id alone) filed from a scan into a
# register: each advisory vulnerability carries the CWE the scan's CSAF VEX carries for it, and
# an advisory of the vulnerabilities whose CWE a source names passes informative test 6.3.4
# clean (the others stay without one: a name is never made up).
nc=$data/vuln/nvd-cve5
check "import NVD and CVE 5 records" 0 "$vigil" vulndb import --db nc.sqlite "$nc/nvd" "$nc/cve5"
check "scan the firmware into a register" 0 "$vigil" scan "$nc/sbom.cdx.json" --db nc.sqlite \
  --register nc-register.sqlite --product Firmware --release 1.0
check "the scan's CSAF VEX" 0 "$vigil" scan "$nc/sbom.cdx.json" --db nc.sqlite --format csaf \
  --publisher "Example Medical" --publisher-namespace https://example-medical.test --out nc.vex.json
ncadv=(advisory --register nc-register.sqlite --product Firmware --publisher "Example Medical"
       --publisher-namespace https://example-medical.test --status draft)
check "firmware advisory" 0 "$vigil" "${ncadv[@]}" --id EXMED-NC-1 --out nc.adv.json
check "firmware advisory: CSAF validator" 0 node_tool validate-csaf.mjs --clean=optionalTest_6_2_3 \
  nc.adv.json
python3 - <<'PY' >py.txt
import json
vex = {v['cve']: v.get('cwe') for v in json.load(open('nc.vex.json'))['vulnerabilities']}
adv = {v['cve']: v.get('cwe') for v in json.load(open('nc.adv.json'))['vulnerabilities']}
print('same cwe', all(adv[c] == vex[c] for c in adv), len(adv), sum(1 for c in adv if adv[c]))
print('named', ' '.join(sorted(c for c in adv if adv[c])))
PY
expect py.txt "same cwe True 20 10"
expect py.txt "CVE-2020-17529 .*CVE-2025-9230"
named=$(sed -n 's/^named //p' py.txt)
check "firmware advisory of the named CWEs" 0 "$vigil" "${ncadv[@]}" --id EXMED-NC-2 \
  $(printf -- '--vulnerability %s ' $named) --out nc.cwe.json
check "CSAF validator: 6.2.3 and 6.3.4 clean" 0 node_tool validate-csaf.mjs \
  --clean=optionalTest_6_2_3,informativeTest_6_3_4 nc.cwe.json
check "CSAF validator: 6.3.4 notes a vulnerability without CWE" 1 node_tool validate-csaf.mjs \
  --clean=informativeTest_6_3_4 nc.adv.json
expect_stdout "informativeTest_6_3_4: /vulnerabilities/.* missing cwe"
check "the register lists the CWEs" 0 "$vigil" triage list --register nc-register.sqlite \
  --format json
python3 -c "
import json; r = [r for r in json.load(open('out.txt')) if r['vulnerability'] == 'CVE-2020-17529']
print(r[0]['cwes'])" >py.txt
expect py.txt "\[{'id': 'CWE-787', 'name': 'Out-of-bounds Write'}\]"

echo "cli_triage: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
