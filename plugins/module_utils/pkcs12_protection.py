# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a PKCS#12 keystore is protected, read from its ASN.1 without a password.

keytool writes a new PKCS#12 file with its default protection: an integrity
MAC and encrypted certificates. JDK 18 and later ship lib/security/cacerts
with neither, so that a JVM reads it without a password; rebuilt with the
defaults, that JVM would find no certificate in it. Knowing the original
protection lets the module ask keytool, through the
``keystore.pkcs12.*`` properties, to write the same again.

Only the outer layers are read (RFC 7292): the PFX, its MacData, and the
ContentInfo of each safe of the AuthenticatedSafe. Nothing is decrypted.
"""

from __future__ import annotations


class Pkcs12FormatError(ValueError):
    """The file is not PKCS#12 as far as this reader understands it."""


NONE = 'NONE'

_DATA = '1.2.840.113549.1.7.1'
_ENCRYPTED_DATA = '1.2.840.113549.1.7.6'
_CERT_BAG = '1.2.840.113549.1.12.10.1.3'
_PBES2 = '1.2.840.113549.1.5.13'
_PBKDF2 = '1.2.840.113549.1.5.12'

# Java's names for what the OIDs say, as keystore.pkcs12.* expects them.
_MAC_DIGESTS = {
    '1.3.14.3.2.26': 'HmacPBESHA1',
    '2.16.840.1.101.3.4.2.4': 'HmacPBESHA224',
    '2.16.840.1.101.3.4.2.1': 'HmacPBESHA256',
    '2.16.840.1.101.3.4.2.2': 'HmacPBESHA384',
    '2.16.840.1.101.3.4.2.3': 'HmacPBESHA512',
    '2.16.840.1.101.3.4.2.5': 'HmacPBESHA512/224',
    '2.16.840.1.101.3.4.2.6': 'HmacPBESHA512/256',
}
_PKCS12_PBE = {
    '1.2.840.113549.1.12.1.1': 'PBEWithSHA1AndRC4_128',
    '1.2.840.113549.1.12.1.2': 'PBEWithSHA1AndRC4_40',
    '1.2.840.113549.1.12.1.3': 'PBEWithSHA1AndDESede',
    '1.2.840.113549.1.12.1.5': 'PBEWithSHA1AndRC2_128',
    '1.2.840.113549.1.12.1.6': 'PBEWithSHA1AndRC2_40',
}
_PBKDF2_PRF = {
    '1.2.840.113549.2.7': 'HmacSHA1',
    '1.2.840.113549.2.8': 'HmacSHA224',
    '1.2.840.113549.2.9': 'HmacSHA256',
    '1.2.840.113549.2.10': 'HmacSHA384',
    '1.2.840.113549.2.11': 'HmacSHA512',
}
_PBES2_CIPHERS = {
    '2.16.840.1.101.3.4.1.2': 'AES_128',
    '2.16.840.1.101.3.4.1.42': 'AES_256',
}


class Protection(object):
    """What protects a PKCS#12 file.

    ``mac`` and ``certificates`` hold a Java algorithm name, ``NONE`` when the
    file has no MAC or stores its certificates unencrypted, or None when this
    reader cannot name the algorithm (or, for ``certificates``, when the file
    holds no certificate to tell). Iteration counts are None when unknown.
    """

    __slots__ = ('mac', 'mac_iterations', 'certificates', 'certificate_iterations')

    def __init__(self, mac, mac_iterations=None, certificates=None, certificate_iterations=None):
        self.mac = mac
        self.mac_iterations = mac_iterations
        self.certificates = certificates
        self.certificate_iterations = certificate_iterations

    @property
    def password_less(self):
        """Readable without a password: no MAC, and no certificate encrypted."""
        return self.mac == NONE and self.certificates in (NONE, None)

    @property
    def certificates_encrypted(self):
        return self.certificates not in (NONE, None)

    def _wanted(self):
        """(property, what, value) for each setting a copy should keep; value None where unknown.

        A store without MAC and without certificates gets unencrypted
        certificates, so that it stays readable without a password.
        """
        certificates = self.certificates
        if certificates is None and self.mac == NONE:
            certificates = NONE
        return (
            ('macAlgorithm', 'MAC', self.mac),
            ('macIterationCount', 'MAC iteration count', self.mac_iterations),
            ('certProtectionAlgorithm', 'certificate encryption', certificates),
            ('certPbeIterationCount', 'certificate encryption iteration count', self.certificate_iterations),
        )

    def keytool_options(self):
        """keytool options that make it write a new store protected the same way.

        What cannot be named is left to keytool's defaults, which protect.
        """
        return ['-J-Dkeystore.pkcs12.%s=%s' % (name, value) for name, _what, value in self._wanted()
                if value is not None]

    def __eq__(self, other):
        return isinstance(other, Protection) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        return 'Protection(mac=%r/%r, certificates=%r/%r)' % (
            self.mac, self.mac_iterations, self.certificates, self.certificate_iterations)


