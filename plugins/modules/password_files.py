#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: password_files
short_description: Generate each password file once and return the passwords of all of them
version_added: 0.1.0
description:
  - For every file of O(files), in one call - when the file is missing, writes a new random password into it
    (letters and digits, O(length) characters, no newline, from Python's C(secrets)); when it exists, reads the
    password it holds. Either way the module returns the password, so that one task gives a play the passwords
    of many stores, and an existing password is never replaced.
  - Each file gets the O(files[].owner), O(files[].group) and O(files[].mode) given, also when it already existed.
  - A new file is written completely under a temporary name beside it, with its owner, group and mode set, and
    then linked to its name, which fails when the name exists. A reader never sees it half written, and when
    two runs create the same file at once, one password wins and both runs return it.
  - An existing empty file is an error, not a password; remove it to get a new password (and rebuild what the
    old one protected).
  - The result holds the passwords. Use C(no_log) on the task.
author:
  - prime_hermod.stack maintainers (@prime-hermod)
options:
  files:
    description: The password files.
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description: Path of the file on the target. Its directory must exist.
        type: path
        required: true
      owner:
        description: Owner of the file. Omitted - the user the module runs as (a new file) or unchanged.
        type: str
      group:
        description: Group of the file. Omitted - the user's group (a new file) or unchanged.
        type: str
      mode:
        description: Mode of the file, as for M(ansible.builtin.file).
        type: raw
        default: '0600'
  length:
    description: Number of characters of a new password.
    type: int
    default: 32
attributes:
  check_mode:
    support: full
    description: A missing file is reported as created and has no password in the result; nothing is written.
  diff_mode:
    support: partial
    description: Shows which files are created and the owner, group and mode that change, never a password.
  platform:
    description: Any POSIX target with Python, on a filesystem with hard links.
    support: full
    platforms: posix
notes:
  - A password is read without the line ending that may follow it, as Tomcat's C(certificateKeystorePasswordFile)
    and C(keytool -storepass:file) read the file; a file of more than one line is an error.
seealso:
  - module: ansible.builtin.copy
  - plugin: ansible.builtin.password
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Create or read the keystore and truststore passwords
  prime_hermod.stack.password_files:
    files:
      - path: /srv/tomcat/hermod/conf/tls/keystore.pass
        owner: root
        group: tomcat-hermod
        mode: "0640"
      - path: /srv/tomcat/hermod/conf/truststore.pass
        owner: root
        group: tomcat-hermod
        mode: "0640"
  register: passwords
  no_log: true

- name: Use one of them
  community.crypto.openssl_pkcs12:
    path: /srv/tomcat/hermod/conf/tls/keystore.p12
    privatekey_path: /srv/tomcat/hermod/conf/tls/server.key
    certificate_path: /srv/tomcat/hermod/conf/tls/server.crt
    passphrase: "{{ passwords.passwords['/srv/tomcat/hermod/conf/tls/keystore.pass'] }}"
  when: "'/srv/tomcat/hermod/conf/tls/keystore.pass' in passwords.passwords"
"""

RETURN = r"""
passwords:
  description: The password of each file by its path; in check mode a file that would be created is missing.
  returned: always
  type: dict
  sample: {/srv/tomcat/hermod/conf/tls/keystore.pass: "********"}
created:
  description: The files this run created (in check mode, would create), in the order of O(files).
  returned: always
  type: list
  elements: str
  sample: [/srv/tomcat/hermod/conf/truststore.pass]
"""

import os
import secrets
import string
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.prime_hermod.stack.plugins.module_utils.password_file import password_from_file_text

ALPHABET = string.ascii_letters + string.digits


def new_password(length):
    return ''.join(secrets.choice(ALPHABET) for dummy in range(length))


def read_password(module, path):
    """The password in path, one line ending removed as Tomcat and keytool read such a file."""
    with open(path, 'r') as handle:
        password = password_from_file_text(handle.read())
    if not password:
        module.fail_json(msg='%s is empty; remove it to have a new password generated, and rebuild what the old one '
                             'protected' % path)
    if '\n' in password or '\r' in password:
        module.fail_json(msg='%s holds more than one line; a password file holds the password alone' % path)
    return password


def create(module, spec, password, diff):
    """Writes password to spec's path unless it exists meanwhile; returns whether this run created the file."""
    path = spec['path']
    fd, staged = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp', dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, 'w') as handle:
            handle.write(password)
            handle.flush()
            os.fsync(handle.fileno())
        module.set_fs_attributes_if_different(file_args(module, spec, staged), False, diff)
        try:
            os.link(staged, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(staged)


def file_args(module, spec, path):
    return module.load_file_common_arguments(
        {'path': path, 'owner': spec.get('owner'), 'group': spec.get('group'), 'mode': spec.get('mode')})


def run(module):
    params = module.params
    if params['length'] < 8:
        module.fail_json(msg='length must be 8 or more, not %d' % params['length'])
    result = {'changed': False, 'passwords': {}, 'created': []}
    diffs = []
    for index, spec in enumerate(params['files']):
        path = spec['path']
        directory = os.path.dirname(path) or '.'
        if not os.path.isdir(directory) and not module.check_mode:
            module.fail_json(msg='files[%d].path: directory %s does not exist' % (index, directory), **without(result))
        diff = {'before': {'path': path}, 'after': {'path': path}}
        try:
            if not os.path.exists(path):
                diff['before']['state'], diff['after']['state'] = 'absent', 'file'
                if module.check_mode:
                    result['created'].append(path)
                    result['changed'] = True
                    diffs.append(diff)
                    continue
                if create(module, spec, new_password(params['length']), {'before': {}, 'after': {}}):
                    result['created'].append(path)
                    result['changed'] = True
                    diffs.append(diff)
                    result['passwords'][path] = read_password(module, path)
                    continue
            result['passwords'][path] = read_password(module, path)
            if module.set_fs_attributes_if_different(file_args(module, spec, path), False, diff):
                result['changed'] = True
                diffs.append(diff)
        except (IOError, OSError) as exc:
            module.fail_json(msg='files[%d].path: %s: %s' % (index, path, to_native(exc)), **without(result))
    if module._diff:
        result['diff'] = diffs
    module.exit_json(**result)


def without(result):
    """The result of a failed run, without the passwords read before the failure."""
    return dict((key, value) for key, value in result.items() if key != 'passwords')


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type='list', elements='dict', required=True, options=dict(
                path=dict(type='path', required=True),
                owner=dict(type='str'),
                group=dict(type='str'),
                mode=dict(type='raw', default='0600'),
            )),
            length=dict(type='int', default=32, no_log=False),
        ),
        supports_check_mode=True,
    )
    run(module)


if __name__ == '__main__':
    main()
