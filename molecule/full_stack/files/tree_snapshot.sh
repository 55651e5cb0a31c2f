# shellcheck shell=bash
# Usage: tree_snapshot.sh OUTPUT
# Lists every file and directory of the root filesystem with its size,
# mode, owner and modification time into OUTPUT, leaving out what changes
# by itself (runtime, logs, caches, systemd's state) and Ansible's own
# working directory.
set -euo pipefail
find / -xdev \( -path /proc -o -path /sys -o -path /run -o -path /tmp -o -path /var/tmp -o -path /var/log \
  -o -path /var/cache -o -path /var/lib/systemd -o -path /root/.ansible -o -path /var/lib/apt/lists \) -prune \
  -o -printf '%y %p %s %m %u:%g %T@\n' | sort > "$1"
wc -l < "$1"
