# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the podman benchmarks share: the recap of a run, the machine and the commit measured."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
RECAP = re.compile(r'^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)')


def parse_recap(lines):
    """{host: {ok, changed, unreachable, failed, skipped}} from the last PLAY RECAP of a run's output."""
    starts = [i for i, line in enumerate(lines) if line.startswith('PLAY RECAP')]
    recap = {}
    for line in lines[starts[-1]:] if starts else []:
        found = RECAP.match(line)
        if found:
            ok, changed, unreachable, failed, skipped = (int(v) for v in found.groups()[1:])
            recap[found.group(1)] = {'ok': ok, 'changed': changed, 'unreachable': unreachable,
                                     'failed': failed, 'skipped': skipped}
    return recap


def machine():
    with open('/etc/debian_version') as handle:
        debian = handle.read().strip()
    with open('/proc/meminfo') as handle:
        mem_kib = int(handle.readline().split()[1])
    ansible = subprocess.run(['ansible', '--version'], capture_output=True, text=True, check=False).stdout
    return {'cores': os.cpu_count(), 'ram_gib': round(mem_kib / 1024 / 1024, 1), 'debian': debian,
            'python': platform.python_version(), 'ansible_core': ansible.split('[core ')[-1].split(']')[0]}


def code_version():
    """The commit measured, and whether the working tree differed from it."""
    def git(*args):
        return subprocess.run(['git', '-C', ROOT] + list(args), capture_output=True, text=True, check=False).stdout.strip()
    return {'commit': git('rev-parse', '--short', 'HEAD'), 'uncommitted_changes': bool(git('status', '--porcelain'))}


def print_machine(figures):
    print('Machine: Debian %(debian)s, %(cores)d cores, %(ram_gib)s GiB RAM, Python %(python)s, '
          'ansible-core %(ansible_core)s' % figures['machine'])
    print('Code: commit %(commit)s, uncommitted changes: %(uncommitted_changes)s' % figures['code'])


def save_figures(work, figures):
    """figures.json in work; what was measured before a failure is kept too, marked incomplete."""
    if os.path.isdir(work):
        with open(os.path.join(work, 'figures.json'), 'w') as handle:
            json.dump(dict(figures, complete=figures.get('complete', False)), handle, indent=1)


def figures_path(work):
    return os.path.relpath(os.path.join(work, 'figures.json'), ROOT)


def run_benchmark(main, name):
    """Runs main, turning an interruption or a RuntimeError into a one-line exit message."""
    try:
        main()
    except KeyboardInterrupt:
        sys.exit('interrupted')
    except RuntimeError as error:
        sys.exit('%s benchmark failed: %s' % (name, error))
