#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: java_properties
short_description: Set or remove keys in a Java .properties file, leaving every other line as it is
version_added: 0.1.0
description:
  - Sets and removes keys of a Java C(.properties) file on the target. Only the lines of the managed keys change;
    every other line, comment, blank line, line ending and the order of the file stay byte for byte as they were.
  - The file is read as java.util.Properties reads it, with logical lines continued by a trailing backslash, comments
    starting with C(#) or C(!), keys ending at the first unescaped C(=), C(:) or whitespace, and the escapes
    C(\\t), C(\\n), C(\\r), C(\\f) and C(\\uXXXX). The bytes are read as ISO-8859-1, like C(Properties.load(InputStream)).
  - Values and new keys are escaped where C(Properties.load) needs it, as C(Properties.store) does for an
    ISO-8859-1 file - backslashes, control characters, a leading space, a leading C(=) or C(:) (which would
    be taken for the separator after a C(key value) entry), every character outside printable ASCII as
    C(\\uXXXX) (a surrogate pair beyond the BMP); in keys also spaces, C(=), C(:) and a leading C(#) or C(!).
    The application reads the same value whether it loads the file as ISO-8859-1 or as UTF-8.
    C(=), C(:), C(#) and C(!) further inside a value stay unescaped, so URLs remain readable.
  - An existing entry is compared by its unescaped value; when it differs, all of its physical lines
    (continuations included) are replaced by one line that keeps the entry's indentation, key and separator.
    A key alone on its line (an empty value) gets C(=) as its separator.
  - When a key occurs more than once, the last occurrence is the one C(java.util.Properties) uses; that one is
    updated and the earlier ones are left alone. Removing a key removes every occurrence.
  - New keys are appended at the end of the file, in the order given. When the last line ends in a continuation
    backslash, a blank line is written first, which ends that entry without changing its value.
  - A symbolic link is followed, as by M(ansible.builtin.lineinfile) - the file it points to is changed and the
    link stays; O(owner), O(group), O(mode) and O(backup) apply to that file.
  - The new file is written next to the old one (next to the target of a link) and moved over it with one
    rename, which keeps its owner, mode and SELinux context.
  - From reading the file until the new version is in place, the module holds an exclusive C(flock) on
    C(.<name>.lock) beside the file, so that runs on one file at the same time (several plays, or several tasks of one host run in
    parallel) take turns and none loses the change of another. The lock file is created when missing, owned like
    the file where the module may do so, never readable or writable by others, and left in place afterwards -
    it is the only file a run leaves besides the file itself and a backup.
author:
  - prime_hermod.stack maintainers (@prime-hermod)
options:
  path:
    description:
      - Path of the properties file on the target. A symbolic link is followed.
    type: path
    required: true
    aliases: [dest]
  properties:
    description:
      - Keys to manage and their values. Strings are written as they are; V(true)/V(false) as C(true)/C(false);
        numbers as their decimal text.
      - A V(null) value removes the key.
      - Values appear in the diff. Put secrets in O(secret_properties).
    type: dict
    default: {}
  secret_properties:
    description:
      - Like O(properties), for values that must never be shown. Ansible hides the values in its output, and the
        diff shows C(********) in their place (C(******** (changed)) when the value changes).
      - A key may not be given in both O(properties) and O(secret_properties).
    type: dict
    default: {}
  secret_keys:
    description:
      - Further keys whose values the diff hides, wherever they appear in the file, managed or not
        (for example a database password the vendor keeps in the same file).
    type: list
    elements: str
    default: []
  state:
    description:
      - V(present) sets every key of O(properties) and O(secret_properties) (a V(null) value removes the key).
      - V(absent) removes every key listed, whatever the value given.
    type: str
    choices: [present, absent]
    default: present
  create:
    description:
      - Create the file when it does not exist. Without it, a missing file is an error.
      - A created file gets mode C(0600) unless O(mode) says otherwise, and is never readable by others on the way.
    type: bool
    default: false
  backup:
    description:
      - Keep a copy of the original file, with a timestamp in its name, when the file changes.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    description: Reports what would change, with the diff, without writing anything, not even the lock file.
  diff_mode:
    support: full
    description: Before and after text of the file with secret values masked, plus owner and mode changes.
  platform:
    description: Any POSIX target with Python.
    support: full
    platforms: posix
notes:
  - A malformed C(\\uXXXX) escape anywhere in the file fails the task, as it would fail C(Properties.load).
  - Comments of the original file are kept, but no comment is written for new keys.
  - The lock is advisory - it keeps runs of this module apart, not other programs writing the file. Readers
    always see a whole old or new file, thanks to the rename.
seealso:
  - name: java.util.Properties.load
    description: The file format.
    link: https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/util/Properties.html#load(java.io.Reader)
"""

EXAMPLES = r"""
- name: Point PRIME Explorer at Hermod
  prime_hermod.stack.java_properties:
    path: /var/lib/tomcat-instances/prime/webapps/prime_explorer/WEB-INF/classes/system.properties
    properties:
      provisionCallback.deviceNameField: deviceName
      hermod.url: https://hermod.example.com:28443/hermod/rest/command
    secret_properties:
      authenticationToken: "{{ prime_x_api_key }}"
    owner: root
    group: tomcat-prime
    mode: "0640"

- name: Remove a key that a newer release no longer reads
  prime_hermod.stack.java_properties:
    path: /opt/app/WEB-INF/classes/app.properties
    properties:
      legacy.setting: null

- name: Remove several keys at once
  prime_hermod.stack.java_properties:
    path: /opt/app/WEB-INF/classes/app.properties
    state: absent
    properties:
      debug.enabled:
      debug.port:

- name: Hide an unmanaged password in the diff too
  prime_hermod.stack.java_properties:
    path: /opt/app/WEB-INF/classes/database.properties
    properties:
      db.poolSize: 20
    secret_keys:
      - db.password
"""

RETURN = r"""
path:
  description: Path of the file, as given (a symbolic link is not resolved here).
  returned: always
  type: str
  sample: /var/lib/tomcat-instances/prime/webapps/prime_explorer/WEB-INF/classes/system.properties
changed_keys:
  description: Names of the keys whose value was set, added or removed (never their values).
  returned: always
  type: list
  elements: str
  sample: [authenticationToken, hermod.url]
created:
  description: Whether the file was created.
  returned: always
  type: bool
  sample: false
backup_file:
  description: Path of the backup of the original file.
  returned: when O(backup=true) and the file changed
  type: str
  sample: /opt/app/app.properties.12345.2026-01-01@00:00:00~
"""

import contextlib
import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.prime_hermod.stack.plugins.module_utils.atomic_replace import write_file
from ansible_collections.prime_hermod.stack.plugins.module_utils.file_lock import exclusive_lock
from ansible_collections.prime_hermod.stack.plugins.module_utils.java_properties import (
    FILE_ENCODING,
    PropertiesError,
    apply,
    line_ending,
    masks_for,
    parse,
    render,
)


def _value_text(key, value, option):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return str(value)
    raise TypeError('%s: the value of %s must be a string, a number, a boolean or null, got %s'
                    % (option, key, type(value).__name__))


def wanted_values(params):
    wanted = {}
    for option in ('properties', 'secret_properties'):
        for key, value in params[option].items():
            if not isinstance(key, str) or not key:
                raise TypeError('%s: every key must be a non-empty string' % option)
            if key in wanted:
                raise TypeError('%s is given in both properties and secret_properties' % key)
            wanted[key] = None if params['state'] == 'absent' else _value_text(key, value, option)
    return wanted


def read_text(path):
    with open(path, 'rb') as handle:
        return handle.read().decode(FILE_ENCODING)


def run(module):
    params = module.params
    path = params['path']
    # Like lineinfile: a symbolic link is followed, its target is edited and
    # the link stays a link.
    target = os.path.realpath(path)
    result = {'changed': False, 'path': path, 'changed_keys': [], 'created': False}

    try:
        wanted = wanted_values(params)
    except TypeError as error:
        module.fail_json(msg=to_native(error), **result)

    if os.path.isdir(target):
        module.fail_json(msg='%s is a directory' % path, **result)
    if not os.path.exists(target) and not params['create']:
        module.fail_json(msg='%s does not exist; set create=true to create it' % path, **result)

    with contextlib.ExitStack() as stack:
        # Check mode writes nothing, not even the lock file, and needs no
        # lock: a concurrent run swaps whole files, so the read sees one.
        if not module.check_mode:
            try:
                stack.enter_context(exclusive_lock(target))
            except (IOError, OSError) as error:
                module.fail_json(msg='cannot lock %s: %s' % (path, to_native(error)), **result)
        update(module, path, target, wanted, result)
    module.exit_json(**result)


def update(module, path, target, wanted, result):
    """Read target, change it and write it back, filling result."""
    params = module.params
    exists = os.path.exists(target)
    if not exists and not params['create']:
        # Removed by someone else since run() looked.
        module.fail_json(msg='%s does not exist; set create=true to create it' % path, **result)

    try:
        before_text = read_text(target) if exists else ''
    except (IOError, OSError) as error:
        module.fail_json(msg='cannot read %s: %s' % (path, to_native(error)), **result)

    try:
        before = parse(before_text)
    except PropertiesError as error:
        module.fail_json(msg='%s: %s' % (path, to_native(error)), **result)

    after, changed_keys, touched = apply(before, wanted, line_ending(before_text))
    after_text = render(after)
    content_changed = after_text != before_text or not exists
    result['changed_keys'] = changed_keys
    result['created'] = not exists

    secret = set(params['secret_keys']) | set(params['secret_properties'])
    content_diff = {
        'before_header': path if exists else '%s (absent)' % path,
        'after_header': path,
        'before': render(before, masks_for(before, secret)),
        'after': render(after, masks_for(after, secret, touched)),
    }

    if content_changed and not module.check_mode:
        if exists and params['backup']:
            result['backup_file'] = module.backup_local(target)
        try:
            write_file(module, target, after_text.encode(FILE_ENCODING))
        except (IOError, OSError) as error:
            module.fail_json(msg='cannot write %s: %s' % (path, to_native(error)), **result)

    attributes_diff = {'before': {'path': path}, 'after': {'path': path}}
    attributes_changed = False
    if exists or not module.check_mode:
        file_args = module.load_file_common_arguments(params, path=target)
        attributes_changed = module.set_fs_attributes_if_different(file_args, False, attributes_diff)

    result['changed'] = content_changed or attributes_changed
    if module._diff:
        result['diff'] = [content_diff, attributes_diff] if attributes_changed else content_diff


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True, aliases=['dest']),
            properties=dict(type='dict', default={}),
            secret_properties=dict(type='dict', default={}, no_log=True),
            secret_keys=dict(type='list', elements='str', default=[], no_log=False),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            create=dict(type='bool', default=False),
            backup=dict(type='bool', default=False),
        ),
        add_file_common_args=True,
        supports_check_mode=True,
    )
    run(module)


if __name__ == '__main__':
    main()
