# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""java_properties end to end on real files: changes, check mode, diff masking, modes, backups,
symbolic links, locking; what the module writes is read back by java.util.Properties (see conftest.py)."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import stat
import sys
import time

import pytest

from ansible_collections.prime_hermod.stack.plugins.modules import java_properties
from ansible_collections.prime_hermod.stack.tests.unit.plugins.modules import module_calls

SECRET = 'cHJpbWU6c2VjcmV0LWtleS0xMjM0NQ=='
VENDOR = (
    '# PRIME Explorer system settings.\n'
    'system.name=PRIME Explorer\n'
    'db.password = vendor-db-pw\n'
    '\n'
    '# Hermod\n'
    'authenticationToken=\n'
    'list = a, \\\n'
    '       b\n'
    '#provisionCallback.deviceNameField=deviceName\n'
)


def call_main(args, check=False, diff=False):
    return module_calls.call_main(java_properties.main, args, check, diff)


@pytest.fixture
def module():
    def call(args, check=False, diff=False, expect_failure=False):
        return module_calls.expect(*call_main(args, check, diff), failure=expect_failure)
    return call


@pytest.fixture
def vendor_file(tmp_path):
    path = tmp_path / 'system.properties'
    path.write_text(VENDOR)
    os.chmod(path, 0o640)
    return path


def managed(path, **extra):
    args = {
        'path': str(path),
        'properties': {'hermod.url': 'https://hermod:28443/hermod/rest/command',
                       'provisionCallback.deviceNameField': 'deviceName'},
        'secret_properties': {'authenticationToken': SECRET},
    }
    args.update(extra)
    return args


def test_sets_keys_and_leaves_the_rest(module, vendor_file):
    result = module(managed(vendor_file))
    assert result['changed']
    assert result['changed_keys'] == ['hermod.url', 'provisionCallback.deviceNameField', 'authenticationToken']
    assert vendor_file.read_text() == VENDOR.replace(
        'authenticationToken=\n', 'authenticationToken=%s\n' % SECRET) + (
        'hermod.url=https://hermod:28443/hermod/rest/command\n'
        'provisionCallback.deviceNameField=deviceName\n')
    assert stat.S_IMODE(os.stat(vendor_file).st_mode) == 0o640


def test_second_run_changes_nothing(module, vendor_file):
    module(managed(vendor_file))
    content = vendor_file.read_bytes()
    result = module(managed(vendor_file), diff=True)
    assert not result['changed'] and result['changed_keys'] == []
    assert vendor_file.read_bytes() == content


def test_check_mode_reports_without_writing(module, vendor_file):
    result = module(managed(vendor_file, mode='0600'), check=True, diff=True)
    assert result['changed']
    assert result['changed_keys'] == ['hermod.url', 'provisionCallback.deviceNameField', 'authenticationToken']
    assert vendor_file.read_text() == VENDOR
    assert stat.S_IMODE(os.stat(vendor_file).st_mode) == 0o640
    assert os.listdir(vendor_file.parent) == ['system.properties']
    # The same arguments for real make exactly the change check mode announced.
    assert module(managed(vendor_file, mode='0600'))['changed_keys'] == result['changed_keys']
    assert not module(managed(vendor_file, mode='0600'), check=True)['changed']


def test_diff_masks_secrets_and_output_never_holds_them(module, vendor_file):
    result = module(managed(vendor_file, secret_keys=['db.password']), diff=True)
    diff = result['diff']
    assert 'authenticationToken=\n' in diff['before']
    assert 'authenticationToken=******** (changed)\n' in diff['after']
    assert 'db.password = ********\n' in diff['before'] and 'db.password = ********\n' in diff['after']
    assert 'hermod.url=https://hermod:28443/hermod/rest/command\n' in diff['after']
    assert SECRET not in result['_raw'] and 'vendor-db-pw' not in result['_raw']

    rotated = module(managed(vendor_file, secret_properties={'authenticationToken': 'bmV3OmtleQ=='}), diff=True)
    assert rotated['changed_keys'] == ['authenticationToken']
    assert 'authenticationToken=********\n' in rotated['diff']['before']
    assert 'authenticationToken=******** (changed)\n' in rotated['diff']['after']
    assert SECRET not in rotated['_raw'] and 'bmV3OmtleQ==' not in rotated['_raw']


