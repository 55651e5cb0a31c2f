# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import importlib.util
import sys

import pytest
import yaml

from ansible_collections.prime_hermod.stack.plugins.module_utils import hermod
from ansible_collections.prime_hermod.stack.plugins.module_utils.hermod import (
    DEFAULT_CLIENTS_PATH,
    HermodError,
    decode_x_api_key,
    describe_yaml_error,
    encode_x_api_key,
    find_deployed_key,
    load_yaml_documents,
    read_clients,
    relaxed_name,
    split_clients_path,
    validate_client_id,
    validate_key,
)

EXAMPLE_KEY = '59c2a0a1999d42dbbe7f16ef1072736a031c5f4739c04025a641ae1751849857'


def b64(text):
    return base64.b64encode(text if isinstance(text, bytes) else text.encode('utf-8')).decode('ascii')


class TestValidateClientId:
    @pytest.mark.parametrize('client_id', ['prime', 'hermod-app', 'a', 'client_1.x', 'ÅÄÖ'])
    def test_valid(self, client_id):
        assert validate_client_id(client_id) == client_id

    def test_empty(self):
        with pytest.raises(HermodError, match='^client_id must not be empty$'):
            validate_client_id('')

    @pytest.mark.parametrize('client_id', [':', 'a:b', 'prime:'])
    def test_colon(self, client_id):
        with pytest.raises(HermodError, match="^client_id must not contain ':'"):
            validate_client_id(client_id)

    @pytest.mark.parametrize('client_id', ['a b', ' prime', 'prime\n', 'a\tb', 'a\u00a0b', 'a\u2003b'])
    def test_whitespace(self, client_id):
        with pytest.raises(HermodError, match='^client_id must not contain whitespace$'):
            validate_client_id(client_id)

    @pytest.mark.parametrize('client_id, kind', [(None, 'NoneType'), (12, 'int'), (b'prime', 'bytes')])
    def test_not_a_string(self, client_id, kind):
        with pytest.raises(HermodError, match='^client_id must be a string, got %s$' % kind):
            validate_client_id(client_id)

    def test_field_is_named(self):
        with pytest.raises(HermodError, match='^the id must not be empty$'):
            validate_client_id('', field='the id')


class TestValidateKey:
    @pytest.mark.parametrize('key', [EXAMPLE_KEY, 'x', 'with:colon', 'with space'])
    def test_valid(self, key):
        assert validate_key(key) == key

    def test_empty(self):
        with pytest.raises(HermodError, match='^key must not be empty$'):
            validate_key('')

    def test_not_a_string(self):
        with pytest.raises(HermodError, match='^key must be a string, got int$'):
            validate_key(5)


class TestEncode:
    def test_documented_shape(self):
        assert encode_x_api_key('hermod-app', EXAMPLE_KEY) == b64('hermod-app:' + EXAMPLE_KEY)

    def test_known_value(self):
        assert encode_x_api_key('hermod-app', '59c2a0a1') == 'aGVybW9kLWFwcDo1OWMyYTBhMQ=='

    def test_utf8(self):
        assert encode_x_api_key('Åsa', 'ключ') == b64('Åsa:ключ')

    def test_rejects_bad_client_id(self):
        with pytest.raises(HermodError, match='client_id must not contain'):
            encode_x_api_key('a:b', 'k')

    def test_rejects_empty_key(self):
        with pytest.raises(HermodError, match='^key must not be empty$'):
            encode_x_api_key('prime', '')


class TestDecode:
    def test_round_trip(self):
        assert decode_x_api_key(encode_x_api_key('prime', EXAMPLE_KEY)) == ('prime', EXAMPLE_KEY)

    def test_key_may_hold_colons(self):
        assert decode_x_api_key(b64('prime:a:b:c')) == ('prime', 'a:b:c')

    def test_surrounding_whitespace_ignored(self):
        assert decode_x_api_key('  %s\n' % b64('prime:k')) == ('prime', 'k')

    def test_utf8(self):
        assert decode_x_api_key(b64('Åsa:ключ')) == ('Åsa', 'ключ')

    def test_not_a_string(self):
        with pytest.raises(HermodError, match='^the X-Api-Key must be a string, got NoneType$'):
            decode_x_api_key(None)

    @pytest.mark.parametrize('text', ['', '   '])
    def test_empty(self, text):
        with pytest.raises(HermodError, match='^the X-Api-Key is empty$'):
            decode_x_api_key(text)

    @pytest.mark.parametrize('text', ['not base64!', 'cHJpbWU6aw', 'cHJp bWU6aw==', 'ключ', 'cHJpbWU6aw==='])
    def test_not_base64(self, text):
        with pytest.raises(HermodError, match='^the X-Api-Key is not valid base64$'):
            decode_x_api_key(text)

    def test_not_utf8(self):
        with pytest.raises(HermodError, match='^the X-Api-Key does not decode to UTF-8 text$'):
            decode_x_api_key(b64(b'\xff\xfe:key'))

    def test_no_colon(self):
        with pytest.raises(HermodError, match="^the X-Api-Key does not decode to 'client_id:key'"):
            decode_x_api_key(b64('primekey'))

    def test_empty_client_id(self):
        with pytest.raises(HermodError, match='^the client id in the X-Api-Key must not be empty$'):
            decode_x_api_key(b64(':key'))

    def test_client_id_with_whitespace(self):
        with pytest.raises(HermodError, match='^the client id in the X-Api-Key must not contain whitespace$'):
            decode_x_api_key(b64('pri me:key'))

    def test_empty_key(self):
        with pytest.raises(HermodError, match='^the key in the X-Api-Key must not be empty$'):
            decode_x_api_key(b64('prime:'))

    def test_errors_do_not_repeat_the_input(self):
        secret = b64('nocolon' + EXAMPLE_KEY)
        with pytest.raises(HermodError) as caught:
            decode_x_api_key(secret)
        assert secret not in str(caught.value)
        assert EXAMPLE_KEY not in str(caught.value)


