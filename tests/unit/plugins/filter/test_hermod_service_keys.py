# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The keys of a Hermod service of several nodes: the same on every node, whichever node a run reaches."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.hermod import (
    FilterModule,
    hermod_service_keys,
    hermod_service_unread,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.hermod import encode_x_api_key, service_keys

NODES = ['h1', 'h2', 'h3']


def client(client_id, key, source):
    return {'client_id': client_id, 'key': key, 'x_api_key': encode_x_api_key(client_id, key), 'source': source}


def result(*clients):
    return {'clients': list(clients)}


def keys_of(entries):
    return dict((entry['client_id'], (entry['key'], entry['source'], entry['replace'])) for entry in entries)


def run_batch(hostvars, batch, reads=(), rotate=False):
    """What each host of the batch settles, as the role's set_fact would."""
    return dict((host, hermod_service_keys(hostvars[host]['hermod__keys_result']['clients'], NODES, host, batch,
                                           hostvars, reads, rotate)) for host in batch)


def test_first_deploy_of_every_node_at_once_gives_each_the_first_nodes_generated_key():
    hostvars = dict((host, {'hermod__keys_result': result(client('prime', 'gen-' + host, 'generated'))})
                    for host in NODES)
    settled = run_batch(hostvars, NODES)
    for host in NODES:
        assert keys_of(settled[host]) == {'prime': ('gen-h1', 'generated', False)}
        assert settled[host][0]['x_api_key'] == encode_x_api_key('prime', 'gen-h1')


def test_a_given_key_wins_on_every_node():
    hostvars = dict((host, {'hermod__keys_result': result(client('prime', 'given', 'given'),
                                                          client('kiosk', 'old-' + host, 'deployed'))})
                    for host in NODES)
    settled = run_batch(hostvars, NODES)
    assert keys_of(settled['h1']) == {'prime': ('given', 'given', True), 'kiosk': ('old-h1', 'deployed', False)}
    # h2 holds another kiosk key than the service's first node: it is brought to h1's, replacing its own.
    assert keys_of(settled['h2']) == {'prime': ('given', 'given', True), 'kiosk': ('old-h1', 'service', True)}


def test_a_node_that_joins_gets_the_deployed_key_not_a_new_one():
    hostvars = {
        'h1': {'hermod__keys_result': result(client('prime', 'gen-h1', 'generated'))},
        'h2': {'hermod__keys_result': result(client('prime', 'live', 'deployed'))},
        'h3': {'hermod__keys_result': result(client('prime', 'live', 'deployed'))},
    }
    settled = run_batch(hostvars, NODES)
    assert keys_of(settled['h1']) == {'prime': ('live', 'service', False)}
    assert keys_of(settled['h2']) == {'prime': ('live', 'deployed', False)}


def test_serial_batches_agree_with_the_keys_an_earlier_batch_settled():
    # Nothing deployed anywhere; serial: 1.
    hostvars = dict((host, {'hermod__keys_result': result(client('prime', 'gen-' + host, 'generated'))})
                    for host in NODES)
    unread = hermod_service_unread(NODES, ['h1'], hostvars)
    assert unread == ['h2', 'h3']
    reads = [{'hermod__peer': 'h2', 'clients': [client('prime', 'read-h2', 'generated')]},
             {'hermod__peer': 'h3', 'clients': [client('prime', 'read-h3', 'generated')]}]
    first = run_batch(hostvars, ['h1'], reads)['h1']
    assert keys_of(first) == {'prime': ('gen-h1', 'generated', False)}
    hostvars['h1']['hermod__settled_keys'] = first
    # h2's batch: h1 settled, h3 is read (it has no key deployed yet).
    assert hermod_service_unread(NODES, ['h2'], hostvars) == ['h3']
    second = run_batch(hostvars, ['h2'], reads[1:])['h2']
    assert keys_of(second) == {'prime': ('gen-h1', 'service', False)}


