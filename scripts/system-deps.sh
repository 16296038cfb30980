#!/usr/bin/env bash
# Makes sure the Debian packages the project needs are present.
#   system-deps.sh build    what compiling mysqlclient needs
#   system-deps.sh browser  Chromium, for the browser tests
#   system-deps.sh bench    wrk and the MariaDB client, for `make bench`
#   system-deps.sh serve    openssl, for the certificate of `make serve`
#   system-deps.sh gettext  GNU gettext, for `make messages` and the test
#                           that the Spanish catalog holds every string
# As root the missing packages are installed; otherwise the exact
# apt-get command to run is printed and the script fails.
set -euo pipefail

want=()
case "${1:-build}" in
  build)
    command -v gcc >/dev/null || want+=(gcc)
    command -v pkg-config >/dev/null || want+=(pkg-config)
    pkg-config --exists libmariadb 2>/dev/null \
      || pkg-config --exists mysqlclient 2>/dev/null \
      || want+=(libmariadb-dev)
    python3 - <<'PY' || want+=(python3-dev)
import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))
PY
    ;;
  browser)
    command -v chromium >/dev/null || want+=(chromium)
    ;;
  bench)
    command -v wrk >/dev/null || want+=(wrk)
    command -v mariadb >/dev/null || want+=(mariadb-client)
    ;;
  gettext)
    command -v msgmerge >/dev/null || want+=(gettext)
    ;;
  serve)
    command -v openssl >/dev/null || want+=(openssl)
    ;;
  *) echo "usage: $0 build|browser|bench|gettext|serve" >&2; exit 2 ;;
esac

[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${want[*]} with apt-get ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null
else
  echo "Missing system packages: ${want[*]}" >&2
  echo "Install them with:  sudo apt-get install ${want[*]}" >&2
  exit 1
fi
