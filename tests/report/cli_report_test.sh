#!/usr/bin/env bash
# vigil report premarket on the infusion pump's threat model with REAL evidence: this test runs
# the unit tests the model's controls name through ctest --output-junit (the e2e tests they name
# are left out to keep it fast, so the controls relying on them must come out UNVERIFIED), writes
# the package, and checks it: every FDA Appendix 1 item covered or explicitly open, every
# control verified exactly when all its tests passed in that JUnit file, the CSV and JSON files,
# one-line file:line errors for bad framework and JUnit files, and the HTML opened in headless
# Chromium (tests/report/browser_check.js) with a screenshot left in BUILD/report/.
set -u
vigil=$1
src=$2
build=$3
model=$src/examples/infusion-pump/threat-model.yaml
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

# The unit tests the controls name (not e2e_*), run by ctest itself.
tests=$(python3 - "$model" <<'PY'
import sys, yaml
names = sorted({t for c in yaml.safe_load(open(sys.argv[1]))["controls"] for t in c["verified_by"]
                if not t.startswith("e2e_")})
print("|".join(names))
PY
)
# That ctest runs on a copy of the build's test lists (their commands are absolute paths), so its
# Testing/ log is written here: on the build itself it would replace the LastTest.log of the
# ctest running this test.
(cd "$build" && find . -name CTestTestfile.cmake) | while read -r f; do
  mkdir -p "ctest/${f%/*}" && cp "$build/$f" "ctest/$f"
done
ctest --test-dir ctest -R "^($tests)\$" --output-junit "$work/junit.xml" >ctest.txt 2>&1
if [[ -s junit.xml ]] && grep -q '<testcase' junit.xml; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL ctest wrote no JUnit:"; cat ctest.txt; fi
if [[ -s ctest/Testing/Temporary/LastTest.log ]]; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL the inner ctest's log is not in the scratch folder"; fi

check premarket 0 "$vigil" report premarket "$model" --sbom "$src/examples/infusion-pump/sbom.cdx.json" \
  --evidence junit.xml --out pkg