def test_a_later_batch_follows_the_settled_key_even_when_the_order_is_not_the_service_order():
    hostvars = dict((host, {'hermod__keys_result': result(client('prime', 'gen-' + host, 'generated'))})
                    for host in NODES)
    hostvars['h3']['hermod__settled_keys'] = [dict(client('prime', 'gen-h3', 'generated'), replace=False)]
    reads = [{'hermod__peer': 'h2', 'clients': [client('prime', 'read-h2', 'generated')]}]
    assert hermod_service_unread(NODES, ['h1'], hostvars) == ['h2']
    assert keys_of(run_batch(hostvars, ['h1'], reads)['h1']) == {'prime': ('gen-h3', 'service', False)}


def test_limit_to_a_recreated_node_restores_the_peers_keys():
    hostvars = {'h1': {}, 'h2': {'hermod__keys_result': result(client('prime', 'gen-h2', 'generated'))}, 'h3': {}}
    reads = [{'hermod__peer': 'h1', 'clients': [client('prime', 'live', 'deployed')]},
             {'hermod__peer': 'h3', 'clients': [client('prime', 'live', 'deployed')]}]
    assert hermod_service_unread(NODES, ['h2'], hostvars) == ['h1', 'h3']
    assert keys_of(run_batch(hostvars, ['h2'], reads)['h2']) == {'prime': ('live', 'service', False)}


def test_rotation_gives_every_node_one_new_key():
    hostvars = dict((host, {'hermod__keys_result': result(client('prime', 'new-' + host, 'generated'))})
                    for host in NODES)
    settled = run_batch(hostvars, NODES, rotate=True)
    assert all(keys_of(settled[host]) == {'prime': ('new-h1', 'generated', True)} for host in NODES)


def test_rotation_in_serial_batches_keeps_the_first_batchs_new_key():
    hostvars = dict((host, {'hermod__keys_result': result(client('prime', 'new-' + host, 'generated'))})
                    for host in NODES)
    hostvars['h1']['hermod__settled_keys'] = [dict(client('prime', 'new-h1', 'generated'), replace=True)]
    # The peer still holds its old key, which a rotation does not keep.
    reads = [{'hermod__peer': 'h3', 'clients': [client('prime', 'old', 'deployed')]}]
    assert keys_of(run_batch(hostvars, ['h2'], reads, rotate=True)['h2']) == {'prime': ('new-h1', 'service', True)}


def test_a_host_alone_is_its_own_service():
    own = [client('prime', 'mine', 'deployed'), client('kiosk', 'fresh', 'generated')]
    assert keys_of(hermod_service_keys(own, ['solo'], 'solo', ['solo'], {'solo': {}})) == {
        'prime': ('mine', 'deployed', False), 'kiosk': ('fresh', 'generated', False)}


def test_a_node_without_a_result_counts_for_nothing():
    own = [client('prime', 'gen-h2', 'generated')]
    hostvars = {'h1': {}, 'h2': {'hermod__keys_result': result(*own)}}
    assert keys_of(hermod_service_keys(own, ['h1', 'h2'], 'h2', ['h1', 'h2'], hostvars)) == {
        'prime': ('gen-h2', 'generated', False)}


def test_service_keys_keeps_the_order_of_this_nodes_clients():
    own = [client('b', 'kb', 'deployed'), client('a', 'ka', 'deployed')]
    assert [entry['client_id'] for entry in service_keys(own, [{'host': 'h', 'clients': own}])] == ['b', 'a']


def test_a_bad_client_id_names_the_filter():
    with pytest.raises(AnsibleFilterError, match='hermod_service_keys'):
        hermod_service_keys([client('prime', 'k', 'deployed') | {'client_id': 'a:b'}], ['h'], 'h', ['h'], {'h': {}})


def test_the_filters_are_registered():
    filters = FilterModule().filters()
    assert filters['hermod_service_keys'] is hermod_service_keys
    assert filters['hermod_service_unread'] is hermod_service_unread
