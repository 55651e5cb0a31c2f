# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The .properties parser and writer, checked against java.util.Properties itself.

One JVM start (``java PropertiesDump.java``, see conftest.py) loads every
file the tests wrote and prints each map; the parser must find the same map
in the original files, and the files the writer produced must load back as
the values that were asked for.
"""

from __future__ import annotations

import random

import pytest

from ansible_collections.prime_hermod.stack.plugins.module_utils import java_properties as jp

# Files a vendor might ship, with every corner of the format.
VENDOR_FILES = {
    'plain': 'a=1\nb = 2\nc:3\nd 4\ne\t=\t5\nf\n',
    'separators': 'k1 = = v\nk2 :: v\nk3   v  w  \nk4=\n  k5 = indented\n\fk6=formfeed\n',
    'comments': '# comment \\\nstill=entry\n! bang\n  # indented comment\nx=1\n',
    'continuation': 'long = first, \\\n        second, \\\n        third\nnext=1\n',
    'even_backslashes': 'path=C:\\\\dir\\\\\nnot.continued=1\n',
    'hash_in_continuation': 'a=one\\\n  # not a comment\nb=2\n',
    'crlf': 'a=1\r\nlong=x\\\r\n   y\r\n# c\r\nb=2\r\n',
    'cr_only': 'a=1\rb=2\r',
    'escaped_keys': 'key\\ with\\ spaces = v\nkey\\:colon=v\nkey\\=eq=v\n\\#hash=v\n\\!bang=v\n',
    'escapes': 'e=tab\\there\\nnew\\rret\\fff\\\\back\\q\nu=\\u00e9\\u20AC\\uD83D\\uDE00\n',
    'duplicates': 'dup=first\nother=x\ndup=second\n',
    'no_final_newline': 'a=1\nb=2',
    'backslash_at_eof': 'a=1\nb=x\\',
    'empty_continuation': 'a=x\\\n\nb=2\n',
    'latin1_raw': 'caf\xe9=cr\xe8me\n',
    'blank_lines': '\n\n   \n\t\na=1\n\n',
    'key_only': 'provisionCallback.deviceNameField\n  indented.only\ntrailing.blank \t\ncontinued\\\n\nlast',
    'continuation_at_eof': 'a=1\nb=x\\\n',
    'continuation_at_eof_crlf': 'a=1\r\nb=x\\\r\n',
    'continuation_then_blank_at_eof': 'a=1\nb=x\\\n   ',
}


# Every way an existing entry may separate its key from its value, with
# {} for the key: a new value keeps the entry's own separator.
SEPARATOR_STYLES = ('{}=old', '{}:old', '{} old', '{}\told', '{}\fold', '  {} = old', '{} : old', '{}   old',
                    '\t{}\t:\told', '{} = = old', '{}', '{} ', '{}=', '{}:', '{}=\\\n  old', '{} \\\n  old')
# Values that load() would shorten after a whitespace separator or trim.
LEADING_VALUES = ('=v', ':v', '==', '::', '=', ':', '=:', ' v', '  v', '\tv', '\fv', ' =v', '= v', ' ', '\\v',
                  '#v', '!v', '')
ESCAPED_KEYS = ('key\\ with\\ spaces old\na\\=b\\:c\told\n\\#hash \\\n  old\n'
                'tab\\tkey   old\n\\!bang\n')


def leading_separator_text():
    return ''.join(style.format('k%d.%d' % (number, value)) + '\n'
                   for number, style in enumerate(SEPARATOR_STYLES) for value in range(len(LEADING_VALUES)))


def leading_separator_wanted():
    return {'k%d.%d' % (number, index): value
            for number in range(len(SEPARATOR_STYLES)) for index, value in enumerate(LEADING_VALUES)}


def random_text(rng, length):
    alphabet = ' \t\n\r\f\\=:#!abcXYZ09._-/\x7f\x00\xe9\u20ac\U0001F600'
    return ''.join(rng.choice(alphabet) for dummy in range(length))


def written_cases():
    """(name, original text, wanted) for the writer: nasty values over a vendor-like file."""
    base = ('# vendor\nsystem.name=PRIME\nauthenticationToken=\n'
            'long = a, \\\n   b\ndup=1\ndup=2\nlast=no-newline')
    nasty = {
        'authenticationToken': 'cHJpbWU6a2V5',
        'url': 'https://hermod.example:28443/hermod/rest/command',
        'leading': '   three spaces',
        'trailing': 'trailing   ',
        'backslash': 'C:\\temp\\',
        'multi': 'line1\nline2\r\n\ttab',
        'unicode': 'caf\xe9 \u20ac \U0001F600',
        'key with spaces': 'v',
        'key=eq:colon': 'v',
        '#starts': 'comment-like',
        '!bang': 'x',
        'empty': '',
        'long': 'replaced',
        'dup': '3',
        'hash#in!value': '#!=:',
    }
    cases = [('nasty', base, nasty)]
    cases.append(('key_only', VENDOR_FILES['key_only'], {
        'provisionCallback.deviceNameField': 'deviceName', 'indented.only': 'x', 'trailing.blank': 'y',
        'continued': 'z', 'last': 'w'}))
    cases.append(('leading_separators', leading_separator_text(), leading_separator_wanted()))
    cases.append(('escaped_keys_whitespace_separated', ESCAPED_KEYS, {
        'key with spaces': '=eq', 'a=b:c': ':colon', '#hash': ' space', 'tab\tkey': '\ttab', '!bang': '=',
        'new key\t=:#!': '=new', ' leading space': ':', 'trailing\\': ' \f'}))
    for name in ('continuation_at_eof', 'continuation_at_eof_crlf', 'backslash_at_eof',
                 'continuation_then_blank_at_eof'):
        cases.append(('append_after_' + name, VENDOR_FILES[name], {'new': 'v', 'new2': 'w'}))
    cases.append(('append_after_continuation_lines', 'b=x\\\n  y\\\n', {'new': 'v'}))
    cases.append(('append_after_continuation_lines_no_newline', 'b=x\\\n  y\\', {'new': 'v'}))
    cases.append(('append_after_key_only_continued', 'k\\', {'new': 'v'}))
    cases.append(('append_after_comments_with_backslash', '# c\\\n! d\\', {'new': 'v', 'z': '1'}))
    cases.append(('comments_and_escapes', VENDOR_FILES['comments'] + VENDOR_FILES['escapes'], {
        'u': '\u20ac\U0001F600', 'e': 'tab\there', 'x': '# not a comment', '#new': '! neither', '!new': 'v'}))
    rng = random.Random(20240601)
    fuzz = {}
    for dummy in range(200):
        fuzz[random_text(rng, rng.randint(1, 12))] = random_text(rng, rng.randint(0, 20))
    cases.append(('fuzz', '', fuzz))
    return cases


@pytest.fixture(scope='module')
def java_maps(tmp_path_factory, java_properties_load):
    """name -> the map Java loaded from that file (or {'__error__': ...})."""
    directory = tmp_path_factory.mktemp('java_properties')
    names = []
    for name, text in VENDOR_FILES.items():
        (directory / ('vendor_%s.properties' % name)).write_bytes(text.encode('latin-1'))
        names.append('vendor_' + name)
    for name, text, wanted in written_cases():
        items, dummy, dummy = jp.apply(jp.parse(text), wanted, jp.line_ending(text))
        (directory / ('written_%s.properties' % name)).write_bytes(jp.render(items).encode('latin-1'))
        names.append('written_' + name)
    (directory / 'malformed.properties').write_bytes(b'a=\\u12G4\n')
    names.append('malformed')
    return dict(zip(names, java_properties_load(directory / (n + '.properties') for n in names)))


@pytest.mark.parametrize('name', sorted(VENDOR_FILES))
def test_parser_reads_what_java_reads(name, java_maps):
    assert jp.to_map(jp.parse(VENDOR_FILES[name])) == java_maps['vendor_' + name]


@pytest.mark.parametrize('name', sorted(VENDOR_FILES))
def test_unchanged_file_renders_byte_identical(name):
    text = VENDOR_FILES[name]
    assert jp.render(jp.parse(text)) == text
    items, changed, dummy = jp.apply(jp.parse(text), {}, jp.line_ending(text))
    assert changed == [] and jp.render(items) == text


@pytest.mark.parametrize('name,text,wanted', written_cases(), ids=[case[0] for case in written_cases()])
def test_written_file_loads_in_java_as_wanted(name, text, wanted, java_maps):
    expected = jp.to_map(jp.parse(text))
    expected.update(wanted)
    assert java_maps['written_' + name] == expected
    # Our own parser agrees, so a second run changes nothing.
    written = jp.render(jp.apply(jp.parse(text), wanted, jp.line_ending(text))[0])
    again, changed, dummy = jp.apply(jp.parse(written), wanted, jp.line_ending(written))
    assert changed == [] and jp.render(again) == written


def test_malformed_unicode_escape_fails_like_java(java_maps):
    assert java_maps['malformed'] == {'__error__': 'IllegalArgumentException'}
    with pytest.raises(jp.PropertiesError, match='line 1: malformed'):
        jp.parse('a=\\u12G4\n')


def test_written_file_is_ascii():
    text = jp.render(jp.apply([], {'k\xe9y': 'v\u20ac\U0001F600'}, '\n')[0])
    assert text == 'k\\u00E9y=v\\u20AC\\uD83D\\uDE00\n'


def test_escaping_is_minimal_for_values():
    assert jp.escape_value('https://h:1/#x!=y') == 'https://h:1/#x!=y'
    assert jp.escape_value(' a b ') == '\\ a b '
    assert jp.escape_value('a\\b\tc\n') == 'a\\\\b\\tc\\n'
    assert jp.escape_key('#a b=c:d!') == '\\#a\\ b\\=c\\:d!'


def test_only_managed_lines_change():
    text = VENDOR_FILES['comments'] + VENDOR_FILES['continuation'] + 'tail=1\n'
    items, changed, dummy = jp.apply(jp.parse(text), {'long': 'short', 'x': '1'}, '\n')
    assert changed == ['long']
    assert jp.render(items) == text.replace('long = first, \\\n        second, \\\n        third\n', 'long = short\n')


def test_continuation_replaced_as_a_whole_keeps_layout():
    text = '  key : a\\\n   b\\\n   c\nz=1\n'
    items, changed, dummy = jp.apply(jp.parse(text), {'key': 'new'}, '\n')
    assert jp.render(items) == '  key : new\nz=1\n'


def test_key_split_over_lines_is_rewritten_plainly():
    text = 'ke\\\n  y = a\n'
    assert jp.to_map(jp.parse(text)) == {'key': 'a'}
    items, dummy, dummy = jp.apply(jp.parse(text), {'key': 'b'}, '\n')
    assert jp.render(items) == 'key=b\n'


def test_crlf_file_keeps_crlf():
    text = 'a=1\r\nb=2\r\n'
    items, changed, dummy = jp.apply(jp.parse(text), {'b': '3', 'c': '4'}, jp.line_ending(text))
    assert jp.render(items) == 'a=1\r\nb=3\r\nc=4\r\n'


def test_append_to_file_without_final_newline():
    items, dummy, dummy = jp.apply(jp.parse('a=1'), {'b': '2'}, '\n')
    assert jp.render(items) == 'a=1\nb=2\n'


def test_duplicate_key_updates_the_last_occurrence():
    text = 'dup=first\nother=x\ndup=second\n'
    items, changed, dummy = jp.apply(jp.parse(text), {'dup': 'new'}, '\n')
    assert jp.render(items) == 'dup=first\nother=x\ndup=new\n'
    # The earlier occurrence is not compared: the last one already holds the value.
    items, changed, dummy = jp.apply(jp.parse('dup=new\ndup=second\n'), {'dup': 'second'}, '\n')
    assert changed == []


def test_removal_removes_every_occurrence():
    items, changed, dummy = jp.apply(jp.parse('dup=1\n# keep\ndup=2\\\n  more\nx=1\n'), {'dup': None, 'absent': None}, '\n')
    assert changed == ['dup']
    assert jp.render(items) == '# keep\nx=1\n'


def test_same_value_with_other_escaping_is_unchanged():
    items, changed, dummy = jp.apply(jp.parse('u=\\u0063af\\u00e9\nurl=https\\://h\n'), {'u': 'caf\xe9', 'url': 'https://h'}, '\n')
    assert changed == []


def test_masks_hide_secret_values_and_mark_changes():
    before = jp.parse('token=old\nother=x\npw=\n')
    after, changed, touched = jp.apply(before, {'token': 'new', 'other': 'y'}, '\n')
    secret = {'token', 'pw'}
    assert jp.render(before, jp.masks_for(before, secret)) == 'token=********\nother=x\npw=\n'
    assert jp.render(after, jp.masks_for(after, secret, touched)) == 'token=******** (changed)\nother=y\npw=\n'


def written(text, wanted):
    return jp.render(jp.apply(jp.parse(text), wanted, jp.line_ending(text))[0])


def test_key_alone_on_its_line_gets_a_separator():
    text = '# c\nprovisionCallback.deviceNameField\n  indented\nz=1\n'
    assert written(text, {'provisionCallback.deviceNameField': 'deviceName', 'indented': 'x'}) == (
        '# c\nprovisionCallback.deviceNameField=deviceName\n  indented=x\nz=1\n')
    assert written('last', {'last': 'v'}) == 'last=v'
    # A masked key-only entry in a diff is shown with a separator too.
    after, dummy, touched = jp.apply(jp.parse('token\n'), {'token': 'secret'}, '\n')
    assert jp.render(after, jp.masks_for(after, {'token'}, touched)) == 'token=******** (changed)\n'


def test_value_after_whitespace_separator_keeps_its_leading_separator():
    assert written('k old\n', {'k': '=v'}) == 'k \\=v\n'
    assert written('k\told\n', {'k': ':v'}) == 'k\t\\:v\n'
    assert written('k = old\n', {'k': '= v'}) == 'k = \\= v\n'
    assert written('k old\n', {'k': ' v'}) == 'k \\ v\n'
    assert written('k old\n', {'k': '\tv'}) == 'k \\tv\n'


def test_new_key_after_continuation_at_end_of_file_is_its_own_entry():
    # A blank line ends the open logical line: b keeps the value 'x' it had.
    assert written('a=1\nb=x\\', {'new': 'v'}) == 'a=1\nb=x\\\n\nnew=v\n'
    assert written('a=1\nb=x\\\n', {'new': 'v'}) == 'a=1\nb=x\\\n\nnew=v\n'
    assert written('a=1\r\nb=x\\\r\n', {'new': 'v'}) == 'a=1\r\nb=x\\\r\n\r\nnew=v\r\n'
    # Already ended by a blank line, or an even number of backslashes: nothing to add.
    assert written('b=x\\\n   ', {'new': 'v'}) == 'b=x\\\n   \nnew=v\n'
    assert written('b=x\\\\\n', {'new': 'v'}) == 'b=x\\\\\nnew=v\n'
    assert written('# c\\\n', {'new': 'v'}) == '# c\\\nnew=v\n'
