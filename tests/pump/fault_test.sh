#!/usr/bin/env bash
# The fault test of the real pumpd (issue 17; labels device, pump, e2e): while an infusion runs,
# the vault's secure element locks, the wall clock jumps, the update server is killed and the
# audit log's disk fills, each for real and from outside the pump:
#  - the vault: the simulated secure element's lock switch (STATE/se/locked), which its reads
#    then meet as a module that does not answer;
#  - the clock: libfaketime (Debian's libfaketime) in pumpd moves the wall clock an hour ahead
#    when the test rewrites its time file; the monotonic clock is left alone, as a real jump
#    (an NTP step, a bad RTC) leaves it. Setting the machine's clock would need CAP_SYS_TIME and
#    disturb every other process; a time namespace moves only the monotonic clocks;
#  - the update server: the manufacturer's TUF repository (python3's http.server) is SIGKILLed;
#  - the disk: STATE/audit is a 4 MiB tmpfs of the pump's own (audit_on_small_disk.sh: a user
#    and mount namespace, no root), filled by a file written until ENOSPC. A small file system
#    fails the log's writes as a full device does (ENOSPC), in every file it writes;
#    RLIMIT_FSIZE would give EFBIG and a SIGXFSZ instead, and only past a size per file.
# Each fault must be reported (GET /api/v1/alerts: an active fault and its alert), the
# infusion's delivered volume must stay within ±5 % of rate × elapsed time (IEC 60601-2-24's
# usual accuracy), a software update and a drug library must be refused naming the faults that
# deny them (an install with the server gone fails as unavailable first), and with all four faults active the infusion is changed, stopped and a new one
# started over the API (decided though unrecorded, and alerted so) while what is not essential
# fails closed. Then the server comes back (the update fault clears at the next poll) and the
# vault unlocks (cleared) with the new infusion running on; once the disk is freed the pump's
# monitor recovers the audit log in place (no restart) and records the gap in it (cleared), and
# a drug library is accepted again. The log verifies end to end: it holds the first infusion's
# start and the unreachable server, not the second start, decided while it could not record,
# then the gap and the library. The clock fault stays until the administrator acknowledges it
# over the API (a clinician may not), which is audited.
# About 20 s after provisioning.
# Usage: fault_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"
source "$src/tests/pump/repository_lib.sh"
manufacturer_repository
factory_slots

