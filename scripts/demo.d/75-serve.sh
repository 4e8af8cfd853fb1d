# Step: the fleet server. `vigil serve` on a fresh SQLite fleet database beside a copy of
# 55-triage's register; an admin token registers the Pump's two releases and four simulated pumps
# at two sites through the HTTPS API; the Go OSV and KEV advisories are imported and the fleet's
# releases re-evaluated; the API's exposure is printed with the dashboard's URL; the server stops.
set -e
cd "$DEMO_DIR"
rm -rf serve-fleet.sqlite serve-fleet.sqlite-wal serve-fleet.sqlite-shm serve-register.sqlite serve-audit serve-vulndb.sqlite
cp triage.sqlite serve-register.sqlite
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out serve.key 2>/dev/null
openssl req -x509 -new -key serve.key -out serve.pem -days 30 -subj "/CN=localhost" \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null
F="--db serve-fleet.sqlite"
admin=$("$VIGIL" serve token add --role admin demo.admin $F 2>/dev/null)
"$VIGIL" serve token add --role analyst demo.analyst $F >serve-analyst.token 2>/dev/null
"$VIGIL" serve $F --listen 127.0.0.1:0 --cert serve.pem --key serve.key \
  --register serve-register.sqlite --audit-dir serve-audit >serve.out 2>serve.err &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for ((i = 0; i < 300; i++)); do grep -q "dashboard at" serve.out 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's|.*dashboard at \(https://[^ ]*/\) .*|\1|p' serve.out)
[[ -n $url ]] || { cat serve.out serve.err; exit 1; }
api() {  # api PATH JSON: POST to the API as the admin
  curl -sS --fail-with-body --cacert serve.pem -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d "$2" "${url}api/v1/$1" >/dev/null
}
vkey=$("$VIGIL" log vkey --origin demo.vigil/serve/audit --key pump-0001.key)
api products '{"name": "Pump", "manufacturer": "Demo Medical"}'
api releases '{"product": "Pump", "version": "1.0", "sbom": "pump-1.0.json"}'
api releases '{"product": "Pump", "version": "1.1", "sbom": "pump-1.1.json"}'
i=0
for site in "St. Mary ICU" "County Oncology"; do
  for release in 1.0 1.1; do
    i=$((i + 1))
    api devices "{\"serial\": \"SRV-000$i\", \"product\": \"Pump\", \"release\": \"$release\",
      \"site\": \"$site\", \"log_key\": \"$vkey\"}"
  done
done
"$VIGIL" vulndb import --db serve-vulndb.sqlite "$VIGIL_DATA_DIR/vuln/osv-go" \
  "$VIGIL_DATA_DIR/vuln/kev/known_exploited_vulnerabilities.json" \
  --fleet serve-fleet.sqlite --register serve-register.sqlite >serve-import.txt
curl -sS --fail-with-body --cacert serve.pem -H "Authorization: Bearer $admin" \
  "${url}api/v1/exposure" >serve-exposure.json
kill -TERM $server && wait $server || true
trap - EXIT
python3 - "$url" <<'PY'
import json, sys
e = json.load(open("serve-exposure.json"))
cves = len({r["record"]["vulnerability"] for r in e["rows"]})
sites = ", ".join("%s %d" % (s["site"], s["devices"]) for s in e["sites"])
print("> exposure over the API: %d vulnerabilities open on %d of 4 pumps (%d uncontrolled; %s)"
      % (cves, e["devices"], e["uncontrolled_devices"], sites))
print("vigil serve: 1 product, 2 releases, 4 pumps registered over HTTPS, advisories imported; "
      "dashboard was at %s (token in serve-analyst.token); server stopped" % sys.argv[1])
PY
