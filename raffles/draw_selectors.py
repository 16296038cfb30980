"""Reads of prizes and draws: eligible numbers, frozen lists, records."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from rafflesite.lib import draws as algorithm
from rafflesite.lib.numbers import digits

from .models import (
    Draw,
    DrawListPart,
    Prize,
    Raffle,
    RaffleEvent,
    RaffleSet,
    State,
    WithdrawnPlan,
)


def today():
    """Today in settings.TIME_ZONE: the day lottery plans are judged by."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


# Eligible numbers


def eligible_states(project):
    if project.draws_include_reserved:
        return [State.PAID, State.RESERVED]
    return [State.PAID]


def project_padding(project):
    """The digits a lottery result is compared on: the widest label of the
    project's numbers (None without sets). See set_widths."""
    return max(set_widths(project), default=None)


def set_widths(project, exclude=None):
    """The width of each set's widest label, but the set `exclude`'s.

    A set's padding, or more where its last number has more digits (with a
    padding of 3, 999 is followed by 1000): a lottery result compared on
    fewer digits could never pick the wider numbers.
    """
    sets = RaffleSet.objects.filter(project=project)
    if exclude is not None:
        sets = sets.exclude(pk=exclude.pk)
    return [
        max(padding, digits(first + quantity - 1))
        for padding, first, quantity in sets.values_list(
            "padding", "first_number", "quantity"
        )
    ]


def excluded_numbers(prize):
    """Numbers that cannot win the prize's next draw.

    A number wins at most one prize of a project: the winners of standing
    draws are out, and so are the earlier winners of this prize (a redraw
    never hands the prize back to the number it was taken from).
    """
    draws = Draw.objects.filter(project_id=prize.project_id, winner__isnull=False)
    return set(
        draws.filter(Q(current_prize__isnull=False) | Q(prize=prize)).values_list(
            "winner__number", flat=True
        )
    )


def eligible_entries(prize, project):
    """(number, label, reserved) of every number the prize can go to, by number.

    Read as plain tuples over the project's numbers, so a list of a million
    numbers is built in a few seconds.
    """
    paddings = dict(
        RaffleSet.objects.filter(project=project).values_list("pk", "padding")
    )
    rows = Raffle.objects.filter(project=project, state__in=eligible_states(project))
    set_ids = [raffle_set.pk for raffle_set in prize.raffle_sets.all()]
    if set_ids:
        rows = rows.filter(raffle_set_id__in=set_ids)
    rows = rows.order_by("number")
    excluded = excluded_numbers(prize)
    # Labels as rafflesite.lib.numbers.label writes them, inlined: the call
    # costs more than the formatting a million times over.
    if not project.draws_include_reserved:
        return [
            (number, str(number).zfill(paddings[set_id]), False)
            for number, set_id in rows.values_list("number", "raffle_set_id")
            if number not in excluded
        ]
    return [
        (number, str(number).zfill(paddings[set_id]), state == State.RESERVED)
        for number, set_id, state in rows.values_list(
            "number", "raffle_set_id", "state"
        )
        if number not in excluded
    ]


def eligible_labels(prize):
    return [entry[1] for entry in eligible_entries(prize, prize.project)]


# Numbers sold once a lottery's result could be known


def late_numbers(project, day):
    """Numbers that became eligible on `day` or later, as a set.

    A number becomes eligible when it moves into a state that can win:
    reserved or sold when reserved numbers can win, paid in full when only
    paid ones can. Its history (immutable events, stamped by the server's
    clock) says when; a number released and sold again counts from its
    latest sale, and a number reserved earlier and paid on `day` is late
    only when only paid numbers can win.
    """
    return set(_late_events(project, day).values_list("raffle__number", flat=True))


def is_late(raffle, project, day):
    """Whether `raffle` became eligible on `day` or later (see late_numbers)."""
    return _late_events(project, day).filter(raffle=raffle).exists()


def _late_events(project, day):
    states = eligible_states(project)
    return (
        RaffleEvent.objects.filter(
            project=project, at__gte=_day_start(day), to_state__in=states
        )
        .exclude(from_state__in=states)
        .order_by()
    )


