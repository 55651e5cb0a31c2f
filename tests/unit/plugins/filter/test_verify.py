# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's checks: each probe result read into PASS, FAIL or SKIP with its fix."""

from __future__ import annotations

import json

import pytest

from ansible_collections.prime_hermod.stack.plugins.filter.verify import (
    FilterModule,
    verify_callback_targets,
    verify_database_result,
    verify_split_urls,
    verify_token_result,
    verify_url_results,
)

HERMOD_URL = 'https://hermod-host:28443/hermod/rest/command'
WHAT = "hermod.url in PRIME's system.properties"
CERT_INFO = {'subject_alt_name': ['DNS:hermod-host', 'IP:10.0.0.5'], 'not_after': '20290101000000Z', 'expired': False,
             'valid_at': {'soon': True}}
RUNNING = {'running': True, 'java': '/usr/lib/jvm/java-17/bin/java',
           'properties': ['javax.net.ssl.trustStore=/srv/prime/conf/truststore.p12', 'jdk.tls.client.protocols=TLSv1.3']}


def context(side='PRIME', jvm=None, java_run=None):
    return {'side': side, 'host': 'prime-host', 'jvm': RUNNING if jvm is None else jvm, 'service': 'tomcat-prime.service',
            'min_days': 30, 'java_run': java_run or {}}


def url_results(url=HERMOD_URL, served=True, info=None, java=None, side='PRIME', name='hermod', **kwargs):
    urls = verify_split_urls([{'name': name, 'url': url, 'what': WHAT}])
    served_results = [{'verify__url': urls[0], 'cert': 'PEM'}] if served else [{'verify__url': urls[0], 'msg': 'refused'}]
    infos = [dict(CERT_INFO if info is None else info, verify__fetched={'verify__url': urls[0]})] if served else []
    javas = [dict({'name': name, 'tls': True, 'status': 200}, **(java or {}))]
    return verify_url_results(urls, served_results, infos, javas, context(side, **kwargs))


def by_check(results):
    return {result['check']: result for result in results}


def test_registered():
    assert set(FilterModule().filters()) == {'verify_callback_targets', 'verify_split_urls', 'verify_url_results',
                                             'verify_token_result', 'verify_database_result', 'verify_report_lines',
                                             'verify_local_instances', 'verify_jvm_settings'}


def test_split_urls():
    assert verify_split_urls([
        {'name': 'a', 'url': 'HTTPS://Host.example:8443/x', 'what': 'w'},
        {'name': 'b', 'url': 'https://[fd00::1]/x', 'what': 'w'},
        {'name': 'c', 'url': 'hermod-host:8443', 'what': 'w'},
        {'name': 'd', 'url': '', 'what': 'w'},
    ]) == [
        {'name': 'a', 'url': 'HTTPS://Host.example:8443/x', 'what': 'w', 'scheme': 'https', 'host': 'host.example', 'port': 8443},
        {'name': 'b', 'url': 'https://[fd00::1]/x', 'what': 'w', 'scheme': 'https', 'host': 'fd00::1', 'port': 443},
        {'name': 'c', 'url': 'hermod-host:8443', 'what': 'w', 'scheme': '', 'host': '', 'port': 443},
        {'name': 'd', 'url': '', 'what': 'w', 'scheme': '', 'host': '', 'port': 443},
    ]


def test_callback_targets_carry_the_basic_auth_header():
    targets = verify_callback_targets([{'client_id': 'prime', 'callback_url': 'https://p/cb', 'callback_basic_auth': 'u:p'},
                                       {'client_id': 'kiosk', 'callback_url': 'https://k/cb', 'callback_basic_auth': ''}])
    assert targets == [
        {'name': 'callback-prime', 'url': 'https://p/cb', 'auth': 'Basic dTpw', 'what': "callbackUrl of client 'prime'"},
        {'name': 'callback-kiosk', 'url': 'https://k/cb', 'auth': '', 'what': "callbackUrl of client 'kiosk'"},
    ]


def test_a_healthy_url_passes_every_check():
    results = url_results()
    assert [(r['check'], r['ok']) for r in results] == [
        ('Hermod serves HTTPS', True), ('Hermod certificate names cover hermod-host', True),
        ('Hermod certificate valid for 30 days or more', True), ("PRIME's JVM trusts Hermod", True)]
    assert all(r['host'] == 'prime-host' and r['fix'] == '' for r in results)
    assert results[3]['detail'] == HERMOD_URL + ': handshake completed (truststore: /srv/prime/conf/truststore.p12)'


def test_plain_http_fails_with_the_domain_mismatch_hint():
    [result] = url_results(url='http://hermod-host:28080/hermod/rest/command', served=False)
    assert result['ok'] is False and 'not an https:// URL' in result['detail'] and 'Domain mismatch' in result['fix']


def test_no_certificate_served():
    results = by_check(url_results(served=False))
    assert results['Hermod serves HTTPS']['detail'] == 'no TLS certificate from hermod-host:28443 (%s): refused' % WHAT
    assert 'ports.https' in results['Hermod serves HTTPS']['fix']
    assert "PRIME's JVM trusts Hermod" in results


