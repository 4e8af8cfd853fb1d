# Step: MITRE's medical-device CVSS rubric turns the infusion pump's answers (Wi-Fi drug library
# updates, unsigned) into a CVSS 3.1 vector and score.
set -e
answers="$(dirname "$VIGIL")/../../../examples/rubric/infusion-pump-wifi.yaml"
out=$("$VIGIL" rubric --format json "$answers")
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("infusion pump, Wi-Fi drug library: %s %.1f %s" % (d["vector"], d["base"], d["severity"]))' "$out"
