#!/usr/bin/env bash
# Runs every test layer: unit tests, local playbook tests, ansible-test
# sanity, ansible-lint and the changelog linter, the collection build, and
# the Molecule scenarios. Prints one line per layer and a closing count.
# Usage: test.sh [layer ...]   layers: units sanity lint build cores molecule
#        (cores: the unit and playbook tests on each ansible-core of ansible-cores.txt)
#        SCENARIOS="a b" test.sh molecule   runs only those scenarios
#        (full_stack[core-2.16]: a scenario on another ansible-core of the matrix)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/require-root.sh
. "$here/require-root.sh"
# shellcheck source=tests/harness/activate.sh
. "$here/activate.sh"
cd "$PHS_ROOT" || exit 2

all_layers=(units sanity lint build cores molecule)
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
  [ -f "molecule/${s%%\[*}/molecule.yml" ] || {
    echo "test: unknown scenario '$s'; the scenarios are: ${available[*]}" >&2
    exit 2
  }
done

logs=$PHS_ROOT/tests/output/logs
results=$PHS_ROOT/tests/output/results
# How long each scenario took last time on this machine: the longest start
# first. Before a machine's first run, the times of durations.default.
durations=$PHS_CACHE/durations
default_durations=$PHS_ROOT/tests/harness/durations.default
claims=$PHS_ROOT/tests/output/claims
rm -rf "$results" "$claims"
mkdir -p "$logs" "$results" "$claims" "$durations"

# pytest_counts LOG: the tests that every pytest run in LOG passed and failed
# (ansible-test units runs pytest once for controller and once for module code).
pytest_counts() {
  sed -E 's/^[0-9:]{8} //' "$1" | awk '/^(=+ )?[0-9]+ (passed|failed|error)/ {
         for (i = 1; i < NF; i++) {
           if ($(i + 1) ~ /^passed/) p += $i
           if ($(i + 1) ~ /^failed/) f += $i
           if ($(i + 1) ~ /^error/) f += $i
         }
         runs++
       }
       END { if (runs) printf "%d tests passed, %d failed", p, f }'
}

# stamp: each line of standard input, after the time it was read
stamp() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%(%H:%M:%S)T %s\n' -1 "$line"
  done
}

# run NAME COMMAND...: runs one step with its output in a time-stamped log,
# records the result and the step's own closing line in $results/NAME, and
# shows the log's end on failure.
run() {
  local name=$1 log="$logs/$1.log" start rc detail line
  shift
  start=$SECONDS
  PHS_STEP_LOG=$log "$@" 2>&1 < /dev/null | stamp > "$log"
  rc=${PIPESTATUS[0]}
  detail=$(pytest_counts "$log")
  [ -n "$detail" ] || detail=$(grep -E -o 'Molecule executed [0-9]+ scenario.*' "$log" | tail -n 1)
  if [ "$rc" -eq 0 ]; then
    line=$(printf '%-32s PASS  %4ss  %s' "$name" $((SECONDS - start)) "$detail")
  else
    line=$(printf '%-32s FAIL  %4ss  %s (log: %s)' "$name" $((SECONDS - start)) "$detail" "${log#"$PHS_ROOT"/}")
    # One block, so that a lane running beside this one cannot split it.
    printf -- '---- %s failed (exit %s); the end of %s:\n%s\n----\n' "$name" "$rc" "$log" "$(tail -n 60 "$log")"
  fi
  printf '%s\n' "$line" > "$results/$name"
  echo "$line"
  return "$rc"
}

in_build() {
  (cd "$PHS_BUILD/ansible_collections/prime_hermod/stack" && "$@")
}

# install_and_document OUT DEPENDENCIES: the tarball, built by the
# ansible-galaxy on PATH into OUT and installed offline beside copies of only
# the collections galaxy.yml declares (from DEPENDENCIES, an
# ansible_collections directory), listed and documented by ansible-doc from
# there: the listing and the dependency check see no collection the tarball
# does not declare.
install_and_document() {
  local out=$1 dependencies=$2 name
  rm -rf "$out" && mkdir -p "$out/collections/ansible_collections"
  for name in $(galaxy_field dependencies); do
    mkdir -p "$out/collections/ansible_collections/${name%%.*}" &&
      cp -a "$dependencies/${name%%.*}/${name#*.}" "$out/collections/ansible_collections/${name%%.*}/" || return 1
  done
  export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
  ansible --version | head -n 1
  ansible-galaxy collection build --force --output-path "$out" "$PHS_ROOT" &&
    ANSIBLE_COLLECTIONS_PATH=$out/collections ansible-galaxy collection install \
      --offline -p "$out/collections" "$out"/prime_hermod-stack-*.tar.gz &&
    for type in module filter role; do
      ANSIBLE_COLLECTIONS_PATH=$out/collections ansible-doc -t "$type" -l prime_hermod.stack || exit 1
    done | tee "$out/ansible-doc.txt" && shipped_are_listed "$out/ansible-doc.txt" &&
    ANSIBLE_COLLECTIONS_PATH=$out/collections shipped_are_documented "$out"
}

