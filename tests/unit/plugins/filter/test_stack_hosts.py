# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.stack import FilterModule, stack_hosts

GROUPS = {'all': ['sql1', 'vsc1', 'vsc2', 'cms1'], 'ungrouped': [], 'idp_sql': ['sql1'],
          'vsc_backend': ['vsc1', 'vsc2'], 'cms_frontend': ['cms1'], 'empty': []}
OWN = {'hermod_database_group': 'idp_sql', 'trust_hermod_group': 'vsc_backend', 'trust_prime_group': 'cms_frontend'}
VERIFY = {'database': ['verify_database_group', 'hermod_database_group'],
          'hermod': ['verify_hermod_group', 'trust_hermod_group'],
          'prime': ['verify_prime_group', 'trust_prime_group']}


def test_the_filter_is_registered():
    assert FilterModule().filters() == {'stack_hosts': stack_hosts}


def test_the_operators_groups_are_read_from_the_variables():
    found = stack_hosts(GROUPS, OWN, ['hermod', 'prime'], 'site')
    assert found['groups'] == {'database': 'idp_sql', 'hermod': 'vsc_backend', 'prime': 'cms_frontend'}
    assert found['hosts'] == [{'host': 'sql1', 'group': 'prime_hermod_stack_database'},
                              {'host': 'vsc1', 'group': 'prime_hermod_stack_hermod'},
                              {'host': 'vsc2', 'group': 'prime_hermod_stack_hermod'},
                              {'host': 'cms1', 'group': 'prime_hermod_stack_prime'}]
    assert found['problems'] == []


def test_without_variables_the_default_groups_are_used():
    groups = {'all': ['h', 'p'], 'hermod': ['h'], 'prime': ['p']}
    found = stack_hosts(groups, {}, ['hermod', 'prime'], 'site')
    assert found['groups'] == {'database': 'hermod_database', 'hermod': 'hermod', 'prime': 'prime'}
    assert found['problems'] == []
    assert [entry['host'] for entry in found['hosts']] == ['h', 'p']


def test_a_needed_part_without_a_host_names_the_playbook_and_the_variables():
    found = stack_hosts(GROUPS, {}, ['hermod', 'prime'], 'prime_hermod.stack.verify', VERIFY)
    assert found['hosts'] == []
    assert found['problems'] == [
        "prime_hermod.stack.verify found no Hermod host: group 'hermod' is not in the inventory. Set "
        "verify_hermod_group or trust_hermod_group to the inventory group of the Hermod hosts, in the inventory's "
        "all group (group_vars/all) or as an extra variable (-e trust_hermod_group=<group>)",
        "prime_hermod.stack.verify found no PRIME Explorer host: group 'prime' is not in the inventory. Set "
        "verify_prime_group or trust_prime_group to the inventory group of the PRIME Explorer hosts, in the "
        "inventory's all group (group_vars/all) or as an extra variable (-e trust_prime_group=<group>)"]


def test_an_empty_group_is_told_apart_from_a_missing_one():
    found = stack_hosts(GROUPS, {'trust_hermod_group': 'empty'}, ['hermod'], 'trust', {'hermod': ['trust_hermod_group']})
    assert found['problems'] == [
        "trust found no Hermod host: group 'empty' has no host. Set trust_hermod_group to the inventory group of "
        "the Hermod hosts, in the inventory's all group (group_vars/all) or as an extra variable "
        "(-e trust_hermod_group=<group>)"]


def test_a_part_not_needed_may_have_no_host():
    found = stack_hosts(GROUPS, dict(OWN, hermod_database_group='empty'), ['hermod', 'prime'], 'site')
    assert found['problems'] == []
    assert 'sql1' not in [entry['host'] for entry in found['hosts']]


def test_the_first_variable_set_wins_and_an_empty_one_is_not_set():
    values = dict(OWN, verify_hermod_group='', verify_prime_group='vsc_backend')
    found = stack_hosts(GROUPS, values, [], 'verify', VERIFY)
    assert found['groups'] == {'database': 'idp_sql', 'hermod': 'vsc_backend', 'prime': 'vsc_backend'}


def test_only_the_parts_listed_are_resolved():
    found = stack_hosts(GROUPS, OWN, ['prime'], 'prime', {'prime': ['trust_prime_group']})
    assert found == {'groups': {'prime': 'cms_frontend'}, 'hosts': [{'host': 'cms1', 'group': 'prime_hermod_stack_prime'}],
                     'problems': []}


@pytest.mark.parametrize('values, variables, message', [
    ({'trust_hermod_group': ['vsc_backend']}, None, "trust_hermod_group must be the name of an inventory group, not ['vsc_backend']"),
    ({}, {'tomcat': ['tomcat_group']}, "unknown part 'tomcat'; the parts are database, hermod, prime"),
])
def test_bad_input_names_the_variable(values, variables, message):
    with pytest.raises(AnsibleFilterError, match='^stack_hosts: ' + message.replace('[', r'\[').replace(']', r'\]') + '$'):
        stack_hosts(GROUPS, values, [], 'site', variables)
