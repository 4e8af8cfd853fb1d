# Step: build a local advisory database from the CISA KEV catalogue and a slice of the Go OSV
# feed, import the slice again (nothing changes), and show the database's counts.
set -e
cd "$DEMO_DIR"
mkdir -p osv-slice
cp "$VIGIL_DATA_DIR"/vuln/osv-go/GO-2022-0*.json osv-slice/
"$VIGIL" vulndb import --db vulndb.sqlite "$VIGIL_DATA_DIR/vuln/kev/known_exploited_vulnerabilities.json" osv-slice
again=$("$VIGIL" vulndb import --db vulndb.sqlite osv-slice | grep '^osv:')
echo "re-import: $again"
"$VIGIL" vulndb stats --db vulndb.sqlite
osv=$("$VIGIL" vulndb stats --db vulndb.sqlite | sed -n 's/^osv advisories: //p')
kev=$("$VIGIL" vulndb stats --db vulndb.sqlite | sed -n 's/^kev entries: \([0-9]*\).*/\1/p')
echo "advisory database built: $osv Go OSV advisories and $kev KEV entries; re-import changed nothing"