faketime_lib=$(dpkg -L libfaketime | grep '/libfaketimeMT\.so\.1$')
equal "libfaketime installed (scripts/setup)" "$([[ -f $faketime_lib ]] && echo yes)" yes
echo "+0" >clock.spec
pump_wrapper=(bash "$src/tests/pump/audit_on_small_disk.sh" state 4m
  env LD_PRELOAD="$faketime_lib" FAKETIME_TIMESTAMP_FILE="$work/clock.spec"
  FAKETIME_CACHE_DURATION=1 FAKETIME_DONT_FAKE_MONOTONIC=1
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
pump_command=(run --slots slots --health-timeout-s 40)
serve_pump PUMP-FLT --tuf tuf --update-url "http://127.0.0.1:$rport" --update-poll-s 1
expect serve.log "launcher: boot slot a (committed)"
disk=/proc/$server/root$work/state/audit  # the pump's audit file system, seen from outside
check "the audit log is on its own small file system" 0 stat -f -c '%T %b' "$disk"
expect_stdout "tmpfs"
login_admin
enrol_clinician bob

# alerts: the alerts and active faults, in out.txt. fault COMPONENT: the detail of its active
# fault (empty if none); alerted COMPONENT REGEX: whether one of its alerts matches REGEX.
alerts() { "${client[@]}" --cert clients/ward-7.pem --key clients/ward-7.key --session "$clinician" GET /api/v1/alerts >out.txt; }
body() { python3 -c "import json,re,sys; b=json.loads(open('out.txt').read().split(' ',1)[1]); $1" "${@:2}"; }
fault() { body "print(b['faults'].get(sys.argv[1], ''))" "$1"; }
alerted() { body "print(any(a['component'] == sys.argv[1] and re.search(sys.argv[2], a['message']) for a in b['alerts']))" "$1" "$2"; }
# wait_fault NAME COMPONENT REGEX: within 10 s, an active fault of COMPONENT whose detail
# matches REGEX, and its alert ("security fault: DETAIL").
wait_fault() {
  for _ in $(seq 50); do
    alerts
    [[ $(fault "$2") =~ $3 ]] && break
    sleep 0.2
  done
  local detail; detail=$(fault "$2")
  if [[ $detail =~ $3 ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: $2 fault '$detail' does not match '$3'"; cat out.txt; fi
  equal "$1: alerted" "$(alerted "$2" "^security fault: ${3#^}")" True
}
# wait_cleared COMPONENT: within 10 s, no active fault of COMPONENT, and the alert saying so.
wait_cleared() {
  for _ in $(seq 50); do
    alerts
    [[ -z $(fault "$1") ]] && break
    sleep 0.2
  done
  equal "$1 fault cleared" "$(fault "$1")" ""
  equal "$1: clearance alerted" "$(alerted "$1" "^security fault cleared$")" True
}
now() { date +%s.%N; }
# within NAME FROM_LATE TO_EARLY FROM_EARLY TO_LATE: the delivered volume in out.txt is within
# ±5 % of 100 µL/s over the time between the start and the status, bracketed by the times
# taken around each request (the shortest and the longest it can have run).
within() {
  local delivered range
  delivered=$(json "['delivered_ul']")
  range="$(python3 -c "print(round($3-$2,2))")..$(python3 -c "print(round($5-$4,2))") s"
  echo "$1: delivered $delivered µL in $range at 100 µL/s"
  equal "$1: delivered $delivered µL in $range" \
    "$(python3 -c "print(0.95*100*($3-$2) <= $delivered <= 1.05*100*($5-$4))")" True
}

# The infusion: 100 µL/s (360 mL/h) for 100 mL, far longer than the test.
tag
a0=$(now)
api "start" 200 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"sodium-chloride-0-9\",\"rate_ul_h\":360000,\"volume_ul\":100000}"
a1=$(now)
sleep 1

# 1. The vault's secure element locks.
: >state/se/locked
wait_fault "vault locked" vault "^sim-se:[^ ]*se: the secure element does not answer \\(locked\\)$"

# 2. The wall clock jumps an hour ahead (libfaketime reads clock.spec at most once a second).
echo "+3600" >clock.spec
wait_fault "clock jump" clock "^wall clock jumped by 3[56][0-9][0-9] s against the monotonic clock$"

# What depends on a failed component is refused by the fault board, naming the faults that deny
# it (the log can still record the request and its refusal).
tag
api "software update refused" 403 --session "$admin" POST /api/v1/update "{$TAG,\"target\":\"pumpd/pumpd-1\"}"
expect out.txt "software update refused: security fault active (clock: .*; vault: "
library() {  # library VERSION: the example library as that version, in an update tagged $TAG
  python3 -c "import json; l = json.load(open('$src/examples/infusion-pump/drug-library.json')); \
l['version'] = $1; print(json.dumps({$TAG, 'library': l}))"
}
tag
api "drug library refused" 403 --session "$admin" POST /api/v1/drug-library "$(library 2)"
expect out.txt "drug library install refused: security fault active (vault: "

# 3. The update server is killed (SIGKILL: no goodbye); the agent's next poll reports it.
kill -KILL "$repo_server"; wait "$repo_server" 2>/dev/null
wait_fault "update server killed" update "^update server unreachable: "

tag
api "software update with the server gone" 503 --session "$admin" POST /api/v1/update "{$TAG,\"target\":\"pumpd/pumpd-1\"}"
expect out.txt "unavailable.*HTTP request failed"

# 4. The audit log's disk fills; the next records fail and the fault is reported.
dd if=/dev/zero of="$disk/filler" bs=64k 2>dd.txt
expect dd.txt "No space left on device"
check "disk full" 0 stat -f -c '%a' "$disk"
expect_stdout "^0$"
wait_fault "disk full" audit "^event not recorded: "

# All four at once: the infusion runs on at its rate; it is changed, stopped and started again
# (decided, unrecorded, alerted so); what is not essential fails closed, as it cannot be recorded.
equal "four faults active" "$(body "print(' '.join(sorted(b['faults'])))")" "audit clock update vault"
s0=$(now)
api "status during the faults" 200 --session "$clinician" GET /api/v1/status
s1=$(now)
equal "still infusing" "$(json "['state']")" running
equal "at its rate" "$(json "['rate_ul_h']")" 360000
within "the infusion through the four faults" "$a1" "$s0" "$a0" "$s1"
tag
api "change during the faults" 200 --session "$clinician" POST /api/v1/therapy/change \
  "{$TAG,\"drug_id\":\"sodium-chloride-0-9\",\"rate_ul_h\":360000,\"volume_ul\":101000}"
equal "volume changed" "$(json "['volume_ul']")" 101000
alerts
equal "the unrecorded change alerted" "$(alerted therapy "^infusion change not recorded in the audit log: ")" True
s0=$(now)
api "stop during the faults" 200 --session "$clinician" POST /api/v1/therapy/stop
s1=$(now)
equal "stopped" "$(json "['state']")" stopped
within "the infusion stopped" "$a1" "$s0" "$a0" "$s1"
tag
b0=$(now)
api "a new infusion during the faults" 200 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"sodium-chloride-0-9\",\"rate_ul_h\":360000,\"volume_ul\":100000}"
b1=$(now)
equal "running again" "$(json "['state']")" running
alerts
equal "the unrecorded start alerted" "$(alerted therapy "^infusion start not recorded in the audit log: ")" True
tag
api "library refused: its decision cannot be recorded" 403 --session "$admin" POST /api/v1/drug-library "$(library 2)"
expect out.txt "the decision could not be audited"

# Recovery: the update server comes back, the vault unlocks, the disk is freed.
serve_repository
wait_cleared update
rm state/se/locked
wait_cleared vault
rm "$disk/filler"
sleep 1
s0=$(now)
api "status after the recovery" 200 --session "$clinician" GET /api/v1/status
s1=$(now)
equal "the new infusion runs" "$(json "['state']")" running
within "the new infusion" "$b1" "$s0" "$b0" "$s1"
alerts
wait_cleared audit
tag
api "library accepted: the log records again" 200 --session "$admin" POST /api/v1/drug-library "$(library 2)"
alerts
equal "a clock jump stays reported until acknowledged" "$(fault clock | cut -c1-22)" "wall clock jumped by 3"
tag
api "a clinician cannot acknowledge the clock" 403 --session "$clinician" POST /api/v1/faults/clock/acknowledge "{$TAG}"
tag
api "the administrator acknowledges the clock" 200 --session "$admin" POST /api/v1/faults/clock/acknowledge "{$TAG}"
equal "what was acknowledged" "$(json "['acknowledged']" | cut -c1-22)" "wall clock jumped by 3"
wait_cleared clock
tag
api "nothing left to acknowledge" 409 --session "$admin" POST /api/v1/faults/clock/acknowledge "{$TAG}"
expect out.txt "no clock fault to acknowledge"

# The pump stops; its audit log, copied back from its file system, verifies.
kill -TERM "$server"; wait "$server"; server=
check "audit log verified by vigil" 0 "$vigil" log verify --dir state/audit --vkey "$(cat state/audit.vkey)"
expect_stdout "log OK"
"$vigil" log export --dir state/audit >audit.jsonl
equal "the first start recorded, not the second" "$(grep -c '"action":"therapy.start"' audit.jsonl)" 1
equal "the acknowledgement recorded" "$(grep -c '"action":"device.time-change".*"objects":\["clock","acknowledged"\]' audit.jsonl)" 1
equal "the gap recorded once" "$(grep -c '"reason":"audit log resumed; events during the fault were not recorded (event not recorded: ' audit.jsonl)" 1
equal "the library recorded after the gap" "$(grep -A1000 '"reason":"audit log resumed' audit.jsonl | grep -c '"action":"config.change"')" 1
n=$(grep -c '"action":"update.check".*"outcome":"minor-failure"' audit.jsonl)
equal "the killed server recorded (before the disk filled)" "$((n >= 1))" 1

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
