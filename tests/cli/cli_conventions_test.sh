#!/usr/bin/env bash
# CLI conventions and messages that mislead (issue 19, items 9 and 10): each bullet, the way a
# new user meets it.
set -u
vigil=$1
src=$2
data=$3
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'chmod -R u+rwX "$work"; rm -rf "$work"' EXIT
chmod 755 "$work"
cd "$work"
mode() { stat -c %a "$1"; }
no_internal_names() {  # the last check's stderr names no error code
  if grep -qE '(^|: )(data_loss|unavailable|internal|failed_precondition|not_found|invalid_argument):' err.txt; then
    fail=$((fail + 1)); echo "FAIL internal code name in:"; cat err.txt
  else pass=$((pass + 1)); fi
}
# Permission denied cannot be staged for root, who reads anything: run as nobody then.
as_user() { if [[ $EUID -eq 0 ]]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }

# keygen: .pub files are for sharing (0644), private keys stay 0600; --alg lists what it makes;
# an hss-lms private key is not PEM, so it cannot be called .pem.
check keygen 0 "$vigil" keygen --alg ed25519 --out k.pem
equal private-mode "$(mode k.pem)" 600
equal public-mode "$(mode k.pem.pub)" 644
check keygen-hss 0 "$vigil" keygen --alg hss-lms --hss-shape H5W8 --out h.hss
equal hss-public-mode "$(mode h.hss.pub)" 644
equal hss-state-mode "$(mode h.hss)" 600
check keygen-hss-pem 2 "$vigil" keygen --alg hss-lms --hss-shape H5W8 --out h.pem
expect_err "h.pem: an hss-lms private key is a state file, not PEM"
[[ ! -e h.pem ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL h.pem written"; }
check keygen-rsa 2 "$vigil" keygen --alg rsa --out r.pem
expect_err "expected a signature algorithm: ed25519, ecdsa-p256-sha256"
for not_signature in sha256 aes-256-gcm ml-kem-768 x25519 rsassa-pss-sha256; do
  if grep -q "[ ,]$not_signature\(,\|$\)" err.txt; then fail=$((fail + 1)); echo "FAIL lists $not_signature"; else pass=$((pass + 1)); fi
done
check keygen-kem 2 "$vigil" keygen --alg ml-kem-768 --out r.pem
expect_err "ml-kem-768: expected a signature algorithm"

# Errors name the file the user gave, never a temporary one.
check out-missing-dir 2 "$vigil" crypto cbom --out no-such-dir/cbom.json
expect_err "^vigil crypto cbom: no-such-dir/cbom.json: "
if grep -q '\.tmp' err.txt; then fail=$((fail + 1)); echo "FAIL temporary file named"; else pass=$((pass + 1)); fi

# The audit log: a negative index, a changed origin, a log without a checkpoint.
check append 0 "$vigil" log append --dir log --device pump-1 --action auth.login
check prove-negative 2 "$vigil" log prove --dir log --index -1
expect_err "non-negative whole number, got -1"
check prove-from-negative 2 "$vigil" log prove --dir log --from -3
expect_err "got -3"
check export-from-negative 2 "$vigil" log export --dir log --from -1
expect_err "got -1"
check verify-no-checkpoint 2 "$vigil" log verify --dir log
expect_err "log/checkpoint: no checkpoint yet; sign one with \`vigil log checkpoint --dir log --origin NAME --key KEY.pem\`"
check checkpoint 0 "$vigil" log checkpoint --dir log --origin pump-1.example/log --key k.pem
check checkpoint-origin-changed 2 "$vigil" log checkpoint --dir log --origin other.example/log --key k.pem
expect_err "signed for origin \"pump-1.example/log\", not \"other.example/log\""
check verify 0 "$vigil" log verify --dir log
# An unreadable journal is an I/O error (exit 2), not tampering.
chmod 000 log/journal/0
check unreadable-journal 2 as_user "$vigil" log verify --dir log
expect_err "Permission denied"
if grep -q TAMPERED err.txt; then fail=$((fail + 1)); echo "FAIL unreadable called TAMPERED"; else pass=$((pass + 1)); fi
chmod 600 log/journal/0

# access check: an audit role no policy grants to is refused, with or without break-glass.
policy=$src/examples/access-policy.json
for role in none system; do
  check "access-role-$role" 2 "$vigil" access check --policy "$policy" --role $role --permission therapy.start --break-glass
  expect_err "--role $role: not a role a policy grants to; expected one of patient, clinician"
done
check access-clinician 0 "$vigil" access check --policy "$policy" --role clinician --permission therapy.start

# vault: help names the passphrase variable; an id with a space says so; every file 0600.
check vault-help 0 "$vigil" vault --help
expect_stdout VIGIL_VAULT_PASSPHRASE
check vault-init-help 0 "$vigil" vault init --help
expect_stdout VIGIL_VAULT_PASSPHRASE
export VIGIL_VAULT_PASSPHRASE=correct-horse-battery
vault=(--db v.db --kek-file v.kek --audit-dir vlog)
check vault-init 0 "$vigil" vault init "${vault[@]}"
echo 'heart rate 72' >record.txt
check vault-id-space 2 "$vigil" vault put "${vault[@]}" --table vitals --id "Jane Roe" --in record.txt
expect_err "character 5 is a space"
if grep -q "Jane" err.txt; then fail=$((fail + 1)); echo "FAIL the id is echoed"; else pass=$((pass + 1)); fi
check vault-put 0 "$vigil" vault put "${vault[@]}" --table vitals --id patient-0042 --in record.txt
check vault-get 0 "$vigil" vault get "${vault[@]}" --table vitals --id patient-0042 --out got.txt
open_files=$(find v.db* v.kek vlog log got.txt -type f -perm /077)
equal device-data-owner-only "$open_files" ""

# update: a freshly provisioned device has nothing to boot (not data loss); a lost boot state
# has a way out that the message names.
check setup 0 "$vigil" update setup --slots slots
check boot-fresh 1 "$vigil" update boot --slots slots
expect_err "vigil update boot: no bootable slot (nothing committed yet: install an image"
no_internal_names
rm slots/boot_state.json
check lost-state 2 "$vigil" update status --slots slots
expect_err "--recover-state"
check recover 0 "$vigil" update setup --slots slots --recover-state
check status-after-recovery 0 "$vigil" update status --slots slots
expect_stdout "anti-rollback counter: 0"
check recover-again 2 "$vigil" update setup --slots slots --recover-state
expect_err "boot_state.json: exists; nothing to recover"
equal slot-files-owner-only "$(find slots -type f -perm /077)" ""

# Unreadable files and symlink loops are reported as what they are, not as missing.
mkdir -p locked && cp -r slots locked/ && chmod 700 locked
check slots-permission 2 as_user "$vigil" update status --slots locked/slots
expect_err "Permission denied"
if grep -q "missing\|run setup" err.txt; then fail=$((fail + 1)); echo "FAIL permission called missing"; else pass=$((pass + 1)); fi
mkdir loopy && cp slots/slots.json loopy/ && ln -s boot_state.json loopy/boot_state.json
check slots-loop 2 "$vigil" update status --slots loopy
expect_err "Too many levels of symbolic links"
ln -s loop.json loop.json
check sbom-loop 2 "$vigil" sbom validate loop.json
expect_err "Too many levels of symbolic links"
chmod 700 "$work"; cp "$policy" private-policy.json
check policy-permission 2 as_user "$vigil" access validate --policy "$work/private-policy.json"
expect_err "Permission denied"
chmod 755 "$work"

# Malformed JSON is said to be malformed, with the byte, even when the right keys are there.
head -c 300 "$data/sbom/medical-device/narrow.sbom.json" >truncated.json
check sbom-truncated 2 "$vigil" sbom validate truncated.json
expect_err "truncated.json: malformed JSON at byte"
check scan-truncated 2 "$vigil" scan truncated.json --db none.sqlite
expect_err "truncated.json: malformed JSON at byte"
printf '\x00\x01garbage' >garbage.json
check sbom-garbage 2 "$vigil" sbom validate garbage.json
expect_err "garbage.json: malformed JSON at byte 0"
printf '{"version": 1, "roles": {"clinician": ["therapy.start"],}}' >bad-policy.json
check policy-json-byte 2 "$vigil" access validate --policy bad-policy.json
expect_err "bad-policy.json: .*byte [0-9]"

# SQLite's own statements never reach the user: a file that is not a database says so.
echo 'not a database, just text that is long enough to have a header of sixteen bytes' >notdb.sqlite
check vulndb-notdb 2 "$vigil" vulndb stats --db notdb.sqlite
expect_err "notdb.sqlite: "
if grep -qiE 'pragma|: sqlite: ' err.txt; then fail=$((fail + 1)); echo "FAIL SQL leaked"; else pass=$((pass + 1)); fi
check vault-notdb 2 "$vigil" vault put --db notdb.sqlite --kek-file v.kek --audit-dir vlog --table vitals --id p-1 --in record.txt
if grep -qiE 'pragma|: sqlite: ' err.txt; then fail=$((fail + 1)); echo "FAIL SQL leaked:"; cat err.txt; else pass=$((pass + 1)); fi

echo "cli conventions: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
