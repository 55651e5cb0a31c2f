# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.prime_hermod.stack.plugins.filter.masking import mask_paths, unified_diff

CONFIG = {
    'spring': {'datasource': {'url': 'jdbc:postgresql://db/hermod', 'password': 'pg-secret'}},
    'application': {'hermod': {'clients': [
        {'clientId': 'prime', 'key': 'k1', 'callbackBasicAuth': 'cb:pw1'},
        {'clientId': 'other', 'key': 'k2', 'callbackBasicAuth': ''},
    ]}},
}
PATHS = ['spring.datasource.password', 'application.hermod.clients[].key', 'application.hermod.clients[].callbackBasicAuth']


def test_masks_each_path_and_every_list_element():
    masked = mask_paths(CONFIG, PATHS)
    assert masked['spring']['datasource'] == {'url': 'jdbc:postgresql://db/hermod', 'password': '********'}
    assert [c['key'] for c in masked['application']['hermod']['clients']] == ['********', '********']
    # An empty value stays empty, so a diff shows it was or became empty.
    assert [c['callbackBasicAuth'] for c in masked['application']['hermod']['clients']] == ['********', '']


def test_leaves_the_input_alone():
    mask_paths(CONFIG, PATHS)
    assert CONFIG['spring']['datasource']['password'] == 'pg-secret'
    assert CONFIG['application']['hermod']['clients'][0]['key'] == 'k1'


@pytest.mark.parametrize('data', [{}, {'spring': 'text'}, {'application': {'hermod': {'clients': 'none'}}}, None, 'text'])
def test_ignores_missing_paths(data):
    assert mask_paths(data, PATHS) == data


def test_marks_the_secrets_that_changed():
    before = mask_paths(CONFIG, [])
    before['application']['hermod']['clients'][0]['key'] = 'old'
    masked = mask_paths(CONFIG, PATHS, compare_to=before)
    assert masked['spring']['datasource']['password'] == '********'
    assert [c['key'] for c in masked['application']['hermod']['clients']] == ['******** (changed)', '********']


def test_marks_every_secret_of_a_new_file_as_changed():
    masked = mask_paths(CONFIG, PATHS, compare_to={})
    assert masked['spring']['datasource']['password'] == '******** (changed)'
    assert [c['key'] for c in masked['application']['hermod']['clients']] == ['******** (changed)'] * 2


def test_custom_mask():
    assert mask_paths({'a': {'b': 'x'}}, ['a.b'], mask='<hidden>') == {'a': {'b': '<hidden>'}}


@pytest.mark.parametrize('paths', ['a.b', [''], [1], None])
def test_rejects_bad_paths(paths):
    with pytest.raises(AnsibleFilterError, match='mask_paths: the paths must be a list of non-empty strings'):
        mask_paths({}, paths)


def test_unified_diff():
    assert unified_diff('a\nb\n', 'a\nc\n') == '--- before\n+++ after\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n'
    assert unified_diff('same\n', 'same\n') == ''
    assert unified_diff('', 'x\n', 'old', 'new').startswith('--- old\n+++ new\n')


def test_unified_diff_rejects_non_text():
    with pytest.raises(AnsibleFilterError, match='unified_diff: after must be a string, not int'):
        unified_diff('a', 1)


# The spellings Spring binds, and hermod_client reads, of the configured paths: each secret is masked.
RELAXED = [
    {'spring': {'datasource': {'password': 'pg-secret'}},
     'application': {'hermod': {'allowed-clients': [{'client-id': 'prime', 'key': 'k1', 'callback-basic-auth': 'cb:pw1'}]}}},
    {'spring.datasource.password': 'pg-secret',
     'application': {'hermod.allowed-clients': [{'client_id': 'prime', 'KEY': 'k1', 'callback_basic_auth': 'cb:pw1'}]}},
    {'Spring': {'DataSource': {'Password': 'pg-secret'}},
     'application.hermod.allowedClients': [{'clientId': 'prime', 'key': 'k1', 'callbackBasicAuth': 'cb:pw1'}]},
]
RELAXED_PATHS = ['spring.datasource.password', 'application.hermod.allowedClients[].key',
                 'application.hermod.allowedClients[].callbackBasicAuth']


def _leaves(node):
    if isinstance(node, dict):
        return [leaf for value in node.values() for leaf in _leaves(value)]
    if isinstance(node, list):
        return [leaf for item in node for leaf in _leaves(item)]
    return [node]


@pytest.mark.parametrize('data', RELAXED, ids=['kebab', 'dotted', 'camel and case'])
def test_relaxed_binding_masks_every_spelling(data):
    masked = mask_paths(data, RELAXED_PATHS, relaxed_binding=True)
    leaves = _leaves(masked)
    assert not {'pg-secret', 'k1', 'cb:pw1'} & set(leaves), masked
    assert leaves.count('********') == 3 and 'prime' in leaves


def test_without_relaxed_binding_only_the_exact_spelling_is_masked():
    assert 'k1' in _leaves(mask_paths(RELAXED[0], RELAXED_PATHS))


def test_relaxed_comparison_finds_the_old_value_in_another_spelling():
    after = {'spring': {'datasource': {'password': 'pg-secret'}},
             'application': {'hermod': {'allowedClients': [{'clientId': 'prime', 'key': 'k2', 'callbackBasicAuth': 'cb:pw1'}]}}}
    masked = mask_paths(after, RELAXED_PATHS, compare_to=RELAXED[1], relaxed_binding=True)
    assert masked['spring']['datasource']['password'] == '********'
    assert masked['application']['hermod']['allowedClients'][0] == {
        'clientId': 'prime', 'key': '******** (changed)', 'callbackBasicAuth': '********'}


def test_a_list_mark_only_ends_what_a_dotted_key_spells():
    # allowedClients[] cannot be in the middle of a dotted key: hermod.allowedClients.key is no list element.
    data = {'application': {'hermod.allowed-clients.key': 'k1'}}
    assert mask_paths(data, RELAXED_PATHS, relaxed_binding=True) == data
