#!/usr/bin/env bash
# vigil log: append, checkpoint (Ed25519 + ML-DSA-65), verify with vkeys and an older checkpoint,
# proofs, export, and each kind of tampering caught by `verify` with exit 1 and one line.
set -u
vigil=$1
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
origin=vigil.example/pump-1/audit
check keygen-ed 0 "$vigil" keygen --alg ed25519 --out ed.pem
check keygen-ml 0 "$vigil" keygen --alg ml-dsa-65 --out ml.pem
for i in $(seq 0 599); do
  "$vigil" log append --dir log --device pump-1 --actor "clin.$((i % 7))" --role clinician \
    --action auth.login --outcome "$([[ $((i % 5)) -eq 0 ]] && echo minor-failure || echo success)" \
    --interface local-ui >/dev/null || { fail=$((fail + 1)); echo "FAIL append $i"; break; }
done
check break-glass 0 "$vigil" log append --dir log --device pump-1 --actor clin.3 --role clinician \
  --action emergency.open --purpose break-glass --reason "second factor unavailable, code blue"
expect out.txt "appended entry 600 (emergency.open"
check no-reason 2 "$vigil" log append --dir log --device pump-1 --actor clin.3 --role clinician \
  --action emergency.open --purpose break-glass
expect err.txt "needs a reason"
check bad-actor 2 "$vigil" log append --dir log --device pump-1 --actor "Jane Doe" --role clinician --action auth.login
check bad-action 2 "$vigil" log append --dir log --device pump-1 --action auth.backdoor
check checkpoint1 0 "$vigil" log checkpoint --dir log --origin "$origin" --key ed.pem --key ml.pem
cp log/checkpoint old.checkpoint
check append-more 0 "$vigil" log append --dir log --device pump-1 --actor adm.1 --role administrator --action emergency.review --object session:1
check checkpoint2 0 "$vigil" log checkpoint --dir log --origin "$origin" --key ed.pem --key ml.pem
check vkey 0 "$vigil" log vkey --origin "$origin" --key ed.pem --key ml.pem
mapfile -t vkeys <out.txt
vk=(--vkey "${vkeys[0]}" --vkey "${vkeys[1]}")
check verify 0 "$vigil" log verify --dir log "${vk[@]}" --checkpoint old.checkpoint
expect out.txt "log OK: 602 entries"
expect out.txt "signed by 2 known key(s), consistent with checkpoint at 601"
check verify-pq-only 0 "$vigil" log verify --dir log --vkey "${vkeys[1]}"
check prove 0 "$vigil" log prove --dir log --index 17
expect out.txt '"type":"inclusion","leaf_index":17,"tree_size":602'
check prove-consistency 0 "$vigil" log prove --dir log --from 300
check export 0 "$vigil" log export --dir log --from 600
[[ $(wc -l <out.txt) -eq 2 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL export lines"; }
expect out.txt '"purpose":"break-glass"'

# Tampering: each on a fresh copy of the log.
tamper() {  # tamper NAME EXPECTED_TEXT PYTHON_SNIPPET (acts on ./t)
  rm -rf t; cp -r log t
  /usr/bin/python3 -c "$3"
  check "tamper-$1" 1 "$vigil" log verify --dir t "${vk[@]}" --checkpoint old.checkpoint
  expect err.txt "$2"
  [[ $(wc -l <err.txt) -eq 1 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL $1: not one line"; cat err.txt; }
}
bundle='t/tile/entries/000'
py_entries="
import struct
b=open('$bundle','rb').read(); e=[]; o=0
while o<len(b):
    n=struct.unpack('>H',b[o:o+2])[0]; e.append(b[o+2:o+2+n]); o+=2+n
def save(es): open('$bundle','wb').write(b''.join(struct.pack('>H',len(x))+x for x in es))
"
tamper changed "differs from the journal" "$py_entries
e[3]=e[3].replace(b'clin.3',b'clin.9'); save(e)"
tamper removed "expected 256 entries, found 255" "$py_entries
del e[10]; save(e)"
tamper reordered "differs from the journal" "$py_entries
e[4],e[5]=e[5],e[4]; save(e)"
tamper inserted "differs from the journal" "$py_entries
e.insert(0,e[0]); e.pop(); save(e)"
tamper rolled-back "fewer than the 601 a checkpoint commits to" "
import os
for f in os.listdir('t/journal'): open('t/journal/'+f,'wb').close()"
tamper checkpoint-forged "does not verify" "
c=open('t/checkpoint').read().split('\n'); c[1]='602'; c[2]='AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
open('t/checkpoint','w').write('\n'.join(c))"
echo "cli log: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
