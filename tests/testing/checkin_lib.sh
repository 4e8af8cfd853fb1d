# Sourced by the fleet and serve end-to-end tests (needs $vigil, the CLI under test).
# body OUT DIR RELEASE COUNTER [PROOF-FROM]: writes to OUT the JSON of a device check-in of the
# audit log at DIR (its checkpoint file), reporting RELEASE in slot b and security counter
# COUNTER; with PROOF-FROM, the consistency proof from that tree size (`vigil log prove`).
body() {
  local proof='[]'
  if [[ -n ${5:-} ]]; then
    proof=$("$vigil" log prove --dir "$2" --from "$5" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["proof"]))')
  fi
  python3 - "$1" "$2/checkpoint" "$3" "$4" "$proof" <<'PY'
import json, sys
out, cp, release, counter, proof = sys.argv[1:]
json.dump({"release": release, "slot": "b", "slot_status": "good",
           "security_counter": int(counter), "checkpoint": open(cp).read(),
           "consistency_proof": json.loads(proof)}, open(out, "w"))
PY
}