expect_stdout "pkg/premarket.html: .* findings, .* controls verified by .* tests"
expect_stdout "fda-premarket-appendix-1: .* covered, .* open, 0 n/a"
for f in premarket.html premarket.json traceability.csv findings.csv sbom.csv coverage.csv controls.csv labeling.csv mds2.csv; do
  if [[ -s pkg/$f ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL pkg/$f missing"; fi
done

# The package against the JUnit file itself: a control is verified exactly when every test it
# names passed there; every FDA Appendix 1 item is covered (by a verified control) or open with
# a reason; the SBOM's unknown end of support is shown as unknown.
equal package-vs-evidence "$(python3 - "$model" <<'PY'
import csv, json, sys, yaml
import xml.etree.ElementTree as ET
passed, seen = set(), set()
for tc in ET.parse("junit.xml").getroot().iter("testcase"):
    seen.add(tc.get("name"))
    if tc.get("status") == "run" and tc.find("failure") is None and tc.find("skipped") is None:
        passed.add(tc.get("name"))
model = yaml.safe_load(open(sys.argv[1]))
controls = {r["control"]: r for r in csv.DictReader(open("pkg/controls.csv"))}
problems = []
for c in model["controls"]:
    want = "verified" if c["verified_by"] and all(t in passed for t in c["verified_by"]) else "UNVERIFIED"
    if controls[c["id"]]["verification"] != want:
        problems.append(c["id"] + " is " + controls[c["id"]]["verification"])
fda = [r for r in csv.DictReader(open("pkg/coverage.csv")) if r["framework"] == "fda-premarket-appendix-1"]
ids = [r["requirement"] for r in fda]
if ids != ["A", "B", "C", "D.1", "D.2", "D.3", "E", "F", "G", "H"]:
    problems.append("fda ids " + str(ids))
for r in fda:
    for c in filter(None, r["verified controls"].split(", ")):
        if controls[c]["verification"] != "verified":
            problems.append(r["requirement"] + " covered by unverified " + c)
    if r["state"] == "covered" and not r["verified controls"]: problems.append(r["requirement"] + " covered by nothing")
    if r["state"] == "open" and not r["reason"]: problems.append(r["requirement"] + " open without a reason")
    if r["state"] not in ("covered", "open"): problems.append(r["requirement"] + " is " + r["state"])
# Controls relying on e2e tests this run left out are unverified, saying why.
why = controls["C-role-policy"]["why unverified"]
if "e2e_cli_access is in no evidence file" not in why: problems.append("C-role-policy: " + why)
if controls["C-standalone-operation"]["why unverified"] != "no test named in verified_by":
    problems.append("C-standalone-operation verified without tests")
sbom = {r["component"]: r for r in csv.DictReader(open("pkg/sbom.csv"))}
if sbom["libyaml"]["end of support"] != "unknown" or sbom["libyaml"]["level of support"] != "unknown":
    problems.append("libyaml support " + str(sbom["libyaml"]))
if sbom["openssl"]["end of support"] != "2026-09-07": problems.append("openssl eos")
pkg = json.load(open("pkg/premarket.json"))
if len(pkg["tables"]["labeling"]) != 14: problems.append("labeling items " + str(len(pkg["tables"]["labeling"])))
if "fda-labeling VI.A-9" not in pkg["unanswered"]: problems.append("unanswered " + str(pkg["unanswered"]))
na = [r for r in csv.DictReader(open("pkg/coverage.csv")) if r["state"] == "n/a"]
if not na or not all(r["reason"] for r in na): problems.append("n/a rows " + str(na))
print(problems)
PY
)" "[]"
expect pkg/premarket.html '<figure class="view" id="view-global">'
expect pkg/premarket.html "What can go wrong?"
if grep -Eq '<(link|img|iframe)[^>]* (src|href)="(https?:)?//' pkg/premarket.html || grep -q 'src="http' pkg/premarket.html; then
  fail=$((fail + 1)); echo "FAIL premarket.html refers to the network"; else pass=$((pass + 1)); fi

# A failing test makes its control unverified (the same JUnit with one test failed).
sed 's/<testcase name="crypto_registry_test"\(.*\)status="run">/<testcase name="crypto_registry_test"\1status="fail"><failure message="Failed"\/>/' junit.xml >failed.xml
check premarket-failed 0 "$vigil" report premarket "$model" --sbom "$src/examples/infusion-pump/sbom.cdx.json" \
  --evidence failed.xml --out pkg-failed
equal failed-control "$(python3 -c '
import csv
r = {x["control"]: x for x in csv.DictReader(open("pkg-failed/controls.csv"))}["C-crypto-agility"]
print(r["verification"], "crypto_registry_test failed" in r["why unverified"])')" "UNVERIFIED True"

# One-line errors naming file and line.
printf 'framework: bad\nname: Bad\nversion: "1"\nsource: x\nrequirements:\n  - {id: A, title: a}\n  - {id: A, title: b}\n' >bad.yaml
check bad-framework 2 "$vigil" report premarket "$model" --sbom "$src/examples/infusion-pump/sbom.cdx.json" \
  --evidence junit.xml --framework bad.yaml --out pkg2
expect_err 'vigil report premarket: bad.yaml:7: requirements\[1\].id: duplicate id "A" (first at bad.yaml:6)'
printf '<testsuite>\n<testcase classname="x"/>\n</testsuite>\n' >bad.xml
check bad-junit 2 "$vigil" report premarket "$model" --sbom "$src/examples/infusion-pump/sbom.cdx.json" \
  --evidence bad.xml --out pkg2
expect_err 'vigil report premarket: bad.xml:2: <testcase> without a name attribute'
check fda-only 2 "$vigil" report premarket "$model" --sbom "$src/examples/infusion-pump/sbom.cdx.json" \
  --evidence junit.xml --framework "$src/report/frameworks/fda-premarket-appendix-1.yaml" --out pkg2
expect_err 'vigil report premarket: .*threat-model.yaml:[0-9]*: controls C-login-2fa: requirements.eu-mdr-annex-i: unknown framework "eu-mdr-annex-i" (expected one of fda-premarket-appendix-1)'

# The HTML in headless Chromium; the screenshot stays in the build folder.
mkdir -p "$build/report"
if VIGIL_NODE_MODULES=$src/build/node/node_modules node "$src/tests/report/browser_check.js" \
    pkg/premarket.html "$build/report/premarket.png" >browser.txt 2>&1; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL browser check:"; fi
cat browser.txt

echo "cli report: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
