# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hermod_config: the file it writes, its masked diff and result, its key check and its lock."""

from __future__ import annotations

import multiprocessing
import os
import stat
import sys
import time

import pytest
import yaml

from ansible.module_utils import basic

from ansible_collections.prime_hermod.stack.plugins.modules import hermod_config
from ansible_collections.prime_hermod.stack.tests.unit.plugins.modules import module_calls

KEY = '59c2a0a1999d42dbbe7f16ef1072736a031c5f4739c04025a641ae1751849857'
OTHER_KEY = 'a7' * 32
PASSWORD = 'db-Secret-4711'
BASIC_AUTH = 'hermod-cb:cb-Secret-0815'
SECRETS = (KEY, OTHER_KEY, PASSWORD, 'cb-Secret-0815')


def config(key=KEY, attempts=3):
    return {
        'application': {'hermod': {
            'rest': {'log': False, 'hideExceptions': True},
            'callback': {'attempts': attempts, 'retryDelay': 1000},
            'publicUrl': 'https://hermod.example.com:8443/hermod',
            'allowedClients': [{'clientId': 'prime', 'key': key, 'group': None,
                                'callbackUrl': 'https://prime.example.com/prime_explorer/ws/hermod',
                                'callbackBasicAuth': BASIC_AUTH}],
        }},
        'spring': {'datasource': {'url': 'jdbc:postgresql://db:5432/hermod', 'username': 'hermod',
                                  'password': PASSWORD, 'driver-class-name': 'org.postgresql.Driver'}},
    }


TO_NICE_YAML = """\
application:
  hermod:
    rest:
      log: false
      hideExceptions: true
    callback:
      attempts: 3
      retryDelay: 1000
    publicUrl: https://hermod.example.com:8443/hermod
    allowedClients:
    - clientId: prime
      key: 59c2a0a1999d42dbbe7f16ef1072736a031c5f4739c04025a641ae1751849857
      group: null
      callbackUrl: https://prime.example.com/prime_explorer/ws/hermod
      callbackBasicAuth: hermod-cb:cb-Secret-0815
spring:
  datasource:
    url: jdbc:postgresql://db:5432/hermod
    username: hermod
    password: db-Secret-4711
    driver-class-name: org.postgresql.Driver
"""


def call_main(args, check=False, diff=False):
    return module_calls.call_main(hermod_config.main, args, check, diff)


@pytest.fixture
def module():
    def call(args, check=False, diff=False, expect_failure=False):
        result = module_calls.expect(*call_main(args, check, diff), failure=expect_failure)
        # Nothing the module prints holds a secret, whatever happened.
        assert not [secret for secret in SECRETS if secret in result['_raw']], result['_raw']
        return result
    return call


def args(path, **extra):
    base = {'path': str(path), 'config': config(), 'mode': '0640', 'secret_paths': ['spring.datasource.password']}
    base.update(extra)
    return base


