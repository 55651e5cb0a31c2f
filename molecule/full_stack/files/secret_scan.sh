# shellcheck shell=bash
# Usage: secret_scan.sh SECRETS_FILE
# SECRETS_FILE holds one secret value (or an escaped form of one) per line.
# Prints, one per line:
#   LOGS <n>                 log files read
#   LOG <path>               a log file that holds a secret
#   JOURNAL <n>              journal lines that hold a secret
#   FILE <mode> <path>       a file that holds a secret or a private key
set -euo pipefail
secrets=$1

# A host without Tomcat has no instance logs: find's complaint is not an error.
logs=$(find /var/log /var/lib/tomcat-instances/*/logs -type f 2>/dev/null | sort || true)
echo "LOGS $(printf '%s\n' "$logs" | grep -c .)"
printf '%s\n' "$logs" | xargs -r -d '\n' grep -lF -f "$secrets" -- | sed 's/^/LOG /' || true
echo "JOURNAL $(journalctl --no-pager -o cat | grep -cF -f "$secrets" || true)"

files=$(
  {
    grep -rlF -f "$secrets" /etc /opt /root /tmp /usr/share/tomcat10 /var/lib/tomcat-instances \
      --exclude-dir=logs 2>/dev/null || true
    find /var/lib/tomcat-instances -type f \( -name '*.p12' -o -name '*.key' -o -name '*.pass' \) 2>/dev/null || true
  } | grep -vxF "$secrets" | sort -u || true
)
printf '%s\n' "$files" | while read -r f; do
  if [ -n "$f" ]; then echo "FILE $(stat -c '%a %U:%G' "$f") $f"; fi
done
