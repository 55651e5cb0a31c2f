# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading how a PKCS#12 file is protected, on files keytool and openssl wrote."""

from __future__ import annotations

import os
import random
import shutil
import subprocess

import pytest

from ansible_collections.prime_hermod.stack.plugins.module_utils.pkcs12_protection import (
    NONE,
    Pkcs12FormatError,
    Protection,
    pkcs12_protection,
    protection_changes,
    read_protection,
)

KEYTOOL = shutil.which('keytool')
OPENSSL = shutil.which('openssl')
needs_keytool = pytest.mark.skipif(KEYTOOL is None, reason='keytool not installed')
PASSWORD = 'protect-me'

NO_PASSWORD = ['-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE', '-J-Dkeystore.pkcs12.macAlgorithm=NONE']


def keytool(*args):
    subprocess.run([KEYTOOL] + list(args), env=dict(os.environ, KT_PW=PASSWORD), check=True, capture_output=True)


@pytest.fixture(scope='module')
def certificate_store(tmp_path_factory):
    """A JKS store with two trusted certificates and nothing else."""
    directory = tmp_path_factory.mktemp('p12src')
    path = str(directory / 'src.jks')
    for alias in ('one', 'two'):
        keytool('-genkeypair', '-alias', alias, '-keyalg', 'EC', '-dname', 'CN=%s' % alias,
                '-keystore', str(directory / 'keys.jks'), '-storetype', 'JKS', '-storepass:env', 'KT_PW')
        keytool('-exportcert', '-alias', alias, '-file', str(directory / alias), '-keystore', str(directory / 'keys.jks'),
                '-storetype', 'JKS', '-storepass:env', 'KT_PW')
        keytool('-importcert', '-noprompt', '-alias', alias, '-file', str(directory / alias), '-keystore', path,
                '-storetype', 'JKS', '-storepass:env', 'KT_PW')
    return path


def pkcs12_copy(source, dest, options=(), source_type='JKS'):
    keytool(*(list(options) + ['-importkeystore', '-noprompt', '-srckeystore', source, '-srcstoretype', source_type,
                               '-srcstorepass:env', 'KT_PW', '-destkeystore', dest, '-deststoretype', 'PKCS12',
                               '-deststorepass:env', 'KT_PW']))
    return dest


CASES = {
    'jdk18-cacerts': (NO_PASSWORD, Protection(NONE, None, NONE, None)),
    'default': ([], Protection('HmacPBESHA256', 10000, 'PBEWithHmacSHA256AndAES_256', 10000)),
    'legacy': (['-J-Dkeystore.pkcs12.legacy'], Protection('HmacPBESHA1', 100000, 'PBEWithSHA1AndRC2_40', 50000)),
    'custom': (['-J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithHmacSHA512AndAES_128',
                '-J-Dkeystore.pkcs12.certPbeIterationCount=3000',
                '-J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA512/256', '-J-Dkeystore.pkcs12.macIterationCount=2222'],
               Protection('HmacPBESHA512/256', 2222, 'PBEWithHmacSHA512AndAES_128', 3000)),
    'des': (['-J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndDESede',
             '-J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA1'],
            Protection('HmacPBESHA1', 10000, 'PBEWithSHA1AndDESede', 10000)),
    'mac-only': (['-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE'],
                 Protection('HmacPBESHA256', 10000, NONE, None)),
}


@needs_keytool
@pytest.mark.parametrize('case', sorted(CASES))
def test_protection_of_stores_keytool_wrote(tmp_path, certificate_store, case):
    options, expected = CASES[case]
    path = pkcs12_copy(certificate_store, str(tmp_path / 'store.p12'), options)
    protection = read_protection(path)
    assert protection == expected, protection
    assert protection.password_less == (case == 'jdk18-cacerts')


@needs_keytool
@pytest.mark.parametrize('case', sorted(CASES))
def test_keytool_options_write_the_same_protection_again(tmp_path, certificate_store, case):
    """What the module relies on: a new file written with keytool_options() is protected like the original."""
    original = read_protection(pkcs12_copy(certificate_store, str(tmp_path / 'original.p12'), CASES[case][0]))
    again = pkcs12_copy(certificate_store, str(tmp_path / 'again.p12'), original.keytool_options())
    assert read_protection(again) == original
    assert protection_changes(original, read_protection(again)) == []


@needs_keytool
def test_store_without_certificates(tmp_path, certificate_store):
    empty = str(tmp_path / 'empty.p12')
    pkcs12_copy(certificate_store, empty, NO_PASSWORD)
    for alias in ('one', 'two'):
        keytool('-delete', '-alias', alias, '-keystore', empty, '-storetype', 'PKCS12', '-storepass:env', 'KT_PW')
    protection = read_protection(empty)
    assert (protection.mac, protection.certificates) == (NONE, None)
    assert protection.password_less
    # Certificates added later must stay readable without a password.
    assert '-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE' in protection.keytool_options()


@needs_keytool
def test_key_entry_is_not_mistaken_for_certificate_encryption(tmp_path):
    path = str(tmp_path / 'keys.p12')
    keytool(*(NO_PASSWORD + ['-genkeypair', '-alias', 'server', '-keyalg', 'EC', '-dname', 'CN=server',
                             '-keystore', path, '-storetype', 'PKCS12', '-storepass:env', 'KT_PW']))
    protection = read_protection(path)
    assert protection.password_less and protection.certificates == NONE


