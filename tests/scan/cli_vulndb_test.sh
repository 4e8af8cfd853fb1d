#!/usr/bin/env bash
# The advisory database's edges, end to end on small inputs: input size limits of `vigil scan`,
# which commands may create a database, empty and partial databases, import failures.
set -u
vigil=$1
src=$2
data=$3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
source "$src/tests/cli/check_lib.sh"

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

echo "vulndb cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