# The build layer, on the default ansible-core, with the dependencies of the
# virtual environment's ansible bundle; then the check that every plugin of
# another collection the roles call is declared.
build_and_list() {
  local out=$PHS_ROOT/tests/output/galaxy
  install_and_document "$out" "$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/ansible_collections" &&
    python "$here/declared_dependencies.py" "$out/collections"
}

# core_build VENV: the same build, install and documentation on that venv's
# ansible-core, with its bundle's copies of the dependencies.
core_build() {
  PATH="$1/bin:$PATH" install_and_document "$PHS_ROOT/tests/output/galaxy-$(basename "$1")" "$1/collections/ansible_collections"
}

# The changelog linter, then a release of galaxy.yml's version made in a copy
# of the build tree: antsibull-changelog must turn the fragments into
# CHANGELOG.rst's section for that version, and after it every module and
# filter of the checkout is in some release. (antsibull-changelog finds the
# plugins with ansible-doc on a copy of its own, which the tests' settings
# would hide: it runs with PATH and HOME only.)
changelog_checks() {
  local copy version
  antsibull-changelog lint || return 1
  version=$(galaxy_field version)
  # A released version takes no more fragments: they would be released nowhere.
  if python -c 'import sys, yaml; sys.exit(sys.argv[2] not in yaml.safe_load(open(sys.argv[1]))["releases"])' \
       changelogs/changelog.yaml "$version" && compgen -G 'changelogs/fragments/*.y*ml' > /dev/null; then
    echo "version $version is released; galaxy.yml needs the next version for: $(ls changelogs/fragments)" >&2
    return 1
  fi
  # Outside the checkout: inside a Git work tree antsibull-changelog copies only what Git tracks.
  copy=$PHS_BUILD-changelog/ansible_collections/prime_hermod/stack
  rm -rf "$copy" && mkdir -p "$copy" && cp -a "$PHS_BUILD/ansible_collections/prime_hermod/stack/." "$copy/" &&
    (cd "$copy" && env -i PATH="$PATH" HOME="$HOME" antsibull-changelog release) || return 1
  grep -q -x "v${version//./\\.}" "$copy/CHANGELOG.rst" ||
    { echo "antsibull-changelog release made no v$version section in CHANGELOG.rst" >&2; return 1; }
  python - "$copy/changelogs/changelog.yaml" "$(shipped_names module)" "$(shipped_names filter)" << 'PYTHON' || return 1
import sys, yaml
releases = yaml.safe_load(open(sys.argv[1]))['releases'].values()
recorded = {('module', p['name']) for r in releases for p in r.get('modules', [])}
recorded |= {(kind, p['name']) for r in releases for kind, ps in r.get('plugins', {}).items() for p in ps}
missing = [kind + ' ' + name for kind, names in (('module', sys.argv[2]), ('filter', sys.argv[3]))
           for name in names.split() if (kind, name) not in recorded]
sys.exit('in no release of the changelog: ' + ', '.join(missing) if missing else 0)
PYTHON
  echo "antsibull-changelog release makes CHANGELOG.rst's v$version section; every module and filter is in a release"
}

# The names of the checkout's modules, filters or roles ($1: module, filter, role).
shipped_names() {
  case $1 in
    module) basename -s .py plugins/modules/*.py ;;
    filter) basename -s .yml plugins/filter/*.yml ;;
    role) basename -a roles/*/ ;;
  esac
}

# The documentation of every module, filter and role, as the installed
# collection shows it: one ansible-doc call per type for all its names.
# ansible-doc warns about a name it cannot document and still exits 0, so
# each name's header is looked for.
shipped_are_documented() {
  local type names=() name missing=() header
  for type in module filter role; do
    mapfile -t names < <(shipped_names "$type")
    ANSIBLE_NOCOLOR=1 ansible-doc -t "$type" "${names[@]/#/prime_hermod.stack.}" > "$1/ansible-doc-$type.txt" ||
      return 1
    for name in "${names[@]}"; do
      # Without colour, some ansible-core versions mark a role's name *bold*;
      # 2.16 and 2.17 write the name in capitals, with no type.
      case $type in
        role) header="^> (ROLE: \\*?prime_hermod\\.stack\\.$name\\*?|PRIME_HERMOD\\.STACK\\.${name^^}) " ;;
        *) header="^> (${type^^} prime_hermod\\.stack\\.$name|PRIME_HERMOD\\.STACK\\.${name^^}) " ;;
      esac
      grep -q -E -- "$header" "$1/ansible-doc-$type.txt" || missing+=("$type $name")
    done
  done
  [ "${#missing[@]}" -eq 0 ] || { echo "ansible-doc shows no documentation of: ${missing[*]}" >&2; return 1; }
  echo "ansible-doc shows the documentation of every module, filter and role"
}

