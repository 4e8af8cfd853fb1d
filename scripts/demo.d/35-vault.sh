# Step: a patient record encrypted at rest in the vault, keys rotated, then crypto-erased for
# decommissioning (NIST SP 800-88): the KEK file is destroyed and the record can no longer be read.
set -e
cd "$DEMO_DIR"
rm -rf vault-demo && mkdir -p vault-demo && cd vault-demo
export VIGIL_VAULT_PASSPHRASE="demo passphrase for pump-SN1234"
common=(--db vault.db --kek-file vault.kek --audit-dir vault-audit --device pump-SN1234)
"$VIGIL" vault init "${common[@]}" >/dev/null
printf 'patient=Jane Roe; MRN=778812; heparin 12.5 mL/h\n' > note.txt
"$VIGIL" vault put "${common[@]}" --table chart --id note-1 --in note.txt >/dev/null
if ! "$VIGIL" vault scan --db vault.db --text "Jane Roe" >/dev/null; then
  echo "plaintext found in the vault database"; exit 1
fi
"$VIGIL" vault rotate-kek "${common[@]}" >/dev/null
"$VIGIL" vault rotate-data-keys "${common[@]}" >/dev/null
"$VIGIL" vault get "${common[@]}" --table chart --id note-1 --out back.txt --force >/dev/null
cmp -s note.txt back.txt || { echo "the record did not read back after rotation"; exit 1; }
"$VIGIL" vault erase "${common[@]}" >/dev/null
if [[ -e vault.kek ]]; then echo "the KEK file survived crypto-erase"; exit 1; fi
if "$VIGIL" vault get "${common[@]}" --table chart --id note-1 --out gone.txt 2>/dev/null; then
  echo "an erased vault still opened"; exit 1
fi
events=$("$VIGIL" log export --dir vault-audit | wc -l)
echo "vault: record encrypted at rest (no plaintext on disk), KEK and data keys rotated, crypto-erased (KEK destroyed, record unreadable); $events key events audited"
