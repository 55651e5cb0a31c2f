# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lock file that serialises read-modify-write runs on one file."""

from __future__ import annotations

import fcntl
import os
import stat

import pytest

from ansible_collections.prime_hermod.stack.plugins.module_utils.file_lock import exclusive_lock, lock_path


def lockable(path):
    """Whether another open file description could take the lock now."""
    fd = os.open(str(path), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_lock_file_is_beside_the_target_and_private(tmp_path):
    target = tmp_path / 'app.properties'
    with exclusive_lock(str(target)):
        lock = tmp_path / '.app.properties.lock'
        assert os.listdir(tmp_path) == ['.app.properties.lock']
        assert stat.S_IMODE(os.stat(lock).st_mode) == 0o600
        assert not lockable(lock)
    assert lockable(lock)
    assert os.listdir(tmp_path) == ['.app.properties.lock']


def test_lock_of_a_symlink_is_beside_its_target(tmp_path):
    (tmp_path / 'real').mkdir()
    (tmp_path / 'real' / 'cacerts').write_bytes(b'')
    (tmp_path / 'cacerts').symlink_to(os.path.join('real', 'cacerts'))
    assert lock_path(str(tmp_path / 'cacerts')) == str(tmp_path / 'real' / '.cacerts.lock')
    with exclusive_lock(str(tmp_path / 'cacerts')):
        # The link and its target are one file, and so one lock.
        assert not lockable(tmp_path / 'real' / '.cacerts.lock')
    assert sorted(os.listdir(tmp_path)) == ['cacerts', 'real']


def test_lock_is_released_when_the_body_fails(tmp_path):
    target = tmp_path / 'a'
    with pytest.raises(RuntimeError):
        with exclusive_lock(str(target)):
            raise RuntimeError('boom')
    assert lockable(tmp_path / '.a.lock')


def test_new_lock_file_takes_owner_group_and_mode_of_the_target_never_others(tmp_path):
    target = tmp_path / 'a'
    target.write_bytes(b'')
    os.chmod(target, 0o666)
    if os.geteuid() == 0:
        os.chown(target, 1234, 2345)
    with exclusive_lock(str(target)):
        info = os.stat(tmp_path / '.a.lock')
    assert (info.st_uid, info.st_gid) == (os.stat(target).st_uid, os.stat(target).st_gid)
    assert stat.S_IMODE(info.st_mode) == 0o660


def test_existing_lock_file_is_used_as_it_is(tmp_path):
    lock = tmp_path / '.a.lock'
    lock.write_bytes(b'')
    os.chmod(lock, 0o640)
    (tmp_path / 'a').write_bytes(b'')
    os.chmod(tmp_path / 'a', 0o600)
    with exclusive_lock(str(tmp_path / 'a')):
        assert not lockable(lock)
    assert stat.S_IMODE(os.stat(lock).st_mode) == 0o640


def test_link_planted_at_the_lock_name_is_not_followed(tmp_path):
    victim = tmp_path / 'victim'
    victim.write_bytes(b'precious')
    os.chmod(victim, 0o600)
    (tmp_path / '.a.lock').symlink_to(victim)
    with pytest.raises(OSError):
        with exclusive_lock(str(tmp_path / 'a')):
            pass
    assert victim.read_bytes() == b'precious' and stat.S_IMODE(os.stat(victim).st_mode) == 0o600


def test_lock_name_that_is_no_regular_file_is_refused(tmp_path):
    os.mkfifo(str(tmp_path / '.a.lock'))
    with pytest.raises(OSError, match='not a regular file'):
        with exclusive_lock(str(tmp_path / 'a')):
            pass
