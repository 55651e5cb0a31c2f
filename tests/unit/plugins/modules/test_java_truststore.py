# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""java_truststore end to end against the real keytool.

keytool is reached through a wrapper script that logs each start, so the
tests count processes and check that no password is on a command line.
What a JVM makes of a store is judged by tests/java/TrustedCertificates.java,
what protects a PKCS#12 file by openssl: neither shares code with the module.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import warnings

import ansible
import pytest

from ansible_collections.prime_hermod.stack.plugins.modules import java_truststore
from ansible_collections.prime_hermod.stack.tests.unit.plugins.modules.module_calls import patch_module_args

x509 = pytest.importorskip('cryptography.x509')
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

KEYTOOL = shutil.which('keytool')
JAVA = shutil.which('java')
OPENSSL = shutil.which('openssl')
CACERTS = '/etc/ssl/certs/java/cacerts'
ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'java', 'TrustedCertificates.java')
pytestmark = pytest.mark.skipif(KEYTOOL is None, reason='keytool not installed')
needs_java = pytest.mark.skipif(JAVA is None, reason='java not installed')
needs_cacerts = pytest.mark.skipif(not os.path.exists(CACERTS), reason='no system cacerts')
# How JDK 18 and later write lib/security/cacerts: no integrity MAC, certificates not encrypted.
PASSWORD_LESS = ['-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE', '-J-Dkeystore.pkcs12.macAlgorithm=NONE']

PASSWORD = 'store-secret-1'


def make_cert(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))


class Cert(object):
    def __init__(self, cert):
        self.pem = cert.public_bytes(serialization.Encoding.PEM).decode('ascii')
        self.sha256 = cert.fingerprint(hashes.SHA256()).hex(':').upper()


@pytest.fixture(scope='module')
def certs():
    return [Cert(make_cert('java-truststore-test-%d' % i)) for i in range(6)]


@pytest.fixture(scope='module')
def key_store_template(tmp_path_factory):
    """A PKCS#12 store with one PrivateKeyEntry, made once by keytool."""
    path = str(tmp_path_factory.mktemp('keys') / 'keys.p12')
    env = dict(os.environ, KT_PW=PASSWORD)
    subprocess.run([KEYTOOL, '-genkeypair', '-alias', 'server', '-keyalg', 'EC', '-dname', 'CN=server',
                    '-keystore', path, '-storetype', 'PKCS12', '-storepass:env', 'KT_PW'],
                   env=env, check=True, capture_output=True)
    return path


class Wrapper(object):
    """A keytool on disk that logs every start, optionally failing some commands."""

    def __init__(self, directory, fail_on=None, summary=None):
        self.log = os.path.join(directory, 'keytool.log')
        self.path = os.path.join(directory, 'keytool')
        lines = ['#!/bin/sh', 'printf "%s\\n" "$*" >> "{0}"'.format(self.log)]
        if fail_on:
            # Simulate a crash half-way through writing the destination.
            lines += [
                'case " $* " in *" %s "*)' % fail_on,
                '  prev=""',
                '  for a in "$@"; do',
                '    if [ "$prev" = "-destkeystore" ] || [ "$prev" = "-keystore" ]; then printf partial > "$a"; fi',
                '    prev=$a',
                '  done',
                '  echo "keytool error: java.io.IOException: No space left on device" >&2',
                '  exit 1;;',
                'esac',
            ]
        if summary:
            lines += ['case " $* " in *" -importkeystore "*)', '  echo "%s"' % summary, '  exit 0;;', 'esac']
        lines.append('exec "%s" "$@"' % KEYTOOL)
        with open(self.path, 'w') as handle:
            handle.write('\n'.join(lines) + '\n')
        os.chmod(self.path, 0o755)

    def calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as handle:
            return [line.rstrip('\n') for line in handle]

    def reset(self):
        if os.path.exists(self.log):
            os.unlink(self.log)


@pytest.fixture
def keytool(tmp_path):
    directory = tmp_path / 'bin'
    directory.mkdir()
    return Wrapper(str(directory))


def run(args, check=False, diff=False):
    args = dict(args)
    args['_ansible_check_mode'] = check
    args['_ansible_diff'] = diff
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exit_info:
            java_truststore.main()
    return exit_info.value.code


@pytest.fixture
def module(capsys, keytool, monkeypatch):
    """Run the module with the counting keytool; return its JSON result."""
    # Once a test of a controller plugin has imported ansible's controller
    # code, module warnings go to the display instead of the result.
    # (ansible-core 2.19 and later; before, warnings were always in the result)
    try:
        from ansible.module_utils import _internal
    except ImportError:
        pass
    else:
        monkeypatch.setattr(_internal, 'is_controller', False, raising=False)

    def call(args, check=False, diff=False, expect_failure=False):
        args = dict(args)
        args.setdefault('keytool', keytool.path)
        if args['keytool'] is None:
            del args['keytool']
        if 'password_file' not in args:
            args.setdefault('password', PASSWORD)
        code = run(args, check=check, diff=diff)
        result = json.loads(capsys.readouterr().out)
        if expect_failure:
            assert result.get('failed'), result
            assert code == 1
        else:
            assert not result.get('failed'), result
        return result

    return call


def listing(path, password=PASSWORD):
    """{alias: sha256 or 'PrivateKeyEntry'}, read by cryptography for PKCS#12 (no JVM start), else keytool."""
    data = read(path)
    if data[:1] == b'\x30':
        with warnings.catch_warnings():
            # Some CAs in the system cacerts have serial numbers RFC 5280 forbids.
            warnings.simplefilter('ignore')
            store = pkcs12.load_pkcs12(data, password.encode())
        entries = dict((c.friendly_name.decode(), c.certificate.fingerprint(hashes.SHA256()).hex(':').upper())
                       for c in store.additional_certs)
        if store.key is not None:
            entries[store.cert.friendly_name.decode()] = 'PrivateKeyEntry'
        return entries
    out = subprocess.run([KEYTOOL, '-list', '-keystore', path, '-storepass:env', 'KT_PW'],
                         env=dict(os.environ, KT_PW=password, LC_ALL='C.UTF-8'),
                         check=True, capture_output=True, text=True).stdout
    entries = {}
    alias = None
    for line in out.splitlines():
        if ', ' in line and ('trustedCertEntry' in line or 'PrivateKeyEntry' in line):
            alias = line.split(', ')[0]
            entries[alias] = 'PrivateKeyEntry' if 'PrivateKeyEntry' in line else None
        elif line.startswith('Certificate fingerprint (SHA-256): ') and entries.get(alias) is None:
            entries[alias] = line.split(': ', 1)[1]
    return entries


def warning_texts(result):
    # ansible-core 2.19 returns structured warnings; older releases plain strings.
    return [w['event']['msg'] if isinstance(w, dict) else w for w in result.get('warnings', [])]