class _Node(object):
    __slots__ = ('tag', 'value', 'children')

    def __init__(self, tag, value=None, children=None):
        self.tag = tag
        self.value = value
        self.children = children


def _parse(data, pos, depth=0):
    """One BER element at ``pos``: (node, position after it).

    BER, not only DER: some writers (Bouncy Castle's default PKCS12 store)
    use indefinite lengths and constructed strings.
    """
    if depth > 32:
        raise Pkcs12FormatError('nested too deeply')
    if pos + 2 > len(data):
        raise Pkcs12FormatError('truncated at byte %d' % pos)
    tag = data[pos]
    if tag & 0x1f == 0x1f:
        raise Pkcs12FormatError('unexpected high tag number at byte %d' % pos)
    first = data[pos + 1]
    pos += 2
    constructed = bool(tag & 0x20)
    if first == 0x80:
        if not constructed:
            raise Pkcs12FormatError('indefinite length of a primitive element at byte %d' % pos)
        children = []
        while data[pos:pos + 2] != b'\x00\x00':
            child, pos = _parse(data, pos, depth + 1)
            children.append(child)
        return _Node(tag, children=children), pos + 2
    if first & 0x80:
        count = first & 0x7f
        if count > 4 or pos + count > len(data):
            raise Pkcs12FormatError('bad length at byte %d' % pos)
        length = int.from_bytes(data[pos:pos + count], 'big')
        pos += count
    else:
        length = first
    end = pos + length
    if end > len(data):
        raise Pkcs12FormatError('truncated: an element at byte %d needs %d bytes, %d are left'
                                % (pos, length, len(data) - pos))
    if not constructed:
        return _Node(tag, value=bytes(data[pos:end])), end
    children = []
    while pos < end:
        child, pos = _parse(data, pos, depth + 1)
        children.append(child)
    if pos != end:
        raise Pkcs12FormatError('an element overruns its parent at byte %d' % pos)
    return _Node(tag, children=children), end


def _element(data):
    node, end = _parse(data, 0)
    if end != len(data):
        raise Pkcs12FormatError('%d bytes after the end' % (len(data) - end))
    return node


def _child(node, index, tag=None):
    if node.children is None or index >= len(node.children):
        raise Pkcs12FormatError('element 0x%02x has no part %d' % (node.tag, index))
    child = node.children[index]
    if tag is not None and child.tag != tag:
        raise Pkcs12FormatError('expected tag 0x%02x, found 0x%02x' % (tag, child.tag))
    return child


def _octets(node):
    """The bytes of an OCTET STRING, primitive or constructed."""
    if node.tag == 0x04:
        return node.value
    if node.tag == 0x24:
        return b''.join(_octets(child) for child in node.children)
    raise Pkcs12FormatError('expected an OCTET STRING, found tag 0x%02x' % node.tag)


