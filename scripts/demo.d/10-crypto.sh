# Step: sign and verify a file with Ed25519; a tampered copy must be rejected.
set -e
cd "$DEMO_DIR"
echo "drug library v7: heparin 1000 U/h max" >drug-library.txt
"$VIGIL" keygen --alg ed25519 --out release.key >/dev/null
"$VIGIL" sign --key release.key --out drug-library.sig drug-library.txt
"$VIGIL" verify --pub release.key.pub --sig drug-library.sig drug-library.txt >/dev/null
sed 's/1000/9000/' drug-library.txt >tampered.txt
if "$VIGIL" verify --pub release.key.pub --sig drug-library.sig tampered.txt 2>/dev/null; then
  echo "tampered file was accepted"; exit 1
fi
n=$("$VIGIL" crypto list | tail -n +2 | wc -l)
echo "Ed25519 key made, drug library signed and verified, tampered copy rejected; $n algorithms in the registry"
