# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running keytool and reading Java keystores through it.

Passwords reach keytool only through ``-*storepass:env`` and the child's
environment, never on its command line, where any local user could read them
in the process table.

Every error names the store the user gave (never a staging copy) and what to
check, because keytool's own words ("java.io.EOFException") name neither.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import signal

from ansible_collections.prime_hermod.stack.plugins.module_utils.pem_certificates import (
    CertificateError,
    pem_certificates,
    sha256_fingerprint,
)

# The file's first bytes, so a store is never opened with the wrong type.
_MAGIC = (
    (b'\xfe\xed\xfe\xed', 'JKS'),
    (b'\xce\xce\xce\xce', 'JCEKS'),
)

TRUSTED = 'trustedCertEntry'

# keytool's wording, in English because every run forces an English locale.
_WRONG_PASSWORD = (
    'password was incorrect',
    'integrity check failed',
    'failed to decrypt safe contents',
    'given final block not properly padded',
)
_TRUNCATED = (
    'eofexception',
    'premature eof',
    'short read',
)
_NOT_A_KEYSTORE = (
    'invalid keystore format',
    'unrecognized keystore format',
    'keystore file exists, but is empty',
    'derinputstream',
)
_READ_COMMANDS = ('-list',)

_JAVA_OPTIONS = [
    '-J-Duser.language=en', '-J-Duser.country=US',
    '-J-Dfile.encoding=UTF-8', '-J-Dsun.stdout.encoding=UTF-8', '-J-Dstdout.encoding=UTF-8',
    # keytool runs for a second or less: the optimising JIT costs more than it
    # saves (measured: a 144-entry import 1.1 s -> 0.7 s with OpenJDK 17).
    '-J-XX:TieredStopAtLevel=1',
]

_ENV_STOREPASS = 'PRIME_HERMOD_KEYTOOL_STOREPASS'
_ENV_SRCPASS = 'PRIME_HERMOD_KEYTOOL_SRCSTOREPASS'


class KeytoolError(Exception):
    """keytool failed; the message carries its own explanation.

    ``keytool_text`` is what keytool itself said, when it said something.
    """

    def __init__(self, message, keytool_text=None):
        super(KeytoolError, self).__init__(message)
        self.keytool_text = keytool_text


class WrongPasswordError(KeytoolError):
    pass


class NotAKeystoreError(KeytoolError):
    pass


class KeytoolKilledError(KeytoolError):
    """keytool ended by a signal, so its output explains nothing."""


class Entry(object):
    """One keystore entry as keytool lists it."""

    __slots__ = ('alias', 'entry_type', 'der', 'sha256')

    def __init__(self, alias, entry_type, der=None):
        self.alias = alias
        self.entry_type = entry_type
        self.der = der
        self.sha256 = sha256_fingerprint(der) if der is not None else None

    @classmethod
    def recorded(cls, alias, entry_type, sha256):
        """An entry as an earlier listing recorded it: its fingerprint, not its certificate."""
        entry = cls(alias, entry_type)
        entry.sha256 = sha256
        return entry

    @property
    def trusted(self):
        return self.entry_type == TRUSTED

    def __repr__(self):
        return 'Entry(%r, %r, %r)' % (self.alias, self.entry_type, self.sha256)


def detect_store_type(path):
    """Return 'JKS', 'JCEKS' or 'PKCS12' from the file's magic bytes.

    Returns None for an empty file. PKCS#12 is a DER SEQUENCE whose content
    starts with the INTEGER 3 (the PFX version). Its length is in short form
    when the store is small: a PKCS#12 store with no entry left is about 100
    bytes.
    """
    with open(path, 'rb') as handle:
        head = handle.read(8)
    if not head:
        return None
    for magic, store_type in _MAGIC:
        if head[:4] == magic:
            return store_type
    if len(head) >= 2 and head[0] == 0x30:
        # 0x80 is BER's indefinite length; 0x81..0x84 give the number of length bytes.
        content = 2 + (head[1] - 0x80 if 0x80 < head[1] <= 0x84 else 0)
        if head[content:content + 3] == b'\x02\x01\x03':
            return 'PKCS12'
    raise NotAKeystoreError('%s is not a JKS, JCEKS or PKCS#12 keystore (unknown file signature %s)'
                            % (path, head[:4].hex()))


