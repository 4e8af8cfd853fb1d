#!/usr/bin/env bash
# vigil cvss: scores and severity of each CVSS version, metrics spelled out, JSON output (read
# back with python's json), one-line errors naming the metric, exit 2 when any vector is bad.
set -u
vigil=$1
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
v4=CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
check v4 0 "$vigil" cvss "$v4"
expect_stdout "CVSS 4.0 (CVSS-B): 9.3 critical"
expect_stdout "VC   Vulnerable System Confidentiality            H      High"
check v4-threat 0 "$vigil" cvss "$v4/E:U"
expect_stdout "CVSS 4.0 (CVSS-BT): 8.1 high"
check v31 0 "$vigil" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N
expect_stdout "CVSS 3.1: 6.1 medium   base 6.1, temporal 6.1, environmental 6.1"
check v2 0 "$vigil" cvss AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H
expect_stdout "CVSS 2.0: 9.2 high   base 7.8, temporal 6.4, environmental 9.2"
check json 0 "$vigil" cvss --format json "$v4" CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
equal json-read "$(python3 -c 'import json,sys; d=json.load(open("out.txt")); print(len(d), d[0]["score"], d[0]["nomenclature"], d[1]["base"], d[1]["metrics"][0]["value_name"])')" "2 9.3 CVSS-B 9.8 Network"
check duplicate 2 "$vigil" cvss "CVSS:4.0/AV:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
expect_err 'vigil cvss: CVSS:4.0 vector: metric "AV" appears twice'
check out-of-order 2 "$vigil" cvss "CVSS:3.1/AC:L/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H"
expect_err 'metric "AV" out of order (after "AC")'
check one-bad-of-two 2 "$vigil" cvss "$v4" CVSS:3.1/AV:N
expect_stdout "CVSS 4.0 (CVSS-B): 9.3 critical"
expect_err 'missing mandatory metric "AC" (Attack Complexity)'
check bad-format 2 "$vigil" cvss --format xml "$v4"
echo "cli cvss: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
