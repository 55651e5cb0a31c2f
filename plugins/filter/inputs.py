# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The roles' input checks as filters. Each is documented in the YAML file of its name beside this one."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils import (
    hermod_database_inputs, hermod_inputs, prime_inputs, verify_inputs,
)


def _values(values, wanted, name):
    missing = [key for key in wanted if key not in values]
    if missing:
        raise AnsibleFilterError('%s: the role passed no %s' % (name, ', '.join(missing)))
    return values


def prime_input_error(values):
    return prime_inputs.first_error(_values(values, prime_inputs.VALUES, 'prime_input_error'))


def hermod_database_input_error(values):
    return hermod_database_inputs.first_error(_values(values, hermod_database_inputs.VALUES, 'hermod_database_input_error'))


def hermod_input_error(values):
    return hermod_inputs.first_error(_values(values, hermod_inputs.VALUES, 'hermod_input_error'))


def verify_input_error(values):
    return verify_inputs.first_error(_values(values, verify_inputs.VALUES, 'verify_input_error'))


class FilterModule:
    def filters(self):
        return {
            'hermod_database_input_error': hermod_database_input_error,
            'hermod_input_error': hermod_input_error,
            'prime_input_error': prime_input_error,
            'verify_input_error': verify_input_error,
        }
