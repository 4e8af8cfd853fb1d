#!/usr/bin/env bash
# Software updates of the reference pump (issue 17; labels device, pump, e2e). The manufacturer's
# TUF repository is built with `vigil repo` (releases pumpd/pumpd-N: pumpd's executable, with
# custom.vigil release N and security version N) and served on loopback by python3's
# http.server; the pump leaves the factory with release 1 committed in slot a and runs under
# `pumpd run` (the launcher). During an infusion: a target whose served bytes were changed after
# signing is refused, replayed old metadata is refused, a killed update server is a reported
# fault (the infusion goes on), and release 2 is installed into slot b while the infusion keeps
# its rate; its activation waits for the infusion to end, then the pump restarts into slot b for
# a trial boot, passes its health check and commits (anti-rollback counter 2). Then reinstalling
# release 1 is refused (below the counter), a broken release 3 (it exits at its first start and
# hangs at its second, stopped at the health deadline) is tried twice and the launcher falls back
# to release 2. Every step is in the audit log, which
# `vigil log verify` checks.
# Usage: update_test.sh PUMPD VIGIL SOURCE_DIR
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pump_lib.sh" "$@"

source "$src/tests/pump/repository_lib.sh"
manufacturer_repository
cp -r repo/public/metadata metadata-v1  # what an attacker will replay
factory_slots

pump_command=(run --slots slots --health-timeout-s 40)
serve_pump PUMP-UPD --tuf tuf --update-url "http://127.0.0.1:$rport" --update-poll-s 1
expect serve.log "launcher: boot slot a (committed)"
login_admin
login_step=$(($(date +%s) / 30))
enrol_clinician bob
api "update status" 200 --session "$admin" GET /api/v1/update
equal "running release" "$(json "['running']['release']")" 1
equal "counter" "$(json "['anti_rollback_counter']")" 1
# update TARGET STATUS NAME: the administrator asks for TARGET (a critical command).
update() {
  tag
  api "$3" "$2" --session "$admin" POST /api/v1/update "{$TAG,\"target\":\"$1\"}"
}
tag
api "a clinician may not update" 403 --session "$clinician" POST /api/v1/update "{$TAG,\"target\":\"pumpd/pumpd-1\"}"

# The infusion: 100 µL/s for 3,000 µL (30 s).
tag
t0=$(date +%s.%N)
api "start" 200 --session "$clinician" POST /api/v1/therapy/start \
  "{$TAG,\"drug_id\":\"sodium-chloride-0-9\",\"rate_ul_h\":360000,\"volume_ul\":3000}"
release_image 2
publish 2 pumpd-2.bin

# Tampered: the served bytes of release 2 changed after signing.
served2=$(find repo/public/targets -name '*.pumpd-2')
cp "$served2" pumpd-2.signed
printf 'X' | dd of="$served2" bs=1 seek=4096 conv=notrunc 2>/dev/null
update pumpd/pumpd-2 422 "tampered release 2"
expect out.txt "data_loss.*target pumpd/pumpd-2: sha256 mismatch"
cp pumpd-2.signed "$served2"
# Replayed metadata: the repository answers with the metadata of before release 2.
rm served/metadata && ln -s ../metadata-v1 served/metadata
update pumpd/pumpd-2 409 "replayed metadata"
expect out.txt "timestamp"
rm served/metadata && ln -s ../repo/public/metadata served/metadata
# The update server gone: a fault (polled), an install refused as unavailable; therapy runs on.
kill "$repo_server"; wait "$repo_server" 2>/dev/null
for _ in $(seq 50); do
  "${client[@]}" --cert clients/ward-7.pem --key clients/ward-7.key --session "$admin" GET /api/v1/alerts >out.txt
  grep -q '"update":"update server unreachable' out.txt && break
  sleep 0.2
done
expect out.txt '"faults":{"update":"update server unreachable'
update pumpd/pumpd-2 503 "update server gone"
api "status with the server gone" 200 --session "$clinician" GET /api/v1/status
equal "still infusing" "$(json "['state']")" running
serve_repository
# Release 2, installed during the infusion.
update pumpd/pumpd-2 200 "install release 2"
equal "installed into" "$(json "['installed']['slot']")" b
t1=$(date +%s.%N)
api "status after the install" 200 --session "$clinician" GET /api/v1/status
delivered=$(json "['delivered_ul']")
equal "infusing during the install" "$(json "['state']")" running
# 100 µL/s: the volume delivered follows elapsed time within 10 % (+ 100 µL for the requests).
within=$(python3 -c "e=($t1-$t0)*100; print(abs($delivered-e) <= 0.1*e+100)")
equal "delivered $delivered µL after $(python3 -c "print(round($t1-$t0,1))") s" "$within" True
sleep 0.5
api "update status: deferred" 200 --session "$admin" GET /api/v1/update
equal "pending release" "$(json "['pending']['release']")" 2
equal "activation" "$(json "['activation']")" "deferred: an infusion is running"
equal "still running release" "$(json "['running']['release']")" 1

