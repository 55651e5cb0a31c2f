# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks that the collection declares in galaxy.yml every collection its shipped content calls.

Usage: declared_dependencies.py COLLECTIONS_DIR

COLLECTIONS_DIR must hold the built collection installed beside copies of
only the collections galaxy.yml declares (no other collection is on the
search path there). Every plugin of another collection that a shipped role,
playbook or plugin names by its fully qualified name (a module, or a filter
or test after a pipe) must belong to a declared collection and be found in
COLLECTIONS_DIR by ansible-doc. Prints what it checked; exits 1 naming each
plugin that fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OWN = 'prime_hermod.stack'
FQCN = r'[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*'
MODULE = re.compile(r'^\s*-?\s*(%s):' % FQCN)
PIPED = re.compile(r'\|\s*(%s)\b' % FQCN)
TESTED = re.compile(r'\bis\s+(?:not\s+)?(%s)\b' % FQCN)


def used_plugins():
    """(type, fqcn) -> the first file that uses it, for every plugin of another collection."""
    used = {}
    for top in ('roles', 'playbooks'):
        for base, _dirs, files in os.walk(os.path.join(ROOT, top)):
            for name in sorted(files):
                if not name.endswith(('.yml', '.yaml', '.j2')):
                    continue
                path = os.path.join(base, name)
                with open(path, encoding='utf-8') as handle:
                    for line in handle:
                        if line.lstrip().startswith('#'):
                            continue
                        found = [('module', m) for m in MODULE.findall(line)]
                        found += [('filter', m) for m in PIPED.findall(line)]
                        found += [('test', m) for m in TESTED.findall(line)]
                        for kind, fqcn in found:
                            if not fqcn.startswith((OWN + '.', 'ansible.builtin.')):
                                used.setdefault((kind, fqcn), os.path.relpath(path, ROOT))
    return used


def declared():
    with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
        return set((yaml.safe_load(handle).get('dependencies') or {}).keys())


def main(collections_dir):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_dir, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
    dependencies = declared()
    problems = []
    used = used_plugins()
    for (kind, fqcn), where in sorted(used.items()):
        collection = fqcn.rsplit('.', 1)[0]
        if collection not in dependencies:
            problems.append('%s %s (%s) is from %s, which galaxy.yml does not declare' % (kind, fqcn, where, collection))
            continue
        proc = subprocess.run(['ansible-doc', '-t', kind, '--json', fqcn], env=env, capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0 or fqcn not in proc.stdout:
            problems.append('%s %s (%s) is not in %s as installed: %s' % (
                kind, fqcn, where, collection, (proc.stderr.strip().splitlines() or ['no documentation'])[-1]))
    print('galaxy.yml declares: %s' % (', '.join(sorted(dependencies)) or 'nothing'))
    print('plugins of other collections used: %s' % (', '.join(sorted(f for _k, f in used)) or 'none'))
    for problem in problems:
        print('undeclared or missing: %s' % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
