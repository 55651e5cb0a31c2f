# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.filter.hermod import compare_versions, highest_version, version_items

ANY = r'[a-z-]*?-?(?P<version>\d.*)\.(?:war|sql|jar)'


@pytest.mark.parametrize('lower, higher', [
    ('1.9', '1.10'),
    ('9', '10'),
    ('2.0-RC1', '2.0'),
    ('2.0-rc1', '2.0-rc2'),
    ('2.0-RC2', '2.0-RC10'),
    ('1.0-alpha1', '1.0-beta1'),
    ('1.0-beta2', '1.0-M1'),
    ('1.0-M3', '1.0-RC1'),
    ('1.0-RC1', '1.0-SNAPSHOT'),
    ('1.0-SNAPSHOT', '1.0'),
    ('1.0-dev', '1.0-alpha'),
    ('1.0a1', '1.0b1'),
    ('1.0', '1.0-sp1'),
    ('1.0-sp1', '1.0-foo'),
    ('1.0-bar', '1.0-foo'),
    ('1.0-SNAPSHOT', '1.0.1'),
    ('1.0-foo', '1.0.1'),
    ('3.6.1.RELEASE', '3.6.2.RELEASE'),
    ('3.6.0', '3.6.1.RELEASE'),
    ('1', '1.0.1'),
    ('1.2.3', '1.2.3.1'),
    ('2023_12_31', '2024_01_01'),
    ('0.9', '1'),
    ('1.0.0-RC1', '1.0.1-RC1'),
])
def test_order(lower, higher):
    assert compare_versions(lower, higher) == -1
    assert compare_versions(higher, lower) == 1


@pytest.mark.parametrize('first, second', [
    ('1.0', '1'),
    ('1.0.0', '1'),
    ('1.01', '1.1'),
    ('3.6.1.RELEASE', '3.6.1'),
    ('3.6.1-GA', '3.6.1.final'),
    ('2.0-RC1', '2.0.0-rc1'),
    ('2.0-CR1', '2.0-RC1'),
    ('1.0-SNAPSHOT', '1.0-snapshot'),
    ('1_2', '1.2'),
])
def test_equal(first, second):
    assert compare_versions(first, second) == 0
    assert compare_versions(second, first) == 0


def test_items():
    assert version_items('2.0-RC1') == [(1, 2, ''), (0, 4, ''), (1, 1, '')]
    assert version_items('1.0.0') == [(1, 1, '')]
    assert version_items('1.0-custom') == [(1, 1, ''), (0, 8, 'custom')]


@pytest.mark.parametrize('names, expected', [
    (['app-1.9.war', 'app-1.10.war'], 'app-1.10.war'),
    (['app-10.war', 'app-9.war'], 'app-10.war'),
    (['app-2.0-RC1.war', 'app-2.0.war', 'app-1.10.war'], 'app-2.0.war'),
    (['app-2.0-RC1.war', 'app-1.9.war'], 'app-2.0-RC1.war'),
    (['only-3.war'], 'only-3.war'),
])
def test_picks_highest(names, expected):
    assert highest_version(names, ANY) == expected


def test_paths_match_on_basename():
    paths = ['/opt/hermod/3.6.1.RELEASE/sql/postgresql/hermod-3.6.1.sql',
             '/opt/hermod/3.6.1.RELEASE/sql/postgresql/hermod-3.10.0.sql',
             '/opt/hermod/9.9.9/notes.txt']
    assert highest_version(paths, r'hermod-(?P<version>.+)\.sql') == paths[1]


def test_directories_in_the_path_are_not_matched():
    paths = ['/dist/hermod-9.0.sql/readme.txt', '/dist/hermod-1.0.sql']
    assert highest_version(paths, r'hermod-(.+)\.sql') == '/dist/hermod-1.0.sql'


def test_trailing_slash_names_a_directory():
    assert highest_version(['dist/3.6.0.RELEASE/', 'dist/3.6.1.RELEASE/'], r'(.+)') == 'dist/3.6.1.RELEASE/'


def test_whole_basename_must_match():
    names = ['cod-hermod-3.6.1.war', 'cod-hermod-9.war.bak', 'old-cod-hermod-9.war']
    assert highest_version(names, r'cod-hermod-(.+)\.war') == 'cod-hermod-3.6.1.war'


