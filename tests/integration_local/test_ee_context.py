# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/harness/ee_context.py, which stages the execution environment's build (make ee)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SCRIPT = os.path.join(ROOT, 'tests', 'harness', 'ee_context.py')
SPEC = importlib.util.spec_from_file_location('ee_context', SCRIPT)
ee_context = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(ee_context)

DEFINITION = os.path.join(ROOT, 'meta', 'execution-environment.yml')


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def installed_collection(path, files, listed_only=()):
    """An installed collection as the ansible bundle ships it: FILES.json lists
    `files` and `listed_only`, but only `files` are on disk."""
    entries = [{'name': '.', 'ftype': 'dir', 'chksum_type': None, 'chksum_sha256': None, 'format': 1}]
    for name, data in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
        entries.append({'name': name, 'ftype': 'file', 'chksum_type': 'sha256', 'chksum_sha256': sha256(data), 'format': 1})
    for name in listed_only:
        entries.append({'name': name, 'ftype': 'dir', 'chksum_type': None, 'chksum_sha256': None, 'format': 1})
    (path / 'FILES.json').write_text(json.dumps({'files': entries, 'format': 1}))
    (path / 'MANIFEST.json').write_text(json.dumps({
        'collection_info': {'namespace': 'community', 'name': 'crypto', 'version': '3.0.5'},
        'file_manifest_file': {'name': 'FILES.json', 'ftype': 'file', 'chksum_type': 'sha256',
                               'chksum_sha256': 'x', 'format': 1},
        'format': 1}))


def test_an_artifact_lists_only_the_files_the_bundle_ships(tmp_path, monkeypatch):
    source = tmp_path / 'installed'
    source.mkdir()
    installed_collection(source, {'plugins/modules/a.py': b'# a\n', 'meta/runtime.yml': b'---\n'},
                         listed_only=['.azure-pipelines'])
    (source / '__pycache__').mkdir()
    monkeypatch.setattr(ee_context, 'installed_copy', lambda name: str(source))
    galaxy = tmp_path / 'galaxy.yml'
    galaxy.write_text('dependencies:\n  community.crypto: ">=2.22.0"\n')
    target = tmp_path / 'out'
    target.mkdir()
    ee_context.artifacts(str(galaxy), str(target))
    with tarfile.open(target / 'community-crypto-3.0.5.tar.gz') as archive:
        names = archive.getnames()
        files = json.loads(archive.extractfile('FILES.json').read())
        manifest = json.loads(archive.extractfile('MANIFEST.json').read())
        files_json = archive.extractfile('FILES.json').read()
    assert sorted(names) == ['FILES.json', 'MANIFEST.json', 'meta/runtime.yml', 'plugins/modules/a.py']
    assert [entry['name'] for entry in files['files']] == ['.', 'plugins/modules/a.py', 'meta/runtime.yml']
    assert manifest['file_manifest_file']['chksum_sha256'] == sha256(files_json)


def test_a_changed_file_is_refused_rather_than_repackaged(tmp_path):
    installed_collection(tmp_path, {'plugins/modules/a.py': b'# a\n'})
    (tmp_path / 'plugins/modules/a.py').write_bytes(b'# changed\n')
    with pytest.raises(SystemExit, match='differs from the checksum'):
        ee_context.shipped_files(str(tmp_path))


def test_the_definition_gets_the_local_tarballs_and_wheels(tmp_path, capsys):
    collections = tmp_path / 'collections'
    collections.mkdir()
    for name in ('prime_hermod-stack-0.2.0.tar.gz', 'community-crypto-3.0.5.tar.gz'):
        (collections / name).write_bytes(b'')
    wheels = tmp_path / 'wheels'
    wheels.mkdir()
    ee_context.definition(DEFINITION, str(collections), str(wheels))
    staged = yaml.safe_load(capsys.readouterr().out)
    original = yaml.safe_load(open(DEFINITION, encoding='utf-8'))
    assert staged['dependencies']['galaxy']['collections'] == [
        {'name': 'collections/prime_hermod-stack-0.2.0.tar.gz', 'type': 'file'},
        {'name': 'collections/community-crypto-3.0.5.tar.gz', 'type': 'file'}]
    assert {entry['dest'] for entry in staged['additional_build_files']} == {'collections', 'wheels', 'pip'}
    prepend = staged['additional_build_steps']['prepend_base']
    assert prepend[:len(original['additional_build_steps']['prepend_base'])] == \
        original['additional_build_steps']['prepend_base']
    assert 'COPY _build/pip/pip.conf /etc/pip.conf' in prepend
    assert staged['additional_build_steps']['append_final'][-1] == 'RUN rm -rf /opt/ee-wheels /etc/pip.conf'
    assert (tmp_path / 'pip' / 'pip.conf').read_text() == '[global]\nno-index = true\nfind-links = /opt/ee-wheels\n'
    for key in ('images', 'options', 'build_arg_defaults'):
        assert staged[key] == original[key]


