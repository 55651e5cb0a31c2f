# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The hermod_database role's input checks: the first problem, named by variable, before the host changes.

Names and addresses end up in SQL, pg_hba.conf, postgresql.conf and MariaDB's configuration, so each
must match its pattern in full. No message holds a password.
"""

from __future__ import annotations

import json
import re

from collections.abc import Mapping, Sequence

from ansible_collections.prime_hermod.stack.plugins.module_utils.role_inputs import full_match, is_text, to_integer

ENGINES = ('postgresql', 'mariadb', 'mssql', 'oracle')
INSTALLABLE = ('postgresql', 'mariadb')
IDENTIFIER = re.compile(r'[A-Za-z_][A-Za-z0-9_]{0,62}')
HOST = re.compile(r'[A-Za-z0-9_.:%-]+')
LISTEN = re.compile(r'(\*|[A-Za-z0-9_.:%-]+)(,(\*|[A-Za-z0-9_.:%-]+))*')
NETWORK = re.compile(r'[0-9A-Fa-f.:]+/[0-9]{1,3}')
PRIVILEGE = re.compile(r'[A-Z]+( [A-Z]+)*')
MARIADB_HOST = re.compile(r'[A-Za-z0-9_.:%/-]+')

# What the role passes: its variables (without the hermod_database_ prefix) and the admin user it worked out.
VALUES = (
    'engine', 'password', 'port', 'host', 'name', 'user', 'record_table', 'install_server', 'admin_socket',
    'server_client_networks', 'server_listen_addresses', 'create', 'admin_password', 'admin_user',
    'mariadb_privileges', 'mariadb_user_host', 'initialise', 'distribution', 'script_pattern', 'script_dir',
    'install_client',
)
# The role's tasks test these directly (when:), so they must be booleans, not words.
SWITCHES = ('install_server', 'install_client', 'admin_socket', 'create', 'initialise')


def _one_line_secret(value):
    return is_text(value) and len(value) > 0 and '\n' not in value and '\r' not in value


def _list_of_text(value):
    return (isinstance(value, Sequence) and not isinstance(value, (str, bytes, Mapping))
            and all(is_text(item) for item in value))


def _connection_error(v):
    port = to_integer(v['port'])
    if (port is None or not 0 <= port <= 65535 or not full_match(HOST, v['host'])
            or not all(full_match(IDENTIFIER, v[key]) for key in ('name', 'user', 'record_table'))):
        return ("Check hermod_database_port (0 for the engine's default, or 1-65535; is %s), hermod_database_host "
                "(a host name or address; is '%s'), hermod_database_name, hermod_database_user and "
                'hermod_database_record_table (letters, digits and _, not starting with a digit, at most 63 '
                "characters; are '%s', '%s', '%s')."
                % (v['port'], v['host'], v['name'], v['user'], v['record_table']))
    return ''


def first_error(v):
    """The first problem with the hermod_database role's inputs, or ''."""
    engine = v['engine']
    if not is_text(engine) or engine not in ENGINES:
        return "hermod_database_engine is '%s'; it must be one of %s." % (engine, ', '.join(ENGINES))
    if not _one_line_secret(v['password']):
        return 'hermod_database_password must be set to a non-empty string without line breaks.'
    error = _connection_error(v)
    if error:
        return error
    words = [name for name in SWITCHES if not isinstance(v[name], bool)]
    if words:
        names = ['hermod_database_' + name for name in words]
        return ('%s must be true or false (a boolean: a string such as \'false\' given with -e is not one; '
                'give -e \'{"%s": false}\' instead)' % (', '.join(names), names[0]))
    install_server = v['install_server']
    if (install_server or v['admin_socket']) and engine not in INSTALLABLE:
        return ('hermod_database_install_server and hermod_database_admin_socket work with postgresql and mariadb '
                'only; for %s set both to false and give hermod_database_admin_password for an existing server.'
                % engine)
    networks = v['server_client_networks']
    if not _list_of_text(networks) or not all(NETWORK.fullmatch(network) for network in networks):
        return ('hermod_database_server_client_networks must be a list of networks in CIDR notation such as '
                '10.0.0.0/8 or fd00::/8 (is %s).' % json.dumps(networks, default=str))
    if install_server and not full_match(LISTEN, v['server_listen_addresses']):
        return ('hermod_database_server_listen_addresses must be localhost, *, or host names and addresses '
                'separated by commas without spaces (is %s).' % json.dumps(v['server_listen_addresses'], default=str))
    if v['create'] and not v['admin_socket'] and not _one_line_secret(v['admin_password']):
        return ('hermod_database_create is true and hermod_database_admin_socket is false, so the role connects as '
                '%s over the network: set hermod_database_admin_password (a non-empty string without line breaks).'
                % v['admin_user'])
    privileges = v['mariadb_privileges']
    if engine == 'mariadb' and (not _list_of_text(privileges) or not privileges
                                or not all(PRIVILEGE.fullmatch(privilege) for privilege in privileges)
                                or not full_match(MARIADB_HOST, v['mariadb_user_host'])):
        return ('hermod_database_mariadb_privileges must be a list of privileges in capitals (SELECT, CREATE VIEW, '
                '...; is %s) and hermod_database_mariadb_user_host must be a MariaDB host pattern.'
                % json.dumps(privileges, default=str))
    script_dir = v['script_dir']
    if v['initialise'] and not (
            is_text(v['distribution']) and v['distribution'] and is_text(v['script_pattern'])
            and '(?P<version>' in v['script_pattern'] and is_text(script_dir) and not script_dir.startswith('/')
            and '..' not in script_dir.split('/')):
        return ("hermod_database_initialise is true: set hermod_database_distribution (the Hermod distribution zip, "
                "tar or directory; is '%s'), hermod_database_script_pattern with a (?P<version>...) group (is '%s') "
                "and hermod_database_script_dir relative to the distribution (is '%s')."
                % (v['distribution'], v['script_pattern'], script_dir))
    return ''
