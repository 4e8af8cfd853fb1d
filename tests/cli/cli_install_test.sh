#!/usr/bin/env bash
# `vigil update setup|install|status|boot|commit|rollback` end to end: a repository built with
# `vigil repo` (releases carrying custom.vigil release/security_version), a device with image
# slots; install over HTTP-less file URLs and from a fetched file, trial boot, failed health
# check, automatic fallback, commit, anti-rollback and downgrade refusals.
# Usage: cli_install_test.sh VIGIL
set -u
VIGIL="$1"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"

cd "$W"
mkdir keys
for k in root targets snapshot timestamp; do "$VIGIL" keygen --alg ed25519 --out "keys/$k.pem" >/dev/null; done
R=(--repo "$W/repo")
"$VIGIL" repo init "${R[@]}" --root-key keys/root.pem --targets-key keys/targets.pem \
  --snapshot-key keys/snapshot.pem --timestamp-key keys/timestamp.pem >/dev/null || exit 1
release() {  # release <n> <security version> [extra json]: publish pump/fw-<n>.bin
  head -c $((100000 + $1 * 1000)) /dev/urandom >"fw-$1.bin"
  "$VIGIL" repo add-target "${R[@]}" "fw-$1.bin" --path "pump/fw-$1.bin" \
    --custom "{\"vigil\": {\"release\": $1, \"security_version\": $2${3:-}}}" >/dev/null &&
    "$VIGIL" repo publish "${R[@]}" >/dev/null || exit 1
}
release 1 1
release 2 2
release 3 2
"$VIGIL" update init --metadata-dir tuf --root repo/public/metadata/1.root.json >/dev/null
U=(--slots slots --metadata-dir tuf --metadata-url "file://$W/repo/public/metadata"
  --targets-url "file://$W/repo/public/targets")

check "setup" 0 "$VIGIL" update setup --slots slots --image-size 200000 --attempts 2
check "setup twice" 2 "$VIGIL" update setup --slots slots
check "boot with nothing installed" 1 "$VIGIL" update boot --slots slots
expect_output "no bootable slot"
check "install release 1" 0 "$VIGIL" update install "${U[@]}" --target pump/fw-1.bin
expect_output "-> slot a"
check "trial boot" 0 "$VIGIL" update boot --slots slots
expect_output "boot slot a (trial, 1 attempts left)"
check "commit" 0 "$VIGIL" update commit --slots slots --health-check true
expect_output "anti-rollback counter 1"

"$VIGIL" update fetch --metadata-dir tuf --metadata-url "file://$W/repo/public/metadata" \
  --targets-url "file://$W/repo/public/targets" --target pump/fw-2.bin --out-dir fetched >/dev/null
check "install a fetched file" 0 "$VIGIL" update install "${U[@]}" --target pump/fw-2.bin \
  --file "fetched/pump%2Ffw-2.bin"
expect_output "release 2, security version 2) -> slot b"
check "status" 0 "$VIGIL" update status --slots slots
expect_output "slot b: verified pump/fw-2.bin release 2"
expect_output "trial, 2 attempts left"
check "install while a trial is pending" 1 "$VIGIL" update install "${U[@]}" --target pump/fw-3.bin
expect_output "armed for a trial"
check "trial boot 1" 0 "$VIGIL" update boot --slots slots
check "failed health check" 1 "$VIGIL" update commit --slots slots --health-check false
expect_output "failed its health check"
check "trial boot 2" 0 "$VIGIL" update boot --slots slots
expect_output "boot slot b (trial, 0 attempts left)"
check "fallback" 0 "$VIGIL" update boot --slots slots
expect_output "boot slot a (committed)"
expect_output "no boot attempts left"
check "status after fallback" 0 "$VIGIL" update status --slots slots
expect_output "slot b: failed"
expect_output "anti-rollback counter: 1"

check "install release 2 again" 0 "$VIGIL" update install "${U[@]}" --target pump/fw-2.bin
check "trial boot" 0 "$VIGIL" update boot --slots slots
check "commit release 2" 0 "$VIGIL" update commit --slots slots
expect_output "slot b committed; anti-rollback counter 2"
check "downgrade to release 1 (security version 1)" 1 "$VIGIL" update install "${U[@]}" \
  --target pump/fw-1.bin
