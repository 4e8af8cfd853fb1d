#!/usr/bin/env bash
# A pump from the factory to first use (labels device, e2e), with no default credential: the
# manufacturer CA, a pump manufactured with a one-time provisioning secret and a device
# certificate from that CA (checked with openssl), a client certificate from the same CA, a
# wrong secret refused and audited, provisioning of the first administrator, the TOTP second
# factor confirmed with a code oathtool computes (a wrong code refused), the secret refused once
# used, and the audit log verified end to end by the installed `vigil log verify` against the
# pump's signed checkpoint, then caught when an entry is altered.
# Usage: provision_test.sh PUMPD VIGIL SOURCE_DIR
set -u
pumpd=$1 vigil=$2 src=$3
source "$src/tests/testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

check "manufacturer CA" 0 "$pumpd" factory ca --dir ca --name "Example Medical Devices CA"
equal "CA key mode" "$(stat -c %a ca/ca.key)" 600
check "manufacture" 0 "$pumpd" factory device --ca ca --state state --device-id PUMP-0001 \
  --secret-out secret.txt
expect_stdout "manufactured pump PUMP-0001 in state; its one-time provisioning secret is in secret.txt"
equal "secret file mode" "$(stat -c %a secret.txt)" 600
equal "state folder mode" "$(stat -c %a state)" 700
check "manufacture twice" 1 "$pumpd" factory device --ca ca --state state --device-id PUMP-0001 \
  --secret-out secret2.txt
expect_err "state: already holds a manufactured pump"
check "device certificate from the CA" 0 openssl verify -CAfile ca/ca.pem -purpose sslserver state/tls/device.pem
check "device certificate subject" 0 openssl x509 -in state/tls/device.pem -noout -subject -ext subjectAltName
expect_stdout "CN = PUMP-0001"
expect_stdout "URI:urn:vigil:device:PUMP-0001"
check "client certificate" 0 "$pumpd" factory client-cert --ca ca --name ward-7-workstation --out clients
check "client certificate from the CA" 0 openssl verify -CAfile ca/ca.pem -purpose sslclient clients/ward-7-workstation.pem
equal "client key mode" "$(stat -c %a clients/ward-7-workstation.key)" 600

echo 'correct horse battery staple' >pw
echo 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' >wrong.txt
check "wrong provisioning secret" 1 "$pumpd" provision --state state --secret-file wrong.txt \
  --admin alice --password-file pw
expect_err "permission_denied"
check "provision" 0 "$pumpd" provision --state state --secret-file secret.txt --admin alice \
  --password-file pw
expect_stdout "provisioned pump PUMP-0001: administrator alice"
uri=$(grep -o 'otpauth://[^ ]*' out.txt)
totp_secret=$(sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p' <<<"$uri")
equal "TOTP secret length (base32 of 20 bytes)" "${#totp_secret}" 32
check "the secret works once" 1 "$pumpd" provision --state state --secret-file secret.txt \
  --admin mallory --password-file pw
expect_err "already provisioned"
check "wrong TOTP code" 1 "$pumpd" confirm-totp --state state --account alice --code 000000
code=$(oathtool --totp -b "$totp_secret")
[[ $code == 000000 ]] && code=$(sleep 30; oathtool --totp -b "$totp_secret")
check "TOTP code from oathtool" 0 "$pumpd" confirm-totp --state state --account alice --code "$code"
expect_stdout "second factor of alice confirmed"

check "checkpoint" 0 "$pumpd" audit checkpoint --state state
expect_stdout "vigil-pump/PUMP-0001/audit"
check "audit log verified by vigil" 0 "$vigil" log verify --dir state/audit --vkey "$(cat state/audit.vkey)"
expect_stdout "log OK: 7 entries"
expect_stdout "signed by 1 known key(s)"
check "export" 0 "$vigil" log export --dir state/audit
for action in key.generate device.provision auth.mfa-enrol; do expect_stdout "\"action\":\"$action\""; done
expect_stdout '"action":"device.provision","actor":"","device":"PUMP-0001"'  # the wrong secret
# An altered entry: the checkpoint no longer matches.
journal=$(find state/audit/journal -type f | head -1)
sed -i 's/device-cert/device-CERT/' "$journal"
check "altered log caught" 1 "$vigil" log verify --dir state/audit --vkey "$(cat state/audit.vkey)"
expect_err "TAMPERED"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
