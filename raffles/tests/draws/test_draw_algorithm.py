"""The pure draw algorithm of rafflesite.lib.draws (docs/draws.md)."""

import hashlib
import hmac

import pytest

from rafflesite.lib import draws as algorithm

SEED = "00" * 31 + "01"


def fixed_seeds(count):
    """Deterministic, well-spread seeds: SHA-256 of "seed-0", "seed-1", ..."""
    return [hashlib.sha256(f"seed-{i}".encode()).hexdigest() for i in range(count)]


def chi_square(observed, expected):
    return sum((count - expected) ** 2 / expected for count in observed)


def test_list_sha256_hashes_each_label_ended_by_a_line_feed():
    labels = ["001", "007", "042"]

    digest = algorithm.list_sha256(labels)

    assert digest == hashlib.sha256(b"001\n007\n042\n").hexdigest()


def test_read_list_round_trips_the_stored_bytes():
    labels = ["007", "042", "1000"]

    assert algorithm.read_list(algorithm.list_bytes(labels)) == labels


@pytest.mark.parametrize(
    "data",
    [b"007\n001\n", b"007\n007\n", b"007", b"7a\n", b"007\n\n"],
    ids=["unsorted", "repeated", "no-final-newline", "not-digits", "blank-line"],
)
def test_read_list_refuses_a_list_not_in_canonical_form(data):
    with pytest.raises(algorithm.DrawDataError):
        algorithm.read_list(data)


def test_ranges_joins_consecutive_numbers():
    labels = ["001", "002", "003", "007", "009", "010"]

    assert algorithm.ranges(labels) == ["001-003", "007", "009-010"]


def test_new_seed_is_64_hex_digits_and_fresh_each_time():
    seeds = {algorithm.new_seed() for _ in range(20)}

    assert len(seeds) == 20
    assert all(algorithm.check_seed(seed) == seed for seed in seeds)


def test_pick_index_is_hmac_of_digest_and_counter_reduced_mod_count():
    digest = algorithm.list_sha256(["1", "2", "3"])
    block = algorithm.block(SEED, digest, 0)

    expected = hmac.new(
        bytes.fromhex(SEED),
        bytes.fromhex(digest) + (0).to_bytes(8, "big"),
        hashlib.sha256,
    ).digest()

    assert block == expected
    assert algorithm.pick_index(SEED, digest, 3) == int.from_bytes(block, "big") % 3


def test_pick_index_known_answer():
    # Pinned so any change of the method shows up; docs/draws.md quotes it.
    labels = [f"{n:03d}" for n in range(1, 101)]

    assert algorithm.list_sha256(labels) == (
        "f89abec316c5bb09babb3e426c8821a934ebbf689058caf458760159bd6d8b41"
    )
    assert algorithm.random_winner(SEED, labels) == "039"


def test_index_from_block_rejects_the_biased_tail():
    count = 3
    tail_start = algorithm.SPACE - algorithm.SPACE % count

    assert algorithm.index_from_block(tail_start - 1, count) == (tail_start - 1) % 3
    assert algorithm.index_from_block(tail_start, count) is None
    assert algorithm.index_from_block(algorithm.SPACE - 1, count) is None


def test_index_from_block_keeps_every_value_for_a_power_of_two():
    assert algorithm.index_from_block(algorithm.SPACE - 1, 4) == 3


@pytest.mark.parametrize(
    ("count", "rounds", "critical"),
    # Chi-square critical values at a significance of 0.001:
    # 27.877 for 9 degrees of freedom, 22.458 for 6, 45.315 for 20.
    [(10, 10_000, 27.877), (7, 7_000, 22.458), (21, 10_500, 45.315)],
)
def test_random_winner_is_uniform_over_many_seeds(count, rounds, critical):
    labels = [f"{n:02d}" for n in range(count)]
    observed = dict.fromkeys(labels, 0)

    for seed in fixed_seeds(rounds):
        observed[algorithm.random_winner(seed, labels)] += 1

    assert chi_square(observed.values(), rounds / count) < critical
    assert min(observed.values()) > 0


def test_random_winner_depends_on_the_list():
    labels = [f"{n:03d}" for n in range(200)]
    winners = {algorithm.random_winner(SEED, labels[:k]) for k in range(150, 200)}

    assert len(winners) > 10


@pytest.mark.parametrize(
    ("result", "width", "digits"),
    [
        ("48213", 2, "13"),
        ("48213", 3, "213"),
        ("48213", 4, "8213"),
        ("0 0 7", 3, "007"),
        ("04-21", 4, "0421"),
    ],
)
def test_lottery_digits_takes_the_last_digits(result, width, digits):
    assert algorithm.lottery_digits(result, width) == digits


@pytest.mark.parametrize("result", ["12", "4a21", "", "48²13", "٤٨٢١٣"])
def test_lottery_digits_refuses_short_or_non_digit_results(result):
    with pytest.raises(algorithm.DrawDataError):
        algorithm.lottery_digits(result, 3)


@pytest.mark.parametrize(
    ("target", "rule", "winner"),
    [
        ("042", "none", "042"),
        ("042", "next", "042"),
        ("050", "none", None),
        ("050", "next", "077"),
        ("099", "next", "007"),
        ("000", "next", "007"),
    ],
)
def test_lottery_winner_applies_the_unsold_rule(target, rule, winner):
    labels = ["007", "042", "077"]

    assert algorithm.lottery_winner(target, labels, rule) == winner


def test_verification_recomputes_a_random_record():
    labels = ["001", "005", "009"]
    record = {
        "method": "random",
        "seed": SEED,
        "algorithm": algorithm.ALGORITHM,
        "algorithm_version": algorithm.ALGORITHM_VERSION,
        "list_sha256": algorithm.list_sha256(labels),
        "eligible_count": 3,
        "winner": algorithm.random_winner(SEED, labels),
    }

    check = algorithm.Verification(record, labels)

    assert (check.list_matches, check.winner_matches, check.ok) == (True, True, True)


def test_verification_spots_a_changed_list():
    labels = ["001", "005", "009"]
    record = {
        "method": "manual",
        "list_sha256": algorithm.list_sha256(labels),
        "eligible_count": 3,
        "winner": "005",
    }

    check = algorithm.Verification(record, ["001", "009"])

    assert (check.list_matches, check.winner_matches) == (False, False)


def test_reference_implementation_in_the_docs_agrees(settings):
    docs = (settings.BASE_DIR / "docs" / "draws.md").read_text()
    code = docs.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(code, namespace)  # noqa: S102 -- the documented reference code

    for count in (1, 2, 3, 10, 101):
        labels = [f"{n:04d}" for n in range(5, 5 + count)]
        for seed in fixed_seeds(20):
            assert namespace["winner"](seed, labels) == algorithm.random_winner(
                seed, labels
            )


def test_docs_quote_the_known_answer(settings):
    docs = (settings.BASE_DIR / "docs" / "draws.md").read_text()
    labels = [f"{n:03d}" for n in range(1, 101)]
    digest = algorithm.list_sha256(labels)

    assert digest in docs
    assert algorithm.block(SEED, digest, 0).hex() in docs
    assert f"`{algorithm.random_winner(SEED, labels)}` (index 38" in docs
