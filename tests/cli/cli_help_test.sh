#!/usr/bin/env bash
# The first hour of a new user (issue 19, items 8 and 9): the README's command tables are the
# commands' own help; the man page and the bash completion are generated from it and name every
# command; --version; one-line usage errors; one output option name (--out).
set -u
vigil=$1
tuf=$2
src=$3
build=$4
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

# README ↔ help: equal now, and a table edited by hand (or a command added without
# regenerating) is caught.
check readme-matches 0 "$src/scripts/readme_commands" --check "$vigil" "$tuf" "$src/README.md"
sed 's/^| `vigil hash /| `vigil hash --fast /' "$src/README.md" >drifted.md
check readme-drift-caught 1 "$src/scripts/readme_commands" --check "$vigil" "$tuf" drifted.md
expect out.txt '^-| `vigil hash --fast'
grep -v '^| `vigil vault scan ' "$src/README.md" >missing.md
check readme-missing-row-caught 1 "$src/scripts/readme_commands" --check "$vigil" "$tuf" missing.md
for row in 'vigil sbom validate' 'vigil sbom convert' 'vigil sbom diff' 'vigil vault put' \
  'vigil vault rotate-kek' 'vigil update init' 'vigil update refresh' 'vigil update fetch' \
  'vigil-tuf-client --metadata-dir DIR \[OPTIONS\] download'; do
  expect "$src/README.md" "^| \`$row[ \`]"
done

# The README's label list is ctest's.
readme_labels=$(sed -n '/^Labels:/,/^$/p' "$src/README.md" | grep -o '`[a-z0-9]*`' | tr -d '`' | sort -u | tr '\n' ' ')
ctest_labels=$(cd "$build" && ctest --print-labels | sed -n 's/^  //p' | sort -u | tr '\n' ' ')
equal readme-labels "$readme_labels" "$ctest_labels"
# No bullet of the README is there twice.
equal readme-duplicate-bullets "$(grep '^- ' "$src/README.md" | sort | uniq -d)" ""

# The man page and the completion the build generates name every command.
check commands 0 "$vigil" help-export --format commands
mv out.txt commands.txt
[[ $(wc -l <commands.txt) -ge 50 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL few commands"; }
man=$build/share/man/man1/vigil.1
completion=$build/share/bash-completion/completions/vigil
check man-renders 0 bash -c "groff -man -Tutf8 -ww '$man' 2>&1 >/dev/null | grep . && exit 1 || exit 0"
groff -man -Tutf8 "$man" 2>/dev/null | sed 's/.\x08//g' >man.txt
while read -r cmd; do
  grep -q "^   vigil $cmd\$" man.txt && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL man page lacks 'vigil $cmd'"; }
done <commands.txt
expect man.txt VIGIL_VAULT_PASSPHRASE
complete_words() {  # complete_words WORD...: what bash completes for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vigil; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$completion" vigil "$@"
}
while read -r cmd; do  # every command is reachable word by word
  read -r -a words <<<"$cmd"
  for ((i = 0; i < ${#words[@]}; i++)); do
    prefix=("${words[@]:0:i}")
    complete_words "${prefix[@]}" "${words[i]:0:2}" | grep -qx "${words[i]}" ||
      { fail=$((fail + 1)); echo "FAIL completion of '${prefix[*]} ${words[i]:0:2}' lacks ${words[i]}"; continue 2; }
  done
  pass=$((pass + 1))
done <commands.txt
equal completion-options "$(complete_words scan --o | sort | tr '\n' ' ')" "--out "
equal completion-file-after-option "$(complete_words keygen --out '')" ""
equal completion-top-flags "$(complete_words --v)" "--version"

# --version, tuf-client --help.
check version 0 "$vigil" --version
expect_stdout '^vigil [0-9]*\.[0-9]*\.[0-9]*$'
check tuf-version 0 "$tuf" --version
expect_stdout '^vigil-tuf-client [0-9]'
check tuf-help 0 "$tuf" --help
expect_stdout 'download'

# Usage errors are one line naming the command.
check missing-positional 2 "$vigil" scan
expect_err '^vigil scan: sbom is required (see `vigil scan --help`)$'
check unknown-option 2 "$vigil" log prove --dir x --bogus
expect_err '^vigil log prove: .*--bogus'
check no-command 2 "$vigil"
expect_err '^vigil: A subcommand is required'

# One output option: --out everywhere; --output only as a hidden alias of it.
check help-all 0 "$vigil" --help-all
if grep -q -- '--output' out.txt; then fail=$((fail + 1)); echo "FAIL --help-all shows --output"; else pass=$((pass + 1)); fi
for c in "scan" "advisory" "triage export" "sign" "crypto cbom" "log export" "sbom convert"; do
  grep -q "^| \`vigil $c .*\[--out OUT\]" "$src/README.md" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL vigil $c has no --out"; }
done
check cbom-out 0 "$vigil" crypto cbom --out a.json
check cbom-output-alias 0 "$vigil" crypto cbom --output b.json
[[ -s a.json && -s b.json ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --out/--output wrote nothing"; }

echo "cli help: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
