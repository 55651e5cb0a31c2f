"""The build context of the execution environment, and the checks of its use (ee.sh).

    artifacts GALAXY_YML DIR            tarballs of the dependencies galaxy.yml declares
    definition EE_YML DIR WHEELS        the definition, with local tarballs and wheels
    pip-requirements CONTAINERFILE DIR  what the image pip-installs, one per line
    check-installed EE_YML              the image's collections (ansible-galaxy's list on stdin)
    check-run ARTIFACTS NAME            ansible-runner's status, rc and job events of a run

Galaxy and the package index are out of reach of the build: the collections
it installs are the tarballs in DIR (this collection's, built by
ansible-galaxy, and its dependencies' from the copies the ansible bundle
installed in this virtual environment) and pip installs from WHEELS only.
"""

import glob
import hashlib
import io
import json
import os
import re
import shlex
import sys
import sysconfig
import tarfile

import yaml

WHEELS_IN_IMAGE = '/opt/ee-wheels'


def fail(message):
    sys.exit('ee: ' + message)


def load(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def installed_copy(name):
    """The directory of a collection the ansible bundle installed beside ansible-core."""
    namespace, short = name.split('.')
    path = os.path.join(sysconfig.get_paths()['purelib'], 'ansible_collections', namespace, short)
    if not os.path.isfile(os.path.join(path, 'MANIFEST.json')):
        fail('%s is not installed in this virtual environment (%s)' % (name, path))
    return path


def sha256_of(path):
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def shipped_files(source):
    """FILES.json of the installed copy, less the entries the ansible bundle
    left out (its CI files, for one): ansible-galaxy extracts every entry
    FILES.json lists and fails on one that is missing. A file that differs
    from its recorded checksum is an error, not something to repackage."""
    with open(os.path.join(source, 'FILES.json'), encoding='utf-8') as handle:
        files = json.load(handle)
    kept = []
    for entry in files['files']:
        path = os.path.join(source, entry['name'])
        if entry['name'] != '.' and not os.path.lexists(path):
            continue
        if entry['ftype'] == 'file' and sha256_of(path) != entry['chksum_sha256']:
            fail('%s differs from the checksum in %s/FILES.json' % (path, source))
        kept.append(entry)
    files['files'] = kept
    return files, [entry['name'] for entry in kept if entry['name'] != '.']


def artifacts(galaxy_yml, target):
    """A collection artifact: MANIFEST.json, FILES.json and the files FILES.json
    lists, at the archive's root, as Galaxy serves it."""
    for name in sorted(load(galaxy_yml).get('dependencies') or {}):
        source = installed_copy(name)
        with open(os.path.join(source, 'MANIFEST.json'), encoding='utf-8') as handle:
            manifest = json.load(handle)
        files, members = shipped_files(source)
        files_json = json.dumps(files, indent=4).encode()
        manifest['file_manifest_file']['chksum_sha256'] = hashlib.sha256(files_json).hexdigest()
        version = manifest['collection_info']['version']
        path = os.path.join(target, '%s-%s.tar.gz' % (name.replace('.', '-'), version))
        with tarfile.open(path, 'w:gz') as archive:
            for member, data in (('MANIFEST.json', json.dumps(manifest, indent=4).encode()),
                                 ('FILES.json', files_json)):
                info = tarfile.TarInfo(member)
                info.size, info.mode = len(data), 0o644
                archive.addfile(info, io.BytesIO(data))
            for member in members:
                archive.add(os.path.join(source, member), arcname=member, recursive=False)
        print('ee: %s %s from %s' % (name, version, source))


def tarball_of(name, directory):
    found = glob.glob(os.path.join(directory, '%s-*.tar.gz' % name.replace('.', '-')))
    if len(found) != 1:
        fail('want one tarball of %s in %s, found %d' % (name, directory, len(found)))
    return os.path.basename(found[0])


def definition(ee_yml, collections, wheels):
    data = load(ee_yml)
    entries = data['dependencies']['galaxy']['collections']
    data['dependencies']['galaxy']['collections'] = [
        {'name': 'collections/' + tarball_of(entry['name'], collections), 'type': 'file'}
        for entry in entries]
    pip_conf = os.path.join(os.path.dirname(os.path.abspath(wheels)), 'pip', 'pip.conf')
    os.makedirs(os.path.dirname(pip_conf), exist_ok=True)
    with open(pip_conf, 'w', encoding='utf-8') as handle:
        handle.write('[global]\nno-index = true\nfind-links = %s\n' % WHEELS_IN_IMAGE)
    data.setdefault('additional_build_files', []).extend([
        {'src': os.path.abspath(collections), 'dest': 'collections'},
        {'src': os.path.abspath(wheels), 'dest': 'wheels'},
        {'src': pip_conf, 'dest': 'pip'},
    ])
    steps = data.setdefault('additional_build_steps', {})
    steps['prepend_base'] = list(steps.get('prepend_base') or []) + [
        'COPY _build/wheels %s' % WHEELS_IN_IMAGE,
        'COPY _build/pip/pip.conf /etc/pip.conf',
    ]
    steps['append_final'] = list(steps.get('append_final') or []) + [
        'RUN rm -rf %s /etc/pip.conf' % WHEELS_IN_IMAGE,
    ]
    yaml.safe_dump(data, sys.stdout, sort_keys=False)


def pip_requirements(containerfile, collections):
    """ansible-builder's own pip installs (ansible-core, ansible-runner,
    bindep, dumb-init: read from the Containerfile it generates) and the
    requirements files of every collection the image gets."""
    with open(containerfile, encoding='utf-8') as handle:
        text = handle.read()
    wanted = []
    refs = re.search(r'^ARG ANSIBLE_INSTALL_REFS="([^"]*)"', text, re.M)
    if refs:
        wanted.extend(refs.group(1).split())
    for line in re.findall(r'^RUN \$PYCMD -m pip install --no-cache-dir (.+)$', text, re.M):
        wanted.extend(word for word in shlex.split(line) if not word.startswith('$'))
    for tarball in sorted(glob.glob(os.path.join(collections, '*.tar.gz'))):
        with tarfile.open(tarball) as archive:
            names = archive.getnames()
            meta = 'meta/execution-environment.yml'
            python = None
            if meta in names:
                python = (yaml.safe_load(archive.extractfile(meta)).get('dependencies') or {}).get('python')
            elif 'requirements.txt' in names:
                python = 'requirements.txt'
            if python:
                for line in archive.extractfile(python).read().decode().splitlines():
                    if line.strip() and not line.lstrip().startswith('#'):
                        wanted.append(line.strip())
    print('\n'.join(wanted))


def check_installed(ee_yml):
    listed = {}
    for collections in (yaml.safe_load(sys.stdin) or {}).values():
        listed.update({name: info.get('version') for name, info in collections.items()})
    names = [entry['name'] for entry in load(ee_yml)['dependencies']['galaxy']['collections']]
    missing = [name for name in names if name not in listed]
    if missing:
        fail('the image lacks %s' % ', '.join(missing))
    print('ee: the image has %s' % ', '.join('%s %s' % (name, listed[name]) for name in names))


def check_run(artifacts_dir, name):
    def read(entry):
        path = os.path.join(artifacts_dir, entry)
        if not os.path.isfile(path):
            fail('%s: ansible-runner wrote no %s' % (name, path))
        with open(path, encoding='utf-8') as handle:
            return handle.read().strip()

    status, rc = read('status'), read('rc')
    events = []
    for path in glob.glob(os.path.join(artifacts_dir, 'job_events', '*.json')):
        with open(path, encoding='utf-8') as handle:
            events.append(json.load(handle))
    stats = [event['event_data'] for event in events if event.get('event') == 'playbook_on_stats']
    if not stats:
        fail('%s: no playbook_on_stats event among %d job events' % (name, len(events)))
    stats = stats[-1]
    hosts = sorted(set(stats.get('ok', {})) | set(stats.get('dark', {})) | set(stats.get('failures', {})))
    recap = ', '.join('%s ok=%d changed=%d failed=%d unreachable=%d' % (
        host, stats.get('ok', {}).get(host, 0), stats.get('changed', {}).get(host, 0),
        stats.get('failures', {}).get(host, 0), stats.get('dark', {}).get(host, 0)) for host in hosts)
    print('ee: %s: status %s, rc %s, %d job events; %s' % (name, status, rc, len(events), recap))
    if status != 'successful' or rc != '0' or not hosts:
        fail('%s: the run did not succeed' % name)
    if name == 'site' and any(stats.get('changed', {}).values()):
        fail('site: the demo was converged, yet the run from the image changed something')


def main(argv):
    commands = {
        'artifacts': (artifacts, 2),
        'definition': (definition, 3),
        'pip-requirements': (pip_requirements, 2),
        'check-installed': (check_installed, 1),
        'check-run': (check_run, 2),
    }
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    commands[argv[1]][0](*argv[2:])


if __name__ == '__main__':
    main(sys.argv)
