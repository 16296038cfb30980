#!/usr/bin/env bash
# Before `make serve`: adds to .env (ignored by git) what production needs
# and a fresh clone lacks, once; lines already there are never changed.
# - SECRET_KEY: a random one, unless the environment or .env sets one. Every
#   server behind one load balancer must share it: copy it, do not let each
#   server make its own.
# - TLS_CERTFILE, TLS_KEYFILE: a self-signed certificate for localhost, made
#   with openssl in tls/ (also ignored), so that gunicorn serves https the
#   way production does. Not when they are set already, nor when
#   BEHIND_PROXY says a proxy in front terminates TLS.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

# The value of a setting: from the environment, else the last line of .env.
value() {
  if [ -n "${!1+set}" ]; then
    printf '%s' "${!1}"
  else
    sed -n "s/^$1=//p" .env | tail -n 1
  fi
}

[ -f .env ] || (umask 077 && touch .env)

if [ -z "$(value SECRET_KEY)" ]; then
  key=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
  [ ! -s .env ] || echo >>.env
  cat >>.env <<KEY
# Written by make serve. Signs sessions and API tokens: every app server
# behind one load balancer needs this same key.
SECRET_KEY=$key
KEY
  echo "Wrote a new random SECRET_KEY to .env."
fi

case "$(value BEHIND_PROXY | tr '[:upper:]' '[:lower:]')" in
  true | on | ok | y | yes | 1) exit 0 ;;
esac
[ -z "$(value TLS_CERTFILE)" ] || exit 0
if [ ! -f tls/localhost.crt ]; then
  ./scripts/system-deps.sh serve
  mkdir -p tls
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -keyout tls/localhost.key -out tls/localhost.crt 2>/dev/null
  chmod 600 tls/localhost.key
fi
[ ! -s .env ] || echo >>.env
cat >>.env <<TLS
# Written by make serve: gunicorn serves https with a self-signed
# certificate for localhost. Put a real certificate here, or remove both
# lines and set BEHIND_PROXY=true when a proxy in front terminates TLS.
TLS_CERTFILE=tls/localhost.crt
TLS_KEYFILE=tls/localhost.key
TLS
echo "Wrote TLS_CERTFILE and TLS_KEYFILE to .env: https with a self-signed certificate."
