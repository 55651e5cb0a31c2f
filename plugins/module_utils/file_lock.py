# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An exclusive lock on a file that is replaced by rename.

The file itself cannot carry the lock: the rename puts a new inode in its
place, and a process waiting on the old one would go on to read a version
that is no longer current. The lock lives on ``.<name>.lock`` beside the
file instead, which nothing ever renames or removes (removing it would let
a waiting process lock an unlinked inode while a newcomer locks a new one).

Held from reading the file to renaming its new version over it, the lock
makes concurrent read-modify-write runs take turns, so none loses another's
change. It is advisory: only programs taking the same lock take turns.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat

# O_NOFOLLOW and the O_EXCL creation guard against a link planted at the
# lock's name by whoever may write the directory.
_OPEN_FLAGS = os.O_NOFOLLOW | getattr(os, 'O_CLOEXEC', 0)


def lock_path(path):
    """The lock file of path: ``.<name>.lock`` beside the file a symbolic link points to."""
    target = os.path.realpath(path)
    directory, name = os.path.split(target)
    return os.path.join(directory, '.%s.lock' % name)


@contextlib.contextmanager
def exclusive_lock(path):
    """Hold an exclusive flock on the lock file of path, waiting for other holders.

    The lock file is created when missing, readable and writable only by
    its owner, or by the owner and group of path when path exists (so that
    whoever may change path may also lock it); it is never world-writable
    or removed. Raises OSError when the lock file cannot be opened.
    """
    fd = _open_lock_file(lock_path(path), os.path.realpath(path))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        # Closing releases the lock.
        os.close(fd)


def _open_lock_file(lock, target):
    for dummy in range(10):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o600)
        except FileExistsError:
            pass
        else:
            _share_with_target(fd, target)
            return fd
        try:
            return _open_existing(lock)
        except FileNotFoundError:
            # Removed by someone between the two opens: create it again.
            continue
    raise OSError(errno.EAGAIN, 'lock file keeps disappearing', lock)


def _open_existing(lock):
    try:
        fd = os.open(lock, os.O_RDWR | _OPEN_FLAGS)
    except PermissionError:
        # flock needs no write access on local file systems: a user allowed
        # to read the lock file of another owner may still take turns.
        fd = os.open(lock, os.O_RDONLY | _OPEN_FLAGS)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, 'not a regular file', lock)
    return fd


def _share_with_target(fd, target):
    try:
        info = os.stat(target)
        os.fchown(fd, info.st_uid, info.st_gid)
    except OSError:
        # No target yet, or not allowed to give the file away: the lock
        # stays private to its creator.
        return
    os.fchmod(fd, stat.S_IMODE(info.st_mode) & 0o660 | 0o600)
