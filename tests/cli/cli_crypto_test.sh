#!/usr/bin/env bash
# vigil keygen/sign/verify/hash/crypto: success paths and every exit code.
set -u
vigil=$1
src=${2:-}
data=${3:-}
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

echo "infusion rate table v7" >payload
for alg in ed25519 ecdsa-p256-sha256 ecdsa-p384-sha384 ml-dsa-44 ml-dsa-65 ml-dsa-87; do
  check "keygen $alg" 0 "$vigil" keygen --alg "$alg" --out "$alg.key"
  [[ $(stat -c %a "$alg.key") == 600 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL key mode"; }
  check "sign $alg" 0 "$vigil" sign --key "$alg.key" --out "$alg.sig" payload
  check "verify $alg" 0 "$vigil" verify --pub "$alg.key.pub" --sig "$alg.sig" payload
  check "raw sign $alg" 0 "$vigil" sign --raw --key "$alg.key" --out "$alg.raw" payload
  check "raw verify $alg" 0 "$vigil" verify --raw --pub "$alg.key.pub" --sig "$alg.raw" payload
  if [[ $alg != ml-dsa-* ]]; then  # OpenSSL 3.0 has no ML-DSA
    openssl pkey -in "$alg.key" -noout 2>/dev/null && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL openssl reads $alg key"; }
  fi
done
# Composite (hybrid) keys: key files per draft-ietf-lamps-pq-composite-sigs, both halves sign.
for alg in ml-dsa-65+ed25519 ml-dsa-87+ecdsa-p384; do
  check "keygen $alg" 0 "$vigil" keygen --alg "$alg" --out "$alg.key"
  check "sign $alg" 0 "$vigil" sign --key "$alg.key" --out "$alg.sig" payload
  check "verify $alg" 0 "$vigil" verify --pub "$alg.key.pub" --sig "$alg.sig" payload
  cp payload "$alg.tampered"; echo x >>"$alg.tampered"
  check "verify $alg tampered" 1 "$vigil" verify --pub "$alg.key.pub" --sig "$alg.sig" "$alg.tampered"
done
# The P-384 half of the composite private key is an RFC 5915 ECPrivateKey (after the 19-byte
# PKCS#8 header and the 32-byte ML-DSA seed): OpenSSL must read it and derive the same public
# point that our SPKI carries as the last 97 bytes.
sed '1d;$d' ml-dsa-87+ecdsa-p384.key | base64 -d | tail -c +52 >p384.der
sed '1d;$d' ml-dsa-87+ecdsa-p384.key.pub | base64 -d | tail -c 97 >p384.point
if openssl ec -inform DER -in p384.der -pubout -outform DER 2>/dev/null | tail -c 97 | cmp -s - p384.point; then
  pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL openssl derives another P-384 point"; fi
check "composite keys are not interchangeable" 1 "$vigil" verify --pub ml-dsa-65+ed25519.key.pub --sig ml-dsa-87+ecdsa-p384.sig payload
cp payload tampered; echo x >>tampered
check "tampered file" 1 "$vigil" verify --pub ed25519.key.pub --sig ed25519.sig tampered
check "wrong key" 1 "$vigil" verify --pub ecdsa-p256-sha256.key.pub --sig ed25519.sig payload
check "ml-dsa tampered" 1 "$vigil" verify --pub ml-dsa-65.key.pub --sig ml-dsa-65.sig tampered
check "keygen refuses overwrite" 2 "$vigil" keygen --out ed25519.key
expect_err "use --force"
check "unknown algorithm" 2 "$vigil" keygen --alg rsa-1024 --out r.key
expect_err "--alg rsa-1024: expected a signature algorithm: ed25519, "
check "not a signature algorithm" 2 "$vigil" keygen --alg aes-256-gcm --out r.key
check "missing key file" 2 "$vigil" sign --key nope.key payload
expect_err "nope.key"
check "public key given as private" 2 "$vigil" sign --key ed25519.key.pub payload
expect_err "expected a PEM 'PRIVATE KEY' block, found 'PUBLIC KEY'"
echo "not base64!" >bad.sig
check "malformed signature file" 2 "$vigil" verify --pub ed25519.key.pub --sig bad.sig payload
check "usage error" 2 "$vigil" sign payload
check "hash" 0 "$vigil" hash payload tampered
if diff <(sha256sum payload tampered) out.txt >/dev/null; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL hash differs from sha256sum"; fi
check "hash sha512" 0 "$vigil" hash --alg sha512 payload
[[ $(cut -d' ' -f1 out.txt) == $(sha512sum payload | cut -d' ' -f1) ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sha512"; }
check "hash missing file" 2 "$vigil" hash nope
check "hash sha3-256" 0 "$vigil" hash --alg sha3-256 payload
[[ $(cut -d' ' -f1 out.txt) == $(/usr/bin/python3 -c 'import hashlib,sys; print(hashlib.sha3_256(open(sys.argv[1],"rb").read()).hexdigest())' payload) ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sha3-256"; }
head -c 3000001 /dev/urandom >big.bin  # several read chunks, odd length
check "hash big file" 0 "$vigil" hash big.bin
if diff <(sha256sum big.bin) out.txt >/dev/null; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL streamed hash differs from sha256sum"; fi
check "hash unknown algorithm" 2 "$vigil" hash --alg md5 payload
check "keygen --force overwrites" 0 "$vigil" keygen --alg ed25519 --out ed25519.key --force
check "old signature fails under the new key" 1 "$vigil" verify --pub ed25519.key.pub --sig ed25519.sig payload
check "verify missing signature file" 2 "$vigil" verify --pub ed25519.key.pub --sig nope.sig payload
check "verify missing input" 2 "$vigil" verify --pub ed25519.key.pub --sig ed25519.sig nope
check "crypto list" 0 "$vigil" crypto list
grep -q "ed25519 .*approved" out.txt && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL list"; }
check "crypto cbom" 0 "$vigil" crypto cbom --out cbom.json --device pump --device-version 1.0
grep -q '"cryptographic-asset"' cbom.json && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cbom"; }
# The schema check needs node and build/node (scripts/setup): without them it fails, never skips.
if [[ -n $src && -n $data && -d $src/build/node/node_modules ]] && command -v node >/dev/null; then
  if VIGIL_NODE_MODULES=$src/build/node/node_modules node "$src/tests/tools/validate-json-schema.js" \
      "$data/sbom/cyclonedx/bom-1.6.schema.json" cbom.json >schema.txt 2>&1; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL vigil crypto cbom output does not validate against CycloneDX 1.6:"
    grep -v "unknown format" schema.txt; fi
else
  fail=$((fail + 1))
  echo "FAIL CycloneDX schema validation of 'vigil crypto cbom': node, build/node or the shared data is missing (run scripts/setup)"
fi
# Stateful HSS: the private key is a state file; every signature uses a fresh one-time key and an
# exhausted key refuses to sign.
check "keygen hss" 0 "$vigil" keygen --alg hss-lms --hss-shape H5W4 --out hss.state
[[ $(stat -c %a hss.state) == 600 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL hss state mode"; }
check "hss pub is SPKI" 0 openssl asn1parse -in hss.state.pub
grep -q "1.2.840.113549.1.9.16.3.17" out.txt && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL hss SPKI OID"; }
check "keygen hss exists" 2 "$vigil" keygen --alg hss-lms --hss-shape H5W4 --out hss.state
check "bad hss shape" 2 "$vigil" keygen --alg hss-lms --hss-shape H12W8 --out other.state
for i in $(seq 1 32); do
  "$vigil" sign --raw --key hss.state --out "hss.$i.sig" payload || { fail=$((fail + 1)); echo "FAIL hss sign $i"; }
done
check "hss verify" 0 "$vigil" verify --raw --pub hss.state.pub --sig hss.1.sig payload
check "hss verify last" 0 "$vigil" verify --raw --pub hss.state.pub --sig hss.32.sig payload
[[ $(md5sum hss.*.sig | awk '{print $1}' | sort -u | wc -l) -eq 32 ]] && pass=$((pass + 1)) || {
  fail=$((fail + 1)); echo "FAIL hss signatures repeat"; }
check "hss exhausted" 2 "$vigil" sign --raw --key hss.state --out hss.33.sig payload
grep -q "one-time keys are used" err.txt && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL exhausted message"; cat err.txt; }
echo tampered >>payload
check "hss tampered" 1 "$vigil" verify --raw --pub hss.state.pub --sig hss.1.sig payload

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
