#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""java_truststore against community.general.java_cert, on localhost.

For each certificate count N: N self-signed certificates go into two copies
of the system cacerts, one with java_truststore (one task for all N), one
with java_cert (one task per certificate, a loop): a first run, a re-run
that changes nothing, and a second such re-run (which java_truststore
answers from the listing the re-run recorded), all in one ansible-playbook run. Wall times are the
task durations reported by the ansible.posix.json callback; keytool and
openssl processes are counted by wrappers put first on the tasks' PATH.

Usage (from the repository root, in the test virtual environment):
    python tests/benchmarks/java_truststore/run.py [--count N ...] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
PLAYBOOK = os.path.join(HERE, 'bench.yml')
CACERTS = '/etc/ssl/certs/java/cacerts'
PHASES = (
    ('java_cert', 'first', 'Add with java_cert, first run'),
    ('java_cert', 'rerun', 'Add with java_cert, re-run'),
    ('java_cert', 'again', 'Add with java_cert, second re-run'),
    ('java_truststore', 'first', 'Add with java_truststore, first run'),
    ('java_truststore', 'rerun', 'Add with java_truststore, re-run'),
    ('java_truststore', 'again', 'Add with java_truststore, second re-run'),
)
RUNS = (('first', 'first run'), ('rerun', 're-run, no change'), ('again', 'second re-run, no change'))
WRAPPER = """#!/bin/sh
# Counts one start of %(name)s in $BENCH_TOOL_LOG, then runs the real one.
if [ -n "$BENCH_TOOL_LOG" ]; then echo "%(name)s" >> "$BENCH_TOOL_LOG"; fi
exec %(real)s "$@"
"""


def write_certificates(directory, count):
    certs = []
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    for index in range(count):
        alias = 'bench-%03d' % index
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, alias)])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=7)).sign(key, hashes.SHA256()))
        path = os.path.join(directory, alias + '.pem')
        with open(path, 'wb') as handle:
            handle.write(cert.public_bytes(serialization.Encoding.PEM))
        certs.append({'alias': alias, 'path': path})
    return certs


def write_wrappers(directory):
    os.makedirs(directory)
    for name in ('keytool', 'openssl'):
        real = shutil.which(name)
        if real is None:
            sys.exit('%s is not on PATH' % name)
        path = os.path.join(directory, name)
        with open(path, 'w') as handle:
            handle.write(WRAPPER % {'name': name, 'real': real})
        os.chmod(path, 0o755)


def count_lines(path, word):
    if not os.path.exists(path):
        return 0
    with open(path) as handle:
        return sum(1 for line in handle if line.strip() == word)


def seconds(duration):
    start = datetime.datetime.fromisoformat(duration['start'].replace('Z', '+00:00'))
    end = datetime.datetime.fromisoformat(duration['end'].replace('Z', '+00:00'))
    return (end - start).total_seconds()


def store_entries(path):
    out = subprocess.run(['keytool', '-list', '-keystore', path, '-storepass:env', 'BENCH_STOREPASS'],
                         env=dict(os.environ, BENCH_STOREPASS='changeit', LC_ALL='C.UTF-8'),
                         capture_output=True, text=True, check=True).stdout
    entries, alias = {}, None
    for line in out.splitlines():
        if line.endswith('trustedCertEntry, '):
            alias = line.split(', ')[0]
        elif line.startswith('Certificate fingerprint (SHA-256): ') and alias:
            entries[alias] = line.split(': ', 1)[1]
            alias = None
    return entries


