# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Hermod API keys: client id rules, the X-Api-Key encoding and the client list of cod-hermod.yml.

Shared by the hermod_client module (on the target) and the collection's filters (on the controller).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import traceback

from collections.abc import Mapping, Sequence

try:
    import yaml
except ImportError:
    HAS_YAML = False
    YAML_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_YAML = True
    YAML_IMPORT_ERROR = None


DEFAULT_CLIENTS_PATH = 'application.hermod.allowedClients'

_WHITESPACE = re.compile(r'\s')
_NOT_ALNUM = re.compile(r'[^0-9a-z]')


class HermodError(ValueError):
    """Invalid client id, key, X-Api-Key or client list. The message never contains a key."""


def validate_client_id(client_id, field='client_id'):
    """Return client_id if Hermod can use it in an X-Api-Key, else raise HermodError naming field."""
    if not isinstance(client_id, str):
        raise HermodError('%s must be a string, got %s' % (field, type(client_id).__name__))
    if not client_id:
        raise HermodError('%s must not be empty' % field)
    if ':' in client_id:
        # The X-Api-Key is "id:key"; Hermod splits it at the first colon.
        raise HermodError("%s must not contain ':' (it separates the client id from the key in the X-Api-Key)" % field)
    if _WHITESPACE.search(client_id):
        raise HermodError('%s must not contain whitespace' % field)
    return client_id


def validate_key(key, field='key'):
    """Return key if it is a non-empty string, else raise HermodError naming field (never the value)."""
    if not isinstance(key, str):
        raise HermodError('%s must be a string, got %s' % (field, type(key).__name__))
    if not key:
        raise HermodError('%s must not be empty' % field)
    return key


def encode_x_api_key(client_id, key):
    """The X-Api-Key header value for a client: base64 of "client_id:key" (UTF-8, standard alphabet, padded)."""
    validate_client_id(client_id)
    validate_key(key)
    return base64.b64encode(('%s:%s' % (client_id, key)).encode('utf-8')).decode('ascii')