def _day_start(day):
    """Midnight at the start of `day` in the site's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min),
        timezone.get_default_timezone(),
    )


def without_late(entries, project, day):
    """The entries of numbers eligible before `day`, and how many were left out."""
    late = late_numbers(project, day)
    if not late:
        return entries, 0
    kept = [entry for entry in entries if entry[0] not in late]
    return kept, len(entries) - len(kept)


def late_count(prize, project):
    """How many numbers a lottery draw of the prize today would leave out as late.

    None while the prize waits for no lottery whose day has come (see
    plan_is_final).
    """
    return eligible_counts(project, [prize])[prize.pk][1]


def eligible_counts(project, prizes):
    """(eligible, late) for each prize, by prize pk.

    Eligible: how many numbers the prize's next draw would choose from.
    Late: how many its lottery draw leaves out as sold on the lottery's day
    or later, None for a prize that waits for no lottery whose day has come
    (see plan_is_final). Two queries whatever the number of prizes and
    numbers: counts per set, and the winners that are out; a third when a
    prize's lottery day has come, for the numbers sold since. `prizes` must
    come with their sets and current draws selected (see prizes_of).
    """
    states = eligible_states(project)
    per_set = dict(
        Raffle.objects.filter(project=project, state__in=states)
        .values("raffle_set_id")
        .annotate(count=Count("pk"))
        .values_list("raffle_set_id", "count")
    )
    winners = list(
        Draw.objects.filter(
            project=project, winner__isnull=False, winner__state__in=states
        ).values_list(
            "prize_id", "current_prize_id", "winner__number", "winner__raffle_set_id"
        )
    )
    late = _late_moves(project, prizes)
    counts = {}
    for prize in prizes:
        set_ids = {raffle_set.pk for raffle_set in prize.raffle_sets.all()}
        out = {
            number
            for prize_id, current, number, set_id in winners
            if (current or prize_id == prize.pk) and (not set_ids or set_id in set_ids)
        }
        left_out = None
        if plan_is_final(prize):
            start = _day_start(prize.lottery_date)
            late_numbers = {
                number
                for number, set_id, at in late
                if at >= start and (not set_ids or set_id in set_ids)
            }
            left_out = len(late_numbers - out)
            out |= late_numbers
        total = sum(
            count
            for set_id, count in per_set.items()
            if not set_ids or set_id in set_ids
        )
        counts[prize.pk] = (total - len(out), left_out)
    return counts


def plan_is_final(prize):
    """Whether the prize waits for a lottery whose day has come.

    From that day on its result may be known, so nothing that decides which
    number it picks may change until the prize is drawn (raffles.draws), and
    a draw by that lottery leaves out the numbers sold that day or later.
    A prize drawn since its plan was stated waits no more: it cannot be
    drawn by that lottery again. Reads `prize.current_draw`, one query
    unless selected with the prize.
    """
    if prize.lottery_date is None or prize.lottery_date > today():
        return False
    try:
        standing = prize.current_draw
    except ObjectDoesNotExist:
        return True
    return standing.drawn_at < prize.lottery_stated_at


def _late_moves(project, prizes):
    """(number, set pk, when) of every move into a state that can win since
    the earliest lottery day among `prizes` that has come, of numbers that
    can still win; one query, none when no prize waits for such a day.
    """
    days = [prize.lottery_date for prize in prizes if plan_is_final(prize)]
    if not days:
        return []
    return list(
        _late_events(project, min(days))
        .filter(raffle__state__in=eligible_states(project))
        .values_list("raffle__number", "raffle__raffle_set_id", "at")
    )


# Prizes


def prizes_of(project):
    withdrawn = WithdrawnPlan.objects.filter(prize=OuterRef("pk"))
    return (
        Prize.objects.filter(project=project)
        .prefetch_related("raffle_sets")
        .select_related("current_draw")
        .annotate(has_withdrawn_plans=Exists(withdrawn))
        .order_by("position")
    )


def with_withdrawn_plans(queryset, through=""):
    """`queryset` of prizes (or, `through="prize__"`, of draws) with every
    withdrawn plan of each prize read at once, oldest first."""
    plans = WithdrawnPlan.objects.select_related("withdrawn_by").order_by(
        "withdrawn_at", "pk"
    )
    return queryset.prefetch_related(
        Prefetch(f"{through}withdrawn_plans", queryset=plans)
    )


def prize_winners(project):
    """The project's prizes in order, each with its standing draw (or none)."""
    return (
        Prize.objects.filter(project=project)
        .select_related("current_draw")
        .order_by("position")
    )


def prize_values(prize):
    """A prize's editable values as the prize services take them.

    For None, those of a new prize.
    """
    if prize is None:
        return {
            "name": "",
            "description": "",
            "position": None,
            "raffle_sets": [],
            "lottery": "",
            "lottery_date": None,
            "unsold_rule": "",
        }
    return {
        "name": prize.name,
        "description": prize.description,
        "position": prize.position,
        "raffle_sets": list(prize.raffle_sets.all()),
        "lottery": prize.lottery,
        "lottery_date": prize.lottery_date,
        "unsold_rule": prize.unsold_rule,
    }


