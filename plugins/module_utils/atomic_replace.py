# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build a file's new version beside it, then swap it in with one rename.

Whatever happens before the rename (a failing tool, a killed process), the
original file is untouched: readers see either the old or the new version.
"""

from __future__ import annotations

import os
import shutil
import tempfile


def staging_problem(dest):
    """Why ``dest`` cannot be written by staging and renaming, or None.

    Asked before anything is written, and in check mode as well, so that a
    prediction fails where the real run would.
    """
    directory = os.path.dirname(os.path.abspath(dest))
    if not os.path.exists(directory):
        return 'directory %s does not exist' % directory
    if not os.path.isdir(directory):
        return '%s is not a directory' % directory
    # The staging directory is created there, and the rename needs it writable.
    if not os.access(directory, os.W_OK | os.X_OK):
        return 'directory %s is not writable' % directory
    return None


class StagingDirectory(object):
    """A private directory next to ``dest`` (same filesystem, so rename is atomic).

    A directory rather than a temporary file because tools such as keytool
    refuse to write into an existing empty file. Removed on exit, whatever
    happened.
    """

    def __init__(self, dest):
        self.dest = dest
        self.path = None

    def __enter__(self):
        parent = os.path.dirname(os.path.abspath(self.dest))
        prefix = '.%s.' % os.path.basename(self.dest)
        self.path = tempfile.mkdtemp(prefix=prefix, suffix='.tmp', dir=parent)
        return self

    def file(self, name):
        return os.path.join(self.path, name)

    def __exit__(self, *exc_info):
        shutil.rmtree(self.path, ignore_errors=True)
        return False


def replace_file(module, staged, dest):
    """Move ``staged`` over ``dest`` atomically, keeping dest's owner, mode and SELinux context."""
    module.atomic_move(staged, dest, unsafe_writes=False)


def write_file(module, target, data, file_args=None):
    """Replace target with data by one rename, the new file's attributes set before the rename.

    The new file starts as a private temporary file beside target; it gets
    target's owner, group and mode when target exists, then the attributes
    of file_args (as load_file_common_arguments returns them), so it is
    never readable by more users than the finished file, and never half
    written when readers see it.
    """
    fd, staged = tempfile.mkstemp(prefix='.%s.' % os.path.basename(target), suffix='.tmp',
                                  dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if os.path.exists(target):
                info = os.stat(target)
                os.fchown(handle.fileno(), info.st_uid, info.st_gid)
                os.fchmod(handle.fileno(), info.st_mode & 0o7777)
        if file_args:
            module.set_fs_attributes_if_different(dict(file_args, path=staged), False)
        if module.selinux_enabled():
            context = module.selinux_context(target) if os.path.exists(target) else module.selinux_default_context(target)
            module.set_context_if_different(staged, context, False)
        os.rename(staged, target)
    finally:
        if os.path.exists(staged):
            os.unlink(staged)
