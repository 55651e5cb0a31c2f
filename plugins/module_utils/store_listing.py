# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The last listing of a keystore, kept so that a run that changes nothing starts no JVM.

Listing a store means starting keytool, a JVM (about a second). A run that
finds every wanted entry in place needs only the aliases, entry types and
fingerprints, so after such a run the listing is recorded in
``.<name>.listing`` beside the store (beside its lock file), and the next
run uses it instead of keytool when it still holds:

- the store's content has the SHA-256 the record names (any change to the
  file, by anyone, makes a new listing necessary);
- the password is the one keytool read the store with: the record holds a
  salted PBKDF2-HMAC-SHA256 digest of it, never the password, so a wrong
  or changed password still goes to keytool and fails there as before.

A record is only a shortcut for reading: a run that must change the store
lists it with keytool again and builds the new store from that. The record
is written atomically (a temporary file renamed over it), readable only by
its owner, and a record that cannot be read or does not match is ignored,
as is one that is a symbolic link, belongs to another user or is writable
by others.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import tempfile

from ansible_collections.prime_hermod.stack.plugins.module_utils.keytool import Entry

FORMAT = 1
# Costs about 0.1 s per run, many times a brute-force attempt on the store's
# own MAC (keytool's default is 10000 iterations).
ITERATIONS = 200000


def listing_path(path):
    """``.<name>.listing`` beside the file a symbolic link points to."""
    directory, name = os.path.split(os.path.realpath(path))
    return os.path.join(directory, '.%s.listing' % name)


def content_sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 16), b''):
            digest.update(block)
    return digest.hexdigest()


def _password_digest(password, salt, iterations):
    return hashlib.pbkdf2_hmac('sha256', password.encode('utf-8'), salt, iterations).hex()


def _open_own_record(path):
    """The record file, opened without following a link, if it belongs to this user and only this user writes it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        os.close(fd)
        return None
    return os.fdopen(fd, 'r')


def read_listing(path, store_type, password, store_sha256):
    """The entries recorded for the store's content (store_sha256), type and this password; None otherwise.

    A record that another user owns or may write, or that is a link, is not
    read: whoever could plant it could also have changed the store.
    """
    try:
        handle = _open_own_record(listing_path(path))
        if handle is None:
            return None
        with handle:
            record = json.load(handle)
        if (record.get('format') != FORMAT or record.get('store_type') != store_type
                or record.get('store_sha256') != store_sha256):
            return None
        check = record['password']
        if int(check['iterations']) != ITERATIONS:
            return None
        expected = _password_digest(password, bytes.fromhex(check['salt']), ITERATIONS)
        if not hmac.compare_digest(expected, check['digest']):
            return None
        return [Entry.recorded(item['alias'], item['type'], item['sha256']) for item in record['entries']]
    except (IOError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_listing(path, store_type, password, entries, store_sha256):
    """Record entries as the listing of the store whose content had store_sha256.

    Best effort: a record that cannot be written leaves the next run to list
    the store with keytool, as it would without records.
    """
    salt = os.urandom(16)
    record = {
        'format': FORMAT,
        'store_type': store_type,
        'store_sha256': store_sha256,
        'password': {'salt': salt.hex(), 'iterations': ITERATIONS,
                     'digest': _password_digest(password, salt, ITERATIONS)},
        'entries': [{'alias': entry.alias, 'type': entry.entry_type, 'sha256': entry.sha256} for entry in entries],
    }
    target = listing_path(path)
    staged = None
    try:
        # mkstemp creates the file readable and writable by its owner only.
        fd, staged = tempfile.mkstemp(prefix=os.path.basename(target) + '.', suffix='.tmp',
                                      dir=os.path.dirname(target))
        with os.fdopen(fd, 'w') as handle:
            json.dump(record, handle, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(staged, target)
        staged = None
    except (IOError, OSError):
        pass
    finally:
        if staged is not None and os.path.exists(staged):
            os.unlink(staged)


def forget_listing(path):
    """Remove the record; called before the store is replaced, so that no record outlives its content."""
    try:
        os.unlink(listing_path(path))
    except FileNotFoundError:
        pass
