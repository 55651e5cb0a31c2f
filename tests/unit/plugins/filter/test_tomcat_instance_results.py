# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tomcat role's filters over its looped task results: published info, changed instances, certificates."""

from __future__ import annotations

import base64

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.tomcat import (
    FilterModule, tomcat_changed_instances, tomcat_instances, tomcat_instances_info, tomcat_password_files,
    tomcat_server_certificates,
)
from ansible_collections.prime_hermod.stack.tests.unit.plugins.filter.test_tomcat_instances import settings

CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----'


def instances():
    return tomcat_instances([
        {'name': 'hermod', 'ports': {'https': 28443, 'http': 28080}},
        {'name': 'prime', 'ports': {'https': 18443}, 'truststore': {'mode': 'jvm_cacerts'},
         'java_home': '/opt/jdk21'},
        {'name': 'plain', 'ports': {'https': 38443}, 'truststore': {'mode': 'none', 'type': 'jks'}},
    ], settings())


def looped(loop_var, items, changed=()):
    return {'changed': bool(changed), 'results': [
        {'changed': position in changed, loop_var: item, 'ansible_loop_var': loop_var}
        for position, item in enumerate(items)]}


def test_registered():
    filters = FilterModule().filters()
    assert filters['tomcat_instances_info'] is tomcat_instances_info
    assert filters['tomcat_changed_instances'] is tomcat_changed_instances
    assert filters['tomcat_server_certificates'] is tomcat_server_certificates
    assert filters['tomcat_password_files'] is tomcat_password_files


def test_info_follows_a_linked_cacerts_and_leaves_it_out_without_a_truststore():
    linked = {'stat': {'exists': True, 'islnk': True, 'lnk_source': '/etc/ssl/certs/java/cacerts'}}
    plain_file = {'stat': {'exists': True, 'islnk': False}}
    skipped = {'skipped': True, 'changed': False}
    info = tomcat_instances_info(instances(), [linked, plain_file, skipped])
    assert info['hermod'] == {
        'catalina_home': '/usr/share/tomcat10',
        'catalina_base': '/var/lib/tomcat-instances/hermod',
        'java_home': '/usr/lib/jvm/java-17-openjdk-amd64',
        'java_cacerts': '/etc/ssl/certs/java/cacerts',
        'service': 'tomcat-hermod.service',
        'user': 'tomcat-hermod',
        'group': 'tomcat-hermod',
        'https_port': 28443,
        'http_port': 28080,
        'address': '',
        'webapps': '/var/lib/tomcat-instances/hermod/webapps',
        'truststore': {'mode': 'dedicated', 'path': '/var/lib/tomcat-instances/hermod/conf/truststore.p12',
                       'type': 'pkcs12', 'password_file': '/var/lib/tomcat-instances/hermod/conf/truststore.pass'},
    }
    assert info['prime']['java_cacerts'] == '/opt/jdk21/lib/security/cacerts'
    assert info['prime']['truststore'] == {'mode': 'jvm_cacerts', 'path': '/opt/jdk21/lib/security/cacerts',
                                           'type': '', 'password_file': ''}
    assert info['plain']['java_cacerts'] == ''
    assert info['plain']['truststore'] == {'mode': 'none', 'path': '', 'type': '', 'password_file': ''}


def test_info_in_check_mode_on_a_new_host_names_the_unlinked_path():
    missing = {'stat': {'exists': False}}
    info = tomcat_instances_info(instances(), [missing, missing, missing])
    assert info['hermod']['java_cacerts'] == '/usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts'


def test_info_refuses_results_that_do_not_match_the_instances():
    with pytest.raises(AnsibleFilterError, match='2 cacerts stats for 3 instances'):
        tomcat_instances_info(instances(), [{}, {}])


def test_changed_instances_in_instance_order_from_single_and_paired_loops():
    found = instances()
    users = looped('tomcat__instance', found, changed=())
    templates = looped('tomcat__file', [[instance, {'dest': name}] for instance in found for name in ('a', 'b')],
                       changed=(5,))
    dirs = looped('tomcat__dir', [(instance, {'path': ''}) for instance in found], changed=(0,))
    skipped_task = {'changed': False, 'skipped': True}
    assert tomcat_changed_instances(found, [users, templates, dirs, skipped_task]) == ['hermod', 'plain']


def test_no_change_names_no_instance():
    found = instances()
    assert tomcat_changed_instances(found, [looped('tomcat__instance', found)]) == []


def test_a_loop_over_something_else_is_an_error():
    found = instances()
    with pytest.raises(AnsibleFilterError, match='item is not an instance'):
        tomcat_changed_instances(found, [looped('item', ['/etc'], changed=(0,))])


def test_server_certificates_take_the_first_block_and_skip_files_not_there():
    found = instances()
    text = 'subject=CN=hermod\n' + CERT + '\n' + CERT.replace('MIIB', 'MIIC') + '\n'
    results = [
        {'content': base64.b64encode(text.encode()).decode(), 'tomcat__instance': found[0],
         'ansible_loop_var': 'tomcat__instance'},
        {'failed': False, 'msg': 'file not found', 'tomcat__instance': found[1], 'ansible_loop_var': 'tomcat__instance'},
    ]
    assert tomcat_server_certificates(results) == {'hermod': CERT}


def test_password_files_name_each_keystore_and_only_dedicated_truststores():
    listed = instances()
    files = tomcat_password_files(listed)
    bases = dict((instance['name'], instance['catalina_base']) for instance in listed)
    groups = dict((instance['name'], instance['group']) for instance in listed)
    assert [entry['path'] for entry in files] == [
        bases['hermod'] + '/conf/tls/keystore.pass', bases['hermod'] + '/conf/truststore.pass',
        bases['prime'] + '/conf/tls/keystore.pass', bases['plain'] + '/conf/tls/keystore.pass']
    assert [entry['group'] for entry in files] == [groups['hermod'], groups['hermod'], groups['prime'], groups['plain']]
    assert all(entry['owner'] == 'root' and entry['mode'] == '0640' for entry in files)
    info = tomcat_instances_info(listed, [{'stat': {'exists': False}}] * 3)
    assert info['hermod']['truststore']['password_file'] == files[1]['path']
