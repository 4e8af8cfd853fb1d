# Step: read a de-identified medical-device SBOM and an SPDX 3 one, list the FDA support gaps,
# convert to CycloneDX 1.6 and show what changed between two SBOM versions.
set -e
cd "$DEMO_DIR"
md=$VIGIL_DATA_DIR/sbom/medical-device
"$VIGIL" sbom validate --quiet "$md/narrow.sbom.json"
"$VIGIL" sbom validate "$md/narrow.sbom.json" | grep '^fda:' | head -3
"$VIGIL" sbom convert "$VIGIL_DATA_DIR/sbom/spdx/sbom.spdx3.json" --out spdx3-as-cdx.json --force
"$VIGIL" sbom validate --quiet spdx3-as-cdx.json
"$VIGIL" sbom diff "$md/narrow.sbom.json" "$md/extended.sbom.json" | tail -4 || true  # exit 1: differences
gaps=$("$VIGIL" sbom validate "$md/extended.sbom.json" | grep -c '^fda:')
echo "SBOMs read (CycloneDX 1.4, SPDX 3.0), converted to CycloneDX 1.6; $gaps FDA support-field gaps reported"
