# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tomcat_instances: defaults filled in, and every bad input named by variable and list index."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.tomcat import FilterModule, tomcat_instances
from ansible_collections.prime_hermod.stack.plugins.filter.tomcat import tomcat_host_requirements
from ansible_collections.prime_hermod.stack.plugins.filter.tomcat import tomcat_package_password_file_error
from ansible_collections.prime_hermod.stack.plugins.module_utils.tomcat_instances import reads_password_file

SETTINGS = {
    'install_method': 'package',
    'java_home': '',
    'java_distribution_home': '/usr/lib/jvm/java-17-openjdk-amd64',
    'archive_install_root': '/opt/tomcat',
    'package_catalina_home': '/usr/share/tomcat10',
    'package_conf_source': '/usr/share/tomcat10/etc',
    'instances_root': '/var/lib/tomcat-instances',
    'service_prefix': 'tomcat-',
    'disable_shutdown_port': True,
    'heap_initial': '256m',
    'heap_max': '512m',
    'java_opts': ['-Dglobal=1'],
    'environment': {'TZ': 'UTC', 'LANG': 'C.UTF-8'},
    'self_signed_days': 825,
    'truststore_mode': 'dedicated',
    'truststore_type': 'pkcs12',
    'hostname': 'host1',
    'archive_versions': ['10.1.34', '9.0.98'],
    'keystore_password_file': True,
    'package_names': ['tomcat10'],
    'package_default_service': 'tomcat10',
    'mask_default_service': True,
    'java_packages': ['openjdk-17-jre-headless'],
    'release': 'Debian 12',
}


def settings(**changes):
    return dict(SETTINGS, **changes)


def error_of(instances, **changes):
    with pytest.raises(AnsibleFilterError) as caught:
        tomcat_instances(instances, settings(**changes))
    return str(caught.value)


def test_registered():
    assert FilterModule().filters()['tomcat_instances'] is tomcat_instances


def test_defaults_of_a_minimal_instance():
    [instance] = tomcat_instances([{'name': 'hermod', 'ports': {'https': '28443'}}], settings())
    assert instance == {
        'index': 0,
        'name': 'hermod',
        'version': '',
        'java_home': '/usr/lib/jvm/java-17-openjdk-amd64',
        'java_from_distribution': True,
        'java_home_from': 'tomcat_java_distribution_home',
        'variable': 'tomcat_instances[0]',
        'source': 'tomcat_instances',
        'position': 0,
        'catalina_home': '/usr/share/tomcat10',
        'conf_source': '/usr/share/tomcat10/etc',
        'catalina_base': '/var/lib/tomcat-instances/hermod',
        'user': 'tomcat-hermod',
        'group': 'tomcat-hermod',
        'service': 'tomcat-hermod',
        'address': '',
        'https_port': 28443,
        'http_port': None,
        'http_redirect': True,
        'shutdown_port': -1,
        'heap_initial': '256m',
        'heap_max': '512m',
        'java_opts': ['-Dglobal=1'],
        'environment': {'TZ': 'UTC', 'LANG': 'C.UTF-8'},
        'https': {'certificate': '', 'key': '', 'chain': '', 'self_signed': True, 'dns': ['host1'], 'ips': [],
                  'days': 825, 'keystore_password_file': True,
                  'password_file': '/var/lib/tomcat-instances/hermod/conf/tls/keystore.pass'},
        'truststore': {'mode': 'dedicated', 'type': 'pkcs12', 'path': '/var/lib/tomcat-instances/hermod/conf/truststore.p12',
                       'exclusive': False, 'password_file': '/var/lib/tomcat-instances/hermod/conf/truststore.pass'},
    }