# Every module, filter and role of the checkout must be in the installed
# collection's listing.
shipped_are_listed() {
  local type name missing=()
  for type in module filter role; do
    while read -r name; do
      grep -q -E "^prime_hermod\.stack\.${name}[: ]" "$1" || missing+=("$name")
    done < <(shipped_names "$type")
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

# molecule_queue: takes the scenarios no other lane has taken, the one that
# took longest last time (or in durations.default) first, until none is left.
molecule_queue() {
  local s each queue
  mapfile -t queue < <(for each in "${scenarios[@]}"; do
                         printf '%s %s\n' "$(cat "$durations/$each" 2>/dev/null ||
                                                awk -v s="$each" '$1 == s {print $2; found = 1} END {if (!found) print 999999}' \
                                                  "$default_durations")" "$each"
                       done | sort -k1,1nr -k2 | cut -d' ' -f2)
  for s in "${queue[@]}"; do
    mkdir "$claims/$s" 2>/dev/null || continue
    local start=$SECONDS
    run "molecule:$s" molecule_test "$s" && echo $((SECONDS - start)) > "$durations/$s"
  done
}

# molecule_test SCENARIO: "name" runs on the default ansible-core; "name[core-X.Y]"
# runs its ansible-playbook from that core's venv, with only its bundle's copies
# of the collections ansible-cores.sh keeps, on hosts, a network and a Molecule
# directory of its own, so runs of one scenario on two cores go side by side.
molecule_test() {
  local name=${1%%\[*} label venv
  [ "$name" != "$1" ] || { molecule test -s "$name"; return; }
  label=$(scenario_core "$1")
  venv=$(core_venv "$label") || return 1
  "$venv/bin/ansible-playbook" --version | head -n 1
  env PATH="$venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$ANSIBLE_COLLECTIONS_PATH:$venv/collections" \
    MOLECULE_EPHEMERAL_DIRECTORY="$PHS_STATE/molecule/$name-$label" PHS_HOST_SUFFIX="-${label//./-}" \
    molecule test -s "$name"
}

# scenario_core "name[core-X.Y]": the core's label, core-X.Y.
scenario_core() {
  local label=${1#*\[}
  echo "${label%]}"
}

# core_venv LABEL: the virtual environment of the matrix's ansible-core LABEL (core-2.16).
core_venv() {
  local core
  for core in "${cores[@]}"; do
    [ "$(core_label "$core")" != "$1" ] || { echo "${core##* }"; return; }
  done
  echo "test: no ansible-core $1 among the cores of $PHS_STATE/ansible-cores (make test's setup lists them)" >&2
  return 1
}

# core_label "RELEASE ...": the name the layers give that ansible-core (core-2.16).
core_label() {
  local release=${1%% *}
  echo "core-${release%.*}"
}

# The ansible-core of the virtual environment, as the layers' names show it.
default_core=$(core_label "$(python -c 'from ansible.release import __version__; print(__version__)')")
# The other ansible-cores, "release python venv" per line (ansible-cores.sh).
cores=()
[ ! -s "$PHS_STATE/ansible-cores" ] || mapfile -t cores < "$PHS_STATE/ansible-cores"
# Sanity runs on the oldest and the newest of them too.
sanity_cores=()
if [ "${#cores[@]}" -gt 0 ]; then
  mapfile -t sanity_cores < <(printf '%s\n' "${cores[@]}" | sort -V | sed -n '1p;$p' | uniq)
fi
# So does the full-stack scenario, in place of its run on the default
# ansible-core, which the other scenarios (colocated's whole stack on one
# host among them) run on. SCENARIOS=full_stack runs it on the default,
# SCENARIOS="full_stack[core-2.16]" on that core.
if [ -z "${SCENARIOS:-}" ] && [ "${#sanity_cores[@]}" -gt 0 ]; then
  mapfile -t scenarios < <(printf '%s\n' "${scenarios[@]}" | grep -v -x full_stack)
  for core in "${sanity_cores[@]}"; do
    scenarios+=("full_stack[$(core_label "$core")]")
  done
fi
# A scenario named with a core must name one of the matrix.
for s in "${scenarios[@]}"; do
  [ "${s%%\[*}" = "$s" ] || core_venv "$(scenario_core "$s")" > /dev/null || exit 2
done

# The playbook tests that run ansible-core; the others (the harness's, the
# stand-ins', TrustCheck's) run once, on the default.
core_playbook_tests=(tests/integration_local/test_declared_dependencies.py
                     tests/integration_local/test_java_truststore_*.py
                     tests/integration_local/test_playbook_hosts.py)

no_cores() {
  echo "no ansible-cores listed in $PHS_STATE/ansible-cores (make test's setup builds them: tests/harness/ansible-cores.sh)" >&2
  return 1
}

# core_tests RELEASE VENV: the unit tests (pytest, from the build tree), the
# playbook tests and the build layer on that ansible-core, with its bundle's
# collections.
core_tests() {
  local name venv=$2
  name=$(core_label "$1")
  run "units[$name]" in_build env PYTHONPATH="$PHS_BUILD" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/unit
  run "playbooks[$name]" env PATH="$venv/bin:$PATH" PHS_CORE_COLLECTIONS="$venv/collections" \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider "${core_playbook_tests[@]}"
  run "build[$name]" core_build "$venv"
}

# The first lane runs the layers that are not Molecule, in the order given,
# then helps with the scenarios; every other lane starts on the scenarios.
first_lane() {
  local layer core venv
  for layer in "${layers[@]}"; do
    case $layer in
      units)
        run "units[$default_core]" in_build ansible-test units --venv --python 3.11 --color no
        if [ -d tests/integration_local ]; then
          run "playbooks[$default_core]" python -m pytest -q -p no:cacheprovider tests/integration_local
        fi
        ;;
      cores)
        # make test's setup writes the list; without it the layer fails rather than run nothing.
        [ "${#cores[@]}" -gt 0 ] || run cores no_cores
        for core in "${cores[@]}"; do
          read -r core _ venv <<< "$core"
          core_tests "$core" "$venv"
        done
        ;;
      sanity)
        run "sanity[$default_core]" in_build ansible-test sanity --venv --python 3.11 --color no
        for core in "${sanity_cores[@]}"; do
          read -r core python venv <<< "$core"
          run "sanity[$(core_label "$core")]" in_build env PATH="$venv/bin:$PATH" \
            ansible-test sanity --venv --python "$python" --color no
        done
        ;;
      lint)
        run ansible-lint ansible-lint --offline --profile production
        run changelog changelog_checks
        ;;
      build) run "build[$default_core]" build_and_list ;;
    esac
  done
  [ "$with_molecule" = false ] || molecule_queue
}