def test_writes_what_to_nice_yaml_writes_below_the_header(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    result = module(args(path, header='Ansible managed\nEdits here are replaced.'))
    assert result['changed'] and result['content_changed']
    text = path.read_text()
    # Byte for byte what the to_nice_yaml filter writes (indent 2, no line
    # wrapping, keys in order), so a file the role wrote with it is unchanged.
    assert text == '# Ansible managed\n# Edits here are replaced.\n' + TO_NICE_YAML
    assert yaml.safe_load(text) == config()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ['.cod-hermod.yml.lock', 'cod-hermod.yml']


def test_a_key_that_looks_like_a_number_stays_a_string(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    module(args(path, config=config(key='0123')))
    assert yaml.safe_load(path.read_text())['application']['hermod']['allowedClients'][0]['key'] == '0123'


def test_second_run_changes_nothing(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    module(args(path))
    before = os.stat(path)
    result = module(args(path), diff=True)
    assert not result['changed'] and not result['content_changed']
    assert os.stat(path).st_ino == before.st_ino
    assert result['diff']['before'] == result['diff']['after']


def test_mode_change_alone_is_a_change_without_content_change(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    module(args(path))
    result = module(args(path, mode='0600'))
    assert result['changed'] and not result['content_changed']
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_new_file_never_has_a_wider_mode(module, tmp_path, monkeypatch):
    """The staged file gets its mode before the rename: at the rename it is already 0640."""
    seen = []
    real_rename = os.rename

    def rename(source, dest):
        seen.append(stat.S_IMODE(os.stat(source).st_mode))
        real_rename(source, dest)
    monkeypatch.setattr(hermod_config.os, 'rename', rename)
    old_umask = os.umask(0)
    try:
        module(args(tmp_path / 'cod-hermod.yml'))
    finally:
        os.umask(old_umask)
    assert seen == [0o640]


def test_check_mode_predicts_and_writes_nothing(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    result = module(args(path), check=True, diff=True)
    assert result['changed'] and os.listdir(tmp_path) == []
    assert result['diff']['before_header'].endswith('(absent)')
    module(args(path))
    result = module(args(path, config=config(attempts=5)), check=True)
    assert result['changed'] and yaml.safe_load(path.read_text()) == config()


def test_check_mode_in_a_release_not_yet_unpacked(module, tmp_path):
    deployed = tmp_path / 'cod-hermod.yml'
    module(args(deployed))
    new = tmp_path / 'hermod.new' / 'WEB-INF' / 'classes' / 'cod-hermod.yml'
    result = module(args(new, replaces=str(deployed)), check=True, diff=True)
    assert result['changed'] and not new.parent.exists()
    assert result['diff']['before'] == result['diff']['after']


def test_missing_directory_fails_naming_the_file(module, tmp_path):
    path = tmp_path / 'missing' / 'cod-hermod.yml'
    result = module(args(path), expect_failure=True)
    assert str(path) in result['msg'] and 'does not exist' in result['msg']


def test_symbolic_link_is_followed(module, tmp_path):
    target = tmp_path / 'real.yml'
    target.write_text('{}\n')
    link = tmp_path / 'cod-hermod.yml'
    link.symlink_to(target.name)
    module(args(link))
    assert link.is_symlink() and yaml.safe_load(target.read_text()) == config()


def test_diff_masks_secrets_and_marks_the_changed_ones(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    module(args(path))
    result = module(args(path, config=config(key=OTHER_KEY, attempts=4), replace_keys=['prime']), diff=True)
    before, after = (yaml.safe_load(result['diff'][side]) for side in ('before', 'after'))
    client_before = before['application']['hermod']['allowedClients'][0]
    client_after = after['application']['hermod']['allowedClients'][0]
    assert client_before['key'] == '********' and client_after['key'] == '******** (changed)'
    assert client_after['callbackBasicAuth'] == '********'
    assert after['spring']['datasource']['password'] == '********'
    assert after['application']['hermod']['callback']['attempts'] == 4
    assert result['diff']['before_header'] == result['diff']['after_header'] == str(path)


@pytest.mark.parametrize('deployed', [
    'application:\n  hermod:\n    allowed-clients:\n      - client-id: prime\n        key: %s\n'
    '        callback-basic-auth: %s\n' % (KEY, BASIC_AUTH),
    'application:\n  hermod.allowed_clients:\n    - CLIENT_ID: prime\n      KEY: %s\n'
    '      callbackbasicauth: %s\n' % (KEY, BASIC_AUTH),
    'spring.datasource.password: %s\n' % PASSWORD,
], ids=['kebab-case', 'dotted', 'dotted-password'])
def test_diff_masks_every_spelling_spring_reads(module, tmp_path, deployed):
    path = tmp_path / 'cod-hermod.yml'
    path.write_text(deployed)
    result = module(args(path), diff=True)
    assert result['changed'] and result['diff']['before'].count('********') >= 1


def test_invocation_masks_the_secrets_and_the_log_holds_none(tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr(basic.AnsibleModule, 'log', lambda self, msg, log_args=None: logged.append(msg))
    result, code = call_main(args(tmp_path / 'cod-hermod.yml'))
    assert code == 0
    shown = result['invocation']['module_args']['config']
    assert shown['spring']['datasource']['password'] == '********'
    assert shown['application']['hermod']['allowedClients'][0]['key'] == '********'
    assert shown['spring']['datasource']['url'] == 'jdbc:postgresql://db:5432/hermod'
    assert logged and not [secret for secret in SECRETS for msg in logged if secret in msg], logged


def test_another_deployed_key_is_not_replaced(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    module(args(path, config=config(key=OTHER_KEY)))
    result = module(args(path), expect_failure=True)
    assert "client 'prime'" in result['msg'] and 'Nothing was written' in result['msg']
    assert yaml.safe_load(path.read_text())['application']['hermod']['allowedClients'][0]['key'] == OTHER_KEY
    module(args(path, replace_keys=['prime']))
    assert yaml.safe_load(path.read_text())['application']['hermod']['allowedClients'][0]['key'] == KEY


def test_keys_are_checked_against_the_file_replaced(module, tmp_path):
    deployed = tmp_path / 'cod-hermod.yml'
    module(args(deployed, config=config(key=OTHER_KEY)))
    new = tmp_path / 'new.yml'
    module(args(new, replaces=str(deployed)), check=True, expect_failure=True)
    assert not new.exists()
    module(args(new, replaces=str(deployed), config=config(key=OTHER_KEY)))
    assert new.exists()


def test_a_broken_deployed_file_is_named(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    path.write_text('application: [unclosed\n')
    result = module(args(path), expect_failure=True)
    assert str(path) in result['msg'] and 'not valid YAML' in result['msg']


FORK = multiprocessing.get_context('fork')


def _write_rounds(path, keys, barrier, results):
    """Child process: write the file once per key, telling the parent which writes succeeded."""
    barrier.wait(timeout=60)
    for key in keys:
        result, _code = call_main(args(path, config=config(key=key)))
        results.put((key, bool(result.get('failed')), result.get('msg', '')))
    sys.exit(0)


def test_concurrent_first_writes_deploy_one_key_and_fail_the_others(tmp_path):
    """Each round, every worker writes its own new key into a file that has none: one wins, the others fail."""
    workers, rounds = 6, 10
    results = FORK.Queue()
    for number in range(rounds):
        path = tmp_path / ('round-%d' % number) / 'cod-hermod.yml'
        path.parent.mkdir()
        barrier = FORK.Barrier(workers)
        keys = ['%02d%02d' % (number, worker) + 'f' * 60 for worker in range(workers)]
        children = [FORK.Process(target=_write_rounds, args=(str(path), [key], barrier, results)) for key in keys]
        for child in children:
            child.start()
        deadline = time.monotonic() + 120
        for child in children:
            child.join(max(1, deadline - time.monotonic()))
        assert [child.exitcode for child in children] == [0] * workers
        outcome = [results.get(timeout=10) for _key in keys]
        winners = [key for key, failed, _msg in outcome if not failed]
        assert len(winners) == 1, outcome
        assert all('another run has deployed one since' in msg for _key, failed, msg in outcome if failed), outcome
        deployed = yaml.safe_load(path.read_text())['application']['hermod']['allowedClients'][0]['key']
        assert deployed == winners[0]
        assert sorted(os.listdir(path.parent)) == ['.cod-hermod.yml.lock', 'cod-hermod.yml']


def test_a_file_already_in_the_new_release_is_replaced_unread(module, tmp_path):
    deployed = tmp_path / 'cod-hermod.yml'
    module(args(deployed))
    new = tmp_path / 'release' / 'cod-hermod.yml'
    new.parent.mkdir()
    new.write_text('the vendor: [template\n')
    result = module(args(new, replaces=str(deployed)))
    assert result['changed'] and yaml.safe_load(new.read_text()) == config()


def test_first_deploy_replaces_a_file_whose_directory_does_not_exist_yet(module, tmp_path):
    new = tmp_path / 'release' / 'cod-hermod.yml'
    new.parent.mkdir()
    deployed = tmp_path / 'webapps' / 'hermod' / 'cod-hermod.yml'
    result = module(args(new, replaces=str(deployed)), diff=True)
    assert result['changed'] and not deployed.parent.exists()
    assert result['diff']['before_header'] == '%s (absent)' % deployed


def test_without_pyyaml_check_mode_predicts_a_change_and_a_real_run_fails(module, tmp_path, monkeypatch):
    monkeypatch.setattr(hermod_config, 'HAS_YAML', False)
    path = tmp_path / 'cod-hermod.yml'
    result = module(args(path), check=True)
    assert result['changed'] and result['content_changed'] and not path.exists()
    result = module(args(path), expect_failure=True)
    assert 'PyYAML' in result['msg']


def test_diff_of_a_deployed_value_yaml_types_refuse_shows_it_as_text(module, tmp_path):
    path = tmp_path / 'cod-hermod.yml'
    path.write_text('application:\n  released: 2001-13-45\n')
    result = module(args(path), diff=True)
    assert result['changed'] and "released: '2001-13-45'" in result['diff']['before']
