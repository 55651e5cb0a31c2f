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
