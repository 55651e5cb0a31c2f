# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the localhost playbook tests run ansible-playbook: the collection from
this checkout, JSON output, and the test's own Python on localhost."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def environment():
    collections = [os.path.join(ROOT, 'tests', 'output', 'collections')]
    # On another ansible-core than the default (make test's cores layer),
    # the collections of its ansible bundle follow the checkout's.
    if os.environ.get('PHS_CORE_COLLECTIONS'):
        collections.append(os.environ['PHS_CORE_COLLECTIONS'])
    env = dict(os.environ)
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': os.pathsep.join(collections),
        'ANSIBLE_STDOUT_CALLBACK': 'ansible.posix.json',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_NOCOLOR': '1',
    })
    return env


def command(playbook, extra_vars):
    """ansible-playbook against localhost with extra variables (a dict)."""
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', playbook,
           # Interpreter discovery can pick a pyenv shim; the test's own Python has what the modules need.
           '-e', 'ansible_python_interpreter=%s' % sys.executable]
    for name, value in extra_vars.items():
        cmd += ['-e', '%s=%s' % (name, value)]
    return cmd


def run(cmd, env):
    """Runs the command; returns its exit status and the JSON report it printed."""
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError('ansible-playbook did not print JSON (exit %d): %s %s'
                             % (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:]))
    return proc.returncode, report


def task_result(report, name):
    """localhost's result of the task called name."""
    for play in report['plays']:
        for task in play['tasks']:
            if task['task']['name'] == name:
                return task['hosts']['localhost']
    raise AssertionError('task %r not in the report' % name)
