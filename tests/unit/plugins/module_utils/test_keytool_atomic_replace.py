# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The staging directory used to replace keystores atomically."""

from __future__ import annotations

import os

import pytest

from ansible_collections.prime_hermod.stack.plugins.module_utils.atomic_replace import (
    StagingDirectory,
    replace_file,
    staging_problem,
)


def test_staging_directory_is_private_beside_the_target_and_removed(tmp_path):
    dest = tmp_path / 'store.p12'
    with StagingDirectory(str(dest)) as stage:
        assert os.path.dirname(stage.path) == str(tmp_path)
        assert os.path.basename(stage.path).startswith('.store.p12.')
        assert os.stat(stage.path).st_mode & 0o777 == 0o700
        assert stage.file('x') == os.path.join(stage.path, 'x')
        with open(stage.file('x'), 'w') as handle:
            handle.write('partial')
    assert os.listdir(str(tmp_path)) == []


def test_staging_directory_is_removed_on_error(tmp_path):
    with pytest.raises(RuntimeError):
        with StagingDirectory(str(tmp_path / 'store')) as stage:
            open(stage.file('x'), 'w').close()
            raise RuntimeError('boom')
    assert os.listdir(str(tmp_path)) == []


def test_replace_file_uses_atomic_move(tmp_path):
    calls = []

    class Module(object):
        def atomic_move(self, src, dest, unsafe_writes=True):
            calls.append((src, dest, unsafe_writes))

    replace_file(Module(), 'a', 'b')
    assert calls == [('a', 'b', False)]


def test_staging_problem(tmp_path, monkeypatch):
    assert staging_problem(str(tmp_path / 'store.p12')) is None
    missing = tmp_path / 'missing'
    assert staging_problem(str(missing / 'store.p12')) == 'directory %s does not exist' % missing
    plain = tmp_path / 'plain'
    plain.write_text('')
    assert staging_problem(str(plain / 'store.p12')) == '%s is not a directory' % plain
    monkeypatch.setattr(os, 'access', lambda path, mode: False)
    assert staging_problem(str(tmp_path / 'store.p12')) == 'directory %s is not writable' % tmp_path
