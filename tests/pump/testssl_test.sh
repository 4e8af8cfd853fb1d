#!/usr/bin/env bash
# The management port scanned by testssl.sh (Debian's, labels device, e2e): the pump is made
# with a host name and a CRL distribution point in its certificate (as a hospital deployment
# would be), served on loopback, and scanned by name with the manufacturer CA added to the trust
# store; the JSON findings must hold no HIGH or CRITICAL severity, offer TLS 1.3 and nothing
# older, and the pump must require a client certificate. The scan is bounded by a timeout.
# Usage: testssl_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"
command -v testssl >/dev/null || { echo "FAIL testssl (Debian package testssl.sh) is not installed"; exit 1; }
host=pump-0001.ward7.example
device_options=(--dns-name "$host" --crl-url http://pki.manufacturer.example/crl/devices.crl)
serve_pump PUMP-0001

# Its exit status counts what it flagged at any level; the JSON is what is judged. A timeout
# (124) or a scan that wrote nothing fails.
timeout 900 testssl --jsonfile testssl.json --quiet --warnings off --color 0 \
  --openssl /usr/bin/openssl --add-ca state/tls/ca.pem --ip 127.0.0.1 "$host:$port" >testssl.txt 2>&1
rc=$?
if ((rc != 124)) && [[ -s testssl.json ]]; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL testssl: exit $rc, no JSON"; cat testssl.txt; fi
# severity ID: the finding's severity; finding ID: its text.
field() { python3 -c "import json,sys; print(' '.join(f['$1'] for f in json.load(open('testssl.json')) if f['id'] == sys.argv[1]))" "$2"; }
python3 - <<'PY' >high.txt
import json
for f in json.load(open("testssl.json")):
    if f["severity"] in ("HIGH", "CRITICAL", "FATAL"):
        print(f["id"], f["severity"], f["finding"])
PY
equal "HIGH, CRITICAL or FATAL findings" "$(cat high.txt)" ""
for old in SSLv2 SSLv3 TLS1 TLS1_1 TLS1_2; do
  equal "$old" "$(field finding "$old")" "not offered"
done
equal "TLS 1.3" "$(field finding TLS1_3)" "offered with final"
equal "trust (host name)" "$(field severity cert_trust)" OK
equal "chain of trust to the manufacturer CA" "$(field severity cert_chain_of_trust)" OK
# testssl does not speak HTTP without a client certificate: the pump required one.
check "without a client certificate" 2 "${client[@]}" GET /api/v1/status
check "openssl s_client without a certificate" 1 bash -c \
  "sleep 2 | openssl s_client -connect 127.0.0.1:$port -tls1_3 -CAfile state/tls/ca.pem 2>&1"
expect_stdout "Verify return code: 0 (ok)"
expect_stdout "alert certificate required"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
