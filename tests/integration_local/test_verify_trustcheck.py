# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's JVM check, roles/verify/files/TrustCheck.class, as the role runs it.

The class runs (``java -cp DIR TrustCheck``, settings on standard input)
in two real JVMs: the distribution's JDK and a jlink'd Temurin 21 without
the jdk.compiler module, which cannot launch a source file. Each opens a
real HTTPS server on loopback, whose certificate names only ``localhost``:
with a truststore holding that certificate the handshake completes and the
Authorization header arrives; by 127.0.0.1 the JVM's hostname check fails;
with the JVM's own cacerts the trust check fails.
"""

from __future__ import annotations

import datetime
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tarfile
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FILES = os.path.join(ROOT, 'roles', 'verify', 'files')
FETCH_RUNTIME = os.path.join(ROOT, 'tests', 'fixtures', 'java_runtime', 'fetch.py')
AUTHORIZATION = 'Basic cHJpbWU6Y2FsbGJhY2stc2VjcmV0'
STORE_PASSWORD = 'trustcheck-store-pw'


@pytest.fixture(scope='module')
def jlinked_java(tmp_path_factory):
    """The java binary of the jlink'd runtime the tomcat_archive scenario also runs on."""
    done = subprocess.run([sys.executable, FETCH_RUNTIME], capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    fixture = done.stdout.splitlines()[-1]
    with open(os.path.join(fixture, 'manifest.json'), encoding='utf-8') as handle:
        manifest = json.load(handle)
    where = tmp_path_factory.mktemp('runtime')
    with tarfile.open(os.path.join(fixture, manifest['archive'])) as archive:
        archive.extractall(where, filter='tar')
    return str(where / manifest['top'] / 'bin' / 'java')


@pytest.fixture(scope='module')
def system_java():
    java = shutil.which('java')
    assert java, 'the distribution JDK (java on PATH) is part of the test machine (tests/harness/packages.txt)'
    return java


class Recorder(http.server.BaseHTTPRequestHandler):
    authorizations = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        Recorder.authorizations.append(self.headers.get('Authorization'))
        body = b'ok'
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose self-signed certificate names DNS:localhost only."""
    where = tmp_path_factory.mktemp('server')
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName('localhost')]), critical=False)
            .sign(key, hashes.SHA256()))
    (where / 'cert.pem').write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (where / 'key.pem').write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(where / 'cert.pem'), str(where / 'key.pem'))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Recorder)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {'port': httpd.server_address[1], 'cert': str(where / 'cert.pem')}
    httpd.shutdown()


@pytest.fixture(scope='module')
def truststore(tmp_path_factory, server, system_java):
    store = str(tmp_path_factory.mktemp('store') / 'truststore.p12')
    keytool = os.path.join(os.path.dirname(os.path.realpath(system_java)), 'keytool')
    done = subprocess.run([keytool, '-importcert', '-noprompt', '-alias', 'server', '-file', server['cert'],
                           '-keystore', store, '-storetype', 'PKCS12', '-storepass:env', 'PHS_STOREPASS'],
                          env=dict(os.environ, PHS_STOREPASS=STORE_PASSWORD), capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return store


def run_check(java, tmp_path, lines):
    """Runs the shipped class as the role does: copied alone into a directory, instructions on stdin."""
    shutil.copy(os.path.join(FILES, 'TrustCheck.class'), str(tmp_path))
    done = subprocess.run([java, '-cp', str(tmp_path), 'TrustCheck'], input=''.join(line + '\n' for line in lines),
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert AUTHORIZATION.split()[1] not in done.stdout
    return {result['name']: result for result in map(json.loads, done.stdout.splitlines())}


def test_the_shipped_class_is_what_javac_makes_of_its_source(tmp_path):
    javac = shutil.which('javac')
    assert javac, 'javac (the distribution JDK) is part of the test machine'
    done = subprocess.run([javac, '--release', '8', '-d', str(tmp_path), os.path.join(FILES, 'TrustCheck.java')],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(os.path.join(FILES, 'TrustCheck.class'), 'rb') as shipped:
        assert (tmp_path / 'TrustCheck.class').read_bytes() == shipped.read(), \
            'roles/verify/files/TrustCheck.class is not built from TrustCheck.java: run make verify-class'
    assert sorted(os.listdir(str(tmp_path))) == ['TrustCheck.class'], 'the role copies one class file'


def test_the_jlinked_runtime_has_no_compiler_so_a_source_launch_fails(jlinked_java):
    modules = subprocess.run([jlinked_java, '--list-modules'], capture_output=True, text=True, check=True, timeout=120)
    assert 'jdk.compiler' not in modules.stdout and 'java.base' in modules.stdout
    launch = subprocess.run([jlinked_java, os.path.join(FILES, 'TrustCheck.java')], input='', capture_output=True,
                            text=True, check=False, timeout=120)
    assert launch.returncode != 0 and 'jdk.compiler' in launch.stderr


@pytest.mark.parametrize('runtime', ['jlinked_java', 'system_java'])
def test_the_class_checks_trust_and_names_in_the_jvm_it_runs_in(request, runtime, server, truststore, tmp_path):
    java = request.getfixturevalue(runtime)
    port = server['port']
    del Recorder.authorizations[:]
    trusted = run_check(java, tmp_path, [
        'property javax.net.ssl.trustStore=%s' % truststore,
        'property javax.net.ssl.trustStoreType=PKCS12',
        'property javax.net.ssl.trustStorePassword=%s' % STORE_PASSWORD,
        'check by-name https://localhost:%d/hermod/rest/command %s' % (port, AUTHORIZATION),
        'check by-address https://127.0.0.1:%d/hermod/rest/command' % port,
    ])
    assert trusted['by-name']['tls'] is True and trusted['by-name']['status'] == 200, trusted['by-name']
    assert Recorder.authorizations == [AUTHORIZATION]
    by_address = trusted['by-address']
    assert by_address['tls'] is False and by_address['handshake_failed'] is True, by_address
    assert 'No subject alternative names matching IP address 127.0.0.1' in by_address['cause']

    own_cacerts = run_check(java, tmp_path, ['check by-name https://localhost:%d/' % port])['by-name']
    assert own_cacerts['tls'] is False and own_cacerts['handshake_failed'] is True, own_cacerts
    assert 'PKIX path building failed' in own_cacerts['cause']
