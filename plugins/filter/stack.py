# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where the collection's playbooks run. Documented in stack_hosts.yml."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils.stack_hosts import SHARED_VARIABLES, resolve


def stack_hosts(groups, values, needs, playbook, variables=None):
    try:
        return resolve(groups, values or {}, variables or SHARED_VARIABLES, needs or [], playbook)
    except ValueError as error:
        raise AnsibleFilterError('stack_hosts: %s' % error) from None


class FilterModule:
    def filters(self):
        return {'stack_hosts': stack_hosts}
