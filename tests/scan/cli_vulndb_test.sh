#!/usr/bin/env bash
# The advisory database's edges, end to end on small inputs: input size limits of `vigil scan`,
# which commands may create a database, empty and partial databases, import failures.
set -u
vigil=$1
src=$2
data=$3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
source "$src/tests/testing/check_lib.sh"

nvd=$data/vuln/nvd-cve5/nvd
sbom=$data/vuln/nvd-cve5/sbom.cdx.json

# Inputs are parsed whole, so their size is bounded before they are read: a 200 MB VEX or SBOM
# is refused in one line (a sparse file: the refusal must come before any byte is read).
printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [' >big.json
truncate -s 200M big.json
check "200 MB VEX refused" 2 "$vigil" scan "$sbom" --vex big.json --db absent.sqlite
expect_err "big.json: 209715200 bytes, over the 64 MiB limit for a VEX document"
truncate -s 300M big.json
check "300 MB SBOM refused" 2 "$vigil" scan big.json --db absent.sqlite
expect_err "big.json: 314572800 bytes, over the 256 MiB limit for an SBOM"
check "300 MB SBOM on stdin refused" 2 "$vigil" scan - --db absent.sqlite <big.json
expect_err "standard input: more than 268435456 bytes, over the 256 MiB limit for an SBOM"
rm -f big.json

# Only import creates; stats and scan read, and never change the file.
check "stats of a missing database" 2 "$vigil" vulndb stats --db missing.sqlite
expect_err "missing.sqlite: no advisory database there; create one with \`vigil vulndb import"
[[ ! -e missing.sqlite ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL stats created a file"; }
: >empty.sqlite
check "stats of an empty file" 2 "$vigil" vulndb stats --db empty.sqlite
expect_err "empty.sqlite: empty file, not an advisory database"
check "scan against an empty file" 2 "$vigil" scan "$sbom" --db empty.sqlite --fail-on low
expect_err "empty.sqlite: empty file, not an advisory database"
equal "empty file left empty" "$(stat -c %s empty.sqlite)" 0

# A database without advisories (here only the KEV catalogue) cannot make a scan clean.
check "import KEV only" 0 "$vigil" vulndb import --db kev.sqlite \
  "$data/vuln/kev/known_exploited_vulnerabilities.json"
expect out.txt "into new database kev.sqlite"
check "scan against a database without advisories" 2 "$vigil" scan "$sbom" --db kev.sqlite \
  --fail-on low
expect_err "kev.sqlite: the advisory database holds no advisories"
sum=$(sha256sum kev.sqlite)
check "stats of the KEV database" 0 "$vigil" vulndb stats --db kev.sqlite
expect out.txt "kev entries: "
equal "stats leaves the database unchanged" "$(sha256sum kev.sqlite)" "$sum"

# A failed import leaves nothing behind: a new database is removed, an existing one unchanged.
echo '{"id": "GO-1", "modified": 5}' >bad.json
check "failed import into a new database" 2 "$vigil" vulndb import --db new.sqlite bad.json
expect_err "bad.json: modified"
[[ ! -e new.sqlite && ! -e new.sqlite-wal ]] && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL a failed import left"; ls -l new.sqlite*; }
check "failed import into an existing database" 2 "$vigil" vulndb import --db kev.sqlite bad.json
equal "existing database unchanged" "$(sha256sum kev.sqlite)" "$sum"

# --keep-going: bad documents are refused one by one, each listed, the rest imported (exit 2).
mkdir -p mixed && cp "$data/vuln/osv-go/GO-2022-0535.json" mixed/good.json && cp bad.json mixed/
cp "$nvd/CVE-2025-6965.json" mixed/nvd-good.json
python3 -c "
import json; d=json.load(open('$nvd/CVE-2025-7458.json'))
feed={'resultsPerPage':2,'startIndex':0,'totalResults':2,'format':'NVD_CVE','version':'2.0',
      'timestamp':'2025-01-01T00:00:00.000','vulnerabilities':[{'cve':d},{'cve':{'id':12345}}]}
json.dump(feed, open('mixed/nvd-half-bad.json','w'))"
check "all or nothing by default" 2 "$vigil" vulndb import --db mixed.sqlite mixed
[[ ! -e mixed.sqlite ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL mixed.sqlite left"; }
check "keep going" 2 "$vigil" vulndb import --db mixed.sqlite --keep-going mixed
expect err.txt "refused: mixed/bad.json: modified"
expect err.txt "refused: mixed/nvd-half-bad.json"
expect err.txt "2 document(s) refused"
expect out.txt "imported 2 document(s) into new database mixed.sqlite"
# The half-bad NVD feed's first record was written before its second failed: undone with it.
expect out.txt "nvd: 1 new, 0 changed"
check "keep going: stats" 0 "$vigil" vulndb stats --db mixed.sqlite
expect out.txt "nvd cves: 1 "
check "keep going, nothing good" 2 "$vigil" vulndb import --db none.sqlite --keep-going bad.json
expect err.txt "all 1 document(s) refused"
[[ ! -e none.sqlite ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL none.sqlite left"; }

# Per-CVE NVD records (bare "cve" objects) are recognised and imported.
check "import bare NVD records" 0 "$vigil" vulndb import --db nvd.sqlite "$nvd"
expect out.txt "nvd: 41 new, 0 changed, 0 unchanged"
check "import one bare NVD record, format forced" 0 "$vigil" vulndb import --db nvd1.sqlite \
  --format nvd "$nvd/CVE-2025-6965.json"
expect out.txt "nvd: 1 new"

# Components whose ecosystem has no advisories in the database are listed as not covered, in
# every format that has a place for it: the 16 firmware components against a Go-only database.
check "import a Go-only database" 0 "$vigil" vulndb import --db go.sqlite \
  "$data/vuln/osv-go/GO-2022-0535.json"
check "scan: table lists what is not covered" 0 "$vigil" scan "$sbom" --db go.sqlite --fail-on low
expect out.txt "16 components not covered: nothing in the advisory database could match them"
expect out.txt "pkg:generic/lwip@2.1.2: purl type 'generic' has no OSV ecosystem; no NVD CPE"
check "scan: JSON lists what is not covered" 0 "$vigil" scan "$sbom" --db go.sqlite --format json
equal "JSON not_covered" "$(python3 -c "import json,sys; print(len(json.load(sys.stdin)['not_covered']))" <out.txt)" 16
for fmt in sarif csaf cyclonedx openvex; do
  check "scan: $fmt warns" 0 "$vigil" scan "$sbom" --db go.sqlite --format $fmt --out "nc.$fmt" \
    --publisher P --publisher-namespace https://p.test
  expect err.txt "warning: 16 component(s) not covered"
done
expect nc.sarif '"toolExecutionNotifications"'
expect nc.csaf '"title": "Components not covered"'
expect nc.cyclonedx '"name": "vigil:not-covered"'
# With the NVD records the CPE-named components are covered.
check "import NVD records too" 0 "$vigil" vulndb import --db go.sqlite "$nvd"
check "scan: CPEs covered" 1 "$vigil" scan "$sbom" --db go.sqlite --format json --fail-on low
equal "JSON not_covered with NVD" "$(python3 -c "import json,sys; print(len(json.load(sys.stdin)['not_covered']))" <out.txt)" 0

# Which score decides: CVE-2025-6965 has NVD's Primary CVSS 3.1 (9.8) and the CNA's Secondary
# 4.0 (7.2). NVD's decides by default, the CNA's with --score-source cna; JSON lists both.
sev() {  # sev ID: "severity|severity_source|number of scores" of the finding in out.txt
  python3 -c "
import json, sys
f = [f for f in json.load(open('out.txt'))['findings'] if f['id'] == sys.argv[1]][0]
print(f['severity'], f['severity_source'], len(f['scores']), sep='|')" "$1"
}
check "scan: NVD's score by default" 1 "$vigil" scan "$sbom" --db go.sqlite --format json \
  --fail-on critical
equal "CVE-2025-6965 default" "$(sev CVE-2025-6965)" "critical|CVE-2025-6965 (NVD, CVSS 3.1)|2"
expect_err "findings at or above critical remain"
check "scan: the CNA's score on request" 1 "$vigil" scan "$sbom" --db go.sqlite --format json \
  --score-source cna --fail-on critical
equal "CVE-2025-6965 cna" "$(sev CVE-2025-6965)" \
  "high|CVE-2025-6965 (CNA cve-coordination@google.com, CVSS 4.0)|2"

echo "vulndb cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
