# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters for Hermod API keys, its client list and versioned distribution files.

Their documentation is in the YAML file named after each filter, beside this one.
"""

from __future__ import annotations

import functools
import re

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils.hermod import (
    DEFAULT_CLIENTS_PATH,
    HAS_YAML,
    HermodError,
    client_entries,
    decode_x_api_key,
    describe_yaml_error,
    key_requests,
    encode_x_api_key,
    load_yaml_documents,
    place_values,
    read_clients,
    service_keys,
    service_nodes,
    unread_nodes,
)

if HAS_YAML:
    from yaml import YAMLError
else:  # pragma: no cover - PyYAML comes with ansible-core
    YAMLError = ValueError


def x_api_key(client_id, key):
    try:
        return encode_x_api_key(client_id, key)
    except HermodError as error:
        raise AnsibleFilterError('x_api_key: %s' % error) from None


def parse_x_api_key(value):
    try:
        client_id, key = decode_x_api_key(value)
    except HermodError as error:
        raise AnsibleFilterError('parse_x_api_key: %s' % error) from None
    return {'client_id': client_id, 'key': key}


def hermod_clients(text, clients_path=DEFAULT_CLIENTS_PATH):
    """Hermod's clients in the text of cod-hermod.yml, read as Spring binds them (the hermod_client module's reader)."""
    try:
        documents = load_yaml_documents(text or '')
        clients = read_clients(documents, clients_path, ('client_id', 'key', 'callback_url', 'callback_basic_auth'))
    except HermodError as error:
        raise AnsibleFilterError('hermod_clients: %s' % error) from None
    except YAMLError as error:
        raise AnsibleFilterError('hermod_clients: the file is not valid YAML: %s' % describe_yaml_error(error)) from None
    return [dict((name, '' if value is None else str(value)) for name, value in client.items()) for client in clients]


def hermod_client_entries(clients, keys):
    """The hermod role's clients as cod-hermod.yml's allowedClients entries, each with its key from keys."""
    try:
        return client_entries(clients, keys)
    except HermodError as error:
        raise AnsibleFilterError('hermod_client_entries: %s' % error) from None


def hermod_key_requests(clients):
    """The hermod role's clients as the hermod_client module's clients option: id and given key (None: keep or make)."""
    return key_requests(clients)


def hermod_place_values(tree, placed):
    """tree with values set at dotted paths, e.g. the datasource at hermod_datasource_path."""
    try:
        return place_values(tree, placed)
    except HermodError as error:
        raise AnsibleFilterError('hermod_place_values: %s' % error) from None


def _host_fact(hostvars, host, name):
    facts = hostvars[host] if host in hostvars else {}
    return facts.get(name) if hasattr(facts, 'get') else None


def hermod_service_unread(service_hosts, batch, hostvars, settled_var='hermod__settled_keys'):
    """The nodes of the Hermod service whose deployed keys the role must read: not in this batch, none settled."""
    settled = [host for host in service_hosts if _host_fact(hostvars, host, settled_var) is not None]
    return unread_nodes(list(service_hosts), list(batch), settled)


def hermod_service_keys(own, service_hosts, this_host, batch, hostvars, reads=(), rotate=False,
                        result_var='hermod__keys_result', settled_var='hermod__settled_keys'):
    """This node's keys, the same on every node of the service: given, else settled, else deployed, else generated."""
    known = {}
    for host in service_hosts:
        result = _host_fact(hostvars, host, result_var)
        known[host] = {'result': result.get('clients') if isinstance(result, Mapping) else None,
                       'settled': _host_fact(hostvars, host, settled_var)}
    read = {}
    for item in reads or []:
        if isinstance(item, Mapping) and item.get('clients') is not None:
            read[item['hermod__peer']] = item['clients']
    try:
        nodes = service_nodes(list(service_hosts), this_host, own, list(batch), known, read)
        return service_keys(own, nodes, rotate=bool(rotate))
    except HermodError as error:
        raise AnsibleFilterError('hermod_service_keys: %s' % error) from None


_VERSION_TOKEN = re.compile(r'[0-9]+|[A-Za-z]+')

# Maven's order, which Hermod's releases (3.6.1.RELEASE) follow: pre-releases below the release,
# service packs above it, unknown qualifiers above everything known, alphabetically.
_QUALIFIER_ORDER = ('dev', 'alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp')
_QUALIFIER_ALIASES = {
    'a': 'alpha', 'b': 'beta', 'm': 'milestone', 'cr': 'rc', 'pre': 'rc', 'preview': 'rc',
    'ga': '', 'final': '', 'release': '',
}
_RELEASE_RANK = _QUALIFIER_ORDER.index('')
_UNKNOWN_RANK = len(_QUALIFIER_ORDER)


