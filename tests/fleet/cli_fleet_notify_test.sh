#!/usr/bin/env bash
# `vigil fleet webhook` and re-evaluation end to end, on real data: the Go vulnerability database
# (OSV) and CISA KEV imported without one advisory, a real medical-device SBOM with a Go agent
# filed in the triage register by `vigil scan --register`; then that advisory (GO-2025-3459,
# CVE-2025-24016 in wazuh) arrives with `vigil vulndb import --fleet --register`: only the
# release shipping wazuh is rescanned, its new finding filed and notified. A python receiver
# checks each delivery's HMAC signature; it is down at first (nothing lost, attempts logged),
# then started: it gets every event once, in order.
set -u
vigil=$1
src=$2
data=$3
work=$(mktemp -d)
receiver_pid=
stop_receiver() { if [[ -n $receiver_pid ]]; then kill "$receiver_pid"; wait "$receiver_pid"; fi; receiver_pid=; }
trap 'stop_receiver 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
source "$src/tests/testing/check_lib.sh"
P="Infusion pump"
reg=reg.sqlite

mkdir osv && cp "$data"/vuln/osv-go/*.json osv/ && mv osv/GO-2025-3459.json later.json
check "import all but one" 0 "$vigil" vulndb import --db db.sqlite osv \
  "$data/vuln/kev/known_exploited_vulnerabilities.json"
check "convert real SBOM" 0 "$vigil" sbom convert "$data/sbom/medical-device/narrow.sbom.json" \
  --out narrow.json
python3 - <<'PY'
import json
d = json.load(open('narrow.json'))
d['components'] += [
  {'type': 'library', 'bom-ref': 'wazuh', 'name': 'github.com/wazuh/wazuh',
   'version': 'v4.5.0+incompatible', 'purl': 'pkg:golang/github.com/wazuh/wazuh@v4.5.0%2Bincompatible'}]
json.dump(d, open('agent.json', 'w'), indent=1)
PY
check product 0 "$vigil" fleet product add "$P"
check "release 1.0 (with the agent)" 0 "$vigil" fleet release add --product "$P" --version 1.0 --sbom agent.json
check "release 2.0 (without)" 0 "$vigil" fleet release add --product "$P" --version 2.0 --sbom narrow.json
check "scan 1.0" 0 "$vigil" scan agent.json --db db.sqlite --register $reg --product "$P" --release 1.0
check "scan 2.0" 0 "$vigil" scan narrow.json --db db.sqlite --register $reg --product "$P" --release 2.0

# --- subscriptions -----------------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'e2e-webhook-secret-0123456789\n' >secret
check "webhook add" 0 "$vigil" fleet webhook add "http://127.0.0.1:$port/hook" --secret-file secret \
  --events finding.new
expect_stdout "webhook 1 added: http://127.0.0.1:$port/hook (events: finding.new)"
check "webhook bad kind" 2 "$vigil" fleet webhook add "http://127.0.0.1:$port/x" --secret-file secret \
  --events device.boom
expect_err "unknown kind 'device.boom'"
printf 'short\n' >short
check "webhook short secret" 2 "$vigil" fleet webhook add "https://x.example/" --secret-file short
expect_err "expected at least 16 bytes"
check "webhook list" 0 "$vigil" fleet webhook list --format json
if grep -q "e2e-webhook-secret" out.txt; then fail=$((fail + 1)); echo "FAIL secret printed"; else pass=$((pass + 1)); fi

# --- the new advisory: only release 1.0 is rescanned ------------------------------------------
check "import + reevaluate" 0 "$vigil" vulndb import --db db.sqlite later.json --fleet fleet.sqlite --register $reg
expect_stdout "re-evaluated 1 changed advisory(ies): 1 of 2 release(s) rescanned, 1 new finding(s)"
expect_stdout "$P 1.0: CVE-2025-24016 in pkg:golang/github.com/wazuh/wazuh"
check "again: nothing new" 0 "$vigil" vulndb import --db db.sqlite later.json --fleet fleet.sqlite --register $reg
expect_stdout "re-evaluated 0 changed advisory(ies): 0 of 2 release(s) rescanned, 0 new finding(s)"
check "register has it" 0 "$vigil" triage list --register $reg --product "$P"
expect_stdout "CVE-2025-24016"
check "explicit reevaluate" 0 "$vigil" fleet reevaluate --vulndb db.sqlite --register $reg --advisory GO-2025-3459
expect_stdout "1 of 2 release(s) rescanned, 0 new finding(s)"

# --- the receiver is down: nothing is lost ------------------------------------------------------
check "deliver, receiver down" 0 "$vigil" fleet webhook deliver --once
expect_stdout "0 delivered, 1 failed attempt(s), 1 pending"
check "log" 0 "$vigil" fleet webhook log --format json
equal "attempt logged" "$(python3 -c 'import json; l=json.load(open("out.txt")); print(len(l), l[0]["status"], bool(l[0]["error"]))')" "1 0 True"

cat >receiver.py <<'PY'
import hashlib, hmac, json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
secret = open('secret').read().strip().encode()
seen = set()
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        sig = dict(p.split('=', 1) for p in self.headers['X-Vigil-Signature'].split(','))
        good = hmac.compare_digest(sig['v1'], hmac.new(secret, sig['t'].encode() + b'.' + body,
                                                       hashlib.sha256).hexdigest())
        fresh = abs(int(sig['t']) - time.time()) < 300
        key = self.headers['Idempotency-Key']
        with open('received.jsonl', 'a') as f:
            f.write(json.dumps({'key': key, 'good': good and fresh, 'dup': key in seen,
                                'type': self.headers['Content-Type'],
                                'body': json.loads(body)}) + '\n')
        seen.add(key)
        self.send_response(204 if good else 401); self.end_headers()
    def log_message(self, *a): pass
HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
python3 receiver.py "$port" & receiver_pid=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
check "deliver until empty" 0 "$vigil" fleet webhook deliver --until-empty --max-wait 60
expect_stdout "1 delivered, 0 failed attempt(s), 0 pending"
stop_receiver
equal "received" "$(python3 - <<'PY'
import json
r = [json.loads(l) for l in open('received.jsonl')]
print(len(r), all(x['good'] for x in r), any(x['dup'] for x in r), r[0]['type'],
      r[0]['body']['kind'], r[0]['body']['data']['vulnerability'], r[0]['key'])
PY
)" "1 True False application/json finding.new CVE-2025-24016 vigil-1-1"
check "deliver, nothing left" 0 "$vigil" fleet webhook deliver
expect_stdout "0 delivered, 0 failed attempt(s), 0 pending"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
