#!/usr/bin/env bash
# The include-wall check (scripts/check_walls) must catch each kind of crossing it promises to:
# planted in a copy of the tree, every one is reported with file and line and the check fails.
# Usage: planted_violation_test.sh SOURCE_DIR WALLS_DIR
set -euo pipefail
src=$1
walls=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/src" "$src/include" "$src/docs" "$tmp/"

failures=0
caught() {  # caught DESCRIPTION EXPECTED-LINE: the check reported that line
  if grep -qF -- "$2" "$tmp/out"; then
    echo "ok: $1"
  else
    echo "FAIL: $1: expected a line containing: $2"
    failures=$((failures + 1))
  fi
}

# 1. Another module's internals through a relative path.
echo '#include "../vault/internal/vault_core.h"' >> "$tmp/src/vuln/version.cc"
# 2. A module's public header it does not declare (core depends on nothing of ours).
echo '#include "vigil/crypto/hash.h"' >> "$tmp/src/core/encoding.cc"
# 3. A throwing library in a public header.
echo '#include <CLI/CLI.hpp>' >> "$tmp/include/vigil/access/policy.h"
# 4. A third-party library the module does not declare.
echo '#include <sqlite3.h>' >> "$tmp/src/audit/event.cc"
# 5. A public header including a module that is only a private dependency (vuln → storage).
echo '#include "vigil/storage/database.h"' >> "$tmp/include/vigil/vuln/advisory_db.h"
# 6. The architecture document's module table drifting from CMake (access loses audit).
sed -i 's/^| `access` | core, audit |/| `access` | core |/' "$tmp/docs/ARCHITECTURE.md"

if python3 "$src/scripts/check_walls" "$tmp" "$walls" > "$tmp/out" 2>&1; then
  echo "FAIL: check_walls passed a tree with planted violations"
  failures=$((failures + 1))
fi
caught "internals of another module" \
  'src/vuln/version.cc:'"$(wc -l < "$tmp/src/vuln/version.cc")"': includes "../vault/internal/vault_core.h", which is outside src/vuln'
caught "undeclared module" 'src/core/encoding.cc:'"$(wc -l < "$tmp/src/core/encoding.cc")"': includes "vigil/crypto/hash.h" but core does not declare vigil::crypto'
caught "throwing library in a public header" 'include/vigil/access/policy.h:'"$(wc -l < "$tmp/include/vigil/access/policy.h")"': public header includes <CLI/CLI.hpp>, a library that throws'
caught "undeclared third-party library" 'src/audit/event.cc:'"$(wc -l < "$tmp/src/audit/event.cc")"': includes <sqlite3.h> but audit does not declare the dependency SQLite::SQLite3'
caught "private dependency in a public header" 'include/vigil/vuln/advisory_db.h:'"$(wc -l < "$tmp/include/vigil/vuln/advisory_db.h")"': public header includes "vigil/storage/database.h" but vuln does not declare vigil::storage as a public dependency'

caught "architecture document out of date" 'row access says public core, private —; CMake declares public audit, core, private —'

if [ "$failures" -ne 0 ]; then
  echo "--- check_walls output:"
  cat "$tmp/out"
  exit 1
fi
echo "planted violations: all 6 caught"
