# What the end-to-end tests of `vigil serve` share (source it after setting vigil, src and data):
# a temporary working folder left with every server the test started (`pids`) stopped, and the
# fleet and register they serve (serve_fleet: the Infusion pump's releases 1.0 and 1.1, the
# device log key in $vkey, the Go OSV and KEV advisories imported and release 1.0 scanned into
# register.sqlite under the example risk policy; the test adds its devices).
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
source "$src/tests/testing/check_lib.sh"
P="Infusion pump"
origin=pump.example/SN-1/audit
reg=register.sqlite

serve_fleet() {
  check "product" 0 "$vigil" fleet product add "$P" --manufacturer "Example Medical"
  check "release 1.0" 0 "$vigil" fleet release add --product "$P" --version 1.0
  check "release 1.1" 0 "$vigil" fleet release add --product "$P" --version 1.1
  check keygen 0 "$vigil" keygen --alg ed25519 --out dev.pem
  check vkey 0 "$vigil" log vkey --origin "$origin" --key dev.pem
  vkey=$(cat out.txt)
  check "import OSV Go + KEV" 0 "$vigil" vulndb import --db db.sqlite "$data/vuln/osv-go" \
    "$data/vuln/kev/known_exploited_vulnerabilities.json"
  python3 "$src/tests/testing/go_agent_release.py" "$data" narrow.sbom.json r1.json \
    v4.5.0+incompatible v0.0.0-20200220183623-bac4c82f6975
  check "policy" 0 "$vigil" triage policy --register $reg "$src/examples/risk-policy.yaml" \
    --actor qa@example-medical.test
  check "scan 1.0" 0 "$vigil" scan r1.json --db db.sqlite --register $reg --product "$P" --release 1.0
}
