# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from unittest import mock

import pytest

from ansible.plugins.action import ActionBase

from ansible_collections.prime_hermod.stack.plugins.action.hermod_client import ActionModule


@pytest.fixture
def action():
    task = mock.MagicMock()
    task.args = {'client_id': 'prime'}
    plugin = ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    with mock.patch.object(ActionBase, 'run', return_value={}), mock.patch.object(plugin, '_remove_tmp_path'):
        yield plugin


def test_result_with_key_is_censored(action):
    module_result = {'changed': True, 'client_id': 'prime', 'key': 'k', 'x_api_key': 'cHJpbWU6aw==', 'source': 'generated'}
    with mock.patch.object(action, '_execute_module', return_value=dict(module_result)) as execute:
        result = action.run(task_vars={'a': 1})
    execute.assert_called_once_with(module_name='prime_hermod.stack.hermod_client', module_args={'client_id': 'prime'},
                                    task_vars={'a': 1})
    assert result['_ansible_no_log'] is True
    assert result['key'] == 'k'
    assert result['x_api_key'] == 'cHJpbWU6aw=='


def test_failure_stays_readable(action):
    with mock.patch.object(action, '_execute_module', return_value={'failed': True, 'msg': 'client_id must not be empty'}):
        result = action.run(task_vars={})
    assert '_ansible_no_log' not in result
    assert result['msg'] == 'client_id must not be empty'


def test_result_with_clients_is_censored(action):
    module_result = {'changed': False, 'clients': [{'client_id': 'prime', 'key': 'k', 'x_api_key': 'cHJpbWU6aw==',
                                                    'source': 'deployed'}]}
    with mock.patch.object(action, '_execute_module', return_value=dict(module_result)):
        result = action.run(task_vars={})
    assert result['_ansible_no_log'] is True
    assert result['clients'][0]['key'] == 'k'
