"""GET a few paths over HTTPS (certificate not checked) and report status, headers and body as JSON."""
import json
import ssl
import sys
import urllib.error
import urllib.request

base = sys.argv[1]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx), NoRedirect)
out = {}
for path in sys.argv[2:]:
    try:
        resp = opener.open(base + path, timeout=15)
        out[path] = {'status': resp.status, 'headers': dict(resp.headers), 'body': resp.read(4000).decode('utf-8', 'replace')}
    except urllib.error.HTTPError as e:
        out[path] = {'status': e.code, 'headers': dict(e.headers), 'body': e.read(4000).decode('utf-8', 'replace')}
print(json.dumps(out))
