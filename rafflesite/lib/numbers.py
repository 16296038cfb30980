"""Parsing and formatting of raffle numbers, free of any Django state."""

import re

MAX_NUMBERS_PER_REQUEST = 100_000

_TOKEN = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?$")


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


def label(number, padding):
    """Zero-padded label of a number: label(7, 3) == "007"."""
    return str(number).zfill(padding)


def is_digits(text):
    """Whether `text` is ASCII digits only.

    str.isdigit() also says yes to "²" (which int() refuses) and to "٣".
    """
    return bool(re.fullmatch(r"[0-9]+", text))


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
    match = _TOKEN.match(part)
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


def compress(numbers):
    """Turn sorted integers into "7, 12, 100-105" style runs of (first, last)."""
    runs = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [tuple(run) for run in runs]


def label_runs(labels):
    """Write {number: label} as runs: "007, 040-045"."""
    parts = []
    for first, last in compress(labels):
        if first == last:
            parts.append(labels[first])
        else:
            parts.append(f"{labels[first]}-{labels[last]}")
    return ", ".join(parts)
