"""Round trips through PRIME's stand-in without pause until STOP_FILE appears (or the bounds are reached).

roundtrips.py URL STOP_FILE RESULT_FILE MAX_COUNT MAX_SECONDS: each GET of URL (PRIME's stand-in round trip: PRIME
calls Hermod at its configured, balanced URL, Hermod calls PRIME back) is recorded; RESULT_FILE gets the count, the
failures (at most 20 described) and the Hermod nodes that answered, written once at the end.
"""
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request

url, stop_file, result_file = sys.argv[1:4]
max_count, max_seconds = int(sys.argv[4]), float(sys.argv[5])
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE

count, failed, failures = 0, 0, []
started = time.monotonic()
while count < max_count and time.monotonic() - started < max_seconds and not os.path.exists(stop_file):
    count += 1
    try:
        with urllib.request.urlopen(url, context=context, timeout=30) as response:
            body = json.loads(response.read().decode('utf-8'))
        ok = bool(body.get('ok'))
    except (urllib.error.URLError, OSError, ValueError) as error:
        body, ok = {'error': repr(error)}, False
    if not ok:
        failed += 1
        if len(failures) < 20:
            failures.append({'at': round(time.monotonic() - started, 2), 'reply': body})
with open(result_file + '.tmp', 'w', encoding='utf-8') as out:
    json.dump({'count': count, 'failed': failed, 'failures': failures,
               'seconds': round(time.monotonic() - started, 1), 'stopped': os.path.exists(stop_file)}, out)
os.rename(result_file + '.tmp', result_file)
