# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/harness/declared_dependencies.py, which the build layer runs on the installed tarball."""

from __future__ import annotations

import importlib.util
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SPEC = importlib.util.spec_from_file_location('declared_dependencies',
                                              os.path.join(ROOT, 'tests', 'harness', 'declared_dependencies.py'))
declared_dependencies = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(declared_dependencies)


def test_it_finds_the_modules_and_filters_of_other_collections_the_roles_call():
    used = declared_dependencies.used_plugins()
    assert used[('module', 'community.crypto.x509_certificate')] == 'roles/tomcat/tasks/https.yml'
    assert ('filter', 'community.crypto.x509_certificate_info') in used
    assert not [fqcn for _kind, fqcn in used if fqcn.startswith(('prime_hermod.stack.', 'ansible.builtin.'))]


def test_a_collections_path_without_the_dependencies_fails(tmp_path, capsys):
    (tmp_path / 'ansible_collections').mkdir()
    assert declared_dependencies.main(str(tmp_path)) == 1
    assert 'community.crypto.x509_certificate (roles/tomcat/tasks/https.yml) is not in community.crypto' in capsys.readouterr().err
