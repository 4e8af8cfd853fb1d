#!/usr/bin/env bash
# vigil access validate/check on the example policy and on policies that break least privilege.
set -u
vigil=$1
src=$2
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
policy=$src/examples/access-policy.json
check validate 0 "$vigil" access validate --policy "$policy"
expect out.txt "break-glass,  30 min  therapy.start, therapy.stop, monitor.vitals"
check clinician-start 0 "$vigil" access check --policy "$policy" --role clinician --permission therapy.start
check patient-configure 1 "$vigil" access check --policy "$policy" --role patient --permission therapy.configure
check patient-monitor 0 "$vigil" access check --policy "$policy" --role patient --permission monitor.heart_rate
check bg-configure 1 "$vigil" access check --policy "$policy" --role clinician --permission therapy.configure --break-glass
check unknown-permission 1 "$vigil" access check --policy "$policy" --role administrator --permission device.decommission
echo '{"version":1,"roles":{"patient":["drug_library.update"]}}' >bad.json
check least-privilege 2 "$vigil" access validate --policy bad.json
expect err.txt "bad.json: roles.patient\[0\]"
[[ $(wc -l <err.txt) -eq 1 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL not one line"; }
printf 'version: 1\nroles:\n  clinician: [therapy.start]\nbreak_glass:\n  permissions: [service.login]\n' >bg.yaml
check bg-scope 2 "$vigil" access validate --policy bg.yaml
expect err.txt "break_glass.permissions\[0\]"
check bad-role 2 "$vigil" access check --policy "$policy" --role root --permission therapy.start
echo "cli access: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