def run_once(count, keep):
    load_before = os.getloadavg()[0]
    work = tempfile.mkdtemp(prefix='java_truststore-bench-')
    try:
        certs_dir = os.path.join(work, 'certs')
        os.makedirs(certs_dir)
        wrappers = os.path.join(work, 'bin')
        write_wrappers(wrappers)
        extra = {
            'bench_dir': work,
            'bench_wrappers': wrappers,
            'bench_certs': write_certificates(certs_dir, count),
            'bench_cacerts_copy_java_cert': os.path.join(work, 'java_cert.jks'),
            'bench_cacerts_copy_java_truststore': os.path.join(work, 'java_truststore.jks'),
        }
        for key in ('bench_cacerts_copy_java_cert', 'bench_cacerts_copy_java_truststore'):
            shutil.copyfile(CACERTS, extra[key])
        vars_file = os.path.join(work, 'vars.json')
        with open(vars_file, 'w') as handle:
            json.dump(extra, handle)

        env = dict(os.environ)
        env.update({
            'ANSIBLE_COLLECTIONS_PATH': os.path.join(ROOT, 'tests', 'output', 'collections'),
            'ANSIBLE_STDOUT_CALLBACK': 'ansible.posix.json',
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        })
        playbook_bin = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
        cmd = [playbook_bin, '-i', 'localhost,', PLAYBOOK, '-e', '@' + vars_file,
               '-e', 'ansible_python_interpreter=%s' % sys.executable]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.exit('ansible-playbook failed (exit %d):\n%s\n%s' % (proc.returncode, proc.stdout[-5000:], proc.stderr))
        report = json.loads(proc.stdout)
        tasks = dict((task['task']['name'], task) for task in report['plays'][0]['tasks'])

        # Other work on the machine slows both sides; the ratio suffers less than the times.
        result = {'count': count, 'load_average': [round(load_before, 2), round(os.getloadavg()[0], 2)]}
        for module, phase, name in PHASES:
            task = tasks[name]
            host = task['hosts']['localhost']
            result['%s_%s' % (module, phase)] = {
                'seconds': round(seconds(task['task']['duration']), 2),
                'changed': bool(host.get('changed')),
                'keytool': count_lines(os.path.join(work, '%s-%s.log' % (module, phase)), 'keytool'),
                'openssl': count_lines(os.path.join(work, '%s-%s.log' % (module, phase)), 'openssl'),
            }
        # Same job: both copies must end with the same entries.
        same = store_entries(extra['bench_cacerts_copy_java_cert']) == store_entries(
            extra['bench_cacerts_copy_java_truststore'])
        result['same_result'] = same
        for phase, _label in RUNS:
            result['ratio_%s' % phase] = round(
                result['java_truststore_%s' % phase]['seconds'] / result['java_cert_%s' % phase]['seconds'], 3)
        unchanged = ['%s_%s' % (module, phase) for module in ('java_cert', 'java_truststore') for phase in ('rerun', 'again')]
        if not same or not result['java_truststore_first']['changed'] or not result['java_cert_first']['changed'] \
                or any(result[name]['changed'] for name in unchanged):
            sys.exit('benchmark runs did not behave as expected: %s' % json.dumps(result))
        return result
    finally:
        if keep:
            print('kept %s' % work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def machine():
    java = subprocess.run(['java', '-version'], capture_output=True, text=True, check=False).stderr.splitlines()
    return '%s, %d cores, Python %s, %s' % (
        platform.platform(terse=True), os.cpu_count(), platform.python_version(), java[0] if java else 'java ?')


def table(results):
    lines = [
        '| N | run | java_cert s | java_truststore s | ratio | keytool (java_cert / java_truststore) '
        '| openssl (java_cert) | load avg (start, end) |',
        '|---|-----|------------:|------------------:|------:|---------------------------------------'
        '|--------------------:|-----------------------|',
    ]
    for result in results:
        for phase, label in RUNS:
            jc = result['java_cert_%s' % phase]
            jt = result['java_truststore_%s' % phase]
            lines.append('| %d | %s | %.2f | %.2f | %.3f | %d / %d | %d | %.1f, %.1f |' % (
                result['count'], label, jc['seconds'], jt['seconds'], result['ratio_%s' % phase],
                jc['keytool'], jt['keytool'], jc['openssl'], result['load_average'][0], result['load_average'][1]))
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--count', type=int, nargs='+', default=[20],
                        help='numbers of certificates to benchmark (default: 20)')
    parser.add_argument('--json', help='also write the figures to this file')
    parser.add_argument('--keep', action='store_true', help='keep the working directories')
    args = parser.parse_args()
    if not os.path.exists(CACERTS):
        sys.exit('%s not found' % CACERTS)
    results = [run_once(count, args.keep) for count in args.count]
    print('Machine: %s' % machine())
    print(table(results))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump({'machine': machine(), 'results': results}, handle, indent=1)


if __name__ == '__main__':
    main()
