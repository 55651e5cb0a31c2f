# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the localhost playbook tests run ansible-playbook: the collection from
this checkout, JSON output, and the test's own Python on localhost."""

from __future__ import annotations

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def environment():
    env = dict(os.environ)
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(ROOT, 'tests', 'output', 'collections'),
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
