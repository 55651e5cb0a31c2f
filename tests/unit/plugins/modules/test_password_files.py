# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""password_files on real files: created once, read afterwards, attributes, check mode, diff, races."""

from __future__ import annotations

import grp
import os
import pwd
import stat

from ansible_collections.prime_hermod.stack.plugins.modules import password_files
from ansible_collections.prime_hermod.stack.tests.unit.plugins.modules import module_calls

USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name


def run(files, check=False, diff=False, length=None):
    args = {'files': files}
    if length is not None:
        args['length'] = length
    return module_calls.call_main(password_files.main, args, check, diff)


def spec(path, mode='0640'):
    return {'path': str(path), 'owner': USER, 'group': GROUP, 'mode': mode}


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_missing_files_get_a_password_each_and_a_second_run_reads_them(tmp_path):
    keystore, truststore = tmp_path / 'keystore.pass', tmp_path / 'truststore.pass'
    result = module_calls.expect(*run([spec(keystore), spec(truststore, '0600')]))
    assert result['changed'] is True
    assert result['created'] == [str(keystore), str(truststore)]
    passwords = result['passwords']
    assert passwords[str(keystore)] == keystore.read_text() and passwords[str(truststore)] == truststore.read_text()
    assert len(set(passwords.values())) == 2
    for password in passwords.values():
        assert len(password) == 32 and password.isalnum() and password.isascii()
    assert (mode_of(keystore), mode_of(truststore)) == (0o640, 0o600)
    assert sorted(os.listdir(str(tmp_path))) == ['keystore.pass', 'truststore.pass']

    again = module_calls.expect(*run([spec(keystore), spec(truststore, '0600')]))
    assert again['changed'] is False and again['created'] == [] and again['passwords'] == passwords


def test_an_existing_password_is_kept_and_its_mode_corrected(tmp_path):
    path = tmp_path / 'keystore.pass'
    path.write_text('an-existing-password\n')
    os.chmod(str(path), 0o644)
    result = module_calls.expect(*run([spec(path)], diff=True))
    assert result['changed'] is True and result['created'] == []
    assert result['passwords'] == {str(path): 'an-existing-password'}
    assert mode_of(path) == 0o640
    assert result['diff'] == [{'before': {'path': str(path), 'mode': '0644'}, 'after': {'path': str(path), 'mode': '0640'}}]


def test_check_mode_predicts_the_creation_and_writes_nothing(tmp_path):
    present, missing = tmp_path / 'present.pass', tmp_path / 'missing.pass'
    present.write_text('kept-password')
    os.chmod(str(present), 0o640)
    result = module_calls.expect(*run([spec(present), spec(missing)], check=True, diff=True))
    assert result['changed'] is True and result['created'] == [str(missing)]
    assert result['passwords'] == {str(present): 'kept-password'}
    assert not missing.exists()
    assert result['diff'] == [{'before': {'path': str(missing), 'state': 'absent'},
                               'after': {'path': str(missing), 'state': 'file'}}]
    assert 'kept-password' not in str(result['diff'])


def test_a_run_that_loses_the_race_returns_the_winners_password(tmp_path, monkeypatch):
    path = tmp_path / 'keystore.pass'
    real = password_files.new_password

    def other_run_creates_it_first(length):
        path.write_text('the-other-runs-password')
        return real(length)

    monkeypatch.setattr(password_files, 'new_password', other_run_creates_it_first)
    result = module_calls.expect(*run([spec(path)]))
    assert result['passwords'] == {str(path): 'the-other-runs-password'}
    assert result['created'] == []
    assert path.read_text() == 'the-other-runs-password'
    assert os.listdir(str(tmp_path)) == ['keystore.pass']


def test_an_empty_file_and_a_missing_directory_fail_without_the_passwords_read(tmp_path):
    good, empty = tmp_path / 'good.pass', tmp_path / 'empty.pass'
    good.write_text('secret-of-the-good-file')
    empty.write_text('')
    result = module_calls.expect(*run([spec(good), spec(empty)]), failure=True)
    assert result['msg'].startswith('%s is empty; remove it' % empty)
    assert 'secret-of-the-good-file' not in result['_raw']

    result = module_calls.expect(*run([spec(good), spec(tmp_path / 'nowhere' / 'x.pass')]), failure=True)
    assert result['msg'] == 'files[1].path: directory %s does not exist' % (tmp_path / 'nowhere')
    assert 'secret-of-the-good-file' not in result['_raw']


def test_length(tmp_path):
    result = module_calls.expect(*run([spec(tmp_path / 'a.pass')], length=12))
    assert len(result['passwords'][str(tmp_path / 'a.pass')]) == 12
    short = module_calls.expect(*run([spec(tmp_path / 'b.pass')], length=4), failure=True)
    assert short['msg'] == 'length must be 8 or more, not 4'
    assert not (tmp_path / 'b.pass').exists()


def test_a_line_ending_is_not_part_of_the_password_and_a_second_line_is_refused(tmp_path):
    unix, dos, two = tmp_path / 'unix.pass', tmp_path / 'dos.pass', tmp_path / 'two.pass'
    unix.write_bytes(b'unix-password\n')
    dos.write_bytes(b'dos-password\r\n')
    two.write_bytes(b'first-line\nsecond-line\n')
    result = module_calls.expect(*run([spec(unix), spec(dos)]))
    assert result['passwords'] == {str(unix): 'unix-password', str(dos): 'dos-password'}
    assert unix.read_bytes() == b'unix-password\n'
    refused = module_calls.expect(*run([spec(two)]), failure=True)
    assert refused['msg'] == '%s holds more than one line; a password file holds the password alone' % two
    assert 'second-line' not in refused['_raw']