def test_failure_output_holds_no_secret(module, tmp_path):
    result = module(managed(tmp_path / 'missing.properties'), expect_failure=True)
    assert 'does not exist' in result['msg'] and SECRET not in result['_raw']


def test_null_value_and_state_absent_remove(module, vendor_file):
    result = module({'path': str(vendor_file), 'properties': {'list': None, 'nothing': None}})
    assert result['changed_keys'] == ['list']
    assert 'list' not in vendor_file.read_text() and 'b\n' not in vendor_file.read_text()
    result = module({'path': str(vendor_file), 'state': 'absent', 'properties': {'system.name': 'ignored'}})
    assert result['changed_keys'] == ['system.name']
    assert vendor_file.read_text() == (
        '# PRIME Explorer system settings.\ndb.password = vendor-db-pw\n\n# Hermod\nauthenticationToken=\n'
        '#provisionCallback.deviceNameField=deviceName\n')


def test_value_types_are_written_as_java_reads_them(module, vendor_file):
    module({'path': str(vendor_file), 'properties': {'flag': True, 'off': False, 'n': 30, 'f': 1.5}})
    assert vendor_file.read_text().endswith('flag=true\noff=false\nn=30\nf=1.5\n')
    bad = module({'path': str(vendor_file), 'properties': {'list': [1, 2]}}, expect_failure=True)
    assert 'the value of list must be a string' in bad['msg']


def test_key_in_both_options_is_refused(module, vendor_file):
    result = module({'path': str(vendor_file), 'properties': {'a': '1'}, 'secret_properties': {'a': '2'}},
                    expect_failure=True)
    assert 'a is given in both' in result['msg']
    assert vendor_file.read_text() == VENDOR


def test_missing_file_without_create_fails(module, tmp_path):
    result = module({'path': str(tmp_path / 'nope'), 'properties': {'a': '1'}}, expect_failure=True)
    assert 'set create=true' in result['msg']
    assert not (tmp_path / 'nope').exists()


def test_create_makes_a_private_file(module, tmp_path):
    path = tmp_path / 'new.properties'
    result = module({'path': str(path), 'create': True, 'secret_properties': {'token': SECRET}}, check=True)
    assert result['changed'] and result['created'] and not path.exists()
    result = module({'path': str(path), 'create': True, 'secret_properties': {'token': SECRET}})
    assert result['created'] and path.read_text() == 'token=%s\n' % SECRET
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    result = module({'path': str(path), 'create': True, 'secret_properties': {'token': SECRET}, 'mode': '0640'},
                    diff=True)
    assert result['changed'] and result['changed_keys'] == []
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_mode_is_kept_when_not_given(module, vendor_file):
    os.chmod(vendor_file, 0o604)
    module(managed(vendor_file))
    assert stat.S_IMODE(os.stat(vendor_file).st_mode) == 0o604


def test_backup_keeps_the_original(module, vendor_file):
    result = module(managed(vendor_file, backup=True))
    assert open(result['backup_file']).read() == VENDOR
    assert 'backup_file' not in module(managed(vendor_file, backup=True))


def test_malformed_file_fails_without_change(module, tmp_path):
    path = tmp_path / 'bad.properties'
    path.write_bytes(b'ok=1\nbad=\\uZZZZ\n')
    result = module({'path': str(path), 'properties': {'ok': '2'}}, expect_failure=True)
    assert 'line 2: malformed' in result['msg']
    assert path.read_bytes() == b'ok=1\nbad=\\uZZZZ\n'


def test_directory_is_refused(module, tmp_path):
    assert 'is a directory' in module({'path': str(tmp_path), 'properties': {'a': '1'}}, expect_failure=True)['msg']


def test_only_the_lock_file_is_left_behind(module, vendor_file):
    module(managed(vendor_file))
    assert sorted(os.listdir(vendor_file.parent)) == ['.system.properties.lock', 'system.properties']
    assert stat.S_IMODE(os.stat(vendor_file.parent / '.system.properties.lock').st_mode) & 0o002 == 0


# Keys the prime role sets, each alone on its line: an empty value, which Java allows.
KEY_ONLY_VENDOR = (
    '! PRIME Explorer\n'
    'system.name=PRIME Explorer\n'
    'provisionCallback.deviceNameField\n'
    'authenticationToken\n'
)