def parse_list_rfc(text):
    """Parse ``keytool -list -rfc`` output into Entry objects.

    The announced entry count is checked against what was parsed: a listing
    misread as shorter than it is would make entries look absent.
    """
    count_match = re.search(r'^Your keystore contains (\d+) entr(?:y|ies)', text, re.MULTILINE)
    if not count_match:
        raise KeytoolError('unexpected keytool -list output: no entry count found')
    entries = []
    for block in re.split(r'^Alias name: ', text, flags=re.MULTILINE)[1:]:
        alias, _sep, rest = block.partition('\n')
        alias = alias.rstrip('\r')
        type_match = re.search(r'^Entry type: (\S+)', rest, re.MULTILINE)
        if not type_match:
            raise KeytoolError('unexpected keytool -list output: no entry type for alias %r' % alias)
        entry_type = type_match.group(1)
        der = None
        if entry_type == TRUSTED:
            try:
                certs = pem_certificates(rest)
            except CertificateError as exc:
                raise KeytoolError('cannot read the certificate of alias %r from keytool: %s' % (alias, exc))
            if not certs:
                raise KeytoolError('keytool listed no certificate for alias %r' % alias)
            der = certs[0]
        entries.append(Entry(alias, entry_type, der))
    if len(entries) != int(count_match.group(1)):
        raise KeytoolError('keytool announced %s entries but %d were parsed'
                           % (count_match.group(1), len(entries)))
    return entries


def _classify(message, store, command='-list'):
    """The exception for keytool's ``message`` about ``store``, saying what to check."""
    lower = message.lower()
    said = 'keytool %s: %s' % (command, message)
    if any(marker in lower for marker in _WRONG_PASSWORD):
        # JKS and PKCS#12 check the password and the file's integrity with one digest.
        return WrongPasswordError('wrong password for keystore %s (%s); if the password is right, the file is corrupt'
                                  % (store, said), message)
    if any(marker in lower for marker in _TRUNCATED):
        return NotAKeystoreError('%s is truncated or corrupt: keytool found its end too early (%s); restore it '
                                 'from a backup' % (store, said), message)
    if any(marker in lower for marker in _NOT_A_KEYSTORE):
        return NotAKeystoreError('%s is not a readable keystore (%s); check that it is a complete JKS, JCEKS or '
                                 'PKCS#12 file' % (store, said), message)
    if command in _READ_COMMANDS:
        hint = 'check that the file is a complete, uncorrupted keystore and that the password and store type are right'
    else:
        hint = ('check the free space and write permission in %s, and that the store is a complete, uncorrupted '
                'keystore' % os.path.dirname(store))
    return KeytoolError('keytool %s failed on %s: %s; %s' % (command, store, message, hint), message)


def _error_text(out, err):
    lines = [line.strip() for line in (err or '').splitlines() + (out or '').splitlines()]
    errors = [line for line in lines if line.startswith('keytool error')]
    # -importkeystore prints a line per entry: without an error line, the last
    # lines show how far it got; all of them would bury the message.
    return '; '.join(errors or [line for line in lines if line][-3:]) or 'no output'


def _failure(rc, out, err, store, command):
    if rc < 0:
        # Whatever keytool printed before the signal is progress, not a reason.
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = 'signal %d' % -rc
        return KeytoolKilledError('keytool %s was killed by %s (signal %d) while working on %s'
                                  % (command, name, -rc, store))
    return _classify(_error_text(out, err), store, command)


