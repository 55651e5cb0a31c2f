#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: host_requirements
short_description: Check in one call that a host has the commands, Python modules and files a role needs
version_added: 0.2.0
description:
  - Looks for every item of O(requirements) on the target and fails, naming each item that is missing and the
    variable that asks for it, when any is. Changes nothing.
  - A role that installs no packages (its C(<role>_install_packages) is false) checks with it that what the packages
    would have provided is there; any role checks with it the paths its inventory names, such as a C(java_home),
    before it changes anything.
author:
  - prime_hermod.stack maintainers (@prime-hermod)
options:
  requirements:
    description: What the host must have. Each item names exactly one of O(requirements[].command),
      O(requirements[].python) and O(requirements[].path).
    type: list
    elements: dict
    required: true
    suboptions:
      command:
        description: A command found on E(PATH) or in C(/sbin), C(/usr/sbin) and C(/usr/local/sbin).
        type: str
      python:
        description: A module the Python that runs Ansible's modules on the target can import (it is found, not
          imported).
        type: str
      path:
        description: A file that must exist; see O(requirements[].executable).
        type: path
      executable:
        description: With O(requirements[].path), the file must also be a regular file the module may execute.
        type: bool
        default: false
      variable:
        description: The variable that asks for the item (and the instance, where there is one), named in the
          message when it is missing.
        type: str
  hint:
    description: A sentence added to the failure message, for example which switch made the role install nothing.
    type: str
    default: ''
attributes:
  check_mode:
    support: full
    description: Checks as in a normal run.
  diff_mode:
    support: none
    description: The module changes nothing, so it has no diff.
  platform:
    description: Any POSIX target with Python.
    support: full
    platforms: posix
seealso:
  - module: ansible.builtin.package
"""

EXAMPLES = r"""
- name: Check that the host has what the hermod role needs
  prime_hermod.stack.host_requirements:
    requirements:
      - python: yaml
        variable: hermod_install_packages
      - command: unzip
        variable: hermod_install_packages
      - path: /opt/java/jdk-17/bin/java
        executable: true
        variable: tomcat_instances[0].java_home (hermod)
    hint: hermod_install_packages is false, so the role installs nothing; install what is missing, or set it to true.
"""

RETURN = r"""
missing:
  description: The items of O(requirements) the host lacks, each as given.
  returned: always
  type: list
  elements: dict
  sample: [{command: unzip, variable: hermod_install_packages}]
"""

import importlib.util
import os
import stat
import sys

from ansible.module_utils.basic import AnsibleModule

KINDS = ('command', 'python', 'path')
SBIN = ['/sbin', '/usr/sbin', '/usr/local/sbin']


def _has_python_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _has_path(path, executable):
    try:
        info = os.stat(path)
    except OSError:
        return False
    if not executable:
        return True
    return stat.S_ISREG(info.st_mode) and os.access(path, os.X_OK)


def _present(module, item):
    if item['command']:
        return module.get_bin_path(item['command'], opt_dirs=SBIN) is not None
    if item['python']:
        return _has_python_module(item['python'])
    return _has_path(item['path'], item['executable'])


def describe(item):
    """The missing item as the failure message names it."""
    if item['command']:
        what = 'the command %s' % item['command']
    elif item['python']:
        what = 'the Python module %s (for %s)' % (item['python'], sys.executable)
    elif item['executable']:
        what = '%s, an executable file' % item['path']
    else:
        what = item['path']
    return '%s, from %s' % (what, item['variable']) if item['variable'] else what


def main():
    module = AnsibleModule(
        argument_spec=dict(
            requirements=dict(type='list', elements='dict', required=True, options=dict(
                command=dict(type='str'),
                python=dict(type='str'),
                path=dict(type='path'),
                executable=dict(type='bool', default=False),
                variable=dict(type='str'),
            ), mutually_exclusive=[KINDS], required_one_of=[KINDS]),
            hint=dict(type='str', default=''),
        ),
        supports_check_mode=True,
    )
    missing = [item for item in module.params['requirements'] if not _present(module, item)]
    result = dict(changed=False, missing=[dict((key, value) for key, value in item.items() if value)
                                          for item in missing])
    if missing:
        message = 'The host lacks %s.' % '; '.join(describe(item) for item in missing)
        if module.params['hint']:
            message += ' ' + module.params['hint']
        module.fail_json(msg=message, **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
