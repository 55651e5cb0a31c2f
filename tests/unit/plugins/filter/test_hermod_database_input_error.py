# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hermod_database_input_error: each bad input of the hermod_database role named; no message holds a password."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.prime_hermod.stack.plugins.filter.inputs import FilterModule, hermod_database_input_error

PASSWORD = "pg:Hermod\\pass'word"
ADMIN_PASSWORD = 'admin-secret'
GOOD = {
    'engine': 'postgresql', 'password': PASSWORD, 'port': 0, 'host': 'db', 'name': 'hermod', 'user': 'hermod',
    'record_table': 'hermod_database_init', 'install_server': True, 'admin_socket': True,
    'server_client_networks': ['10.0.0.0/8', 'fd00::/8'], 'server_listen_addresses': '*', 'create': True,
    'admin_password': '', 'admin_user': 'postgres', 'mariadb_privileges': ['SELECT', 'CREATE VIEW'],
    'mariadb_user_host': '%', 'initialise': True, 'distribution': '/srv/hermod-3.6.1.zip',
    'script_pattern': r'hermod-(?P<version>\d[\w.-]*)\.sql', 'script_dir': 'db/postgresql', 'install_client': True,
}


def error(**changes):
    return hermod_database_input_error(dict(GOOD, **changes))


def test_registered_and_good_inputs_pass():
    assert FilterModule().filters()['hermod_database_input_error'] is hermod_database_input_error
    assert error() == ''
    assert error(engine='mariadb') == ''
    assert error(engine='mssql', install_server=False, admin_socket=False, admin_password=ADMIN_PASSWORD) == ''


@pytest.mark.parametrize('changes, expected', [
    ({'engine': 'sqlite'}, "hermod_database_engine is 'sqlite'; it must be one of postgresql, mariadb, mssql, oracle."),
    ({'engine': ['postgresql']}, 'hermod_database_engine is'),
    ({'password': ''}, 'hermod_database_password must be set'),
    ({'password': None}, 'hermod_database_password must be set'),
    ({'password': ['secret']}, 'hermod_database_password must be set'),
    ({'password': 'first\nsecond'}, 'hermod_database_password must be set to a non-empty string without line breaks'),
    ({'port': 'abc'}, 'hermod_database_port (0 for the engine\'s default, or 1-65535; is abc)'),
    ({'port': 70000}, "hermod_database_port (0 for the engine's default, or 1-65535; is 70000)"),
    ({'port': True}, 'hermod_database_port'),
    ({'name': ''}, "are '', 'hermod', "),
    ({'name': 'hermod"; DROP DATABASE legacy; --'}, "are 'hermod\"; DROP DATABASE legacy; --'"),
    ({'name': 'h' * 64}, "are '%s'" % ('h' * 64)),
    ({'name': 'hermod\n'}, 'hermod_database_name'),
    ({'user': ''}, "are 'hermod', '', "),
    ({'host': 'db host'}, "hermod_database_host (a host name or address; is 'db host')"),
    ({'engine': 'mssql'}, 'hermod_database_install_server and hermod_database_admin_socket work with postgresql and mariadb only'),
    ({'admin_socket': False}, 'connects as postgres over the network: set hermod_database_admin_password'),
    ({'admin_socket': 'false'}, 'hermod_database_admin_socket must be true or false (a boolean'),
    ({'install_server': 'yes', 'initialise': 1}, 'hermod_database_install_server, hermod_database_initialise must be'),
    ({'server_client_networks': '10.0.0.0/8'}, 'hermod_database_server_client_networks must be a list'),
    ({'server_client_networks': ['10.0.0.0/8 trust']}, 'is ["10.0.0.0/8 trust"]'),
    ({'server_client_networks': {'a': '10.0.0.0/8'}}, 'hermod_database_server_client_networks must be a list'),
    ({'server_client_networks': [datetime.date(2024, 1, 1)]}, 'is ["2024-01-01"]'),
    ({'server_listen_addresses': "*' ssl = 'off"}, 'hermod_database_server_listen_addresses must be localhost, *, or host names'),
    ({'server_listen_addresses': ['*']}, 'hermod_database_server_listen_addresses'),
    ({'engine': 'mariadb', 'mariadb_privileges': 'ALL'}, 'hermod_database_mariadb_privileges must be a list'),
    ({'engine': 'mariadb', 'mariadb_privileges': ['select']}, 'is ["select"]'),
    ({'engine': 'mariadb', 'mariadb_privileges': []}, 'hermod_database_mariadb_privileges must be a list'),
    ({'engine': 'mariadb', 'mariadb_user_host': "%' OR 1"}, 'hermod_database_mariadb_user_host must be'),
    ({'distribution': ''}, "set hermod_database_distribution (the Hermod distribution zip, tar or directory; is '')"),
    ({'script_pattern': r'hermod-(\d[\w.-]*)\.sql'}, 'hermod_database_script_pattern with a (?P<version>...) group'),
    ({'script_dir': '/db/postgresql'}, "hermod_database_script_dir relative to the distribution (is '/db/postgresql')"),
    ({'script_dir': '../db/postgresql'}, "hermod_database_script_dir relative to the distribution (is '../db/postgresql')"),
])
def test_each_bad_input_is_named(changes, expected):
    message = error(**changes)
    assert expected in message
    assert PASSWORD not in message and ADMIN_PASSWORD not in message


def test_checks_that_do_not_apply_are_left_out():
    # Listen addresses matter only for a server the role installs; privileges only for MariaDB;
    # the script settings only when the role initialises.
    assert error(install_server=False, server_listen_addresses=['*']) == ''
    assert error(mariadb_privileges='ALL') == ''
    assert error(initialise=False, distribution='') == ''
    assert error(admin_socket=False, admin_password=ADMIN_PASSWORD) == ''
    assert error(create=False, admin_socket=False) == ''
