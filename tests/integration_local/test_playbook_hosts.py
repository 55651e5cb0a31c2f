# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the collection's playbooks run, on an inventory with the operator's own group names.

The first play of each playbook (playbooks/stack_hosts.yml) reads the group
names and fails, naming the variables, when a part the playbook needs has no
host; a playbook never exits 0 having run nowhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import localhost_playbook

INVENTORY = {'all': {'children': {
    'idp_sql': {'hosts': {'sql1': None}},
    'vsc_backend': {'hosts': {'vsc1': None, 'vsc2': None}},
    'cms_frontend': {'hosts': {'cms1': None}},
    'spare': {'hosts': {}},
}, 'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}
OWN_GROUPS = {'hermod_database_group': 'idp_sql', 'trust_hermod_group': 'vsc_backend', 'trust_prime_group': 'cms_frontend'}


def inventory(tmp_path, all_vars, inventory_data=None):
    """An inventory directory with hosts.yml and group_vars/all.yml; returns its path."""
    (tmp_path / 'group_vars').mkdir()
    (tmp_path / 'hosts.yml').write_text(json.dumps(INVENTORY if inventory_data is None else inventory_data))
    (tmp_path / 'group_vars' / 'all.yml').write_text(json.dumps(all_vars))
    return str(tmp_path)


def ansible_playbook(playbook, inventory_path, *extra):
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory_path,
           'prime_hermod.stack.%s' % playbook] + list(extra)
    return localhost_playbook.run(cmd, localhost_playbook.environment())


def tasks_run(report):
    """(play, task) of every task that ran on some host."""
    return [(play['play']['name'], task['task']['name']) for play in report['plays'] for task in play['tasks']
            if task['hosts']]


def failure(report):
    for play in report['plays']:
        for task in play['tasks']:
            for result in task['hosts'].values():
                if result.get('failed'):
                    return result['msg']
    raise AssertionError('no task failed: %s' % json.dumps(report)[-3000:])


def test_the_groups_in_the_inventorys_all_group_are_the_ones_used(tmp_path):
    rc, report = ansible_playbook('stack_hosts', inventory(tmp_path, OWN_GROUPS),
                                  '-e', '{"prime_hermod_stack_needs": ["hermod", "prime"]}')
    assert rc == 0, json.dumps(report)[-3000:]
    added = [task for task in report['plays'][0]['tasks'] if task['task']['name'].startswith('Add the hosts')][0]
    results = [item for host in added['hosts'].values() for item in host.get('results', [])]
    assert sorted((item['add_host']['host_name'], tuple(item['add_host']['groups'])) for item in results) == [
        ('cms1', ('prime_hermod_stack_prime',)),
        ('sql1', ('prime_hermod_stack_database',)),
        ('vsc1', ('prime_hermod_stack_hermod',)),
        ('vsc2', ('prime_hermod_stack_hermod',)),
    ]


def test_extra_variables_move_the_playbook_too(tmp_path):
    rc, report = ansible_playbook('stack_hosts', inventory(tmp_path, {}),
                                  '-e', json.dumps({'prime_hermod_stack_needs': ['hermod'], 'trust_hermod_group': 'vsc_backend'}))
    assert rc == 0, json.dumps(report)[-3000:]


@pytest.mark.parametrize('playbook, all_vars, inventory_data, expected', [
    # The operator's groups, and no variable naming them: verify must not pass having checked nothing.
    ('verify', {}, None,
     "prime_hermod.stack.verify found no Hermod host: group 'hermod' is not in the inventory. Set verify_hermod_group "
     "or trust_hermod_group to the inventory group of the Hermod hosts"),
    ('verify', {}, {'all': {'hosts': {}}}, "prime_hermod.stack.verify found no Hermod host"),
    ('trust', dict(OWN_GROUPS, trust_prime_group='spare'), None,
     "prime_hermod.stack.trust found no PRIME Explorer host: group 'spare' has no host. Set trust_prime_group"),
    ('site', dict(OWN_GROUPS, trust_prime_group='nowhere'), None,
     "prime_hermod.stack.site found no PRIME Explorer host: group 'nowhere' is not in the inventory"),
    ('hermod', {}, None, "prime_hermod.stack.hermod found no Hermod host"),
    ('prime', {}, None, "prime_hermod.stack.prime found no PRIME Explorer host"),
    ('database', {}, None, "prime_hermod.stack.database found no Hermod database host: group 'hermod_database'"),
])
def test_a_playbook_without_the_hosts_it_needs_fails_before_anything_runs(tmp_path, playbook, all_vars, inventory_data, expected):
    rc, report = ansible_playbook(playbook, inventory(tmp_path, all_vars, inventory_data))
    assert rc != 0
    assert expected in failure(report)
    assert [task for play, task in tasks_run(report)] == ['Check that each part the playbook needs has a host']


def test_tags_do_not_skip_the_check(tmp_path):
    rc, report = ansible_playbook('verify', inventory(tmp_path, {}), '--tags', 'nothing_of_ours')
    assert rc != 0
    assert 'found no Hermod host' in failure(report)


EXAMPLE = os.path.join(localhost_playbook.ROOT, 'examples', 'own_groups')


def test_the_own_groups_example_runs_each_play_on_its_groups():
    """examples/own_groups: its playbook's plays land on its inventory's groups, with the group names it sets."""
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', os.path.join(EXAMPLE, 'inventory'),
           os.path.join(EXAMPLE, 'playbook.yml'), '--list-hosts']
    env = dict(localhost_playbook.environment(), ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default')
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    plays = []
    for line in done.stdout.splitlines():
        if line.strip().startswith('play #'):
            plays.append([])
        elif plays and line.strip() and not line.strip().startswith(('hosts (', 'pattern:')):
            plays[-1].append(line.strip())
    plays = [sorted(hosts) for hosts in plays]
    assert plays == [['db1.example.com'], ['hermod1.example.com', 'prime1.example.com']], done.stdout

    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-inventory'), '-i', os.path.join(EXAMPLE, 'inventory'),
           '--host', 'prime1.example.com']
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    prime_vars = json.loads(done.stdout)
    # The variables of the group it stands for, and the names of the groups.
    assert prime_vars['prime_tomcat_instance'] == 'prime'
    assert prime_vars['trust_hermod_group'] == 'vsc_backend' and prime_vars['hermod_database_group'] == 'idp_sql'
