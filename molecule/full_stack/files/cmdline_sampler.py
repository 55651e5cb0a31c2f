"""Records every distinct process command line seen on this host.

Reads /proc/*/cmdline every few milliseconds until SIGTERM, then writes
the distinct command lines (arguments joined by spaces), one per line,
to the file named by the first argument.
"""
import os
import signal
import sys
import time

seen = set()
running = True


def stop(signum, frame):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
own = str(os.getpid())
while running:
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or pid == own:
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                raw = f.read()
        except OSError:
            continue
        if raw:
            seen.add(raw.rstrip(b'\0').replace(b'\0', b' ').decode('utf-8', 'replace'))
    time.sleep(0.003)

with open(sys.argv[1], 'w', encoding='utf-8') as f:
    os.fchmod(f.fileno(), 0o600)
    f.write('\n'.join(sorted(seen)) + '\n')