def test_every_setting_of_an_instance_wins_over_the_role_default():
    raw = {
        'name': 'prime', 'version': '9.0.98', 'java_home': '/opt/jdk', 'catalina_base': '/srv/prime', 'user': 'p',
        'group': 'pg', 'address': '10.0.0.1', 'ports': {'https': 18443, 'http': 18080, 'shutdown': 18005},
        'http_redirect': 'false', 'heap_initial': '1g', 'heap_max': '2g', 'java_opts': ['-Dlocal=1'],
        'environment': {'TZ': 'Europe/Oslo'},
        'https': {'certificate': '/c.pem', 'key': '/k.pem', 'chain': '/ch.pem'},
        'truststore': {'mode': 'jvm_cacerts', 'type': 'jks', 'exclusive': 'yes',
                       'certificates': [{'alias': 'a', 'pem': 'x'}]},
    }
    [instance] = tomcat_instances([raw], settings(install_method='archive', disable_shutdown_port=False))
    assert instance['catalina_home'] == '/opt/tomcat/apache-tomcat-9.0.98'
    assert instance['conf_source'] == '/opt/tomcat/apache-tomcat-9.0.98/conf'
    assert instance['java_home'] == '/opt/jdk' and instance['java_from_distribution'] is False
    assert (instance['catalina_base'], instance['user'], instance['group']) == ('/srv/prime', 'p', 'pg')
    assert (instance['https_port'], instance['http_port'], instance['shutdown_port']) == (18443, 18080, 18005)
    assert instance['http_redirect'] is False
    assert instance['java_opts'] == ['-Dglobal=1', '-Dlocal=1']
    assert instance['environment'] == {'TZ': 'Europe/Oslo', 'LANG': 'C.UTF-8'}
    assert instance['https']['self_signed'] is False and instance['https']['chain'] == '/ch.pem'
    assert instance['truststore'] == {'mode': 'jvm_cacerts', 'type': 'jks', 'path': '/srv/prime/conf/truststore.jks',
                                      'exclusive': True, 'password_file': ''}
    assert instance['https']['password_file'] == '/srv/prime/conf/tls/keystore.pass'
    # The certificates may name facts of instances not configured yet: they stay out of the result.
    assert 'certificates' not in instance['truststore']


def test_shutdown_port_is_off_while_the_role_disables_it():
    [instance] = tomcat_instances([{'name': 'a', 'ports': {'https': 8443, 'shutdown': 8005}}], settings())
    assert instance['shutdown_port'] == -1


def test_a_string_false_is_false():
    # Role argument validation checks a value without converting the variable itself.
    [instance] = tomcat_instances([{'name': 'a', 'ports': {'https': 8443}, 'http_redirect': 'False'}],
                                  settings(disable_shutdown_port='false'))
    assert instance['http_redirect'] is False


def test_index_follows_the_input():
    result = tomcat_instances([{'name': 'a', 'ports': {'https': 1}}, {'name': 'b', 'ports': {'https': 2}}], settings())
    assert [(i['index'], i['name']) for i in result] == [(0, 'a'), (1, 'b')]


@pytest.mark.parametrize('instances, expected', [
    ('hermod', 'tomcat_instances must be a list of dicts'),
    ([{'name': 'a', 'ports': {'https': 1}}, 'b'], 'tomcat_instances[1] must be a dict'),
    ([{'ports': {'https': 1}}], "tomcat_instances[0].name '' must be 1 to 41 characters"),
    ([{'name': 'Hermod', 'ports': {'https': 1}}], "tomcat_instances[0].name 'Hermod' must be"),
    ([{'name': 'a' * 42, 'ports': {'https': 1}}], 'tomcat_instances[0].name'),
    ([{'name': 'a'}], 'tomcat_instances[0].ports.https is required (a)'),
    ([{'name': 'a', 'ports': 8443}], 'tomcat_instances[0].ports must be a dict'),
    ([{'name': 'a', 'ports': {'https': 70000}}], 'tomcat_instances[0].ports.https must be a port number from 1 to 65535'),
    ([{'name': 'a', 'ports': {'https': 0}}], 'tomcat_instances[0].ports.https must be a port number'),
    ([{'name': 'a', 'ports': {'https': 'x'}}], "tomcat_instances[0].ports.https must be a port number from 1 to 65535, not 'x'"),
    ([{'name': 'a', 'ports': {'https': True}}], 'tomcat_instances[0].ports.https must be a port number'),
    ([{'name': 'a', 'ports': {'https': 1}}, {'name': 'b', 'ports': {'https': 2, 'http': -1}}],
     'tomcat_instances[1].ports.http must be a port number'),
    ([{'name': 'a', 'ports': {'https': 1}, 'http_redirect': 'maybe'}], 'tomcat_instances[0].http_redirect must be true or false'),
    ([{'name': 'a', 'ports': {'https': 1}, 'truststore': {'mode': 'shared'}}],
     "tomcat_instances[0].truststore.mode 'shared' (a) must be one of none, jvm_cacerts, dedicated"),
    ([{'name': 'a', 'ports': {'https': 1}, 'truststore': {'type': 'jceks'}}],
     "tomcat_instances[0].truststore.type 'jceks' (a) must be pkcs12 or jks"),
    ([{'name': 'a', 'ports': {'https': 1}, 'truststore': {'certificates': 'x'}}],
     'tomcat_instances[0].truststore.certificates (a) must be a list'),
    ([{'name': 'a', 'ports': {'https': 1}, 'truststore': {'certificates': [{'alias': 'x', 'pem': 'p'}, {'pem': 'p'}]}}],
     'tomcat_instances[0].truststore.certificates[1] (a) needs an alias'),
    ([{'name': 'a', 'ports': {'https': 1}, 'truststore': {'certificates': [{'alias': 'x'}]}}],
     'tomcat_instances[0].truststore.certificates[0] (a) needs a pem or a path'),
    ([{'name': 'a', 'ports': {'https': 1}}, {'name': 'a', 'ports': {'https': 2}}],
     'tomcat_instances: the instance name(s) a appear more than once'),
    ([{'name': 'a', 'ports': {'https': 8443}}, {'name': 'b', 'ports': {'https': 9443, 'http': 8443}}],
     'tomcat_instances: port(s) 8443 used more than once'),
    ([{'name': 'a', 'ports': {'https': 1}, 'catalina_base': '/srv/x'},
      {'name': 'b', 'ports': {'https': 2}, 'catalina_base': '/srv/x'}],
     'tomcat_instances: CATALINA_BASE /srv/x used by more than one instance'),
])
def test_bad_input_is_named(instances, expected):
    assert expected in error_of(instances)


