# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""trust_peer_certificates and trust_stores: what each instance trusts, and the stores it goes into."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.trust import (
    FilterModule,
    trust_peer_certificates,
    trust_stores,
    trust_unreached_peers,
)

PRIME_SIDE = {'side': 'PRIME', 'instance': 'prime', 'peer_side': 'Hermod', 'peer_group': 'hermod',
              'peer_var': 'trust_hermod_instance', 'peer_default': 'hermod'}
HERMOD_SIDE = {'side': 'Hermod', 'instance': 'hermod', 'peer_side': 'PRIME', 'peer_group': 'prime',
               'peer_var': 'trust_prime_instance', 'peer_default': 'prime'}
GROUPS = {'hermod': ['h1', 'H2'], 'prime': ['p1']}
HOSTVARS = {
    'h1': {'tomcat_instance_certificates': {'hermod': 'PEM-h1'}},
    # A host variable names the peer's instance on that host; its certificate is not known yet.
    'H2': {'trust_hermod_instance': 'hermod2', 'tomcat_instance_certificates': {'hermod': 'other'}},
    'p1': {'tomcat_instance_certificates': {'prime': 'PEM-p1'}},
}


def info(mode='dedicated', java_home='/usr/lib/jvm/java-17', path='/srv/{0}/conf/truststore.p12'):
    return {name: {'java_home': java_home, 'truststore': {'mode': mode, 'path': path.format(name),
                                                          'password_file': '/srv/%s/conf/truststore.pass' % name}}
            for name in ('prime', 'hermod')}


def test_registered():
    assert FilterModule().filters() == {'trust_peer_certificates': trust_peer_certificates, 'trust_stores': trust_stores,
                                        'trust_unreached_peers': trust_unreached_peers}


def test_each_side_trusts_every_peer_of_the_other_group():
    plan = trust_peer_certificates([PRIME_SIDE, HERMOD_SIDE], 'dedicated', GROUPS, HOSTVARS, alias_prefix='PHS-')
    assert plan == [
        {'instance': 'prime', 'side': 'PRIME', 'mode': 'dedicated', 'certificates': [
            {'alias': 'phs-h1-hermod', 'pem': 'PEM-h1', 'source': 'Hermod instance hermod on h1'},
            {'alias': 'phs-h2-hermod2', 'pem': '', 'source': 'Hermod instance hermod2 on H2'}]},
        {'instance': 'hermod', 'side': 'Hermod', 'mode': 'dedicated', 'certificates': [
            {'alias': 'phs-p1-prime', 'pem': 'PEM-p1', 'source': 'PRIME instance prime on p1'}]},
    ]


def test_a_peer_not_in_the_inventory_or_without_facts_is_only_planned():
    plan = trust_peer_certificates([HERMOD_SIDE], 'dedicated', {'prime': ['gone']}, {})
    assert plan[0]['certificates'] == [{'alias': 'gone-prime', 'pem': '', 'source': 'PRIME instance prime on gone'}]
    assert trust_peer_certificates([HERMOD_SIDE], 'dedicated', {}, HOSTVARS)[0]['certificates'] == []


def test_ca_mode_trusts_the_ca_certificates_only():
    plan = trust_peer_certificates([PRIME_SIDE], 'ca', GROUPS, HOSTVARS, [{'alias': 'Corp-CA', 'pem': 'CA'}])
    assert plan[0]['certificates'] == [{'alias': 'corp-ca', 'pem': 'CA', 'source': 'CA certificate Corp-CA'}]


def test_dedicated_stores_are_one_per_instance_and_planned_certificates_stay_out():
    plan = trust_peer_certificates([PRIME_SIDE, HERMOD_SIDE], 'dedicated', GROUPS, HOSTVARS)
    stores = trust_stores(plan, info(), [], 'dedicated')
    assert stores == [
        {'path': '/srv/prime/conf/truststore.p12', 'kind': 'dedicated truststore',
         'password_file': '/srv/prime/conf/truststore.pass', 'java_home': '/usr/lib/jvm/java-17', 'instances': ['prime'],
         'certificates': [{'alias': 'h1-hermod', 'pem': 'PEM-h1', 'source': 'Hermod instance hermod on h1'}]},
        {'path': '/srv/hermod/conf/truststore.p12', 'kind': 'dedicated truststore',
         'password_file': '/srv/hermod/conf/truststore.pass', 'java_home': '/usr/lib/jvm/java-17', 'instances': ['hermod'],
         'certificates': [{'alias': 'p1-prime', 'pem': 'PEM-p1', 'source': 'PRIME instance prime on p1'}]},
    ]


@pytest.mark.parametrize('mode, truststore_mode', [('jvm_cacerts', 'none'), ('jvm_cacerts', 'dedicated'), ('ca', 'none')])
def test_instances_on_one_jvm_share_its_cacerts_behind_the_link(mode, truststore_mode):
    plan = [{'instance': 'prime', 'side': 'PRIME', 'certificates': [{'alias': 'a', 'pem': 'A', 'source': 's'}]},
            {'instance': 'hermod', 'side': 'Hermod',
             'certificates': [{'alias': 'a', 'pem': 'A', 'source': 's'}, {'alias': 'b', 'pem': 'B', 'source': 't'}]}]
    stats = [{'trust__java_home': '/usr/lib/jvm/java-17',
              'stat': {'exists': True, 'islnk': True, 'lnk_source': '/etc/ssl/certs/java/cacerts'}}]
    [store] = trust_stores(plan, info(truststore_mode), stats, mode)
    assert store['path'] == '/etc/ssl/certs/java/cacerts' and store['kind'] == 'JVM cacerts'
    assert store['password_file'] == '' and store['instances'] == ['prime', 'hermod']
    # An alias goes in once per store.
    assert [certificate['alias'] for certificate in store['certificates']] == ['a', 'b']


