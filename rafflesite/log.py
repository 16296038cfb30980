"""Logging helpers: keep passwords, tokens and phone numbers out of logs."""

import logging
import re

MASK = "[masked]"

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
# A phone number: "+" and digits with spaces, dots, dashes or brackets
# between them, or a run of 8 digits or more. The last two digits are kept.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d[\d\s().-]{5,}\d|\d{8,})(?!\w)")


def _mask_phone(match):
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if len(digits) < 8:
        return text
    return "*" * (len(digits) - 2) + digits[-2:]


def mask(text):
    """The text with every secret replaced by [masked] and phones cut."""
    text = _SECRET_FIELD.sub(
        lambda m: f"{m.group('key')}{m.group('quote')}{MASK}", text
    )
    text = _BEARER.sub(f"Bearer {MASK}", text)
    text = _JWT.sub(MASK, text)
    return _PHONE.sub(_mask_phone, text)


class MaskSecrets(logging.Filter):
    """Rewrites each record's message (and string extras) with `mask`."""

    def filter(self, record):
        record.msg = mask(record.getMessage())
        record.args = ()
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and isinstance(value, str):
                setattr(record, name, mask(value))
        return True


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
