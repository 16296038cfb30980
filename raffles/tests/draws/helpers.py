"""Helpers of the prize and draw tests: sales through the services."""

from decimal import Decimal

from raffles import services


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
