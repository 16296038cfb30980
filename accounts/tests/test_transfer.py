"""export_organizer and import_organizer: one organizer's data, round trip."""

import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.transfer import MODELS
from buyers.models import Buyer
from buyers.selectors import search_buyers
from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles import draws, services
from raffles.models import Draw, Payment, Raffle
from raffles.tests.draws.helpers import backdate, state_plan
from raffles.tests.factories import RaffleSetFactory
from rafflesite.lib.text import fold

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scouts():
    """An organizer with every kind of row, one change made by a staff member."""
    scouts = UserFactory(username="scouts", first_name="Inés")
    staff = UserFactory(username="helpdesk", is_staff=True)
    project = ProjectFactory(owner=scouts, name="Rifa Navideña 🎄", currency="COP")
    paper = RaffleSetFactory(
        project=project, name="Papel", quantity=100, unit_price=Decimal("10.00")
    )
    RaffleSetFactory(
        project=project,
        name="Virtual",
        first_number=100,
        quantity=100,
        unit_price=Decimal("12.50"),
    )
    ana = BuyerFactory(owner=scouts, first_name="Ana 😀", last_name="Gómez")
    luis = BuyerFactory(owner=scouts, first_name="Luis", notes="Pagó 💵")
    services.sell_numbers(project=project, buyer=ana, numbers="7, 12", actor=scouts)
    services.sell_numbers(
        project=project,
        buyer=luis,
        numbers="100-105",
        actor=scouts,
        state="paid",
        method="cash",
    )
    seven = Raffle.objects.get(project=project, number=7)
    services.record_payment(raffle=seven, amount="4.00", method="card", actor=staff)
    services.record_payment(raffle=seven, amount="6.00", method="cash", actor=scouts)
    twelve = Raffle.objects.get(project=project, number=12)
    services.release_number(raffle=twelve, actor=scouts, reason="Cambió de idea")
    services.sell_numbers(project=project, buyer=ana, numbers="13", actor=scouts)
    thirteen = Raffle.objects.get(project=project, number=13)
    typo = services.record_payment(
        raffle=thirteen, amount="3.00", method="mobile", actor=scouts
    )
    services.void_payment(payment=typo, actor=scouts, reason="Pago duplicado")
    refunded = Raffle.objects.get(project=project, number=105)
    services.refund_number(raffle=refunded, actor=staff, reason="Devolución")
    first = draws.create_prize(project=project, name="Bicicleta", raffle_sets=[paper])
    second = draws.create_prize(project=project, name="Canasta")
    # Sold weeks ago: a lottery draw leaves out what was sold on its day.
    backdate(Raffle.objects.filter(project=project), days=30)
    third = draws.create_prize(project=project, name="Radio")
    # Before the third prize waits for its lottery: from then on, a number
    # drawn by hand or a redraw could choose who wins it.
    draws.draw_manual(prize=first, actor=scouts, number="07")
    draws.draw_random(prize=second, actor=scouts)
    draws.redraw(prize=second, actor=staff, reason="No contesta", method="random")
    third = state_plan(third, lottery="Lotería de Medellín", rule="next")
    draws.draw_lottery(
        prize=third, actor=scouts, result="4 5 1 0 1", source="El Colombiano"
    )
    fourth = state_plan(
        draws.create_prize(project=project, name="Cometa"),
        lottery="Lotería de Bogotá",
        rule="none",
    )
    draws.withdraw_plan(prize=fourth, actor=staff, reason="Sorteo aplazado ⏳")
    return scouts


def export(user):
    stream = io.StringIO()
    call_command("export_organizer", user.username, stdout=stream)
    return json.loads(stream.getvalue())


def forget(user):
    """Delete an organizer and everything they own."""
    Project.objects.filter(owner=user).delete()
    Buyer.objects.filter(owner=user).delete()
    user.delete()


def comparable(document):
    """The export without its internal ids: each id becomes its row's place
    in the file, each user the organizer or their user name."""
    organizer = document["organizer"]["pk"]
    users = {organizer: "organizer"}
    users.update({int(pk): name for pk, name in document["users"].items()})
    places = {"accounts.user": users}
    for label, rows in document["objects"].items():
        places[label] = {row["pk"]: index for index, row in enumerate(rows)}
    objects = {}
    for label, rows in document["objects"].items():
        model = apps.get_model(label)
        links = {
            field.name: field.related_model._meta.label_lower
            for field in model._meta.get_fields()
            if field.concrete and field.is_relation
        }
        objects[label] = [
            {
                name: _place(places, links.get(name), value)
                for name, value in row["fields"].items()
            }
            for row in rows
        ]
    fields = dict(document["organizer"]["fields"])
    return {"organizer": fields, "objects": objects}


def _place(places, target, value):
    if target is None or value is None:
        return value
    if isinstance(value, list):
        return [places[target][pk] for pk in value]
    return places[target][value]


def test_export_covers_every_model_of_the_project():
    """A new model must be added to transfer.MODELS (or to the organizer)."""
    ours = {
        model._meta.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT
        for model in config.get_models()
    }

    assert {label for label, _owner in MODELS} == ours - {"accounts.User"}


