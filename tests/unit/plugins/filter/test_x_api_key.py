# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.hermod import FilterModule, parse_x_api_key, x_api_key

KEY = '59c2a0a1999d42dbbe7f16ef1072736a031c5f4739c04025a641ae1751849857'


def test_filters_are_registered():
    filters = FilterModule().filters()
    assert filters['x_api_key'] is x_api_key
    assert filters['parse_x_api_key'] is parse_x_api_key
    assert 'highest_version' in filters


def test_x_api_key():
    assert x_api_key('hermod-app', KEY) == base64.b64encode(('hermod-app:' + KEY).encode()).decode()


@pytest.mark.parametrize('client_id, key, message', [
    ('', KEY, 'x_api_key: client_id must not be empty'),
    ('a:b', KEY, "x_api_key: client_id must not contain ':'"),
    ('a b', KEY, 'x_api_key: client_id must not contain whitespace'),
    (None, KEY, 'x_api_key: client_id must be a string, got NoneType'),
    ('prime', '', 'x_api_key: key must not be empty'),
    ('prime', None, 'x_api_key: key must be a string, got NoneType'),
])
def test_x_api_key_rejects(client_id, key, message):
    with pytest.raises(AnsibleFilterError) as caught:
        x_api_key(client_id, key)
    assert caught.value.message.startswith(message)
    assert caught.value.__cause__ is None


def test_parse_x_api_key():
    assert parse_x_api_key(x_api_key('prime', KEY)) == {'client_id': 'prime', 'key': KEY}


def test_parse_x_api_key_known_value():
    assert parse_x_api_key('aGVybW9kLWFwcDo1OWMyYTBhMQ==') == {'client_id': 'hermod-app', 'key': '59c2a0a1'}


@pytest.mark.parametrize('text, message', [
    ('', 'the X-Api-Key is empty'),
    ('%%%', 'the X-Api-Key is not valid base64'),
    (base64.b64encode(b'no-colon').decode(), "the X-Api-Key does not decode to 'client_id:key'"),
    (base64.b64encode(b'\xff:x').decode(), 'the X-Api-Key does not decode to UTF-8 text'),
    (base64.b64encode(b':key').decode(), 'the client id in the X-Api-Key must not be empty'),
    (base64.b64encode(b'id:').decode(), 'the key in the X-Api-Key must not be empty'),
    (42, 'the X-Api-Key must be a string, got int'),
])
def test_parse_x_api_key_rejects(text, message):
    with pytest.raises(AnsibleFilterError) as caught:
        parse_x_api_key(text)
    assert caught.value.message.startswith('parse_x_api_key: ' + message)
