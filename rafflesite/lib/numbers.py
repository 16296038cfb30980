"""Parsing and formatting of raffle numbers, free of any Django state."""

import re

MAX_NUMBERS_PER_REQUEST = 100_000

# [0-9], not \d: \d and str.isdigit() also take "²" or "٣", which int()
# refuses or reads as another digit.
_DIGITS = re.compile(r"[0-9]+")
_TOKEN = re.compile(r"([0-9]+)(?:\s*-\s*([0-9]+))?")


def gettext_noop(message):
    """Mark `message` for the translation catalog, and return it unchanged.

    This module knows nothing of Django; whoever shows the error translates
    its `template` (see raffles.services.resolve_numbers).
    """
    return message


class NumberListError(ValueError):
    """A typed list of numbers that cannot be read.

    `template` is the English message with %(name)s placeholders, `params`
    their values; str() gives the message filled in.
    """

    def __init__(self, template, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)


def is_digits(text):
    """True when `text` is a string of ASCII digits 0-9 and nothing else.

    Check typed numbers with this before int(): str.isdigit() is also true
    for "²", on which int() fails, and for "٣", which int() reads as 3.
    """
    return isinstance(text, str) and _DIGITS.fullmatch(text) is not None


def label(number, padding):
    """Zero-padded label of a number: label(7, 3) == "007"."""
    return str(number).zfill(padding)


def digits(number):
    """How many digits a number has when written out."""
    return len(str(number))


def parse_numbers(text):
    """Read "7, 12, 100-105" into a list of (number, typed) pairs.

    `typed` is the digits as written (so "007" can be checked against a set's
    padding); a range yields one pair per number, each typed with the width of
    the range's ends. Duplicates are dropped, the first order kept.
    """
    if isinstance(text, (list, tuple)):
        parts = [str(item) for item in text]
    else:
        parts = _split(str(text))
    pairs = []
    seen = set()
    for part in parts:
        for pair in _expand(part.strip()):
            if pair[0] not in seen:
                seen.add(pair[0])
                pairs.append(pair)
        # Each range is capped on its own; this caps their sum.
        if len(pairs) > MAX_NUMBERS_PER_REQUEST:
            raise NumberListError(
                gettext_noop("Type at most %(most)s numbers at once."),
                most=MAX_NUMBERS_PER_REQUEST,
            )
    if not pairs:
        raise NumberListError(gettext_noop("Type at least one number."))
    return pairs


def _split(text):
    # Commas, semicolons and white space separate items; spaces around a
    # dash belong to a range ("100 - 105").
    text = re.sub(r"\s*-\s*", "-", text)
    return [item for item in re.split(r"[,;\s]+", text) if item]


def _expand(part):
    if not part:
        return []
    match = _TOKEN.fullmatch(part)
    if not match:
        raise NumberListError(
            gettext_noop("“%(part)s” is not a number or a range like 100-105."),
            part=part,
        )
    start_text, end_text = match.groups()
    start = int(start_text)
    if end_text is None:
        return [(start, start_text)]
    end = int(end_text)
    if end < start:
        raise NumberListError(
            gettext_noop("The range “%(part)s” ends before it starts."), part=part
        )
    if end - start + 1 > MAX_NUMBERS_PER_REQUEST:
        raise NumberListError(
            gettext_noop("The range “%(part)s” has more than %(most)s numbers."),
            part=part,
            most=MAX_NUMBERS_PER_REQUEST,
        )
    width = max(len(start_text), len(end_text)) if start_text.startswith("0") else 0
    return [(n, label(n, width)) for n in range(start, end + 1)]


def compress(numbers, key=None):
    """Turn sorted integers into "7, 12, 100-105" style runs of (first, last).

    With `key`, a run also ends where key(number) changes.
    """
    runs = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1 and _same(key, n, runs[-1][1]):
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [tuple(run) for run in runs]


def _same(key, a, b):
    return key is None or key(a) == key(b)


def run_label(labels, first, last):
    """The run first-last of {number: label} as one label: "040-045"."""
    if first == last:
        return labels[first]
    return f"{labels[first]}-{labels[last]}"


def label_runs(labels):
    """Write {number: label} as runs: "007, 040-045"."""
    return ", ".join(run_label(labels, first, last) for first, last in compress(labels))