def test_export_then_import_gives_back_every_row_and_field(scouts):
    before = export(scouts)
    forget(scouts)

    user = _import(before)

    after = export(user)
    assert comparable(after) == comparable(before)
    assert len(before["objects"]["raffles.raffle"]) == 200
    assert [
        (row["fields"]["method"], row["fields"]["sequence"], row["fields"]["reason"])
        for row in before["objects"]["raffles.draw"]
    ] == [
        ("manual", 1, ""),
        ("random", 1, ""),
        ("random", 2, "No contesta"),
        ("lottery", 1, ""),
    ]
    assert sorted(
        (row["fields"]["kind"], row["fields"]["amount"], row["fields"]["reason"])
        for row in before["objects"]["raffles.raffleevent"]
        if row["fields"]["reason"]
    ) == [
        ("payment", "-3.00", "Pago duplicado"),
        ("refund", "12.50", "Devolución"),
        ("release", None, "Cambió de idea"),
    ]
    cleared = [
        row
        for row in before["objects"]["raffles.payment"]
        if row["fields"]["cleared_at"]
    ]
    assert len(cleared) == 2
    helpdesk = User.objects.get(username="helpdesk")
    assert before["users"] == {str(helpdesk.pk): "helpdesk"}


def test_import_writes_the_buyers_search_text_again(scouts):
    """A file from before search_text existed, or with a stale one."""
    document = export(scouts)
    forget(scouts)
    for row in document["objects"]["buyers.buyer"]:
        row["fields"].pop("search_text")
    document["objects"]["buyers.buyer"][1]["fields"]["search_text"] = "stale"

    user = _import(document)

    assert sorted(
        Buyer.objects.filter(owner=user).values_list("search_text", flat=True)
    ) == sorted(fold(f"{b.full_name} {b.email}") for b in Buyer.objects.all())
    assert [b.full_name for b in search_buyers(user, "😀 GOMEZ")] == ["Ana 😀 Gómez"]


def test_imported_draws_keep_which_one_stands(scouts):
    standing = sorted(
        Draw.objects.filter(current_prize__isnull=False).values_list(
            "prize__position", "sequence", "winner__number"
        )
    )
    document = export(scouts)
    forget(scouts)

    user = _import(document)

    assert (
        sorted(
            Draw.objects.filter(
                project__owner=user, current_prize__isnull=False
            ).values_list("prize__position", "sequence", "current_winner__number")
        )
        == standing
    )


def test_imported_organizer_logs_in_and_finds_their_numbers(scouts):
    document = export(scouts)
    forget(scouts)

    user = _import(document)

    client = Client()
    assert client.login(username="scouts", password="raffle-pass-123")
    page = client.get("/projects/1/numbers/07/").content.decode()
    assert "Ana 😀 Gómez" in page
    assert user.last_buyer_ref == 2
    seven = Raffle.objects.get(project__owner=user, number=7)
    assert (seven.state, seven.amount_paid) == ("paid", Decimal("10.00"))


def test_imported_draws_keep_their_verification_links(scouts):
    tokens = set(Draw.objects.values_list("token", flat=True))
    document = export(scouts)
    forget(scouts)

    _import(document)

    assert set(Draw.objects.values_list("token", flat=True)) == tokens
    for token in tokens:
        assert Client().get(f"/verify/{token}/").status_code == 200


def test_import_links_a_missing_staff_member_by_user_name(scouts):
    document = export(scouts)
    forget(scouts)
    User.objects.filter(username="helpdesk").delete()

    _import(document)

    helpdesk = User.objects.get(username="helpdesk")
    assert helpdesk.is_active is False
    assert helpdesk.has_usable_password() is False
    assert Payment.objects.get(recorded_by=helpdesk).amount == Decimal("4.00")


def test_import_under_another_user_name_needs_new_draw_links(scouts):
    document = export(scouts)

    with pytest.raises(CommandError, match="in the database already"):
        _import(document, "--username", "scouts-copy")

    assert not User.objects.filter(username="scouts-copy").exists()


def test_import_refuses_an_existing_organizer_and_changes_nothing(scouts):
    document = export(scouts)
    rows = Raffle.objects.count()

    with pytest.raises(CommandError, match="An organizer named scouts exists"):
        _import(document)

    assert Raffle.objects.count() == rows


def test_import_refuses_a_file_that_is_no_export(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"projects": []}', encoding="utf-8")

    with pytest.raises(CommandError, match="not an organizer export"):
        call_command("import_organizer", str(path))


def test_export_names_an_unknown_organizer():
    with pytest.raises(CommandError, match="No organizer is named nobody"):
        call_command("export_organizer", "nobody")


def _import(document, *args):
    path = _write(document)
    call_command("import_organizer", str(path), *args, stdout=io.StringIO())
    username = args[1] if args else document["organizer"]["fields"]["username"]
    return User.objects.get(username=username)


def _write(document):
    folder = Path(tempfile.mkdtemp())
    path = folder / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path
