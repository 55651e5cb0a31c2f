# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""java_properties end to end on real files: changes, check mode, diff masking, modes, backups."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.prime_hermod.stack.plugins.modules import java_properties

SECRET = 'cHJpbWU6c2VjcmV0LWtleS0xMjM0NQ=='
VENDOR = (
    '# PRIME Explorer system settings.\n'
    'system.name=PRIME Explorer\n'
    'db.password = vendor-db-pw\n'
    '\n'
    '# Hermod\n'
    'authenticationToken=\n'
    'list = a, \\\n'
    '       b\n'
    '#provisionCallback.deviceNameField=deviceName\n'
)


@pytest.fixture
def module(capsys):
    def call(args, check=False, diff=False, expect_failure=False):
        args = dict(args, _ansible_check_mode=check, _ansible_diff=diff)
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                java_properties.main()
        out = capsys.readouterr().out
        result = json.loads(out)
        result['_raw'] = out
        if expect_failure:
            assert result.get('failed') and exit_info.value.code == 1, result
        else:
            assert not result.get('failed'), result
        return result
    return call


@pytest.fixture
def vendor_file(tmp_path):
    path = tmp_path / 'system.properties'
    path.write_text(VENDOR)
    os.chmod(path, 0o640)
    return path


def managed(path, **extra):
    args = {
        'path': str(path),
        'properties': {'hermod.url': 'https://hermod:28443/hermod/rest/command',
                       'provisionCallback.deviceNameField': 'deviceName'},
        'secret_properties': {'authenticationToken': SECRET},
    }
    args.update(extra)
    return args


def test_sets_keys_and_leaves_the_rest(module, vendor_file):
    result = module(managed(vendor_file))
    assert result['changed']
    assert result['changed_keys'] == ['hermod.url', 'provisionCallback.deviceNameField', 'authenticationToken']
    assert vendor_file.read_text() == VENDOR.replace(
        'authenticationToken=\n', 'authenticationToken=%s\n' % SECRET) + (
        'hermod.url=https://hermod:28443/hermod/rest/command\n'
        'provisionCallback.deviceNameField=deviceName\n')
    assert stat.S_IMODE(os.stat(vendor_file).st_mode) == 0o640


def test_second_run_changes_nothing(module, vendor_file):
    module(managed(vendor_file))
    content = vendor_file.read_bytes()
    result = module(managed(vendor_file), diff=True)
    assert not result['changed'] and result['changed_keys'] == []
    assert vendor_file.read_bytes() == content


def test_check_mode_reports_without_writing(module, vendor_file):
    result = module(managed(vendor_file, mode='0600'), check=True, diff=True)
    assert result['changed']
    assert result['changed_keys'] == ['hermod.url', 'provisionCallback.deviceNameField', 'authenticationToken']
    assert vendor_file.read_text() == VENDOR
    assert stat.S_IMODE(os.stat(vendor_file).st_mode) == 0o640
    # The same arguments for real make exactly the change check mode announced.
    assert module(managed(vendor_file, mode='0600'))['changed_keys'] == result['changed_keys']
    assert not module(managed(vendor_file, mode='0600'), check=True)['changed']


def test_diff_masks_secrets_and_output_never_holds_them(module, vendor_file):
    result = module(managed(vendor_file, secret_keys=['db.password']), diff=True)
    diff = result['diff']
    assert 'authenticationToken=\n' in diff['before']
    assert 'authenticationToken=******** (changed)\n' in diff['after']
    assert 'db.password = ********\n' in diff['before'] and 'db.password = ********\n' in diff['after']
    assert 'hermod.url=https://hermod:28443/hermod/rest/command\n' in diff['after']
    assert SECRET not in result['_raw'] and 'vendor-db-pw' not in result['_raw']

    rotated = module(managed(vendor_file, secret_properties={'authenticationToken': 'bmV3OmtleQ=='}), diff=True)
    assert rotated['changed_keys'] == ['authenticationToken']
    assert 'authenticationToken=********\n' in rotated['diff']['before']
    assert 'authenticationToken=******** (changed)\n' in rotated['diff']['after']
    assert SECRET not in rotated['_raw'] and 'bmV3OmtleQ==' not in rotated['_raw']


