# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which inventory hosts the collection's playbooks run on.

A play's hosts are templated before any host's variables are loaded, so the
playbooks read the group names once, in a first play, and add the hosts of
those groups to groups of their own (the third field of PARTS) that the later
plays target.
"""

from __future__ import annotations

import shlex

# part: (what it is, default inventory group, group the playbooks' plays target)
PARTS = {
    'database': ('Hermod database', 'hermod_database', 'prime_hermod_stack_database'),
    'hermod': ('Hermod', 'hermod', 'prime_hermod_stack_hermod'),
    'prime': ('PRIME Explorer', 'prime', 'prime_hermod_stack_prime'),
}

# The variables that name each part's group, the first one set winning.
SHARED_VARIABLES = {
    'database': ['hermod_database_group'],
    'hermod': ['trust_hermod_group'],
    'prime': ['trust_prime_group'],
}


def group_names(variables, values):
    """part -> the inventory group its hosts are in: the first of the part's variables that is set, else the default."""
    names = {}
    for part, candidates in variables.items():
        if part not in PARTS:
            raise ValueError("unknown part '%s'; the parts are %s" % (part, ', '.join(sorted(PARTS))))
        given = [name for name in candidates if values.get(name) not in (None, '')]
        if not given:
            names[part] = PARTS[part][1]
        elif isinstance(values[given[0]], str):
            names[part] = values[given[0]]
        else:
            raise ValueError('%s must be the name of an inventory group, not %r' % (given[0], values[given[0]]))
    return names


def resolve(groups, values, variables, needs, playbook):
    """The hosts to add to the target groups, and why the playbook cannot run.

    groups: the inventory's groups; values: the group variables that are set (name -> value);
    variables: part -> the variables naming its group, in order; needs: the parts that must have a host;
    playbook: the playbook's name, for the messages.
    Returns {'groups': part -> group name, 'hosts': [{'host', 'group'}], 'problems': [messages]}.
    """
    names = group_names(variables, values)
    hosts = []
    problems = []
    for part in variables:
        members = groups.get(names[part]) or []
        target = PARTS[part][2]
        hosts.extend({'host': host, 'group': target} for host in members)
        if part in needs and not members:
            candidates = variables[part]
            found = 'has no host' if names[part] in groups else 'is not in the inventory'
            problems.append(
                "%s found no %s host: group '%s' %s. Set %s to the inventory group of the %s hosts, in the "
                "inventory's all group (group_vars/all) or as an extra variable (-e %s=<group>)" % (
                    playbook, PARTS[part][0], names[part], found, ' or '.join(candidates), PARTS[part][0],
                    candidates[-1]))
    return {'groups': names, 'hosts': hosts, 'problems': problems}


def playbook_command(playbook, names):
    """The command that runs one of the collection's playbooks on the groups in names (part -> group)."""
    words = ['ansible-playbook', 'prime_hermod.stack.%s' % playbook]
    for part in PARTS:
        if part in names and names[part] != PARTS[part][1]:
            words.extend(['-e', '%s=%s' % (SHARED_VARIABLES[part][0], names[part])])
    return ' '.join(shlex.quote(word) for word in words)
