"""A realistic demo: one organizer, one scout group's raffle, its buyers and sales.

Everything is written through the services, from a seeded random generator,
so two loads on fresh databases give the same organizer, buyers and sales.
The raffle is drawn today: its three prizes wait to be drawn, one at
random, one by today's lottery result and one by hand.
"""

import datetime
import random
import unicodedata
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from buyers.services import create_buyer
from raffles.draw_selectors import today
from raffles.draws import create_prize
from raffles.models import (
    Method,
    Payment,
    Prize,
    Raffle,
    RaffleEvent,
    State,
    UnsoldRule,
)
from raffles.services import (
    create_raffle_set,
    mark_paid,
    record_payment,
    refund_number,
    release_number,
    sell_numbers,
)

from .services import create_project

USERNAME = "demo"
EMAIL = "demo@example.com"
PASSWORD = "demo-raffles"
PROJECT_NAME = "Rifa Scouts Grupo 15 — Día del Padre"
DESCRIPTION = (
    "Rifa a beneficio del campamento de invierno del Grupo Scout 15.\n"
    "1.º premio: una bicicleta rodado 26, sorteada al azar. 2.º premio: una "
    "canasta de productos regionales, con la primera cifra de la Lotería de la "
    "Ciudad. 3.º premio: un vale de compra, sacado a mano del bolillero."
)
PRIZES = [
    (
        "Bicicleta rodado 26",
        "Sorteo al azar con la aplicación: cualquiera puede verificarlo.",
    ),
    (
        "Canasta de productos regionales",
        "Gana el número que coincide con la primera cifra de la Lotería de la "
        "Ciudad de hoy.",
    ),
    (
        "Vale de compra por 30.000 ARS",
        "Se saca a mano del bolillero con los talones de papel.",
    ),
]
LOTTERY = "Lotería de la Ciudad, primer premio"
SEED = 15
# Pesos at the prices of a school or scout raffle in Argentina today: the
# prizes above are worth far more than one number and less than the sales.
PAPER_PRICE = Decimal("2000.00")
ONLINE_PRICE = Decimal("2500.00")
DEPOSIT = Decimal("1000.00")
BUYERS = 150
TARGET_SOLD = 430
SALES_AGO = datetime.timedelta(days=2)

FIRST_NAMES = [
    "Martín", "Sofía", "Lucía", "Mateo", "Valentina", "Joaquín", "Camila",
    "Tomás", "Agustina", "Benjamín", "Florencia", "Nicolás", "Julieta",
    "Santiago", "Catalina", "Facundo", "Milagros", "Ramón", "Inés", "Andrés",
    "José", "María José", "Germán", "Belén", "Iñaki", "Zoë", "João",
    "Conceição", "Renée", "Ángel", "Óscar", "Mónica", "Raúl", "Noemí",
]  # fmt: skip
LAST_NAMES = [
    "Gómez", "Fernández", "Pérez", "González", "Rodríguez", "López",
    "Martínez", "García", "Sánchez", "Romero", "Díaz", "Álvarez", "Benítez",
    "Acuña", "Muñoz", "Peña", "Núñez", "Ibáñez", "Ordóñez", "Castañeda",
    "Quiñones", "Saldaña", "Gonçalves", "Araújo", "Simões", "Müller",
    "O'Connor", "Echeverría",
]  # fmt: skip
NOTES = [
    "",
    "",
    "",
    "Vecina del grupo.",
    "Pagó 💵 en la reunión de padres.",
    "Compra para la abuela.",
    "Retira el talonario la rama Caminantes.",
    "Avisar por WhatsApp 📱 si gana.",
]
# Phone formats as organizers type them, one per country; "#" is a digit.
PHONE_FORMATS = [
    "+54 9 11 5###-####",  # Argentina, Buenos Aires
    "+54 9 11 6###-####",
    "+54 9 351 5##-####",  # Argentina, Córdoba
    "(+598) 99 ### ###",  # Uruguay
    "+56 9 8### ####",  # Chile
    "0055 11 9####-####",  # Brazil
    "+34 6## ## ## ##",  # Spain
    "+1 (201) 555-01##",  # United States, numbers kept for fiction
    "+52 55 #### ####",  # Mexico
    "+57 310 ### ####",  # Colombia
    "+595 981 ######",  # Paraguay
]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "peña.example"]


