"""Connect to a TLS port with one protocol version and report the outcome as JSON.

The client allows every protocol version and cipher (SECLEVEL=0), so a
refused handshake is the server's refusal, not the client's.
"""
import json
import socket
import ssl
import sys
import warnings

# TLS 1.0 and 1.1 are deprecated in Python; trying them is the point.
warnings.simplefilter('ignore', DeprecationWarning)

host, port = sys.argv[1], int(sys.argv[2])
versions = {
    'TLSv1': ssl.TLSVersion.TLSv1,
    'TLSv1.1': ssl.TLSVersion.TLSv1_1,
    'TLSv1.2': ssl.TLSVersion.TLSv1_2,
    'TLSv1.3': ssl.TLSVersion.TLSv1_3,
}
result = {}
for name, version in versions.items():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers('ALL:@SECLEVEL=0')
    ctx.minimum_version = version
    ctx.maximum_version = version
    try:
        with socket.create_connection((host, port), timeout=10) as sock:
            with ctx.wrap_socket(sock) as tls:
                result[name] = {'accepted': True, 'version': tls.version(), 'cipher': tls.cipher()[0]}
    except (ssl.SSLError, OSError) as e:
        result[name] = {'accepted': False, 'error': str(e)}
print(json.dumps(result))