def decode_x_api_key(x_api_key):
    """Split an X-Api-Key into (client_id, key); raise HermodError if it is not base64 of "id:key".

    Error messages describe the problem without repeating the input, which is a secret.
    """
    if not isinstance(x_api_key, str):
        raise HermodError('the X-Api-Key must be a string, got %s' % type(x_api_key).__name__)
    text = x_api_key.strip()
    if not text:
        raise HermodError('the X-Api-Key is empty')
    try:
        raw = base64.b64decode(text.encode('ascii'), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise HermodError('the X-Api-Key is not valid base64') from None
    try:
        decoded = raw.decode('utf-8')
    except UnicodeDecodeError:
        raise HermodError('the X-Api-Key does not decode to UTF-8 text') from None
    if ':' not in decoded:
        raise HermodError("the X-Api-Key does not decode to 'client_id:key' (no ':' found)")
    client_id, key = decoded.split(':', 1)
    validate_client_id(client_id, field='the client id in the X-Api-Key')
    validate_key(key, field='the key in the X-Api-Key')
    return client_id, key


def relaxed_name(name):
    """The form under which Spring's relaxed binding compares property names.

    allowedClients, allowed-clients and allowed_clients all bind to the same property:
    Spring compares names by their letters and digits, ignoring case.
    """
    return _NOT_ALNUM.sub('', str(name).lower())


def split_clients_path(clients_path):
    """The relaxed names of the dotted path to the client list, e.g. application.hermod.allowedClients."""
    if not isinstance(clients_path, str) or not clients_path:
        raise HermodError('clients_path must be a non-empty dotted path such as %s' % DEFAULT_CLIENTS_PATH)
    parts = [relaxed_name(part) for part in clients_path.split('.')]
    if not all(parts):
        raise HermodError('clients_path %r has an empty element' % clients_path)
    return parts


def _lookup(node, parts):
    """Every value under node at the relaxed path parts.

    Spring also accepts dotted keys (hermod.allowed-clients: under application:), so a key may
    consume several path elements at once.
    """
    if not parts:
        return [node]
    found = []
    if isinstance(node, Mapping):
        for name, value in node.items():
            name_parts = [relaxed_name(part) for part in str(name).split('.')]
            if name_parts == parts[:len(name_parts)]:
                found.extend(_lookup(value, parts[len(name_parts):]))
    return found


# The fields of a client entry, by the relaxed name Spring binds them under.
CLIENT_FIELDS = {'clientid': 'client_id', 'key': 'key', 'callbackurl': 'callback_url',
                 'callbackbasicauth': 'callback_basic_auth'}


def read_clients(documents, clients_path=DEFAULT_CLIENTS_PATH, fields=('client_id', 'key')):
    """The client entries of parsed configuration documents, as dicts with the given fields.

    fields are names of CLIENT_FIELDS' values. Missing fields are None. A missing or empty list
    gives no entries; a list that is not a list, or an entry that is not a mapping, raises HermodError.
    """
    parts = split_clients_path(clients_path)
    clients = []
    for document in documents:
        for found in _lookup(document, parts):
            if found is None or found == '':
                continue
            if not isinstance(found, Sequence) or isinstance(found, (str, bytes)):
                raise HermodError('%s is not a list' % clients_path)
            for index, entry in enumerate(found):
                if not isinstance(entry, Mapping):
                    raise HermodError('%s[%d] is not a mapping' % (clients_path, index))
                client = dict.fromkeys(fields)
                for name, value in entry.items():
                    field = CLIENT_FIELDS.get(relaxed_name(name))
                    if field in client:
                        client[field] = value
                clients.append(client)
    return clients


# cod-hermod.yml's field for each of the hermod role's client settings; the key comes from the keys.
CLIENT_ENTRY_FIELDS = (('client_id', 'clientId'), ('group', 'group'), ('callback_url', 'callbackUrl'),
                       ('callback_basic_auth', 'callbackBasicAuth'))


def key_requests(clients):
    """What the hermod_client module needs of each client: its id, and its key where one is given (else None)."""
    return [{'client_id': client.get('client_id'), 'key': client.get('key') or None} if isinstance(client, Mapping)
            else client for client in clients]


def client_entries(clients, keys):
    """cod-hermod.yml's client list: each client's fields and its key, contentProviderUrl only where set."""
    entries = []
    for index, client in enumerate(clients):
        if not isinstance(client, Mapping):
            raise HermodError('hermod_clients[%d] is not a mapping' % index)
        client_id = client.get('client_id')
        if client_id not in keys:
            raise HermodError('hermod_clients[%d]: no key was worked out for client %r' % (index, client_id))
        entry = {}
        for setting, field in CLIENT_ENTRY_FIELDS:
            entry[field] = client.get(setting)
            if setting == 'client_id':
                entry['key'] = keys[client_id]
        if client.get('content_provider_url'):
            entry['contentProviderUrl'] = client['content_provider_url']
        entries.append(entry)
    return entries


def unread_nodes(service_hosts, batch, settled_hosts):
    """The nodes of the service whose keys this run knows nothing of: not in the batch, none settled earlier."""
    return [host for host in service_hosts if host not in batch and host not in settled_hosts]


def service_nodes(service_hosts, this_host, own, batch, known, reads):
    """service_keys' nodes: each host's clients from own, a batch peer's result, its settled keys or a read.

    known: host -> {'result': its hermod_client clients in this task's run, 'settled': the keys it settled}, either
    absent; reads: host -> the clients read from its deployed file.
    """
    nodes = []
    for host in service_hosts:
        facts = known.get(host) or {}
        if host == this_host:
            nodes.append({'host': host, 'clients': own, 'settled': False})
        elif host in batch:
            nodes.append({'host': host, 'clients': facts.get('result') or [], 'settled': False})
        elif facts.get('settled') is not None:
            nodes.append({'host': host, 'clients': facts['settled'], 'settled': True})
        else:
            nodes.append({'host': host, 'clients': reads.get(host) or [], 'settled': False})
    return nodes


def service_keys(own, nodes, rotate=False):
    """The keys of one node of a Hermod service, the same on every node: own's clients with each key settled.

    own: this node's hermod_client result clients ({client_id, key, source}). nodes: every node of the service in
    its order, each {host, clients, settled}, where clients is what is known of the node's keys (its own
    hermod_client result, a read of its deployed file, or the keys it settled earlier in the run: settled true).
    A client's key is the given one; else the one a node settled earlier in the run; else the first one deployed on
    a node; else the first one generated, so that every node of a run picks the same. Each entry gets source
    (given, deployed: this node's own, service: another node's, generated) and replace: whether the key may replace
    the one deployed on this node (given, rotated, or another node's key).
    """
    settled, deployed, generated = {}, {}, {}
    for node in nodes:
        for client in node.get('clients') or []:
            client_id, key = client['client_id'], client['key']
            if node.get('settled'):
                settled.setdefault(client_id, key)
            elif client['source'] == 'deployed' and not rotate:
                deployed.setdefault(client_id, key)
            elif client['source'] == 'generated':
                generated.setdefault(client_id, key)
    result = []
    for client in own:
        client_id, own_key, own_source = client['client_id'], client['key'], client['source']
        if own_source == 'given':
            key, source = own_key, 'given'
        else:
            key = settled.get(client_id) or deployed.get(client_id) or generated.get(client_id) or own_key
            if own_source == 'deployed' and key == own_key:
                source = 'deployed'
            elif client_id in settled or client_id in deployed:
                source = 'service'
            else:
                source = 'generated'
        replace = source == 'given' or bool(rotate) or (own_source == 'deployed' and key != own_key)
        result.append({'client_id': client_id, 'key': key, 'x_api_key': encode_x_api_key(client_id, key),
                       'source': source, 'replace': replace})
    return result


def _merge(base, extra):
    merged = dict(base)
    for name, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = _merge(merged[name], value)
        else:
            merged[name] = value
    return merged


def place_values(tree, placed):
    """tree with each {path, value} of placed set at its dotted path, in order; a later value wins."""
    result = _merge({}, tree) if isinstance(tree, Mapping) else {}
    for index, item in enumerate(placed):
        path = item.get('path') if isinstance(item, Mapping) else None
        if not isinstance(path, str) or not path or not all(path.split('.')):
            raise HermodError('placed value %d: path %r must be a dotted path such as application.hermod.publicUrl'
                              % (index, path))
        leaf = item.get('value')
        for name in reversed(path.split('.')):
            leaf = {name: leaf}
        result = _merge(result, leaf)
    return result


def find_deployed_key(clients, client_id):
    """The key the client list holds for client_id, or None when it has none.

    Raises HermodError when the list holds several different keys for the id (which one Hermod
    uses is not documented) or a Spring placeholder, whose value the file does not tell.
    """
    keys = []
    for client in clients:
        if client['client_id'] != client_id or client['key'] in (None, ''):
            continue
        key = client['key']
        if not isinstance(key, str):
            raise HermodError('the key of client %r is not a string' % client_id)
        if '${' in key:
            raise HermodError('the key of client %r is a placeholder (${...}); pass the key explicitly' % client_id)
        keys.append(key)
    if len(set(keys)) > 1:
        raise HermodError('client %r is listed %d times with different keys' % (client_id, len(keys)))
    return keys[0] if keys else None


if HAS_YAML:
    _SafeLoader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)

    class _TextScalarLoader(_SafeLoader):  # pylint: disable=too-many-ancestors
        """Safe loader that keeps scalars as written: a key like 0123 or 1e10 must not become a number."""

    _KEEP_TAGS = ('tag:yaml.org,2002:null', 'tag:yaml.org,2002:merge')
    _TextScalarLoader.yaml_implicit_resolvers = dict(
        (first, [(tag, regexp) for tag, regexp in resolvers if tag in _KEEP_TAGS])
        for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
    )


