# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A wrong invocation of the harness stops at once with a message that says what to do.

setup.sh runs from a copy of tests/harness in a temporary checkout, so the
state and cache it would write land there; the commands it asks the system
(id, dpkg-query, apt-get) are replaced on PATH by fakes that play the case.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
# What env.sh and setup.sh need up to their checks; apt-get is left out on purpose.
TOOLS = ('bash', 'basename', 'dirname', 'sha256sum', 'cut', 'mkdir', 'grep', 'tail', 'env', 'cat', 'awk')


def write_tool(directory, name, body):
    path = os.path.join(directory, name)
    with open(path, 'w') as handle:
        handle.write('#!/bin/bash\n' + body + '\n')
    os.chmod(path, stat.S_IRWXU)


@pytest.fixture
def checkout(tmp_path):
    """A checkout holding only the harness, and a bin directory that is the whole PATH."""
    shutil.copytree(os.path.join(ROOT, 'tests', 'harness'), tmp_path / 'tests' / 'harness')
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool), bin_dir / tool)
    return tmp_path


def harness(checkout, script, *args, target='test', **fakes):
    for name, body in fakes.items():
        write_tool(str(checkout / 'bin'), name.replace('_', '-'), body)
    env = {'PATH': str(checkout / 'bin'), 'PHS_CACHE': str(checkout / 'cache'), 'PHS_TARGET': target}
    return subprocess.run(['bash', str(checkout / 'tests' / 'harness' / script)] + list(args), env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def setup_sh(checkout, **fakes):
    return harness(checkout, 'setup.sh', **fakes)


@pytest.mark.parametrize('script, args, target', [
    ('setup.sh', [], 'test'),
    ('demo.sh', ['down'], 'demo-destroy'),
    ('bench.sh', [], 'bench'),
    ('test.sh', [], 'test'),
])
def test_not_root(checkout, script, args, target):
    proc = harness(checkout, script, *args, target=target, id='echo 1000')
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == '%s: run as root (podman with systemd test hosts and apt-get need it); try: sudo make %s\n' % (
        script[:-3], target)
    # Stopped before it wrote anything: no state, no cache.
    assert not (checkout / 'tests' / 'output').exists() and not (checkout / 'cache').exists()


# podman is missing (dpkg-query knows no package) and cannot be installed.
@pytest.mark.parametrize('apt_get, messages', [
    (None, ['missing podman', 'no apt-get to install them', 'install them by hand']),
    ('echo "E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease"; exit 100',
     ['apt-get update failed, so podman ', 'install them by hand', 'E: Failed to fetch']),
    ('[ "$1" = update ] && exit 0\necho "E: Unable to locate package podman"; exit 100',
     ['apt-get could not install podman', 'install them by hand', 'E: Unable to locate package']),
], ids=['no apt-get', 'apt-get update fails', 'apt-get install fails'])
def test_podman_not_installable(checkout, apt_get, messages):
    fakes = {'id': 'echo 0', 'dpkg_query': 'exit 1'}
    if apt_get:
        fakes['apt_get'] = apt_get
    proc = setup_sh(checkout, **fakes)
    assert proc.returncode == 2, proc.stderr
    for message in messages:
        assert message in proc.stderr
    assert os.path.isfile(checkout / 'tests' / 'output' / 'harness' / 'apt.log') == bool(apt_get)


# A Debian 13 host: its apt offers OpenJDK 21 and no OpenJDK 17, so the JDK
# need is met by the first alternative the host's apt has a candidate for.
def test_alternatives_follow_what_apt_offers(checkout):
    policy = ('case $2 in openjdk-17-jdk-headless) echo "  Candidate: (none)" ;;\n'
              '  openjdk-21-jdk-headless) echo "  Candidate: 21.0.9+10-1" ;; esac')
    proc = setup_sh(checkout, id='echo 0', dpkg_query='exit 1', apt_cache=policy,
                    apt_get='[ "$1" = update ] && exit 0\necho "install $*"; exit 100')
    assert proc.returncode == 2, proc.stderr
    with open(checkout / 'tests' / 'output' / 'harness' / 'apt.log') as handle:
        installed = handle.read().split()
    assert 'openjdk-21-jdk-headless' in installed and 'openjdk-17-jdk-headless' not in installed
    assert 'iptables' in installed and 'podman' in installed


@pytest.mark.parametrize('args, env, messages', [
    (['molecule'], {'SCENARIOS': 'tomcat_package no_such_scenario'},
     ["test: unknown scenario 'no_such_scenario'; the scenarios are: ", ' tomcat_archive tomcat_package']),
    (['unit'], {}, ["test: unknown layer 'unit'; the layers are: units sanity lint build cores molecule"]),
])
def test_unknown_scenario_or_layer(args, env, messages):
    # The real harness: it stops before it runs a layer or starts a host.
    proc = subprocess.run([os.path.join(ROOT, 'tests', 'harness', 'test.sh')] + args, env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    for message in messages:
        assert message in proc.stderr
    assert proc.stdout == ''