@pytest.mark.skipif(OPENSSL is None, reason='needs openssl')
@pytest.mark.parametrize('options, expected', [
    ([], Protection('HmacPBESHA256', 2048, 'PBEWithHmacSHA256AndAES_256', 2048)),
    (['-nomac', '-certpbe', 'NONE'], Protection(NONE, None, NONE, None)),
    (['-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'], Protection('HmacPBESHA1', 2048, 'PBEWithSHA1AndDESede', 2048)),
])
def test_protection_of_stores_openssl_wrote(tmp_path, options, expected):
    key, cert, out = (str(tmp_path / name) for name in ('k.pem', 'c.pem', 'o.p12'))
    subprocess.run([OPENSSL, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
                    '-keyout', key, '-out', cert, '-subj', '/CN=openssl', '-days', '2'], check=True, capture_output=True)
    subprocess.run([OPENSSL, 'pkcs12', '-export', '-nokeys', '-in', cert, '-out', out, '-passout', 'pass:' + PASSWORD]
                   + options, check=True, capture_output=True)
    assert read_protection(out) == expected


def _ber(der):
    """DER re-encoded as BER the way streaming writers do: indefinite lengths, OCTET STRINGs in chunks."""
    out = bytearray()
    pos = 0
    while pos < len(der):
        start = pos
        tag, first = der[pos], der[pos + 1]
        pos += 2
        length = first
        if first & 0x80:
            count = first & 0x7f
            length = int.from_bytes(der[pos:pos + count], 'big')
            pos += count
        content = der[pos:pos + length]
        pos += length
        if tag & 0x20:
            out += bytes((tag, 0x80)) + _ber(content) + b'\x00\x00'
        elif tag == 0x04 and len(content) > 1:
            half = len(content) // 2
            out += b'\x24\x80' + _der_octets(content[:half]) + _der_octets(content[half:]) + b'\x00\x00'
        else:
            out += der[start:pos]
    return bytes(out)


def _der_octets(data):
    if len(data) < 0x80:
        return b'\x04' + bytes((len(data),)) + data
    size = len(data).to_bytes((len(data).bit_length() + 7) // 8, 'big')
    return b'\x04' + bytes((0x80 | len(size),)) + size + data


@needs_keytool
@pytest.mark.parametrize('case', ['jdk18-cacerts', 'default', 'legacy'])
def test_ber_encoding_reads_the_same(tmp_path, certificate_store, case):
    options, expected = CASES[case]
    with open(pkcs12_copy(certificate_store, str(tmp_path / 's.p12'), options), 'rb') as handle:
        der = handle.read()
    ber = _ber(der)
    assert ber != der and ber[:2] == b'\x30\x80'
    assert pkcs12_protection(ber) == expected


@needs_keytool
def test_truncated_and_foreign_files_are_refused(tmp_path, certificate_store):
    with open(pkcs12_copy(certificate_store, str(tmp_path / 's.p12')), 'rb') as handle:
        data = handle.read()
    for broken in (data[:len(data) // 2], data[:-1], data + b'\x00', b'\x30\x03\x02\x01\x02', b'\x30',
                   b'\x30\x80\x02\x01\x03', b'\x04\x00', b'\xfe\xed\xfe\xed\x00\x00\x00\x02'):
        with pytest.raises(Pkcs12FormatError):
            pkcs12_protection(broken)


def test_keytool_options_leave_unknowns_to_keytool():
    assert Protection(None, 2048, None, None).keytool_options() == ['-J-Dkeystore.pkcs12.macIterationCount=2048']
    assert Protection(NONE, None, None, None).keytool_options() == [
        '-J-Dkeystore.pkcs12.macAlgorithm=NONE', '-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE']


def test_protection_changes():
    original = Protection('HmacPBESHA1', 100000, 'PBEWithSHA1AndRC2_40', 50000)
    assert protection_changes(original, original) == []
    default = Protection('HmacPBESHA256', 10000, 'PBEWithHmacSHA256AndAES_256', 10000)
    assert protection_changes(original, default) == [
        'MAC HmacPBESHA1 became HmacPBESHA256', 'MAC iteration count 100000 became 10000',
        'certificate encryption PBEWithSHA1AndRC2_40 became PBEWithHmacSHA256AndAES_256',
        'certificate encryption iteration count 50000 became 10000']
    # Unknown on either side is not a change.
    assert protection_changes(Protection(None, None, None, None), default) == []
    assert protection_changes(Protection(NONE, None, None, None), default)[0] == 'MAC NONE became HmacPBESHA256'


@needs_keytool
@pytest.mark.parametrize('case', ['jdk18-cacerts', 'default'])
def test_damaged_files_raise_only_format_errors(tmp_path, certificate_store, case):
    with open(pkcs12_copy(certificate_store, str(tmp_path / 's.p12'), CASES[case][0]), 'rb') as handle:
        data = handle.read()
    generator = random.Random(case)
    for _attempt in range(500):
        damaged = bytearray(data)
        for _byte in range(generator.randint(1, 3)):
            damaged[generator.randrange(len(damaged))] = generator.randrange(256)
        try:
            assert isinstance(pkcs12_protection(bytes(damaged)), Protection)
        except Pkcs12FormatError:
            pass
    with pytest.raises(Pkcs12FormatError, match='ends inside an arc'):
        pkcs12_protection(b'\x30\x0a\x02\x01\x03\x30\x05\x06\x01\x81\xa0\x00')