def _qualifier_item(word):
    word = word.lower()
    word = _QUALIFIER_ALIASES.get(word, word)
    if word in _QUALIFIER_ORDER:
        return (0, _QUALIFIER_ORDER.index(word), '')
    return (0, _UNKNOWN_RANK, word)


def version_items(version):
    """The comparable items of a version string: numbers rank above any qualifier.

    Zeros ending a run of numbers are dropped, so 1.0, 1 and 1.0.0 are one version, as are
    2.0-RC1 and 2.0.0-RC1.
    """
    items = []
    run = []
    for token in _VERSION_TOKEN.findall(version):
        if token.isdigit():
            run.append(int(token))
            continue
        while run and run[-1] == 0:
            run.pop()
        items.extend((1, number, '') for number in run)
        run = []
        items.append(_qualifier_item(token))
    while run and run[-1] == 0:
        run.pop()
    items.extend((1, number, '') for number in run)
    return items


def compare_versions(left, right):
    """-1, 0 or 1 as version string left is below, equal to or above right."""
    left_items, right_items = version_items(left), version_items(right)
    for index in range(max(len(left_items), len(right_items))):
        left_item = left_items[index] if index < len(left_items) else None
        right_item = right_items[index] if index < len(right_items) else None
        # A missing item is 0 against a number and "release" against a qualifier:
        # 1.1 > 1, 2.0-RC1 < 2.0, 2.0-SP1 > 2.0.
        if left_item is None:
            left_item = (1, 0, '') if right_item[0] == 1 else (0, _RELEASE_RANK, '')
        if right_item is None:
            right_item = (1, 0, '') if left_item[0] == 1 else (0, _RELEASE_RANK, '')
        if left_item != right_item:
            return -1 if left_item < right_item else 1
    return 0


def _basename(path):
    return path.rstrip('/').rsplit('/', 1)[-1]


def highest_version(paths, pattern):
    if isinstance(paths, (str, bytes)) or not isinstance(paths, Sequence):
        raise AnsibleFilterError('highest_version: expected a list of file names or paths, got %s' % type(paths).__name__)
    if not isinstance(pattern, str) or not pattern:
        raise AnsibleFilterError('highest_version: pattern must be a non-empty regular expression')
    try:
        regex = re.compile(pattern)
    except re.error as error:
        raise AnsibleFilterError('highest_version: invalid pattern %r: %s' % (pattern, error)) from None
    if not regex.groups:
        raise AnsibleFilterError("highest_version: pattern %r has no group; capture the version in (?P<version>...)" % pattern)
    group = 'version' if 'version' in regex.groupindex else 1

    candidates = []
    seen = set()
    for item in paths:
        path = item.get('path') if isinstance(item, Mapping) else item
        if isinstance(item, Mapping) and not isinstance(path, str):
            raise AnsibleFilterError('highest_version: a dict element must have a path, as the results of ansible.builtin.find do')
        if not isinstance(path, str):
            raise AnsibleFilterError(
                'highest_version: every element must be a file name or path, got %s' % type(item).__name__)
        if path in seen:
            continue
        seen.add(path)
        match = regex.fullmatch(_basename(path))
        if match and match.group(group):
            candidates.append((match.group(group), path, item))

    if not candidates:
        shown = ', '.join(sorted(seen)[:10]) + (', ...' if len(seen) > 10 else '')
        raise AnsibleFilterError('highest_version: no name matches %r among %d name(s)%s'
                                 % (pattern, len(seen), ': ' + shown if seen else ''))

    by_version = functools.cmp_to_key(compare_versions)
    best_version = max((candidate[0] for candidate in candidates), key=by_version)
    best = [candidate for candidate in candidates if compare_versions(candidate[0], best_version) == 0]
    if len(best) > 1:
        raise AnsibleFilterError('highest_version: %s carry the same highest version %s; remove all but one'
                                 % (' and '.join(candidate[1] for candidate in best), best_version))
    return best[0][2]


class FilterModule:
    """Hermod API keys and versioned file names."""

    def filters(self):
        return {
            'x_api_key': x_api_key,
            'parse_x_api_key': parse_x_api_key,
            'highest_version': highest_version,
            'hermod_clients': hermod_clients,
            'hermod_client_entries': hermod_client_entries,
            'hermod_key_requests': hermod_key_requests,
            'hermod_place_values': hermod_place_values,
            'hermod_service_keys': hermod_service_keys,
            'hermod_service_unread': hermod_service_unread,
        }