def prize_for(project, position):
    """The project's prize at `position`, or 404 (the project is the user's)."""
    prizes = Prize.objects.select_related("project")
    try:
        return prizes.get(project=project, position=position)
    except Prize.DoesNotExist:
        message = _("Prize %(position)s is not in this project.")
        raise Http404(message % {"position": position}) from None


# Draws


def draws_of(project):
    """Every draw of the project, standing and replaced, in prize order."""
    return (
        Draw.objects.filter(project=project)
        .select_related("prize", "winner", "winner_buyer", "drawn_by")
        .order_by("prize__position", "sequence")
    )


def draw_for(project, position, sequence):
    """Draw `sequence` of the project's prize at `position`, or 404."""
    draws = Draw.objects.select_related("prize", "project", "winner_buyer", "drawn_by")
    try:
        return with_withdrawn_plans(draws, "prize__").get(
            project=project, prize__position=position, sequence=sequence
        )
    except Draw.DoesNotExist:
        message = _("Prize %(position)s has no draw %(sequence)s.")
        raise Http404(message % {"position": position, "sequence": sequence}) from None


def draw_by_token(token):
    """A draw by its public token, for the login-free verification page."""
    draws = Draw.objects.select_related("prize", "project", "drawn_by")
    try:
        return with_withdrawn_plans(draws, "prize__").get(token=token)
    except Draw.DoesNotExist:
        raise Http404(_("No draw has this verification link.")) from None


def other_draws(draw):
    """The other draws of the same prize, so no redraw goes unseen."""
    return (
        Draw.objects.filter(prize_id=draw.prize_id)
        .exclude(pk=draw.pk)
        .only(
            "sequence",
            "token",
            "drawn_at",
            "winner_label",
            "winner_reserved",
            "reason",
            "method",
        )
        .order_by("sequence")
    )


def frozen_list(draw):
    """The draw's stored eligible list: (labels, reserved labels).

    Not checked here: algorithm.Verification checks the labels it is given.
    """
    parts = DrawListPart.objects.filter(draw=draw).order_by("index")
    labels_text = []
    reserved_text = []
    for labels, reserved in parts.values_list("labels", "reserved"):
        labels_text.append(labels)
        reserved_text.append(reserved)
    return (
        algorithm.split_list("".join(labels_text)),
        algorithm.split_list("".join(reserved_text)),
    )


def frozen_list_bytes(draw):
    """The stored list exactly as hashed, for download."""
    parts = DrawListPart.objects.filter(draw=draw).order_by("index")
    return "".join(parts.values_list("labels", flat=True)).encode("ascii")


def draw_record(draw, labels, reserved):
    """Everything needed to re-check a draw, as plain JSON-ready values.

    This is the public record: no phone, email or buyer reference.
    """
    return {
        "format": "raffle-draw-record",
        "format_version": 1,
        "project": draw.project.name,
        "prize_position": draw.prize_position,
        "prize": draw.prize_name,
        "draw": draw.sequence,
        "current": draw.is_current,
        "reason": draw.reason,
        "method": draw.method,
        "drawn_at": draw.drawn_at.isoformat(),
        "drawn_by": draw.drawn_by.get_username(),
        "includes_reserved": draw.includes_reserved,
        "eligible_count": draw.eligible_count,
        "list_sha256": draw.list_sha256,
        "list": labels,
        "reserved": reserved,
        "winner": draw.winner_label or None,
        "winner_name": draw.winner_name,
        "winner_reserved": draw.winner_reserved,
        "seed": draw.seed or None,
        "algorithm": draw.algorithm or None,
        "algorithm_version": draw.algorithm_version,
        "lottery": draw.lottery or None,
        "lottery_date": draw.lottery_date.isoformat() if draw.lottery_date else None,
        "lottery_result": draw.lottery_result or None,
        "lottery_source": draw.lottery_source or None,
        "lottery_digits": draw.lottery_digits,
        "lottery_number": draw.lottery_number or None,
        "unsold_rule": draw.unsold_rule or None,
        "rule_stated_at": (
            draw.rule_stated_at.isoformat() if draw.rule_stated_at else None
        ),
        "late_count": draw.late_count,
        "withdrawn_plans": [
            {
                "lottery": plan.lottery,
                "lottery_date": plan.lottery_date.isoformat(),
                "unsold_rule": plan.unsold_rule,
                "stated_at": plan.stated_at.isoformat(),
                "withdrawn_at": plan.withdrawn_at.isoformat(),
                "withdrawn_by": plan.withdrawn_by.get_username(),
                "reason": plan.reason,
            }
            for plan in draw.withdrawn_plans_before
        ],
    }