# name -> (original text, properties); each file is run through the module.
JAVA_CASES = {
    'key_only': (KEY_ONLY_VENDOR, {'provisionCallback.deviceNameField': 'deviceName', 'authenticationToken': SECRET}),
    'separator_styles': ('a=1\nb:2\nc 3\nd\t4\n  e  =  5\nf : 6\n',
                         {'a': '=x', 'b': ':x', 'c': '=x', 'd': ':x', 'e': ' x', 'f': '\tx', 'g': '=:'}),
    'leading_whitespace': ('k old\nk2=old\n', {'k': '  two', 'k2': '\f', 'k3': ' '}),
    'keys_with_separators': ('key\\ one old\n', {'key one': '=v', 'a=b': 'v', 'c:d e': ':', '#x': '!', '\tt': 'v'}),
    'continuation_at_eof': ('a=1\nb=x\\\n', {'new': 'v'}),
    'continuation_at_eof_no_newline': ('a=1\nb=x\\', {'new': 'v'}),
    'comments_and_unicode': ('# c \\\n! d\nu=\\u00e9\n', {'u': '\u20ac', '#new': 'caf\xe9 \U0001F600'}),
    'symlink': (VENDOR, {'provisionCallback.deviceNameField': 'deviceName'}),
}


@pytest.fixture(scope='module')
def java_read(tmp_path_factory, java_properties_load):
    """name -> (map Java reads from the original, map Java reads from the file the module wrote)."""
    directory = tmp_path_factory.mktemp('java_properties_module')
    originals, results = [], []
    for name, (text, properties) in sorted(JAVA_CASES.items()):
        original = directory / ('%s.original' % name)
        original.write_bytes(text.encode('latin-1'))
        path = directory / ('%s.properties' % name)
        path.write_bytes(text.encode('latin-1'))
        if name == 'symlink':
            (directory / 'links').mkdir()
            link = directory / 'links' / 'system.properties'
            link.symlink_to(os.path.join('..', path.name))
            path = link
        result, code = call_main({'path': str(path), 'properties': properties})
        assert code == 0 and result['changed'], result
        originals.append(original)
        results.append(path)
    maps = java_properties_load(originals + results)
    names = sorted(JAVA_CASES)
    return dict(zip(names, zip(maps[:len(names)], maps[len(names):])))


@pytest.mark.parametrize('name', sorted(JAVA_CASES))
def test_java_reads_the_values_set(name, java_read):
    before, after = java_read[name]
    expected = dict(before, **JAVA_CASES[name][1])
    assert after == expected


def test_key_alone_on_its_line_becomes_an_entry(module, tmp_path):
    path = tmp_path / 'system.properties'
    path.write_text(KEY_ONLY_VENDOR)
    result = module({'path': str(path), 'properties': {'provisionCallback.deviceNameField': 'deviceName'}})
    assert result['changed_keys'] == ['provisionCallback.deviceNameField']
    assert path.read_text() == KEY_ONLY_VENDOR.replace(
        'provisionCallback.deviceNameField\n', 'provisionCallback.deviceNameField=deviceName\n')
    assert not module({'path': str(path), 'properties': {'provisionCallback.deviceNameField': 'deviceName'}})['changed']


def test_leading_separator_survives_a_whitespace_separator(module, tmp_path):
    path = tmp_path / 'a.properties'
    path.write_text('# c\nk old\nz=1\n')
    module({'path': str(path), 'properties': {'k': '=v'}})
    assert path.read_text() == '# c\nk \\=v\nz=1\n'


def test_new_key_after_open_continuation_is_its_own_entry(module, tmp_path):
    path = tmp_path / 'a.properties'
    path.write_text('a=1\nb=x\\')
    module({'path': str(path), 'properties': {'new': 'v'}})
    assert path.read_text() == 'a=1\nb=x\\\n\nnew=v\n'
    assert not module({'path': str(path), 'properties': {'new': 'v'}})['changed']


@pytest.fixture
def linked_file(tmp_path):
    """A link conf/system.properties -> ../real/system.properties, the way vendors point configuration elsewhere."""
    (tmp_path / 'real').mkdir()
    (tmp_path / 'conf').mkdir()
    target = tmp_path / 'real' / 'system.properties'
    target.write_text(VENDOR)
    os.chmod(target, 0o640)
    if os.geteuid() == 0:
        os.chown(target, 1234, 2345)
    link = tmp_path / 'conf' / 'system.properties'
    link.symlink_to(os.path.join('..', 'real', 'system.properties'))
    return link, target