def render_yaml(data):
    """data as block-style YAML, keys in their order: what the to_nice_yaml filter writes (indent 2, no line wrapping)."""
    return yaml.dump(data, Dumper=yaml.SafeDumper, indent=2, width=4096, sort_keys=False, default_flow_style=False,
                     allow_unicode=True)


def client_secret_paths(clients_path=DEFAULT_CLIENTS_PATH):
    """The masking paths of the secrets of every client in the list at clients_path."""
    return ['%s[].key' % clients_path, '%s[].callbackBasicAuth' % clients_path]


def load_yaml_documents(text):
    """Every document of a YAML text, scalars as strings (null stays None); raises yaml.YAMLError."""
    return [document for document in yaml.load_all(text, Loader=_TextScalarLoader) if document is not None]


def read_config_file(path):
    """(content, documents with scalars as strings) of the configuration file at path; (None, None) when it is absent.

    Raises HermodError naming path when it cannot be read, is not UTF-8 or is not YAML; the message never
    quotes the file, which holds keys. Needs PyYAML.
    """
    if not os.path.exists(path):
        return None, None
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except (IOError, OSError) as error:
        raise HermodError('cannot read %s: %s' % (path, error.strerror or error)) from None
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        raise HermodError('%s is not UTF-8 text' % path) from None
    try:
        return data, load_yaml_documents(text)
    except Exception as error:  # pylint: disable=broad-except
        # yaml.YAMLError and the C parser's errors alike; never str(error), whose snippet may show a key.
        raise HermodError('%s is not valid YAML: %s' % (path, describe_yaml_error(error))) from None


def describe_yaml_error(error):
    """A YAML error without the source snippet PyYAML adds, which could show a key."""
    problem = getattr(error, 'problem', None) or getattr(error, 'context', None) or type(error).__name__
    mark = getattr(error, 'problem_mark', None) or getattr(error, 'context_mark', None)
    if mark is not None:
        return '%s (line %d, column %d)' % (problem, mark.line + 1, mark.column + 1)
    return problem
