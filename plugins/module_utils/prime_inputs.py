# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The prime role's input checks: the first problem, named by variable, before the host changes.

The values come from the role's variables (prime_*) and what the role worked out of them
(catalina_base, group, service, webapp_dir, token and token_source). The X-Api-Key is checked,
never shown.
"""

from __future__ import annotations

import os
import re

from ansible_collections.prime_hermod.stack.plugins.module_utils.hermod import HermodError, decode_x_api_key
from ansible_collections.prime_hermod.stack.plugins.module_utils.role_inputs import (
    is_absolute, is_boolean, is_http_url, is_https, is_mapping, is_private_mode, is_text, repeated, to_boolean,
)

# What the role passes: its variables, and what it worked out of them.
VALUES = (
    'tomcat_instance', 'given_catalina_base', 'catalina_base', 'group', 'service', 'context', 'webapp_dir',
    'properties_file', 'artifact', 'hermod_url', 'hermod_allow_http', 'hermod_url_property', 'device_name_field',
    'extra_properties', 'secret_properties', 'properties_mode', 'authentication_token', 'hermod_host', 'token',
    'token_source', 'restart',
)
CONTEXT = re.compile(r'^[A-Za-z0-9_.#-]+$')
RESERVED_URL_PROPERTIES = ('authenticationToken', 'provisionCallback.deviceNameField')


def _instance_errors(v):
    if not (v['tomcat_instance'] or v['given_catalina_base']):
        return 'set prime_tomcat_instance (an instance of the tomcat role) or prime_catalina_base'
    if not v['catalina_base']:
        return ("prime_tomcat_instance '%s' is not an instance the tomcat role set up in this run "
                "(tomcat_instances_info); set prime_catalina_base, prime_tomcat_group and prime_tomcat_service"
                % v['tomcat_instance'])
    if not (is_absolute(v['catalina_base']) and v['group'] and v['service']):
        return ("prime_catalina_base must be an absolute path ('%s'), prime_tomcat_group the group of the Tomcat "
                "service user ('%s') and prime_tomcat_service its systemd service ('%s')"
                % (v['catalina_base'], v['group'], v['service']))
    properties_file = v['properties_file']
    if not (is_text(v['context']) and CONTEXT.match(v['context']) and is_absolute(v['webapp_dir'])
            and is_text(properties_file) and properties_file[:1] not in ('', '/') and '..' not in properties_file):
        return ("prime_context must be a webapp directory name, prime_webapp_dir an absolute path and "
                "prime_properties_file a path inside the webapp (got '%s', '%s', '%s')"
                % (v['context'], v['webapp_dir'], properties_file))
    return ''


def _artifact_errors(v):
    artifact = v['artifact']
    if artifact == '':
        return ''
    path = os.path.expanduser(artifact) if is_text(artifact) else ''
    is_war = path.lower().endswith('.war')
    if not path or not os.path.exists(path) or os.path.isfile(path) != is_war:
        return "prime_artifact '%s' must be a .war file or an exploded webapp directory on the controller" % artifact
    return ''


def _url_errors(v):
    url = v['hermod_url']
    if not is_http_url(url):
        return ("prime_hermod_url '%s' must be a URL like https://hermod.example.com:28443/hermod/rest/command "
                "(a host, an optional port of 1 to 5 digits, no spaces)" % (url,))
    allow_http = is_boolean(v['hermod_allow_http']) and to_boolean(v['hermod_allow_http'])
    if not is_https(url) and not allow_http:
        return ('prime_hermod_url must use https: with plain HTTP, Personal Desktop App fails with "Domain mismatch". '
                'Set prime_hermod_allow_http=true only for a test setup.')
    return ''


def _properties_errors(v):
    url_property = v['hermod_url_property']
    if not (is_text(url_property) and url_property and url_property not in RESERVED_URL_PROPERTIES
            and is_text(v['device_name_field']) and is_mapping(v['extra_properties'])
            and is_mapping(v['secret_properties'])):
        return ('prime_hermod_url_property must be a key name other than authenticationToken and '
                'provisionCallback.deviceNameField, prime_device_name_field a string, and prime_extra_properties and '
                'prime_secret_properties dicts')
    managed = ['authenticationToken', url_property] + (['provisionCallback.deviceNameField'] if v['device_name_field'] else [])
    clashes = repeated(managed + list(v['extra_properties']) + list(v['secret_properties']))
    if clashes:
        return ('the key(s) %s are given more than once: a key is set by one of prime_authentication_token, '
                'prime_hermod_url (key prime_hermod_url_property), prime_device_name_field, prime_extra_properties '
                'and prime_secret_properties' % ', '.join(str(key) for key in clashes))
    if not is_private_mode(v['properties_mode']):
        return ("prime_properties_mode '%s' must be 0640 or stricter (the file holds the X-Api-Key): an octal string "
                'such as "0640" or "0600", never readable by others' % (v['properties_mode'],))
    return ''


def _token_errors(v):
    if not (v['authentication_token'] or v['hermod_host']):
        return ('set prime_authentication_token (the X-Api-Key of PRIME\'s Hermod client) or prime_hermod_host and '
                'prime_hermod_client_id (to read it from the Hermod host\'s facts)')
    token = v['token']
    if not (is_text(token) and token.strip()):
        return '%s is empty or not set' % v['token_source']
    try:
        decode_x_api_key(token)
    except HermodError:
        return ("%s is not a valid X-Api-Key: it must be base64 of '<clientId>:<key>' as Hermod's configuration "
                'gives it' % v['token_source'])
    return ''


def _switch_errors(v):
    if not (is_boolean(v['restart']) and is_boolean(v['hermod_allow_http'])):
        return 'prime_restart and prime_hermod_allow_http must be true or false'
    return ''


def first_error(values):
    """The first problem with the prime role's inputs, or ''."""
    for check in (_instance_errors, _artifact_errors, _url_errors, _properties_errors, _token_errors, _switch_errors):
        error = check(values)
        if error:
            return error
    return ''