def test_archive_version_must_be_listed():
    message = error_of([{'name': 'a', 'version': '10.1.1', 'ports': {'https': 1}}], install_method='archive')
    assert message == "tomcat_instances[0].version '10.1.1' (a) is not a version listed in tomcat_archives"


def test_two_shutdown_ports_clash_only_when_enabled():
    instances = [{'name': 'a', 'ports': {'https': 1, 'shutdown': 8005}}, {'name': 'b', 'ports': {'https': 2, 'shutdown': 8005}}]
    assert len(tomcat_instances(instances, settings())) == 2
    assert 'port(s) 8005' in error_of(instances, disable_shutdown_port=False)


def test_missing_role_setting_is_a_role_error():
    with pytest.raises(AnsibleFilterError, match='the role passed no hostname'):
        tomcat_instances([], {k: v for k, v in SETTINGS.items() if k != 'hostname'})


@pytest.mark.parametrize('version, reads', [
    ('9.0.94', False), ('9.0.95', True), ('9.0.108', True), ('10.1.27', False), ('10.1.28', True), ('10.1.34', True),
    ('11.0.0', True), ('11.0.10', True), ('12.0.1', True), ('8.5.100', False), ('10.0.27', False), ('7.0.109', False),
    ('9.0.100-SNAPSHOT', True), ('latest', None), ('', None),
])
def test_which_tomcat_versions_read_the_keystore_password_from_a_file(version, reads):
    assert reads_password_file(version) is reads


def test_an_archive_too_old_for_the_password_file_is_refused_unless_the_instance_writes_it_into_server_xml():
    old = [{'name': 'hermod', 'ports': {'https': 28443}, 'version': '10.1.34'},
           {'name': 'prime', 'ports': {'https': 18443}, 'version': '9.0.90'}]
    message = error_of(old, install_method='archive', archive_versions=['10.1.34', '9.0.90'])
    assert message.startswith("tomcat_instances[1].version '9.0.90' (prime): Tomcat reads the keystore password from a "
                              "file only from 9.0.95, 10.1.28 and 11 on; set tomcat_instances[1].https.keystore_password_file "
                              "(or tomcat_keystore_password_file) to false")
    old[1]['https'] = {'keystore_password_file': False}
    hermod, prime = tomcat_instances(old, settings(install_method='archive', archive_versions=['10.1.34', '9.0.90']))
    assert hermod['https']['keystore_password_file'] is True and prime['https']['keystore_password_file'] is False
    everyone = tomcat_instances(old[:1] + [dict(old[1], https={})],
                                settings(install_method='archive', archive_versions=['10.1.34', '9.0.90'],
                                         keystore_password_file='no'))
    assert [instance['https']['keystore_password_file'] for instance in everyone] == [False, False]


def test_the_package_method_leaves_the_version_to_the_distribution():
    [instance] = tomcat_instances([{'name': 'prime', 'ports': {'https': 18443}, 'version': '9.0.43'}], settings())
    assert instance['https']['keystore_password_file'] is True
    assert error_of([{'name': 'prime', 'ports': {'https': 18443}, 'https': {'keystore_password_file': 'maybe'}}]) == (
        "tomcat_instances[0].https.keystore_password_file must be true or false, not 'maybe'")


