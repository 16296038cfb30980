#!/usr/bin/env bash
# Starts the local MariaDB server (127.0.0.1:3306, root without a password)
# when it is not answering, as CI and `make bench` expect. Needs root.
set -euo pipefail

mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "MariaDB does not answer on 127.0.0.1:3306; start it (as root:" >&2
  echo "  $0) or set the database URL." >&2
  exit 1
fi
install -d -o mysql /run/mysqld
start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
for _ in $(seq 60); do
  mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "MariaDB did not start within 60 seconds." >&2
exit 1
