# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import json
import re

from unittest import mock

import pytest


from ansible_collections.prime_hermod.stack.plugins.modules import hermod_client

from ansible_collections.prime_hermod.stack.tests.unit.plugins.modules.module_calls import patch_module_args

KEY = '59c2a0a1999d42dbbe7f16ef1072736a031c5f4739c04025a641ae1751849857'
GENERATED = re.compile(r'^[0-9a-f]{64}$')


def x_api_key(client_id, key):
    return base64.b64encode(('%s:%s' % (client_id, key)).encode()).decode()


@pytest.fixture
def run(capsys):
    """Run the module through the real exit_json/fail_json, so no_log masking is part of what is tested."""
    def runner(**args):
        with patch_module_args(args):
            with pytest.raises(SystemExit) as caught:
                hermod_client.main()
        result = json.loads(capsys.readouterr().out)
        assert (caught.value.code != 0) == bool(result.get('failed'))
        return result
    return runner


@pytest.fixture
def config(tmp_path):
    def writer(text, name='cod-hermod.yml', mode='w'):
        path = tmp_path / name
        if mode == 'wb':
            path.write_bytes(text)
        else:
            path.write_text(text, encoding='utf-8')
        return str(path)
    return writer


CAMEL = """
application:
  hermod:
    rest:
      log: false
    allowedClients:
      - clientId: hermod-app
        key: %s
        group: acme
        callbackUrl: https://prime-server-url:18443/prime_explorer/ws/hermod
        callbackBasicAuth: primeuser:primeuserpw
      - clientId: numeric
        key: 0123
""" % KEY

KEBAB = """
application:
  hermod:
    allowed-clients:
      - client-id: hermod-app
        key: %s
""" % KEY


