# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A keytool import that is killed or fails leaves the truststore as it was.

tests/playbooks/java_truststore_fault.yml runs through ansible-playbook
against localhost with a stand-in keytool: a shell script that runs the real
keytool for everything and, for the -importkeystore call, makes it

- killed-while-writing: get SIGKILL inside the write of the new store (by
  strace's fault injection, after the first 16 KiB), then kills itself, so
  the module sees a keytool killed by a signal and a partial store is staged;
- fails-while-writing: fail for real: a 16 KiB file size limit makes keytool
  report "File too large" and exit 1 after writing that much;
- killed-after-writing / fails-after-writing: write a complete new store,
  then be killed or exit 1, so the module must not trust even a whole file.

Each case, for a JKS and a PKCS#12 store, must fail the play with a message
naming the cause and leave the store's bytes, inode, owner, mode and mtime as
they were, no staging file beside it (only the lock file the module keeps
there) and no keytool still running. A control
run through the same stand-in without a fault must change the store, so the
checks can fail. The JKS store is given to the module by its keytool option,
the PKCS#12 store finds the stand-in first on PATH.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess

import pytest

import localhost_playbook

x509 = pytest.importorskip('cryptography.x509')
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLAYBOOK = os.path.join(ROOT, 'tests', 'playbooks', 'java_truststore_fault.yml')
TASK = 'Trust the certificate in the store'
CACERTS = '/etc/ssl/certs/java/cacerts'
KEYTOOL = shutil.which('keytool')
REAL_KEYTOOL = os.path.realpath(KEYTOOL) if KEYTOOL else None
STRACE = shutil.which('strace')
# The playbook's default password.
PASSWORD = 'fault-check'
# The store belongs to another user than the one running the module, so a
# store replaced by root would show in its owner.
NOBODY = 65534

pytestmark = pytest.mark.skipif(KEYTOOL is None or not os.path.exists(CACERTS),
                                reason='needs keytool and the system cacerts')

STORE_TYPES = {
    # store type: (file name, how the module finds the stand-in)
    'JKS': ('trust.jks', 'option'),
    'PKCS12': ('trust.p12', 'path'),
}

_HEAD = r'''#!/bin/bash
# keytool stand-in, fault: {fault}
case " $* " in *" -importkeystore "*) ;; *) exec "{real}" "$@" ;; esac
dest=
prev=
for arg in "$@"; do
  if [ "$prev" = -destkeystore ]; then dest=$arg; fi
  prev=$arg
done
echo "import into $dest" >> "{log}"
written() {{ stat -c %s "$dest" 2>/dev/null || echo none; }}
'''

# RLIMIT_FSIZE in KiB: smaller than any store here, so the new store's first
# write() stops short of its end and a second write() follows. The JVM
# ignores SIGXFSZ; that second write fails with EFBIG.
_LIMIT_KIB = 16

_FAULTS = {
    'none': 'exec "{real}" "$@"\n',
    # strace sends SIGKILL to keytool when it enters the second write() of
    # the new store, so the staged file holds exactly the first 16 KiB.
    'killed-while-writing': r'''( ulimit -f {limit}
  exec "{strace}" -f -qq -o /dev/null -P "$dest" -e trace=write -e inject=write:signal=KILL:when=2 "{real}" "$@" )
echo "keytool killed: exit status $?, $(written) bytes in the new store" >> "{log}"
kill -KILL $$
''',
    'killed-after-writing': r'''"{real}" "$@"
echo "keytool finished: exit status $?, $(written) bytes in the new store; now killed" >> "{log}"
kill -KILL $$
''',
    # A real keytool failure: it writes 16 KiB, then reports EFBIG and exits 1.
    'fails-while-writing': r'''( ulimit -f {limit}; exec "{real}" "$@" )
status=$?
echo "keytool failed: exit status $status, $(written) bytes in the new store" >> "{log}"
exit $status
''',
    'fails-after-writing': r'''"{real}" "$@"
echo "keytool finished: exit status $?, $(written) bytes in the new store; now failing" >> "{log}"
echo "keytool error: java.io.IOException: Input/output error (stand-in failure)" >&2
exit 1
''',
}

KILLED = 'keytool -importkeystore was killed by SIGKILL (signal 9)'
EXPECTED_MESSAGE = {
    'killed-while-writing': KILLED,
    'killed-after-writing': KILLED,
    'fails-while-writing': 'keytool error: java.io.IOException: File too large',
    'fails-after-writing': 'keytool error: java.io.IOException: Input/output error (stand-in failure)',
}

# What the stand-in saw: a partial store for the faults while writing, a
# complete one (bigger than the 16 KiB limit) for the others.
EXPECTED_LOG = {
    'killed-while-writing': r'keytool killed: exit status 137, %d bytes' % (_LIMIT_KIB * 1024),
    'killed-after-writing': r'keytool finished: exit status 0, \d{6} bytes',
    'fails-while-writing': r'keytool failed: exit status 1, %d bytes' % (_LIMIT_KIB * 1024),
    'fails-after-writing': r'keytool finished: exit status 0, \d{6} bytes',
}


def make_certificate_pem():
    key = ec.generate_private_key(ec.SECP256R1())
    # Java refuses certificates with an empty issuer, so the name is set.
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'fault-peer')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope='module')
def templates(tmp_path_factory):
    """A copy of the system cacerts (144 entries) in each store type, made by the real keytool."""
    directory = tmp_path_factory.mktemp('templates')
    env = dict(os.environ, SRC_PW='changeit', DEST_PW=PASSWORD, LC_ALL='C.UTF-8')
    made = {}
    for store_type, (name, _discovery) in STORE_TYPES.items():
        path = str(directory / name)
        subprocess.run([REAL_KEYTOOL, '-importkeystore', '-noprompt', '-srckeystore', CACERTS,
                        '-srcstorepass:env', 'SRC_PW', '-destkeystore', path, '-deststoretype', store_type,
                        '-deststorepass:env', 'DEST_PW'], env=env, check=True, capture_output=True)
        made[store_type] = path
    certificate = str(directory / 'fault-peer.pem')
    with open(certificate, 'wb') as handle:
        handle.write(make_certificate_pem())
    made['certificate'] = certificate
    return made