with_molecule=false
case " ${layers[*]} " in *" molecule "*) with_molecule=true ;; esac
# Two cores run two lanes side by side: a Molecule scenario mostly waits on
# its hosts, so the other lane's work fills the gaps.
lanes=${PHS_LANES:-$(( $(nproc) >= 2 ? 2 : 1 ))}
[ "$with_molecule" = true ] || lanes=1

"$here/collection-tree.sh"
started=$SECONDS
first_lane &
for ((lane = 2; lane <= lanes; lane++)); do
  molecule_queue &
done
wait
[ "$with_molecule" = false ] || run leftovers no_leftovers

summary=()
matrix=()
for core in "${cores[@]}"; do
  core=$(core_label "$core")
  matrix+=("units[$core]" "playbooks[$core]" "build[$core]")
done
sanity_matrix=()
for core in "${sanity_cores[@]}"; do
  sanity_matrix+=("sanity[$(core_label "$core")]")
done
for name in "units[$default_core]" "playbooks[$default_core]" "${matrix[@]}" "sanity[$default_core]" "${sanity_matrix[@]}" \
            cores ansible-lint changelog "build[$default_core]" "${scenarios[@]/#/molecule:}" leftovers; do
  [ -f "$results/$name" ] && summary+=("$(cat "$results/$name")")
done
passed=$(grep -l -E '^\S+ +PASS ' "$results"/* 2>/dev/null | wc -l)
failed=$(grep -l -E '^\S+ +FAIL ' "$results"/* 2>/dev/null | wc -l)
echo
echo "== summary ($lanes lanes, $((SECONDS - started))s) =="
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
# The end of the output is often all a CI page shows: the lines that say why.
for line in "${summary[@]}"; do
  case $line in *" FAIL "*) ;; *) continue ;; esac
  name=${line%% *}
  echo "why $name failed:"
  grep -E 'fatal:|FAILED!|UNREACHABLE!|CRITICAL|ERROR|Error:|msg:' "$logs/$name.log" | tail -n 4 | cut -c1-240 | sed 's/^/  /' || true
done
[ "$failed" -eq 0 ]