def _oid(node):
    if node.tag != 0x06 or not node.value:
        raise Pkcs12FormatError('expected an OBJECT IDENTIFIER, found tag 0x%02x' % node.tag)
    arcs = []
    value = 0
    for byte in bytearray(node.value):
        value = (value << 7) | (byte & 0x7f)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if node.value[-1] & 0x80:
        raise Pkcs12FormatError('an OBJECT IDENTIFIER ends inside an arc')
    first = min(arcs[0] // 40, 2)
    return '.'.join(str(arc) for arc in [first, arcs[0] - 40 * first] + arcs[1:])


def _integer(node):
    if node.tag != 0x02 or not node.value:
        raise Pkcs12FormatError('expected an INTEGER, found tag 0x%02x' % node.tag)
    return int.from_bytes(node.value, 'big', signed=True)


def _mac(pfx):
    """(algorithm, iterations) of the PFX's MacData; (NONE, None) without one."""
    if len(pfx.children) < 3:
        return NONE, None
    mac_data = pfx.children[2]
    digest_algorithm = _child(_child(_child(mac_data, 0, 0x30), 0, 0x30), 0)
    iterations = _integer(mac_data.children[2]) if len(mac_data.children) > 2 else 1
    return _MAC_DIGESTS.get(_oid(digest_algorithm)), iterations


def _pbe(algorithm):
    """(Java name or None, iterations or None) of a PBE AlgorithmIdentifier."""
    oid = _oid(_child(algorithm, 0))
    params = algorithm.children[1] if len(algorithm.children) > 1 else None
    if oid in _PKCS12_PBE:
        # pkcs-12PbeParams: salt, iterations
        return _PKCS12_PBE[oid], _integer(_child(params, 1)) if params is not None else None
    if oid != _PBES2 or params is None:
        return None, None
    kdf, scheme = _child(params, 0, 0x30), _child(params, 1, 0x30)
    if _oid(_child(kdf, 0)) != _PBKDF2:
        return None, None
    kdf_params = _child(kdf, 1, 0x30)
    iterations = _integer(_child(kdf_params, 1))
    # After salt and iterations: an optional keyLength INTEGER, then the PRF, HMAC-SHA1 by default.
    prf = 'HmacSHA1'
    for part in kdf_params.children[2:]:
        if part.tag == 0x30:
            prf = _PBKDF2_PRF.get(_oid(_child(part, 0)))
    cipher = _PBES2_CIPHERS.get(_oid(_child(scheme, 0)))
    if prf is None or cipher is None:
        return None, iterations
    return 'PBEWith%sAnd%s' % (prf, cipher), iterations


def _certificate_protection(auth_safe):
    """(algorithm, iterations) protecting the certificate bags; (None, None) when there are none."""
    plain_certificates = False
    for content_info in auth_safe.children:
        content_type = _oid(_child(content_info, 0))
        content = _child(_child(content_info, 1, 0xa0), 0)
        if content_type == _ENCRYPTED_DATA:
            # EncryptedData: version, EncryptedContentInfo (contentType, algorithm, ...)
            return _pbe(_child(_child(content, 1, 0x30), 1, 0x30))
        if content_type == _DATA:
            bags = _element(_octets(content))
            if any(_oid(_child(bag, 0)) == _CERT_BAG for bag in bags.children):
                plain_certificates = True
        else:
            # Public-key privacy (envelopedData): nothing keytool writes.
            return None, None
    return (NONE, None) if plain_certificates else (None, None)


def pkcs12_protection(data):
    """Protection of the PKCS#12 file whose bytes are ``data``."""
    try:
        return _protection(data)
    except (IndexError, TypeError) as exc:
        # A primitive element where a constructed one belongs, and the like:
        # whatever the damage, the caller needs one kind of error.
        raise Pkcs12FormatError('malformed PKCS#12 structure (%s)' % exc)


def _protection(data):
    pfx = _element(data)
    if pfx.tag != 0x30 or _integer(_child(pfx, 0)) != 3:
        raise Pkcs12FormatError('not a PKCS#12 version 3 PFX')
    auth_safe_info = _child(pfx, 1, 0x30)
    if _oid(_child(auth_safe_info, 0)) != _DATA:
        raise Pkcs12FormatError('the PFX is signed (public-key integrity), not password-protected')
    auth_safe = _element(_octets(_child(_child(auth_safe_info, 1, 0xa0), 0)))
    mac, mac_iterations = _mac(pfx)
    certificates, certificate_iterations = _certificate_protection(auth_safe)
    return Protection(mac, mac_iterations, certificates, certificate_iterations)


def protection_changes(original, written):
    """What of ``original``'s protection the ``written`` copy did not keep, as phrases; unknowns are not compared."""
    changes = []
    for (_name, what, before), (_same, _what, after) in zip(original._wanted(), written._wanted()):
        if before is not None and after is not None and before != after:
            changes.append('%s %s became %s' % (what, before, after))
    return changes


def read_protection(path):
    with open(path, 'rb') as handle:
        return pkcs12_protection(handle.read())
