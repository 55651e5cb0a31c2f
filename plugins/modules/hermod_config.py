#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: hermod_config
short_description: Write Hermod's configuration file from data, with its secrets masked in the diff
version_added: 0.1.0
author: prime_hermod.stack maintainers (@prime-hermod)
description:
  - Writes O(config) as YAML to O(path) (Hermod's C(cod-hermod.yml)), below an optional comment O(header).
  - The new file is written beside O(path) with its owner, group and mode already set, then renamed over it, so a
    reader sees the old file or the new one, never part of either, and the file is never readable by more users than
    O(mode) allows.
  - An exclusive lock on a lock file beside O(path) (and beside O(replaces)) is held from reading the deployed file to
    the rename, so runs at the same moment take turns.
  - A client key is never replaced by accident. Under the lock, every client of O(config) at O(clients_path) whose id is
    not in O(replace_keys) must have, in O(replaces), no key or the key O(config) gives it. Otherwise another run has
    deployed a key since this one was worked out (with M(prime_hermod.stack.hermod_client)), and the module fails
    without writing, so that no caller is left holding a key the file no longer has.
  - The diff shows the data of the deployed file and of the new one with the secrets masked - the values at
    O(secret_paths) and each client's key and callback credentials - matched in every spelling Spring's relaxed
    binding reads. A secret that changes is shown as V(******** (changed)). The module's arguments in its result are
    masked the same way.
extends_documentation_fragment:
  - ansible.builtin.files
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Predicts the change and the diff, and fails where the real run would, except for a missing directory of
      O(path), which a real run has created by then (the new release being unpacked), and a missing PyYAML, which
      a real run has installed by then; then it predicts a change.
  diff_mode:
    support: full
  platform:
    platforms: posix
options:
  path:
    description:
      - The configuration file to write. A symbolic link is followed and its target written.
      - Its directory must exist.
    type: path
    required: true
  config:
    description:
      - The configuration as data. Written with block style, keys in the order given, strings quoted where YAML would
        otherwise read them as another type.
    type: dict
    required: true
  header:
    description:
      - Text written above the data as YAML comments, each line prefixed with V(# ).
    type: str
    default: ''
  clients_path:
    description:
      - Dotted path of Hermod's client list in O(config) and in O(replaces), compared with Spring's relaxed binding.
    type: str
    default: application.hermod.allowedClients
  replace_keys:
    description:
      - Ids of the clients whose deployed key O(config) may replace with another one (a key given by the operator, a
        rotation).
      - For every other client a different deployed key fails the module, see the description.
    type: list
    elements: str
    default: []
  replaces:
    description:
      - The deployed file that O(path) replaces, when O(path) is written into a new release that is moved into place
        later. Its keys are the ones checked and the diff starts from it.
      - Defaults to O(path).
    type: path
  secret_paths:
    description:
      - Dotted paths of further secrets to mask in the diff and in the module's arguments, such as
        V(spring.datasource.password). V(list[].field) stands for that field of every element of a list.
    type: list
    elements: str
    default: []
requirements:
  - PyYAML on the target.
notes:
  - The task need not be C(no_log); a secret at a path not named in O(secret_paths) or O(clients_path) is shown in the
    diff, though.
seealso:
  - module: prime_hermod.stack.hermod_client
    description: Works out the clients' keys that go into O(config).
"""

EXAMPLES = r"""
- name: Work out the clients' keys, keeping the deployed ones
  prime_hermod.stack.hermod_client:
    clients:
      - client_id: prime
    config_path: /var/lib/tomcat-hermod/webapps/hermod/WEB-INF/classes/cod-hermod.yml
  register: hermod_keys
  no_log: true

- name: Write cod-hermod.yml
  prime_hermod.stack.hermod_config:
    path: /var/lib/tomcat-hermod/webapps/hermod/WEB-INF/classes/cod-hermod.yml
    header: Written by Ansible; edits here are replaced on the next run.
    config:
      spring:
        datasource:
          url: jdbc:postgresql://db.example.com:5432/hermod
          username: hermod
          password: "{{ vault_hermod_db_password }}"
      application:
        hermod:
          allowedClients:
            - clientId: prime
              key: "{{ hermod_keys.clients[0].key }}"
    secret_paths:
      - spring.datasource.password
    owner: root
    group: tomcat
    mode: "0640"
"""

RETURN = r"""
path:
  description: The file written, or that would be written.
  returned: always
  type: str
  sample: /var/lib/tomcat-hermod/webapps/hermod/WEB-INF/classes/cod-hermod.yml
content_changed:
  description: Whether the file's content changed (or would change); C(changed) also counts owner, group and mode.
  returned: success
  type: bool
  sample: true
"""

import contextlib
import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.prime_hermod.stack.plugins.module_utils.atomic_replace import write_file
from ansible_collections.prime_hermod.stack.plugins.module_utils.file_lock import exclusive_lock
from ansible_collections.prime_hermod.stack.plugins.module_utils.hermod import (
    DEFAULT_CLIENTS_PATH,
    HAS_YAML,
    YAML_IMPORT_ERROR,
    HermodError,
    client_secret_paths,
    find_deployed_key,
    read_clients,
    read_config_file,
    render_yaml,
    split_clients_path,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.masking import mask_paths

if HAS_YAML:
    import yaml


class ConfigError(Exception):
    """A reason to fail, its message free of secrets."""


def read_bytes(path):
    """The content of path, or None when it is absent."""
    if not os.path.exists(path):
        return None
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except (IOError, OSError) as error:
        raise ConfigError('cannot read %s: %s' % (path, to_native(error.strerror or error)))


def check_keys(params, config, documents):
    """Fail when the deployed file holds another key for a client whose key must not be replaced."""
    replaceable = set(params['replace_keys'])
    try:
        wanted = read_clients([config], params['clients_path'])
        deployed = read_clients(documents or [], params['clients_path'])
        for client in wanted:
            if client['client_id'] in replaceable:
                continue
            found = find_deployed_key(deployed, client['client_id'])
            if found is not None and found != client['key']:
                raise ConfigError(
                    '%s holds another key for client %r than the one this run worked out: another run has deployed'
                    ' one since. Nothing was written; run again to keep the deployed key (or list the client in'
                    ' replace_keys to replace it)' % (params['replaces'], client['client_id']))
    except HermodError as error:
        raise ConfigError('%s: %s' % (params['replaces'], error))


def masked_yaml(data, paths, compare_to=None):
    if data is None:
        return ''
    return render_yaml(mask_paths(data, paths, compare_to=compare_to, relaxed_binding=True))


def diff(params, path, config, secrets, deployed, documents):
    """The masked diff from the deployed file (its data with YAML's own types) to config."""
    shown = None
    if deployed is not None:
        try:
            shown = next(iter(yaml.safe_load_all(deployed.decode('utf-8'))), None)
        except Exception:  # pylint: disable=broad-except
            # A value YAML's types refuse (a date that is none): shown as text.
            shown = documents[0] if documents else None
    return {
        'before_header': params['replaces'] if deployed is not None else '%s (absent)' % params['replaces'],
        'after_header': path,
        'before': masked_yaml(shown, secrets),
        'after': masked_yaml(config, secrets, compare_to=documents[0] if documents else {}),
    }


def run(module):
    params = module.params
    path = params['path']
    params['replaces'] = params['replaces'] or path
    target = os.path.realpath(path)
    replaces = os.path.realpath(params['replaces'])
    config = params['config']
    secrets = client_secret_paths(params['clients_path']) + params['secret_paths']
    # In every result, failures included: the default one would show the
    # configuration as given.
    result = {'changed': False, 'path': path, 'invocation': {
        'module_args': dict(params, config=mask_paths(config, secrets, relaxed_binding=True))}}
    try:
        split_clients_path(params['clients_path'])
    except HermodError as error:
        module.fail_json(msg=str(error), **result)
    header = ''.join('# %s\n' % line if line else '#\n' for line in params['header'].splitlines())
    data = (header + render_yaml(config)).encode('utf-8')
    directory = os.path.dirname(target)
    file_args = module.load_file_common_arguments(params, path=target)

    if os.path.isdir(target):
        module.fail_json(msg='%s is a directory' % path, **result)
    if not os.path.isdir(directory) and not module.check_mode:
        module.fail_json(msg='the directory of %s does not exist' % path, **result)

    with contextlib.ExitStack() as stack:
        # Check mode writes nothing, not even a lock file; a concurrent run
        # swaps whole files, so its read sees one of them.
        if not module.check_mode:
            # A deployed file in a directory that does not exist yet (a
            # first deploy) is not there to be raced for.
            for locked in sorted(name for name in set([target, replaces]) if os.path.isdir(os.path.dirname(name))):
                try:
                    stack.enter_context(exclusive_lock(locked))
                except (IOError, OSError) as error:
                    module.fail_json(msg='cannot lock %s: %s' % (locked, to_native(error)), **result)
        try:
            deployed, documents = read_config_file(replaces)
            check_keys(params, config, documents)
            # A file already in a new release is only compared, never parsed.
            current = read_bytes(target) if target != replaces else deployed
        except (ConfigError, HermodError) as error:
            module.fail_json(msg=str(error), **result)

        content_changed = current != data
        if content_changed and not module.check_mode:
            try:
                write_file(module, target, data, file_args)
            except (IOError, OSError) as error:
                module.fail_json(msg='cannot write %s: %s' % (path, to_native(error)), **result)

    attributes_changed = False
    if os.path.exists(target):
        attributes_changed = module.set_fs_attributes_if_different(file_args, False)
    result.update(changed=content_changed or attributes_changed, content_changed=content_changed)
    if module._diff:
        result['diff'] = diff(params, path, config, secrets, deployed, documents)
    module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            config=dict(type='dict', required=True, no_log=True),
            header=dict(type='str', default=''),
            clients_path=dict(type='str', default=DEFAULT_CLIENTS_PATH),
            replace_keys=dict(type='list', elements='str', default=[], no_log=False),
            replaces=dict(type='path'),
            secret_paths=dict(type='list', elements='str', default=[], no_log=False),
        ),
        add_file_common_args=True,
        supports_check_mode=True,
    )
    # no_log keeps the configuration, secrets and all, out of the invocation
    # the module logs on the host. It also lists every value of it for
    # masking, which would mask the whole diff (a port, a URL, "hermod"),
    # so those are dropped again: the result masks the secret paths itself.
    module.no_log_values.clear()
    if not HAS_YAML:
        # Without PyYAML the secrets cannot be masked: the result shows the path only.
        shown = {'path': module.params['path'], 'invocation': {'module_args': {'path': module.params['path']}}}
        if module.check_mode:
            # On a new host the run that installs PyYAML (the hermod role
            # does, before this task) has not happened in check mode.
            module.warn('PyYAML is not installed on the host yet: %s is predicted to change' % module.params['path'])
            module.exit_json(changed=True, content_changed=True, **shown)
        module.fail_json(msg=missing_required_lib('PyYAML'), exception=YAML_IMPORT_ERROR, **shown)
    run(module)


if __name__ == '__main__':
    main()
