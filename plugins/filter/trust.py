# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The trust role's planning filters. Documented in the YAML file named after each filter."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils.peer_trust import (
    cacerts_paths,
    peer_certificates,
    truststores,
    unreached_peers,
)


def trust_peer_certificates(sides, mode, groups, hostvars, ca_certificates=None, alias_prefix=''):
    try:
        return peer_certificates(sides, mode, groups, hostvars, ca_certificates or [], alias_prefix or '')
    except (KeyError, TypeError) as error:
        raise AnsibleFilterError('trust_peer_certificates: %s' % error) from None


def trust_stores(plan, info, cacerts_stats, mode):
    try:
        return truststores(plan, info, cacerts_paths(cacerts_stats), mode)
    except KeyError as error:
        raise AnsibleFilterError('trust_stores: no %s in what the tomcat role reported' % error) from None


def trust_unreached_peers(group_names, groups, hostvars):
    try:
        return unreached_peers(group_names, groups, hostvars)
    except (KeyError, TypeError) as error:
        raise AnsibleFilterError('trust_unreached_peers: %s' % error) from None


class FilterModule:
    def filters(self):
        return {'trust_peer_certificates': trust_peer_certificates, 'trust_stores': trust_stores,
                'trust_unreached_peers': trust_unreached_peers}