def test_each_side_of_one_host_in_its_own_mode():
    # PRIME on a JDK of its own trusts Hermod through that JDK's cacerts;
    # Hermod beside it keeps its dedicated truststore.
    sides = [dict(PRIME_SIDE, mode='jvm_cacerts'), dict(HERMOD_SIDE, mode='')]
    plan = trust_peer_certificates(sides, 'dedicated', {'hermod': ['h1'], 'prime': ['p1']}, HOSTVARS)
    assert [item['mode'] for item in plan] == ['jvm_cacerts', 'dedicated']
    instances = info()
    instances['prime'] = {'java_home': '/opt/java/jdk-21',
                          'truststore': {'mode': 'jvm_cacerts', 'path': '', 'password_file': ''}}
    stats = [{'trust__java_home': '/opt/java/jdk-21', 'stat': {'exists': True, 'islnk': False}},
             {'trust__java_home': '/usr/lib/jvm/java-17', 'stat': {'exists': True, 'islnk': True,
                                                                   'lnk_source': '/etc/ssl/certs/java/cacerts'}}]
    stores = trust_stores(plan, instances, stats, 'dedicated')
    assert [(store['path'], store['kind'], store['instances']) for store in stores] == [
        ('/opt/java/jdk-21/lib/security/cacerts', 'JVM cacerts', ['prime']),
        ('/srv/hermod/conf/truststore.p12', 'dedicated truststore', ['hermod'])]
    assert [c['alias'] for c in stores[0]['certificates']] == ['h1-hermod']
    assert [c['alias'] for c in stores[1]['certificates']] == ['p1-prime']


def test_a_side_in_ca_mode_trusts_the_ca_certificates_while_the_other_trusts_its_peers():
    plan = trust_peer_certificates([dict(PRIME_SIDE, mode='ca'), HERMOD_SIDE], 'dedicated', GROUPS, HOSTVARS,
                                   [{'alias': 'Corp-CA', 'pem': 'CA'}])
    assert [[c['alias'] for c in item['certificates']] for item in plan] == [['corp-ca'], ['p1-prime']]


def test_a_cacerts_that_is_no_link_is_used_where_it_is():
    stats = [{'trust__java_home': '/opt/jdk', 'stat': {'exists': True, 'islnk': False}}]
    plan = [{'instance': 'prime', 'side': 'PRIME', 'certificates': []}]
    assert trust_stores(plan, info('none', '/opt/jdk'), stats, 'jvm_cacerts')[0]['path'] == '/opt/jdk/lib/security/cacerts'


def test_an_instance_the_tomcat_role_did_not_report_is_named():
    with pytest.raises(AnsibleFilterError, match="no 'kiosk' in what the tomcat role reported"):
        trust_stores([{'instance': 'kiosk', 'side': 'PRIME', 'certificates': []}], info(), [], 'dedicated')


def test_a_peer_the_run_leaves_out_is_trusted_with_the_certificate_saved_on_it():
    hostvars = {
        'h1': {'tomcat_instance_certificates': {'hermod': 'PEM-h1'}},
        # --limit left H2 out: the trust role read its saved local facts.
        'H2': {'trust_hermod_instance': 'hermod2',
               'ansible_local': {'prime_hermod_stack_tomcat': {'certificates': {'hermod2': 'PEM-h2-saved'}}}},
    }
    plan = trust_peer_certificates([PRIME_SIDE], 'dedicated', GROUPS, hostvars)
    found = [(c['alias'], c['pem']) for c in plan[0]['certificates']]
    assert found == [('h1-hermod', 'PEM-h1'), ('h2-hermod2', 'PEM-h2-saved')]


def test_this_runs_certificate_wins_over_the_saved_one():
    hostvars = {'h1': {'tomcat_instance_certificates': {'hermod': 'PEM-new'},
                       'ansible_local': {'prime_hermod_stack_tomcat': {'certificates': {'hermod': 'PEM-old'}}}},
                'H2': {'tomcat_instance_certificates': {'hermod': 'x'}}}
    plan = trust_peer_certificates([PRIME_SIDE], 'dedicated', GROUPS, hostvars)
    assert plan[0]['certificates'][0]['pem'] == 'PEM-new'


def test_the_unreached_peers_are_those_with_no_certificate_known_or_saved():
    hostvars = {
        'h1': {'tomcat_instance_certificates': {'hermod': 'PEM-h1'}},
        'H2': {'ansible_local': {}},
        'p1': {'ansible_local': {'prime_hermod_stack_tomcat': {'certificates': {'prime': 'PEM-p1'}}}},
        'p2': {},
    }
    groups = {'hermod': ['h1', 'H2'], 'prime': ['p1', 'p2', 'H2']}
    assert trust_unreached_peers(['prime', 'hermod'], groups, hostvars) == ['p2', 'H2']
    assert trust_unreached_peers(['prime', 'hermod'], GROUPS, HOSTVARS) == []
    assert trust_unreached_peers(['nothing'], groups, hostvars) == []
