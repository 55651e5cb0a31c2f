#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each role scenario's converge on fresh hosts and its no-change re-run.

For every Molecule scenario named (default: the role scenarios), on hosts
the scenario's own create and prepare steps made: the wall time of
`molecule converge` on the fresh hosts, then of --repeat re-runs that must
change nothing (the script fails unless every host reports changed=0 and
failed=0), with the task results per host from the recap and the load
average. The hosts are destroyed at the end, also after a failure.

Run it on its own: the hosts carry the scenario's names, so a `make test`
running the same scenario at the same time would collide with it.

Usage (from the repository root, in the test virtual environment, as root):
    python tests/benchmarks/scenarios/run.py [SCENARIO ...] [--repeat N]
The figures are printed and written to tests/output/bench/scenarios/figures.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from benchlib import ROOT, code_version, figures_path, machine, parse_recap, print_machine, run_benchmark, save_figures  # noqa: E402 pylint: disable=wrong-import-position

WORK = os.path.join(ROOT, 'tests', 'output', 'bench', 'scenarios')
DEFAULT_SCENARIOS = ('tomcat_package', 'tomcat_archive', 'hermod_postgresql', 'hermod_mariadb', 'prime')


def molecule(action, scenario, log):
    """One molecule command, its output in log; the wall time, the recap and the load average around it."""
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', PY_COLORS='0', ANSIBLE_FORCE_COLOR='0')
    load = [round(os.getloadavg()[0], 2)]
    start = time.monotonic()
    with open(log, 'w') as handle:
        rc = subprocess.run(['molecule', action, '-s', scenario], cwd=ROOT, env=env, stdout=handle,
                            stderr=subprocess.STDOUT, check=False).returncode
    seconds = round(time.monotonic() - start, 1)
    load.append(round(os.getloadavg()[0], 2))
    with open(log) as handle:
        recap = parse_recap(handle.read().splitlines())
    if rc != 0:
        raise RuntimeError('molecule %s -s %s: exit %d; see %s' % (action, scenario, rc, log))
    return {'seconds': seconds, 'load_average': load, 'recap': recap,
            # Ansible's ok already counts the changed results.
            'task_results': dict((host, r['ok'] + r['skipped'] + r['failed']) for host, r in recap.items()),
            'changed': dict((host, r['changed']) for host, r in recap.items())}


def measure(scenario, repeat):
    work = os.path.join(WORK, scenario)
    os.makedirs(work)
    row = {'scenario': scenario}
    # Molecule's create runs the scenario's prepare playbook too.
    row['create'] = molecule('create', scenario, os.path.join(work, 'create.log'))['seconds']
    row['converge'] = molecule('converge', scenario, os.path.join(work, 'converge.log'))
    if not row['converge']['recap']:
        raise RuntimeError('%s: the converge printed no recap' % scenario)
    row['reruns'] = []
    for number in range(1, repeat + 1):
        log = os.path.join(work, 'rerun-%d.log' % number)
        result = molecule('converge', scenario, log)
        if not result['recap'] or any(r['changed'] or r['failed'] for r in result['recap'].values()):
            raise RuntimeError('%s: the re-run changed or failed: %s; see %s' % (scenario, json.dumps(result['recap']), log))
        row['reruns'].append(result)
    row['rerun_mean'] = round(statistics.mean(r['seconds'] for r in row['reruns']), 1)
    return row


def print_figures(figures):
    print_machine(figures)
    for row in figures['scenarios']:
        converge = row['converge']
        print('%s: create and prepare %.1f s; converge %.1f s (changed %s, load %s); '
              're-run %s s, mean %.1f (task results %s, load %s)' % (
                  row['scenario'], row['create'], converge['seconds'], converge['changed'],
                  converge['load_average'], ' / '.join('%.1f' % r['seconds'] for r in row['reruns']),
                  row['rerun_mean'], row['reruns'][0]['task_results'],
                  ' / '.join('%s-%s' % tuple(r['load_average']) for r in row['reruns'])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('scenarios', nargs='*', default=list(DEFAULT_SCENARIOS),
                        help='Molecule scenarios (default: %s)' % ' '.join(DEFAULT_SCENARIOS))
    parser.add_argument('--repeat', type=int, default=2, help='no-change re-runs per scenario (default 2)')
    args = parser.parse_args()
    for name in ('PHS_BASE_IMAGE', 'PHS_CACHE', 'CONTAINERS_CONF', 'ANSIBLE_COLLECTIONS_PATH'):
        if name not in os.environ:
            sys.exit('%s is not set: run from the repository root after . tests/harness/activate.sh' % name)
    unknown = [s for s in args.scenarios if not os.path.isfile(os.path.join(ROOT, 'molecule', s, 'molecule.yml'))]
    if unknown:
        sys.exit('no Molecule scenario %s in molecule/' % ', '.join(unknown))
    if args.repeat < 1:
        sys.exit('--repeat must be at least 1')
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    figures = {'machine': machine(), 'code': code_version(), 'repeat': args.repeat, 'scenarios': []}
    try:
        for scenario in args.scenarios:
            print('%s: create, prepare, converge, %d re-run(s), destroy (logs in %s)' % (
                scenario, args.repeat, os.path.relpath(os.path.join(WORK, scenario), ROOT)), flush=True)
            try:
                figures['scenarios'].append(measure(scenario, args.repeat))
            finally:
                molecule('destroy', scenario, os.path.join(WORK, scenario, 'destroy.log'))
        figures['complete'] = True
    finally:
        save_figures(WORK, figures)
    print_figures(figures)
    print('Figures: %s; logs beside it' % figures_path(WORK))


if __name__ == '__main__':
    run_benchmark(main, 'scenarios')
