# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The verify role's input checks: its report cannot be trusted when its own inputs are wrong."""

from __future__ import annotations

from ansible_collections.prime_hermod.stack.plugins.module_utils.role_inputs import (
    CLIENT_ID, DOTTED_PATH, full_match, is_text, to_integer,
)

VALUES = ('certificate_min_days', 'prime_group', 'hermod_group', 'prime_client_id', 'hermod_clients_path',
          'database_script_pattern')


def first_error(v):
    """The first problem with the verify role's inputs, or ''."""
    days = to_integer(v['certificate_min_days'])
    if days is None or days < 0:
        return 'verify_certificate_min_days must be 0 or more (is %s)' % (v['certificate_min_days'],)
    prime, hermod = v['prime_group'], v['hermod_group']
    if not (is_text(prime) and prime and is_text(hermod) and hermod and prime != hermod):
        return ("verify_prime_group and verify_hermod_group must be two different group names (are '%s' and '%s')"
                % (prime, hermod))
    if not full_match(CLIENT_ID, v['prime_client_id']):
        return ("verify_prime_client_id must be a client id without ':' or whitespace (is '%s')" % (v['prime_client_id'],))
    if not full_match(DOTTED_PATH, v['hermod_clients_path']):
        return ("verify_hermod_clients_path must be a dotted path like application.hermod.allowedClients (is '%s')"
                % (v['hermod_clients_path'],))
    if not (is_text(v['database_script_pattern']) and '(?P<version>' in v['database_script_pattern']):
        return ("verify_database_script_pattern must have a (?P<version>...) group (is '%s')"
                % (v['database_script_pattern'],))
    return ''