@pytest.mark.parametrize('url, sans, covered', [
    (HERMOD_URL, ['DNS:other'], False),
    ('https://hermod.example.com/x', ['DNS:*.example.com'], True),
    ('https://a.b.example.com/x', ['DNS:*.example.com'], False),
    ('https://10.0.0.5/x', ['DNS:hermod-host', 'IP:10.0.0.5'], True),
    ('https://10.0.0.6/x', ['DNS:10.0.0.6'], False),
    ('https://HERMOD-HOST/x', ['DNS:hermod-host'], True),
])
def test_certificate_names(url, sans, covered):
    results = url_results(url=url, info=dict(CERT_INFO, subject_alt_name=sans))
    [names] = [r for r in results if 'names cover' in r['check']]
    assert names['ok'] is covered
    assert (names['fix'] == '') is covered


def test_a_certificate_close_to_expiry_fails():
    results = by_check(url_results(info=dict(CERT_INFO, valid_at={'soon': False})))
    assert results['Hermod certificate valid for 30 days or more']['ok'] is False
    expired = by_check(url_results(info=dict(CERT_INFO, expired=True)))
    assert expired['Hermod certificate valid for 30 days or more']['detail'] == 'expires 20290101000000Z (expired)'


def test_a_stopped_instance_and_a_check_that_could_not_run():
    stopped = by_check(url_results(jvm={'running': False}))["PRIME's JVM trusts Hermod"]
    assert stopped['detail'] == 'the PRIME instance (tomcat-prime.service) is not running'
    urls = verify_split_urls([{'name': 'hermod', 'url': HERMOD_URL, 'what': WHAT}])
    results = verify_url_results(urls, [], [], [], context(java_run={'rc': 1, 'stderr_lines': ['error: no compiler']}))
    assert results[-1]['detail'] == 'the check could not run with /usr/lib/jvm/java-17/bin/java: error: no compiler'
    assert results[-1]['fix'] == ('the JVM check needs Java 8 or later: '
                                  'run "/usr/lib/jvm/java-17/bin/java -version" on prime-host')
    no_output = verify_url_results(urls, [], [], [], context(java_run={'skipped': True}))
    assert no_output[-1]['detail'].endswith(': no output')


def test_an_untrusted_peer_and_an_unreachable_one_get_different_fixes():
    untrusted = by_check(url_results(java={'tls': False, 'handshake_failed': True, 'cause': 'PKIX path building failed'}))
    result = untrusted["PRIME's JVM trusts Hermod"]
    assert result['ok'] is False and result['detail'].endswith(': PKIX path building failed (truststore: /srv/prime/conf/truststore.p12)')
    assert result['fix'].startswith('run {trust} so that /srv/prime/conf/truststore.p12 holds')
    unreachable = by_check(url_results(java={'tls': False, 'handshake_failed': False, 'cause': 'timed out'}))
    assert unreachable["PRIME's JVM trusts Hermod"]['fix'] == 'make hermod-host:28443 reachable from prime-host'
    cacerts = by_check(url_results(jvm=dict(RUNNING, properties=[])))
    assert cacerts["PRIME's JVM trusts Hermod"]['detail'].endswith('(truststore: the JVM cacerts)')


@pytest.mark.parametrize('java, ok, fix', [
    ({'status': 200}, True, ''),
    ({'status': 401}, False, 'make callbackBasicAuth of'),
    ({'tls': False, 'status': None, 'handshake_failed': True, 'cause': 'PKIX'}, False, 'fix the TLS connection first'),
])
def test_hermods_callback_with_its_basic_auth(java, ok, fix):
    results = by_check(url_results(url='https://prime-host:18443/prime_explorer/ws/hermod', side='Hermod', name='cb',
                                   info=dict(CERT_INFO, subject_alt_name=['DNS:prime-host']), java=java))
    callback = results["Hermod's callback reaches PRIME with its basic auth"]
    assert callback['ok'] is ok and callback['fix'].startswith(fix)


def test_token_result():
    hostvars = {'h1': {'verify__hermod': {'clients': [{'client_id': 'prime', 'key': 'key-one-secret'}]}},
                'h2': {'verify__hermod': {'clients': [{'client_id': 'prime', 'key': 'key-two-secret'}]}},
                'h3': {'verify__hermod': {}}}
    good = verify_token_result({'client_id': 'prime', 'key': 'key-one-secret'}, {'hermod': ['h1']}, hostvars, 'hermod', 'p')
    assert good == {'host': 'p', 'check': "PRIME's authenticationToken is a key Hermod holds", 'ok': True,
                    'detail': "client 'prime' on h1", 'fix': ''}
    bad = verify_token_result({'client_id': 'prime', 'key': 'key-one-secret'}, {'hermod': ['h1', 'h2', 'h3', 'gone']}, hostvars,
                              'hermod', 'p')
    assert bad['ok'] is False
    assert bad['detail'] == ("authenticationToken of client 'prime': h2 holds another key for client 'prime'; "
                             "h3's configuration was not read; gone's configuration was not read")
    assert 'secret' not in json.dumps(bad)
    missing = verify_token_result({'client_id': 'kiosk', 'key': 'k'}, {'hermod': ['h1']}, hostvars, 'hermod', 'p')
    assert missing['detail'] == "authenticationToken of client 'kiosk': h1 has no client 'kiosk'"
    undecoded = verify_token_result({}, {'hermod': ['h1']}, hostvars, 'hermod', 'p')
    assert undecoded['detail'] == 'authenticationToken: it is not base64(clientId:key)'
    nobody = verify_token_result({'client_id': 'prime', 'key': 'k1'}, {}, hostvars, 'vsc_backend', 'p')
    assert nobody['detail'] == "authenticationToken of client 'prime': group vsc_backend has no host"