def load_demo(*, if_empty=False):
    """Load the demo; return a summary, or None when nothing was loaded.

    Nothing is loaded when the demo organizer exists already (so a second
    run changes nothing) or, with `if_empty`, when any organizer exists.
    """
    if if_empty and User.objects.exists():
        return None
    if User.objects.filter(username=USERNAME).exists():
        return None
    with transaction.atomic():
        return _load(random.Random(SEED))


def reset_demo():
    """Delete the demo organizer and everything of theirs; return whether
    there was one. Nobody else's data is touched: the demo organizer's
    projects, numbers, payments, history and buyers are theirs alone.

    Numbers go first (their payments and history with them), then the
    projects (sets, prizes, draws), then the organizer (buyers): each
    step removes what protects the next from deletion.
    """
    organizer = User.objects.filter(username=USERNAME).first()
    if organizer is None:
        return False
    if organizer.email != EMAIL or organizer.is_staff:
        # Someone registered the name for real on a site without the demo.
        raise ValueError(
            f"The organizer “{USERNAME}” is not the demo's ({EMAIL}); nothing "
            "was deleted."
        )
    with transaction.atomic():
        Raffle.objects.filter(project__owner=organizer).delete()
        organizer.projects.all().delete()
        organizer.delete()
    return True


def _load(rng):
    organizer = User.objects.create_user(
        username=USERNAME,
        password=PASSWORD,
        email=EMAIL,
        first_name="Claudia",
        last_name="Benítez",
    )
    project = create_project(
        owner=organizer,
        name=PROJECT_NAME,
        description=DESCRIPTION,
        currency="ARS",
        draw_date=today(),
    )
    paper = create_raffle_set(
        project=project,
        name="Talonarios en papel",
        kind="paper",
        unit_price=PAPER_PRICE,
        first_number=0,
        quantity=500,
    )
    online = create_raffle_set(
        project=project,
        name="Venta online",
        kind="virtual",
        unit_price=ONLINE_PRICE,
        first_number=500,
        quantity=500,
    )
    buyers = _create_buyers(rng, organizer)
    _sell(rng, organizer, project, buyers, [paper, online])
    _correct(rng, organizer, project, buyers)
    _backdate_sales(project)
    _create_prizes(project)
    return summary(project)


def _create_prizes(project):
    prizes = [
        create_prize(project=project, name=name, description=description)
        for name, description in PRIZES
    ]
    # Demo data only: a lottery plan can be stated only before its lottery's
    # day, and the demo's lottery is today. So the plan an organizer would
    # have stated a week ago is written here directly, backdated.
    Prize.objects.filter(pk=prizes[1].pk).update(
        lottery=LOTTERY,
        lottery_date=today(),
        unsold_rule=UnsoldRule.NEXT,
        lottery_stated_at=timezone.now() - datetime.timedelta(days=7),
    )


def _backdate_sales(project):
    """Move the campaign's sales, payments and history back by SALES_AGO.

    Demo data only: the sales are written now, at load time, but a lottery
    draw leaves out the numbers sold on or after its lottery's day, and the
    demo's lottery is today. A real campaign's sales came before it; two
    days back is an earlier day whatever the length of the local day.
    History events refuse updates, so their plain base manager moves them.
    """
    back = F("at") - SALES_AGO
    RaffleEvent._base_manager.filter(project=project).update(at=back)
    Raffle.objects.filter(project=project).update(
        reserved_at=F("reserved_at") - SALES_AGO, paid_at=F("paid_at") - SALES_AGO
    )
    Payment.objects.filter(raffle__project=project).update(
        paid_at=F("paid_at") - SALES_AGO,
        recorded_at=F("recorded_at") - SALES_AGO,
        cleared_at=F("cleared_at") - SALES_AGO,
    )