class TestGiven:
    def test_given_key(self, run):
        result = run(client_id='prime', key=KEY)
        assert result['changed'] is False
        assert result['source'] == 'given'
        assert result['client_id'] == 'prime'
        assert result['key'] == KEY
        assert result['x_api_key'] == x_api_key('prime', KEY)

    def test_given_key_masked_in_invocation(self, run):
        result = run(client_id='prime', key=KEY)
        assert result['invocation']['module_args']['key'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
        assert result['invocation']['module_args']['client_id'] == 'prime'

    def test_given_key_wins_over_deployed_and_rotate(self, run, config):
        result = run(client_id='hermod-app', key='other', config_path=config(CAMEL), rotate=True)
        assert (result['source'], result['key'], result['changed']) == ('given', 'other', False)

    def test_config_not_read_when_key_given(self, run, config):
        result = run(client_id='prime', key='k', config_path=config('a: [\n'))
        assert result['source'] == 'given'


class TestDeployed:
    @pytest.mark.parametrize('text', [CAMEL, KEBAB])
    def test_both_spellings(self, run, config, text):
        result = run(client_id='hermod-app', config_path=config(text))
        assert result['changed'] is False
        assert result['source'] == 'deployed'
        assert result['key'] == KEY
        assert result['x_api_key'] == x_api_key('hermod-app', KEY)

    def test_snake_case_and_dotted_keys(self, run, config):
        text = 'application.hermod:\n  allowed_clients:\n    - client_id: hermod-app\n      key: "%s"\n' % KEY
        assert run(client_id='hermod-app', config_path=config(text))['key'] == KEY

    def test_key_read_as_written(self, run, config):
        result = run(client_id='numeric', config_path=config(CAMEL))
        assert result['key'] == '0123'

    def test_deployed_key_not_masked(self, run, config):
        result = run(client_id='hermod-app', config_path=config(CAMEL))
        assert KEY in json.dumps(result)

    def test_later_document(self, run, config):
        text = 'spring:\n  profiles: x\n---\n' + KEBAB
        assert run(client_id='hermod-app', config_path=config(text))['key'] == KEY

    def test_custom_clients_path(self, run, config):
        text = 'hermod:\n  clients:\n    - clientId: hermod-app\n      key: k9\n'
        assert run(client_id='hermod-app', config_path=config(text), clients_path='hermod.clients')['key'] == 'k9'

    def test_check_mode(self, run, config):
        result = run(client_id='hermod-app', config_path=config(CAMEL), _ansible_check_mode=True)
        assert (result['source'], result['key'], result['changed']) == ('deployed', KEY, False)


class TestGenerated:
    def test_without_config(self, run):
        result = run(client_id='prime')
        assert result['changed'] is True
        assert result['source'] == 'generated'
        assert GENERATED.match(result['key'])
        assert result['x_api_key'] == x_api_key('prime', result['key'])

    def test_from_the_cryptographic_source(self, run):
        with mock.patch.object(hermod_client.secrets, 'token_hex', return_value='ab' * 32) as token_hex:
            result = run(client_id='prime')
        token_hex.assert_called_once_with(32)
        assert result['key'] == 'ab' * 32

    def test_new_key_each_time(self, run):
        assert run(client_id='prime')['key'] != run(client_id='prime')['key']

    def test_client_not_deployed(self, run, config):
        result = run(client_id='prime', config_path=config(CAMEL))
        assert (result['source'], result['changed']) == ('generated', True)
        assert GENERATED.match(result['key'])

    def test_missing_config_file(self, run, tmp_path):
        result = run(client_id='prime', config_path=str(tmp_path / 'absent' / 'cod-hermod.yml'))
        assert result['source'] == 'generated'

    @pytest.mark.parametrize('text', ['', '# nothing yet\n', '---\n', 'application:\n  hermod:\n'])
    def test_config_without_clients(self, run, config, text):
        assert run(client_id='hermod-app', config_path=config(text))['source'] == 'generated'

    @pytest.mark.parametrize('key', ['', '""', 'null'])
    def test_deployed_entry_without_key(self, run, config, key):
        text = 'application:\n  hermod:\n    allowedClients:\n      - clientId: hermod-app\n        key: %s\n' % key
        assert run(client_id='hermod-app', config_path=config(text))['source'] == 'generated'

    def test_rotate(self, run, config):
        result = run(client_id='hermod-app', config_path=config(CAMEL), rotate=True)
        assert (result['source'], result['changed']) == ('generated', True)
        assert result['key'] != KEY
        assert GENERATED.match(result['key'])

    def test_rotate_does_not_read_config(self, run, config):
        assert run(client_id='prime', config_path=config('a: [\n'), rotate=True)['source'] == 'generated'

    def test_check_mode(self, run, config):
        path = config(KEBAB)
        result = run(client_id='prime', config_path=path, _ansible_check_mode=True)
        assert (result['source'], result['changed']) == ('generated', True)
        assert GENERATED.match(result['key'])
        assert open(path, encoding='utf-8').read() == KEBAB

    def test_generated_key_not_masked(self, run):
        result = run(client_id='prime')
        assert GENERATED.match(result['key'])
        assert '********' not in json.dumps(result)


class TestRejected:
    @pytest.mark.parametrize('client_id, message', [
        ('', 'client_id must not be empty'),
        ('hermod:app', "client_id must not contain ':' (it separates the client id from the key in the X-Api-Key)"),
        ('hermod app', 'client_id must not contain whitespace'),
        ('hermod\tapp', 'client_id must not contain whitespace'),
        ('prime\n', 'client_id must not contain whitespace'),
    ])
    def test_client_id(self, run, client_id, message):
        result = run(client_id=client_id)
        assert result['failed'] is True
        assert result['msg'] == message

    def test_missing_client_id(self, run):
        assert 'client_id' in run()['msg']

    def test_empty_key(self, run):
        assert run(client_id='prime', key='')['msg'] == 'key must not be empty'

    def test_bad_clients_path(self, run):
        assert run(client_id='prime', clients_path='application..hermod')['msg'] == \
            "clients_path 'application..hermod' has an empty element"

    def test_unparseable_config(self, run, config):
        path = config('application:\n  hermod:\n    allowedClients:\n      - clientId: x\n        key: %s: y\n' % KEY)
        result = run(client_id='x', config_path=path)
        assert result['msg'].startswith('%s is not valid YAML: mapping values are not allowed' % path)
        assert result['msg'].endswith('(line 5, column %d)' % (len('        key: ') + len(KEY) + 1))
        assert KEY not in json.dumps(result)

    def test_not_utf8(self, run, config):
        path = config(b'application: \xff\n', mode='wb')
        assert run(client_id='x', config_path=path)['msg'] == '%s is not UTF-8 text' % path

    def test_unreadable(self, run, tmp_path):
        result = run(client_id='x', config_path=str(tmp_path))
        assert result['msg'] == 'cannot read %s: Is a directory' % tmp_path

    def test_list_not_a_list(self, run, config):
        path = config('application:\n  hermod:\n    allowedClients: none\n')
        assert run(client_id='x', config_path=path)['msg'] == '%s: application.hermod.allowedClients is not a list' % path

    def test_entry_not_a_mapping(self, run, config):
        path = config('application:\n  hermod:\n    allowed-clients:\n      - x\n')
        assert run(client_id='x', config_path=path)['msg'] == '%s: application.hermod.allowedClients[0] is not a mapping' % path

    def test_conflicting_keys(self, run, config):
        path = config(CAMEL + '      - clientId: hermod-app\n        key: other\n')
        result = run(client_id='hermod-app', config_path=path)
        assert result['msg'] == "%s: client 'hermod-app' is listed 2 times with different keys" % path
        assert KEY not in json.dumps(result)

    def test_placeholder(self, run, config):
        path = config('application:\n  hermod:\n    allowedClients:\n      - clientId: x\n        key: ${X_KEY}\n')
        assert "client 'x' is a placeholder" in run(client_id='x', config_path=path)['msg']

    def test_without_pyyaml(self, run, config, monkeypatch):
        monkeypatch.setattr(hermod_client, 'HAS_YAML', False)
        monkeypatch.setattr(hermod_client, 'YAML_IMPORT_ERROR', 'Traceback: ImportError')
        result = run(client_id='x', config_path=config(CAMEL))
        assert 'PyYAML' in result['msg']
        assert result['failed'] is True

    def test_without_pyyaml_missing_file_is_fine(self, run, tmp_path, monkeypatch):
        monkeypatch.setattr(hermod_client, 'HAS_YAML', False)
        assert run(client_id='x', config_path=str(tmp_path / 'absent.yml'))['source'] == 'generated'


class TestClients:
    def test_given_deployed_and_generated_in_one_run(self, run, config):
        result = run(clients=[{'client_id': 'given', 'key': 'k1'}, {'client_id': 'hermod-app'}, {'client_id': 'new'}],
                     config_path=config(CAMEL))
        assert result['changed'] is True
        entries = result['clients']
        assert [(entry['client_id'], entry['source']) for entry in entries] == \
            [('given', 'given'), ('hermod-app', 'deployed'), ('new', 'generated')]
        assert entries[0]['key'] == 'k1'
        assert entries[1]['key'] == KEY
        assert GENERATED.match(entries[2]['key'])
        for entry in entries:
            assert entry['x_api_key'] == x_api_key(entry['client_id'], entry['key'])

    def test_unchanged_when_every_key_is_known(self, run, config):
        result = run(clients=[{'client_id': 'hermod-app'}, {'client_id': 'numeric'}, {'client_id': 'x', 'key': 'y'}],
                     config_path=config(CAMEL))
        assert result['changed'] is False
        assert [entry['key'] for entry in result['clients']] == [KEY, '0123', 'y']

    def test_given_keys_returned_but_masked_in_invocation(self, run):
        result = run(clients=[{'client_id': 'a', 'key': 'secret-a'}, {'client_id': 'b', 'key': 'secret-b'}])
        assert [entry['key'] for entry in result['clients']] == ['secret-a', 'secret-b']
        assert 'secret-a' not in json.dumps(result['invocation'])
        assert 'secret-b' not in json.dumps(result['invocation'])

    def test_config_read_once(self, run, config):
        path = config(CAMEL)
        with mock.patch.object(hermod_client, 'read_config_file', wraps=hermod_client.read_config_file) as load:
            run(clients=[{'client_id': 'hermod-app'}, {'client_id': 'numeric'}, {'client_id': 'new'}], config_path=path)
        assert load.call_count == 1

    def test_config_not_read_when_every_key_given(self, run, config):
        result = run(clients=[{'client_id': 'a', 'key': 'k'}], config_path=config('a: [\n'))
        assert result['clients'][0]['source'] == 'given'

    def test_rotate(self, run, config):
        result = run(clients=[{'client_id': 'hermod-app'}, {'client_id': 'kept', 'key': 'k'}],
                     config_path=config(CAMEL), rotate=True)
        assert [entry['source'] for entry in result['clients']] == ['generated', 'given']
        assert result['clients'][0]['key'] != KEY

    def test_empty_list(self, run):
        result = run(clients=[])
        assert (result['changed'], result['clients']) == (False, [])

    @pytest.mark.parametrize('clients, message', [
        ([{'client_id': 'a'}, {'client_id': 'a'}], "clients[1].client_id 'a' is given twice"),
        ([{'client_id': 'a:b'}], "clients[0].client_id must not contain ':'"),
        ([{'client_id': 'ok'}, {'client_id': 'a b'}], 'clients[1].client_id must not contain whitespace'),
        ([{'client_id': ''}], 'clients[0].client_id must not be empty'),
        ([{'client_id': 'a', 'key': ''}], 'clients[0].key must not be empty'),
    ])
    def test_rejected(self, run, clients, message):
        result = run(clients=clients)
        assert result['failed'] is True
        assert result['msg'].startswith(message)

    def test_conflict_names_the_file(self, run, config):
        path = config(CAMEL + '      - clientId: hermod-app\n        key: other\n')
        result = run(clients=[{'client_id': 'numeric'}, {'client_id': 'hermod-app'}], config_path=path)
        assert result['msg'] == "%s: client 'hermod-app' is listed 2 times with different keys" % path
        assert KEY not in json.dumps(result)

    @pytest.mark.parametrize('args', [
        {'client_id': 'a', 'clients': [{'client_id': 'b'}]},
        {'key': 'k', 'clients': [{'client_id': 'b'}]},
    ])
    def test_mutually_exclusive(self, run, args):
        assert 'mutually exclusive' in run(**args)['msg']
