# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs of java_truststore against one store at the same moment lose nothing.

tests/playbooks/java_truststore_concurrent.yml adds one alias; RUNS
ansible-playbook processes start it together, each with its own alias, in
ROUNDS rounds on a fresh store each. Every run must succeed and report its
alias added, and afterwards the store must hold every alias, as a JVM reads
it (tests/java/TrustedCertificates.java), not as the module's own parser does.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import time

import pytest

import localhost_playbook

x509 = pytest.importorskip('cryptography.x509')
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLAYBOOK = os.path.join(ROOT, 'tests', 'playbooks', 'java_truststore_concurrent.yml')
ORACLE = os.path.join(ROOT, 'tests', 'java', 'TrustedCertificates.java')
TASK = 'Trust the certificate in the shared store'
KEYTOOL = shutil.which('keytool')
JAVA = shutil.which('java')
# The playbook's default password.
PASSWORD = 'concurrent-check'
RUNS = 3
ROUNDS = 2
# For all rounds together; one round takes about RUNS times a single run.
TIMEOUT = 300

pytestmark = pytest.mark.skipif(KEYTOOL is None or JAVA is None, reason='needs keytool and java')


def certificate_pem(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    # Java refuses certificates with an empty issuer, so the name is set.
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def seed_store(path, certificate):
    """A PKCS#12 store holding alias 'seed', made by keytool itself."""
    subprocess.run([KEYTOOL, '-importcert', '-noprompt', '-alias', 'seed', '-file', certificate, '-keystore', path,
                    '-storetype', 'PKCS12', '-storepass:env', 'KT_PW'],
                   env=dict(os.environ, KT_PW=PASSWORD), check=True, capture_output=True)


def start(store, alias, certificate):
    cmd = localhost_playbook.command(PLAYBOOK, {'java_truststore_concurrent_store': store,
                                                'java_truststore_concurrent_alias': alias,
                                                'java_truststore_concurrent_certificate': certificate})
    return subprocess.Popen(cmd, env=localhost_playbook.environment(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process, deadline):
    try:
        out, err = process.communicate(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError('ansible-playbook still running after %d s' % TIMEOUT)
    try:
        report = json.loads(out)
    except ValueError:
        raise AssertionError('ansible-playbook did not print JSON (exit %d): %s %s'
                             % (process.returncode, out[-2000:], err[-2000:]))
    assert process.returncode == 0, json.dumps(report, indent=1)[-4000:]
    return localhost_playbook.task_result(report, TASK)


def trusted_aliases(stores):
    """The trusted aliases of each PKCS#12 store, read by one JVM."""
    args = []
    for path in stores:
        args += ['PKCS12', PASSWORD, path]
    proc = subprocess.run([JAVA, ORACLE] + args, capture_output=True, text=True, check=True, timeout=120)
    judged = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all('error' not in store for store in judged), judged
    return [set(store['trusted']) for store in judged]


def test_simultaneous_runs_keep_every_alias(tmp_path):
    certificates = []
    for i in range(RUNS + 1):
        path = str(tmp_path / ('peer-%d.pem' % i))
        with open(path, 'wb') as handle:
            handle.write(certificate_pem('concurrent-peer-%d' % i))
        certificates.append(path)
    deadline = time.monotonic() + TIMEOUT
    stores = []
    for round_number in range(ROUNDS):
        store_dir = tmp_path / ('round-%d' % round_number)
        store_dir.mkdir()
        store = str(store_dir / 'trust.p12')
        seed_store(store, certificates[-1])
        aliases = ['round%d-run%d' % (round_number, i) for i in range(RUNS)]
        processes = [start(store, alias, certificate) for alias, certificate in zip(aliases, certificates)]
        results = [finish(process, deadline) for process in processes]
        for alias, result in zip(aliases, results):
            assert result['changed'] and [entry['alias'] for entry in result['added']] == [alias], result
        # Nothing staged is left; the lock file stays for the next run.
        assert set(os.listdir(str(store_dir))) - {'.trust.p12.lock'} == {'trust.p12'}
        stores.append((store, aliases))
    for (store, aliases), found in zip(stores, trusted_aliases([store for store, _aliases in stores])):
        assert found == {'seed'} | set(aliases), store
