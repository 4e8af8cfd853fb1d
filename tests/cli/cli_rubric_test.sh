#!/usr/bin/env bash
# vigil rubric: the infusion-pump example scores as the rubric says (vector, score, severity, the
# path per metric, an answer not used), JSON output read back with python's json, "unknown"
# taking the worse branch, the question list, and one-line errors naming the file and the field
# (exit 2).
set -u
vigil=$1
example=$2/examples/rubric/infusion-pump-wifi.yaml
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
check example 0 "$vigil" rubric "$example"
expect_stdout "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:N/I:H/A:H"
expect_stdout "CVSS 3.1 base score 9.3 critical"
expect_stdout "AV  Attack Vector        N  Network"
expect_stdout "av.network_protocol = yes -> av.network_routable = yes -> N"
expect_stdout "not used: av.wireless"
expect_stdout "a.therapy = yes -> a.therapy_patient_harm = unknown -> worse of (yes: H"
check json 0 "$vigil" rubric --format json "$example"
equal json-read "$(python3 -c 'import json; d=json.load(open("out.txt")); m={x["metric"]: x for x in d["metrics"]}; print(d["vector"], d["base"], d["severity"], m["PR"]["value_name"], m["AV"]["not_used"], len(d["metrics"]))')" \
  "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:N/I:H/A:H 9.3 critical None ['av.wireless'] 8"
# The same answers from standard input, with the wireless range unknown instead of routable:
# the worse of Adjacent and Local is Adjacent.
sed -e 's/av.network_routable: yes/av.network_routable: no/' -e 's/av.wireless: yes/av.wireless: yes\n  av.short_range: unknown/' "$example" >adjacent.yaml
check stdin-unknown 0 "$vigil" rubric - <adjacent.yaml
expect_stdout "CVSS:3.1/AV:A/"
expect_stdout "av.short_range = unknown -> worse of (no: A"
check questions 0 "$vigil" rubric --questions
expect_stdout "av.network_routable        AV Q2 (XAVT)"
equal question-count "$(wc -l <out.txt)" 34
printf 'answers:\n  av.bogus: yes\n' >bogus.yaml
check unknown-question 2 "$vigil" rubric bogus.yaml
expect_err 'vigil rubric: bogus.yaml:2: answers\["av.bogus"\]: unknown question (expected one of av.network_protocol'
printf 'answers:\n  ac.at_will: maybe\n' >maybe.yaml
check bad-value 2 "$vigil" rubric maybe.yaml
expect_err 'vigil rubric: maybe.yaml:2: answers\["ac.at_will"\]: expected yes, no or unknown, found "maybe"'
printf 'answers:\n  ac.at_will: yes\n  ac.at_will: no\n' >twice.yaml
check duplicate 2 "$vigil" rubric twice.yaml
expect_err 'vigil rubric: twice.yaml:3:.*"ac.at_will" appears twice'
grep -v 'av.network_routable' "$example" >missing.yaml
check missing 2 "$vigil" rubric missing.yaml
expect_err 'vigil rubric: missing.yaml:[0-9]*: answers\["av.network_routable"\]: required field missing (the flowchart of AV reaches it'
check no-file 2 "$vigil" rubric does-not-exist.yaml
expect_err 'vigil rubric: '
check no-argument 2 "$vigil" rubric
expect_err 'vigil rubric: expected ANSWERS.yaml or --questions'
check bad-format 2 "$vigil" rubric --format xml "$example"
echo "cli rubric: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
