"""Helpers of the prize and draw tests: sales through the services, plans."""

import datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from raffles import services
from raffles.draw_selectors import today
from raffles.models import Prize, RaffleEvent


def sell(project, buyer, numbers, state="paid"):
    return services.sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
        method="cash" if state == "paid" else "",
    )


def refund(project, number):
    raffle = project.raffles.get(number=number)
    services.refund_number(raffle=raffle, actor=project.owner, reason="Returned")


def half_pay(project, number):
    raffle = project.raffles.get(number=number)
    services.record_payment(
        raffle=raffle, amount=Decimal("1.00"), method="cash", actor=project.owner
    )


def state_plan(
    prize, *, lottery="National Lottery, first prize", rule="none", date=None, ahead=7
):
    """The prize's lottery plan as if stated `ahead` days before its lottery.

    The lottery is today's unless `date` says otherwise. Written straight to
    the database: the services take a plan only before its lottery's day,
    and these tests need one whose day has come.
    """
    date = date or today()
    stated = datetime.datetime.combine(
        date - datetime.timedelta(days=ahead),
        datetime.time(12, 0),
        tzinfo=timezone.get_default_timezone(),
    )
    Prize.objects.filter(pk=prize.pk).update(
        lottery=lottery, lottery_date=date, unsold_rule=rule, lottery_stated_at=stated
    )
    prize.refresh_from_db()
    return prize


def sell_earlier(project, buyer, numbers, state="paid", days=30):
    """Sell as sell() does, dated `days` back, before these tests' lottery days.

    The services stamp a number's history with the server's clock, and a
    lottery draw leaves out the numbers sold on its lottery's day or later.
    """
    raffles = sell(project, buyer, numbers, state)
    backdate(raffles, days)
    return raffles


def backdate(raffles, days):
    """Date the history of `raffles` `days` earlier.

    History events refuse updates; their plain base manager does not.
    """
    RaffleEvent._base_manager.filter(raffle__in=raffles).update(
        at=F("at") - datetime.timedelta(days=days)
    )