def stand_in(directory, fault):
    """Write the stand-in keytool into directory/bin; return (path, log path)."""
    bin_dir = os.path.join(directory, 'bin')
    os.mkdir(bin_dir)
    path = os.path.join(bin_dir, 'keytool')
    log = os.path.join(directory, 'keytool.log')
    values = dict(fault=fault, real=REAL_KEYTOOL, log=log, strace=STRACE, limit=_LIMIT_KIB)
    with open(path, 'w') as handle:
        handle.write(_HEAD.format(**values) + _FAULTS[fault].format(**values))
    os.chmod(path, 0o755)
    return path, log


def prepare(tmp_path, templates, store_type, fault):
    """A store alone in its directory, owned by nobody, mode 0640, and the stand-in keytool."""
    name, discovery = STORE_TYPES[store_type]
    store_dir = tmp_path / 'store'
    store_dir.mkdir()
    store = str(store_dir / name)
    shutil.copyfile(templates[store_type], store)
    os.chmod(store, 0o640)
    if os.geteuid() == 0:
        os.chown(store, NOBODY, NOBODY)
    keytool, log = stand_in(str(tmp_path), fault)
    return store, keytool, log, discovery


def lock_file(store):
    return os.path.join(os.path.dirname(store), '.%s.lock' % os.path.basename(store))


def snapshot(store):
    """The store's state, and what else its directory holds besides the module's lock file."""
    info = os.stat(store)
    with open(store, 'rb') as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    lock_name = os.path.basename(lock_file(store))
    return dict(sha256=digest, inode=info.st_ino, uid=info.st_uid, gid=info.st_gid,
                mode=oct(info.st_mode), mtime_ns=info.st_mtime_ns,
                directory=sorted(name for name in os.listdir(os.path.dirname(store)) if name != lock_name))


