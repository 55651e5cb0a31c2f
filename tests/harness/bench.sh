#!/usr/bin/env bash
# Runs every benchmark in tests/benchmarks/ (each folder's run.py), or the
# ones named: bench.sh java_truststore. They print their figures; BENCHMARKS.md
# records them with the machine they were measured on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/harness/require-root.sh
. "$here/require-root.sh"
# shellcheck source=tests/harness/activate.sh
. "$here/activate.sh"
"$here/collection-tree.sh"
cd "$PHS_ROOT"
names=("$@")
if [ "${#names[@]}" -eq 0 ]; then
  for d in tests/benchmarks/*/run.py; do names+=("$(basename "$(dirname "$d")")"); done
fi
for name in "${names[@]}"; do
  [ -f "tests/benchmarks/$name/run.py" ] || { echo "bench: no benchmark '$name' in tests/benchmarks" >&2; exit 2; }
  echo "== $name"
  read -r -a args <<< "${BENCH_ARGS:-}"
  python "tests/benchmarks/$name/run.py" "${args[@]}"
done
