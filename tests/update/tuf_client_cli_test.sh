#!/usr/bin/env bash
# vigil-tuf-client against the conformance suite's CLI protocol (CLIENT-CLI.md): init, refresh
# and download of both real repositories at their faketime, exit codes 0/1, the metadata
# directory layout (non-versioned names) and target caching.
set -u
CLIENT="$1"
DATA="$2/update/tuf-static"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail=0
pass=0
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
cd "$WORK"
cases=0
for repo in sigstore-root-signing tuf-on-ci-0.11; do
  m="$WORK/$repo/metadata"
  t="$WORK/$repo/targets"
  time="$(cat "$DATA/$repo/faketime")"
  target="$(cat "$DATA/$repo/targetpath")"
  url="file://$DATA/$repo"
  check "$repo init" 0 "$CLIENT" --metadata-dir "$m" init "$DATA/$repo/initial_root.json"
  check "$repo refresh" 0 "$CLIENT" --metadata-dir "$m" --metadata-url "$url/metadata" \
    --time "$time" refresh
  for f in root.json timestamp.json snapshot.json targets.json; do
    [[ -f "$m/$f" ]] || { echo "FAIL: $repo: $f missing from metadata dir"; fail=1; }
  done
  if ls "$m" | grep -q '^[0-9]'; then echo "FAIL: $repo: versioned file names in $m"; fail=1; fi
  check "$repo download" 0 "$CLIENT" --metadata-dir "$m" --metadata-url "$url/metadata" \
    --target-name "$target" --target-base-url "$url/targets" --target-dir "$t" --time "$time" \
    download
  [[ $(ls "$t" | wc -l) == 1 ]] || { echo "FAIL: $repo: expected one file in $t"; fail=1; }
  check "$repo download again (cached)" 0 "$CLIENT" --metadata-dir "$m" \
    --metadata-url "$url/metadata" --target-name "$target" --target-base-url "$url/targets" \
    --target-dir "$t" --time "$time" download
  check "$repo unknown target" 1 "$CLIENT" --metadata-dir "$m" --metadata-url "$url/metadata" \
    --target-name "$target" --target-name no/such/target --target-base-url "$url/targets" \
    --target-dir "$t" --time "$time" download
  check "$repo refresh far in the future (expired)" 1 "$CLIENT" --metadata-dir "$m" \
    --metadata-url "$url/metadata" --time "2099-01-01T00:00:00Z" refresh
  cases=$((cases + 6))
done
check "init with a missing root" 1 "$CLIENT" --metadata-dir "$WORK/x" init "$WORK/none.json"
check "refresh without a trusted root" 1 "$CLIENT" --metadata-dir "$WORK/y" \
  --metadata-url "file://$DATA/tuf-on-ci-0.11/metadata" refresh
check "unknown command" 1 "$CLIENT" --metadata-dir "$WORK/y" frobnicate
cases=$((cases + 3))
echo "tuf_client_cli_test: $cases cases"
echo "pass $pass, fail $fail"
[[ $fail -eq 0 ]]
