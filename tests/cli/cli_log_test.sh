#!/usr/bin/env bash
# vigil log: append, checkpoint (Ed25519 + ML-DSA-65), verify with vkeys and an older checkpoint,
# proofs, export, and each kind of tampering caught by `verify` with exit 1 and one line.
set -u
vigil=$1
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
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
# Issue 13 item 4: reading commands (export, prove, verify) change no file, on a healthy log, on
# one with a torn tail and on a damaged one; only a torn tail counts as a crash, only a writer
# cuts it, and damage stops appending with every byte kept for forensics.
snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
last_segment() { ls "$1/journal" | sort -n | tail -n1; }
reads_change_nothing() {  # reads_change_nothing NAME DIR VERIFY_RC EXPORT_RC
  local before; before=$(snapshot "$2")
  check "$1-export" "$4" "$vigil" log export --dir "$2" --from 0
  check "$1-prove" "$4" "$vigil" log prove --dir "$2" --index 3
  check "$1-verify" "$3" "$vigil" log verify --dir "$2" "${vk[@]}"
  equal "$1-unchanged" "$(snapshot "$2")" "$before"
}
rm -rf r; cp -r log r
reads_change_nothing healthy r 0 0
# Torn: the header and 5 bytes of a record for entry 602, as a crash mid-append leaves it.
seg=r/journal/$(last_segment r)
/usr/bin/python3 -c "
import struct; open('$seg','ab').write(b'VLB1'+struct.pack('>QII',602,1,40)+b'12345')"
reads_change_nothing torn r 0 0
check torn-export-note 0 "$vigil" log export --dir r --from 600
expect err.txt "torn tail left in place"
check torn-append 0 "$vigil" log append --dir r --device pump-1 --actor adm.1 --role administrator --action auth.login
expect out.txt "appended entry 602"
expect err.txt "recovered after a crash: cut 25 bytes"
# Damaged: the last three whole, acknowledged records overwritten with random bytes.
rm -rf d; cp -r log d
seg=d/journal/$(last_segment d)
/usr/bin/python3 -c "
import struct, random
b=bytearray(open('$seg','rb').read()); starts=[]; o=0
while o < len(b):
    starts.append(o); o += 20 + struct.unpack('>I', b[o+16:o+20])[0] + 32
r=random.Random(13)
for i in range(starts[-3], len(b)): b[i] = r.randrange(1, 256) if i > starts[-3] else 0x51
open('$seg','wb').write(b)"
reads_change_nothing damaged d 1 2
check damaged-verify 1 "$vigil" log verify --dir d "${vk[@]}"
expect_err "not a torn tail: damaged records"
before=$(snapshot d)
check damaged-append 2 "$vigil" log append --dir d --device pump-1 --actor adm.1 --role administrator --action auth.login
expect_err "nothing can be appended until an operator acts"
equal damaged-kept "$(snapshot d)" "$before"
# The operator's way out (README): keep a copy, cut at the byte named, record the decision.
cp -r d d.forensics
check damaged-where 1 "$vigil" log verify --dir d "${vk[@]}"
cut_at=$(sed -n 's/.* at byte \([0-9]*\) .*/\1/p' err.txt)
truncate -s "$cut_at" "d/journal/$(last_segment d)"
check operator-resumes 0 "$vigil" log append --dir d --device pump-1 --actor adm.1 --role administrator --action auth.login --reason "journal damaged at byte $cut_at, copy kept"
expect out.txt "appended entry 599"

# Issue 13 item 5: a mistyped path is an error and creates nothing; only append creates a log.
check typo-export 2 "$vigil" log export --dir typo
expect_err "typo: no audit log here"
check typo-prove 2 "$vigil" log prove --dir typo --index 0
check typo-checkpoint 2 "$vigil" log checkpoint --dir typo --origin "$origin" --key ed.pem
check typo-verify 2 "$vigil" log verify --dir typo "${vk[@]}"
[[ ! -e typo ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL typo was created"; }
check new-log 0 "$vigil" log append --dir fresh --device pump-1 --actor adm.1 --role administrator --action auth.login
expect err.txt "created a new audit log in fresh"
export VIGIL_VAULT_PASSPHRASE='correct horse battery staple'
check vault-init 0 "$vigil" vault init --db v.db --kek-file v.kek --audit-dir vaudit
expect out.txt "audit log in vaudit"
check vault-get-typo 2 "$vigil" vault get --db v.db --kek-file v.kek --audit-dir vtypo --table t --id r1 --out x
expect_err "vtypo: no audit log here"
[[ ! -e vtypo ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL vault get created vtypo"; }
echo "cli log: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