SETTINGS = {'distribution': '/d/hermod-3.6.1.zip', 'name': 'hermod', 'record_table': 'hermod_database_init',
            'script_dir': 'db/postgresql', 'script_pattern': r'hermod-(?P<version>\d[\w.-]*)\.sql'}
SCRIPTS = {'rc': 0, 'stdout': json.dumps(['hermod-1.2.sql', 'hermod-1.10.sql', 'readme.txt'])}


@pytest.mark.parametrize('record, scripts, settings, ok, detail', [
    ({'rc': 0, 'stdout': 'hermod-1.10.sql|1.10\n'}, SCRIPTS, {}, True,
     "hermod initialised with hermod-1.10.sql (version 1.10); the distribution's highest is hermod-1.10.sql (version 1.10)"),
    ({'rc': 0, 'stdout': 'hermod-1.2.sql\t1.2\n'}, SCRIPTS, {}, False,
     "hermod initialised with hermod-1.2.sql (version 1.2); the distribution's highest is hermod-1.10.sql (version 1.10)"),
    ({'rc': 1, 'stdout': '', 'stderr': 'relation does not exist\n'}, SCRIPTS, {}, False,
     'no record in hermod.hermod_database_init (relation does not exist); expected hermod-1.10.sql'),
    ({'rc': 0, 'stdout': ''}, SCRIPTS, {}, False, 'no record in hermod.hermod_database_init (empty); expected hermod-1.10.sql'),
    ({'rc': 0}, {'rc': 2, 'stderr_lines': ['no such file']}, {}, False,
     r'no script matching hermod-(?P<version>\d[\w.-]*)\.sql in db/postgresql of /d/hermod-3.6.1.zip no such file'),
    ({'skipped': True}, SCRIPTS, {}, None, "the record is read through the server's local socket (postgresql, mariadb); "
                                           'verify_database_admin_socket is off'),
    ({'skipped': True}, {'skipped': True}, {'distribution': ''}, None, 'no distribution given (verify_database_distribution)'),
], ids=['highest', 'older', 'no table', 'no row', 'no scripts', 'no socket', 'no distribution'])
def test_database_result(record, scripts, settings, ok, detail):
    result = verify_database_result(record, scripts, dict(SETTINGS, **settings), 'db')
    assert (result['ok'], result['detail']) == (ok, detail)
    assert result['host'] == 'db' and (result['fix'] == '') == (ok is not False)


def test_report_lines():
    from ansible_collections.prime_hermod.stack.plugins.filter.verify import verify_report_lines
    hostvars = {'a': {'verify__results': [{'host': 'a', 'check': 'c1', 'ok': True, 'detail': 'd1', 'fix': ''},
                                          {'host': 'a', 'check': 'c2', 'ok': False, 'detail': 'd2', 'fix': 'f2'}]},
                'b': {'verify__results': [{'host': 'b', 'check': 'c3', 'ok': None, 'detail': 'd3', 'fix': 'ignored'}]},
                'c': {}}
    assert verify_report_lines(['a', 'b', 'c'], hostvars) == ['PASS a: c1: d1', 'FAIL a: c2: d2 -- FIX: f2', 'SKIP b: c3: d3']


def test_a_fix_names_the_playbook_with_the_groups_that_are_not_the_defaults():
    from ansible_collections.prime_hermod.stack.plugins.filter.verify import verify_report_lines
    hostvars = {'a': {'verify__results': [
        {'host': 'a', 'check': 'c', 'ok': False, 'detail': 'd', 'fix': 'run {trust} so that x, or run {site}'}]}}
    assert verify_report_lines(['a'], hostvars) == [
        'FAIL a: c: d -- FIX: run `ansible-playbook prime_hermod.stack.trust` so that x, '
        'or run `ansible-playbook prime_hermod.stack.site`']
    own = {'database': 'idp_sql', 'hermod': 'hermod', 'prime': 'cms_frontend'}
    assert verify_report_lines(['a'], hostvars, own) == [
        'FAIL a: c: d -- FIX: run `ansible-playbook prime_hermod.stack.trust -e hermod_database_group=idp_sql '
        '-e trust_prime_group=cms_frontend` so that x, or run `ansible-playbook prime_hermod.stack.site '
        '-e hermod_database_group=idp_sql -e trust_prime_group=cms_frontend`']
