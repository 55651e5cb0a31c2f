# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Show a change to a file holding secrets without showing the secrets.

Shared by the mask_paths and unified_diff filters (on the controller) and
the hermod_config module (on the target), so a diff masks the same paths in
the same spellings wherever it is made.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from ansible_collections.prime_hermod.stack.plugins.module_utils.hermod import relaxed_name

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


def _names(key, relaxed):
    """The path elements a key spells: itself, or with relaxed binding its dotted parts as Spring compares them."""
    if not relaxed:
        return [key]
    return [relaxed_name(part) for part in str(key).split('.')]


def _wanted(parts, relaxed):
    return [relaxed_name(part) if relaxed else part for part in parts]


def _consumed(key, parts, relaxed):
    """How many elements of parts (their [] marks stripped) the key stands for, or 0."""
    names = _names(key, relaxed)
    plain = [part[:-2] if part.endswith('[]') else part for part in parts[:len(names)]]
    if len(plain) < len(names) or names != _wanted(plain, relaxed):
        return 0
    # Only the last element a key stands for may be a list of every element.
    return len(names) if not any(part.endswith('[]') for part in parts[:len(names) - 1]) else 0


def _find(node, path, relaxed):
    """The value under node at path (key elements, and list indexes as ints), however the keys spell it, or _ABSENT."""
    if not path:
        return node
    if isinstance(path[0], int):
        if isinstance(node, list) and path[0] < len(node):
            return _find(node[path[0]], path[1:], relaxed)
        return _ABSENT
    if isinstance(node, Mapping):
        for key, value in node.items():
            names = _names(key, relaxed)
            taken = path[:len(names)]
            if len(taken) == len(names) and not any(isinstance(element, int) for element in taken) \
                    and names == _wanted(taken, relaxed):
                found = _find(value, path[len(names):], relaxed)
                if found is not _ABSENT:
                    return found
    return _ABSENT


def _mask(node, parts, mask, other, relaxed, where=()):
    """node with the values at parts masked; other (None: no comparison) is looked up at the same place, where."""
    if not parts:
        if node in (None, ''):
            return node
        # Tell a changed secret from an unchanged one without showing either.
        return mask + ' (changed)' if other is not None and _find(other, list(where), relaxed) != node else mask
    if not isinstance(node, Mapping):
        return node
    for key in list(node):
        count = _consumed(key, parts, relaxed)
        if not count:
            continue
        each = parts[count - 1].endswith('[]')
        here = where + tuple(part[:-2] if part.endswith('[]') else part for part in parts[:count])
        rest = parts[count:]
        if not each:
            node[key] = _mask(node[key], rest, mask, other, relaxed, here)
        elif isinstance(node[key], list):
            node[key] = [_mask(item, rest, mask, other, relaxed, here + (index,)) for index, item in enumerate(node[key])]
    return node


def mask_paths(data, paths, mask=MASK, compare_to=None, relaxed_binding=False):
    """A copy of data with the values at paths masked; with compare_to, a secret that differs there is marked."""
    if not isinstance(paths, list) or not all(isinstance(path, str) and path for path in paths):
        raise ValueError('the paths must be a list of non-empty strings')
    masked = _copy(data)
    for path in paths:
        masked = _mask(masked, path.split('.'), mask, compare_to, bool(relaxed_binding))
    return masked


def unified_diff(before, after, before_header='before', after_header='after'):
    """The unified diff of two texts."""
    return ''.join(difflib.unified_diff(
        before.splitlines(True), after.splitlines(True), fromfile=before_header, tofile=after_header))
