# Shared by the pump's API tests (source it with PUMPD VIGIL SOURCE_DIR): check_lib.sh, a work
# folder removed at exit with the server it started, TOTP and JSON helpers, and serve_pump,
# which makes a manufacturer CA (and a rogue one), a provisioned pump whose administrator alice
# confirmed her TOTP, client certificates ward-7 (from the CA) and intruder (rogue), seals the
# example drug library and starts `pumpd serve` on a free loopback port.
pumpd=$1 vigil=$2 src=$3
source "$src/tests/testing/check_lib.sh"
work=$(mktemp -d)
server=
helpers=()  # other servers a test started (killed at exit too)
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  for pid in "${helpers[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
heparin=heparin-25000u-250ml

# totp SECRET: a code one step ahead (identity accepts ±1 step and each code once, so two codes
# in the same 30 s, for enrolment and then login, stay distinct).
totp() { oathtool --totp -b --now="$(date -u -d '+30 seconds' '+%Y-%m-%d %H:%M:%S UTC')" "$1"; }
totp_now() { oathtool --totp -b "$1"; }
uri_secret() { sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p' <<<"$1"; }
json() { python3 -c "import json,sys; print(json.loads(sys.stdin.read().split(' ',1)[1])$1)" <out.txt; }
# api NAME STATUS [--session S] METHOD PATH [BODY]: one request with the ward's client
# certificate; the HTTP status must be STATUS.
api() {
  local name=$1 want=$2; shift 2
  check "$name" 0 python3 "$src/tests/pump/pump_client.py" --port "$port" --ca state/tls/ca.pem \
    --cert clients/ward-7.pem --key clients/ward-7.key --device-id "$device" "$@"
  local got; got=$(cut -d' ' -f1 out.txt)
  equal "$name: HTTP status" "$got" "$want"
}
# tag: sets TAG to the nonce and next counter a critical command carries.
counter=0
tag() { counter=$((counter + 1)); TAG="\"nonce\":\"$(openssl rand -hex 16)\",\"counter\":$counter"; }

# serve_pump DEVICE_ID [SERVE OPTIONS...]: see above (the array device_options goes to
# `pumpd factory device`, the array pump_command says how the pump starts: `serve`, or `run`
# with its options, and the array pump_wrapper what it runs under, if anything); sets device,
# port, client (the client command without a certificate) and alice_totp.
device_options=()
pump_command=(serve)
pump_wrapper=()
serve_pump() {
  device=$1; shift
  "$pumpd" factory ca --dir ca --name "Example Medical Devices CA" >/dev/null
  "$pumpd" factory ca --dir rogue --name "Rogue CA" >/dev/null
  "$pumpd" factory device --ca ca --state state --device-id "$device" --secret-out secret.txt \
    "${device_options[@]}" >/dev/null
  "$pumpd" factory client-cert --ca ca --name ward-7 --out clients >/dev/null
  "$pumpd" factory client-cert --ca rogue --name intruder --out clients >/dev/null
  echo 'correct horse battery staple' >pw
  check "provision" 0 "$pumpd" provision --state state --secret-file secret.txt --admin alice --password-file pw
  alice_totp=$(uri_secret "$(grep -o 'otpauth://[^ ]*' out.txt)")
  check "confirm alice" 0 "$pumpd" confirm-totp --state state --account alice --code "$(totp_now "$alice_totp")"
  cp "$src/examples/infusion-pump/drug-library.json" lib.json
  "$pumpd" library seal --state state lib.json >/dev/null
  "${pump_wrapper[@]}" "$pumpd" "${pump_command[@]}" --state state --policy "$src/examples/infusion-pump/access-policy.json" \
    --library lib.json --port-file port "$@" >serve.log 2>&1 &
  server=$!
  for _ in $(seq 100); do [[ -s port ]] && break; sleep 0.1; done
  port=$(cat port)
  expect serve.log "pump $device listening on https://127.0.0.1:$port"
  client=(python3 "$src/tests/pump/pump_client.py" --port "$port" --ca state/tls/ca.pem --device-id "$device")
}

# login_admin: sets admin to a session of alice's.
login_admin() {
  api "administrator login" 200 POST /api/v1/login \
    "{\"account\":\"alice\",\"password\":\"correct horse battery staple\",\"totp\":\"$(totp "$alice_totp")\"}"
  admin=$(json "['session']")
}

# stop_pump: SIGTERM, wait, and the audit log verified by the installed vigil.
stop_pump() {
  kill -TERM "$server"; wait "$server"; server=
  check "audit log verified by vigil" 0 "$vigil" log verify --dir state/audit --vkey "$(cat state/audit.vkey)"
  expect_stdout "log OK"
  check "export" 0 "$vigil" log export --dir state/audit
}

# enrol_clinician NAME: the administrator (session $admin) creates clinician NAME, who confirms
# the TOTP enrolment and logs in; sets clinician to the session.
enrol_clinician() {
  api "enrol $1" 200 --session "$admin" POST /api/v1/accounts \
    "{\"account\":\"$1\",\"role\":\"clinician\",\"password\":\"$1 has a long passphrase\"}"
  clinician_totp=$(uri_secret "$(json "['totp_uri']")")
  api "$1 confirms TOTP" 200 POST /api/v1/accounts/confirm \
    "{\"account\":\"$1\",\"code\":\"$(totp_now "$clinician_totp")\"}"
  login_clinician "$1"
}
login_clinician() {
  api "$1 logs in" 200 POST /api/v1/login \
    "{\"account\":\"$1\",\"password\":\"$1 has a long passphrase\",\"totp\":\"$(totp "$clinician_totp")\"}"
  clinician=$(json "['session']")
}
