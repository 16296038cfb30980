import pytest

from rafflesite.lib.numbers import (
    MAX_NUMBERS_PER_REQUEST,
    NumberListError,
    compress,
    digits,
    is_digits,
    label,
    label_runs,
    parse_numbers,
)
from rafflesite.lib.text import csv_safe, fold, mask_phone, name_key


@pytest.mark.parametrize(
    "number, padding, expected",
    [(7, 3, "007"), (0, 2, "00"), (42, 1, "42"), (1234, 3, "1234"), (5, 0, "5")],
)
def test_label_pads_with_zeros(number, padding, expected):
    assert label(number, padding) == expected


@pytest.mark.parametrize("number, expected", [(0, 1), (9, 1), (99, 2), (100_000, 6)])
def test_digits_counts_written_digits(number, expected):
    assert digits(number) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7", [(7, "7")]),
        ("007", [(7, "007")]),
        ("7, 12", [(7, "7"), (12, "12")]),
        ("7 12;13\n14", [(7, "7"), (12, "12"), (13, "13"), (14, "14")]),
        ("100-102", [(100, "100"), (101, "101"), (102, "102")]),
        ("100 - 101", [(100, "100"), (101, "101")]),
        ("7 100-101", [(7, "7"), (100, "100"), (101, "101")]),
        ("1 -2\t4", [(1, "1"), (2, "2"), (4, "4")]),
        ("040-042", [(40, "040"), (41, "041"), (42, "042")]),
        ("8-10", [(8, "8"), (9, "9"), (10, "10")]),
        ("7, 7, 007", [(7, "7")]),
        ("3, 1-2", [(3, "3"), (1, "1"), (2, "2")]),
        (["7", 12, "007"], [(7, "7"), (12, "12")]),
        (" ,7,, ", [(7, "7")]),
    ],
)
def test_parse_numbers_reads_lists_and_ranges(text, expected):
    assert parse_numbers(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Type at least one number."),
        (" , ;", "Type at least one number."),
        ([], "Type at least one number."),
        ("abc", "“abc” is not a number or a range like 100-105."),
        ("-5", "“-5” is not a number or a range like 100-105."),
        ("7.5", "“7.5” is not a number or a range like 100-105."),
        ("1-2-3", "“1-2-3” is not a number or a range like 100-105."),
        ("10-5", "The range “10-5” ends before it starts."),
        ("²", "“²” is not a number or a range like 100-105."),
        ("٣", "“٣” is not a number or a range like 100-105."),
        ("1-٣", "“1-٣” is not a number or a range like 100-105."),
        (["12", "٣"], "“٣” is not a number or a range like 100-105."),
        (
            f"0-{MAX_NUMBERS_PER_REQUEST}",
            f"The range “0-{MAX_NUMBERS_PER_REQUEST}” has more than "
            f"{MAX_NUMBERS_PER_REQUEST} numbers.",
        ),
    ],
)
def test_parse_numbers_refuses_bad_input(text, message):
    with pytest.raises(NumberListError) as error:
        parse_numbers(text)

    assert str(error.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "100000-199999, 200000-299999",
        "0-99999, 100000",
        ["0-99999", "100000"],
    ],
)
def test_parse_numbers_caps_the_total_of_ranges(text):
    with pytest.raises(NumberListError) as error:
        parse_numbers(text)

    assert str(error.value) == (
        f"Type at most {MAX_NUMBERS_PER_REQUEST} numbers at once."
    )


def test_parse_numbers_counts_repeated_numbers_once_for_the_cap():
    pairs = parse_numbers("0-99999, 0-99999, 5")

    assert len(pairs) == MAX_NUMBERS_PER_REQUEST


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", True),
        ("007", True),
        ("1234567890", True),
        ("", False),
        (" 7", False),
        ("7\n", False),
        ("-7", False),
        ("7.0", False),
        ("²", False),
        ("٣", False),
        ("1²", False),
        ("７", False),
        (7, False),
        (None, False),
    ],
)
def test_is_digits_takes_ascii_digits_only(text, expected):
    assert is_digits(text) is expected


def test_parse_numbers_takes_the_largest_range():
    pairs = parse_numbers(f"0-{MAX_NUMBERS_PER_REQUEST - 1}")

    assert len(pairs) == MAX_NUMBERS_PER_REQUEST
    assert pairs[-1] == (MAX_NUMBERS_PER_REQUEST - 1, str(MAX_NUMBERS_PER_REQUEST - 1))


@pytest.mark.parametrize(
    "numbers, expected",
    [
        ([], []),
        ([7], [(7, 7)]),
        ([12, 7, 100, 101, 102, 13], [(7, 7), (12, 13), (100, 102)]),
    ],
)
def test_compress_groups_runs(numbers, expected):
    assert compress(numbers) == expected


def test_compress_ends_a_run_where_the_key_changes():
    states = {1: "paid", 2: "paid", 3: "reserved", 4: "reserved", 6: "reserved"}

    assert compress(states, key=states.get) == [(1, 2), (3, 4), (6, 6)]


@pytest.mark.parametrize(
    "first, second",
    [
        ("Rifa Navideña", "RIFA NAVIDEÑA"),
        ("Rifa  Navideña ", "rifa navideña"),
        ("Straße", "STRASSE"),
        # "ñ" written as one code point and as "n" plus a combining tilde.
        ("Peña", "Pen\u0303a"),
    ],
)
def test_name_key_ignores_case_and_spacing(first, second):
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(
    "first, second",
    [("Rifa Navideña", "Rifa Navidena"), ("Rifa 🎄", "Rifa 🎅"), ("Rifa 1", "Rifa 2")],
)
def test_name_key_tells_different_names_apart(first, second):
    assert name_key(first) != name_key(second)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("  José  GÓMEZ ", "jose gomez"),
        ("Muñoz", "munoz"),
        # "ñ" as "n" plus a combining tilde.
        ("MUN\u0303OZ", "munoz"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("ﬁnca", "finca"),
        ("İnci", "inci"),
        ("Ana 😀", "ana 😀"),
        ("", ""),
    ],
)
def test_fold_drops_accents_case_and_extra_spaces(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            '=HYPERLINK("http://x.example","prize")',
            '\'=HYPERLINK("http://x.example","prize")',
        ),
        ("+SUM(1,1)", "'+SUM(1,1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("José Peña", "José Peña"),
        ("007", "007"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_safe_neutralizes_formulas(value, expected):
    assert csv_safe(value) == expected


@pytest.mark.parametrize(
    "formatted, expected",
    [
        ("+57 300 0000001", "+57 *** ****001"),
        ("+54 9 11 2345-6789", "+54 * ** ****-*789"),
        ("+1 201-555-0123", "+1 ***-***-*123"),
        ("12345", "**345"),
        ("", ""),
    ],
)
def test_mask_phone_keeps_country_code_and_last_three(formatted, expected):
    assert mask_phone(formatted) == expected


def test_number_list_error_keeps_its_template_for_translation():
    with pytest.raises(NumberListError) as error:
        parse_numbers("7, x9")

    assert error.value.template == "“%(part)s” is not a number or a range like 100-105."
    assert error.value.params == {"part": "x9"}


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({7: "007"}, "007"),
        ({45: "045", 7: "007", 40: "040", 41: "041", 42: "042"}, "007, 040-042, 045"),
        ({}, ""),
    ],
)
def test_label_runs_writes_runs_in_order(labels, expected):
    assert label_runs(labels) == expected
