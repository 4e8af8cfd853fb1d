# Step: an A/B update of a device. The manufacturer publishes releases 1 and 2 of the pump
# firmware with `vigil repo` (custom.vigil carries release and security version); the device
# runs release 1 in slot A, fetches release 2, installs it into slot B (hashed while written),
# trial-boots it, passes its health check and commits, which raises the anti-rollback counter;
# release 1 can then no longer be installed.
set -e
cd "$DEMO_DIR"
rm -rf install-demo && mkdir -p install-demo/keys && cd install-demo
for k in root targets snapshot timestamp; do
  "$VIGIL" keygen --alg ed25519 --out "keys/$k.pem" >/dev/null
done
R=(--repo repo)
"$VIGIL" repo init "${R[@]}" --root-key keys/root.pem --targets-key keys/targets.pem \
  --snapshot-key keys/snapshot.pem --timestamp-key keys/timestamp.pem >/dev/null
for n in 1 2; do
  head -c $((4 << 20)) /dev/urandom >"fw-$n.bin"
  "$VIGIL" repo add-target "${R[@]}" "fw-$n.bin" --path "pump/fw-$n.bin" \
    --custom "{\"vigil\": {\"release\": $n, \"security_version\": $n}}" >/dev/null
done
"$VIGIL" repo publish "${R[@]}" >/dev/null
M=(--metadata-dir tuf --metadata-url "file://$PWD/repo/public/metadata")
T="file://$PWD/repo/public/targets"
"$VIGIL" update init --metadata-dir tuf --root repo/public/metadata/1.root.json >/dev/null
"$VIGIL" update setup --slots slots --image-size $((8 << 20)) --attempts 3 >/dev/null
# Factory state: release 1 in slot A, committed.
"$VIGIL" update install --slots slots "${M[@]}" --targets-url "$T" --target pump/fw-1.bin >/dev/null
"$VIGIL" update boot --slots slots >/dev/null
"$VIGIL" update commit --slots slots >/dev/null
# The update: fetch release 2, install the fetched file into slot B, trial boot, commit.
"$VIGIL" update fetch "${M[@]}" --targets-url "$T" --target pump/fw-2.bin --out-dir fetched >/dev/null
"$VIGIL" update install --slots slots "${M[@]}" --target pump/fw-2.bin \
  --file "fetched/pump%2Ffw-2.bin" | grep -q -- "-> slot b"
trial=$("$VIGIL" update boot --slots slots)
[[ $trial == *"boot slot b (trial"* ]] || { echo "trial boot did not choose slot B: $trial"; exit 1; }
"$VIGIL" update commit --slots slots --health-check "test -s slots/b.img" >/dev/null
counter=$("$VIGIL" update status --slots slots | sed -n 's/^anti-rollback counter: //p')
if "$VIGIL" update install --slots slots "${M[@]}" --targets-url "$T" \
  --target pump/fw-1.bin 2>old.err; then
  echo "release 1 was installed again after the counter rose"; exit 1
fi
echo "install: release 2 streamed into slot B, verified, trial-booted and committed (anti-rollback counter $counter); reinstalling release 1 refused ($(grep -o 'below the device.s counter [0-9]*' old.err))"
