# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in PRIME and Hermod webapps, in one real Tomcat 10.1 JVM.

One podman container from the test base image gets Debian's tomcat10, an
HTTPS connector with a self-signed certificate for `localhost`, a dedicated
truststore holding that certificate, and both stand-ins as exploded webapps
with their configuration written the way the roles write it. The checks then
drive the real exchange over HTTPS and its failure modes: a wrong key, wrong
callback credentials, a certificate whose names do not cover the host, and a
JVM that does not trust the peer.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
STANDIN = os.path.join(ROOT, 'tests', 'fixtures', 'standin')
CONTAINER = 'phs-standin-selftest'
PORT = 8443
BASE = 'https://localhost:%d' % PORT
CERT_IN_CONTAINER = '/root/standin-cert.pem'
CONF = '/etc/tomcat10'
WEBAPPS = '/var/lib/tomcat10/webapps'
STORE_PASSWORD_ENV = 'PHS_STANDIN_STOREPASS'


def base_image():
    image = os.environ.get('PHS_BASE_IMAGE')
    state = os.path.join(ROOT, 'tests', 'output', 'harness', 'base-image')
    if not image and os.path.isfile(state):
        with open(state, encoding='utf-8') as handle:
            image = handle.read().strip()
    return image


def podman(*args, stdin=None, check=True, timeout=300):
    result = subprocess.run(['podman'] + list(args), input=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise AssertionError('podman %s failed (exit %d): %s' % (args[0], result.returncode, result.stderr.strip()))
    return result


def in_container(script, stdin=None, check=True, timeout=300):
    return podman('exec', '-i', CONTAINER, 'sh', '-ec', script, stdin=stdin, check=check, timeout=timeout)


def put(content, path, mode='0644', owner='root:root'):
    """Writes a file in the container through stdin, so secrets stay off every command line."""
    in_container('cat > %s && chmod %s %s && chown %s %s' % (path, mode, path, owner, path), stdin=content)


def keytool(*args, store_password):
    env = dict(os.environ, **{STORE_PASSWORD_ENV: store_password})
    subprocess.run(['keytool'] + list(args), env=env, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def self_signed(directory, name, store_password, dname='CN=localhost'):
    """A PKCS#12 keystore holding a key and a self-signed certificate for localhost; returns (keystore, PEM)."""
    keystore = os.path.join(directory, name + '.p12')
    keytool('-genkeypair', '-alias', name, '-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', '7',
            '-dname', dname, '-ext', 'san=dns:localhost', '-keystore', keystore, '-storetype', 'PKCS12',
            '-storepass:env', STORE_PASSWORD_ENV, store_password=store_password)
    pem = os.path.join(directory, name + '.pem')
    keytool('-exportcert', '-rfc', '-alias', name, '-keystore', keystore, '-storepass:env', STORE_PASSWORD_ENV,
            '-file', pem, store_password=store_password)
    return keystore, pem


def truststore(directory, name, pem, store_password):
    """A truststore the JVM reads without a password (no password on Tomcat's command line)."""
    path = os.path.join(directory, name + '.p12')
    keytool('-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE', '-J-Dkeystore.pkcs12.macAlgorithm=NONE',
            '-importcert', '-noprompt', '-alias', 'peer', '-file', pem, '-keystore', path, '-storetype', 'PKCS12',
            '-storepass:env', STORE_PASSWORD_ENV, store_password=store_password)
    return path


def x_api_key(client_id, key):
    return base64.b64encode(('%s:%s' % (client_id, key)).encode()).decode()


def request(method, path, headers=None, timeout=60):
    """An HTTPS request from inside the container; returns (status, parsed JSON or text, response headers)."""
    lines = ''.join('%s: %s\n' % item for item in (headers or {}).items())
    result = in_container(
        'curl -sS --max-time %d --cacert %s -X %s -H @- -D /dev/stderr -o /dev/stdout -w "\\n%%{http_code}" %s%s'
        % (timeout, CERT_IN_CONTAINER, method, BASE, path), stdin=lines, check=False, timeout=timeout + 30)
    body, _newline, status = result.stdout.rpartition('\n')
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = body
    return int(status or 0), parsed, result.stderr


SERVER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="{port}" protocol="org.apache.coyote.http11.Http11NioProtocol" SSLEnabled="true" maxThreads="50">
      <SSLHostConfig>
        <Certificate certificateKeystoreFile="{conf}/standin-keystore.p12" certificateKeystoreType="PKCS12"
                     certificateKeystorePassword="{password}"/>
      </SSLHostConfig>
    </Connector>
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
    </Engine>
  </Service>
</Server>
"""


def java_opts(truststore_name):
    # C1 only: the test host has two cores and the JVM starts twice; peak speed does not matter here.
    return ('JAVA_OPTS="-Djava.awt.headless=true -XX:TieredStopAtLevel=1 '
            '-Djavax.net.ssl.trustStore=%s/%s.p12 -Djavax.net.ssl.trustStoreType=PKCS12"\n' % (CONF, truststore_name))


def apt_install(*packages):
    """apt-get install, waiting while another host that shares the package archive holds its lock."""
    install = 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ' + ' '.join(packages)
    updated = False
    deadline = time.monotonic() + 300
    while True:
        result = in_container(install, check=False)
        if result.returncode == 0:
            return
        if 'Could not get lock' in result.stderr and time.monotonic() < deadline:
            time.sleep(3)
        elif not updated:
            # Package lists older than the mirror name files it no longer has.
            in_container('apt-get update -q', check=False)
            updated = True
        else:
            raise AssertionError('apt-get install %s failed: %s' % (' '.join(packages), result.stderr.strip()))


def restart_tomcat():
    in_container('systemctl restart tomcat10')
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        status = request('GET', '/hermod/rest/ms/health', timeout=10)[0]
        if status == 200:
            return
        time.sleep(1)
    logs = in_container('journalctl -u tomcat10 --no-pager -n 60', check=False).stdout
    raise AssertionError('Tomcat did not serve the stand-in Hermod within 90 s; its journal:\n' + logs)


class Stack:
    """What the checks need to know about the deployed pair."""

    def __init__(self, store_password):
        self.keys = {name: secrets.token_hex(32) for name in ('prime', 'wrongauth', 'badhost')}
        self.callback_password = secrets.token_urlsafe(16)
        self.db_password = secrets.token_urlsafe(16)
        self.store_password = store_password

    def api_key(self, client):
        return x_api_key(client, self.keys[client])

    def cod_hermod_yml(self):
        callback = BASE + '/prime_explorer/ws/hermod'
        good_auth = 'primeuser:' + self.callback_password
        # Relaxed spellings on purpose: Spring binds client-id and clientId alike.
        return """application:
  hermod:
    publicUrl: {base}/hermod/rest/ms
    rest: {{log: false, hideExceptions: true}}
    callback: {{attempts: 1, retryDelay: 30}}
    allowed-clients:
      - clientId: prime
        key: {prime}
        group: acme
        callbackUrl: {callback}
        callbackBasicAuth: {good}
      - client-id: wrongauth
        key: {wrongauth}
        group: acme
        callback-url: {callback}
        callback-basic-auth: primeuser:not-the-password
      - clientId: badhost
        key: {badhost}
        group: acme
        callbackUrl: https://127.0.0.1:{port}/prime_explorer/ws/hermod
        callbackBasicAuth: {good}
spring:
  datasource:
    url: jdbc:postgresql://127.0.0.1:9/hermod?sslmode=disable
    username: hermod
    password: {db_password}
    driver-class-name: org.postgresql.Driver
""".format(base=BASE, port=PORT, callback=callback, good=good_auth, db_password=self.db_password, **self.keys)

    def system_properties(self, token, url_key=None):
        # The real key name of the Hermod URL is not public; a deployment may name its own.
        lines = ['# PRIME Explorer system settings (stand-in test fixture).',
                 'authenticationToken=' + token,
                 '%s=%s/hermod/rest/ms' % (url_key or 'hermod.url', BASE),
                 'standin.callbackBasicAuth=primeuser:' + self.callback_password]
        if url_key:
            lines.append('standin.hermodUrlKey=' + url_key)
        return '\n'.join(lines) + '\n'

    def secrets(self):
        return list(self.keys.values()) + [self.callback_password, self.db_password, self.store_password]


@pytest.fixture(scope='module')
def stack(tmp_path_factory):
    image = base_image()
    if shutil.which('podman') is None or shutil.which('keytool') is None or not image:
        pytest.skip('needs podman, keytool and the test base image (make setup)')
    os.environ.setdefault('CONTAINERS_CONF', os.path.join(ROOT, 'tests', 'harness', 'containers.conf'))
    cache = os.environ.get('PHS_CACHE') or '/var/cache/prime-hermod-stack'
    started = time.monotonic()

    def phase(name):
        # Shown by pytest when a check fails: where the set-up spent its time.
        print('%6.1fs %s' % (time.monotonic() - started, name))

    work = str(tmp_path_factory.mktemp('standin'))
    wars = os.path.join(work, 'wars')
    subprocess.run([sys.executable, os.path.join(STANDIN, 'build.py'), wars, '--exploded'], check=True,
                   stdout=subprocess.PIPE)

    store_password = secrets.token_urlsafe(18)
    keystore, cert = self_signed(work, 'standin', store_password)
    # Another subject: a certificate with the same one would fail differently
    # ("PKIX path validation failed: signature check failed").
    other_cert = self_signed(work, 'unrelated', store_password, dname='CN=unrelated')[1]
    trusted = truststore(work, 'trusted', cert, store_password)
    untrusted = truststore(work, 'untrusted', other_cert, store_password)

    phase('wars built, keystores written')
    podman('rm', '-f', '-t', '0', CONTAINER, check=False)
    os.makedirs(os.path.join(cache, 'apt-archives'), exist_ok=True)
    podman('run', '-d', '--name', CONTAINER, '--systemd=always', '--tmpfs', '/tmp:rw,exec',
           '-v', '%s/apt-archives:/var/cache/apt/archives' % cache, image, '/sbin/init')
    try:
        podman('exec', CONTAINER, 'systemctl', 'is-system-running', '--wait', check=False, timeout=120)
        phase('container booted')
        apt_install('tomcat10', 'curl')
        phase('tomcat10 installed')
        in_container('systemctl stop tomcat10')

        for source, name in ((keystore, 'standin-keystore'), (trusted, 'standin-trusted'),
                             (untrusted, 'standin-untrusted')):
            podman('cp', source, '%s:%s/%s.p12' % (CONTAINER, CONF, name))
            in_container('chown root:tomcat {0}/{1}.p12 && chmod 0640 {0}/{1}.p12'.format(CONF, name))
        podman('cp', cert, '%s:%s' % (CONTAINER, CERT_IN_CONTAINER))
        put(SERVER_XML.format(port=PORT, conf=CONF, password=store_password), CONF + '/server.xml',
            mode='0640', owner='root:tomcat')
        put(java_opts('standin-trusted'), '/etc/default/tomcat10')

        deployed = Stack(store_password)
        in_container('rm -rf {0}/ROOT {0}/hermod {0}/prime_explorer {0}/prime_wrongkey'.format(WEBAPPS))
        for source, context in (('hermod', 'hermod'), ('prime_explorer', 'prime_explorer'),
                                ('prime_explorer', 'prime_wrongkey')):
            podman('cp', os.path.join(wars, source), '%s:%s/%s' % (CONTAINER, WEBAPPS, context))
        put(deployed.cod_hermod_yml(), WEBAPPS + '/hermod/WEB-INF/classes/cod-hermod.yml', '0640', 'root:tomcat')
        put(deployed.system_properties(deployed.api_key('prime')),
            WEBAPPS + '/prime_explorer/WEB-INF/classes/system.properties', '0640', 'root:tomcat')
        put(deployed.system_properties(x_api_key('prime', 'f' * 64), url_key='hermodServer.url'),
            WEBAPPS + '/prime_wrongkey/WEB-INF/classes/system.properties', '0640', 'root:tomcat')
        restart_tomcat()
        phase('stand-ins deployed and answering')
        yield deployed
    finally:
        podman('rm', '-f', '-t', '0', CONTAINER, check=False)


def test_health_lists_clients_without_secrets(stack):
    status, body = request('GET', '/hermod/rest/ms/health')[:2]
    assert status == 200, body
    assert body['status'] == 'UP'
    assert body['clients'] == 3
    assert body['clientIds'] == ['prime', 'wrongauth', 'badhost']
    assert body['publicUrl'] == BASE + '/hermod/rest/ms'
    assert body['config'].endswith('/WEB-INF/classes/cod-hermod.yml')
    assert not any(secret in json.dumps(body) for secret in stack.secrets())


def test_roundtrip_passes(stack):
    for method in ('GET', 'POST'):
        status, body = request(method, '/prime_explorer/standin/roundtrip')[:2]
        assert status == 200, body
        assert body['ok'] is True
        assert body['clientId'] == 'prime'
        assert body['hermod']['url'] == BASE + '/hermod/rest/command'
        assert body['hermod']['status'] == 200
        assert body['hermod']['body'] == {
            'client': 'prime', 'callback': {'url': BASE + '/prime_explorer/ws/hermod', 'status': 200}}
        assert body['callback'] == {'received': True, 'authenticated': True}


def test_prime_status_shows_what_it_read(stack):
    status, body = request('GET', '/prime_explorer/standin/status')[:2]
    assert status == 200, body
    assert body['authenticationToken'] == 'set'
    assert body['hermodUrlKey'] == 'hermod.url'
    assert body['commandUrl'] == BASE + '/hermod/rest/command'
    assert body['callbackCredentials'] == 1
    assert body['lastCallback']['ok'] is True
    assert not any(secret in json.dumps(body) for secret in stack.secrets())


@pytest.mark.parametrize('api_key', [
    None,
    x_api_key('prime', '0' * 64),
    x_api_key('nobody', '0' * 64),
    'not base64 at all',
], ids=['missing', 'wrong key', 'unknown client', 'not base64'])
def test_wrong_or_missing_key_is_refused(stack, api_key):
    headers = {'X-Api-Key': api_key} if api_key else {}
    status, body = request('POST', '/hermod/rest/command', headers)[:2]
    assert status == 401, body
    assert body == {'error': 'invalid or missing X-Api-Key'}


def test_command_needs_post(stack):
    status, _body, headers = request('GET', '/hermod/rest/command', {'X-Api-Key': stack.api_key('prime')})
    assert status == 405
    assert 'Allow: POST' in headers


def test_hermod_url_key_is_configurable(stack):
    status, body = request('GET', '/prime_wrongkey/standin/status')[:2]
    assert status == 200, body
    assert body['hermodUrlKey'] == 'hermodServer.url'
    assert body['commandUrl'] == BASE + '/hermod/rest/command'


def test_roundtrip_with_a_wrong_token_reports_hermods_401(stack):
    status, body = request('GET', '/prime_wrongkey/standin/roundtrip')[:2]
    assert status == 502, body
    assert body['ok'] is False
    assert body['hermod']['status'] == 401
    assert body['hermod']['body'] == {'error': 'invalid or missing X-Api-Key'}
    assert body['callback'] == {'received': False, 'authenticated': False}


def test_wrong_callback_credentials_are_reported_as_401(stack):
    status, body = request('POST', '/hermod/rest/command', {'X-Api-Key': stack.api_key('wrongauth')})[:2]
    assert status == 502, body
    assert body['error'] == 'callback failed'
    assert body['callback']['status'] == 401
    assert 'HTTP 401' in body['cause']


def test_callback_endpoint_requires_basic_auth(stack):
    status, body, headers = request('POST', '/prime_explorer/ws/hermod')
    assert status == 401, body
    assert 'WWW-Authenticate: Basic' in headers
    wrong = base64.b64encode(b'primeuser:wrong').decode()
    status = request('POST', '/prime_explorer/ws/hermod', {'Authorization': 'Basic ' + wrong})[0]
    assert status == 401
    right = base64.b64encode(('primeuser:' + stack.callback_password).encode()).decode()
    status, body = request('GET', '/prime_explorer/ws/hermod', {'Authorization': 'Basic ' + right})[:2]
    assert status == 200, body
    assert body['recorded'] is False


def test_callback_hostname_is_verified(stack):
    status, body = request('POST', '/hermod/rest/command', {'X-Api-Key': stack.api_key('badhost')})[:2]
    assert status == 502, body
    assert body['error'] == 'callback failed'
    assert 'SSLHandshakeException' in body['cause']
    assert '127.0.0.1' in body['cause']


def test_db_check_uses_the_configured_driver(stack):
    status, body = request('GET', '/hermod/rest/ms/db')[:2]
    assert status == 503, body
    assert body['datasource'] == {'url': 'jdbc:postgresql://127.0.0.1:9/hermod', 'username': 'hermod',
                                  'driver': 'org.postgresql.Driver', 'connected': False}
    assert 'org.postgresql.util.PSQLException' in body['cause']
    assert stack.db_password not in json.dumps(body)


def test_no_secret_in_the_logs(stack):
    logs = in_container('journalctl -u tomcat10 --no-pager; cat /var/log/tomcat10/* 2>/dev/null || true').stdout
    assert 'hermod-standin: command from prime' in logs
    assert not any(secret in logs for secret in stack.secrets())


def test_untrusted_peer_fails_on_the_tls_handshake(stack):
    """Last: the JVM restarts with a truststore that lacks the certificate."""
    put(java_opts('standin-untrusted'), '/etc/default/tomcat10')
    restart_tomcat()
    status, body = request('POST', '/hermod/rest/command', {'X-Api-Key': stack.api_key('prime')})[:2]
    assert status == 502, body
    assert body['error'] == 'callback failed'
    # JDK 17 updates put the TLS alert before the reason: "(certificate_unknown) PKIX ...".
    assert body['cause'].startswith('javax.net.ssl.SSLHandshakeException: ')
    assert 'PKIX path building failed' in body['cause']
    status, body = request('GET', '/prime_explorer/standin/roundtrip')[:2]
    assert status == 502, body
    assert body['hermod']['status'] is None
    assert 'PKIX path building failed' in body['hermod']['cause']
