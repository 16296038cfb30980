"""How a winner follows from a frozen list, free of Django.

The app, `manage.py verify_draw` and docs/draws.md share these functions,
so what the server does and what anyone can re-run are the same code.
"""

import bisect
import hashlib
import hmac
import itertools
import re
import secrets

from .numbers import is_digits

ALGORITHM = "hmac-sha256-rejection"
ALGORITHM_VERSION = 1
SEED_BYTES = 32
SPACE = 1 << 256

RULE_NONE = "none"
RULE_NEXT = "next"

_LABEL = re.compile(r"^[0-9]{1,10}$")
_SEED = re.compile(r"^[0-9a-f]{64}$")


class DrawDataError(ValueError):
    """A list, seed or lottery result that cannot be used for a draw."""


# The eligible list


def list_bytes(labels):
    """The list as stored and hashed: each label, then a line feed, in ASCII."""
    return "".join(f"{label}\n" for label in labels).encode("ascii")


def list_sha256(labels):
    return hashlib.sha256(list_bytes(labels)).hexdigest()


def read_list(data):
    """Labels of a downloaded list, checked to be in canonical form.

    Canonical: one label of digits per line, each line ended by a line feed,
    sorted by numeric value, no number twice.
    """
    labels = split_list(data)
    check_list(labels)
    return labels


def split_list(data):
    """Labels of a stored list, split but not checked (see read_list)."""
    text = data.decode("ascii") if isinstance(data, bytes) else data
    if not text:
        return []
    if not text.endswith("\n"):
        raise DrawDataError("The list must end with a line feed.")
    return text[:-1].split("\n")


def check_list(labels):
    previous = -1
    for position, label in enumerate(labels, start=1):
        if not _LABEL.match(label):
            raise DrawDataError(f"Line {position} is not a number: {label!r}.")
        if int(label) <= previous:
            raise DrawDataError(
                f"Line {position} ({label}) is out of order or repeated."
            )
        previous = int(label)


def ranges(labels):
    """Runs of consecutive numbers: ["001-045", "047"], for printing."""
    runs = []
    for label in labels:
        if runs and int(label) == int(runs[-1][1]) + 1:
            runs[-1][1] = label
        else:
            runs.append([label, label])
    return [first if first == last else f"{first}-{last}" for first, last in runs]


# The random draw


def new_seed():
    """32 bytes from the operating system's secure generator, as hex."""
    return secrets.token_hex(SEED_BYTES)


def check_seed(seed):
    if not isinstance(seed, str) or not _SEED.match(seed):
        raise DrawDataError("The seed must be 64 lowercase hexadecimal digits.")
    return seed


def block(seed, digest, counter):
    """HMAC-SHA256 keyed by the seed over the list's digest and a counter."""
    message = bytes.fromhex(digest) + counter.to_bytes(8, "big")
    return hmac.new(bytes.fromhex(seed), message, hashlib.sha256).digest()


def index_from_block(value, count):
    """value mod count, or None when value falls in the biased tail.

    The tail is the last (2**256 mod count) values: leaving them out makes
    every index equally likely.
    """
    limit = SPACE - SPACE % count
    return value % count if value < limit else None


def pick_index(seed, digest, count):
    """The winning index in 0..count-1 for a seed and a list digest."""
    check_seed(seed)
    if count < 1:
        raise DrawDataError("There is nothing to draw from.")
    for counter in itertools.count():
        value = int.from_bytes(block(seed, digest, counter), "big")
        index = index_from_block(value, count)
        if index is not None:
            return index


def random_winner(seed, labels):
    return labels[pick_index(seed, list_sha256(labels), len(labels))]


# The external lottery


def lottery_digits(result, width):
    """The last `width` digits of an official result ("4821", 2 -> "21")."""
    digits = re.sub(r"[\s.\-]", "", str(result))
    if not is_digits(digits):
        raise DrawDataError("Type the result with digits only.")
    if len(digits) < width:
        raise DrawDataError(f"The result needs at least {width} digits.")
    return digits[-width:]


def lottery_winner(target, labels, rule):
    """The label the lottery gives the prize to, or None for no winner.

    `target` is the number whose last digits match the result. If it is not
    eligible, RULE_NONE gives no winner and RULE_NEXT the next eligible number
    upwards, wrapping around to the lowest one.
    """
    if rule not in (RULE_NONE, RULE_NEXT):
        raise DrawDataError(f"Unknown rule for an unsold number: {rule!r}.")
    numbers = [int(label) for label in labels]
    index = bisect.bisect_left(numbers, int(target))
    if index < len(numbers) and numbers[index] == int(target):
        return labels[index]
    if rule == RULE_NONE or not labels:
        return None
    return labels[index % len(labels)]


# Re-checking a record


class Verification:
    """The outcome of re-running a draw record: what was recomputed and how
    it compares with what the record says."""

    def __init__(self, record, labels):
        check_list(labels)
        self.record = record
        self.list_sha256 = list_sha256(labels)
        self.count = len(labels)
        self.winner = _recompute_winner(record, labels)

    @property
    def list_matches(self):
        return (
            self.list_sha256 == self.record["list_sha256"]
            and self.count == self.record["eligible_count"]
        )

    @property
    def winner_matches(self):
        return self.winner == self.record["winner"]

    @property
    def ok(self):
        return self.list_matches and self.winner_matches


def _recompute_winner(record, labels):
    method = record["method"]
    if method == "random":
        if (record["algorithm"], record["algorithm_version"]) != (
            ALGORITHM,
            ALGORITHM_VERSION,
        ):
            raise DrawDataError(
                f"Unknown algorithm {record['algorithm']} "
                f"version {record['algorithm_version']}."
            )
        return random_winner(record["seed"], labels)
    if method == "lottery":
        target = lottery_digits(record["lottery_result"], record["lottery_digits"])
        return lottery_winner(target, labels, record["unsold_rule"])
    if method == "manual":
        # A manual draw is checked for eligibility: the typed number must be
        # on the frozen list.
        return record["winner"] if record["winner"] in labels else None
    raise DrawDataError(f"Unknown draw method {method!r}.")