def test_a_release_without_package_names_and_paths_names_what_to_set():
    unknown = dict(package_names=[], package_catalina_home='', package_conf_source='', package_default_service='',
                   java_packages=[], java_distribution_home='', release='Ubuntu 24')
    message = error_of([{'name': 'app', 'ports': {'https': 8443}}], **unknown)
    assert message == ('the tomcat role knows no package names and paths for Ubuntu 24 (it knows Debian 11, 12 and 13): '
                       'set tomcat_package_names, tomcat_package_catalina_home, tomcat_package_conf_source, '
                       'tomcat_package_default_service, tomcat_java_packages, tomcat_java_distribution_home')
    assert error_of([{'name': 'app', 'ports': {'https': 8443}, 'java_home': '/opt/jdk'}],
                    **dict(unknown, mask_default_service='false')).endswith(
        'set tomcat_package_names, tomcat_package_catalina_home, tomcat_package_conf_source')
    [instance] = tomcat_instances([{'name': 'app', 'ports': {'https': 8443}, 'java_home': '/opt/jdk', 'version': '10.1.34'}],
                                  settings(install_method='archive', **unknown))
    assert instance['java_home'] == '/opt/jdk'


def test_a_distribution_tomcat_too_old_for_the_password_file_names_the_instances_that_use_one():
    instances = tomcat_instances([
        {'name': 'hermod', 'ports': {'https': 28443}},
        {'name': 'prime', 'ports': {'https': 18443}, 'https': {'keystore_password_file': False}},
        {'name': 'other', 'ports': {'https': 38443}},
    ], settings())
    assert tomcat_package_password_file_error(instances, '9.0.43-2~deb11u10') == (
        "the distribution's Tomcat is 9.0.43-2~deb11u10, which cannot read the keystore password from a file "
        '(that needs 9.0.95, 10.1.28 or 11): set https.keystore_password_file to false for tomcat_instances[0] '
        '(hermod), tomcat_instances[2] (other), or tomcat_keystore_password_file to false, to have it written into '
        'server.xml, or install a newer Tomcat')
    for version in ('9.0.118-0+deb11u1', '10.1.40-1~deb12u1', '1:10.1.60-1~deb13u1', '', 'unknown'):
        assert tomcat_package_password_file_error(instances, version) == '', version
    assert tomcat_package_password_file_error(instances[1:2], '9.0.43-2~deb11u10') == ''


def test_an_initial_heap_above_the_maximum_is_refused_naming_the_instance():
    assert error_of([{'name': 'app', 'ports': {'https': 8443}, 'heap_max': '192m'}]) == (
        'tomcat_instances[0].heap_initial 256m (app) is larger than its heap_max 192m, and the JVM would refuse to '
        'start; set tomcat_instances[0].heap_initial or tomcat_heap_initial')
    [instance] = tomcat_instances([{'name': 'app', 'ports': {'https': 8443}, 'heap_initial': '1g', 'heap_max': '1024M'}],
                                  settings())
    assert (instance['heap_initial'], instance['heap_max']) == ('1g', '1024M')
    # A size the role does not parse is left to the JVM.
    [instance] = tomcat_instances([{'name': 'app', 'ports': {'https': 8443}, 'heap_max': '50%'}], settings())
    assert instance['heap_max'] == '50%'


MIXED_JAVAS = [
    {'name': 'hermod', 'ports': {'https': 28443}},
    {'name': 'prime', 'ports': {'https': 18443}, 'java_home': '/opt/jdk11'},
    {'name': 'other', 'ports': {'https': 38443}},
    {'name': 'fourth', 'ports': {'https': 48443}, 'java_home': '/opt/jdk11'},
]


def test_the_host_requirements_name_each_java_once_with_its_variable_and_instances():
    instances = tomcat_instances(MIXED_JAVAS, settings())
    distribution = {'path': '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', 'executable': True,
                    'variable': 'tomcat_java_distribution_home (instance hermod, other)'}
    given = {'path': '/opt/jdk11/bin/java', 'executable': True,
             'variable': 'tomcat_instances[1].java_home or tomcat_instances[3].java_home (instance prime, fourth)'}
    tomcat = {'path': '/usr/share/tomcat10/lib/catalina.jar',
              'variable': 'tomcat_package_names and tomcat_package_catalina_home'}
    assert tomcat_host_requirements(instances, 'given', 'package') == [given]
    assert tomcat_host_requirements(instances, 'distribution_java', 'package') == [distribution]
    assert tomcat_host_requirements(instances, 'all', 'package') == [distribution, given, tomcat]


