# Step: the post-market fleet over the register of 55-triage: the Pump's two releases, six
# simulated pumps at three sites, check-ins of one pump's signed audit log (the first trusted, a
# grown log accepted with its consistency proof, a rolled-back copy raised as an alert), then the
# fleet's exposure to the register's open findings by site and risk, and what reaches an
# end-of-support stage (IMDRF N70) within ten years.
set -e
cd "$DEMO_DIR"
rm -rf fleet.sqlite fleet.sqlite-wal fleet.sqlite-shm pump-log pump-log-old
F="--db fleet.sqlite"
origin=demo.vigil/PUMP-0001/audit
"$VIGIL" keygen --alg ed25519 --out pump-0001.key >/dev/null
vkey=$("$VIGIL" log vkey --origin "$origin" --key pump-0001.key)
"$VIGIL" fleet product add Pump --manufacturer 'Demo Medical' $F >/dev/null
"$VIGIL" fleet release add --product Pump --version 1.0 --sbom pump-1.0.json $F >/dev/null
"$VIGIL" fleet release add --product Pump --version 1.1 --sbom pump-1.1.json $F >/dev/null
i=0
for site in "St. Mary ICU" "St. Mary Ward 3" "County Oncology"; do
  for release in 1.0 1.1; do
    i=$((i + 1))
    "$VIGIL" fleet device add "PUMP-000$i" --product Pump --release $release --site "$site" \
      --customer 'Demo Health' --support-end 2032-12-31 --log-key "$vkey" $F >/dev/null
  done
done
events() {  # events DIR N
  for ((k = 0; k < $2; k++)); do
    "$VIGIL" log append --dir "$1" --device PUMP-0001 --actor "clin.n$k" --role clinician \
      --action auth.login >/dev/null 2>&1
  done
  "$VIGIL" log checkpoint --dir "$1" --origin "$origin" --key pump-0001.key >/dev/null
}
checkin() {  # checkin DIR FROM OUT
  local proof='[]'
  [[ $2 -gt 0 ]] && proof=$("$VIGIL" log prove --dir "$1" --from "$2" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["proof"]))')
  python3 -c 'import json, sys; json.dump({"release": "1.0", "slot": "a", "slot_status": "good",
    "security_counter": 2, "checkpoint": open(sys.argv[1] + "/checkpoint").read(),
    "consistency_proof": json.loads(sys.argv[2])}, open(sys.argv[3], "w"))' "$1" "$proof" "$3"
}
events pump-log 3
cp -r pump-log pump-log-old
checkin pump-log 0 checkin-1.json
"$VIGIL" fleet checkin --device PUMP-0001 checkin-1.json $F >/dev/null
events pump-log 2
checkin pump-log 3 checkin-2.json
"$VIGIL" fleet checkin --device PUMP-0001 checkin-2.json $F >/dev/null
checkin pump-log-old 0 checkin-3.json
if "$VIGIL" fleet checkin --device PUMP-0001 checkin-3.json $F >/dev/null; then
  echo "rolled-back log was accepted"; exit 1
fi
alert=$("$VIGIL" fleet alerts --device PUMP-0001 --format json $F | python3 -c '
import json, sys; a = json.load(sys.stdin)[0]; print(a["kind"] + ": " + a["detail"])')
"$VIGIL" fleet exposure --register triage.sqlite $F --format json >fleet-exposure.json
python3 - "$alert" <<'PY'
import json, sys
e = json.load(open("fleet-exposure.json"))
cves = len({r["record"]["vulnerability"] for r in e["rows"]})
sites = ", ".join("%s %d" % (s["site"], s["devices"]) for s in e["sites"])
print("fleet: 6 pumps at 3 sites; PUMP-0001 check-ins accepted twice, then %s; exposure: %d "
      "vulnerabilities open, %d pumps exposed (%d to an uncontrolled risk; by site: %s)"
      % (sys.argv[1], cves, e["devices"], e["uncontrolled_devices"], sites))
PY
"$VIGIL" fleet support --warn-days 3650 --as-of 2026-01-01 $F --format json >fleet-support.json
python3 - <<'PY'
import json
s = json.load(open("fleet-support.json"))
first = s[0] if s else None
print("end of support (IMDRF N70): %d item(s) reach a stage within 10 years%s"
      % (len(s), ", first %s %s on %s" % (first["item"], first["stage"], first["date"]) if first else ""))
PY
