# Step: the manufacturer side of updates. `vigil repo` builds a TUF repository whose root is an
# offline 2-of-2 ML-DSA-65 (post-quantum) root signed in two separate steps, publishes it, a
# loopback web server serves the static tree, and the device client (`vigil update`) refreshes
# and downloads the firmware; then the root is rotated and the client follows it.
set -e
cd "$DEMO_DIR"
rm -rf repo-demo && mkdir -p repo-demo/keys && cd repo-demo
for k in root-a:ml-dsa-65 root-b:ml-dsa-65 root-c:ml-dsa-65 targets:ed25519 snapshot:ed25519 \
  timestamp:ed25519; do
  "$VIGIL" keygen --alg "${k#*:}" --out "keys/${k%%:*}.pem" >/dev/null
done
echo "infusion pump firmware 2.1" >pump-2.1.bin
R=(--repo repo)
"$VIGIL" repo init "${R[@]}" --root-key keys/root-a.pem --root-key keys/root-b.pem.pub \
  --root-threshold 2 --targets-key keys/targets.pem --snapshot-key keys/snapshot.pem \
  --timestamp-key keys/timestamp.pem >/dev/null
"$VIGIL" repo add-target "${R[@]}" pump-2.1.bin --path pump/pump-2.1.bin >/dev/null
if "$VIGIL" repo publish "${R[@]}" 2>refused.err; then echo "published below threshold"; exit 1; fi
"$VIGIL" repo sign "${R[@]}" --role root --key keys/root-b.pem >/dev/null
"$VIGIL" repo publish "${R[@]}" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory repo/public >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"
"$VIGIL" update init --metadata-dir device --root repo/public/metadata/1.root.json >/dev/null
"$VIGIL" update fetch --metadata-dir device --metadata-url "$url/metadata" \
  --targets-url "$url/targets" --target pump/pump-2.1.bin --out-dir device-downloads >/dev/null
cmp -s pump-2.1.bin device-downloads/pump%2Fpump-2.1.bin
"$VIGIL" repo rotate "${R[@]}" --role root --add-key keys/root-c.pem --remove-key keys/root-a.pem.pub \
  --key keys/root-a.pem --key keys/root-b.pem --key keys/root-c.pem >/dev/null
"$VIGIL" repo publish "${R[@]}" >/dev/null
root=$("$VIGIL" update refresh --metadata-dir device --metadata-url "$url/metadata")
echo "TUF repository: 2-of-2 ML-DSA-65 root (publish refused at 1 of 2), firmware served over HTTP and verified by the device; root rotated, device now trusts $(grep -o "root v[0-9]*" <<<"$root")"