def assert_lock_file_kept(store):
    assert not os.stat(lock_file(store)).st_mode & 0o002, 'the lock file is not world-writable'


def ansible_playbook(store, certificate, keytool, discovery):
    env = localhost_playbook.environment()
    extra_vars = {'java_truststore_fault_store': store, 'java_truststore_fault_certificate': certificate}
    if discovery == 'option':
        extra_vars['java_truststore_fault_keytool'] = keytool
    cmd = localhost_playbook.command(PLAYBOOK, extra_vars)
    if discovery != 'option':
        env['PATH'] = os.path.dirname(keytool) + os.pathsep + env.get('PATH', '')
    rc, report = localhost_playbook.run(cmd, env)
    return rc, report, localhost_playbook.task_result(report, TASK)


def log_lines(log):
    if not os.path.exists(log):
        return []
    with open(log) as handle:
        return [line.rstrip('\n') for line in handle]


def processes_mentioning(text):
    """Processes whose command line holds text: a keytool left running would still write."""
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as handle:
                cmdline = handle.read().replace(b'\0', b' ').decode('utf-8', 'replace')
        except OSError:
            continue
        if text in cmdline:
            found.append('%s: %s' % (pid, cmdline))
    return found


@pytest.mark.parametrize('store_type', sorted(STORE_TYPES))
def test_control_run_through_the_stand_in_changes_the_store(tmp_path, templates, store_type):
    store, keytool, log, discovery = prepare(tmp_path, templates, store_type, 'none')
    before = snapshot(store)

    rc, report, result = ansible_playbook(store, templates['certificate'], keytool, discovery)

    assert rc == 0, json.dumps(report, indent=1)[-4000:]
    assert result['changed'] and [entry['alias'] for entry in result['added']] == ['fault-peer']
    assert result['store_type'] == store_type
    lines = log_lines(log)
    assert len(lines) == 1 and lines[0].startswith('import into %s/.' % os.path.dirname(store)), lines
    after = snapshot(store)
    assert after['sha256'] != before['sha256'] and after['inode'] != before['inode']
    assert (after['uid'], after['gid'], after['mode']) == (before['uid'], before['gid'], before['mode'])
    assert after['directory'] == before['directory']
    assert_lock_file_kept(store)


@pytest.mark.parametrize('fault', sorted(EXPECTED_MESSAGE))
@pytest.mark.parametrize('store_type', sorted(STORE_TYPES))
def test_failed_import_leaves_the_store_as_it_was(tmp_path, templates, store_type, fault):
    if fault == 'killed-while-writing' and STRACE is None:
        pytest.fail('needs strace to kill keytool inside its write (tests/harness/setup.sh installs it)')
    store, keytool, log, discovery = prepare(tmp_path, templates, store_type, fault)
    before = snapshot(store)

    rc, report, result = ansible_playbook(store, templates['certificate'], keytool, discovery)

    assert snapshot(store) == before
    assert rc == 2, json.dumps(report, indent=1)[-4000:]
    assert report['stats']['localhost']['failures'] == 1
    assert result.get('failed') and not result['changed'], result
    assert EXPECTED_MESSAGE[fault] in result['msg'], result['msg']
    assert result['msg'].endswith('%s was not changed' % store), result['msg']
    # The fault fired on the import, after keytool had created the new store
    # in the staging directory.
    lines = log_lines(log)
    assert len(lines) == 2 and lines[0].startswith('import into %s/.' % os.path.dirname(store)), lines
    assert re.match(EXPECTED_LOG[fault], lines[1]), lines
    print('%s %s: %s' % (store_type, fault, lines[1]))
    assert processes_mentioning(os.path.dirname(store)) == []
    assert_lock_file_kept(store)
