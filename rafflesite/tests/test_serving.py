"""Serving as production does: the settings it builds, gunicorn.conf.py
and gunicorn itself serving https.

Production settings are read in a fresh process from a clean environment
(rafflesite/tests/production.py).
"""

import json
import multiprocessing
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .production import ROOT, SECRET, clean_env, production_settings, run_python

# The settings production runs with.


@pytest.fixture(scope="module")
def production():
    return production_settings(
        "CACHES",
        "SESSION_ENGINE",
        "DATABASES",
        "STORAGES",
        "MIDDLEWARE",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
    )


def test_production_cache_is_the_database_shared_by_every_server(production):
    cache = production["CACHES"]["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "django_cache"


def test_production_sessions_are_rows_in_the_database(production):
    assert production["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_production_database_connections_persist_and_are_checked(production):
    mariadb = production_settings(
        "DATABASES", DATABASE_URL="mysql://raffles:secret@db.example.org/raffles"
    )

    for database in (production["DATABASES"], mariadb["DATABASES"]):
        assert database["default"]["CONN_MAX_AGE"] == 60
        assert database["default"]["CONN_HEALTH_CHECKS"] is True


def test_production_static_files_are_whitenoise_compressed_manifest(production):
    assert production["DEBUG"] is False
    assert production["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert production["MIDDLEWARE"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_production_redirects_to_https_except_the_health_check(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_REDIRECT_EXEMPT"] == ["^health/$"]


# gunicorn.conf.py


def gunicorn_config(tmp_path, dotenv=""):
    """The settings gunicorn.conf.py gives, loaded in a clean environment
    next to the .env file `dotenv` (none when empty)."""
    shutil.copy(ROOT / "gunicorn.conf.py", tmp_path / "gunicorn.conf.py")
    if dotenv:
        (tmp_path / ".env").write_text(dotenv)
    code = (
        "import json, runpy\n"
        "config = runpy.run_path('gunicorn.conf.py')\n"
        "print(json.dumps({k: v for k, v in config.items() "
        "if k.islower() and not k.startswith('_') "
        "and isinstance(v, (str, int, dict, type(None)))}))\n"
    )
    return json.loads(run_python(code, {"PATH": os.environ["PATH"]}, cwd=tmp_path))


def test_gunicorn_config_gives_the_documented_defaults(tmp_path):
    config = gunicorn_config(tmp_path)

    assert {
        name: config[name]
        for name in (
            "bind",
            "certfile",
            "keyfile",
            "workers",
            "worker_class",
            "timeout",
            "graceful_timeout",
            "keepalive",
            "max_requests",
            "max_requests_jitter",
            "forwarded_allow_ips",
            "accesslog",
            "errorlog",
        )
    } == {
        "bind": "127.0.0.1:8000",
        "certfile": None,
        "keyfile": None,
        "workers": multiprocessing.cpu_count() * 2 + 1,
        "worker_class": "sync",
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "forwarded_allow_ips": "127.0.0.1",
        "accesslog": "-",
        "errorlog": "-",
    }


def test_gunicorn_config_logs_json_to_stdout_through_the_masking_formatters(
    tmp_path,
):
    logging = gunicorn_config(tmp_path)["logconfig_dict"]

    assert logging["formatters"] == {
        "line": {"()": "rafflesite.log.JsonFormatter"},
        "access": {"()": "rafflesite.log.AccessJsonFormatter"},
    }
    assert {h["stream"] for h in logging["handlers"].values()} == {"ext://sys.stdout"}
    assert logging["loggers"]["gunicorn.error"]["handlers"] == ["console"]
    assert logging["loggers"]["gunicorn.access"]["handlers"] == ["access"]


def test_gunicorn_config_reads_the_env_file_next_to_it(tmp_path):
    config = gunicorn_config(
        tmp_path,
        "BIND=0.0.0.0:8123\nWEB_CONCURRENCY=3\nTLS_CERTFILE=tls/a.crt\n"
        "TLS_KEYFILE=tls/a.key\nGUNICORN_ACCESSLOG=off\nLOG_FORMAT=plain\n",
    )

    assert (config["bind"], config["workers"]) == ("0.0.0.0:8123", 3)
    assert (config["certfile"], config["keyfile"]) == ("tls/a.crt", "tls/a.key")
    assert config["accesslog"] is None
    assert config["logconfig_dict"]["loggers"]["gunicorn.access"]["handlers"] == []
    assert config["logconfig_dict"]["formatters"]["line"] == {
        "()": "rafflesite.log.PlainFormatter"
    }


# gunicorn itself, with a certificate, as `make serve` runs it.


# As `make serve` starts it, without the control socket, which is one per
# user: the test must not take it from a gunicorn running beside it.
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "rafflesite.wsgi",
    "-c",
    "gunicorn.conf.py",
    "--no-control-socket",
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(folder):
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem", folder / "key.pem"


def get(url, timeout=2):
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url, timeout=timeout, context=insecure) as response:
        return response.status, dict(response.headers), response.read()


def wait_for(url):
    for _ in range(100):
        try:
            return get(url)
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn never answered {url}")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
def test_gunicorn_serves_https_and_logs_json_lines(tmp_path):
    certfile, keyfile = self_signed_certificate(tmp_path)
    port = free_port()
    env = clean_env(
        DEBUG="false",
        SECRET_KEY=SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        TLS_CERTFILE=str(certfile),
        TLS_KEYFILE=str(keyfile),
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        GUNICORN_ACCESSLOG="-",
        # No collectstatic here (make serve runs it): whitenoise would warn.
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
    )
    server = subprocess.Popen(
        GUNICORN,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status, headers, body = wait_for(f"https://127.0.0.1:{port}/health/")
        with pytest.raises(OSError):
            get(f"http://127.0.0.1:{port}/health/")
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=30)

    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert [
        line["message"].split(" (")[0]
        for line in lines
        if line["message"].startswith("Listening at")
    ] == [f"Listening at: https://127.0.0.1:{port}"]
    (access,) = [line for line in lines if line["name"] == "gunicorn.access"]
    assert access.pop("time") and access.pop("duration_us") > 0
    assert access == {
        "level": "INFO",
        "name": "gunicorn.access",
        "message": "GET /health/ 200",
        "remote": "127.0.0.1",
        "status": 200,
        "bytes": 16,
    }
    assert stderr == ""
