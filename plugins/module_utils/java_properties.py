# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Java .properties files edited in place.

The parser follows java.util.Properties.load: logical lines joined by an odd
number of trailing backslashes, comments starting with ``#`` or ``!``, keys
ending at the first unescaped ``=``, ``:`` or whitespace, and the escapes
``\\t \\n \\r \\f \\uXXXX``. Written text is escaped as Properties.store does
for ISO-8859-1 files where load() needs it: everything outside printable
ASCII becomes ``\\uXXXX``, so the result reads the same through
load(InputStream) and through a UTF-8 Reader. Every line written reads
back as the requested key and value whatever surrounds it: a key alone on
its line gets a separator, and a new key never continues an open line.

A file is kept as a list of items, each holding its exact source text, so
that rendering an unchanged item gives back the original bytes.
"""

from __future__ import annotations

import re

# Files are read as ISO-8859-1, like Properties.load(InputStream): every byte
# maps to one character, so lines nobody edits are written back unchanged.
FILE_ENCODING = 'latin-1'
MASK = '********'
MASK_CHANGED = '******** (changed)'

_WHITESPACE = ' \t\f'
_NATURAL_LINE = re.compile(r'[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z')
_SIMPLE_ESCAPES = {'t': '\t', 'n': '\n', 'r': '\r', 'f': '\f'}
_ALWAYS_ESCAPED = {'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f'}


class PropertiesError(ValueError):
    """A file that java.util.Properties could not load either."""


class Other(object):
    """A blank line or a comment: kept as it is."""

    def __init__(self, raw):
        self.raw = raw

    def render(self, mask=None):
        return self.raw


class Entry(object):
    """One key and its value, possibly spread over several physical lines.

    ``prefix`` is the source text before the value (indentation, key,
    separator) when all of it sits on the first physical line, else None;
    replacing the value keeps it, so a vendor's ``key = value`` layout stays.
    A key alone on its line has no separator to keep: its prefix ends in
    ``=``, else the new value would be read as the rest of the key.
    """

    def __init__(self, raw, key, value, prefix, eol, line):
        self.raw = raw
        self.key = key
        self.value = value
        self.prefix = prefix
        self.eol = eol
        self.line = line

    @classmethod
    def new(cls, key, value, eol, prefix=None):
        prefix = prefix if prefix is not None else escape_key(key) + '='
        return cls(prefix + escape_value(value) + eol, key, value, prefix, eol, None)

    def replaced(self, value):
        return Entry.new(self.key, value, self.eol, self.prefix)

    def render(self, mask=None):
        if mask is None:
            return self.raw
        prefix = self.prefix if self.prefix is not None else escape_key(self.key) + '='
        return prefix + mask + self.eol


def _natural_lines(text):
    return _NATURAL_LINE.findall(text)


def _split_eol(line):
    stripped = line.rstrip('\r\n')
    return stripped, line[len(stripped):]


def _ends_with_continuation(content):
    count = len(content) - len(content.rstrip('\\'))
    return count % 2 == 1


def _load_convert(text, line):
    """Unescape a key or value as Properties.loadConvert does."""
    out = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        index += 1
        if char != '\\':
            out.append(char)
            continue
        if index >= length:
            break
        char = text[index]
        index += 1
        if char == 'u':
            digits = text[index:index + 4]
            if len(digits) != 4 or not re.match(r'\A[0-9a-fA-F]{4}\Z', digits):
                raise PropertiesError('line %d: malformed \\uxxxx escape' % line)
            out.append(chr(int(digits, 16)))
            index += 4
        else:
            out.append(_SIMPLE_ESCAPES.get(char, char))
    return _join_surrogates(''.join(out))


def _join_surrogates(text):
    # Java strings are UTF-16: a character outside the BMP is stored as two
    # \\uXXXX escapes, which must become one Python character to compare.
    if not re.search('[\ud800-\udfff]', text):
        return text
    try:
        return text.encode('utf-16-le', 'surrogatepass').decode('utf-16-le')
    except UnicodeDecodeError:
        return text


def _split_key_value(logical):
    """Index where the key ends and where the value starts, as Properties.load0 finds them."""
    key_end = 0
    value_start = len(logical)
    has_separator = False
    preceding_backslash = False
    while key_end < len(logical):
        char = logical[key_end]
        if char in '=:' and not preceding_backslash:
            value_start = key_end + 1
            has_separator = True
            break
        if char in _WHITESPACE and not preceding_backslash:
            value_start = key_end + 1
            break
        preceding_backslash = (not preceding_backslash) if char == '\\' else False
        key_end += 1
    while value_start < len(logical):
        char = logical[value_start]
        if char not in _WHITESPACE:
            if not has_separator and char in '=:':
                has_separator = True
            else:
                break
        value_start += 1
    return key_end, value_start


def parse(text):
    """Split the text of a .properties file into a list of Entry and Other items."""
    items = []
    lines = _natural_lines(text)
    index = 0
    while index < len(lines):
        first = lines[index]
        first_content, first_eol = _split_eol(first)
        body = first_content.lstrip(_WHITESPACE)
        indent = first_content[:len(first_content) - len(body)]
        line_number = index + 1
        index += 1
        if not body or body[0] in '#!':
            items.append(Other(first))
            continue
        raw = first
        eol = first_eol
        logical = body
        first_part = len(body)
        if _ends_with_continuation(body):
            first_part -= 1
        while _ends_with_continuation(logical):
            logical = logical[:-1]
            if index >= len(lines):
                break
            following = lines[index]
            index += 1
            raw += following
            content, eol = _split_eol(following)
            logical += content.lstrip(_WHITESPACE)
        key_end, value_start = _split_key_value(logical)
        key = _load_convert(logical[:key_end], line_number)
        value = _load_convert(logical[value_start:], line_number)
        prefix = indent + logical[:value_start] if value_start <= first_part else None
        if prefix is not None and value_start == key_end:
            prefix += '='
        items.append(Entry(raw, key, value, prefix, eol or first_eol, line_number))
    return items


def render(items, masks=None):
    masks = masks or {}
    return ''.join(item.render(masks.get(id(item))) for item in items)


def _escape(text, is_key):
    out = []
    for position, char in enumerate(text):
        if char in _ALWAYS_ESCAPED:
            out.append(_ALWAYS_ESCAPED[char])
        elif char == ' ':
            out.append('\\ ' if is_key or position == 0 else ' ')
        elif char in '=:' and (is_key or position == 0):
            out.append('\\' + char)
        elif is_key and position == 0 and char in '#!':
            out.append('\\' + char)
        elif ' ' <= char <= '~':
            out.append(char)
        else:
            # Properties escapes UTF-16 code units: a character outside the
            # BMP becomes its surrogate pair.
            # A lone surrogate (possible in a JSON string) is kept as it is.
            encoded = char.encode('utf-16-be', 'surrogatepass')
            for unit in range(0, len(encoded), 2):
                out.append('\\u%04X' % int.from_bytes(encoded[unit:unit + 2], 'big'))
    return ''.join(out)


def escape_key(key):
    """A key that loads back as itself: spaces, ``=`` and ``:`` would end it, ``#``/``!`` first would make a comment."""
    return _escape(key, is_key=True)


