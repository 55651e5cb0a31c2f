# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's view of the host's own instances: where each side runs, and how its JVM trusts."""

from __future__ import annotations

import base64

from ansible_collections.prime_hermod.stack.plugins.filter.verify import (
    FilterModule, verify_jvm_settings, verify_local_instances,
)

SIDES = [{'side': 'PRIME', 'instance': 'prime', 'catalina_base': '', 'service': ''},
         {'side': 'Hermod', 'instance': 'hermod', 'catalina_base': '', 'service': ''}]
ROOT, PREFIX = '/var/lib/tomcat-instances', 'tomcat-'


def b64(text):
    return base64.b64encode(text.encode()).decode()


def test_registered():
    filters = FilterModule().filters()
    assert filters['verify_local_instances'] is verify_local_instances
    assert filters['verify_jvm_settings'] is verify_jvm_settings


def test_given_settings_win_over_facts_entries_and_defaults():
    sides = [dict(SIDES[0], catalina_base='/srv/prime', service='prime.service')]
    info = {'prime': {'catalina_base': '/facts/prime', 'service': 'facts.service'}}
    [found] = verify_local_instances(sides, info, [{'name': 'prime', 'catalina_base': '/inventory/prime'}], ROOT, PREFIX)
    assert found == {'side': 'PRIME', 'instance': 'prime', 'catalina_base': '/srv/prime', 'service': 'prime.service'}


def test_facts_then_inventory_entry_then_role_defaults():
    info = {'prime': {'catalina_base': '/facts/prime', 'service': 'facts-prime.service'}}
    entries = [{'name': 'hermod', 'catalina_base': '/inventory/hermod'}, 'not an entry']
    prime, hermod = verify_local_instances(SIDES, info, entries, ROOT, PREFIX)
    assert (prime['catalina_base'], prime['service']) == ('/facts/prime', 'facts-prime.service')
    assert (hermod['catalina_base'], hermod['service']) == ('/inventory/hermod', 'tomcat-hermod.service')
    [bare] = verify_local_instances(SIDES[:1], {}, [], ROOT, PREFIX)
    assert (bare['catalina_base'], bare['service']) == ('/var/lib/tomcat-instances/prime', 'tomcat-prime.service')


def test_jvm_settings_from_the_command_line_and_catalina_properties_as_java_reads_them():
    instances = verify_local_instances(SIDES, {}, [], ROOT, PREFIX)
    argv = '\x00'.join(['/usr/lib/jvm/java-17/bin/java', '-Xmx512m', '-Djavax.net.ssl.trustStore=/srv/t.p12',
                        '-Djdk.tls.client.protocols=TLSv1.3', '-Dcatalina.base=/srv', '-Dhttps.proxyHost=proxy']) + '\x00'
    properties = ('common.loader=x\n'
                  'javax.net.ssl.trustStorePassword = sec\\\n    ret\n'
                  'jdk.tls.namedGroups : x25519\n'
                  '# javax.net.ssl.trustStoreType=JKS\n')
    settings = verify_jvm_settings(
        instances,
        [{'stdout': '4242\n'}, {'stdout': '0'}],
        [{'content': b64(argv)}, {'skipped': True}],
        [{'content': b64(properties)}, {'failed': False, 'msg': 'file not found'}])
    assert settings['PRIME'] == {
        'running': True,
        'java': '/usr/lib/jvm/java-17/bin/java',
        'properties': ['javax.net.ssl.trustStore=/srv/t.p12', 'jdk.tls.client.protocols=TLSv1.3',
                       'https.proxyHost=proxy', 'javax.net.ssl.trustStorePassword=secret', 'jdk.tls.namedGroups=x25519'],
    }
    assert settings['Hermod'] == {'running': False, 'java': '', 'properties': []}
