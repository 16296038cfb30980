"""A buyer's receipt as a chat message, for the "share on WhatsApp" link."""

from urllib.parse import quote

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from rafflesite.lib.numbers import label_runs


def receipt_text(buyer, holdings, totals):
    """What the buyer holds and owes, in the active language.

    `holdings` are the buyer's numbers with their project and set, and
    `totals` the rows of buyers.selectors.buyer_totals.
    """
    lines = [
        _("Hello %(name)s, these are your raffle numbers:") % {"name": buyer.first_name}
    ]
    for project, raffles in _by_project(holdings):
        lines.append(f"• {project.name}: {_numbers_line(raffles)}")
    for total in totals:
        values = {
            "paid": _money(total["paid"], total["currency"]),
            "owed": _money(total["owed"], total["currency"]),
        }
        if total["owed"]:
            lines.append(_("Paid: %(paid)s. Still owed: %(owed)s.") % values)
        else:
            lines.append(_("Paid: %(paid)s. Nothing is owed.") % values)
    lines.append(_("Thank you!"))
    return "\n".join(lines)


def whatsapp_url(phone, text):
    """A wa.me link that opens a chat with `phone` (E.164) and `text` typed.

    Without a phone, WhatsApp asks whom to send the text to.
    """
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"


def _by_project(holdings):
    groups = {}
    for raffle in holdings:
        groups.setdefault(raffle.project_id, (raffle.project, []))[1].append(raffle)
    return list(groups.values())


def _numbers_line(raffles):
    parts = []
    for state in ("paid", "reserved"):
        labels = {r.number: r.label for r in raffles if r.state == state}
        if labels:
            parts.append(f"{label_runs(labels)} ({_state_word(state, len(labels))})")
    return "; ".join(parts)


def _state_word(state, count):
    # Spanish agrees with how many numbers: "007 (pagado)", "007-009 (pagados)".
    if state == "paid":
        return npgettext("numbers in a receipt", "paid", "paid", count)
    return npgettext("numbers in a receipt", "reserved", "reserved", count)


def _money(amount, currency):
    number = formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    return f"{number} {currency}"
