#!/usr/bin/env bash
# End to end: a repository built with `vigil repo`, served over loopback HTTP by
# python3 -m http.server, consumed by OUR client (`vigil update`) and by an independent one,
# tuf-js (npm). Both must accept the good states (first publish, a delegation, a root rotation,
# a delegated role's key rotation) and both must refuse the bad ones (a targets file below its signature threshold, an expired
# timestamp). Also: publishing below threshold is refused with the role, threshold and present
# signatures named.
# Usage: repo_e2e_test.sh VIGIL NODE_MODULES_DIR
set -u
VIGIL="$1"
export VIGIL_NODE_MODULES="$2"
DRIVER="$(cd "$(dirname "$0")" && pwd)/tuf_js_client.js"
W="$(mktemp -d)"
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
pass=0 fail=0
check() {  # check <expected exit> <description> <command...>; stdout+stderr in $W/out
  local want="$1" what="$2"
  shift 2
  "$@" >"$W/out" 2>&1
  local got=$?
  if [[ $got == "$want" ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: $what: exit $got, expected $want"; cat "$W/out"; fi
}
expect_out() {  # the last command's output contains TEXT
  if grep -q -- "$1" "$W/out"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: output should contain '$1':"; cat "$W/out"; fi
}

[[ -f $VIGIL_NODE_MODULES/tuf-js/package.json ]] || {
  echo "FAIL: tuf-js missing under $VIGIL_NODE_MODULES (run scripts/setup)"; exit 1; }

cd "$W"
k() { "$VIGIL" keygen --alg "$1" --out "keys/$2.pem" >/dev/null || exit 1; }
mkdir keys
k ed25519 root-a; k ed25519 root-b; k ed25519 root-c
k ed25519 targets; k ecdsa-p256-sha256 snapshot; k ed25519 timestamp; k ed25519 pump
echo "pump firmware 1.0" >fw-1.0.bin
echo "pump firmware 2.0" >fw-2.0.bin
R=(--repo "$W/repo")

# Root: two offline keys, threshold 2; root-b only as a public key at init (held elsewhere).
check 0 "init" "$VIGIL" repo init "${R[@]}" --root-key keys/root-a.pem \
  --root-key keys/root-b.pem.pub --root-threshold 2 --targets-key keys/targets.pem \
  --snapshot-key keys/snapshot.pem --timestamp-key keys/timestamp.pem
check 0 "add-target" "$VIGIL" repo add-target "${R[@]}" fw-1.0.bin --path app/fw-1.0.bin
check 0 "delegate" "$VIGIL" repo delegate "${R[@]}" --role pump --key keys/pump.pem \
  --paths 'pump/*' --terminating
check 0 "add-target to delegated role" "$VIGIL" repo add-target "${R[@]}" fw-2.0.bin \
  --role pump --path pump/fw-2.0.bin --custom '{"hardware": "rev3"}'
check 1 "publish below the root threshold" "$VIGIL" repo publish "${R[@]}"
expect_out "root v1 (its own root keys): 1 valid signature(s) from distinct keys, threshold 2"
expect_out "signatures present: "
[[ ! -e repo/public/metadata/timestamp.json ]] && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: refused publish wrote files"; }
check 0 "second root key signs separately" "$VIGIL" repo sign "${R[@]}" --role root \
  --key keys/root-b.pem
check 0 "publish" "$VIGIL" repo publish "${R[@]}"
grep -q root-a repo/repo.json && { fail=$((fail + 1)); echo "FAIL: root key path stored"; } ||
  pass=$((pass + 1))

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$W/repo/public" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1
done
M="http://127.0.0.1:$port/metadata"
T="http://127.0.0.1:$port/targets"

ours() {  # ours <client> <command> [args]: vigil update with its own metadata dir
  local c="$1" cmd="$2"
  shift 2
  "$VIGIL" update "$cmd" --metadata-dir "$W/ours-$c" --metadata-url "$M" "$@"
}
theirs() {  # theirs <client> refresh | download TARGET
  local c="$1" cmd="$2"
  shift 2
  if [[ $cmd == refresh ]]; then node "$DRIVER" refresh "$W/tufjs-$c" "$M"
  else node "$DRIVER" download "$W/tufjs-$c" "$M" "$T" "$W/tufjs-$c-out" "$1"; fi
}
trust() {  # both clients of name $1 trust root v1
  "$VIGIL" update init --metadata-dir "$W/ours-$1" --root repo/public/metadata/1.root.json >/dev/null
  mkdir -p "$W/tufjs-$1"; cp repo/public/metadata/1.root.json "$W/tufjs-$1/root.json"
}

trust a
check 0 "ours: top-level target" ours a fetch --targets-url "$T" --target app/fw-1.0.bin \
  --out-dir "$W/ours-a-out"
check 0 "ours: delegated target" ours a fetch --targets-url "$T" --target pump/fw-2.0.bin \
  --out-dir "$W/ours-a-out"
cmp -s "$W/ours-a-out/pump%2Ffw-2.0.bin" fw-2.0.bin && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: ours: delegated target content"; }
check 0 "tuf-js: top-level target" theirs a download app/fw-1.0.bin
check 0 "tuf-js: delegated target" theirs a download pump/fw-2.0.bin
cmp -s "$W/tufjs-a-out/pump%2Ffw-2.0.bin" fw-2.0.bin && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: tuf-js: delegated target content"; }

# Root rotation: root-a leaves, root-c joins, threshold stays 2 → v2 must be signed by a+b (old)
# and b+c (new); a and c sign with the rotation, b later.
check 0 "rotate root" "$VIGIL" repo rotate "${R[@]}" --role root --add-key keys/root-c.pem \
  --remove-key keys/root-a.pem.pub --key keys/root-a.pem --key keys/root-c.pem
check 1 "publish rotation without the second old key" "$VIGIL" repo publish "${R[@]}"
expect_out "root v2 (its own root keys): 1 valid signature(s) from distinct keys, threshold 2"
check 0 "old root key b signs v2" "$VIGIL" repo sign "${R[@]}" --role root --key keys/root-b.pem
check 0 "publish rotation" "$VIGIL" repo publish "${R[@]}"
check 0 "ours: follows the rotation" ours a refresh
expect_out "root v2"
check 0 "tuf-js: follows the rotation" theirs a refresh
expect_out "root v2"
trust b  # a client that starts from v1 walks 1 → 2 on its first refresh
check 0 "ours: new client walks root v1 -> v2" ours b refresh
expect_out "root v2"
check 0 "tuf-js: new client walks root v1 -> v2" theirs b refresh
expect_out "root v2"

# Below threshold: targets needs 2 of {targets, targets-2}; a mirror (or a holder of one key)
# serves a targets file with one signature. The publisher refuses to make one, so the test
# strips a signature from the published file.
k ed25519 targets-2
check 0 "rotate targets to 2-of-2" "$VIGIL" repo rotate "${R[@]}" --role targets \
  --add-key keys/targets-2.pem --threshold 2 --key keys/root-b.pem --key keys/root-c.pem
check 0 "publish 2-of-2 targets" "$VIGIL" repo publish "${R[@]}"
check 0 "ours: accepts 2-of-2 targets" ours a refresh
check 0 "tuf-js: accepts 2-of-2 targets" theirs a refresh
v=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["signed"]["meta"]["targets.json"]["version"])' \
  "repo/public/metadata/$(ls repo/public/metadata | grep -E '^[0-9]+\.snapshot\.json$' | sort -n | tail -1)")
python3 - "repo/public/metadata/$v.targets.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["signatures"] = doc["signatures"][:1]
json.dump(doc, open(sys.argv[1], "w"))
EOF
trust c
check 1 "ours: refuses targets below threshold" ours c refresh
expect_out "targets: 1 valid signature(s) from distinct keys, threshold 2"
check 1 "tuf-js: refuses targets below threshold" theirs c refresh
expect_out "signed by 1/2 keys"
check 0 "repair: publish re-signed targets" "$VIGIL" repo expire "${R[@]}" --role targets --in 30d
check 0 "publish repaired" "$VIGIL" repo publish "${R[@]}"

# Expiry: a timestamp valid for 20 seconds, then both clients refuse it as a freeze attack.
# (2 seconds was too short on a loaded machine: starting node alone took longer.)
issued=$SECONDS
check 0 "expire timestamp in 20s" "$VIGIL" repo expire "${R[@]}" --role timestamp --in 20s
check 0 "publish short-lived timestamp" "$VIGIL" repo publish "${R[@]}"
check 0 "ours: fresh timestamp accepted" ours a refresh
check 0 "tuf-js: fresh timestamp accepted" theirs a refresh
left=$((issued + 22 - SECONDS))
((left > 0)) && sleep "$left"
check 1 "ours: expired timestamp refused" ours a refresh
expect_out "timestamp v[0-9]*: expired"
check 1 "tuf-js: expired timestamp refused" theirs a refresh
expect_out "expired"
check 0 "timestamp back to a day" "$VIGIL" repo expire "${R[@]}" --role timestamp --in 1d
check 0 "publish fresh timestamp" "$VIGIL" repo publish "${R[@]}"
check 0 "ours: recovers" ours a refresh
check 0 "tuf-js: recovers" theirs a refresh

# Delegated role rotation (TUF 4.5): pump's key is replaced in targets' delegation; clients that
# trusted the repository before follow it, and metadata signed by the removed key is refused.
k ed25519 pump-2
check 2 "rotate: unknown role" "$VIGIL" repo rotate "${R[@]}" --role nope --add-key keys/pump-2.pem
expect_out "rotate nope: no such role in this repository"
check 2 "rotate: threshold 0" "$VIGIL" repo rotate "${R[@]}" --role pump --threshold 0
expect_out "threshold 0 must be between 1 and the number of keys (1)"
check 2 "rotate: key not there" "$VIGIL" repo rotate "${R[@]}" --role pump \
  --remove-key keys/pump-2.pem.pub
expect_out "is not a key of pump"
check 2 "rotate: no key left" "$VIGIL" repo rotate "${R[@]}" --role pump \
  --remove-key keys/pump.pem.pub
expect_out "at least one key is needed"
echo "not a key" >keys/bad.pem
check 2 "rotate: new key file does not parse" "$VIGIL" repo rotate "${R[@]}" --role pump \
  --add-key keys/bad.pem
expect_out "bad.pem: expected a PEM private or public key"
check 0 "rotate delegated pump" "$VIGIL" repo rotate "${R[@]}" --role pump \
  --add-key keys/pump-2.pem --remove-key keys/pump.pem.pub
expect_out "its delegation"
check 2 "removed pump key cannot sign" "$VIGIL" repo sign "${R[@]}" --role pump --key keys/pump.pem
expect_out "is not a key of pump"
echo "pump firmware 3.0" >fw-3.0.bin
check 0 "add-target after rotation" "$VIGIL" repo add-target "${R[@]}" fw-3.0.bin --role pump \
  --path pump/fw-3.0.bin
check 0 "publish pump rotation" "$VIGIL" repo publish "${R[@]}"
expect_out "targets v[0-9]*, pump v2"
check 0 "ours: follows the pump rotation" ours a fetch --targets-url "$T" \
  --target pump/fw-3.0.bin --out-dir "$W/ours-a-out"
cmp -s "$W/ours-a-out/pump%2Ffw-3.0.bin" fw-3.0.bin && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: ours: rotated role's target content"; }
check 0 "tuf-js: follows the pump rotation" theirs a download pump/fw-3.0.bin
cmp -s "$W/tufjs-a-out/pump%2Ffw-3.0.bin" fw-3.0.bin && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: tuf-js: rotated role's target content"; }
# A mirror serves pump metadata signed only by the removed key (the old v1) as v2.
cp repo/public/metadata/2.pump.json "$W/2.pump.json.good"
cp repo/public/metadata/1.pump.json repo/public/metadata/2.pump.json
trust d
check 1 "ours: refuses pump signed by the removed key" ours d fetch --targets-url "$T" \
  --target pump/fw-3.0.bin --out-dir "$W/ours-d-out"
expect_out "pump: 0 valid signature(s)"
check 1 "tuf-js: refuses pump signed by the removed key" theirs d download pump/fw-3.0.bin
cp "$W/2.pump.json.good" repo/public/metadata/2.pump.json

# Input errors name what is wrong.
check 2 "expire needs a valid duration" "$VIGIL" repo expire "${R[@]}" --role targets --in 3x
expect_out "duration: expected"
check 2 "unsafe target path" "$VIGIL" repo add-target "${R[@]}" fw-1.0.bin --path ../x
check 2 "unknown role" "$VIGIL" repo sign "${R[@]}" --role nope --key keys/root-b.pem
check 2 "no repository" "$VIGIL" repo publish --repo "$W/none"
expect_out "run \`vigil repo init\`"

echo "repo_e2e_test: $pass passed, $fail failed"
[[ $fail == 0 ]]
