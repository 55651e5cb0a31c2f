# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""prime_input_error: each bad input of the prime role named by variable; no message holds the X-Api-Key."""

from __future__ import annotations

import base64

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.inputs import FilterModule, prime_input_error

TOKEN = base64.b64encode(b'prime:0123456789abcdef0123456789abcdef').decode()
GOOD = {
    'tomcat_instance': 'prime', 'given_catalina_base': '', 'catalina_base': '/var/lib/tomcat-instances/prime',
    'group': 'tomcat-prime', 'service': 'tomcat-prime.service', 'context': 'prime_explorer',
    'webapp_dir': '/var/lib/tomcat-instances/prime/webapps/prime_explorer',
    'properties_file': 'WEB-INF/classes/system.properties', 'artifact': '',
    'hermod_url': 'https://hermod.example.com:28443/hermod/rest/command', 'hermod_allow_http': False,
    'hermod_url_property': 'hermod.url', 'device_name_field': 'deviceName', 'extra_properties': {},
    'secret_properties': {}, 'properties_mode': '0640', 'authentication_token': TOKEN, 'hermod_host': '',
    'token': TOKEN, 'token_source': 'prime_authentication_token', 'restart': True,
}


def error(**changes):
    return prime_input_error(dict(GOOD, **changes))


def test_registered_and_good_inputs_pass():
    assert FilterModule().filters()['prime_input_error'] is prime_input_error
    assert error() == ''


@pytest.mark.parametrize('changes, expected', [
    ({'tomcat_instance': '', 'catalina_base': ''}, 'set prime_tomcat_instance'),
    ({'tomcat_instance': 'nope', 'catalina_base': ''}, "prime_tomcat_instance 'nope' is not an instance"),
    ({'catalina_base': 'var/lib/x'}, 'prime_catalina_base must be an absolute path'),
    ({'group': ''}, "prime_tomcat_group the group of the Tomcat service user ('')"),
    ({'context': 'a/b'}, 'prime_context must be a webapp directory name'),
    ({'properties_file': '../system.properties'}, 'prime_properties_file a path inside the webapp'),
    ({'properties_file': '/etc/passwd'}, 'prime_properties_file a path inside the webapp'),
    ({'artifact': '/nonexistent/prime_explorer.war'}, "prime_artifact '/nonexistent/prime_explorer.war' must be"),
    ({'hermod_url': 'http://hermod:28080/hermod'}, 'prime_hermod_url must use https'),
    ({'hermod_url': 'https://hermod example/rest'}, "prime_hermod_url 'https://hermod example/rest' must be a URL"),
    ({'hermod_url': 'https://hermod:28x443/hermod'}, 'must be a URL'),
    ({'hermod_url': ''}, "prime_hermod_url '' must be a URL"),
    ({'hermod_url': ['https://hermod']}, 'prime_hermod_url'),
    ({'hermod_url_property': 'authenticationToken'}, 'prime_hermod_url_property must be a key name'),
    ({'extra_properties': 'ui.theme=dark'}, 'prime_extra_properties and prime_secret_properties dicts'),
    ({'extra_properties': {'authenticationToken': 'x'}, 'secret_properties': {'hermod.url': 'y'}},
     'the key(s) authenticationToken, hermod.url are given more than once'),
    ({'properties_mode': '0644'}, "prime_properties_mode '0644' must be 0640 or stricter"),
    ({'properties_mode': '0660'}, "prime_properties_mode '0660' must be 0640 or stricter"),
    ({'authentication_token': '', 'token': '', 'hermod_host': ''}, 'set prime_authentication_token'),
    ({'token': 'not base64!'}, 'prime_authentication_token is not a valid X-Api-Key'),
    ({'token': 'bm8tY29sb24taGVyZQ=='}, 'prime_authentication_token is not a valid X-Api-Key'),
    ({'authentication_token': '', 'hermod_host': 'h1', 'token': '',
      'token_source': "hostvars['h1'].hermod_client_api_keys['prime']"}, "hostvars['h1'].hermod_client_api_keys['prime'] is empty"),
    ({'restart': 'maybe'}, 'prime_restart and prime_hermod_allow_http must be true or false'),
    # Words the argument spec converts but | bool would only guess at.
    ({'restart': 'y'}, 'prime_restart and prime_hermod_allow_http must be true or false'),
    ({'hermod_allow_http': 't'}, 'prime_restart and prime_hermod_allow_http must be true or false'),
    ({'restart': 1.0}, 'prime_restart and prime_hermod_allow_http must be true or false'),
    ({'artifact': ['/srv/prime.war']}, "prime_artifact '['/srv/prime.war']' must be a .war file"),
    ({'extra_properties': {1: 'a'}, 'secret_properties': {1: 'b'}}, 'the key(s) 1 are given more than once'),
])
def test_each_bad_input_is_named(changes, expected):
    message = error(**changes)
    assert expected in message
    assert TOKEN not in message


def test_switches_read_as_the_argument_spec_reads_them():
    # -e on the command line gives strings; the argument spec converts them for its check only.
    assert error(restart='false', hermod_allow_http='no') == ''
    assert error(restart='TRUE', hermod_allow_http=0) == ''
    assert 'must use https' in error(hermod_url='http://hermod:28080/hermod', hermod_allow_http='false')
    assert error(hermod_url='http://hermod:28080/hermod', hermod_allow_http='true') == ''
    assert error(hermod_url='http://hermod:28080/hermod', hermod_allow_http=True) == ''


def test_an_artifact_must_match_its_kind(tmp_path):
    war = tmp_path / 'prime_explorer.war'
    war.write_bytes(b'PK')
    exploded = tmp_path / 'prime_explorer'
    exploded.mkdir()
    assert error(artifact=str(war)) == ''
    assert error(artifact=str(exploded)) == ''
    assert 'must be a .war file or an exploded webapp directory' in error(artifact=str(tmp_path / 'other.war.d'))
    (tmp_path / 'dir.war').mkdir()
    assert 'must be a .war file' in error(artifact=str(tmp_path / 'dir.war'))


def test_missing_values_are_the_role_s_fault():
    values = dict(GOOD)
    del values['token']
    with pytest.raises(AnsibleFilterError, match='the role passed no token'):
        prime_input_error(values)
