# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rewrites cod-hermod.yml with the same values under other spellings Spring binds (test fixture).

    respell.py FILE kebab    every key in kebab-case (allowedClients -> allowed-clients)
    respell.py FILE dotted   kebab-case, with application.hermod and spring.datasource as dotted keys
"""

import re
import sys

import yaml


def kebab(node):
    if isinstance(node, dict):
        return {re.sub(r'(?<=[a-z0-9])([A-Z])', r'-\1', key).lower(): kebab(value) for key, value in node.items()}
    if isinstance(node, list):
        return [kebab(item) for item in node]
    return node


def main(path, spelling):
    with open(path) as handle:
        config = kebab(yaml.safe_load(handle))
    if spelling == 'dotted':
        config['application'] = {'hermod.' + key: value for key, value in config['application'].pop('hermod').items()}
        for key, value in config.pop('spring')['datasource'].items():
            config['spring.datasource.' + key] = value
    with open(path, 'w') as handle:
        yaml.safe_dump(config, handle, default_flow_style=False)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