# The infusion ends (3,000 µL exactly); then the pump restarts into slot b and commits.
for _ in $(seq 600); do grep -q "^stopped: " serve.log && break; sleep 0.1; done
expect serve.log "stopped: completed, delivered 3000 µL; restarting into the new release"
for _ in $(seq 600); do grep -q "committed in slot b" serve.log && break; sleep 0.2; done
expect serve.log "launcher: slot a exited with status 75; booting again"
expect serve.log "launcher: boot slot b (trial)"
expect serve.log "update: release 2 (pumpd/pumpd-2) committed in slot b (anti-rollback counter 2)"
port=$(cat port)
client=(python3 "$src/tests/pump/pump_client.py" --port "$port" --ca state/tls/ca.pem --device-id "$device")
# A restart ends every session; alice's next code must be of a later TOTP step.
while (($(date +%s) / 30 == login_step)); do sleep 1; done
login_admin
api "update status after the restart" 200 --session "$admin" GET /api/v1/update
equal "running release" "$(json "['running']['release']")" 2
equal "running slot" "$(json "['running']['slot']")" b
equal "counter" "$(json "['anti_rollback_counter']")" 2
equal "committed" "$(json "['trial']")" False

# Rollback: release 1 is below the counter.
update pumpd/pumpd-1 409 "release 1 again"
expect out.txt "below the device's counter 2"
# A broken release 3: installed, activated (no infusion), tried twice, fallen back from.
# Its first boot exits at once (a crash before the commit), its second hangs (never commits: the
# launcher stops it at the health deadline).
cat >pumpd-3.bin <<EOF
#!/bin/sh
[ -e "$work/v3-tried" ] && exec sleep 600
touch "$work/v3-tried"
echo "pumpd release 3: cannot start" >&2
exit 1
EOF
publish 3 pumpd-3.bin
update pumpd/pumpd-3 200 "install the broken release 3"
for _ in $(seq 600); do grep -q "launcher: fallback" serve.log && break; sleep 0.2; done
for _ in $(seq 300); do [[ $(grep -c "listening on" serve.log) -ge 3 ]] && break; sleep 0.2; done
expect serve.log "launcher: boot slot a (trial)"
expect serve.log "pumpd release 3: cannot start"
expect serve.log "launcher: slot a did not commit within 40 s; stopping it"
expect serve.log "launcher: fallback: .*no boot attempts left"
expect serve.log "launcher: boot slot b (committed)"
port=$(cat port)
stop_pump
check "vigil update status" 0 "$vigil" update status --slots slots
expect_stdout "slot a: failed pumpd/pumpd-3"
expect_stdout "slot b: good pumpd/pumpd-2 release 2.*\[committed\] \[running\]"
expect_stdout "anti-rollback counter: 2"
"$vigil" log export --dir state/audit >audit.jsonl
count() { grep -c "\"action\":\"$1\".*${2:-}" audit.jsonl; }
# at_least NAME GOT MIN: the repository poll (every second) may add its own records.
at_least() {
  if (($2 >= $3)); then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: $2 < $3"; fi
}
equal "tampered target audited" "$(count integrity.violation pumpd-2)" 1
at_least "rollbacks refused, audited" "$(count update.rollback-refused)" 2
at_least "unreachable server audited" "$(count update.check 'minor-failure')" 2
equal "installs audited" "$(count update.install 'verified into slot')" 2
equal "deferral audited" "$(count update.install 'activation deferred')" 1
equal "commit audited" "$(count update.commit '"outcome":"success"')" 1
equal "fallback audited" "$(count update.fallback)" 1
# The activation came when the 30 s infusion ended (its audit time, against the start's).
activated=$(grep -m1 '"reason":"activating' audit.jsonl | sed 's/.*"time":\([0-9]*\).*/\1/')
equal "activated 30 s after the start (±2 s)" "$(python3 -c "print(abs($activated/1e6-$t0-30) <= 2)")" True

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
