#!/bin/bash
# Throwaway PKI for the syslog-over-TLS test: a CA, a collector certificate for "localhost" and
# 127.0.0.1, a device (client) certificate, and a second, untrusted CA with its own collector
# certificate. ECDSA P-256, valid one day. Usage: make-test-pki.sh DIR
set -euo pipefail
dir=$1
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {  # ca NAME CN
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 1 -out "$1.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
leaf() {  # leaf NAME CN CA EXT...
  local name=$1 cn=$2 issuer=$3; shift 3
  key "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr"
  printf '%s\n' "$@" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -days 1 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
}
ca ca "Vigil test syslog CA"
ca rogue-ca "Rogue CA"
leaf server localhost ca "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature"
leaf client pump-0042 ca "subjectAltName=DNS:pump-0042" "extendedKeyUsage=clientAuth" \
  "keyUsage=critical,digitalSignature"
leaf rogue-server localhost rogue-ca "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature"
