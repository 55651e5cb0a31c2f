# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module's main() as Ansible runs it: its real exit_json and fail_json, its printed result."""

from __future__ import annotations

import contextlib
import io
import json
from unittest import mock

from ansible.module_utils import basic

from ansible.module_utils.common.parameters import PASS_VARS

try:
    from ansible.module_utils.testing import patch_module_args as _patch_module_args
except ImportError:  # ansible-core before 2.19 reads the arguments from basic._ANSIBLE_ARGS
    @contextlib.contextmanager
    def _patch_module_args(args=None):
        serialized = json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode()
        with mock.patch.object(basic, '_ANSIBLE_ARGS', serialized):
            yield

# ansible-core 2.21 returns a result's invocation only when the controller
# asks for it; the tests ask, so that its masking is tested on every version.
_INVOCATION = {'_ansible_inject_invocation': True} if 'inject_invocation' in PASS_VARS else {}


def patch_module_args(args=None):
    """The module arguments main() reads, the invocation asked for where ansible-core asks."""
    return _patch_module_args(dict(_INVOCATION, **(args or {})))


def call_main(main, args, check=False, diff=False):
    """The result main() prints for args, with its raw text under '_raw', and its exit code."""
    args = dict(args, _ansible_check_mode=check, _ansible_diff=diff)
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit as exit_info:
            code = exit_info.code
        else:
            code = None
    result = json.loads(out.getvalue())
    result['_raw'] = out.getvalue()
    return result, code


def expect(result, code, failure=False):
    """Assert that the module failed (failure) or succeeded, both in its result and in its exit code."""
    if failure:
        assert result.get('failed') and code == 1, result
    else:
        assert not result.get('failed') and code == 0, result
    return result
