#!/usr/bin/env bash
# Runs every test layer: unit tests, local playbook tests, ansible-test
# sanity, ansible-lint and the changelog linter, the collection build, and
# the Molecule scenarios. Prints one line per layer and a closing count.
# Usage: test.sh [layer ...]   layers: units sanity lint build molecule
#        SCENARIOS="a b" test.sh molecule   runs only those scenarios
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/require-root.sh
. "$here/require-root.sh"
# shellcheck source=tests/harness/activate.sh
. "$here/activate.sh"
cd "$PHS_ROOT" || exit 2

all_layers=(units sanity lint build molecule)
layers=("$@")
[ "${#layers[@]}" -gt 0 ] || layers=("${all_layers[@]}")
for layer in "${layers[@]}"; do
  case " ${all_layers[*]} " in
    *" $layer "*) ;;
    *) echo "test: unknown layer '$layer'; the layers are: ${all_layers[*]}" >&2; exit 2 ;;
  esac
done

available=()
for f in molecule/*/molecule.yml; do
  available+=("$(basename "$(dirname "$f")")")
done
read -r -a scenarios <<< "${SCENARIOS:-${available[*]}}"
for s in "${scenarios[@]}"; do
  [ -f "molecule/$s/molecule.yml" ] || {
    echo "test: unknown scenario '$s'; the scenarios are: ${available[*]}" >&2
    exit 2
  }
done

logs=$PHS_ROOT/tests/output/logs
mkdir -p "$logs"
passed=0
failed=0
summary=()

# pytest_counts LOG: the tests that every pytest run in LOG passed and failed
# (ansible-test units runs pytest once for controller and once for module code).
pytest_counts() {
  awk '/^(=+ )?[0-9]+ (passed|failed|error)/ {
         for (i = 1; i < NF; i++) {
           if ($(i + 1) ~ /^passed/) p += $i
           if ($(i + 1) ~ /^failed/) f += $i
           if ($(i + 1) ~ /^error/) f += $i
         }
         runs++
       }
       END { if (runs) printf "%d tests passed, %d failed", p, f }' "$1"
}

# run NAME COMMAND...: runs one step with its output in a log, records the
# result and the step's own closing line, and shows the log's end on failure.
run() {
  local name=$1 log="$logs/$1.log" start rc detail
  shift
  start=$SECONDS
  PHS_STEP_LOG=$log "$@" > "$log" 2>&1
  rc=$?
  detail=$(pytest_counts "$log")
  [ -n "$detail" ] || detail=$(grep -E -o 'Molecule executed [0-9]+ scenario.*' "$log" | tail -n 1)
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    summary+=("$(printf '%-28s PASS  %4ss  %s' "$name" $((SECONDS - start)) "$detail")")
  else
    failed=$((failed + 1))
    summary+=("$(printf '%-28s FAIL  %4ss  %s (log: %s)' "$name" $((SECONDS - start)) "$detail" "${log#"$PHS_ROOT"/}")")
    echo "---- $name failed (exit $rc); the end of $log:"
    tail -n 60 "$log"
    echo "----"
  fi
  echo "${summary[-1]}"
}

in_build() {
  (cd "$PHS_BUILD/ansible_collections/prime_hermod/stack" && "$@")
}

build_and_list() {
  local out=$PHS_ROOT/tests/output/galaxy
  rm -rf "$out" && mkdir -p "$out/collections"
  ansible-galaxy collection build --force --output-path "$out" "$PHS_ROOT" &&
    ANSIBLE_COLLECTIONS_PATH=$out/collections ansible-galaxy collection install \
      --offline -p "$out/collections" "$out"/prime_hermod-stack-*.tar.gz &&
    for type in module filter role; do
      ANSIBLE_COLLECTIONS_PATH=$out/collections ansible-doc -t "$type" -l prime_hermod.stack || exit 1
    done | tee "$out/ansible-doc.txt" && shipped_are_listed "$out/ansible-doc.txt"
}

# Every module, filter and role of the checkout must be in the installed
# collection's listing.
shipped_are_listed() {
  local name missing=()
  for name in plugins/modules/*.py plugins/filter/*.yml roles/*/; do
    name=$(basename "$name" .py)
    name=${name%.yml}
    grep -q -E "^prime_hermod\.stack\.${name}[: ]" "$1" || missing+=("$name")
  done
  [ "${#missing[@]}" -eq 0 ] || { echo "not listed by ansible-doc: ${missing[*]}" >&2; return 1; }
}

# Every scenario's destroy must remove all that its create made.
no_leftovers() {
  local containers networks
  containers=$(podman ps -a --filter label=prime-hermod-stack.scenario --format '{{.Names}}')
  networks=$(podman network ls --format '{{.Name}}' | grep '^phs-' | grep -v -E '^phs-(demo|bench)$')
  echo "containers left: ${containers:-none}"
  echo "networks left: ${networks:-none}"
  [ -z "$containers$networks" ]
}

"$here/collection-tree.sh"
for layer in "${layers[@]}"; do
  case $layer in
    units)
      run units in_build ansible-test units --venv --python 3.11 --color no
      if [ -d tests/integration_local ]; then
        run playbooks python -m pytest -q -p no:cacheprovider tests/integration_local
      fi
      ;;
    sanity)
      run sanity in_build ansible-test sanity --venv --python 3.11 --color no
      ;;
    lint)
      run ansible-lint ansible-lint --offline --profile production
      run changelog antsibull-changelog lint
      ;;
    build)
      run build build_and_list
      ;;
    molecule)
      for s in "${scenarios[@]}"; do
        run "molecule:$s" molecule test -s "$s"
      done
      run leftovers no_leftovers
      ;;
  esac
done

echo
echo "== summary =="
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