def test_symlink_is_followed_and_stays_a_link(module, linked_file):
    link, target = linked_file
    owner = os.stat(target).st_uid, os.stat(target).st_gid
    result = module(managed(link, backup=True))
    assert result['changed'] and result['path'] == str(link)
    assert os.path.islink(link) and os.readlink(link) == os.path.join('..', 'real', 'system.properties')
    assert 'hermod.url=https://hermod:28443/hermod/rest/command\n' in target.read_text()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert (os.stat(target).st_uid, os.stat(target).st_gid) == owner
    assert os.listdir(link.parent) == ['system.properties']
    assert os.path.dirname(result['backup_file']) == str(target.parent)
    assert sorted(os.listdir(target.parent)) == sorted(
        ['.system.properties.lock', 'system.properties', os.path.basename(result['backup_file'])])
    assert not module(managed(link))['changed']

    result = module(managed(link, mode='0600'))
    assert result['changed'] and os.path.islink(link)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_symlink_check_mode_writes_nothing(module, linked_file):
    link, target = linked_file
    result = module(managed(link, mode='0600'), check=True, diff=True)
    assert result['changed'] and result['changed_keys']
    assert os.path.islink(link) and target.read_text() == VENDOR
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert os.listdir(link.parent) == ['system.properties'] and os.listdir(target.parent) == ['system.properties']


def test_dangling_symlink_with_create_creates_the_target(module, tmp_path):
    link = tmp_path / 'link.properties'
    link.symlink_to('target.properties')
    module({'path': str(link), 'create': True, 'properties': {'a': '1'}})
    assert os.path.islink(link) and (tmp_path / 'target.properties').read_text() == 'a=1\n'
    assert stat.S_IMODE(os.stat(link).st_mode) == 0o600


def _run_module_rounds(arguments, barrier=None):
    """Child process: run the module once per argument dict; exit 0 when every run succeeded."""
    if barrier is not None:
        barrier.wait(timeout=60)
    failures = [call_main(args)[0] for args in arguments]
    failures = [result.get('msg') for result in failures if result.get('failed')]
    if failures:
        sys.stderr.write('%s\n' % failures)
    sys.exit(1 if failures else 0)


FORK = multiprocessing.get_context('fork')


def _hold_lock(lock, locked, release):
    """Child process: hold an flock on lock until release is set.

    A child, not the test itself: a forked module run would inherit the
    test's descriptor and with it the lock.
    """
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    locked.set()
    release.wait(60)


def test_module_waits_for_the_lock(tmp_path):
    path = tmp_path / 'a.properties'
    path.write_text('a=1\n')
    locked, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold_lock, args=(str(tmp_path / '.a.properties.lock'), locked, release))
    holder.start()
    assert locked.wait(30)
    child = FORK.Process(target=_run_module_rounds, args=([{'path': str(path), 'properties': {'b': '2'}}],))
    child.start()
    try:
        time.sleep(1)
        assert child.is_alive() and path.read_text() == 'a=1\n', 'the module did not wait for the lock'
    finally:
        release.set()
        holder.join(30)
        child.join(60)
    assert child.exitcode == 0
    assert path.read_text() == 'a=1\nb=2\n'


def test_concurrent_runs_lose_no_change(tmp_path, java_properties_load):
    """Several runs at once on one file, each adding its own keys: every key must be there afterwards."""
    path = tmp_path / 'shared.properties'
    path.write_text('# shared\n')
    workers, rounds = 8, 15
    barrier = FORK.Barrier(workers)
    children = []
    for worker in range(workers):
        arguments = [{'path': str(path), 'properties': {'w%d.r%d' % (worker, number): 'value %d' % number}}
                     for number in range(rounds)]
        children.append(FORK.Process(target=_run_module_rounds, args=(arguments, barrier)))
    for child in children:
        child.start()
    deadline = time.monotonic() + 240
    for child in children:
        child.join(max(1, deadline - time.monotonic()))
    for child in children:
        if child.is_alive():
            child.kill()
    assert [child.exitcode for child in children] == [0] * workers
    expected = {'w%d.r%d' % (worker, number): 'value %d' % number
                for worker in range(workers) for number in range(rounds)}
    [read] = java_properties_load([path])
    lost = sorted(set(expected) - set(read))
    assert not lost, '%d of %d changes lost: %s' % (len(lost), len(expected), ', '.join(lost))
    assert read == expected
    assert sorted(os.listdir(tmp_path)) == ['.shared.properties.lock', 'shared.properties']
