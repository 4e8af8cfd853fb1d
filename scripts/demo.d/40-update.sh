# Step: the TUF client (vigil-tuf-client, the conformance-suite CLI) updates from sigstore's real
# root-signing repository at the time it was captured, downloads trusted_root.json, then refuses
# the same download from a mirror that swapped the file's bytes.
set -e
cd "$DEMO_DIR"
client="$(dirname "$VIGIL")/vigil-tuf-client"
repo="$VIGIL_DATA_DIR/update/tuf-static/sigstore-root-signing"
when="$(cat "$repo/faketime")"
rm -rf tuf-meta tuf-targets mirror
"$client" --metadata-dir tuf-meta init "$repo/initial_root.json"
"$client" --metadata-dir tuf-meta --metadata-url "file://$repo/metadata" --time "$when" refresh
"$client" --metadata-dir tuf-meta --metadata-url "file://$repo/metadata" --time "$when" \
  --target-name trusted_root.json --target-base-url "file://$repo/targets" \
  --target-dir tuf-targets download 2>/dev/null
size=$(stat -c %s tuf-targets/trusted_root.json)
cp -r "$repo" mirror
f=$(ls mirror/targets/*.trusted_root.json)
sed -i '0,/"/s//\x27/' "$f"  # one byte changed, same length
if "$client" --metadata-dir tuf-meta --metadata-url "file://$DEMO_DIR/mirror/metadata" \
  --time "$when" --target-name trusted_root.json --target-base-url "file://$DEMO_DIR/mirror/targets" \
  --target-dir tuf-targets-2 download 2>mirror.err; then
  echo "tampered mirror was accepted"; exit 1
fi
echo "TUF: sigstore repository refreshed (root v12, 3-of-5 ECDSA) and trusted_root.json ($size bytes) verified; tampered mirror refused ($(grep -o 'sha256 mismatch' mirror.err))"
