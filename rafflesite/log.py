"""Logging helpers: keep passwords, tokens and phone numbers out of logs.

The formatters below mask everything they write, whoever logged it: the
message with its arguments, every extra field (a request that Django
attaches to a 4xx or 5xx becomes its method and path, query values
masked) and tracebacks. settings.LOGGING and gunicorn.conf.py use them.
"""

import logging
import re
from collections.abc import Mapping

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

MASK = "[masked]"
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
RENAMED = {"asctime": "time", "levelname": "level"}

# key=value or "key": "value" where the key names a secret.
_SECRET_FIELD = re.compile(
    r"""(?P<key>["']?\b[\w-]*(?:password|passwd|secret|token|access|refresh"""
    r"""|authorization|sessionid|csrftoken|api[_-]?key)\b["']?\s*[:=]\s*)"""
    r"""(?P<quote>["']?)(?P<value>(?:Bearer\s+)?[^\s"',&;}]+)""",
    re.IGNORECASE,
)
_BEARER = re.compile(r"\bBearer\s+[\w.~+/=-]+", re.IGNORECASE)
# A JSON web token: three base64url parts, the first one starting "eyJ".
_JWT = re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]+")
# The query string of an address: every value may be personal.
_QUERY = re.compile(r"(?<=[\w/])\?(?P<query>[^\s\"'<>#]*=[^\s\"'<>#]*)")
# Phone numbers, however written, with _FEWEST_DIGITS digits at least.
_PHONE = re.compile(
    r"(?<![\w+(])(?<!\d[.-])(?:"
    # International: +54 9 11 4567-8901, (+54) 9 11 4567-8901.
    r"(?P<international>\(?\+\d[\d\s().-]*\d)"
    # An area code in brackets: (555) 123-4567, (011) 15 2345-6789.
    r"|(?P<bracketed>\(\d{1,5}\)\s?\d[\d\s.-]*\d)"
    # Three groups or more: 555-123-4567, 300 123 4567, 011 15 2345 6789;
    # not a date (2025-01-02 12:00) nor an IPv4 address.
    r"|(?!\d{4}-\d\d-\d\d)(?!\d{1,3}(?:\.\d{1,3}){3}(?![\d.]))"
    r"(?P<grouped>\d{1,5}(?:[ .-]\d{1,5}){2,})"
    # A run of digits, at most the 15 of E.164: 5491145678905.
    r"|(?P<run>\d{8,15})"
    r")(?![\w])"
)
_FEWEST_DIGITS = {"international": 8, "bracketed": 7, "grouped": 9, "run": 8}


def _mask_phone(match):
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if len(digits) < _FEWEST_DIGITS[match.lastgroup]:
        return text
    return "*" * (len(digits) - 2) + digits[-2:]


def _mask_query(match):
    pairs = match.group("query").split("&")
    return "?" + "&".join(
        f"{pair.partition('=')[0]}={MASK}" if "=" in pair else pair for pair in pairs
    )


def mask(text):
    """The text with every secret replaced by [masked] and phones cut to
    their last two digits."""
    text = _QUERY.sub(_mask_query, text)
    text = _SECRET_FIELD.sub(
        lambda m: f"{m.group('key')}{m.group('quote')}{MASK}", text
    )
    text = _BEARER.sub(f"Bearer {MASK}", text)
    text = _JWT.sub(MASK, text)
    return _PHONE.sub(_mask_phone, text)


def masked(value):
    """`value` ready for a log line: strings masked, in lists and dicts too;
    a request as its method and address."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    if hasattr(value, "get_full_path") and hasattr(value, "method"):
        return mask(f"{value.method} {value.get_full_path()}")
    return mask(str(value))


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time, level, logger name, message and the
    record's extras, every value masked."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", FORMAT)
        kwargs.setdefault("rename_fields", RENAMED)
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data):
        return {key: masked(value) for key, value in log_data.items()}


class AccessJsonFormatter(JsonFormatter):
    """gunicorn's access log as JSON: its message (gunicorn.conf.py's
    access_log_format) plus the client, status, size and duration."""

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        atoms = record.args if isinstance(record.args, Mapping) else {}
        fields = {"remote": "h", "status": "s", "bytes": "B", "duration_us": "D"}
        for field, atom in fields.items():
            if atom in atoms:
                log_data[field] = _number(atoms[atom])


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


class PlainFormatter(logging.Formatter):
    """One line of text for people (LOG_FORMAT=plain), masked."""

    def __init__(self, fmt=FORMAT, *args, **kwargs):
        super().__init__(fmt, *args, **kwargs)

    def format(self, record):
        return mask(super().format(record))