def escape_value(value):
    """A value that loads back as itself, whatever separator precedes it.

    Only what load() would alter is escaped (backslashes, control
    characters, a leading space that would be skipped, non-ASCII, a leading
    ``=`` or ``:`` that load() would take for the separator after a
    ``key value`` entry): unlike Properties.store, ``=``, ``:``, ``#`` and
    ``!`` further on stay readable (``https://host:8443/``), since there they
    mean nothing.
    """
    return _escape(value, is_key=False)


def line_ending(text):
    match = re.search(r'\r\n|\r|\n', text)
    return match.group(0) if match else '\n'


def to_map(items):
    """The key/value map java.util.Properties would load: the last occurrence of a key wins."""
    result = {}
    for item in items:
        if isinstance(item, Entry):
            result[item.key] = item.value
    return result


def apply(items, wanted, eol):
    """Apply wanted (key -> str, or None to remove) to items.

    A key present more than once is set in its last occurrence, the one
    Properties keeps; removing a key removes every occurrence, else an
    earlier one would come back into effect. New keys are appended in the
    order of ``wanted``.

    Returns (new items, changed keys in the order of wanted, set of ids of
    new or replaced entries).
    """
    last = {}
    for position, item in enumerate(items):
        if isinstance(item, Entry):
            last[item.key] = position
    result = list(items)
    changed = []
    touched = set()
    removed = set()
    appended = []
    for key, value in wanted.items():
        if value is None:
            if key in last:
                removed.add(key)
                changed.append(key)
            continue
        if key in last:
            current = result[last[key]]
            if current.value != value:
                replacement = current.replaced(value)
                result[last[key]] = replacement
                touched.add(id(replacement))
                changed.append(key)
        else:
            entry = Entry.new(key, value, eol)
            appended.append(entry)
            touched.add(id(entry))
            changed.append(key)
    if removed:
        result = [item for item in result if not (isinstance(item, Entry) and item.key in removed)]
    if appended:
        if result and not result[-1].raw.endswith(('\n', '\r')):
            result[-1] = _with_eol(result[-1], eol)
        if result and _continues(result[-1]):
            # The last line ends in a continuation backslash: load() would
            # join the first new line to it. A blank line ends the entry
            # without changing its value.
            result.append(Other(eol))
        result.extend(appended)
    return result, changed, touched


def _with_eol(item, eol):
    if isinstance(item, Entry):
        return Entry(item.raw + eol, item.key, item.value, item.prefix, eol, item.line)
    return Other(item.raw + eol)


def _continues(item):
    """Whether the logical line of item is still open at its end (only possible at the end of a file)."""
    if not isinstance(item, Entry):
        return False
    last_line = _natural_lines(item.raw)[-1]
    return _ends_with_continuation(_split_eol(last_line)[0])


def masks_for(items, secret_keys, touched=frozenset()):
    """Diff masks: secret values hidden, and a changed secret shown as changed."""
    masks = {}
    for item in items:
        if isinstance(item, Entry) and item.key in secret_keys and item.value != '':
            masks[id(item)] = MASK_CHANGED if id(item) in touched else MASK
    return masks
