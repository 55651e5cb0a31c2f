# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""keytool runner, PEM helpers and the JKS writer, checked against the real keytool."""

from __future__ import annotations

import datetime
import errno
import hashlib
import os
import shutil
import subprocess
import sys
import time

import pytest

from ansible_collections.prime_hermod.stack.plugins.module_utils import keytool as kt
from ansible_collections.prime_hermod.stack.plugins.module_utils.jks_truststore import (
    java_modified_utf,
    jks_truststore_bytes,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.pem_certificates import (
    CertificateError,
    certificate_der,
    first_certificate,
    pem_certificates,
    sha256_fingerprint,
)

x509 = pytest.importorskip('cryptography.x509')
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

KEYTOOL = shutil.which('keytool')
needs_keytool = pytest.mark.skipif(KEYTOOL is None, reason='keytool not installed')


def make_cert(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    return cert


@pytest.fixture(scope='module')
def certs():
    return [make_cert('unit-%d' % i) for i in range(3)]


def pem_of(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode('ascii')


def der_of(cert):
    return cert.public_bytes(serialization.Encoding.DER)


class FakeModule(object):
    """Just enough AnsibleModule for Keytool: run_command with environ_update."""

    def __init__(self):
        self.calls = []

    def run_command(self, cmd, environ_update=None):
        env = dict(os.environ)
        env.update(environ_update or {})
        self.calls.append((cmd, environ_update))
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        return proc.returncode, proc.stdout, proc.stderr

    def fail_json(self, **kwargs):
        raise AssertionError(kwargs['msg'])

    def get_bin_path(self, name, required=False):
        return shutil.which(name)


# --- PEM -------------------------------------------------------------------

def test_fingerprint_matches_cryptography(certs):
    cert = certs[0]
    der = first_certificate(pem_of(cert))
    assert der == der_of(cert)
    assert sha256_fingerprint(der) == cert.fingerprint(hashes.SHA256()).hex(':').upper()


def test_chain_keeps_order_and_first_is_entry(certs):
    text = 'leading text\n' + pem_of(certs[0]) + 'between\n' + pem_of(certs[1])
    assert pem_certificates(text) == [der_of(certs[0]), der_of(certs[1])]
    assert first_certificate(text.encode('ascii')) == der_of(certs[0])


def test_trusted_certificate_block_drops_aux_data(certs):
    import base64
    body = base64.b64encode(der_of(certs[0]) + b'\x30\x03\x06\x01\x00').decode('ascii')
    text = '-----BEGIN TRUSTED CERTIFICATE-----\n%s\n-----END TRUSTED CERTIFICATE-----\n' % body
    assert first_certificate(text) == der_of(certs[0])


@pytest.mark.parametrize('text, message', [
    ('', 'no PEM certificate'),
    ('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'no PEM certificate'),
    ('-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n', 'invalid base64'),
    ('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'not a DER certificate'),
    ('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n', 'not an X.509 certificate'),
])
def test_bad_pem(text, message):
    with pytest.raises(CertificateError, match=message):
        first_certificate(text)


def test_truncated_der(certs):
    der = der_of(certs[0])
    with pytest.raises(CertificateError, match='truncated'):
        certificate_der(der[:-10])
    with pytest.raises(CertificateError):
        certificate_der(b'\x30\x80\x00\x00')
    with pytest.raises(CertificateError, match='truncated'):
        certificate_der(b'\x30')
    # tbsCertificate whose inner elements overrun it
    with pytest.raises(CertificateError):
        certificate_der(b'\x30\x0b\x30\x03\x02\x05\x00\x30\x00\x03\x02\x00\x00')


# --- JKS writer --------------------------------------------------------------

def test_java_modified_utf():
    assert java_modified_utf('a') == b'\x00\x01a'
    assert java_modified_utf('\x00') == b'\x00\x02\xc0\x80'
    assert java_modified_utf('\u00fc') == b'\x00\x02\xc3\xbc'
    assert java_modified_utf('\u20ac') == b'\x00\x03\xe2\x82\xac'
    # Outside the BMP: two surrogates of three bytes each, not 4-byte UTF-8.
    assert java_modified_utf('\U0001F600') == b'\x00\x06\xed\xa0\xbd\xed\xb8\x80'
    with pytest.raises(ValueError):
        java_modified_utf('x' * 70000)


def test_jks_refuses_upper_case_alias(certs):
    with pytest.raises(ValueError, match='lower case'):
        jks_truststore_bytes([('Peer', der_of(certs[0]))], 'secret')


def test_jks_digest_layout(certs):
    data = jks_truststore_bytes([], 'pw')
    assert data[:12] == b'\xfe\xed\xfe\xed\x00\x00\x00\x02\x00\x00\x00\x00'
    assert data[12:] == hashlib.sha1('pw'.encode('utf-16-be') + b'Mighty Aphrodite' + data[:12]).digest()


@needs_keytool
def test_keytool_reads_written_jks(tmp_path, certs):
    path = str(tmp_path / 'w.jks')
    with open(path, 'wb') as handle:
        handle.write(jks_truststore_bytes([('one', der_of(certs[0])), ('\u00fcml\u00e4ut', der_of(certs[1]))], 'storepw'))
    tool = kt.Keytool(FakeModule(), KEYTOOL)
    entries = tool.list_entries(path, 'JKS', 'storepw')
    assert dict((e.alias, (e.der, e.trusted)) for e in entries) == {
        'one': (der_of(certs[0]), True), '\u00fcml\u00e4ut': (der_of(certs[1]), True)}
    with pytest.raises(kt.WrongPasswordError, match='wrong password'):
        tool.list_entries(path, 'JKS', 'other-pw')


# --- keytool runner ----------------------------------------------------------

@needs_keytool
def test_list_import_delete_with_passwords_only_in_env(tmp_path, certs):
    module = FakeModule()
    tool = kt.Keytool(module, KEYTOOL)
    src = str(tmp_path / 'src.jks')
    with open(src, 'wb') as handle:
        handle.write(jks_truststore_bytes([('a', der_of(certs[0])), ('b', der_of(certs[1]))], 'srcpass'))
    dest = str(tmp_path / 'dest.p12')
    tool.import_store(src, 'JKS', 'srcpass', dest, 'PKCS12', 'destpass', 2)
    assert kt.detect_store_type(dest) == 'PKCS12'
    tool.delete(dest, 'PKCS12', 'destpass', 'a')
    assert [e.alias for e in tool.list_entries(dest, 'PKCS12', 'destpass')] == ['b']
    assert tool.runs == 3
    for cmd, env in module.calls:
        assert 'srcpass' not in cmd and 'destpass' not in cmd
        assert env['LC_ALL'] == 'C.UTF-8'
    with pytest.raises(kt.KeytoolError, match='did not import all 3'):
        tool.import_store(src, 'JKS', 'srcpass', str(tmp_path / 'other.p12'), 'PKCS12', 'destpass', 3)
    with pytest.raises(kt.KeytoolError, match='nope'):
        tool.delete(dest, 'PKCS12', 'destpass', 'nope')


@needs_keytool
def test_wrong_password_and_garbage(tmp_path, certs):
    tool = kt.Keytool(FakeModule(), KEYTOOL)
    src = str(tmp_path / 'src.jks')
    with open(src, 'wb') as handle:
        handle.write(jks_truststore_bytes([('a', der_of(certs[0]))], 'srcpass'))
    p12 = str(tmp_path / 'a.p12')
    tool.import_store(src, 'JKS', 'srcpass', p12, 'PKCS12', 'rightpass', 1)
    with pytest.raises(kt.WrongPasswordError):
        tool.list_entries(p12, 'PKCS12', 'wrongpass')
    with pytest.raises(kt.WrongPasswordError):
        tool.delete(p12, 'PKCS12', 'wrongpass', 'a')
    garbage = str(tmp_path / 'garbage')
    with open(garbage, 'wb') as handle:
        handle.write(b'\xfe\xed\xfe\xed' + b'\x00' * 40)
    with pytest.raises(kt.KeytoolError):
        tool.list_entries(garbage, 'JKS', 'whatever')
    with pytest.raises(kt.NotAKeystoreError):
        tool.list_entries(garbage, 'PKCS12', 'whatever')


def test_classify_messages():
    assert isinstance(kt._classify('keytool error: java.io.IOException: Keystore was tampered with, or password was incorrect', 'p'),
                      kt.WrongPasswordError)
    assert isinstance(kt._classify('Integrity check failed: java.security.UnrecoverableKeyException', 'p'), kt.WrongPasswordError)
    assert isinstance(kt._classify('keytool error: java.io.IOException: Invalid keystore format', 'p'), kt.NotAKeystoreError)
    other = kt._classify('keytool error: java.lang.Exception: Alias <x> does not exist', 'p')
    assert not isinstance(other, (kt.WrongPasswordError, kt.NotAKeystoreError))
    assert kt._error_text('', '') == 'no output'
    assert kt._error_text('noise\nkeytool error: boom\n', 'Warning: x') == 'keytool error: boom'
    assert kt._error_text('', 'just this\n') == 'just this'


def test_failure_of_a_killed_keytool_names_the_signal_not_its_progress():
    progress = ''.join('Entry for alias ca-%d certificate authority successfully imported.\n' % i for i in range(50))
    killed = kt._failure(-9, progress, '', '/srv/trust.p12', '-importkeystore')
    assert isinstance(killed, kt.KeytoolKilledError)
    assert str(killed) == 'keytool -importkeystore was killed by SIGKILL (signal 9) while working on /srv/trust.p12'
    failed = kt._failure(1, progress, '', 'p', '-importkeystore')
    assert not isinstance(failed, kt.KeytoolKilledError)
    assert str(failed).count('Entry for alias') == 3 and 'ca-49' in str(failed)


@pytest.mark.parametrize('said, command, kind, hint', [
    ('keytool error: java.io.EOFException', '-list', kt.NotAKeystoreError, 'truncated or corrupt'),
    ('keytool error: java.io.IOException: Detect premature EOF', '-list', kt.NotAKeystoreError, 'truncated or corrupt'),
    ('keytool error: java.io.IOException: Short read of DER length', '-list', kt.NotAKeystoreError,
     'truncated or corrupt'),
    ('keytool error: java.io.IOException: Keystore was tampered with, or password was incorrect', '-list',
     kt.WrongPasswordError, 'if the password is right, the file is corrupt'),
    ('keytool error: java.io.IOException: Invalid keystore format', '-list', kt.NotAKeystoreError,
     'complete JKS, JCEKS or PKCS#12 file'),
    ('keytool error: java.security.KeyStoreException: something new', '-list', kt.KeytoolError,
     'password and store type are right'),
    ('keytool error: java.io.IOException: No space left on device', '-importkeystore', kt.KeytoolError,
     'free space and write permission in /srv/app'),
    ('keytool error: java.lang.Exception: Alias <x> does not exist', '-delete', kt.KeytoolError,
     'free space and write permission in /srv/app'),
])
def test_every_failure_names_the_store_and_what_to_check(said, command, kind, hint):
    failure = kt._failure(1, '', said + '\n', '/srv/app/trust.p12', command)
    # The exact class: a NotAKeystoreError is a KeytoolError too.
    assert failure.__class__ is kind
    assert '/srv/app/trust.p12' in str(failure) and hint in str(failure), str(failure)
    assert said in str(failure) and failure.keytool_text == said


@needs_keytool
@pytest.mark.parametrize('store_type', ['JKS', 'PKCS12'])
def test_truncated_store_is_reported_as_truncated_with_its_path(tmp_path, certs, store_type):
    tool = kt.Keytool(FakeModule(), KEYTOOL)
    src = str(tmp_path / 'src.jks')
    with open(src, 'wb') as handle:
        handle.write(jks_truststore_bytes([('a', der_of(certs[0])), ('b', der_of(certs[1]))], 'srcpass'))
    path = str(tmp_path / 'store')
    tool.import_store(src, 'JKS', 'srcpass', path, store_type, 'storepass', 2)
    with open(path, 'rb') as handle:
        data = handle.read()
    with open(path, 'wb') as handle:
        handle.write(data[:len(data) - 40])
    with pytest.raises(kt.NotAKeystoreError) as info:
        tool.list_entries(path, store_type, 'storepass', store='/the/users/store')
    assert str(info.value).startswith('/the/users/store is truncated or corrupt'), str(info.value)


def test_listing_surprise_names_the_store():
    class Listing(object):
        def run_command(self, cmd, environ_update=None):
            return 0, 'Keystore type: JKS\n', ''

    with pytest.raises(kt.KeytoolError, match='cannot read the listing of /srv/t.jks: .*no entry count'):
        kt.Keytool(Listing(), 'keytool').list_entries('/srv/t.jks', 'JKS', 'pw')


@needs_keytool
def test_java_options_reach_keytool_before_the_command(tmp_path, certs):
    module = FakeModule()
    tool = kt.Keytool(module, KEYTOOL)
    src = str(tmp_path / 'src.jks')
    with open(src, 'wb') as handle:
        handle.write(jks_truststore_bytes([('a', der_of(certs[0]))], 'srcpass'))
    dest = str(tmp_path / 'dest.p12')
    options = ['-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE', '-J-Dkeystore.pkcs12.macAlgorithm=NONE']
    tool.import_store(src, 'JKS', 'srcpass', dest, 'PKCS12', 'destpass', 1, options)
    tool.delete(dest, 'PKCS12', 'destpass', 'a', options)
    for cmd, _env in module.calls:
        assert cmd[cmd.index(options[0]) + 2] in ('-importkeystore', '-delete')


# --- lock ------------------------------------------------------------------------

def _try_lock_elsewhere(lock_file):
    """Whether another process gets the lock at once."""
    code = ('import fcntl, os, sys\n'
            'fd = os.open(sys.argv[1], os.O_RDONLY)\n'
            'try:\n'
            '    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n'
            'except BlockingIOError:\n'
            '    sys.exit(3)\n')
    return subprocess.run([sys.executable, '-c', code, lock_file], check=False).returncode == 0


def test_exclusive_lock_beside_the_store(tmp_path):
    store = str(tmp_path / 'trust.p12')
    lock_file = str(tmp_path / '.trust.p12.lock')
    with kt.exclusive_lock(store) as held:
        assert held == lock_file
        assert not os.stat(lock_file).st_mode & 0o002, 'not world-writable'
        assert not _try_lock_elsewhere(lock_file)
    assert _try_lock_elsewhere(lock_file)
    assert os.path.exists(lock_file), 'kept for the next run'
    with kt.exclusive_lock(store):
        assert not _try_lock_elsewhere(lock_file)


def test_exclusive_lock_is_released_on_error(tmp_path):
    store = str(tmp_path / 'trust.p12')
    with pytest.raises(RuntimeError):
        with kt.exclusive_lock(store):
            raise RuntimeError('boom')
    assert _try_lock_elsewhere(kt.lock_path(store))


def test_exclusive_lock_waits_for_the_holder(tmp_path):
    store = str(tmp_path / 'trust.p12')
    lock_file = kt.lock_path(store)
    open(lock_file, 'w').close()
    holder = subprocess.Popen([sys.executable, '-c', 'import fcntl, os, sys, time\n'
                               'fd = os.open(sys.argv[1], os.O_RDONLY)\n'
                               'fcntl.flock(fd, fcntl.LOCK_EX)\n'
                               'print("held", flush=True)\n'
                               'time.sleep(1.5)\n', lock_file], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == 'held\n'
    start = time.monotonic()
    with kt.exclusive_lock(store):
        assert time.monotonic() - start > 1.0, 'got the lock only once the holder let it go'
    holder.wait()


def test_exclusive_lock_refuses_a_symbolic_link(tmp_path):
    store = str(tmp_path / 'trust.p12')
    os.symlink(str(tmp_path / 'elsewhere'), kt.lock_path(store))
    with pytest.raises(kt.LockError, match='cannot open the lock file'):
        with kt.exclusive_lock(store):
            pass
    assert not os.path.exists(str(tmp_path / 'elsewhere'))


@pytest.mark.parametrize('code, directory_writable, locked', [
    (errno.EROFS, True, None),
    (errno.EACCES, False, None),
    (errno.EACCES, True, 'error'),
    (errno.ENOSPC, False, 'error'),
])
def test_exclusive_lock_without_write_access(tmp_path, monkeypatch, code, directory_writable, locked):
    def refuse(*_args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, 'open', refuse)
    monkeypatch.setattr(os, 'access', lambda _path, _mode: directory_writable)
    store = str(tmp_path / 'trust.p12')
    if locked == 'error':
        with pytest.raises(kt.LockError, match=os.strerror(code)):
            with kt.exclusive_lock(store):
                pass
    else:
        with kt.exclusive_lock(store) as held:
            assert held is None


# --- store type ----------------------------------------------------------------

@pytest.mark.parametrize('head, expected', [
    (b'\xfe\xed\xfe\xed\x00\x00\x00\x02', 'JKS'),
    (b'\xce\xce\xce\xce\x00\x00\x00\x02', 'JCEKS'),
    (b'\x30\x82\x05\x6e\x02\x01\x03', 'PKCS12'),
    (b'\x30\x81\x90\x02\x01\x03', 'PKCS12'),
    # A store with no entry left: short-form length.
    (b'\x30\x65\x02\x01\x03\x30\x60\x06', 'PKCS12'),
    (b'\x30\x80\x02\x01\x03', 'PKCS12'),
    (b'', None),
])
def test_detect_store_type(tmp_path, head, expected):
    path = tmp_path / 'store'
    path.write_bytes(head)
    assert kt.detect_store_type(str(path)) == expected


@pytest.mark.parametrize('head', [b'-----BEGIN CERTIFICATE-----', b'\x30\x03\x02\x01\x00', b'\x30\x82\x05\x6e\x30\x82',
                                  b'\x30\x65', b'x'])
def test_detect_store_type_rejects(tmp_path, head):
    path = tmp_path / 'store'
    path.write_bytes(head)
    with pytest.raises(kt.NotAKeystoreError, match='unknown file signature'):
        kt.detect_store_type(str(path))


# --- listing parser --------------------------------------------------------------

LISTING = """Keystore type: PKCS12
Keystore provider: SUN

Your keystore contains 2 entries

Alias name: mykey
Creation date: Nov 27, 2025
Entry type: PrivateKeyEntry
Certificate chain length: 1
Certificate[1]:
%(pem0)s

*******************************************
*******************************************


Alias name: trustme
Creation date: Nov 27, 2025
Entry type: trustedCertEntry

%(pem1)s

*******************************************
*******************************************
"""


def test_parse_list_rfc(certs):
    text = LISTING % {'pem0': pem_of(certs[0]), 'pem1': pem_of(certs[1]).replace('\n', '\r\n')}
    entries = kt.parse_list_rfc(text)
    assert [(e.alias, e.entry_type, e.trusted) for e in entries] == [
        ('mykey', 'PrivateKeyEntry', False), ('trustme', 'trustedCertEntry', True)]
    assert entries[0].der is None and entries[0].sha256 is None
    assert entries[1].der == der_of(certs[1])
    assert 'trustme' in repr(entries[1])


def test_parse_list_rfc_empty_store():
    assert kt.parse_list_rfc('Keystore type: JKS\n\nYour keystore contains 0 entries\n\n') == []


@pytest.mark.parametrize('mutate, message', [
    (lambda t: t.replace('contains 2 entries', 'contains 3 entries'), 'announced 3 entries but 2'),
    (lambda t: t.replace('Your keystore contains 2 entries', ''), 'no entry count'),
    (lambda t: t.replace('Entry type: trustedCertEntry', 'Entry kind: x'), 'no entry type'),
    (lambda t: t.replace('-----BEGIN CERTIFICATE-----', '-----BEGIN X-----', 2), 'no certificate for alias'),
    (lambda t: t.replace('-----BEGIN CERTIFICATE-----\nMII', '-----BEGIN CERTIFICATE-----\n!II'), 'cannot read the certificate'),
])
def test_parse_list_rfc_rejects_surprises(certs, mutate, message):
    text = LISTING % {'pem0': pem_of(certs[0]), 'pem1': pem_of(certs[1])}
    with pytest.raises(kt.KeytoolError, match=message):
        kt.parse_list_rfc(mutate(text))


# --- finding keytool -------------------------------------------------------------

def test_find_keytool(tmp_path):
    module = FakeModule()
    fake = tmp_path / 'bin' / 'keytool'
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\n')
    fake.chmod(0o755)
    assert kt.find_keytool(module, keytool=str(fake)) == str(fake)
    assert kt.find_keytool(module, java_home=str(tmp_path)) == str(fake)
    assert kt.find_keytool(module) == shutil.which('keytool')
    with pytest.raises(AssertionError, match='not found or not executable'):
        kt.find_keytool(module, keytool=str(tmp_path / 'missing'))
    fake.chmod(0o644)
    with pytest.raises(AssertionError, match='not found or not executable'):
        kt.find_keytool(module, java_home=str(tmp_path))