def magic(path):
    with open(path, 'rb') as handle:
        return handle.read(4)


def read(path):
    with open(path, 'rb') as handle:
        return handle.read()


def leftovers(directory):
    """Hidden files a run left behind, other than the lock files it keeps beside its stores."""
    return [name for name in os.listdir(directory) if name.startswith('.') and not name.endswith('.lock')]


def java_judge(*stores):
    """What one JVM start makes of each (store type, password or None, path): a dict per store."""
    args = []
    for store_type, password, path in stores:
        args += [store_type, '-' if password is None else password, path]
    proc = subprocess.run([JAVA, ORACLE] + args, capture_output=True, text=True, check=True, timeout=120)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def openssl_protection(path, password):
    """(MAC, certificate encryption) of a PKCS#12 file as openssl reports them, e.g. ('sha256, Iteration 10000',
    'PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256'); None for what is absent."""
    proc = subprocess.run([OPENSSL, 'pkcs12', '-info', '-noout', '-nokeys', '-legacy', '-in', path,
                           '-passin', 'env:P12_PW'], env=dict(os.environ, P12_PW=password),
                          capture_output=True, text=True, check=False)
    text = proc.stdout + proc.stderr
    mac = re.search(r'^MAC: (.*)$', text, re.MULTILINE)
    encrypted = re.search(r'^PKCS7 Encrypted data: (.*)$', text, re.MULTILINE)
    assert mac or 'MAC is absent' in text, text
    return (mac.group(1) if mac else None, encrypted.group(1) if encrypted else None)


def keytool_copy(source, source_password, dest, dest_type, options=()):
    """dest: every entry of source, written by keytool itself with the given -J options."""
    command = [KEYTOOL] + list(options) + ['-importkeystore', '-noprompt', '-srckeystore', source,
                                           '-srcstorepass:env', 'SRC_PW', '-destkeystore', dest,
                                           '-deststoretype', dest_type, '-deststorepass:env', 'DEST_PW']
    subprocess.run(command, env=dict(os.environ, SRC_PW=source_password, DEST_PW=PASSWORD), check=True,
                   capture_output=True)
    return dest


def build_store(path, source, certs):
    """Add trusted entries one and two with keytool itself, independent of the module."""
    if source:
        shutil.copyfile(source, path)
    for alias, cert in (('one', certs[0]), ('two', certs[1])):
        pem = path + '.pem'
        with open(pem, 'w') as handle:
            handle.write(cert.pem)
        subprocess.run([KEYTOOL, '-importcert', '-noprompt', '-alias', alias, '-file', pem, '-keystore', path,
                        '-storetype', 'PKCS12', '-storepass:env', 'KT_PW'],
                       env=dict(os.environ, KT_PW=PASSWORD), check=True, capture_output=True)
        os.unlink(pem)
    return path


@pytest.fixture(scope='module')
def store_template(tmp_path_factory, certs):
    return build_store(str(tmp_path_factory.mktemp('trust') / 'trust.p12'), None, certs)


@pytest.fixture
def store(tmp_path, store_template):
    """A PKCS#12 store with trusted aliases one and two."""
    path = str(tmp_path / 'trust.p12')
    shutil.copyfile(store_template, path)
    os.chmod(path, 0o644)
    return path


# --- creating ------------------------------------------------------------------

