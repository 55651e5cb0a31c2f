# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the plugin unit tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

PROPERTIES_DUMP = os.path.join(os.path.dirname(__file__), 'module_utils', 'java', 'PropertiesDump.java')


@pytest.fixture(scope='session')
def java_properties_load():
    """load(paths) -> for each file, the map java.util.Properties.load(InputStream) reads from it.

    A file Java refuses maps to ``{'__error__': <exception class name>}``.
    One call starts one JVM, whatever the number of files: callers gather
    their files first and load them together, since a JVM start costs
    about a second.
    """
    java = shutil.which('java')
    if java is None:
        # Machines running ansible-test without a JDK; where java is present
        # the tests run and any disagreement with Java fails them.
        pytest.skip('java is not on PATH: the .properties tests compare with java.util.Properties')

    def load(paths):
        paths = [os.fspath(path) for path in paths]
        if not paths:
            return []
        done = subprocess.run([java, PROPERTIES_DUMP] + paths, capture_output=True, text=True, timeout=300,
                              check=False)
        assert done.returncode == 0, 'PropertiesDump failed:\n%s' % done.stderr
        lines = done.stdout.splitlines()
        assert len(lines) == len(paths), done.stdout
        return [json.loads(line) for line in lines]

    return load
