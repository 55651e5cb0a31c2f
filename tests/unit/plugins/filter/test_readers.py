# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hermod_clients and parse_java_properties: the verify role reads files with the modules' own readers."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.hermod import FilterModule as HermodFilters, hermod_clients
from ansible_collections.prime_hermod.stack.plugins.filter.properties import (
    FilterModule as PropertiesFilters,
    parse_java_properties,
)

PRIME = {'client_id': 'prime', 'key': 'k1', 'callback_url': 'https://prime/cb', 'callback_basic_auth': 'u:p'}


def test_registered():
    assert HermodFilters().filters()['hermod_clients'] is hermod_clients
    assert PropertiesFilters().filters()['parse_java_properties'] is parse_java_properties


@pytest.mark.parametrize('text', [
    'application:\n  hermod:\n    allowedClients:\n      - {clientId: prime, key: k1, callbackUrl: "https://prime/cb", callbackBasicAuth: "u:p"}\n',
    # Kebab and snake case bind to the same properties.
    'application:\n  hermod:\n    allowed-clients:\n      - client-id: prime\n        key: k1\n'
    '        callback-url: https://prime/cb\n        callback_basic_auth: "u:p"\n',
    # A dotted key spells several elements of the path at once.
    'application:\n  hermod.allowed-clients:\n    - {CLIENTID: prime, Key: k1, callbackurl: "https://prime/cb", callbackBasicAuth: "u:p"}\n',
    'application.hermod.allowedClients:\n  - {clientId: prime, key: k1, callbackUrl: "https://prime/cb", callbackBasicAuth: "u:p"}\n',
    # Several documents: each one's list counts.
    'spring: {}\n---\napplication:\n  hermod:\n    allowedClients:\n'
    '      - {clientId: prime, key: k1, callbackUrl: "https://prime/cb", callbackBasicAuth: "u:p"}\n',
], ids=['camel', 'kebab', 'dotted', 'fully dotted', 'second document'])
def test_every_spelling_spring_binds_is_read(text):
    assert hermod_clients(text) == [PRIME]


def test_scalars_stay_as_written_and_missing_fields_are_empty():
    text = 'application:\n  hermod:\n    allowedClients:\n      - {clientId: 0123, key: 1e10}\n'
    assert hermod_clients(text) == [{'client_id': '0123', 'key': '1e10', 'callback_url': '', 'callback_basic_auth': ''}]


def test_other_clients_path_and_empty_files():
    assert hermod_clients('hermod:\n  clients:\n    - {clientId: a, key: b}\n', 'hermod.clients')[0]['key'] == 'b'
    assert hermod_clients('') == []
    assert hermod_clients('application: {}\n') == []


def test_bad_yaml_is_described_without_its_text():
    with pytest.raises(AnsibleFilterError) as caught:
        hermod_clients('application:\n  hermod: [secret-key-1234\n')
    assert 'not valid YAML' in str(caught.value) and 'secret-key-1234' not in str(caught.value)


def test_a_client_list_that_is_not_a_list_is_an_error():
    with pytest.raises(AnsibleFilterError, match='application.hermod.allowedClients is not a list'):
        hermod_clients('application:\n  hermod:\n    allowedClients: prime\n')


@pytest.mark.parametrize('text, expected', [
    ('authenticationToken=abc\n', 'abc'),
    ('authenticationToken : abc\n', 'abc'),
    ('authenticationToken abc\n', 'abc'),
    ('  authenticationToken=abc   \n', 'abc   '),
    ('authenticationToken=a\\\n    bc\n', 'abc'),
    ('authenticationToken=\\u0061bc\n', 'abc'),
    ('authenticationToken\n', ''),
    ('authenticationToken=old\nauthenticationToken=new\n', 'new'),
    ('#authenticationToken=commented\n!authenticationToken=too\nauthenticationToken=abc', 'abc'),
    ('authentication\\Token=abc\n', 'abc'),
], ids=['equals', 'colon', 'space', 'trailing space kept', 'continuation', 'unicode escape', 'key only',
        'last wins', 'comments', 'escaped key'])
def test_properties_are_read_as_java_reads_them(text, expected):
    assert parse_java_properties(text)['authenticationToken'] == expected


def test_no_properties():
    assert parse_java_properties('') == {}
    assert parse_java_properties(None) == {}


def test_key_requests_turn_an_empty_key_into_none():
    from ansible_collections.prime_hermod.stack.plugins.filter.hermod import hermod_key_requests
    clients = [{'client_id': 'prime', 'key': '', 'group': 'g'}, {'client_id': 'kiosk', 'group': 'g'},
               {'client_id': 'app', 'key': 'k3', 'callback_basic_auth': 'u:p'}]
    assert hermod_key_requests(clients) == [{'client_id': 'prime', 'key': None}, {'client_id': 'kiosk', 'key': None},
                                            {'client_id': 'app', 'key': 'k3'}]


def test_client_entries_carry_the_worked_out_keys():
    from ansible_collections.prime_hermod.stack.plugins.filter.hermod import hermod_client_entries
    clients = [{'client_id': 'prime', 'group': 'g1', 'callback_url': 'https://p/cb', 'callback_basic_auth': 'u:p'},
               {'client_id': 'kiosk', 'key': 'ignored', 'group': 'g2', 'callback_url': 'https://k/cb',
                'callback_basic_auth': 'k:q', 'content_provider_url': 'https://k/content'}]
    assert hermod_client_entries(clients, {'prime': 'k1', 'kiosk': 'k2'}) == [
        {'clientId': 'prime', 'key': 'k1', 'group': 'g1', 'callbackUrl': 'https://p/cb', 'callbackBasicAuth': 'u:p'},
        {'clientId': 'kiosk', 'key': 'k2', 'group': 'g2', 'callbackUrl': 'https://k/cb', 'callbackBasicAuth': 'k:q',
         'contentProviderUrl': 'https://k/content'}]
    with pytest.raises(AnsibleFilterError, match=r"hermod_clients\[0\]: no key was worked out for client 'prime'"):
        hermod_client_entries(clients, {'kiosk': 'k2'})


def test_values_are_placed_at_their_paths_in_order():
    from ansible_collections.prime_hermod.stack.plugins.filter.hermod import hermod_place_values
    base = {'application': {'hermod': {'rest': {'log': False}}}}
    placed = [{'path': 'application.hermod.publicUrl', 'value': 'https://h/rest/ms'},
              {'path': 'spring.datasource', 'value': {'url': 'jdbc:x', 'password': 'p'}},
              {'path': 'application.hermod.allowedClients', 'value': [{'clientId': 'prime'}]},
              {'path': 'spring.datasource.password', 'value': 'q'}]
    assert hermod_place_values(base, placed) == {
        'application': {'hermod': {'rest': {'log': False}, 'publicUrl': 'https://h/rest/ms',
                                   'allowedClients': [{'clientId': 'prime'}]}},
        'spring': {'datasource': {'url': 'jdbc:x', 'password': 'q'}}}
    assert base == {'application': {'hermod': {'rest': {'log': False}}}}
    with pytest.raises(AnsibleFilterError, match="placed value 0: path 'spring..x'"):
        hermod_place_values(base, [{'path': 'spring..x', 'value': 1}])