def _create_buyers(rng, organizer):
    buyers = []
    for index in range(BUYERS):
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        phone = _phone(rng)
        contact = rng.random()
        relative = buyers[-1] if buyers else None
        if index % 9 == 0 and relative and relative.phone:
            # Family members buying with one phone: the winner is whoever
            # bought the number, so they stay two buyers.
            last_name, phone, contact = relative.last_name, relative.phone, 0.5
        buyers.append(
            create_buyer(
                owner=organizer,
                first_name=first_name,
                last_name=last_name,
                email=_email(rng, first_name, last_name) if contact < 0.8 else "",
                phone=phone if contact > 0.25 else "",
                notes=rng.choice(NOTES),
            )
        )
    return buyers


def _phone(rng):
    template = rng.choice(PHONE_FORMATS)
    return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in template)


def _email(rng, first_name, last_name):
    local = f"{_ascii(first_name)}.{_ascii(last_name)}".replace(" ", "")
    if rng.random() < 0.4:
        local += rng.choice(["+rifa", "+scouts", "+grupo15"])
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _ascii(text):
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def _sell(rng, organizer, project, buyers, sets):
    free = {raffle_set.pk: set(_numbers(raffle_set)) for raffle_set in sets}
    sold = 0
    queue = list(buyers)
    rng.shuffle(queue)
    for sale in range(TARGET_SOLD):
        if sold >= TARGET_SOLD:
            break
        buyer = queue[sale % len(queue)]
        raffle_set = rng.choice(sets)
        numbers = _pick(rng, free[raffle_set.pk], rng.choice([1, 1, 1, 2, 2, 3, 5]))
        paper = raffle_set.kind == "paper"
        paid = rng.random() < 0.55
        sell_numbers(
            project=project,
            buyer=buyer,
            numbers=[raffle_set.label(n) for n in numbers],
            actor=organizer,
            state=State.PAID if paid else State.RESERVED,
            method=_method(rng, paper) if paid else "",
        )
        if not paid and rng.random() < 0.25:
            for raffle in _raffles(project, numbers):
                record_payment(
                    raffle=raffle,
                    amount=DEPOSIT,
                    method=_method(rng, paper),
                    actor=organizer,
                    reference="Seña",
                )
        sold += len(numbers)


def _numbers(raffle_set):
    return range(raffle_set.first_number, raffle_set.last_number + 1)


def _pick(rng, free, count):
    """`count` free numbers, in a row when possible (a family's booklet)."""
    start = rng.choice(sorted(free))
    row = [start + i for i in range(count)]
    numbers = row if all(n in free for n in row) else [start]
    free.difference_update(numbers)
    return numbers


def _method(rng, paper):
    if paper:
        return rng.choice([Method.CASH, Method.CASH, Method.CASH, Method.MOBILE])
    return rng.choice([Method.BANK_TRANSFER, Method.MOBILE, Method.CARD])


def _raffles(project, numbers):
    return Raffle.objects.filter(project=project, number__in=numbers).order_by("number")


def _correct(rng, organizer, project, buyers):
    """Payments collected later, releases and refunds, as in a real campaign."""
    reserved = list(_in_state(project, State.RESERVED))
    rng.shuffle(reserved)
    for raffle in reserved[:25]:
        mark_paid(raffle=raffle, method=Method.CASH, actor=organizer)
    released = reserved[25:33]
    for raffle in released:
        release_number(raffle=raffle, actor=organizer, reason="No confirmó la compra.")
    paid = list(_in_state(project, State.PAID))
    for raffle in rng.sample(paid, 5):
        refund_number(
            raffle=raffle,
            actor=organizer,
            reason="Pagó dos veces por error; se devolvió el dinero.",
        )
    for raffle in released[:3]:
        sell_numbers(
            project=project,
            buyer=rng.choice(buyers),
            numbers=[raffle.label],
            actor=organizer,
            state=State.PAID,
            method=Method.MOBILE,
        )


def _in_state(project, state):
    return (
        Raffle.objects.filter(project=project, state=state)
        .select_related("raffle_set")
        .order_by("number")
    )


def summary(project):
    raffles = Raffle.objects.filter(project=project)
    return {
        "organizer": project.owner.username,
        "project": project,
        "sets": project.raffle_sets.count(),
        "numbers": raffles.count(),
        "buyers": project.owner.buyers.count(),
        "reserved": raffles.filter(state=State.RESERVED).count(),
        "paid": raffles.filter(state=State.PAID).count(),
        "prizes": project.prizes.count(),
    }
