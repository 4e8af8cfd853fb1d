#!/usr/bin/env bash
# `vigil serve` end to end: the real server on loopback (certificates made here with openssl: a
# server certificate, a manufacturer CA and device certificates, and a CA nobody trusts), driven
# with curl. Operators: tokens issued once and stored hashed, role checks through the policy
# (read-only cannot write, analyst decides, admin creates), a revoked token refused, bad input →
# 4xx with one line of JSON naming the field, 413 over the size limit, 429 with Retry-After.
# Devices: check-ins over mutual TLS accepted, a forked log raising an alert seen through the API,
# a certificate of another CA refused at the handshake, a certificate of another device or of an
# unregistered one refused. Every answer is checked against the OpenAPI document (itself checked
# by an independent OpenAPI 3.1 validator) and every operation of the document is exercised; the
# server's audit log holds the changes under the tokens' names (not the reads) and verifies.
set -u
vigil=$1
src=$2
data=$3
source "$src/tests/server/serve_fleet_lib.sh"
q() { python3 -c "import json,sys; e = json.load(open('$1')); print($2)"; }

# --- certificates --------------------------------------------------------------------------------
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {  # ca NAME CN
  ec "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 30 -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
device_cert() {  # device_cert NAME SERIAL CA
  ec "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2/serialNumber=$2" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=URI:urn:vigil:device:%s\n' "$2" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -out "$1.pem" -days 30 \
    -extfile "$1.ext" 2>/dev/null
}
ec server.key
openssl req -x509 -new -key server.key -out server.pem -days 30 -subj "/CN=localhost" \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null
ca maker "Example Medical Device CA"
ca rogue "Rogue CA"
device_cert sn1 SN-1 maker
device_cert sn2 SN-2 maker
device_cert sn9 SN-9 maker
device_cert forged SN-1 rogue
for f in server.pem maker.pem sn1.pem sn2.pem sn9.pem forged.pem; do
  [[ -s $f ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL openssl did not make $f"; }
done

# --- the fleet and the register (as tests/fleet does) --------------------------------------------
serve_fleet
check "SN-1" 0 "$vigil" fleet device add SN-1 --product "$P" --release 1.0 --log-key "$vkey" --site ICU
check "SN-2" 0 "$vigil" fleet device add SN-2 --product "$P" --release 1.0 --log-key "$vkey" --site "Ward 3"

# --- tokens: shown once, stored hashed ---------------------------------------------------------
token() {  # token ROLE NAME → prints the token
  "$vigil" serve token add --role "$1" "$2" 2>/dev/null
}
admin=$(token admin ops.admin)
analyst=$(token analyst ops.analyst)
ro=$(token read-only ops.viewer)
gone=$(token admin ops.former)
equal "token form" "$(echo "$admin" | grep -cE '^vgt_[A-Za-z0-9_-]{43}$')" 1
check "token revoke" 0 "$vigil" serve token revoke ops.former
check "token list" 0 "$vigil" serve token list --format json
equal "token roles" "$(q out.txt '" ".join(t["name"] + "=" + t["role"] + ("/revoked" if t["revoked"] else "") for t in e)')" \
  "ops.admin=admin ops.analyst=analyst ops.former=admin/revoked ops.viewer=read-only"
if grep -q -- "${admin#vgt_}" fleet.sqlite out.txt; then fail=$((fail + 1)); echo "FAIL the token is stored"; else pass=$((pass + 1)); fi
check "token bad role" 2 "$vigil" serve token add --role root ops.root
check "token duplicate" 2 "$vigil" serve token add --role admin ops.admin
expect_err "operator token 'ops.admin' already exists"
check "revoke unknown" 2 "$vigil" serve token revoke ops.nobody
expect_err "no operator token 'ops.nobody'"

# --- start -------------------------------------------------------------------------------------
check "no audit dir" 2 "$vigil" serve --listen 127.0.0.1:0 --cert server.pem --key server.key
expect_err "vigil serve: --audit-dir is required"
check "bad listen" 2 "$vigil" serve --listen 127.0.0.1 --cert server.pem --key server.key --audit-dir a
expect_err "--listen: expected HOST:PORT"
check "devices without CA" 2 "$vigil" serve --listen 127.0.0.1:0 --device-listen 127.0.0.1:0 \
  --cert server.pem --key server.key --audit-dir a
expect_err "--client-ca (with --device-listen) is required"
start() {  # start NAME ARGS...: serves in the background; sets port and dport
  local name=$1; shift
  "$vigil" serve --listen 127.0.0.1:0 --cert server.pem --key server.key --register $reg "$@" \
    >"$name.out" 2>"$name.err" &
  pids+=($!)
  for ((i = 0; i < 600; i++)); do
    grep -q "operators at" "$name.out" 2>/dev/null && break
    sleep 0.1
  done
  port=$(sed -n 's|.*operators at https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$name.out")
  dport=$(sed -n 's|.*devices at https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$name.out")
}
start main --device-listen 127.0.0.1:0 --client-ca maker.pem --audit-dir audit --rate 1000 --burst 1000
server_pid=${pids[-1]}
[[ -n $port && -n $dport ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL server did not start"; cat main.out main.err; }

# call NAME WANT_STATUS METHOD ROUTE URLPATH [curl args...]: one exchange with the server (the
# device listener for check-ins), recorded (ROUTE = the document's template, "-" for none) for the
# OpenAPI check; the answer's body in body.json, its headers in headers.txt.
call() {
  local name=$1 want=$2 method=$3 route=$4 url=$5; shift 5
  local base="https://127.0.0.1:$port"
  [[ $route == */checkin ]] && base="https://127.0.0.1:$dport"
  status=$(curl -sS --cacert server.pem -o body.json -D headers.txt -w '%{http_code}' -X "$method" \
    "$@" "$base$url" 2>curl.err)
  equal "$name" "$status" "$want"
  [[ $route != - ]] && python3 - "$method" "$route" "$status" >>exchanges.jsonl <<'PY'
import json, sys
method, route, status = sys.argv[1:]
print(json.dumps({"method": method.lower(), "route": route, "status": int(status),
                  "body": json.load(open("body.json"))}))
PY
  if [[ $status -ge 400 ]]; then  # one line of JSON: {"error": "..."}
    equal "$name: one-line error" "$(python3 -c 'import json; d = json.load(open("body.json")); print(list(d) == ["error"] and "\n" not in d["error"])')" True
  fi
}
auth() { echo "Authorization: Bearer $1"; }
json_body() { echo -H Content-Type:application/json --data-binary "@$1"; }
error_has() {  # error_has TEXT: the last answer's error names TEXT
  if grep -q -- "$1" body.json; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL error should name '$1':"; cat body.json; fi
}

call "openapi" 200 GET /api/v1/openapi.json /api/v1/openapi.json
equal "served document is the file" "$(python3 -c "import json; print(json.load(open('body.json')) == json.load(open('$src/src/server/openapi.json')))")" True
call "no token" 401 GET /api/v1/products /api/v1/products
expect headers.txt "WWW-Authenticate: Bearer"
call "revoked token" 401 GET /api/v1/products /api/v1/products -H "$(auth "$gone")"
error_has "invalid or revoked token"
call "wrong token" 401 GET /api/v1/products /api/v1/products -H "$(auth "${ro}x")"
call "products (read-only)" 200 GET /api/v1/products /api/v1/products -H "$(auth "$ro")"
equal "products" "$(q body.json 'e[0]["name"]')" "$P"
echo '{"name": "Ventilator", "manufacturer": "Example Medical"}' > vent.json
call "read-only cannot create" 403 POST /api/v1/products /api/v1/products -H "$(auth "$ro")" $(json_body vent.json)
error_has "fleet.manage: denied to token 'ops.viewer' (role read-only)"
call "analyst cannot create" 403 POST /api/v1/products /api/v1/products -H "$(auth "$analyst")" $(json_body vent.json)
call "admin creates" 201 POST /api/v1/products /api/v1/products -H "$(auth "$admin")" $(json_body vent.json)
call "duplicate" 409 POST /api/v1/products /api/v1/products -H "$(auth "$admin")" $(json_body vent.json)
error_has "product 'Ventilator' already exists"
printf '{"name": ' > broken.json
call "malformed JSON" 400 POST /api/v1/products /api/v1/products -H "$(auth "$admin")" $(json_body broken.json)
error_has "POST /api/v1/products: malformed JSON"
echo '{"product": "Ventilator", "version": "3.0", "sbom": "v.cdx.json"}' > rel.json
call "release" 201 POST /api/v1/releases /api/v1/releases -H "$(auth "$admin")" $(json_body rel.json)
echo '{"product": "Ventilator"}' > rel-bad.json
call "release without version" 400 POST /api/v1/releases /api/v1/releases -H "$(auth "$admin")" $(json_body rel-bad.json)
error_has '\$.version'
call "releases" 200 GET /api/v1/releases "/api/v1/releases?product=Ventilator" -H "$(auth "$ro")"
equal "releases of Ventilator" "$(q body.json 'len(e)')" 1
call "release show" 200 GET "/api/v1/products/{product}/releases/{version}" "/api/v1/products/Infusion%20pump/releases/1.0" -H "$(auth "$ro")"
equal "release devices by site" "$(q body.json 'e["devices_by_site"]')" "{'ICU': 1, 'Ward 3': 1}"
call "product show" 200 GET "/api/v1/products/{name}" "/api/v1/products/Ventilator" -H "$(auth "$ro")"
equal "product releases" "$(q body.json 'e["releases"][0]["version"]')" 3.0
call "no such product" 404 GET "/api/v1/products/{name}" "/api/v1/products/Nothing" -H "$(auth "$ro")"
python3 -c "import json; json.dump({'serial': 'V-1', 'product': 'Ventilator', 'release': '3.0', 'log_key': '''$vkey''', 'site': 'ICU', 'security_counter': 'x'}, open('dev-bad.json', 'w'))"
call "device bad counter" 400 POST /api/v1/devices /api/v1/devices -H "$(auth "$admin")" $(json_body dev-bad.json)
error_has '\$.security_counter'
python3 -c "import json; json.dump({'serial': 'V-1', 'product': 'Ventilator', 'release': '3.0', 'log_key': '''$vkey''', 'site': 'ICU', 'support_end': '2033-06-30'}, open('dev.json', 'w'))"
call "device" 201 POST /api/v1/devices /api/v1/devices -H "$(auth "$admin")" $(json_body dev.json)
python3 -c "print('{\"name\": \"' + 'x' * 70000 + '\"}')" > big.json
call "over 64 KiB" 413 POST /api/v1/products /api/v1/products -H "$(auth "$admin")" $(json_body big.json)
call "devices at ICU" 200 GET /api/v1/devices "/api/v1/devices?site=ICU" -H "$(auth "$ro")"
equal "ICU devices" "$(q body.json '" ".join(sorted(d["serial"] for d in e))')" "SN-1 V-1"
call "unknown route" 404 GET - /api/v1/nothing -H "$(auth "$ro")"
error_has "no route GET /api/v1/nothing"

# --- exposure and a triage decision ---------------------------------------------------------------
call "exposure KEV" 200 GET /api/v1/exposure "/api/v1/exposure?cve=CVE-2025-24016" -H "$(auth "$ro")"
equal "KEV devices" "$(q body.json 'e["devices"]')" 2
call "exposure ICU" 200 GET /api/v1/exposure "/api/v1/exposure?site=ICU" -H "$(auth "$ro")"
stdlib_cve=$(q body.json '[r["record"]["vulnerability"] for r in e["rows"] if r["record"]["component"] == "pkg:golang/stdlib"][0]')
call "exposure bad date" 400 GET /api/v1/exposure "/api/v1/exposure?as_of=tomorrow" -H "$(auth "$ro")"
python3 -c "import json; json.dump({'product': '''$P''', 'vulnerability': '''$stdlib_cve''', 'component': 'pkg:golang/stdlib', 'status': 'not_affected', 'justification': 'code_not_reachable', 'reason': 'the agent never reaches it'}, open('decision.json', 'w'))"
call "read-only cannot decide" 403 POST /api/v1/triage/decisions /api/v1/triage/decisions -H "$(auth "$ro")" $(json_body decision.json)
call "analyst decides" 200 POST /api/v1/triage/decisions /api/v1/triage/decisions -H "$(auth "$analyst")" $(json_body decision.json)
equal "decision actor" "$(q body.json 'e["decision"]["actor"]')" ops.analyst
python3 -c "import json; d = json.load(open('decision.json')); d['status'] = 'maybe'; json.dump(d, open('decision-bad.json', 'w'))"
call "bad status" 400 POST /api/v1/triage/decisions /api/v1/triage/decisions -H "$(auth "$analyst")" $(json_body decision-bad.json)
error_has '\$.status'
call "exposure after decision" 200 GET /api/v1/exposure "/api/v1/exposure?cve=$stdlib_cve" -H "$(auth "$ro")"
equal "decided away" "$(q body.json 'len(e["rows"])')" 0

# --- device check-ins over mutual TLS ------------------------------------------------------------
append() {  # append DIR N
  for ((i = 0; i < $2; i++)); do
    "$vigil" log append --dir "$1" --device SN-1 --actor "clin.$((i % 5))" --role clinician \
      --action auth.login >/dev/null || echo "FAIL append to $1"
  done
}
source "$src/tests/testing/checkin_lib.sh"  # body OUT DIR RELEASE COUNTER [PROOF-FROM]
route=/api/v1/devices/{serial}/checkin
append log 5
check "checkpoint 5" 0 "$vigil" log checkpoint --dir log --origin "$origin" --key dev.pem
body c1.json log 1.1 4
call "first check-in" 200 POST $route /api/v1/devices/SN-1/checkin --cert sn1.pem --key sn1.key $(json_body c1.json)
equal "accepted" "$(q body.json 'e["accepted"]')" True
append log 10
check "checkpoint 15" 0 "$vigil" log checkpoint --dir log --origin "$origin" --key dev.pem
body c2.json log 1.1 4 5
call "grown log" 200 POST $route /api/v1/devices/SN-1/checkin --cert sn1.pem --key sn1.key $(json_body c2.json)
equal "grown accepted" "$(q body.json 'e["accepted"]')" True
append fork 15
"$vigil" log append --dir fork --device SN-1 --actor intruder.1 --role administrator --action auth.login >/dev/null
check "checkpoint fork" 0 "$vigil" log checkpoint --dir fork --origin "$origin" --key dev.pem
body c3.json fork 1.1 4 15
call "forked log" 200 POST $route /api/v1/devices/SN-1/checkin --cert sn1.pem --key sn1.key $(json_body c3.json)
equal "fork refused" "$(q body.json 'e["accepted"], e["alerts"][0]["kind"]')" "False forked"
call "alerts" 200 GET /api/v1/alerts "/api/v1/alerts?device=SN-1" -H "$(auth "$ro")"
equal "alert through the API" "$(q body.json '" ".join(a["kind"] for a in e)')" forked
call "device show" 200 GET "/api/v1/devices/{serial}" /api/v1/devices/SN-1 -H "$(auth "$ro")"
equal "device state kept" "$(q body.json 'e["checkpoint"]["size"], e["release"], len(e["alerts"])')" "15 1.1 1"
call "no such device" 404 GET "/api/v1/devices/{serial}" /api/v1/devices/SN-404 -H "$(auth "$ro")"
call "another device's certificate" 403 POST $route /api/v1/devices/SN-1/checkin --cert sn2.pem --key sn2.key $(json_body c2.json)
error_has "the client certificate is device 'SN-2', not 'SN-1'"
call "unregistered device" 403 POST $route /api/v1/devices/SN-9/checkin --cert sn9.pem --key sn9.key $(json_body c2.json)
error_has "'SN-9', which is not registered"
echo '{"release": "1.1", "slot": "c"}' > c-bad.json
call "bad check-in" 400 POST $route /api/v1/devices/SN-2/checkin --cert sn2.pem --key sn2.key $(json_body c-bad.json)
error_has '\$.slot'
# Deregistered while its certificate is kept (just admitted above): refused at once, at admission
# (a device still admitted would have its malformed body answered 400).
call "deregister" 200 DELETE "/api/v1/devices/{serial}" /api/v1/devices/SN-2 -H "$(auth "$admin")"
call "deregistered device" 403 POST $route /api/v1/devices/SN-2/checkin --cert sn2.pem --key sn2.key $(json_body c-bad.json)
error_has "'SN-2', which is not registered"
call "deregister again" 404 DELETE "/api/v1/devices/{serial}" /api/v1/devices/SN-2 -H "$(auth "$admin")"
# Refused at the handshake: no HTTP answer at all.
for args in "--cert forged.pem --key forged.key" ""; do
  code=$(curl -sS --cacert server.pem -o /dev/null -w '%{http_code}' -X POST $args \
    -H "Content-Type: application/json" --data-binary @c2.json \
    "https://127.0.0.1:$dport/api/v1/devices/SN-1/checkin" 2>/dev/null)
  equal "handshake refused (${args:-no certificate})" "$code" 000
done
code=$(curl -sS --cacert server.pem -o /dev/null -w '%{http_code}' -X POST --data-binary @c2.json \
  "https://127.0.0.1:$port/api/v1/devices/SN-1/checkin" -H "$(auth "$admin")" 2>/dev/null)
equal "no check-in on the operator listener" "$code" 404
code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/products" 2>/dev/null)
equal "no plaintext" "$code" 000
code=$(curl -sS --tls-max 1.2 --cacert server.pem -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/api/v1/openapi.json" 2>/dev/null)
equal "no TLS 1.2" "$code" 000

# --- rate limit: a second server, one request every 50 s after a burst of 2 (a loaded machine
# taking seconds over the burst must not earn the third request its token back) ----------------
main_port=$port
start limited --audit-dir audit-limited --rate 0.02 --burst 2
for i in 1 2; do call "within burst $i" 200 GET /api/v1/products /api/v1/products -H "$(auth "$ro")"; done
call "over the limit" 429 GET /api/v1/products /api/v1/products -H "$(auth "$ro")"
expect headers.txt "Retry-After: [1-9]"
error_has "rate limit"
port=$main_port

# --- the document and every answer ------------------------------------------------------------------
if grep -q '"status": 5' exchanges.jsonl; then fail=$((fail + 1)); echo "FAIL a 5xx answer:"; grep '"status": 5' exchanges.jsonl; else pass=$((pass + 1)); fi
check "OpenAPI 3.1 document and answers" 0 node_tool validate-openapi.js "$src/src/server/openapi.json" exchanges.jsonl
expect_stdout "0 problem(s)"

# --- stop, and the audit log ----------------------------------------------------------------------
kill -TERM "$server_pid"
wait "$server_pid"
equal "stopped cleanly" $? 0
expect main.out "vigil serve: stopped (SIGTERM)"
check "export audit" 0 "$vigil" log export --dir audit
cp out.txt audit.jsonl
changes() { python3 -c "import json; print(' '.join(sorted(e['actor'] + ':' + e['reason'] for e in map(json.loads, open('audit.jsonl')) if e['action'] == '$1')))"; }
equal "changes audited with the token's name" "$(changes config.change)" \
  "ops.admin:DELETE /api/v1/devices/{serial} ops.admin:POST /api/v1/devices ops.admin:POST /api/v1/products ops.admin:POST /api/v1/releases ops.analyst:POST /api/v1/triage/decisions"
equal "denials audited" "$(changes access.decision)" \
  "ops.analyst:denied by the policy ops.viewer:denied by the policy ops.viewer:denied by the policy"
equal "failed authentications audited" "$(python3 -c "import json; print(sum(1 for e in map(json.loads, open('audit.jsonl')) if e['action'] == 'auth.login' and e['outcome'] == 'minor-failure'))")" 3
equal "the fork audited" "$(changes integrity.violation)" "SN-1:device check-in raised alerts"
if grep -q '"reason":"GET' audit.jsonl; then fail=$((fail + 1)); echo "FAIL a read was audited"; else pass=$((pass + 1)); fi
check "audit key" 0 "$vigil" keygen --alg ed25519 --out audit.pem
check "audit vkey" 0 "$vigil" log vkey --origin vigil-serve/audit --key audit.pem
avkey=$(cat out.txt)
check "audit checkpoint" 0 "$vigil" log checkpoint --dir audit --origin vigil-serve/audit --key audit.pem
check "audit verify" 0 "$vigil" log verify --dir audit --vkey "$avkey"
expect_stdout "log OK: "

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