class Keytool(object):
    """Runs one keytool binary through AnsibleModule.run_command."""

    def __init__(self, module, executable):
        self.module = module
        self.executable = executable
        self.runs = 0

    def _run(self, args, secrets):
        # English messages keep the output parseable; UTF-8 keeps non-ASCII
        # aliases intact in arguments and output. Java reads these from the
        # locale or from properties, depending on its version: set both.
        env = {'LC_ALL': 'C.UTF-8', 'LANG': 'C.UTF-8'}
        env.update(secrets)
        cmd = [self.executable] + _JAVA_OPTIONS + list(args)
        self.runs += 1
        return self.module.run_command(cmd, environ_update=env)

    def list_entries(self, path, store_type, password, store=None):
        """Entries of ``path``; errors name ``store`` (default: ``path``)."""
        store = store or path
        rc, out, err = self._run(
            ['-list', '-rfc', '-keystore', path, '-storetype', store_type,
             '-storepass:env', _ENV_STOREPASS],
            {_ENV_STOREPASS: password},
        )
        if rc != 0:
            raise _failure(rc, out, err, store, '-list')
        try:
            return parse_list_rfc(out)
        except KeytoolError as exc:
            raise KeytoolError('cannot read the listing of %s: %s' % (store, exc))

    def import_store(self, src, src_type, src_password, dest, dest_type, dest_password, expected,
                     java_options=(), store=None):
        """Copy every entry of ``src`` into ``dest`` (created when missing).

        ``java_options`` go to keytool's JVM (how to protect a PKCS#12 file).
        keytool exits 0 even when some entries failed, so the summary line is
        checked against the number of entries expected.
        """
        store = store or dest
        rc, out, err = self._run(
            list(java_options) +
            ['-importkeystore', '-noprompt',
             '-srckeystore', src, '-srcstoretype', src_type, '-srcstorepass:env', _ENV_SRCPASS,
             '-destkeystore', dest, '-deststoretype', dest_type, '-deststorepass:env', _ENV_STOREPASS],
            {_ENV_SRCPASS: src_password, _ENV_STOREPASS: dest_password},
        )
        if rc != 0:
            raise _failure(rc, out, err, store, '-importkeystore')
        text = '%s\n%s' % (out, err)
        match = re.search(r'(\d+) entries successfully imported, (\d+) entries failed or cancelled', text)
        if not match or int(match.group(2)) != 0 or int(match.group(1)) != expected:
            summary = ' '.join(text.split())
            raise KeytoolError('keytool -importkeystore did not import all %d entries into the new version of %s: %s'
                               % (expected, store, summary), summary)

    def delete(self, path, store_type, password, alias, java_options=(), store=None):
        store = store or path
        rc, out, err = self._run(
            list(java_options) +
            ['-delete', '-alias', alias, '-keystore', path, '-storetype', store_type,
             '-storepass:env', _ENV_STOREPASS],
            {_ENV_STOREPASS: password},
        )
        if rc != 0:
            raise _failure(rc, out, err, store, '-delete')


class LockError(Exception):
    pass


def lock_path(path):
    return os.path.join(os.path.dirname(path), '.%s.lock' % os.path.basename(path))


@contextlib.contextmanager
def exclusive_lock(path):
    """Hold an exclusive flock on ``.<name>.lock`` beside the store ``path``.

    Runs of this module on the same store take it from before they read the
    store until after the new one is renamed into place: without it,
    two runs that read the same store would each write their own change, and
    the rename of the second would drop the change of the first.

    The lock file stays: removing it would let a waiting run lock a file
    nobody else sees any more. It is opened read-only (flock needs no write
    access), created not world-writable, and never followed if a symbolic
    link. Yields the lock file's path, or None when it cannot be created
    because the directory is read-only or not writable: such a run cannot
    rename a new store into that directory either, so it has no change to lose.

    Meant to give way to a collection-wide lock helper.
    """
    name = lock_path(path)
    try:
        handle = os.open(name, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        # Refused in a directory this run can write to: the lock file is
        # somebody else's, and going on unlocked could lose a change.
        unwritable = exc.errno == errno.EROFS or (
            exc.errno in (errno.EACCES, errno.EPERM) and not os.access(os.path.dirname(name), os.W_OK | os.X_OK))
        if not unwritable:
            raise LockError('cannot open the lock file %s: %s' % (name, exc))
        handle = None
    if handle is None:
        yield None
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield name
    finally:
        os.close(handle)


def find_keytool(module, keytool=None, java_home=None):
    """The keytool to run: explicit path, JAVA_HOME-style directory, or PATH."""
    if keytool:
        candidate = keytool
    elif java_home:
        candidate = os.path.join(java_home, 'bin', 'keytool')
    else:
        return module.get_bin_path('keytool', required=True)
    if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
        module.fail_json(msg='keytool not found or not executable: %s' % candidate)
    return candidate
