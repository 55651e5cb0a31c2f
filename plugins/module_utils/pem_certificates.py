# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""X.509 certificates in PEM text: split, check, fingerprint.

Pure standard library on purpose: the targets' system Python may carry an old
``cryptography`` or none at all, and a structural DER check plus SHA-256 is all
the truststore logic needs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

_PEM_BLOCK = re.compile(
    r'-----BEGIN (X509 CERTIFICATE|TRUSTED CERTIFICATE|CERTIFICATE)-----'
    r'(.*?)'
    r'-----END \1-----',
    re.DOTALL,
)


class CertificateError(ValueError):
    """The text does not hold a usable certificate."""


def _read_tlv(data, pos):
    """Return (tag, content_start, content_end) of the DER element at pos."""
    if pos + 2 > len(data):
        raise CertificateError('truncated DER element')
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        # Indefinite lengths are BER, not DER; certificates never need > 4 bytes.
        if count == 0 or count > 4 or pos + count > len(data):
            raise CertificateError('invalid DER length')
        length = int.from_bytes(data[pos:pos + count], 'big')
        pos += count
    end = pos + length
    if end > len(data):
        raise CertificateError('truncated DER element')
    return tag, pos, end


def _children(data, start, end):
    tags = []
    pos = start
    while pos < end:
        tag, _content, pos = _read_tlv(data, pos)
        tags.append(tag)
    if pos != end:
        raise CertificateError('DER elements overrun their container')
    return tags


def certificate_der(data):
    """Return the DER bytes of the certificate that starts ``data``.

    Checks the Certificate structure (SEQUENCE of tbsCertificate SEQUENCE,
    signatureAlgorithm SEQUENCE, signature BIT STRING) so that garbage is
    reported here, with the entry's alias, instead of by keytool later.
    Trailing bytes (OpenSSL's TRUSTED CERTIFICATE auxiliary data) are dropped.
    """
    tag, start, end = _read_tlv(data, 0)
    if tag != 0x30:
        raise CertificateError('not a DER certificate (no outer SEQUENCE)')
    if _children(data, start, end) != [0x30, 0x30, 0x03]:
        raise CertificateError('not an X.509 certificate structure')
    _tag, tbs_start, tbs_end = _read_tlv(data, start)
    _children(data, tbs_start, tbs_end)
    return bytes(data[:end])


def pem_certificates(text):
    """Return the DER bytes of every certificate in PEM ``text``, in order."""
    if isinstance(text, bytes):
        text = text.decode('ascii', errors='replace')
    result = []
    for match in _PEM_BLOCK.finditer(text):
        body = ''.join(match.group(2).split())
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CertificateError('invalid base64 in PEM block: %s' % exc)
        result.append(certificate_der(raw))
    return result


def first_certificate(text):
    """Return the DER bytes of the first certificate in PEM ``text``."""
    certs = pem_certificates(text)
    if not certs:
        raise CertificateError('no PEM certificate (-----BEGIN CERTIFICATE-----) found')
    return certs[0]


def sha256_fingerprint(der):
    """keytool's notation: upper-case hex pairs joined by colons."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))
