# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""host_requirements against this machine: real commands on PATH, real Python modules, real files."""

from __future__ import annotations

import os
import sys

from ansible_collections.prime_hermod.stack.plugins.modules import host_requirements
from ansible_collections.prime_hermod.stack.tests.unit.plugins.modules import module_calls


def run(requirements, hint=None, check=False):
    args = {'requirements': requirements}
    if hint is not None:
        args['hint'] = hint
    return module_calls.call_main(host_requirements.main, args, check)


def test_what_the_host_has_passes_and_changes_nothing(tmp_path):
    java = tmp_path / 'bin' / 'java'
    java.parent.mkdir()
    java.write_text('#!/bin/sh\n')
    java.chmod(0o755)
    result = module_calls.expect(*run([
        {'command': 'sh'},
        {'python': 'json'},
        {'python': 'os.path'},
        {'path': str(java), 'executable': True},
        {'path': str(tmp_path)},
    ]))
    assert result['changed'] is False and result['missing'] == []


def test_each_missing_item_is_named_with_its_variable_in_one_failure(tmp_path):
    result = module_calls.expect(*run([
        {'command': 'sh'},
        {'command': 'no-such-command-phs', 'variable': 'hermod_install_packages'},
        {'python': 'no_such_module_phs', 'variable': 'hermod_install_packages'},
        {'path': str(tmp_path / 'jdk' / 'bin' / 'java'), 'executable': True,
         'variable': 'tomcat_instances[1].java_home (prime)'},
    ], hint='hermod_install_packages is false.'), failure=True)
    message = result['msg']
    assert 'the command no-such-command-phs, from hermod_install_packages' in message
    assert 'the Python module no_such_module_phs (for %s), from hermod_install_packages' % sys.executable in message
    assert '%s/jdk/bin/java, an executable file, from tomcat_instances[1].java_home (prime)' % tmp_path in message
    assert message.endswith(' hermod_install_packages is false.')
    assert 'the command sh' not in message
    assert [item.get('command') or item.get('python') or item.get('path') for item in result['missing']] == [
        'no-such-command-phs', 'no_such_module_phs', str(tmp_path / 'jdk' / 'bin' / 'java')]


def test_a_directory_or_a_file_without_execute_permission_is_not_an_executable(tmp_path):
    plain = tmp_path / 'java'
    plain.write_text('not a program')
    plain.chmod(0o644)
    result = module_calls.expect(*run([{'path': str(tmp_path), 'executable': True},
                                       {'path': str(plain), 'executable': True}]), failure=True)
    assert len(result['missing']) == 2 and str(plain) in result['msg']


def test_a_submodule_of_a_missing_package_is_missing_not_an_error():
    result = module_calls.expect(*run([{'python': 'no_such_package_phs.sub'}]), failure=True)
    assert 'no_such_package_phs.sub' in result['msg']


def test_a_command_in_sbin_is_found_off_path(monkeypatch):
    name = next(name for name in sorted(os.listdir('/usr/sbin'))
                if os.path.isfile(os.path.join('/usr/sbin', name)) and os.access(os.path.join('/usr/sbin', name), os.X_OK))
    monkeypatch.setenv('PATH', '/nonexistent')
    module_calls.expect(*run([{'command': name}]))
    module_calls.expect(*run([{'command': 'sh'}]), failure=True)


def test_an_item_names_exactly_one_thing():
    module_calls.expect(*run([{'command': 'sh', 'python': 'json'}]), failure=True)
    module_calls.expect(*run([{'variable': 'x'}]), failure=True)


def test_check_mode_checks_the_same(tmp_path):
    result = module_calls.expect(*run([{'path': str(tmp_path / 'absent')}], check=True), failure=True)
    assert str(tmp_path / 'absent') in result['msg']