def test_named_group_wins_over_first_group():
    names = ['v9-hermod-1.0.sql', 'v1-hermod-2.0.sql']
    assert highest_version(names, r'v(\d+)-hermod-(?P<version>.+)\.sql') == 'v1-hermod-2.0.sql'
    assert highest_version(names, r'v(\d+)-hermod-(.+)\.sql') == 'v9-hermod-1.0.sql'


def test_flyway_names():
    names = ['V1_9__init.sql', 'V1_10__init.sql', 'V1_2__init.sql']
    assert highest_version(names, r'V(?P<version>[\d_]+)__.*\.sql') == 'V1_10__init.sql'


def test_empty_version_ignored():
    assert highest_version(['app-.war', 'app-1.war'], r'app-(.*)\.war') == 'app-1.war'


def test_optional_group_not_taking_part_is_ignored():
    assert highest_version(['app.war', 'app-1.war'], r'app(?:-(?P<version>.+))?\.war') == 'app-1.war'


def test_find_results():
    files = [{'path': '/d/app-1.war', 'size': 1}, {'path': '/d/app-2.war', 'size': 2}]
    assert highest_version(files, ANY) == files[1]


def test_same_path_twice_counts_once():
    assert highest_version(['/d/app-2.war', '/d/app-1.war', '/d/app-2.war'], ANY) == '/d/app-2.war'


def test_tuple_input():
    assert highest_version(('app-1.war', 'app-2.war'), ANY) == 'app-2.war'


def test_lower_ties_do_not_matter():
    assert highest_version(['app-1.war', 'app-1.0.war', 'app-2.war'], ANY) == 'app-2.war'


@pytest.mark.parametrize('names', [
    ['a/app-1.0.war', 'b/app-1.0.war'],
    ['app-1.0.war', 'app-1.war'],
    ['app-3.6.1.RELEASE.war', 'app-3.6.1.war'],
])
def test_tie_on_highest(names):
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(names + ['app-0.1.war'], ANY)
    message = caught.value.message
    assert message.startswith('highest_version: %s and %s carry the same highest version ' % tuple(names))


def test_none_match():
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(['README.txt', 'app.war'], ANY)
    assert caught.value.message == "highest_version: no name matches %r among 2 name(s): README.txt, app.war" % ANY


def test_none_match_long_list_is_shortened():
    names = ['file%02d.txt' % number for number in range(12)]
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(names, ANY)
    assert caught.value.message.endswith('among 12 name(s): %s, ...' % ', '.join(names[:10]))


def test_empty_list():
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version([], ANY)
    assert caught.value.message == 'highest_version: no name matches %r among 0 name(s)' % ANY


@pytest.mark.parametrize('paths, kind', [('app-1.war', 'str'), ({'path': 'app-1.war'}, 'dict'), (None, 'NoneType'), (5, 'int')])
def test_paths_must_be_a_list(paths, kind):
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(paths, ANY)
    assert caught.value.message == 'highest_version: expected a list of file names or paths, got %s' % kind


@pytest.mark.parametrize('element, kind', [(5, 'int'), (None, 'NoneType'), (['app-1.war'], 'list')])
def test_elements_must_be_names(element, kind):
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(['app-1.war', element], ANY)
    assert caught.value.message == 'highest_version: every element must be a file name or path, got %s' % kind


@pytest.mark.parametrize('element', [{'size': 1}, {'path': None}])
def test_dicts_need_a_path(element):
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version([element], ANY)
    assert caught.value.message.startswith('highest_version: a dict element must have a path')


@pytest.mark.parametrize('pattern', ['', None, 5])
def test_pattern_required(pattern):
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(['app-1.war'], pattern)
    assert caught.value.message == 'highest_version: pattern must be a non-empty regular expression'


def test_invalid_pattern():
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(['app-1.war'], r'app-(.+\.war')
    assert caught.value.message.startswith("highest_version: invalid pattern 'app-(.+\\\\.war': missing ), unterminated subpattern")


def test_pattern_without_group():
    with pytest.raises(AnsibleFilterError) as caught:
        highest_version(['app-1.war'], r'app-.+\.war')
    assert caught.value.message.startswith("highest_version: pattern 'app-.+\\\\.war' has no group")
