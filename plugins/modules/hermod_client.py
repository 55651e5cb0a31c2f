#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: hermod_client
short_description: Work out the API keys and X-Api-Keys of Hermod clients
version_added: 0.1.0
author: prime_hermod.stack maintainers (@prime-hermod)
description:
  - Returns the key of one Hermod client (O(client_id)), or of several in one run (O(clients)), and the
    X-Api-Key header value its callers send, V(base64(client_id:key)).
  - The key is O(key) when given; else the key already deployed for O(client_id) in O(config_path);
    else a new 256-bit key from the operating system's cryptographic random source,
    written as 64 lowercase hexadecimal characters.
  - A re-run returns the deployed key again, so it never rotates a key unless O(rotate=true).
  - The module writes nothing. Deploying the key into C(cod-hermod.yml) is the job of the task that
    writes that file.
  - The module's action plugin marks a successful result for censoring, so callbacks and log files
    show it censored while a registered variable keeps the key and X-Api-Key. Set C(no_log) to V(true)
    on the task as well, so that ansible-core versions that drop that mark and the task's own arguments
    are covered too.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  action:
    support: full
    details: The action plugin runs the module on the target and marks its result for censoring.
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
    details: Nothing is written in any mode. A key generated in check mode is returned, but it is not
      the key a real run generates.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  client_id:
    description:
      - The client id (C(clientId) in C(cod-hermod.yml)).
      - Must not be empty and must not contain V(:) or whitespace.
      - Exactly one of O(client_id) and O(clients) is required.
    type: str
  key:
    description:
      - The client's key. When given it is returned as it is, whatever is deployed and whatever O(rotate) says.
      - Must not be empty. Only with O(client_id).
    type: str
  clients:
    description:
      - Several clients at once; O(config_path) is read once for all of them. The result is in RV(clients), in
        the same order.
      - Client ids must be unique.
    type: list
    elements: dict
    suboptions:
      client_id:
        description: The client id, as O(client_id).
        type: str
        required: true
      key:
        description: The client's key, as O(key). Null or absent means kept from O(config_path) or generated.
        type: str
  config_path:
    description:
      - Path on the target of a deployed C(cod-hermod.yml) (or C(application.yml)) to read the client's current
        key from.
      - A missing file means no key is deployed. A file that cannot be read or parsed is an error.
      - The client list is read with Spring's relaxed binding, so C(allowedClients)/C(clientId),
        C(allowed-clients)/C(client-id) and C(allowed_clients)/C(client_id) are all recognised, as are dotted
        keys such as C(hermod.allowedClients) under C(application). Every YAML document of the file is read.
      - An entry without a key, or with an empty one, counts as no key deployed. Several different keys for
        the client, or a C(${...}) placeholder as key, are errors.
    type: path
  clients_path:
    description:
      - Dotted path of the client list in O(config_path), compared with Spring's relaxed binding.
    type: str
    default: application.hermod.allowedClients
  rotate:
    description:
      - Generate a new key even when one is deployed. Ignored when O(key) is given.
      - Leaving this on rotates the key on every run.
    type: bool
    default: false
requirements:
  - PyYAML on the target, when O(config_path) is used.
seealso:
  - plugin: prime_hermod.stack.x_api_key
    plugin_type: filter
    description: The X-Api-Key of a client id and key, on the controller.
  - plugin: prime_hermod.stack.parse_x_api_key
    plugin_type: filter
    description: The client id and key of an X-Api-Key.
"""

EXAMPLES = r"""
- name: Work out PRIME's API key, keeping the one already deployed
  prime_hermod.stack.hermod_client:
    client_id: prime
    config_path: /var/lib/tomcat-hermod/webapps/hermod/WEB-INF/classes/cod-hermod.yml
  register: hermod_prime_client
  no_log: true

- name: Use a key kept in the vault
  prime_hermod.stack.hermod_client:
    client_id: prime
    key: "{{ vault_hermod_prime_key }}"
  register: hermod_prime_client
  no_log: true

- name: Work out the keys of every client with one read of the deployed file
  prime_hermod.stack.hermod_client:
    clients:
      - client_id: prime
      - client_id: kiosk
        key: "{{ vault_hermod_kiosk_key }}"
    config_path: /var/lib/tomcat-hermod/webapps/hermod/WEB-INF/classes/cod-hermod.yml
  register: hermod_clients
  no_log: true

- name: Replace the deployed key with a new one
  prime_hermod.stack.hermod_client:
    client_id: prime
    rotate: true
  register: hermod_prime_client
  no_log: true
"""

RETURN = r"""
client_id:
  description: The client id.
  returned: success with O(client_id)
  type: str
  sample: prime
key:
  description: The client's key.
  returned: success with O(client_id)
  type: str
  sample: 59c2a0a1999d42dbbe7f16ef1072736a031c5f4739c04025a641ae1751849857
x_api_key:
  description: The X-Api-Key header value, V(base64(client_id:key)).
  returned: success with O(client_id)
  type: str
  sample: cHJpbWU6NTljMmEwYTE5OTlkNDJkYmJlN2YxNmVmMTA3MjczNmEwMzFjNWY0NzM5YzA0MDI1YTY0MWFlMTc1MTg0OTg1Nw==
source:
  description:
    - Where the key comes from. V(given) is O(key), V(deployed) the key read from O(config_path),
      V(generated) a new key.
    - The task reports C(changed) exactly when this is V(generated) (for O(clients), for any client).
  returned: success with O(client_id)
  type: str
  choices: [given, deployed, generated]
  sample: deployed
