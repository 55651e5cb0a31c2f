# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/playbooks/java_truststore_localhost.yml through ansible-playbook.

First run changes the store, the second changes nothing, and --check on the
resulting state predicts nothing either.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

import localhost_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLAYBOOK = os.path.join(ROOT, 'tests', 'playbooks', 'java_truststore_localhost.yml')
TASK = 'Trust the certificate in a dedicated truststore copied from the system cacerts'

pytestmark = pytest.mark.skipif(
    shutil.which('keytool') is None or not os.path.exists('/etc/ssl/certs/java/cacerts'),
    reason='needs keytool and the system cacerts')


def ansible_playbook(workdir, *extra):
    env = localhost_playbook.environment()
    cmd = localhost_playbook.command(PLAYBOOK, {'java_truststore_test_dir': workdir}) + list(extra)
    rc, report = localhost_playbook.run(cmd, env)
    assert rc == 0, json.dumps(report, indent=1)[-4000:]
    return report


def test_changed_then_ok_then_check_ok(tmp_path):
    workdir = str(tmp_path / 'work')

    first = ansible_playbook(workdir)
    result = localhost_playbook.task_result(first, TASK)
    assert result['changed'] and result['created']
    assert [entry['alias'] for entry in result['added']] == ['localhost-peer']
    assert first['stats']['localhost']['failures'] == 0

    second = ansible_playbook(workdir)
    result = localhost_playbook.task_result(second, TASK)
    assert not result['changed']
    assert [entry['alias'] for entry in result['unchanged']] == ['localhost-peer']
    assert second['stats']['localhost']['changed'] == 0

    checked = ansible_playbook(workdir, '--check', '--diff')
    assert not localhost_playbook.task_result(checked, TASK)['changed']
    assert checked['stats']['localhost']['changed'] == 0
    assert oct(os.stat(os.path.join(workdir, 'truststore.p12')).st_mode & 0o777) == '0o640'
