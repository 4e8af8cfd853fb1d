#!/usr/bin/env bash
# vigil access validate/check on the example policy and on policies that break least privilege.
set -u
vigil=$1
src=$2
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
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
expect err.txt "bad.json: \$.roles.patient\[0\]"
[[ $(wc -l <err.txt) -eq 1 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL not one line"; }
printf 'version: 1\nroles:\n  clinician: [therapy.start]\nbreak_glass:\n  permissions: [service.login]\n' >bg.yaml
check bg-scope 2 "$vigil" access validate --policy bg.yaml
expect err.txt "break_glass.permissions\[0\]"
check bad-role 2 "$vigil" access check --policy "$policy" --role root --permission therapy.start

# Issue 13 item 3: a 200 MB policy (JSON or YAML) and a 1 KB alias bomb are each refused in one
# line, costing no more than 16 MiB above what validating the example policy costs (the peak
# resident set from /usr/bin/time; ASan's own share is in both figures).
timed() { /usr/bin/time -o rss.txt -f %M "$@"; }  # the peak RSS (KiB) goes to rss.txt
within_base() {  # within_base NAME: rss.txt is at most 16 MiB over $base
  local kib; kib=$(tail -n 1 rss.txt)
  [[ $kib -le $((base + 16384)) ]] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL $1: peak $kib KiB, baseline $base KiB"; }
}
truncate -s 200M big.json big.yaml
{
  echo "version: 1"
  echo "a0: &a0 [therapy.start, therapy.start, therapy.start, therapy.start, therapy.start]"
  for i in 1 2 3 4 5 6 7 8 9; do
    r="*a$((i - 1))"
    echo "a$i: &a$i [$r, $r, $r, $r, $r, $r, $r, $r, $r, $r]"
  done
} >bomb.yaml
check baseline 0 timed "$vigil" access validate --policy "$policy"
base=$(tail -n 1 rss.txt)
for f in big.json big.yaml; do
  check "$f" 2 timed "$vigil" access validate --policy "$f"
  expect_err "$f: 209715200 bytes, over the 1 MiB limit for an access policy"
  within_base "$f"
done
check alias-bomb 2 timed "$vigil" access validate --policy bomb.yaml
expect_err "bomb.yaml:2:5: YAML aliases and anchors are not accepted"
within_base bomb.yaml
rm -f big.json big.yaml bomb.yaml
echo "cli access: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