expect_output "below the device's counter 2"
check "install release 3, then roll back" 0 "$VIGIL" update install "${U[@]}" --target pump/fw-3.bin
check "rollback" 0 "$VIGIL" update rollback --slots slots
check "boot after rollback" 0 "$VIGIL" update boot --slots slots
expect_output "boot slot b (committed)"
check "rollback with no trial" 1 "$VIGIL" update rollback --slots slots
# Release 4 (same security version) cannot be left for 3 without a signed permission.
check "install release 3" 0 "$VIGIL" update install "${U[@]}" --target pump/fw-3.bin
"$VIGIL" update boot --slots slots >/dev/null
check "commit release 3" 0 "$VIGIL" update commit --slots slots
release 4 2 ', "allow_downgrade_from": 3'
check "downgrade 3 -> 2 without permission" 1 "$VIGIL" update install "${U[@]}" --target pump/fw-2.bin
expect_output "downgrade from release 3 to 2 refused"
# A tampered file is refused and never activated.
cp "fetched/pump%2Ffw-2.bin" bad.bin
printf 'X' | dd of=bad.bin bs=1 seek=10 conv=notrunc 2>/dev/null
check "tampered file" 1 "$VIGIL" update install "${U[@]}" --target pump/fw-4.bin --file bad.bin
expect_output "expected length"
check "status" 0 "$VIGIL" update status --slots slots
expect_output "slot b: empty"

# Issue 13 item 3: a 200 MB boot state, slot configuration, trusted root (stored or given to
# init) or served timestamp costs a one-line refusal, not the memory to read it (sparse files:
# no disk, no time).
one_line() {
  if [[ $(cat out.txt err.txt | wc -l) -eq 1 ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: $1: expected one line:"; cat out.txt err.txt; fi
}
cp -r slots big-slots
truncate -s 200M big-slots/boot_state.json
check "oversized boot state (status)" 1 "$VIGIL" update status --slots big-slots
expect_output "boot_state.json: 209715200 bytes, over the 64 KiB limit for a slot directory file"
one_line "oversized boot state (status)"
check "oversized boot state (install)" 1 "$VIGIL" update install --slots big-slots --metadata-dir tuf \
  --metadata-url "file://$W/repo/public/metadata" --targets-url "file://$W/repo/public/targets" \
  --target pump/fw-2.bin
expect_output "boot_state.json: 209715200 bytes, over the 64 KiB limit"
one_line "oversized boot state (install)"
rm -rf big-slots
cp -r slots big-slots
truncate -s 200M big-slots/slots.json
check "oversized slot configuration (status)" 1 "$VIGIL" update status --slots big-slots
expect_output "slots.json: 209715200 bytes, over the 64 KiB limit for a slot directory file"
one_line "oversized slot configuration (status)"
rm -rf big-slots
cp -r tuf big-tuf
truncate -s 200M big-tuf/root.json
check "oversized trusted root (install)" 1 "$VIGIL" update install --slots slots --metadata-dir big-tuf \
  --metadata-url "file://$W/repo/public/metadata" --targets-url "file://$W/repo/public/targets" \
  --target pump/fw-2.bin
expect_output "root.json: 209715200 bytes, over the 512 KiB limit for trusted TUF metadata"
one_line "oversized trusted root (install)"
rm -rf big-tuf
truncate -s 200M big-root.json
check "oversized root (init)" 1 "$VIGIL" update init --metadata-dir new-tuf --root big-root.json
expect_output "big-root.json: 209715200 bytes, over the 512 KiB limit for a TUF root"
one_line "oversized root (init)"
[[ ! -e new-tuf ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: init wrote new-tuf"; }
rm -f big-root.json
cp -r repo/public big-public
truncate -s 200M big-public/metadata/timestamp.json
check "oversized served timestamp (install)" 1 "$VIGIL" update install --slots slots --metadata-dir tuf \
  --metadata-url "file://$W/big-public/metadata" --targets-url "file://$W/big-public/targets" \
  --target pump/fw-2.bin
expect_output "timestamp.json: larger than the limit of 16384 bytes"
one_line "oversized served timestamp (install)"
rm -rf big-public

echo "install CLI: $pass checks passed, $fail failed"
[[ $fail == 0 ]]