class TestRelaxedNames:
    @pytest.mark.parametrize('name', ['allowedClients', 'allowed-clients', 'allowed_clients', 'ALLOWED_CLIENTS', 'allowedclients'])
    def test_spellings_agree(self, name):
        assert relaxed_name(name) == 'allowedclients'

    def test_default_path(self):
        assert split_clients_path(DEFAULT_CLIENTS_PATH) == ['application', 'hermod', 'allowedclients']

    @pytest.mark.parametrize('path', ['', None, 5])
    def test_path_must_be_text(self, path):
        with pytest.raises(HermodError, match='^clients_path must be a non-empty dotted path'):
            split_clients_path(path)

    @pytest.mark.parametrize('path', ['a..b', '.a', 'a.', 'a.-.b'])
    def test_path_without_empty_elements(self, path):
        with pytest.raises(HermodError, match='has an empty element'):
            split_clients_path(path)


def clients_doc(list_name='allowedClients', id_name='clientId', entries=None):
    return {'application': {'hermod': {list_name: entries if entries is not None else [{id_name: 'prime', 'key': 'k1'}]}}}


class TestReadClients:
    @pytest.mark.parametrize('list_name, id_name', [
        ('allowedClients', 'clientId'),
        ('allowed-clients', 'client-id'),
        ('allowed_clients', 'client_id'),
        ('allowed-clients', 'clientId'),
    ])
    def test_spellings(self, list_name, id_name):
        assert read_clients([clients_doc(list_name, id_name)]) == [{'client_id': 'prime', 'key': 'k1'}]

    def test_relaxed_parent_names_and_key_field(self):
        doc = {'Application': {'HERMOD': {'allowed-clients': [{'client-id': 'prime', 'KEY': 'k1'}]}}}
        assert read_clients([doc]) == [{'client_id': 'prime', 'key': 'k1'}]

    @pytest.mark.parametrize('doc', [
        {'application.hermod.allowed-clients': [{'clientId': 'prime', 'key': 'k1'}]},
        {'application': {'hermod.allowedClients': [{'clientId': 'prime', 'key': 'k1'}]}},
        {'application.hermod': {'allowedClients': [{'clientId': 'prime', 'key': 'k1'}]}},
    ])
    def test_dotted_keys(self, doc):
        assert read_clients([doc]) == [{'client_id': 'prime', 'key': 'k1'}]

    def test_every_document_and_every_spelling(self):
        first = clients_doc(entries=[{'clientId': 'a', 'key': '1'}])
        second = {'application': {'hermod': {'allowed-clients': [{'client-id': 'b', 'key': '2'}],
                                             'allowedClients': [{'clientId': 'c', 'key': '3'}]}}}
        ids = sorted(client['client_id'] for client in read_clients([first, ['not', 'a', 'mapping'], second]))
        assert ids == ['a', 'b', 'c']

    def test_missing_fields_are_none(self):
        assert read_clients([clients_doc(entries=[{'group': 'acme'}])]) == [{'client_id': None, 'key': None}]

    def test_other_fields_ignored(self):
        entry = {'clientId': 'prime', 'key': 'k', 'group': 'acme', 'callbackUrl': 'https://x', 'callbackBasicAuth': 'u:p'}
        assert read_clients([clients_doc(entries=[entry])]) == [{'client_id': 'prime', 'key': 'k'}]

    @pytest.mark.parametrize('doc', [{}, {'application': None}, {'application': {'hermod': {}}},
                                     {'application': {'hermod': {'allowedClients': None}}},
                                     {'application': {'hermod': {'allowedClients': ''}}},
                                     {'application': {'hermod': {'allowedClients': []}}},
                                     {'application': 'text'}])
    def test_no_clients(self, doc):
        assert read_clients([doc]) == []

    def test_no_documents(self):
        assert read_clients([]) == []

    @pytest.mark.parametrize('value', ['text', {'clientId': 'prime'}, 5])
    def test_list_not_a_list(self, value):
        with pytest.raises(HermodError, match=r'^application\.hermod\.allowedClients is not a list$'):
            read_clients([clients_doc(entries=value)])

    def test_entry_not_a_mapping(self):
        with pytest.raises(HermodError, match=r'^application\.hermod\.allowedClients\[1\] is not a mapping$'):
            read_clients([clients_doc(entries=[{'clientId': 'a', 'key': '1'}, 'prime'])])

    def test_custom_path(self):
        doc = {'hermod': {'clients': [{'clientId': 'prime', 'key': 'k'}]}}
        assert read_clients([doc], 'hermod.clients') == [{'client_id': 'prime', 'key': 'k'}]
        assert read_clients([doc]) == []

    def test_invalid_path(self):
        with pytest.raises(HermodError, match='empty element'):
            read_clients([{}], 'a..b')


