"""Every page of the site, and the data that fills them.

PAGES names a path for each route of the URL configuration that renders a
page (test_phone checks that none is left out), plus the variants worth a
look of their own: a layout, a form's second step, the 404 page.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import URLResolver, get_resolver

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.services import record_payment, sell_numbers
from raffles.tests.factories import RaffleSetFactory


@dataclass(frozen=True)
class Page:
    route: str
    path: str
    # Shown to a visitor who has not logged in.
    anonymous: bool = False
    # A button to press once the path is open (a form's next step).
    submit: str = ""


PAGES = {
    "register": Page("accounts:register", "/accounts/register/", anonymous=True),
    "login": Page("accounts:login", "/accounts/login/", anonymous=True),
    "password": Page("accounts:password", "/accounts/password/"),
    "dashboard": Page("dashboard", "/"),
    "projects": Page("projects:list", "/projects/"),
    "project-new": Page("projects:new", "/projects/new/"),
    "project": Page("projects:detail", "/projects/1/"),
    "project-edit": Page("projects:edit", "/projects/1/edit/"),
    "project-delete": Page("projects:delete", "/projects/1/delete/"),
    "set-new": Page("raffles:set_new", "/projects/1/sets/new/"),
    "set-grid": Page("raffles:set_detail", "/projects/1/sets/1/"),
    "set-grid-filtered": Page("raffles:set_detail", "/projects/1/sets/1/?buyer=Ana"),
    "set-edit": Page("raffles:set_edit", "/projects/1/sets/1/edit/"),
    "set-delete": Page("raffles:set_delete", "/projects/1/sets/1/delete/"),
    "sell-form": Page("raffles:sell", "/projects/1/sell/"),
    "sale-review": Page(
        "raffles:sell",
        "/projects/1/sell/?numbers=0007,0100-0102&buyer=1",
        submit="Review the sale",
    ),
    "mark-paid": Page("raffles:mark_paid_many", "/projects/1/mark-paid/"),
    "mark-paid-review": Page(
        "raffles:mark_paid_many", "/projects/1/mark-paid/?numbers=0042,1234"
    ),
    "number": Page("raffles:number_detail", "/projects/1/numbers/0042/"),
    "payment-void": Page(
        "raffles:payment_void", "/projects/1/numbers/0042/payments/1/void/"
    ),
    "payment-correct": Page(
        "raffles:payment_correct", "/projects/1/numbers/0042/payments/1/correct/"
    ),
    "release": Page("raffles:number_release", "/projects/1/numbers/0042/release/"),
    "refund": Page("raffles:number_refund", "/projects/1/numbers/7777/refund/"),
    "activity": Page("raffles:activity", "/projects/1/activity/"),
    "draw-list": Page("raffles:draw_list", "/projects/1/draw-list/"),
    "draw-list-slips": Page("raffles:draw_list", "/projects/1/draw-list/?layout=slips"),
    "prizes": Page("raffles:prizes", "/projects/1/prizes/"),
    "prize-edit": Page("raffles:prize_edit", "/projects/1/prizes/2/edit/"),
    "prize-delete": Page("raffles:prize_delete", "/projects/1/prizes/2/delete/"),
    "draw-form": Page("raffles:draw_prize", "/projects/1/prizes/2/draw/"),
    "withdraw-plan": Page(
        "raffles:withdraw_plan", "/projects/1/prizes/2/withdraw-plan/"
    ),
    "draws": Page("raffles:draws", "/projects/1/draws/"),
    "draw-record": Page("raffles:draw_record", "/projects/1/draws/1/1/"),
    "verify": Page("verify:draw", "/verify/{token}/", anonymous=True),
    "buyers": Page("buyers:list", "/buyers/"),
    "buyer-new": Page("buyers:new", "/buyers/new/"),
    "buyer": Page("buyers:detail", "/buyers/1/"),
    "buyer-edit": Page("buyers:edit", "/buyers/1/edit/"),
    "buyer-delete": Page("buyers:delete", "/buyers/1/delete/"),
    "not-found": Page("", "/projects/999/"),
}

# Routes that answer with no page of their own, and why.
NOT_PAGES = {
    "accounts:logout": "POST only, then a redirect",
    "set_language": "POST only, then a redirect",
    "raffles:number_payment": "POST only, from the number's page",
    "raffles:number_mark_paid": "POST only, from the number's page",
    "raffles:number_notes": "POST only, from the number's page",
    "raffles:prize_move": "POST only, from the prizes page",
    "raffles:draw_options": "POST only, from the draws page",
    "raffles:draw_list_csv": "a CSV download",
    "raffles:draw_list_xlsx": "a spreadsheet download",
    "buyers:search_json": "JSON for the buyer search",
    "verify:list": "the frozen list as plain text",
    "verify:record": "the draw record as JSON",
    "health": "JSON for load balancers",
    "favicon": "a redirect to the site's icon",
}

# The JSON API and the Django admin are not the organizer's pages.
ELSEWHERE = ("api/", "admin/")


def routes(patterns=None, prefix="", namespace=""):
    """The name of every route outside ELSEWHERE, "namespace:name"."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        path = prefix + str(pattern.pattern)
        if path.startswith(ELSEWHERE):
            continue
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from routes(pattern.url_patterns, path, inner)
        else:
            yield ":".join(filter(None, [namespace, pattern.name]))


def url_of(page, site):
    return page.path.format(**site)


def fill_site(organizer):
    """Set 0000-9999; Ana Gómez de la Torre holds 0042 (part paid) and 1234.

    She paid 7777 in full; it won the first of two prizes. Returns what the
    paths need besides: the draw's verification token.
    """
    project = ProjectFactory(
        owner=organizer, name="Rifa Anual del Club Atlético 2027", currency="COP"
    )
    RaffleSetFactory(
        project=project,
        name="Talonarios en papel",
        quantity=10_000,
        unit_price=Decimal("25000.00"),
    )
    buyer = BuyerFactory(
        owner=organizer,
        first_name="Ana María",
        last_name="Gómez de la Torre",
        email="ana.maria.gomez.de.la.torre+rifa@example.com",
        phone="+57 300 000 0001",
    )
    raffles = sell_numbers(
        project=project, buyer=buyer, numbers="42, 1234", actor=organizer
    )
    record_payment(
        raffle=raffles[0], amount=Decimal("10000"), method="cash", actor=organizer
    )
    sell_numbers(
        project=project,
        buyer=buyer,
        numbers="7777",
        actor=organizer,
        state="paid",
        method="bank_transfer",
    )
    first = draws.create_prize(
        project=project,
        name="Motocicleta 125 cc con casco y seguro por un año",
        description="Entregada en la sede del club el día del sorteo.",
    )
    draw = draws.draw_random(prize=first, actor=organizer)
    draws.create_prize(
        project=project,
        name="Canasta navideña familiar",
        lottery="Lotería de Bogotá, sorteo extraordinario de Navidad",
        lottery_date=datetime.date(2027, 12, 24),
        unsold_rule="next",
    )
    return {"token": draw.token}
