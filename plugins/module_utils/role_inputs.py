# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the roles' own input checks share: booleans as the argument spec reads them, paths, URLs, modes.

A role's check returns the first problem as a message that names the variable, or '' when there is
none. No message repeats a secret.
"""

from __future__ import annotations

import re

from collections.abc import Mapping

# The words the roles' own | bool reads (ansible.builtin.bool, without its deprecated fallback), so
# that -e prime_restart=false (the string 'false', which the argument spec lets through unchanged)
# means false; a word the filter would only guess at ('y', 't', '1.0') is refused here.
BOOLEAN_TRUE = frozenset(('yes', 'on', 'true', '1'))
BOOLEAN_FALSE = frozenset(('no', 'off', 'false', '0'))
HTTP_URL = re.compile(r'^(?i:https?)://([A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?([/?#][^\s]*)?$')
SCHEME = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*://')
# A client id as the X-Api-Key carries it (':' separates it from the key), and a dotted path in a
# Spring file such as application.hermod.allowedClients.
CLIENT_ID = re.compile(r'[^:\s]+')
DOTTED_PATH = re.compile(r'[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*')
# A file mode that keeps a secret from others: owner read/write at most, group read at most, others nothing.
PRIVATE_MODE = re.compile(r'^0?[0246][04]0$')


class InputError(ValueError):
    pass


def is_boolean(value):
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return value in (0, 1)
    return isinstance(value, str) and value.lower() in BOOLEAN_TRUE | BOOLEAN_FALSE


def to_boolean(value):
    """What | bool makes of a value is_boolean accepts."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1
    return isinstance(value, str) and value.lower() in BOOLEAN_TRUE


def is_text(value):
    return isinstance(value, str)


def full_match(pattern, value):
    """Whether value is text that pattern matches in full (a trailing line break does not pass)."""
    return is_text(value) and pattern.fullmatch(value) is not None


def to_integer(value):
    """The whole number a value spells (a number or its text), or None; a boolean is none."""
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def is_absolute(value):
    return is_text(value) and value.startswith('/')


def is_mapping(value):
    return isinstance(value, Mapping)


def is_http_url(value):
    return is_text(value) and bool(SCHEME.match(value)) and bool(HTTP_URL.match(value))


def is_https(value):
    return is_text(value) and value.lower().startswith('https://')


def is_private_mode(value):
    return PRIVATE_MODE.match(str(value)) is not None


def repeated(values):
    seen, found = set(), []
    for value in values:
        if value in seen and value not in found:
            found.append(value)
        seen.add(value)
    return found
