# Step: security events into the tamper-evident log, a checkpoint signed with Ed25519 + ML-DSA-65,
# verification from disk, then one edited entry caught by `vigil log verify`.
set -e
cd "$DEMO_DIR"
rm -rf audit-log
"$VIGIL" keygen --alg ed25519 --out audit-ed.key >/dev/null
"$VIGIL" keygen --alg ml-dsa-65 --out audit-pq.key >/dev/null
origin=demo.vigil/pump-SN1234/audit
for who in clin.jdoe clin.asmith adm.root; do
  "$VIGIL" log append --dir audit-log --device pump-SN1234 --actor "$who" --role clinician \
    --action auth.login --outcome success >/dev/null
done
"$VIGIL" log append --dir audit-log --device pump-SN1234 --actor clin.jdoe --role clinician \
  --action emergency.open --purpose break-glass --reason "second factor unavailable" >/dev/null
"$VIGIL" log checkpoint --dir audit-log --origin "$origin" --key audit-ed.key --key audit-pq.key >/dev/null
mapfile -t vkeys < <("$VIGIL" log vkey --origin "$origin" --key audit-ed.key --key audit-pq.key)
"$VIGIL" log verify --dir audit-log --vkey "${vkeys[0]}" --vkey "${vkeys[1]}" >/dev/null
"$VIGIL" log export --dir audit-log --format fhir --fhir-namespace https://fhir.demo-medical.test \
  --out audit-fhir.json
"$VIGIL" log export --dir audit-log --format syslog --out audit.syslog
grep -q '"code":"BTG"' audit-fhir.json
sed -i 's/clin.asmith/clin.zzzzzz/' audit-log/journal/0
if "$VIGIL" log verify --dir audit-log --vkey "${vkeys[0]}" --vkey "${vkeys[1]}" 2>verify.err; then
  echo "edited log was accepted"; exit 1
fi
echo "audit log: 4 events, checkpoint signed (Ed25519 + ML-DSA-65) and verified; exported as FHIR AuditEvent (BTG) and RFC 5424; edited entry caught ($(cut -c1-100 verify.err)...)"
