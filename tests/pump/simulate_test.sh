#!/usr/bin/env bash
# pumpd's therapy simulation from the command line (labels device, e2e): two provisioned pumps,
# a drug library sealed under one's library key (a changed one, another pump's key and a pump
# not yet provisioned refused), programs refused at the hard and soft limits, and timed runs on
# the delivery loop's thread whose delivered volume is checked against the ticks it ran and the
# time it took: a plain run, an occlusion cleared and resumed with a clock fault that lets the
# program change (essential performance) but refuses a software update and leaves the infusion
# alone, and an end-of-infusion alarm.
# Usage: simulate_test.sh PUMPD SOURCE_DIR
set -u
pumpd=$1 src=$2
source "$src/tests/testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
heparin=heparin-25000u-250ml  # hard 500..50000 µL/h, soft 2000..40000, at most 250000 µL

# field NAME: the number after NAME in the last check's status lines.
field() { grep -o "$1 [0-9]*" out.txt | head -1 | awk '{print $NF}'; }
# delivered_matches_ticks RATE PERIOD_US: delivered = floor(rate · running ticks · period / 3.6e9)
# µL exactly, and the loop ticked once per elapsed period (allowing a few for the thread to
# start on a loaded machine).
delivered_matches_ticks() {
  local delivered running ticks ms
  delivered=$(field delivered) running=$(field "infused over") ticks=$(field "ticked")
  ms=$(grep -o 'in [0-9]* ms' out.txt | awk '{print $2}')
  equal "delivered volume for $running ticks" "$delivered" $(($1 * running * $2 / 3600000000))
  if ((ticks <= ms * 1000 / $2 && ticks >= ms * 1000 / $2 - 5)); then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $ticks ticks of $2 µs in $ms ms"; cat out.txt; fi
}

# A provisioned pump: its drug-library key was made at provisioning and lives in its vault.
"$pumpd" factory ca --dir ca --name "Test Manufacturer CA" >/dev/null
"$pumpd" factory device --ca ca --state state --device-id PUMP-SIM --secret-out secret.txt >/dev/null
"$pumpd" factory device --ca ca --state other --device-id PUMP-OTHER --secret-out other.txt >/dev/null
echo 'correct horse battery staple' >pw
check "provision" 0 "$pumpd" provision --state state --secret-file secret.txt --admin alice --password-file pw
check "provision the other pump" 0 "$pumpd" provision --state other --secret-file other.txt --admin bob --password-file pw
cp "$src/examples/infusion-pump/drug-library.json" lib.json
"$pumpd" factory device --ca ca --state fresh --device-id PUMP-NEW --secret-out fresh.txt >/dev/null
check "seal before provisioning" 1 "$pumpd" library seal --state fresh lib.json
expect_err "not_found"
check "seal" 0 "$pumpd" library seal --state state lib.json
check "check" 0 "$pumpd" library check --state state lib.json
expect_stdout "drug library version 1: 5 drugs, integrity verified"
cp lib.json good.json
sed -i 's/"hard_max": 50000/"hard_max": 90000/' lib.json
check "changed library" 1 "$pumpd" library check --state state lib.json
expect_err "lib.json: the drug library's integrity tag does not match"
cp good.json lib.json
check "another pump's key" 1 "$pumpd" library check --state other lib.json
expect_err "integrity tag does not match (the library was changed, or sealed under another pump's key)"
echo '{"format": "vigil-pump-drug-library/1", "version": 1, "drugs": []}' >empty.json
check "an invalid library is not sealed" 1 "$pumpd" library seal --state state empty.json
expect_err "empty.json: \$.drugs: expected 1 to 2000 drugs, found 0"

run() {  # run NAME RC ARGS...: pumpd simulate with the sealed library
  local name=$1 rc=$2; shift 2
  check "$name" "$rc" "$pumpd" simulate --state state --library lib.json "$@"
}
run "hard limit" 1 --drug $heparin --rate-ul-h 50001 --volume-ul 1000 --run-ms 10 --confirm-soft-limit
expect_err "50001 µL/h is above the hard limit 50000 µL/h"
run "soft limit" 1 --drug $heparin --rate-ul-h 45000 --volume-ul 1000 --run-ms 10
expect_err "45000 µL/h is above the soft limit 40000 µL/h of \"$heparin\": confirm to override"
run "unknown drug" 1 --drug propofol --rate-ul-h 1000 --volume-ul 1000 --run-ms 10
expect_err 'drug "propofol": not in drug library version 1'

run "plain run" 0 --drug $heparin --rate-ul-h 36000 --volume-ul 100000 --run-ms 1000
expect_stdout "status: running, alarm none, $heparin at 36000 µL/h"
delivered_matches_ticks 36000 10000

run "occlusion and fault" 0 --drug $heparin --rate-ul-h 45000 --confirm-soft-limit \
  --volume-ul 100000 --run-ms 1500 --period-us 5000 --occlude-at-ms 300 --clear-at-ms 700 \
  --fault-at-ms 1000
expect_stdout "alert 1 therapy: alarm: occlusion"
expect_stdout "clear occlusion: ok"
expect_stdout "resume: ok"
# The fault policy: a clock fault leaves an infusion's change allowed (essential performance).
expect_stdout "alert 2 clock: security fault: wall clock jumped (simulated)"
expect_stdout "change program: ok"
expect_stdout "software update: refused: permission_denied: software update refused: security fault active (clock: wall clock jumped (simulated))"
expect_stdout "alert 3 therapy: software update refused"
expect_stdout "status: running, alarm none, $heparin at 45000 µL/h"
delivered_matches_ticks 45000 5000
running=$(field "infused over") ticks=$(field "ticked")
# About 400 ms of 1500 were occluded: no delivery then.
if ((running < ticks - 60)); then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL $running running ticks of $ticks: the occlusion did not stop delivery"; fi

run "end of infusion" 0 --drug $heparin --rate-ul-h 36000 --volume-ul 5 --run-ms 1000
expect_stdout "status: completed, alarm end-of-infusion, $heparin at 36000 µL/h, delivered 5 of 5 µL"
expect_stdout "alert 1 therapy: alarm: end-of-infusion"
equal "ticks to deliver 5 µL at 0.1 µL a tick" "$(field "infused over")" 50

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
