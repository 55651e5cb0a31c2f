# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hermod_input_error: each bad input of the hermod role named by variable; no message shows a secret."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.prime_hermod.stack.plugins.filter.inputs import FilterModule, hermod_input_error

KEY = '7d1f0c2b9a8e4f6d5c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a29180f1e2d3c'
AUTH = "hermod-cb:pw'with\"quotes:and#hash"
DB_PASSWORD = "pg:Hermod\\pass'word"
PRIME = {'client_id': 'prime', 'key': KEY, 'group': 'acme', 'callback_url': 'https://prime-host:18443/prime_explorer/ws/hermod',
         'callback_basic_auth': AUTH}
KIOSK = {'client_id': 'kiosk', 'group': 'acme', 'callback_url': 'https://kiosk.example.test/prime_explorer/ws/hermod',
         'callback_basic_auth': 'kiosk:kiosk-pw', 'content_provider_url': 'https://content.example.test/visual-id'}
GOOD = {
    'tomcat_instance': 'hermod', 'given_catalina_base': '', 'catalina_base': '/var/lib/tomcat-instances/hermod',
    'group': 'tomcat-hermod', 'service': 'tomcat-hermod.service', 'known_instances': ['hermod'], 'context': 'hermod',
    'config_file_name': 'cod-hermod.yml', 'deploy_dir': '', 'artifact': '', 'artifact_url': '', 'artifact_checksum': '',
    'artifact_kind': '', 'distribution_tar_pattern': r'cod-hermod-.*\.tar$', 'distribution_war_pattern': r'.*\.war$',
    'public_url': 'https://hermod-host:28443/hermod/rest/ms', 'allow_http': False, 'datasource_path': 'spring.datasource',
    'public_url_path': 'application.hermod.publicUrl', 'clients_path': 'application.hermod.allowedClients',
    'config_overrides': {}, 'callback_attempts': 3, 'callback_retry_delay': 30,
    'datasource': {'url': 'jdbc:postgresql://db:5432/hermod', 'username': 'hermod', 'driver-class-name': 'org.postgresql.Driver'},
    'datasource_password': DB_PASSWORD, 'database_host': 'db', 'clients': [PRIME, KIOSK], 'rest_log': True,
    'rest_hide_exceptions': True, 'rotate_keys': False, 'restart': True, 'config_mode': '0640',
}
URL = 'https://downloads.example.test/hermod-3.6.2.zip'


def error(**changes):
    return hermod_input_error(dict(GOOD, **changes))


def clients(prime=None, kiosk=None):
    return [dict(PRIME, **(prime or {})), dict(KIOSK, **(kiosk or {}))]


def test_registered_and_good_inputs_pass():
    assert FilterModule().filters()['hermod_input_error'] is hermod_input_error
    assert error() == ''