def test_failure_output_holds_no_secret(module, tmp_path):
    result = module(managed(tmp_path / 'missing.properties'), expect_failure=True)
    assert 'does not exist' in result['msg'] and SECRET not in result['_raw']


def test_null_value_and_state_absent_remove(module, vendor_file):
    result = module({'path': str(vendor_file), 'properties': {'list': None, 'nothing': None}})
    assert result['changed_keys'] == ['list']
    assert 'list' not in vendor_file.read_text() and 'b\n' not in vendor_file.read_text()
    result = module({'path': str(vendor_file), 'state': 'absent', 'properties': {'system.name': 'ignored'}})
    assert result['changed_keys'] == ['system.name']
    assert vendor_file.read_text() == (
        '# PRIME Explorer system settings.\ndb.password = vendor-db-pw\n\n# Hermod\nauthenticationToken=\n'
        '#provisionCallback.deviceNameField=deviceName\n')


def test_value_types_are_written_as_java_reads_them(module, vendor_file):
    module({'path': str(vendor_file), 'properties': {'flag': True, 'off': False, 'n': 30, 'f': 1.5}})
    assert vendor_file.read_text().endswith('flag=true\noff=false\nn=30\nf=1.5\n')
    bad = module({'path': str(vendor_file), 'properties': {'list': [1, 2]}}, expect_failure=True)
    assert 'the value of list must be a string' in bad['msg']


def test_key_in_both_options_is_refused(module, vendor_file):
    result = module({'path': str(vendor_file), 'properties': {'a': '1'}, 'secret_properties': {'a': '2'}},
                    expect_failure=True)
    assert 'a is given in both' in result['msg']
    assert vendor_file.read_text() == VENDOR


def test_missing_file_without_create_fails(module, tmp_path):
    result = module({'path': str(tmp_path / 'nope'), 'properties': {'a': '1'}}, expect_failure=True)
    assert 'set create=true' in result['msg']
    assert not (tmp_path / 'nope').exists()


def test_create_makes_a_private_file(module, tmp_path):
    path = tmp_path / 'new.properties'
    result = module({'path': str(path), 'create': True, 'secret_properties': {'token': SECRET}}, check=True)
    assert result['changed'] and result['created'] and not path.exists()
    result = module({'path': str(path), 'create': True, 'secret_properties': {'token': SECRET}})
    assert result['created'] and path.read_text() == 'token=%s\n' % SECRET
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    result = module({'path': str(path), 'create': True, 'secret_properties': {'token': SECRET}, 'mode': '0640'},
                    diff=True)
    assert result['changed'] and result['changed_keys'] == []
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_mode_is_kept_when_not_given(module, vendor_file):
    os.chmod(vendor_file, 0o604)
    module(managed(vendor_file))
    assert stat.S_IMODE(os.stat(vendor_file).st_mode) == 0o604


def test_backup_keeps_the_original(module, vendor_file):
    result = module(managed(vendor_file, backup=True))
    assert open(result['backup_file']).read() == VENDOR
    assert 'backup_file' not in module(managed(vendor_file, backup=True))


def test_malformed_file_fails_without_change(module, tmp_path):
    path = tmp_path / 'bad.properties'
    path.write_bytes(b'ok=1\nbad=\\uZZZZ\n')
    result = module({'path': str(path), 'properties': {'ok': '2'}}, expect_failure=True)
    assert 'line 2: malformed' in result['msg']
    assert path.read_bytes() == b'ok=1\nbad=\\uZZZZ\n'


def test_directory_is_refused(module, tmp_path):
    assert 'is a directory' in module({'path': str(tmp_path), 'properties': {'a': '1'}}, expect_failure=True)['msg']


def test_no_staging_file_is_left_behind(module, vendor_file):
    module(managed(vendor_file))
    assert sorted(os.listdir(vendor_file.parent)) == ['system.properties']
