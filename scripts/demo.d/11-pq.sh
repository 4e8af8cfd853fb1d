# Step: a post-quantum (ML-DSA-65, FIPS 204) release signature, verified; a tampered copy fails.
set -e
cd "$DEMO_DIR"
echo "firmware image 4.2.0" >firmware.bin
"$VIGIL" keygen --alg ml-dsa-65 --out pq-release.key >/dev/null
"$VIGIL" sign --raw --key pq-release.key --out firmware.sig firmware.bin
"$VIGIL" verify --raw --pub pq-release.key.pub --sig firmware.sig firmware.bin >/dev/null
echo "tampered" >>firmware.bin
if "$VIGIL" verify --raw --pub pq-release.key.pub --sig firmware.sig firmware.bin 2>/dev/null; then
  echo "tampered image was accepted"; exit 1
fi
echo "ML-DSA-65 signature ($(stat -c %s firmware.sig) bytes) verified; tampered image rejected"