@pytest.mark.parametrize('changes, expected', [
    ({'clients': clients(prime={'client_id': 'prime:acme'})},
     "hermod_clients[].client_id must be a non-empty string without ':' or whitespace (':' separates the client id "
     'from the key in the X-Api-Key) and unique; given: "prime:acme", "kiosk"'),
    ({'clients': clients(kiosk={'client_id': 'prime'})}, 'and unique; given: "prime", "prime"'),
    ({'clients': clients(kiosk={'client_id': ''})}, 'given: "prime", ""'),
    ({'clients': clients(prime={'client_id': 'prime explorer'})}, 'given: "prime explorer", "kiosk"'),
    ({'clients': clients(prime={'client_id': 'prime\n'})}, 'given: "prime\\n", "kiosk"'),
    ({'clients': clients(prime={'client_id': 7})}, 'given: 7, "kiosk"'),
    ({'clients': clients(prime={'client_id': datetime.date(2024, 1, 1)})}, 'given: "2024-01-01", "kiosk"'),
    ({'clients': clients(kiosk={'callback_basic_auth': 'kiosk:pw\nX-Injected: 1'})},
     'hermod_clients: kiosk: callback_basic_auth must be user:password'),
    ({'artifact': ['/srv/h.zip']}, 'set hermod_artifact (a file on the controller) or hermod_artifact_url, not both'),
    ({'clients': clients(prime={'callback_url': 'http://prime-host:18080/prime_explorer/ws/hermod'})},
     'hermod_clients: prime: callback_url must use https: with plain HTTP, Personal Desktop App fails with "Domain mismatch"'),
    ({'clients': clients(kiosk={'callback_url': 'https://kiosk example/ws/hermod'})}, 'hermod_clients: kiosk: callback_url must be a URL'),
    ({'clients': clients(prime={'callback_url': 'prime-host:18443/prime_explorer/ws/hermod'})}, 'hermod_clients: prime: callback_url must be a URL'),
    ({'clients': clients(kiosk={'content_provider_url': 'http://content.example.test/visual-id'})},
     'hermod_clients: kiosk: content_provider_url must use https (hermod_allow_http=true only for a test setup)'),
    ({'clients': clients(kiosk={'content_provider_url': 'https://content:80x/visual-id'})},
     'hermod_clients: kiosk: content_provider_url must be a URL'),
    ({'clients': clients(prime={'group': ' '})}, 'hermod_clients: prime: group must be a non-empty string'),
    ({'clients': clients(kiosk={'callback_basic_auth': 'kiosk'})}, 'hermod_clients: kiosk: callback_basic_auth must be user:password'),
    ({'clients': clients(prime={'key': ['not', 'a', 'key']})}, 'hermod_clients: prime: key must be a string'),
    ({'clients': clients(kiosk={'contentProviderUrl': 'https://content.example.test/v'})},
     'hermod_clients: kiosk: unknown field contentProviderUrl (known: client_id, key, group, callback_url, '
     'callback_basic_auth, content_provider_url)'),
    ({'clients': []}, 'hermod_clients must be a non-empty list of dicts'),
    ({'clients': {'prime': PRIME}}, 'hermod_clients must be a non-empty list of dicts'),
    ({'clients': ['prime']}, 'hermod_clients must be a non-empty list of dicts'),
    ({'public_url': 'http://hermod-host:28080/hermod/rest/ms'}, 'hermod_public_url must use https: with plain HTTP'),
    ({'public_url': 'https://hermod host:28443/hermod/rest/ms'}, "hermod_public_url 'https://hermod host:28443/hermod/rest/ms' must be a URL"),
    ({'public_url': 'https://hermod-host:28x443/hermod/rest/ms'}, 'must be a URL'),
    ({'public_url': ''}, "hermod_public_url '' must be a URL"),
    ({'public_url': ['https://hermod-host:28443/hermod/rest/ms']}, 'hermod_public_url'),
    ({'tomcat_instance': 'nope', 'catalina_base': ''},
     "hermod_tomcat_instance 'nope' is not an instance the tomcat role set up in this run (tomcat_instances_info: hermod)"),
    ({'tomcat_instance': 'nope', 'catalina_base': '', 'known_instances': []}, '(tomcat_instances_info: none)'),
    ({'tomcat_instance': '', 'catalina_base': ''}, 'set hermod_tomcat_instance'),
    ({'catalina_base': 'var/lib/tomcat-instances/hermod'}, 'hermod_catalina_base must be an absolute path'),
    ({'context': '..'}, "hermod_context a webapp directory name ('..')"),
    ({'config_file_name': 'a/b.yml'}, "hermod_config_file_name a file name ('a/b.yml')"),
    ({'deploy_dir': 'relative'}, "hermod_deploy_dir empty or an absolute path ('relative')"),
    ({'artifact': '/nonexistent/hermod-3.6.2.zip', 'artifact_kind': 'zip'},
     "hermod_artifact '/nonexistent/hermod-3.6.2.zip' is not a file on the controller"),
    ({'artifact': '/srv/molecule.yml'}, "hermod_artifact '/srv/molecule.yml' must be the distribution's .zip"),
    ({'artifact': '/srv/h.zip', 'artifact_url': URL, 'artifact_checksum': 'sha256:' + '0' * 64, 'artifact_kind': 'zip'},
     'set hermod_artifact (a file on the controller) or hermod_artifact_url, not both'),
    ({'artifact_url': URL, 'artifact_kind': 'zip'}, "hermod_artifact_checksum its SHA-256 as \"sha256:<64 hexadecimal digits>\" (required with a URL; got '')"),
    ({'artifact_url': 'https://downloads example.test/hermod-3.6.2.zip', 'artifact_checksum': 'sha256:' + '0' * 64, 'artifact_kind': 'zip'},
     "hermod_artifact_url 'https://downloads example.test/hermod-3.6.2.zip' must be an http(s) or ftp URL"),
    ({'artifact_url': URL, 'artifact_checksum': 'md5:' + '0' * 32, 'artifact_kind': 'zip'}, 'hermod_artifact_checksum its SHA-256'),
    ({'distribution_war_pattern': ''}, 'hermod_distribution_tar_pattern and hermod_distribution_war_pattern must be non-empty'),
    ({'callback_attempts': 0}, "hermod_callback_attempts must be a whole number of at least 1 (got '0')"),
    ({'callback_attempts': -2}, "hermod_callback_attempts must be a whole number of at least 1 (got '-2')"),
    ({'callback_attempts': 'three'}, "(got 'three')"),
    ({'callback_attempts': True}, "(got 'True')"),
    ({'callback_retry_delay': '30s'}, "hermod_callback_retry_delay a whole number of seconds (got '30s')"),
    ({'clients_path': 'spring.datasource'}, 'must be three different dotted paths such as spring.datasource (got '
     'spring.datasource, application.hermod.publicUrl, spring.datasource)'),
    ({'public_url_path': 'application..url'}, 'must be three different dotted paths'),
    ({'config_overrides': 'logging.level.root=INFO'}, 'and hermod_config_overrides a dict'),
    ({'datasource': {'url': 'postgresql://db/hermod', 'username': 'hermod', 'driver-class-name': 'x'}},
     "hermod_datasource_url must be a JDBC URL (got 'postgresql://db/hermod')"),
    ({'datasource': {'url': 'jdbc:postgresql://db:5432/hermod', 'username': '', 'driver-class-name': ''}},
     "hermod_datasource_username and hermod_datasource_driver must not be empty (got '', ''). Set them, or run the "
     "hermod_database role first on hermod_datasource_host ('db')"),
    ({'datasource_password': ''}, "hermod_datasource_password is empty, and hermod_datasource_host ('db') has no fact"),
    ({'rest_log': 'maybe'}, 'hermod_rest_log, hermod_rest_hide_exceptions, hermod_rotate_keys, hermod_allow_http and hermod_restart must be true or false'),
    # Words the argument spec converts but | bool would only guess at: refused, not read two ways.
    ({'rotate_keys': 'y'}, 'hermod_rotate_keys'),
    ({'restart': 't'}, 'hermod_restart must'),
    ({'config_mode': '0644'}, "got '0644'"),
    ({'config_mode': 416}, "got '416'"),
])
def test_each_bad_input_is_named(changes, expected):
    message = error(**changes)
    assert expected in message
    for secret in (KEY, AUTH, DB_PASSWORD, 'kiosk-pw'):
        assert secret not in message


