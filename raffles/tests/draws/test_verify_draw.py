"""`manage.py verify_draw` re-checks a downloaded record like the app does."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from raffles import draws
from raffles.tests.draws.helpers import sell, sell_earlier, state_plan
from rafflesite.lib.draws import random_winner

pytestmark = pytest.mark.usefixtures("pages")


def download(client, draw, tmp_path):
    record = tmp_path / "record.json"
    listing = tmp_path / "list.txt"
    record.write_bytes(client.get(reverse("verify:record", args=[draw.token])).content)
    listing.write_bytes(client.get(reverse("verify:list", args=[draw.token])).content)
    return record, listing


def run(*args):
    out = StringIO()
    call_command("verify_draw", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def sold(project, raffle_set, buyer):
    sell_earlier(project, buyer, "003, 010-020, 042, 077")


@pytest.mark.parametrize(
    "details",
    [
        {"method": "random"},
        {"method": "manual", "number": "42"},
        {"method": "lottery", "result": "98050", "source": "TV", "rule": "next"},
        {"method": "lottery", "result": "98050", "source": "TV", "rule": "none"},
    ],
    ids=["random", "manual", "lottery-next", "lottery-none"],
)
def test_verify_draw_agrees_with_the_app(
    client, organizer, sold, prize, tmp_path, details
):
    if "rule" in details:
        state_plan(prize, rule=details.pop("rule"))
    draw = draws.draw_prize(prize=prize, actor=organizer, **details)
    record, listing = download(client, draw, tmp_path)

    output = run(record)
    with_list = run(record, "--list", listing)

    winner = draw.winner_label or "none"
    assert f"Winner ({draw.method}): {winner} (matches the record)" in output
    assert f"SHA-256 {draw.list_sha256} (matches the record)" in output
    assert "The record checks out." in with_list


def test_verify_draw_rechecks_a_lottery_draw_from_its_frozen_list(
    client, organizer, project, buyer, sold, prize, tmp_path
):
    sell(project, buyer, "050")
    state_plan(prize, rule="next")
    draw = draws.draw_lottery(prize=prize, actor=organizer, result="98050", source="TV")
    record, listing = download(client, draw, tmp_path)
    data = json.loads(record.read_text())

    output = run(record, "--list", listing)

    assert (draw.winner_label, data["late_count"]) == ("077", 1)
    assert "050" not in data["list"]
    assert "Winner (lottery): 077 (matches the record)" in output
    assert "The record checks out." in output


def test_verify_draw_recomputes_the_stored_random_winner(
    client, organizer, sold, prize, tmp_path
):
    draw = draws.draw_random(prize=prize, actor=organizer)
    record, _listing = download(client, draw, tmp_path)

    output = run(record)

    assert f"List: 14 numbers, SHA-256 {draw.list_sha256}" in output
    assert f"Winner (random): {draw.winner_label} (matches the record)" in output


def test_verify_draw_needs_no_database(client, organizer, sold, prize, tmp_path):
    draw = draws.draw_random(prize=prize, actor=organizer)
    record, _listing = download(client, draw, tmp_path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
            _refuse_connection,
        )
        output = run(record)

    assert "The record checks out." in output


def _refuse_connection(self):
    # Every query goes through ensure_connection first.
    raise AssertionError("verify_draw touched the database")


@pytest.mark.parametrize(
    ("field", "value"),
    [("winner", "999"), ("seed", "ab" * 32), ("list_sha256", "0" * 64)],
)
def test_verify_draw_spots_a_tampered_record(
    client, organizer, sold, prize, tmp_path, field, value
):
    draw = draws.draw_random(prize=prize, actor=organizer)
    record, listing = download(client, draw, tmp_path)
    data = json.loads(record.read_text())
    if data[field] == value:
        value = "998"
    if field == "seed":
        value = _seed_with_another_winner(data["winner"], listing)
    data[field] = value
    record.write_text(json.dumps(data))

    with pytest.raises(CommandError, match="does NOT check out"):
        run(record)


def _seed_with_another_winner(winner, listing):
    """A seed that picks another number than `winner`: one in N seeds picks
    the same one, and that record would rightly check out."""
    labels = listing.read_text().split()
    for digit in "abcdef":
        seed = digit * 64
        if random_winner(seed, labels) != winner:
            return seed
    raise AssertionError("every seed picks the same winner")


def test_verify_draw_spots_a_changed_list_file(
    client, organizer, sold, prize, tmp_path
):
    draw = draws.draw_random(prize=prize, actor=organizer)
    record, listing = download(client, draw, tmp_path)
    listing.write_bytes(listing.read_bytes().replace(b"042\n", b""))

    with pytest.raises(CommandError, match="does NOT check out"):
        run(record, "--list", listing)


def test_verify_draw_refuses_a_file_that_is_not_a_record(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')

    with pytest.raises(CommandError, match="is not a draw record"):
        run(path)
