# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""verify_input_error: each bad input of the verify role named by variable."""

from __future__ import annotations

import pytest

from ansible_collections.prime_hermod.stack.plugins.filter.inputs import FilterModule, verify_input_error

GOOD = {'certificate_min_days': 30, 'prime_group': 'prime', 'hermod_group': 'hermod', 'prime_client_id': 'prime',
        'hermod_clients_path': 'application.hermod.allowedClients',
        'database_script_pattern': r'hermod-(?P<version>\d[\w.-]*)\.sql'}


def test_registered_and_good_inputs_pass():
    assert FilterModule().filters()['verify_input_error'] is verify_input_error
    assert verify_input_error(GOOD) == ''
    assert verify_input_error(dict(GOOD, certificate_min_days='0')) == ''


@pytest.mark.parametrize('changes, expected', [
    ({'certificate_min_days': -1}, 'verify_certificate_min_days must be 0 or more (is -1)'),
    ({'certificate_min_days': 'soon'}, 'verify_certificate_min_days must be 0 or more (is soon)'),
    ({'hermod_group': 'prime'}, "verify_prime_group and verify_hermod_group must be two different group names (are 'prime' and 'prime')"),
    ({'prime_group': ''}, 'verify_prime_group and verify_hermod_group'),
    ({'prime_client_id': 'prime:x'}, "verify_prime_client_id must be a client id without ':' or whitespace (is 'prime:x')"),
    ({'hermod_clients_path': 'application..clients'}, 'verify_hermod_clients_path must be a dotted path'),
    ({'database_script_pattern': 'hermod-(.*).sql'}, 'verify_database_script_pattern must have a (?P<version>...) group'),
])
def test_each_bad_input_is_named(changes, expected):
    assert expected in verify_input_error(dict(GOOD, **changes))
