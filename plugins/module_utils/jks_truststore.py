# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a JKS keystore that holds only trusted certificates.

The file is an intermediate: keytool reads it with ``-importkeystore`` and
writes the real store, so keytool stays the authority on the final format.
JKS is used because its trusted-certificate layout is a few lines of
standard-library Python, which works on any target; ``cryptography``'s
``serialize_java_truststore`` would need cryptography 45 on the target, newer
than what the usual distribution Pythons ship.

Layout (sun.security.provider.JavaKeyStore, version 2): magic, version, entry
count, then per trusted entry: tag 2, alias (Java modified UTF-8), creation
time in ms, certificate type, DER length and bytes; finally SHA-1 over the
password as UTF-16BE, the salt "Mighty Aphrodite" and everything before.
"""

from __future__ import annotations

import hashlib
import struct
import time

JKS_MAGIC = 0xFEEDFEED
_VERSION = 2
_TRUSTED_CERT_TAG = 2
_SALT = b'Mighty Aphrodite'


def java_modified_utf(text):
    """DataOutputStream.writeUTF: length-prefixed modified UTF-8."""
    units = text.encode('utf-16-be')
    out = bytearray()
    for i in range(0, len(units), 2):
        unit = (units[i] << 8) | units[i + 1]
        if 0x0001 <= unit <= 0x007F:
            out.append(unit)
        elif unit <= 0x07FF:
            out += bytes((0xC0 | (unit >> 6), 0x80 | (unit & 0x3F)))
        else:
            out += bytes((0xE0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3F), 0x80 | (unit & 0x3F)))
    if len(out) > 0xFFFF:
        raise ValueError('string too long for a JKS field')
    return struct.pack('>H', len(out)) + bytes(out)


def jks_truststore_bytes(entries, password):
    """Serialise ``entries`` (iterable of (alias, der)).

    Java looks entries up by lower-cased alias, so aliases must already be
    lower case; this function refuses anything else rather than write a store
    whose entries cannot be found.
    """
    entries = list(entries)
    now_ms = int(time.time() * 1000)
    parts = [struct.pack('>III', JKS_MAGIC, _VERSION, len(entries))]
    for alias, der in entries:
        if alias != alias.lower():
            raise ValueError('JKS alias must be lower case: %r' % alias)
        parts.append(struct.pack('>I', _TRUSTED_CERT_TAG))
        parts.append(java_modified_utf(alias))
        # keytool -importkeystore stamps entries with its own time anyway.
        parts.append(struct.pack('>q', now_ms))
        parts.append(java_modified_utf('X.509'))
        parts.append(struct.pack('>I', len(der)))
        parts.append(bytes(der))
    body = b''.join(parts)
    digest = hashlib.sha1(password.encode('utf-16-be') + _SALT + body).digest()
    return body + digest