def test_a_collection_without_its_tarball_is_an_error(tmp_path):
    (tmp_path / 'wheels').mkdir()
    with pytest.raises(SystemExit, match='want one tarball of prime_hermod.stack'):
        ee_context.definition(DEFINITION, str(tmp_path), str(tmp_path / 'wheels'))


def test_the_wheels_cover_the_builders_installs_and_the_collections_requirements(tmp_path, capsys):
    containerfile = tmp_path / 'Containerfile'
    containerfile.write_text('ARG ANSIBLE_INSTALL_REFS="ansible-core>=2.16,<2.22 ansible-runner>=2.4,<2.5"\n'
                             'RUN $PYCMD -m pip install --no-cache-dir $ANSIBLE_INSTALL_REFS\n'
                             'RUN $PYCMD -m pip install --no-cache-dir bindep pyyaml packaging\n'
                             "RUN $PYCMD -m pip install --no-cache-dir 'dumb-init==1.2.5'\n")
    meta = b'version: 1\ndependencies:\n  python: meta/ee-requirements.txt\n'
    with tarfile.open(tmp_path / 'community-crypto-3.0.5.tar.gz', 'w:gz') as archive:
        for name, data in (('meta/execution-environment.yml', meta), ('meta/ee-requirements.txt', b'# x\nPyYAML\n')):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    ee_context.pip_requirements(str(containerfile), str(tmp_path))
    assert capsys.readouterr().out.split('\n')[:-1] == [
        'ansible-core>=2.16,<2.22', 'ansible-runner>=2.4,<2.5', 'bindep', 'pyyaml', 'packaging', 'dumb-init==1.2.5', 'PyYAML']


def runner_artifacts(path, status='successful', rc='0', changed=0):
    (path / 'job_events').mkdir(parents=True)
    (path / 'status').write_text(status)
    (path / 'rc').write_text(rc)
    (path / 'job_events' / '1-a.json').write_text(json.dumps({'event': 'playbook_on_start', 'event_data': {}}))
    (path / 'job_events' / '2-b.json').write_text(json.dumps({'event': 'playbook_on_stats', 'event_data': {
        'ok': {'demo-db': 40, 'demo-hermod': 90}, 'changed': {'demo-hermod': changed} if changed else {},
        'failures': {}, 'dark': {}}}))


def test_a_run_that_changed_nothing_passes(tmp_path, capsys):
    runner_artifacts(tmp_path)
    ee_context.check_run(str(tmp_path), 'site')
    assert capsys.readouterr().out == (
        'ee: site: status successful, rc 0, 2 job events; demo-db ok=40 changed=0 failed=0 unreachable=0, '
        'demo-hermod ok=90 changed=0 failed=0 unreachable=0\n')


@pytest.mark.parametrize('kwargs, message', [
    ({'changed': 2}, 'yet the run from the image changed something'),
    ({'status': 'failed', 'rc': '2'}, 'the run did not succeed'),
])
def test_a_run_that_changed_or_failed_fails(tmp_path, kwargs, message):
    runner_artifacts(tmp_path, **kwargs)
    with pytest.raises(SystemExit, match=message):
        ee_context.check_run(str(tmp_path), 'site')


def test_a_run_without_artifacts_fails(tmp_path):
    result = subprocess.run([sys.executable, SCRIPT, 'check-run', str(tmp_path), 'verify'],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert 'ansible-runner wrote no' in result.stderr
