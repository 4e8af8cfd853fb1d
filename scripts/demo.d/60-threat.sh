# Step: the infusion pump's threat model (examples/infusion-pump/) checked against the STRIDE and
# medical rules, its findings and risk before/after mitigation, and the four FDA architecture
# views rendered to SVG by Graphviz.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
model="$root/examples/infusion-pump/threat-model.yaml"
cd "$DEMO_DIR"
"$VIGIL" threat findings --format json "$model" >threat-findings.json
"$VIGIL" threat views "$model" --out threat-views >/dev/null
python3 - <<'PY'
import json, glob
f = json.load(open("threat-findings.json"))
pre = sum(1 for x in f if not x["pre"]["controlled"])
post = sum(1 for x in f if not x["post"]["controlled"])
print("infusion pump threat model: %d findings (%d uncontrolled before mitigation, %d after), %d SVG views"
      % (len(f), pre, post, len(glob.glob("threat-views/*.svg"))))
PY
