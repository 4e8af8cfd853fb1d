# Step: the infusion pump's premarket cybersecurity package (vigil report premarket) with the
# evidence ctest gives for the tests the model's controls name in this build (a demo build has no
# tests, so its controls come out UNVERIFIED: the package never takes a control on trust).
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
model="$root/examples/infusion-pump/threat-model.yaml"
build=$(dirname "$(dirname "$VIGIL")")
cd "$DEMO_DIR"
tests=$(python3 -c '
import sys, yaml
print("|".join(sorted({t for c in yaml.safe_load(open(sys.argv[1]))["controls"] for t in c["verified_by"]})))' "$model")
ctest --test-dir "$build" -R "^($tests)\$" --output-junit "$DEMO_DIR/report-junit.xml" >/dev/null 2>&1 || true
"$VIGIL" report premarket "$model" --sbom "$root/examples/infusion-pump/sbom.cdx.json" \
  --evidence report-junit.xml --out premarket >report.txt
python3 - <<'PY'
import csv, json
p = json.load(open("premarket/premarket.json"))
fda = next(c for c in p["coverage"] if c["framework"] == "fda-premarket-appendix-1")
ctl = list(csv.DictReader(open("premarket/controls.csv")))
print("premarket package: premarket/premarket.html, %d of %d controls verified by this build's tests, "
      "FDA Appendix 1 %d covered / %d open, %d labeling and MDS2 items unanswered"
      % (sum(c["verification"] == "verified" for c in ctl), len(ctl), fda["covered"], fda["open"],
         len(p["unanswered"])))
PY
