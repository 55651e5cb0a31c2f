# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that show a change to a file holding secrets without showing the secrets.

Their documentation is in the YAML file named after each filter, beside this one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

MASK = '********'


_ABSENT = object()


def _copy(node):
    # Built item by item, not with copy.deepcopy: a variable's lazily
    # templated containers are resolved while the filter runs.
    if isinstance(node, Mapping):
        return {key: _copy(value) for key, value in node.items()}
    if isinstance(node, Sequence) and not isinstance(node, (str, bytes)):
        return [_copy(item) for item in node]
    return node


def _child(node, name):
    return node.get(name, _ABSENT) if isinstance(node, Mapping) else _ABSENT


def _mask(node, parts, mask, other):
    if not parts:
        if node in (None, ''):
            return node
        # Tell a changed secret from an unchanged one without showing either.
        return mask + ' (changed)' if other is not None and other != node else mask
    name, rest = parts[0], parts[1:]
    each = name.endswith('[]')
    if each:
        name = name[:-2]
    if not isinstance(node, Mapping) or name not in node:
        return node
    other_child = _child(other, name) if other is not None else None
    if each:
        if isinstance(node[name], list):
            others = other_child if isinstance(other_child, list) else []
            node[name] = [
                _mask(item, rest, mask, (others[index] if index < len(others) else _ABSENT) if other is not None else None)
                for index, item in enumerate(node[name])
            ]
        return node
    node[name] = _mask(node[name], rest, mask, other_child)
    return node


def mask_paths(data, paths, mask=MASK, compare_to=_ABSENT):
    if not isinstance(paths, list) or not all(isinstance(path, str) and path for path in paths):
        raise AnsibleFilterError('mask_paths: the paths must be a list of non-empty strings')
    masked = _copy(data)
    for path in paths:
        masked = _mask(masked, path.split('.'), mask, None if compare_to is _ABSENT else compare_to)
    return masked


def unified_diff(before, after, before_header='before', after_header='after'):
    for name, value in (('before', before), ('after', after)):
        if not isinstance(value, str):
            raise AnsibleFilterError('unified_diff: %s must be a string, not %s' % (name, type(value).__name__))
    return ''.join(difflib.unified_diff(
        before.splitlines(True), after.splitlines(True), fromfile=before_header, tofile=after_header))


class FilterModule:
    def filters(self):
        return {
            'mask_paths': mask_paths,
            'unified_diff': unified_diff,
        }