clients:
  description: One entry per client of O(clients), in the same order.
  returned: success with O(clients)
  type: list
  elements: dict
  contains:
    client_id:
      description: The client id.
      type: str
      sample: prime
    key:
      description: The client's key.
      type: str
      sample: 59c2a0a1999d42dbbe7f16ef1072736a031c5f4739c04025a641ae1751849857
    x_api_key:
      description: The X-Api-Key header value.
      type: str
      sample: cHJpbWU6NTljMmEwYTE5OTlkNDJkYmJlN2YxNmVmMTA3MjczNmEwMzFjNWY0NzM5YzA0MDI1YTY0MWFlMTc1MTg0OTg1Nw==
    source:
      description: Where the key comes from, as RV(source).
      type: str
      choices: [given, deployed, generated]
      sample: deployed
"""

import os
import secrets

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.prime_hermod.stack.plugins.module_utils.hermod import (
    DEFAULT_CLIENTS_PATH,
    HAS_YAML,
    YAML_IMPORT_ERROR,
    HermodError,
    encode_x_api_key,
    find_deployed_key,
    read_clients,
    read_config_file,
    split_clients_path,
    validate_client_id,
    validate_key,
)

# 32 bytes = 256 bits, the size of every key in Hermod's public examples.
KEY_BYTES = 32


def read_deployed_clients(module, path, clients_path):
    """The client list of the configuration file at path, or [] when the file is absent."""
    if not os.path.exists(path):
        return []
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib('PyYAML'), exception=YAML_IMPORT_ERROR)
    try:
        documents = read_config_file(path)[1]
    except HermodError as error:
        module.fail_json(msg=str(error))
    try:
        return read_clients(documents, clients_path)
    except HermodError as error:
        module.fail_json(msg='%s: %s' % (path, error))


def resolve_key(module, deployed, client_id, key):
    """(key, source) of one client: given, else deployed (unless rotating), else generated."""
    if key is not None:
        return key, 'given'
    if not module.params['rotate']:
        try:
            found = find_deployed_key(deployed, client_id)
        except HermodError as error:
            module.fail_json(msg='%s: %s' % (module.params['config_path'], error))
        if found is not None:
            return found, 'deployed'
    return secrets.token_hex(KEY_BYTES), 'generated'


def masked_invocation(module):
    return {'module_args': remove_values(module.params, module.no_log_values)}


def exit_with_key(module, changed, client_id, key, source):
    """Return the key unmasked to the caller while keeping it out of what is displayed and logged.

    AnsibleModule masks every no_log value anywhere in the result, which would replace the returned
    key with asterisks when it came in through the no_log option. So the arguments are masked here and
    the key is released for the return values; the action plugin marks the whole result for censoring.
    """
    invocation = masked_invocation(module)
    module.no_log_values.discard(key)
    module.exit_json(
        changed=changed,
        client_id=client_id,
        key=key,
        x_api_key=encode_x_api_key(client_id, key),
        source=source,
        invocation=invocation,
    )


def exit_with_keys(module, entries):
    """Like exit_with_key, for the clients option: entries are (client_id, key, source)."""
    invocation = masked_invocation(module)
    for _client_id, key, _source in entries:
        module.no_log_values.discard(key)
    module.exit_json(
        changed=any(source == 'generated' for _client_id, _key, source in entries),
        clients=[dict(client_id=client_id, key=key, x_api_key=encode_x_api_key(client_id, key), source=source)
                 for client_id, key, source in entries],
        invocation=invocation,
    )


def run_clients(module):
    clients = module.params['clients']
    seen = set()
    try:
        split_clients_path(module.params['clients_path'])
        for index, client in enumerate(clients):
            validate_client_id(client['client_id'], field='clients[%d].client_id' % index)
            if client['client_id'] in seen:
                raise HermodError('clients[%d].client_id %r is given twice' % (index, client['client_id']))
            seen.add(client['client_id'])
            if client['key'] is not None:
                validate_key(client['key'], field='clients[%d].key' % index)
    except HermodError as error:
        module.fail_json(msg=str(error))

    deployed = []
    wanted = any(client['key'] is None for client in clients)
    if wanted and not module.params['rotate'] and module.params['config_path']:
        deployed = read_deployed_clients(module, module.params['config_path'], module.params['clients_path'])
    exit_with_keys(module, [(client['client_id'],) + resolve_key(module, deployed, client['client_id'], client['key'])
                            for client in clients])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            client_id=dict(type='str'),
            key=dict(type='str', no_log=True),
            clients=dict(type='list', elements='dict', options=dict(
                client_id=dict(type='str', required=True),
                key=dict(type='str', no_log=True),
            )),
            config_path=dict(type='path'),
            clients_path=dict(type='str', default=DEFAULT_CLIENTS_PATH),
            rotate=dict(type='bool', default=False),
        ),
        required_one_of=[('client_id', 'clients')],
        mutually_exclusive=[('client_id', 'clients'), ('key', 'clients')],
        supports_check_mode=True,
    )
    if module.params['clients'] is not None:
        run_clients(module)

    client_id = module.params['client_id']
    key = module.params['key']

    try:
        validate_client_id(client_id)
        split_clients_path(module.params['clients_path'])
        if key is not None:
            validate_key(key)
    except HermodError as error:
        module.fail_json(msg=str(error))

    deployed = []
    if key is None and not module.params['rotate'] and module.params['config_path']:
        deployed = read_deployed_clients(module, module.params['config_path'], module.params['clients_path'])
    key, source = resolve_key(module, deployed, client_id, key)
    exit_with_key(module, source == 'generated', client_id, key, source)


if __name__ == '__main__':
    main()