def test_the_host_requirements_of_archives_and_a_role_wide_java():
    instances = tomcat_instances([dict(instance, version='10.1.34') for instance in MIXED_JAVAS[:2]],
                                 settings(install_method='archive', java_home='/opt/temurin-17'))
    assert tomcat_host_requirements(instances, 'all', 'archive') == [
        {'path': '/opt/temurin-17/bin/java', 'executable': True, 'variable': 'tomcat_java_home (instance hermod)'},
        {'path': '/opt/jdk11/bin/java', 'executable': True, 'variable': 'tomcat_instances[1].java_home (instance prime)'},
    ]
    assert tomcat_host_requirements(instances, 'distribution_java', 'archive') == []
    with pytest.raises(AnsibleFilterError, match="which must be one of given, distribution_java, all, not 'some'"):
        tomcat_host_requirements(instances, 'some', 'archive')


def test_the_instances_of_every_part_of_a_host_are_combined_and_named_by_their_variable():
    hermod = [{'name': 'hermod', 'ports': {'https': 28443}}]
    prime = [{'name': 'prime', 'ports': {'https': 18443}, 'java_home': '/opt/jdk11'}]
    combined = tomcat_instances({'tomcat_instances_for_prime': prime, 'tomcat_instances': [],
                                 'tomcat_instances_for_hermod': hermod}, settings())
    assert [(i['index'], i['variable'], i['name']) for i in combined] == [
        (0, 'tomcat_instances_for_hermod[0]', 'hermod'), (1, 'tomcat_instances_for_prime[0]', 'prime')]
    assert tomcat_host_requirements(combined, 'given', 'package')[0]['variable'] == (
        'tomcat_instances_for_prime[0].java_home (instance prime)')
    own = tomcat_instances({'tomcat_instances_for_prime': prime, 'tomcat_instances': hermod}, settings())
    assert [i['variable'] for i in own] == ['tomcat_instances[0]', 'tomcat_instances_for_prime[0]']
    assert tomcat_instances({'tomcat_instances': hermod, 'tomcat_instances_for_x': None}, settings())[0]['name'] == 'hermod'


def test_two_parts_of_one_host_that_clash_are_named_both():
    hermod = {'name': 'hermod', 'ports': {'https': 28443}}
    assert error_of({'tomcat_instances_for_hermod': [hermod],
                     'tomcat_instances_for_prime': [{'name': 'prime', 'ports': {'https': 28443}}]}) == (
        'tomcat_instances: port(s) 28443 used more than once (https, http and shutdown ports of all instances must '
        'differ; tomcat_instances_for_hermod[0] (hermod), tomcat_instances_for_prime[0] (prime))')
    assert error_of({'tomcat_instances_for_hermod': [hermod],
                     'tomcat_instances_for_prime': [dict(hermod, ports={'https': 18443})]}) == (
        'tomcat_instances: the instance name(s) hermod appear more than once '
        '(tomcat_instances_for_hermod[0] (hermod), tomcat_instances_for_prime[0] (hermod))')
    assert error_of({'tomcat_instances_for_hermod': [dict(hermod, catalina_base='/srv/t')],
                     'tomcat_instances_for_prime': [{'name': 'prime', 'ports': {'https': 18443},
                                                     'catalina_base': '/srv/t'}]}) == (
        'tomcat_instances: CATALINA_BASE /srv/t used by more than one instance '
        '(tomcat_instances_for_hermod[0] (hermod), tomcat_instances_for_prime[0] (prime))')
    assert error_of({'tomcat_instances_for_prime': [{'name': 'prime', 'ports': {'https': 99999}}]}) == (
        'tomcat_instances_for_prime[0].ports.https must be a port number from 1 to 65535, not 99999')


def test_a_part_list_that_is_not_a_list_or_a_foreign_variable_is_named():
    assert error_of({'tomcat_instances_for_prime': {'name': 'prime'}}) == (
        "tomcat_instances_for_prime must be a list of dicts, each with a name, not {'name': 'prime'}")
    assert error_of({'tomcat_instances_root': []}) == (
        "tomcat_instances: 'tomcat_instances_root' is not tomcat_instances or tomcat_instances_for_<part>")


def test_each_instance_keeps_its_place_in_its_variable_whatever_its_certificates():
    certificates = [{'alias': 'one', 'pem': 'x'}, {'alias': 'two', 'pem': 'y'}]
    instances = tomcat_instances({'tomcat_instances': [
        {'name': 'a', 'ports': {'https': 9443}, 'truststore': {'certificates': certificates}},
        {'name': 'b', 'ports': {'https': 9444}, 'truststore': {'certificates': certificates[:1]}},
        {'name': 'c', 'ports': {'https': 9445}},
    ]}, settings())
    assert [(i['source'], i['position'], i['variable']) for i in instances] == [
        ('tomcat_instances', 0, 'tomcat_instances[0]'), ('tomcat_instances', 1, 'tomcat_instances[1]'),
        ('tomcat_instances', 2, 'tomcat_instances[2]')]