def client(client_id, key):
    return {'client_id': client_id, 'key': key}


class TestFindDeployedKey:
    def test_found(self):
        assert find_deployed_key([client('a', '1'), client('prime', 'k')], 'prime') == 'k'

    def test_absent(self):
        assert find_deployed_key([client('a', '1')], 'prime') is None
        assert find_deployed_key([], 'prime') is None

    def test_ids_are_exact(self):
        assert find_deployed_key([client('Prime', 'k')], 'prime') is None

    @pytest.mark.parametrize('key', [None, ''])
    def test_entry_without_key(self, key):
        assert find_deployed_key([client('prime', key)], 'prime') is None

    def test_same_key_twice(self):
        assert find_deployed_key([client('prime', 'k'), client('prime', 'k')], 'prime') == 'k'

    def test_different_keys(self):
        with pytest.raises(HermodError) as caught:
            find_deployed_key([client('prime', 'k1'), client('prime', None), client('prime', 'k2')], 'prime')
        assert str(caught.value) == "client 'prime' is listed 2 times with different keys"

    def test_placeholder(self):
        with pytest.raises(HermodError, match=r"^the key of client 'prime' is a placeholder"):
            find_deployed_key([client('prime', '${PRIME_KEY}')], 'prime')

    def test_not_a_string(self):
        with pytest.raises(HermodError, match="^the key of client 'prime' is not a string$"):
            find_deployed_key([client('prime', ['k'])], 'prime')


class TestLoadYaml:
    def test_scalars_stay_as_written(self):
        text = 'a: 0123\nb: 1e10\nc: true\nd: 1.50\ne: 2024-01-01\nf: 0x1f\ng: "quoted"\n'
        assert load_yaml_documents(text) == [
            {'a': '0123', 'b': '1e10', 'c': 'true', 'd': '1.50', 'e': '2024-01-01', 'f': '0x1f', 'g': 'quoted'}]

    def test_null_stays_null(self):
        assert load_yaml_documents('a: null\nb: ~\nc:\n') == [{'a': None, 'b': None, 'c': None}]

    def test_merge_keys(self):
        text = 'base: &base\n  key: k\nclient:\n  <<: *base\n  clientId: prime\n'
        assert load_yaml_documents(text)[0]['client'] == {'key': 'k', 'clientId': 'prime'}

    def test_documents(self):
        assert load_yaml_documents('a: 1\n---\n---\nb: 2\n') == [{'a': '1'}, {'b': '2'}]

    def test_empty_text(self):
        assert load_yaml_documents('') == []

    def test_other_loaders_unaffected(self):
        assert yaml.safe_load('a: 0123') == {'a': 83}

    def test_invalid(self):
        with pytest.raises(yaml.YAMLError):
            load_yaml_documents('a: [1, 2\n')


class TestDescribeYamlError:
    def test_from_parser_error_without_snippet(self):
        with pytest.raises(yaml.YAMLError) as caught:
            load_yaml_documents('application:\n  key: %s: oops\n' % EXAMPLE_KEY)
        message = describe_yaml_error(caught.value)
        # The C and the pure Python parser word the problem differently.
        assert message.startswith('mapping values are not allowed ')
        assert message.endswith(' (line 2, column %d)' % (len('  key: ') + len(EXAMPLE_KEY) + 1))
        assert EXAMPLE_KEY not in message

    def test_context_only(self):
        mark = yaml.Mark('x', 0, 4, 2, None, None)
        assert describe_yaml_error(yaml.MarkedYAMLError(context='while parsing', context_mark=mark)) == 'while parsing (line 5, column 3)'

    def test_without_mark(self):
        assert describe_yaml_error(yaml.YAMLError('x')) == 'YAMLError'


def test_yaml_found():
    assert hermod.HAS_YAML is True
    assert hermod.YAML_IMPORT_ERROR is None


def test_imports_without_yaml(monkeypatch):
    # A separate copy, so the classes the other tests use stay the same objects.
    monkeypatch.setitem(sys.modules, 'yaml', None)
    spec = importlib.util.spec_from_file_location('hermod_without_yaml', hermod.__file__)
    copy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(copy)
    assert copy.HAS_YAML is False
    assert 'ImportError' in copy.YAML_IMPORT_ERROR or 'ModuleNotFoundError' in copy.YAML_IMPORT_ERROR
    assert copy.encode_x_api_key('prime', 'k') == encode_x_api_key('prime', 'k')
