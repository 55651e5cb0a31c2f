# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that show a change to a file holding secrets without showing the secrets.

Their documentation is in the YAML file named after each filter, beside this one.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils.masking import MASK, mask_paths as _mask_paths
from ansible_collections.prime_hermod.stack.plugins.module_utils.masking import unified_diff as _unified_diff


def mask_paths(data, paths, mask=MASK, compare_to=None, relaxed_binding=False):
    try:
        return _mask_paths(data, paths, mask, compare_to, relaxed_binding)
    except ValueError as error:
        raise AnsibleFilterError('mask_paths: %s' % error) from None


def unified_diff(before, after, before_header='before', after_header='after'):
    for name, value in (('before', before), ('after', after)):
        if not isinstance(value, str):
            raise AnsibleFilterError('unified_diff: %s must be a string, not %s' % (name, type(value).__name__))
    return _unified_diff(before, after, before_header, after_header)


class FilterModule:
    def filters(self):
        return {
            'mask_paths': mask_paths,
            'unified_diff': unified_diff,
        }