def test_switches_read_as_the_argument_spec_reads_them():
    # -e hermod_restart=false is the string 'false': the spec accepts it, and so does the check.
    assert error(restart='false', rotate_keys='no', rest_log='true', rest_hide_exceptions=0, allow_http='off') == ''
    assert 'hermod_public_url must use https' in error(public_url='http://hermod-host:28080/hermod/rest/ms', allow_http='false')
    assert error(public_url='http://hermod-host:28080/hermod/rest/ms', allow_http='true') == ''
    plain = clients(prime={'callback_url': 'http://prime-host:18080/prime_explorer/ws/hermod'})
    assert error(clients=plain, allow_http=True) == ''
    assert 'callback_url must use https' in error(clients=plain, allow_http='false')


def test_an_artifact_file_and_a_url_with_its_checksum_pass(tmp_path):
    artifact = tmp_path / 'hermod-3.6.2.zip'
    artifact.write_bytes(b'PK')
    assert error(artifact=str(artifact), artifact_kind='zip') == ''
    assert error(artifact_url=URL, artifact_checksum='sha256:' + 'aB' * 32, artifact_kind='zip') == ''
    assert 'is not a file on the controller' in error(artifact=str(tmp_path), artifact_kind='zip')


def test_several_problems_of_the_clients_are_listed_together():
    message = error(clients=clients(prime={'group': ''}, kiosk={'callback_basic_auth': 'kiosk'}))
    assert message == ('hermod_clients: prime: group must be a non-empty string; '
                       'kiosk: callback_basic_auth must be user:password')