def test_create_then_rerun(tmp_path, module, certs, keytool):
    path = str(tmp_path / 'new.p12')
    pem_file = tmp_path / 'three.pem'
    pem_file.write_text(certs[2].pem)
    args = {'path': path, 'certificates': [
        {'alias': 'One', 'pem': certs[0].pem},
        {'alias': 'three', 'path': str(pem_file)},
    ]}
    first = module(args)
    assert first['changed'] and first['created']
    assert first['store_type'] == 'PKCS12'
    assert first['added'] == [{'alias': 'one', 'sha256': certs[0].sha256},
                              {'alias': 'three', 'sha256': certs[2].sha256}]
    assert len(keytool.calls()) == 1, 'a new store is one import, nothing to read'
    assert magic(path)[:1] == b'\x30'
    assert listing(path) == {'one': certs[0].sha256, 'three': certs[2].sha256}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~_umask()
    assert leftovers(str(tmp_path)) == []

    keytool.reset()
    second = module(args)
    assert not second['changed'] and not second['created']
    assert [ref['alias'] for ref in second['unchanged']] == ['one', 'three']
    assert second['added'] == second['removed'] == second['replaced'] == []
    assert len(keytool.calls()) == 1, 'a run that changes nothing reads once'


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_create_jks_with_mode(tmp_path, module, certs):
    path = str(tmp_path / 'new.jks')
    result = module({'path': path, 'store_type': 'jks', 'mode': '0640',
                     'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    assert result['store_type'] == 'JKS' and result['mode'] == '0640'
    assert magic(path) == b'\xfe\xed\xfe\xed'
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_create_from_copy_of_cacerts(tmp_path, module, certs, keytool):
    if not os.path.exists(CACERTS):
        pytest.skip('no system cacerts')
    path = str(tmp_path / 'dedicated.p12')
    args = {'path': path, 'copy_from': CACERTS, 'copy_from_password': 'changeit',
            'certificates': [{'alias': 'peer-%d' % i, 'pem': c.pem} for i, c in enumerate(certs)]}
    result = module(args, diff=True)
    assert result['changed'] and result['created'] and len(result['added']) == len(certs)
    assert len(keytool.calls()) == 2
    system = listing(CACERTS, 'changeit')
    stored = listing(path)
    assert len(stored) == len(system) + len(certs)
    assert all(stored[alias] == sha256 for alias, sha256 in system.items())
    assert 'peer-0 %s' % certs[0].sha256 in result['diff'][0]['after']
    assert result['diff'][0]['before'] == ''

    keytool.reset()
    again = module(args)
    assert not again['changed'] and len(keytool.calls()) == 1


def test_copy_from_is_ignored_for_an_existing_store(store, module, certs, keytool):
    result = module({'path': store, 'copy_from': CACERTS, 'copy_from_password': 'changeit',
                     'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    assert not result['changed'] and len(keytool.calls()) == 1
    assert set(listing(store)) == {'one', 'two'}


def test_copy_from_skips_key_entries(tmp_path, module, certs, key_store_template):
    path = str(tmp_path / 'from-keys.p12')
    result = module({'path': path, 'copy_from': key_store_template,
                     'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    assert any('key entries not copied: server' in w for w in warning_texts(result))
    assert listing(path) == {'one': certs[0].sha256}


def test_copy_from_problems(tmp_path, module, certs):
    base = {'path': str(tmp_path / 's.p12'), 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    missing = module(dict(base, copy_from=str(tmp_path / 'nope')), expect_failure=True)
    assert 'copy_from %s does not exist' % (tmp_path / 'nope') in missing['msg']
    wrong = module(dict(base, copy_from=CACERTS, copy_from_password='not-changeit'), expect_failure=True)
    assert 'wrong password for keystore %s' % CACERTS in wrong['msg']
    assert not os.path.exists(base['path'])


def test_empty_file_counts_as_missing(tmp_path, module, certs):
    path = tmp_path / 'placeholder.p12'
    path.write_bytes(b'')
    path.chmod(0o600)
    result = module({'path': str(path), 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    assert result['created']
    assert listing(str(path)) == {'one': certs[0].sha256}


def test_missing_store_without_create(tmp_path, module, certs):
    path = str(tmp_path / 'missing.p12')
    result = module({'path': path, 'create': False, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]},
                    expect_failure=True)
    assert 'does not exist and create is false' in result['msg']


def test_missing_store_and_only_removals_creates_nothing(tmp_path, module, keytool):
    path = str(tmp_path / 'missing.p12')
    result = module({'path': path, 'certificates': [{'alias': 'one', 'state': 'absent'}]})
    assert not result['changed'] and not result['created']
    assert not os.path.exists(path) and keytool.calls() == []


def test_short_password_for_new_store_is_keytool_error(tmp_path, module, certs):
    result = module({'path': str(tmp_path / 's.p12'), 'password': 'abc',
                     'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}, expect_failure=True)
    assert 'at least 6 characters' in result['msg']
    assert leftovers(str(tmp_path)) == []


# --- changing an existing store -----------------------------------------------

def test_add_replace_remove_in_two_keytool_runs(store, module, certs, keytool):
    before = read(store)
    args = {'path': store, 'certificates': [
        {'alias': 'one', 'pem': certs[3].pem},
        {'alias': 'two', 'state': 'absent'},
        {'alias': 'four', 'pem': certs[4].pem},
    ]}
    predicted = module(args, check=True, diff=True)
    assert read(store) == before
    assert len(keytool.calls()) == 1
    keytool.reset()
    result = module(args, diff=True)
    assert len(keytool.calls()) == 2
    for key in ('changed', 'added', 'replaced', 'removed', 'unchanged', 'duplicates', 'diff'):
        assert predicted[key] == result[key], key
    assert result['replaced'] == [{'alias': 'one', 'sha256': certs[3].sha256, 'previous_sha256': certs[0].sha256}]
    assert result['removed'] == [{'alias': 'two', 'sha256': certs[1].sha256}]
    assert result['added'] == [{'alias': 'four', 'sha256': certs[4].sha256}]
    assert listing(store) == {'one': certs[3].sha256, 'four': certs[4].sha256}
    diff = result['diff'][0]
    assert 'two %s' % certs[1].sha256 in diff['before'] and 'two' not in diff['after']
    assert 'one %s' % certs[3].sha256 in diff['after']


def test_jks_and_jceks_keep_their_type(tmp_path, module, certs, store):
    for store_type, head in (('JKS', b'\xfe\xed\xfe\xed'), ('JCEKS', b'\xce\xce\xce\xce')):
        path = str(tmp_path / ('converted.' + store_type.lower()))
        subprocess.run([KEYTOOL, '-importkeystore', '-noprompt', '-srckeystore', store, '-srcstorepass:env', 'KT_PW',
                        '-destkeystore', path, '-deststoretype', store_type, '-deststorepass:env', 'KT_PW'],
                       env=dict(os.environ, KT_PW=PASSWORD), check=True, capture_output=True)
        result = module({'path': path, 'store_type': 'pkcs12', 'certificates': [{'alias': 'five', 'pem': certs[5].pem}]})
        assert result['changed'] and result['store_type'] == store_type
        assert magic(path) == head
        assert set(listing(path)) == {'one', 'two', 'five'}


def test_exclusive(store, module, certs, keytool):
    result = module({'path': store, 'exclusive': True, 'certificates': [{'alias': 'two', 'pem': certs[1].pem}]})
    assert result['removed'] == [{'alias': 'one', 'sha256': certs[0].sha256}]
    assert listing(store) == {'two': certs[1].sha256}
    assert len(keytool.calls()) == 2


def test_store_emptied_by_the_module_is_read_again(store, module, certs, keytool):
    emptied = module({'path': store, 'exclusive': True, 'certificates': []})
    assert [ref['alias'] for ref in emptied['removed']] == ['one', 'two']
    assert listing(store) == {}
    keytool.reset()
    again = module({'path': store, 'exclusive': True, 'certificates': []})
    assert not again['changed'] and again['removed'] == []
    assert len(keytool.calls()) == 1
    added = module({'path': store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    assert added['store_type'] == 'PKCS12' and added['added'] == [{'alias': 'one', 'sha256': certs[0].sha256}]
    assert listing(store) == {'one': certs[0].sha256}


def test_absent_with_certificate_removes_every_alias(store, module, certs):
    module({'path': store, 'on_duplicate': 'add', 'certificates': [{'alias': 'one-again', 'pem': certs[0].pem}]})
    result = module({'path': store, 'certificates': [{'alias': 'whatever', 'state': 'absent', 'pem': certs[0].pem}]})
    assert sorted(ref['alias'] for ref in result['removed']) == ['one', 'one-again']
    assert listing(store) == {'two': certs[1].sha256}


def test_global_state_absent(store, module, certs):
    result = module({'path': store, 'state': 'absent', 'certificates': [{'alias': 'ONE'}, {'alias': 'nope'}]})
    assert result['removed'] == [{'alias': 'one', 'sha256': certs[0].sha256}]
    assert os.path.exists(store)


def test_chain_pem_uses_the_first_certificate(store, module, certs):
    result = module({'path': store, 'certificates': [{'alias': 'leaf', 'pem': certs[3].pem + certs[4].pem}]})
    assert result['added'] == [{'alias': 'leaf', 'sha256': certs[3].sha256}]
    assert certs[4].sha256 not in listing(store).values()


def test_non_ascii_alias(store, module, certs):
    result = module({'path': store, 'certificates': [{'alias': 'Zertifikat-\u00dc', 'pem': certs[3].pem}]})
    assert result['added'][0]['alias'] == 'zertifikat-\u00fc'
    again = module({'path': store, 'certificates': [{'alias': 'zertifikat-\u00fc', 'pem': certs[3].pem}]})
    assert not again['changed']


# --- duplicates ------------------------------------------------------------------

def test_duplicate_is_reported_not_added(store, module, certs, keytool):
    result = module({'path': store, 'certificates': [{'alias': 'other-name', 'pem': certs[0].pem}]})
    assert not result['changed'] and len(keytool.calls()) == 1
    assert result['duplicates'] == [{'alias': 'other-name', 'sha256': certs[0].sha256, 'existing_alias': 'one'}]
    assert any("already trusted as alias 'one'" in w for w in warning_texts(result))
    assert 'other-name' not in listing(store)


def test_duplicate_add_and_fail(store, module, certs):
    failed = module({'path': store, 'on_duplicate': 'fail',
                     'certificates': [{'alias': 'other-name', 'pem': certs[0].pem}]}, expect_failure=True)
    assert "already trusted as alias 'one'" in failed['msg']
    added = module({'path': store, 'on_duplicate': 'add', 'certificates': [{'alias': 'other-name', 'pem': certs[0].pem}]})
    assert added['changed'] and added['duplicates'][0]['existing_alias'] == 'one'
    assert listing(store)['other-name'] == certs[0].sha256


# --- key entries -------------------------------------------------------------------

@pytest.fixture(scope='module')
def mixed_template(tmp_path_factory, key_store_template, certs):
    return build_store(str(tmp_path_factory.mktemp('mixed') / 'keys.p12'), key_store_template, certs)


@pytest.fixture
def key_store(tmp_path, mixed_template):
    """A PKCS#12 store with PrivateKeyEntry server and trusted aliases one and two."""
    path = str(tmp_path / 'keys.p12')
    shutil.copyfile(mixed_template, path)
    return path


def test_key_entries_survive_additions_and_replacements(key_store, module, certs, keytool):
    result = module({'path': key_store, 'certificates': [{'alias': 'one', 'pem': certs[2].pem},
                                                         {'alias': 'three', 'pem': certs[3].pem}]})
    assert result['changed'] and len(keytool.calls()) == 2
    assert listing(key_store) == {'server': 'PrivateKeyEntry', 'one': certs[2].sha256,
                                  'two': certs[1].sha256, 'three': certs[3].sha256}


def test_key_entries_survive_exclusive(key_store, module, certs, keytool):
    result = module({'path': key_store, 'exclusive': True, 'certificates': [{'alias': 'three', 'pem': certs[3].pem}]},
                    diff=True)
    assert sorted(ref['alias'] for ref in result['removed']) == ['one', 'two']
    # list + one delete per removed alias + one import
    assert len(keytool.calls()) == 4
    assert listing(key_store) == {'server': 'PrivateKeyEntry', 'three': certs[3].sha256}
    assert 'server (PrivateKeyEntry)' in result['diff'][0]['after']
    keytool.reset()
    only_removal = module({'path': key_store, 'certificates': [{'alias': 'three', 'state': 'absent'}]})
    assert only_removal['changed'] and len(keytool.calls()) == 2
    assert listing(key_store) == {'server': 'PrivateKeyEntry'}


@pytest.mark.parametrize('item', [{'alias': 'server', 'pem': 'PEM'}, {'alias': 'Server', 'state': 'absent'}])
def test_key_entry_alias_is_refused(key_store, module, certs, item):
    if item.get('pem'):
        item = dict(item, pem=certs[4].pem)
    before = read(key_store)
    result = module({'path': key_store, 'certificates': [item]}, expect_failure=True)
    assert "'server' is a PrivateKeyEntry" in result['msg']
    assert read(key_store) == before


# --- safety ----------------------------------------------------------------------------

def test_password_never_on_the_command_line(tmp_path, module, certs, keytool, key_store):
    secret_file = tmp_path / 'pw'
    secret_file.write_text(PASSWORD + '\n')
    module({'path': key_store, 'password_file': str(secret_file), 'exclusive': True,
            'certificates': [{'alias': 'three', 'pem': certs[3].pem}]})
    calls = keytool.calls()
    assert len(calls) == 4
    assert any('-importkeystore' in c for c in calls) and any('-delete' in c for c in calls)
    for call in calls:
        assert PASSWORD not in call
        assert '-storepass:env' in call or '-deststorepass:env' in call


def test_password_file_with_crlf(store, tmp_path, module, certs):
    secret_file = tmp_path / 'pw'
    secret_file.write_bytes(PASSWORD.encode() + b'\r\n')
    result = module({'path': store, 'password_file': str(secret_file),
                     'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    assert not result['changed']


@pytest.mark.parametrize('content, message', [
    (None, 'password_file: cannot read'),
    ('', 'the keystore password is empty'),
    ('\n', 'the keystore password is empty'),
])
def test_password_file_problems(store, tmp_path, module, content, message):
    secret_file = tmp_path / 'pw'
    if content is not None:
        secret_file.write_text(content)
    result = module({'path': store, 'password_file': str(secret_file)}, expect_failure=True)
    assert message in result['msg']


@pytest.mark.parametrize('store_type', ['pkcs12', 'jks'])
def test_wrong_password_is_a_failure_not_an_empty_store(tmp_path, module, certs, store_type):
    path = str(tmp_path / 'store')
    module({'path': path, 'store_type': store_type, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    before = read(path)
    for args in ({'certificates': [{'alias': 'one', 'pem': certs[0].pem}]},
                 {'certificates': [{'alias': 'one', 'state': 'absent'}]},
                 {'exclusive': True}):
        result = module(dict(args, path=path, password='wrong-password'), expect_failure=True)
        assert result['msg'].startswith('wrong password for keystore %s' % path)
    assert read(path) == before


def test_failing_import_leaves_the_store_byte_identical(store, tmp_path, module, certs):
    broken = Wrapper(str(tmp_path / 'bin'), fail_on='-importkeystore')
    before = read(store)
    mode = os.stat(store).st_mode
    result = module({'path': store, 'keytool': broken.path, 'backup': True,
                     'certificates': [{'alias': 'three', 'pem': certs[2].pem}]}, expect_failure=True)
    assert 'No space left on device' in result['msg']
    assert read(store) == before and os.stat(store).st_mode == mode
    assert leftovers(str(tmp_path)) == []
    assert sorted(os.listdir(str(tmp_path))) == ['.trust.p12.lock', 'bin', 'trust.p12']


def test_failing_delete_leaves_the_store_byte_identical(key_store, tmp_path, module, certs):
    broken = Wrapper(str(tmp_path / 'bin'), fail_on='-delete')
    before = read(key_store)
    module({'path': key_store, 'keytool': broken.path, 'exclusive': True,
            'certificates': [{'alias': 'three', 'pem': certs[3].pem}]}, expect_failure=True)
    assert read(key_store) == before
    assert leftovers(str(tmp_path)) == []


def test_failing_import_of_a_new_store_leaves_nothing(tmp_path, module, certs):
    broken = Wrapper(str(tmp_path / 'bin'), fail_on='-importkeystore')
    path = str(tmp_path / 'new.p12')
    module({'path': path, 'keytool': broken.path, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]},
           expect_failure=True)
    assert not os.path.exists(path) and leftovers(str(tmp_path)) == []


def test_partial_import_reported_by_keytool_is_a_failure(store, tmp_path, module, certs):
    liar = Wrapper(str(tmp_path / 'bin'),
                   summary='Import command completed:  0 entries successfully imported, 3 entries failed or cancelled')
    before = read(store)
    result = module({'path': store, 'keytool': liar.path, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]},
                    expect_failure=True)
    assert 'did not import all 3 entries' in result['msg']
    assert read(store) == before


def test_failing_rename_leaves_the_store_byte_identical(store, tmp_path, module, certs, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError(30, 'Read-only file system')

    monkeypatch.setattr(java_truststore, 'replace_file', refuse)
    before = read(store)
    result = module({'path': store, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]}, expect_failure=True)
    assert 'cannot write %s' % store in result['msg'] and 'Read-only' in result['msg']
    assert read(store) == before and leftovers(str(tmp_path)) == []


def test_replacing_keeps_owner_and_mode_and_backup(store, module, certs):
    os.chmod(store, 0o604)
    # Another owner than the one running the module (the tests run as root).
    os.chown(store, 65534, 65534)
    before = read(store)
    result = module({'path': store, 'backup': True, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]})
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o604
    assert (os.stat(store).st_uid, os.stat(store).st_gid) == (65534, 65534)
    assert read(result['backup_file']) == before
    os.unlink(result['backup_file'])


def test_only_attributes_change(store, module, certs, keytool):
    result = module({'path': store, 'mode': '0600', 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]},
                    diff=True)
    assert result['changed'] and len(keytool.calls()) == 1
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600
    assert len(result['diff']) == 1 and result['diff'][0]['after'] == {'mode': '0600'}


def test_check_mode_on_a_missing_store(tmp_path, module, certs, keytool):
    path = str(tmp_path / 'new.p12')
    result = module({'path': path, 'copy_from': CACERTS, 'copy_from_password': 'changeit', 'mode': '0600',
                     'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}, check=True, diff=True)
    assert result['changed'] and result['created']
    assert not os.path.exists(path) and leftovers(str(tmp_path)) == []
    assert len(keytool.calls()) == 1


# --- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize('item, message', [
    ({'alias': 'bad', 'pem': 'not a certificate'}, "alias 'bad': unreadable certificate in pem: no PEM certificate"),
    ({'alias': 'bad', 'pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'},
     "alias 'bad': unreadable certificate in pem"),
    ({'alias': 'bad', 'path': '/nonexistent/cert.pem'}, "alias 'bad': cannot read /nonexistent/cert.pem"),
    ({'alias': 'bad'}, "alias 'bad': state=present needs pem or path"),
    ({'alias': ' '}, 'certificates[0].alias is empty'),
    ({'alias': 'x', 'pem': 'a', 'path': '/b'}, 'mutually exclusive'),
    ({'alias': 'x', 'state': 'gone'}, 'state'),
    ({'pem': 'a'}, 'alias'),
])
def test_bad_certificate_items(store, module, item, message):
    before = read(store)
    result = module({'path': store, 'certificates': [item]}, expect_failure=True)
    assert message in result['msg']
    assert read(store) == before


def test_unreadable_pem_file_names_the_alias(store, tmp_path, module):
    bad = tmp_path / 'bad.pem'
    bad.write_text('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    result = module({'path': store, 'certificates': [{'alias': 'peer', 'path': str(bad)}]}, expect_failure=True)
    assert "alias 'peer': unreadable certificate in file %s" % bad in result['msg']


def test_alias_listed_twice(store, module, certs):
    result = module({'path': store, 'certificates': [{'alias': 'x', 'pem': certs[2].pem},
                                                     {'alias': 'X', 'pem': certs[3].pem}]}, expect_failure=True)
    assert "alias 'x' is listed more than once" in result['msg']


def test_absent_certificate_also_listed_present(store, module, certs):
    result = module({'path': store, 'certificates': [{'alias': 'x', 'pem': certs[2].pem},
                                                     {'alias': 'y', 'pem': certs[2].pem, 'state': 'absent'}]},
                    expect_failure=True)
    assert "listed absent, but present as alias 'x'" in result['msg']


@pytest.mark.parametrize('extra, message', [
    ({'password_file': '/x', 'password': PASSWORD}, 'mutually exclusive'),
    ({'java_home': '/usr'}, 'mutually exclusive'),
    ({'exclusive': True, 'copy_from': CACERTS}, 'exclusive and copy_from are mutually exclusive'),
    ({'store_type': 'pem'}, 'store_type'),
    ({'on_duplicate': 'ignore'}, 'on_duplicate'),
])
def test_bad_options(tmp_path, module, extra, message):
    result = module(dict({'path': str(tmp_path / 's.p12')}, **extra), expect_failure=True)
    assert message in result['msg']


def test_password_is_required(tmp_path, capsys):
    assert run({'path': str(tmp_path / 's.p12'), 'keytool': KEYTOOL}) == 1
    assert 'one of the following is required: password, password_file' in json.loads(capsys.readouterr().out)['msg']


def test_not_a_keystore(tmp_path, module):
    path = tmp_path / 'cert.pem'
    path.write_text('-----BEGIN CERTIFICATE-----\n')
    result = module({'path': str(path)}, expect_failure=True)
    assert 'is not a JKS, JCEKS or PKCS#12 keystore' in result['msg']
    result = module({'path': str(tmp_path)}, expect_failure=True)
    assert 'exists but is not a regular file' in result['msg']


def test_corrupt_keystore(tmp_path, module):
    path = tmp_path / 'corrupt.jks'
    path.write_bytes(b'\xfe\xed\xfe\xed' + b'\x00\x00\x00\x02' + b'\xff' * 30)
    result = module({'path': str(path)}, expect_failure=True)
    assert str(path) in result['msg']


def test_unreadable_store(tmp_path, module, monkeypatch):
    path = tmp_path / 'store.p12'
    path.write_bytes(b'\x30\x82')

    def refuse(_path):
        raise IOError(13, 'Permission denied')

    monkeypatch.setattr(java_truststore, 'detect_store_type', refuse)
    result = module({'path': str(path)}, expect_failure=True)
    assert 'cannot read %s: [Errno 13] Permission denied' % path in result['msg']


def test_keytool_locations(store, module, certs, tmp_path):
    missing = module({'path': store, 'keytool': str(tmp_path / 'no-keytool')}, expect_failure=True)
    assert 'keytool not found or not executable' in missing['msg']
    java_home = os.path.dirname(os.path.dirname(os.path.realpath(KEYTOOL)))
    args = {'path': store, 'java_home': java_home, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    args['keytool'] = None
    assert not module(args)['changed']


def test_keytool_from_path(store, module, certs, monkeypatch):
    monkeypatch.setenv('PATH', os.path.dirname(KEYTOOL) + os.pathsep + os.environ.get('PATH', ''))
    args = {'path': store, 'keytool': None, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    assert not module(args)['changed']


def test_certificate_java_refuses_names_the_alias(store, module):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    # Well-formed DER that Java rejects: an empty issuer name.
    cert = (x509.CertificateBuilder().subject_name(x509.Name([])).issuer_name(x509.Name([]))
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    before = read(store)
    result = module({'path': store, 'certificates': [{'alias': 'nameless', 'pem': Cert(cert).pem}]}, expect_failure=True)
    assert "keytool refused a certificate of alias 'nameless'" in result['msg']
    assert 'Empty issuer DN' in result['msg']
    assert read(store) == before


def test_symbolic_link_is_followed(store, tmp_path, module, certs):
    link = tmp_path / 'link.p12'
    link.symlink_to(store)
    result = module({'path': str(link), 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]})
    assert result['changed'] and result['path'] == str(link)
    assert os.path.islink(str(link))
    assert set(listing(store)) == {'one', 'two', 'three'}


# --- control characters in aliases ------------------------------------------------------

@pytest.mark.parametrize('alias', ['new\nline', 'tab\there', 'nul\x00', 'esc\x1b[0m', 'del\x7f', '\r'])
def test_alias_with_a_control_character_is_refused(store, module, certs, keytool, alias):
    before = read(store)
    items = [{'alias': 'fine', 'pem': certs[2].pem}, {'alias': 'also-fine', 'state': 'absent'},
             {'alias': alias, 'pem': certs[3].pem}]
    result = module({'path': store, 'certificates': items}, expect_failure=True)
    assert 'certificates[2].alias' in result['msg'] and repr(alias) in result['msg'], result['msg']
    assert 'control character' in result['msg']
    assert keytool.calls() == [], 'refused before keytool ran'
    assert read(store) == before


# --- keytool failures name the store and what to check ----------------------------------

@pytest.fixture(scope='module')
def jks_template(tmp_path_factory, store_template):
    return keytool_copy(store_template, PASSWORD, str(tmp_path_factory.mktemp('jks') / 'trust.jks'), 'JKS')


@pytest.mark.parametrize('kind', ['PKCS12', 'JKS'])
def test_truncated_store_is_named_with_its_cause(tmp_path, module, certs, kind, store_template, jks_template):
    template = store_template if kind == 'PKCS12' else jks_template
    path = str(tmp_path / ('truncated.' + kind.lower()))
    data = read(template)
    with open(path, 'wb') as handle:
        handle.write(data[:len(data) // 2])
    before = read(path)
    result = module({'path': path, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]}, expect_failure=True)
    assert path in result['msg'], result['msg']
    assert 'truncated or corrupt' in result['msg'], result['msg']
    assert 'EOFException' in result['msg'], 'keytool\'s own words are kept'
    assert not result['changed'] and not result['created']
    assert read(path) == before


def test_keytool_failure_while_writing_names_the_store(store, tmp_path, module, certs):
    broken = Wrapper(str(tmp_path / 'bin'), fail_on='-importkeystore')
    result = module({'path': store, 'keytool': broken.path, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]},
                    expect_failure=True)
    head = result['msg'].split(';')[0]
    assert store in head and 'No space left on device' in head, result['msg']
    assert 'free space' in result['msg']


# --- a store in a missing directory ------------------------------------------------------

@pytest.mark.parametrize('check', [True, False], ids=['check', 'run'])
def test_store_in_a_missing_directory_fails_and_claims_nothing(tmp_path, module, certs, keytool, check):
    directory = str(tmp_path / 'no-such-dir')
    path = os.path.join(directory, 'trust.p12')
    result = module({'path': path, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]},
                    check=check, expect_failure=True)
    assert 'directory %s does not exist' % directory in result['msg'], result['msg']
    assert path in result['msg']
    assert not result['changed'] and not result['created']
    assert result['added'] == []
    assert not os.path.exists(directory)
    assert keytool.calls() == []


def test_store_in_a_missing_directory_same_message_in_check_mode(tmp_path, module, certs):
    args = {'path': str(tmp_path / 'missing' / 'trust.p12'), 'copy_from': CACERTS, 'copy_from_password': 'changeit',
            'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    predicted = module(args, check=True, expect_failure=True)
    real = module(args, expect_failure=True)
    assert predicted['msg'] == real['msg']


def test_read_only_directory_fails_in_check_mode_as_in_a_real_run(store, tmp_path, module, certs, monkeypatch):
    # The tests run as root, for whom every directory is writable: simulate
    # what access(2) tells an unprivileged user.
    real_access = os.access
    directory = os.path.dirname(store)
    monkeypatch.setattr(os, 'access', lambda p, mode, **kw: False if p == directory else real_access(p, mode, **kw))
    args = {'path': store, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]}
    predicted = module(args, check=True, expect_failure=True)
    assert 'directory %s is not writable' % directory in predicted['msg'], predicted['msg']
    assert not predicted['changed'] and predicted['added'] == []
    real = module(args, expect_failure=True)
    assert real['msg'] == predicted['msg']
    assert not module({'path': store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})['changed'], \
        'a run with nothing to change needs no write access'


# --- password-less PKCS#12 (JDK 18 and later: lib/security/cacerts) ------------------------

@pytest.fixture(scope='module')
def password_less_template(tmp_path_factory):
    """The system cacerts as JDK 18 and later write theirs: PKCS#12, no MAC, certificates not encrypted."""
    if not os.path.exists(CACERTS):
        pytest.skip('no system cacerts')
    return keytool_copy(CACERTS, 'changeit', str(tmp_path_factory.mktemp('jdk18') / 'cacerts'), 'PKCS12',
                        PASSWORD_LESS)


@pytest.fixture(scope='module')
def password_less_aliases(password_less_template):
    """The trusted aliases of the template, as a JVM without a password sees them."""
    if JAVA is None:
        pytest.skip('java not installed')
    judged = java_judge(('PKCS12', None, password_less_template))[0]
    assert len(judged['trusted']) == judged['accepted_issuers'] > 0, judged
    return set(judged['trusted'])


def test_password_less_template_is_what_jdk18_ships(password_less_template):
    if OPENSSL is None:
        pytest.skip('needs openssl')
    assert openssl_protection(password_less_template, 'changeit') == (None, None)


@needs_java
@needs_cacerts
@pytest.mark.parametrize('change', ['add', 'replace-and-remove', 'exclusive'])
def test_password_less_pkcs12_stays_password_less(tmp_path, module, certs, password_less_template,
                                                  password_less_aliases, change):
    path = str(tmp_path / 'cacerts')
    shutil.copyfile(password_less_template, path)
    replaced, removed = sorted(password_less_aliases)[:2]
    if change == 'add':
        args = {'certificates': [{'alias': 'corp-root', 'pem': certs[0].pem},
                                 {'alias': 'corp-issuing', 'pem': certs[1].pem}]}
        expected = password_less_aliases | {'corp-root', 'corp-issuing'}
    elif change == 'replace-and-remove':
        args = {'certificates': [{'alias': replaced, 'pem': certs[2].pem}, {'alias': removed, 'state': 'absent'}]}
        expected = password_less_aliases - {removed}
    else:
        args = {'exclusive': True, 'certificates': [{'alias': 'only', 'pem': certs[3].pem}]}
        expected = {'only'}
    # The JVM's cacerts password: any password reads a store without MAC.
    result = module(dict(args, path=path, password='changeit'))
    assert result['changed'] and result['store_type'] == 'PKCS12'

    no_password, with_password = java_judge(('PKCS12', None, path), ('PKCS12', 'changeit', path))
    assert 'error' not in no_password, no_password
    assert set(no_password['trusted']) == expected
    assert no_password['accepted_issuers'] == len(expected), 'a JVM without trustStorePassword trusts them all'
    assert set(with_password['trusted']) == expected
    if OPENSSL is not None:
        assert openssl_protection(path, 'changeit') == (None, None)


@needs_java
def test_password_less_pkcs12_with_a_key_entry_stays_password_less(tmp_path, module, certs, key_store_template):
    path = keytool_copy(key_store_template, PASSWORD, str(tmp_path / 'keys.p12'), 'PKCS12', PASSWORD_LESS)
    result = module({'path': path, 'exclusive': True, 'certificates': [{'alias': 'peer', 'pem': certs[0].pem}]})
    assert result['changed']
    judged = java_judge(('PKCS12', None, path))[0]
    # The JVM also accepts the certificate of the key entry as an issuer.
    assert judged['trusted'] == ['peer'] and judged['accepted_issuers'] == 2
    assert listing(path) == {'server': 'PrivateKeyEntry', 'peer': certs[0].sha256}


def test_password_less_pkcs12_unchanged_is_not_rewritten(tmp_path, module, password_less_template, keytool):
    path = str(tmp_path / 'cacerts')
    shutil.copyfile(password_less_template, path)
    before = read(path)
    result = module({'path': path, 'password': 'changeit', 'certificates': [{'alias': 'not-there', 'state': 'absent'}]})
    assert not result['changed'] and read(path) == before
    assert len(keytool.calls()) == 1


def deaf_keytool(directory):
    """A keytool that drops the keystore.pkcs12.* properties, as one too old to know them would."""
    path = os.path.join(directory, 'deaf-keytool')
    with open(path, 'w') as handle:
        handle.write('#!/bin/bash\nargs=()\nfor a in "$@"; do case $a in -J-Dkeystore.pkcs12.*) ;; *) args+=("$a");; '
                     'esac; done\nexec "%s" "${args[@]}"\n' % KEYTOOL)
    os.chmod(path, 0o755)
    return path


def test_keytool_that_would_add_a_password_fails_and_changes_nothing(tmp_path, module, certs, password_less_template):
    path = str(tmp_path / 'cacerts')
    shutil.copyfile(password_less_template, path)
    before = read(path)
    result = module({'path': path, 'password': 'changeit', 'keytool': deaf_keytool(str(tmp_path)),
                     'certificates': [{'alias': 'corp-root', 'pem': certs[0].pem}]}, expect_failure=True)
    assert 'with a password' in result['msg'] and 'MAC NONE became HmacPBESHA256' in result['msg'], result['msg']
    assert result['msg'].endswith('%s was not changed' % path)
    assert not result['changed'] and result['added'] == []
    assert read(path) == before and leftovers(str(tmp_path)) == []


LEGACY = ['-J-Dkeystore.pkcs12.legacy']
CUSTOM = ['-J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndDESede',
          '-J-Dkeystore.pkcs12.certPbeIterationCount=4096',
          '-J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA384', '-J-Dkeystore.pkcs12.macIterationCount=7777']


@pytest.mark.skipif(OPENSSL is None, reason='needs openssl')
@pytest.mark.parametrize('options', [[], LEGACY, CUSTOM], ids=['default', 'legacy', 'custom'])
def test_protected_pkcs12_keeps_its_algorithms(tmp_path, module, certs, store_template, options):
    path = keytool_copy(store_template, PASSWORD, str(tmp_path / 'trust.p12'), 'PKCS12', options)
    before = openssl_protection(path, PASSWORD)
    assert before[0] and before[1], 'MAC and certificate encryption'
    result = module({'path': path, 'certificates': [{'alias': 'two', 'state': 'absent'},
                                                    {'alias': 'three', 'pem': certs[2].pem}]})
    assert result['changed']
    assert openssl_protection(path, PASSWORD) == before
    assert listing(path) == {'one': certs[0].sha256, 'three': certs[2].sha256}


def test_keytool_that_changes_the_algorithms_is_reported(tmp_path, module, certs, store_template):
    path = keytool_copy(store_template, PASSWORD, str(tmp_path / 'trust.p12'), 'PKCS12', LEGACY)
    result = module({'path': path, 'keytool': deaf_keytool(str(tmp_path)),
                     'certificates': [{'alias': 'three', 'pem': certs[2].pem}]})
    assert result['changed']
    assert any('did not keep the protection of %s: MAC HmacPBESHA1 became HmacPBESHA256' % path in w
               for w in warning_texts(result)), warning_texts(result)


# --- concurrent runs ---------------------------------------------------------------------

COLLECTIONS_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(java_truststore.__file__)))))))
PROCESSES = 3
ROUNDS = 3


def start_module_process(directory, args):
    """The module in a process of its own, as Ansible runs it on a target."""
    args_file = os.path.join(directory, 'args-%s.json' % args['certificates'][0]['alias'])
    with open(args_file, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
    # ansible-test puts ansible on the path through PYTHONPATH: keep it, and add the collection's root.
    ansible_root = os.path.dirname(os.path.dirname(os.path.abspath(ansible.__file__)))
    paths = [COLLECTIONS_ROOT, ansible_root] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    return subprocess.Popen([sys.executable, '-m', 'ansible_collections.prime_hermod.stack.plugins.modules.java_truststore',
                             args_file], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@needs_java
def test_concurrent_runs_keep_every_alias(tmp_path, store_template):
    """PROCESSES module processes add one alias each to the same store at the same moment, in ROUNDS rounds."""
    pems = [Cert(make_cert('concurrent-%d' % i)).pem for i in range(PROCESSES)]
    stores = []
    deadline = time.monotonic() + 240
    for round_number in range(ROUNDS):
        directory = tmp_path / ('round-%d' % round_number)
        directory.mkdir()
        path = str(directory / 'trust.p12')
        shutil.copyfile(store_template, path)
        aliases = ['round%d-peer%d' % (round_number, i) for i in range(PROCESSES)]
        processes = [start_module_process(str(tmp_path), {'path': path, 'password': PASSWORD,
                                                          'certificates': [{'alias': alias, 'pem': pem}]})
                     for alias, pem in zip(aliases, pems)]
        results = []
        for process in processes:
            out, err = process.communicate(timeout=max(1, deadline - time.monotonic()))
            assert process.returncode == 0, (out, err)
            results.append(json.loads(out))
        assert all(r['changed'] and [a['alias'] for a in r['added']] == [alias]
                   for r, alias in zip(results, aliases)), results
        assert leftovers(str(directory)) == []
        stores.append((path, aliases))
    judged = java_judge(*[('PKCS12', PASSWORD, path) for path, _aliases in stores])
    for (path, aliases), seen in zip(stores, judged):
        assert set(seen['trusted']) == {'one', 'two'} | set(aliases), (path, seen)


# --- the recorded listing --------------------------------------------------------

def record_of(path):
    with open(os.path.join(os.path.dirname(path), '.%s.listing' % os.path.basename(path))) as handle:
        return json.load(handle)


def record_exists(path):
    return os.path.exists(os.path.join(os.path.dirname(path), '.%s.listing' % os.path.basename(path)))


def test_second_run_that_changes_nothing_starts_no_keytool(store, module, certs, keytool):
    args = {'path': store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    first = module(args)
    assert not first['changed'] and len(keytool.calls()) == 1
    record = record_of(store)
    assert stat.S_IMODE(os.stat(os.path.join(os.path.dirname(store), '.trust.p12.listing')).st_mode) == 0o600
    # The record agrees with what cryptography reads from the store, and holds no secret or certificate.
    assert dict((item['alias'], item['sha256']) for item in record['entries']) == listing(store)
    text = json.dumps(record)
    assert PASSWORD not in text and 'BEGIN' not in text and certs[0].pem.splitlines()[1] not in text

    keytool.reset()
    second = module(args)
    assert keytool.calls() == [], 'the record stands in for the listing'
    assert {k: second[k] for k in ('changed', 'unchanged', 'added', 'duplicates', 'store_type')} == \
        {k: first[k] for k in ('changed', 'unchanged', 'added', 'duplicates', 'store_type')}


def test_a_store_changed_by_another_tool_is_listed_again(store, module, certs, keytool):
    args = {'path': store, 'exclusive': True,
            'certificates': [{'alias': 'one', 'pem': certs[0].pem}, {'alias': 'two', 'pem': certs[1].pem}]}
    module(args)
    build_store_entry(store, 'three', certs[2])
    keytool.reset()
    result = module(args)
    assert result['changed'] and [ref['alias'] for ref in result['removed']] == ['three']
    assert len(keytool.calls()) == 2, 'one listing by keytool, one import'
    assert listing(store) == {'one': certs[0].sha256, 'two': certs[1].sha256}
    assert not record_exists(store), 'no record outlives the content it describes'


def test_a_change_is_built_from_keytools_listing_not_the_record(store, module, certs, keytool):
    module({'path': store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    keytool.reset()
    result = module({'path': store, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]})
    assert result['changed'] and [ref['alias'] for ref in result['added']] == ['three']
    assert [[word for word in call.split() if word in ('-list', '-importkeystore')] for call in keytool.calls()] \
        == [['-list'], ['-importkeystore']]
    assert listing(store) == {'one': certs[0].sha256, 'two': certs[1].sha256, 'three': certs[2].sha256}
    assert not record_exists(store)


def test_another_password_goes_to_keytool_and_fails_there(store, module, certs, keytool):
    args = {'path': store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    module(args)
    keytool.reset()
    result = module(dict(args, password='wrong-password'), expect_failure=True)
    assert result['msg'].startswith('wrong password for keystore %s' % store)
    assert len(keytool.calls()) == 1


@pytest.mark.parametrize('damage', ['garbage', 'truncated', 'other_type', 'other_format', 'other_iterations',
                                    'writable_by_others', 'symbolic_link'])
def test_a_record_that_does_not_match_is_ignored(store, module, certs, keytool, damage):
    args = {'path': store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    module(args)
    record_file = os.path.join(os.path.dirname(store), '.trust.p12.listing')
    with open(record_file) as handle:
        text = handle.read()
    record = json.loads(text)
    if damage == 'garbage':
        text = 'not json'
    elif damage == 'truncated':
        text = text[:len(text) // 2]
    elif damage == 'other_type':
        text = json.dumps(dict(record, store_type='JKS'))
    elif damage == 'other_format':
        text = json.dumps(dict(record, format=record['format'] + 1))
    elif damage == 'other_iterations':
        # Also what a planted record could use to make every run hang.
        text = json.dumps(dict(record, password=dict(record['password'], iterations=10 ** 12)))
    with open(record_file, 'w') as handle:
        handle.write(text)
    if damage == 'writable_by_others':
        os.chmod(record_file, 0o622)
    elif damage == 'symbolic_link':
        os.rename(record_file, record_file + '.real')
        os.symlink(os.path.basename(record_file) + '.real', record_file)
    keytool.reset()
    assert not module(args)['changed']
    assert len(keytool.calls()) == 1
    assert record_of(store)['store_sha256'] == record['store_sha256'], 'the run recorded the listing anew'


def test_check_mode_uses_a_record_and_writes_none(store, module, certs, keytool):
    args = {'path': store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]}
    module(args, check=True)
    assert not record_exists(store)
    module(args)
    keytool.reset()
    before = read(os.path.join(os.path.dirname(store), '.trust.p12.listing'))
    predicted = module({'path': store, 'certificates': [{'alias': 'three', 'pem': certs[2].pem}]}, check=True)
    assert predicted['changed'] and [ref['alias'] for ref in predicted['added']] == ['three']
    assert len(keytool.calls()) == 1, 'a predicted change is listed by keytool'
    assert read(os.path.join(os.path.dirname(store), '.trust.p12.listing')) == before
    keytool.reset()
    assert not module(args, check=True)['changed'] and keytool.calls() == []


def test_recorded_key_entries_are_still_protected(key_store, module, certs, keytool):
    module({'path': key_store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    module({'path': key_store, 'certificates': [{'alias': 'one', 'pem': certs[0].pem}]})
    keytool.reset()
    result = module({'path': key_store, 'certificates': [{'alias': 'server', 'pem': certs[1].pem}]},
                    expect_failure=True)
    assert 'server' in result['msg'] and keytool.calls() == []
    assert listing(key_store)['server'] == 'PrivateKeyEntry'


def build_store_entry(path, alias, cert):
    """Add one trusted entry with keytool itself, as another tool would."""
    pem = path + '.pem'
    with open(pem, 'w') as handle:
        handle.write(cert.pem)
    subprocess.run([KEYTOOL, '-importcert', '-noprompt', '-alias', alias, '-file', pem, '-keystore', path,
                    '-storepass:env', 'KT_PW'], env=dict(os.environ, KT_PW=PASSWORD), check=True, capture_output=True)
    os.unlink(pem)
