# Step: the example authorization policy loads; a policy that would let patients reach service
# functions is refused; a clinician may start therapy, a patient may not reconfigure it.
set -e
cd "$DEMO_DIR"
policy="$(dirname "$VIGIL")/../../../examples/access-policy.json"
"$VIGIL" access validate --policy "$policy" >/dev/null
"$VIGIL" access check --policy "$policy" --role clinician --permission therapy.start >/dev/null
if "$VIGIL" access check --policy "$policy" --role patient --permission therapy.configure >/dev/null; then
  echo "patient was allowed to configure therapy"; exit 1
fi
echo '{"version":1,"roles":{"patient":["service.*"]}}' >bad-policy.json
if "$VIGIL" access validate --policy bad-policy.json 2>refused.txt; then
  echo "least-privilege violation accepted"; exit 1
fi
echo "policy loaded (deny by default); clinician therapy.start allowed, patient therapy.configure denied; patient service.* policy refused"
