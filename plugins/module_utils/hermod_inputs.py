# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The hermod role's input checks: the first problem, named by variable, before the host changes.

The values come from the role's variables (hermod_*, without the prefix) and what the role worked out
of them (catalina_base, group, service, artifact_kind, datasource, datasource_password, database_host,
known_instances). No message shows a key, a callback password or the database password.
"""

from __future__ import annotations

import json
import os
import re

from collections.abc import Mapping

from ansible_collections.prime_hermod.stack.plugins.module_utils.role_inputs import (
    CLIENT_ID, DOTTED_PATH, full_match, is_absolute, is_boolean, is_http_url, is_https, is_mapping, is_private_mode,
    is_text, to_boolean,
)

VALUES = (
    'tomcat_instance', 'given_catalina_base', 'catalina_base', 'group', 'service', 'known_instances', 'context',
    'config_file_name', 'deploy_dir', 'artifact', 'artifact_url', 'artifact_checksum', 'artifact_kind',
    'distribution_tar_pattern', 'distribution_war_pattern', 'public_url', 'allow_http', 'datasource_path',
    'public_url_path', 'clients_path', 'config_overrides', 'callback_attempts', 'callback_retry_delay', 'datasource',
    'datasource_password', 'database_host', 'clients', 'rest_log', 'rest_hide_exceptions', 'rotate_keys', 'restart',
    'config_mode',
)
CONTEXT = re.compile(r'[A-Za-z0-9_.#-]+')
FILE_NAME = re.compile(r'[A-Za-z0-9_.-]+')
ARTIFACT_URL = re.compile(r'(?i:https?|ftp)://[^\s/?#]+[^\s]*')
CHECKSUM = re.compile(r'sha256:[0-9A-Fa-f]{64}')
JDBC_URL = re.compile(r'jdbc:[a-z0-9]+:\S+')
BASIC_AUTH = re.compile(r'[^:\s]+:.+')
CLIENT_FIELDS = ('client_id', 'key', 'group', 'callback_url', 'callback_basic_auth', 'content_provider_url')
SWITCHES = ('rest_log', 'rest_hide_exceptions', 'rotate_keys', 'allow_http', 'restart')


def _whole_number(value):
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (is_text(value) and value.isdigit() and value.isascii())


def _allow_http(v):
    return is_boolean(v['allow_http']) and to_boolean(v['allow_http'])


def _instance_error(v):
    if not (v['tomcat_instance'] or v['given_catalina_base']):
        return 'set hermod_tomcat_instance (an instance of the tomcat role) or hermod_catalina_base'
    if not v['catalina_base']:
        return ("hermod_tomcat_instance '%s' is not an instance the tomcat role set up in this run "
                '(tomcat_instances_info: %s); set hermod_catalina_base, hermod_tomcat_group and hermod_tomcat_service '
                'for a Tomcat the role does not manage'
                % (v['tomcat_instance'], ', '.join(v['known_instances']) or 'none'))
    context, deploy_dir = v['context'], v['deploy_dir']
    if not (is_absolute(v['catalina_base']) and v['group'] and v['service']
            and full_match(CONTEXT, context) and context not in ('.', '..') and full_match(FILE_NAME, v['config_file_name'])
            and is_text(deploy_dir) and (not deploy_dir or deploy_dir.startswith('/'))):
        return ("hermod_catalina_base must be an absolute path ('%s'), hermod_tomcat_group the group of the Tomcat "
                "service user ('%s'), hermod_tomcat_service its systemd service ('%s'), hermod_context a webapp "
                "directory name ('%s'), hermod_config_file_name a file name ('%s') and hermod_deploy_dir empty or an "
                "absolute path ('%s')"
                % (v['catalina_base'], v['group'], v['service'], context, v['config_file_name'], deploy_dir))
    return ''


def _artifact_error(v):
    artifact, url, checksum = v['artifact'], v['artifact_url'], v['artifact_checksum']
    if not (is_text(artifact) and is_text(url) and is_text(checksum)) or (artifact and url):
        return 'set hermod_artifact (a file on the controller) or hermod_artifact_url, not both'
    if (artifact or url) and not v['artifact_kind']:
        return ("%s '%s' must be the distribution's .zip, its .tar (.tar.gz, .tgz, .tar.bz2, .tar.xz) or a .war"
                % ('hermod_artifact' if artifact else 'hermod_artifact_url', artifact or url))
    if artifact and not os.path.isfile(artifact):
        return "hermod_artifact '%s' is not a file on the controller" % artifact
    if url and not (full_match(ARTIFACT_URL, url) and full_match(CHECKSUM, checksum)):
        return ("hermod_artifact_url '%s' must be an http(s) or ftp URL, and hermod_artifact_checksum its SHA-256 as "
                "\"sha256:<64 hexadecimal digits>\" (required with a URL; got '%s')" % (url, checksum))
    if not all(is_text(v[key]) and v[key] for key in ('distribution_tar_pattern', 'distribution_war_pattern')):
        return 'hermod_distribution_tar_pattern and hermod_distribution_war_pattern must be non-empty regular expressions'
    return ''


def _config_error(v):
    url = v['public_url']
    if not is_http_url(url):
        return ("hermod_public_url '%s' must be a URL like https://hermod.example.com:28443/hermod/rest/ms "
                '(a host, an optional port of 1 to 5 digits, no spaces)' % (url,))
    if not is_https(url) and not _allow_http(v):
        return ('hermod_public_url must use https: with plain HTTP, Personal Desktop App fails with "Domain mismatch". '
                'Set hermod_allow_http=true only for a test setup.')
    paths = [v['datasource_path'], v['public_url_path'], v['clients_path']]
    if not (all(full_match(DOTTED_PATH, path) for path in paths) and len(set(paths)) == 3
            and is_mapping(v['config_overrides'])):
        return ('hermod_datasource_path, hermod_public_url_path and hermod_clients_path must be three different dotted '
                'paths such as spring.datasource (got %s), and hermod_config_overrides a dict'
                % ', '.join(str(path) for path in paths))
    attempts, delay = v['callback_attempts'], v['callback_retry_delay']
    if not (_whole_number(attempts) and int(attempts) >= 1 and _whole_number(delay)):
        return ("hermod_callback_attempts must be a whole number of at least 1 (got '%s') and "
                "hermod_callback_retry_delay a whole number of seconds (got '%s')" % (attempts, delay))
    source = v['datasource']
    if not (full_match(JDBC_URL, source.get('url')) and is_text(source.get('username')) and source.get('username')
            and is_text(source.get('driver-class-name')) and source.get('driver-class-name')):
        return ("The datasource is incomplete: hermod_datasource_url must be a JDBC URL (got '%s'), "
                "hermod_datasource_username and hermod_datasource_driver must not be empty (got '%s', '%s'). Set them, "
                "or run the hermod_database role first on hermod_datasource_host ('%s'), whose facts "
                'hermod_database_connection supply them.'
                % (source.get('url'), source.get('username'), source.get('driver-class-name'), v['database_host']))
    if not (is_text(v['datasource_password']) and v['datasource_password']):
        return ("hermod_datasource_password is empty, and hermod_datasource_host ('%s') has no fact "
                'hermod_database_connection_password' % v['database_host'])
    return ''


def _client_problems(client, allow_http):
    name = '%s: ' % ('' if client.get('client_id') is None else client.get('client_id'))
    group, callback, auth = client.get('group'), client.get('callback_url'), client.get('callback_basic_auth')
    key, content = client.get('key'), client.get('content_provider_url')
    checks = (
        (not is_text(group) or not group.strip(), 'group must be a non-empty string'),
        (not is_http_url(callback), 'callback_url must be a URL like https://prime.example.com:18443/prime_explorer/ws/hermod'),
        (is_http_url(callback) and not is_https(callback) and not allow_http,
         'callback_url must use https: with plain HTTP, Personal Desktop App fails with "Domain mismatch" '
         '(hermod_allow_http=true only for a test setup)'),
        (not full_match(BASIC_AUTH, auth), 'callback_basic_auth must be user:password'),
        (key is not None and not is_text(key), 'key must be a string (empty or absent means kept or generated)'),
        (content is not None and not is_http_url(content), 'content_provider_url must be a URL'),
        (is_http_url(content) and not is_https(content) and not allow_http,
         'content_provider_url must use https (hermod_allow_http=true only for a test setup)'),
    )
    problems = [name + message for failed, message in checks if failed]
    problems += [name + 'unknown field %s (known: %s)' % (field, ', '.join(CLIENT_FIELDS))
                 for field in client if field not in CLIENT_FIELDS]
    return problems


def _clients_error(v):
    clients = v['clients']
    if not (isinstance(clients, list) and clients and all(isinstance(client, Mapping) for client in clients)):
        return ('hermod_clients must be a non-empty list of dicts with client_id, group, callback_url and '
                'callback_basic_auth (and optionally key and content_provider_url)')
    ids = [client.get('client_id') for client in clients]
    if not all(full_match(CLIENT_ID, client_id) for client_id in ids) or len(set(ids)) != len(ids):
        return ("hermod_clients[].client_id must be a non-empty string without ':' or whitespace (':' separates the "
                'client id from the key in the X-Api-Key) and unique; given: %s'
                % ', '.join(json.dumps(client_id, default=str) for client_id in ids))
    problems = [problem for client in clients for problem in _client_problems(client, _allow_http(v))]
    if problems:
        return 'hermod_clients: ' + '; '.join(problems)
    return ''


def _switch_error(v):
    if not (all(is_boolean(v[name]) for name in SWITCHES) and is_text(v['config_mode'])
            and is_private_mode(v['config_mode'])):
        return ('hermod_rest_log, hermod_rest_hide_exceptions, hermod_rotate_keys, hermod_allow_http and hermod_restart '
                'must be true or false, and hermod_config_mode an octal string of 0640 or stricter such as "0640" or '
                "\"0600\" (the file holds keys and the database password; got '%s')" % (v['config_mode'],))
    return ''


def first_error(values):
    """The first problem with the hermod role's inputs, or ''."""
    for check in (_instance_error, _artifact_error, _config_error, _clients_error, _switch_error):
        error = check(values)
        if error:
            return error
    return ''
