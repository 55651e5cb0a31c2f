# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the hermod_client module and marks its result for censoring.

A module cannot hide what it returns: the controller strips _ansible_no_log from module
results, and putting the key into no_log_values would replace the returned key itself with
asterisks. An action plugin may set _ansible_no_log, which makes callbacks and log files
censor the result while the registered variable keeps the key and X-Api-Key.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp

        result = merge_hash(result, self._execute_module(
            module_name='prime_hermod.stack.hermod_client', module_args=self._task.args, task_vars=task_vars))
        self._remove_tmp_path(self._connection._shell.tmpdir)

        # Failures carry no key; leave their message readable.
        if 'key' in result or 'x_api_key' in result or 'clients' in result:
            result['_ansible_no_log'] = True
        return result
