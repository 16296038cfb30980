"""Every write on prizes and draws.

Web views, the API and the admin call these functions. A draw runs under a
lock on its project's row, so two draws of one project never interleave,
and is stored with its frozen eligible list so anyone can re-check it (see
docs/draws.md).
"""

import logging
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from projects.models import Project
from rafflesite.db import lock_shared
from rafflesite.lib import draws as algorithm
from rafflesite.lib.numbers import digits, is_digits

from .draw_selectors import (
    eligible_entries,
    eligible_labels,
    eligible_states,
    excluded_numbers,
    is_late,
    plan_is_final,
    prize_values,
    project_padding,
    set_widths,
    today,
    without_late,
)
from .models import (
    Draw,
    DrawListPart,
    DrawMethod,
    EventKind,
    Prize,
    Raffle,
    State,
    UnsoldRule,
    WithdrawnPlan,
    local_day,
)

logger = logging.getLogger(__name__)

__all__ = [
    "AlreadyDrawn",
    "check_number_can_leave",
    "check_prize",
    "check_set_change",
    "create_prize",
    "delete_prize",
    "deletion_problem",
    "draw_lottery",
    "draw_manual",
    "draw_prize",
    "draw_random",
    "eligible_labels",
    "include_reserved_problem",
    "leave_problem",
    "lottery_plan_problem",
    "plan_is_final",
    "redraw",
    "set_draws_include_reserved",
    "update_prize",
    "withdraw_plan",
    "withdraw_problem",
]

MAX_PRIZES = 100
# Prizes shifting positions are first parked this far up, so the unique
# (project, position) constraint never sees two prizes on one position.
_SHIFT = 10_000
_PARKED = 30_000
PRIZE_FIELDS = (
    "name",
    "description",
    "position",
    "raffle_sets",
    "lottery",
    "lottery_date",
    "unsold_rule",
)
# A prize's lottery plan, and its values while none is stated.
PLAN_FIELDS = ("lottery", "lottery_date", "unsold_rule")
_NO_PLAN = {"lottery": "", "lottery_date": None, "unsold_rule": ""}


class AlreadyDrawn(ValidationError):
    """The prize already has a standing draw; only a redraw may replace it."""


# Prizes


def create_prize(
    *,
    project,
    name,
    description="",
    position=None,
    raffle_sets=(),
    lottery="",
    lottery_date=None,
    unsold_rule="",
):
    """Add a prize at `position` (default: last); later prizes move down."""
    with transaction.atomic():
        project = _lock_project(project.pk)
        values = check_prize(
            project=project,
            name=name,
            description=description,
            position=position,
            raffle_sets=raffle_sets,
            lottery=lottery,
            lottery_date=lottery_date,
            unsold_rule=unsold_rule,
        )
        sets = values.pop("raffle_sets")
        _shift(project, values["position"], MAX_PRIZES, 1)
        prize = Prize(project=project, **values)
        if prize.lottery:
            prize.lottery_stated_at = timezone.now()
        prize.save()
        prize.raffle_sets.set(sets)
    logger.info("Created prize %s of project %s", prize.position, project.pk)
    return prize


def update_prize(*, prize, **changes):
    """Change a prize; moving it shifts the prizes in between.

    A changed lottery plan counts as stated now.
    """
    with transaction.atomic():
        project = _lock_project(prize.project_id)
        prize = Prize.objects.get(pk=prize.pk)
        values = check_prize(project=project, prize=prize, **changes)
        sets = values.pop("raffle_sets")
        position = values.pop("position")
        if _plan_changes(prize, values):
            prize.lottery_stated_at = timezone.now() if values["lottery"] else None
        for field, value in values.items():
            setattr(prize, field, value)
        prize.save()
        prize.raffle_sets.set(sets)
        if position != prize.position:
            _move(project, prize, position)
    return prize


def check_prize(*, project, prize=None, **changes):
    """A prize's values once `changes` are applied, checked against every rule.

    For a new prize (`prize` None) or for changes to one. Raises a
    ValidationError naming the fields; the services call it under the
    project's lock, and the admin form to show errors next to its fields.
    A prize's sets cannot change once it has been drawn: the eligible list
    on record would no longer match the prize. Nor can they while its
    lottery plan is final: the result may be known. Its lottery plan is
    stated before the lottery's day and is final from that day on.
    """
    unknown = set(changes) - set(PRIZE_FIELDS)
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    values = {**prize_values(prize), **changes}
    position = values.pop("position")
    values = clean_prize(project=project, **values)
    count = Prize.objects.filter(project=project).count()
    if prize is None and count >= MAX_PRIZES:
        raise ValidationError(
            _("A project can have at most %(max)s prizes.") % {"max": MAX_PRIZES}
        )
    last = count if prize else count + 1
    if position is None:
        position = prize.position if prize else last
    values["position"] = _check_position(position, last)
    if prize is None and position < last:
        _refuse_moving_drawn(project, position, last, _("add a prize before it"))
    elif prize is not None and position != prize.position:
        first, end = sorted([position, prize.position])
        verb = _("move it") if prize.draws.exists() else _("move this prize past it")
        _refuse_moving_drawn(project, first, end, verb)
    if prize and {s.pk for s in values["raffle_sets"]} != {
        s.pk for s in prize.raffle_sets.all()
    }:
        _refuse_if_drawn(prize, "raffle_sets", _("change its sets"))
        _refuse_if_plan_final(prize, "raffle_sets", _("change its sets"))
    _check_plan_change(prize, values)
    return values


def delete_prize(*, prize):
    """Delete a prize that was never drawn; later prizes move up.

    Refused too while its lottery plan is final: deleting it and adding it
    again would leave a known result without its plan.
    """
    with transaction.atomic():
        project = _lock_project(prize.project_id)
        prize = Prize.objects.get(pk=prize.pk)
        _refuse_deleting(prize)
        position = prize.position
        prize.delete()
        _shift(project, position + 1, MAX_PRIZES, -1)
    logger.info("Deleted prize %s of project %s", position, project.pk)


def deletion_problem(prize):
    """Why the prize cannot be deleted, or None if it can."""
    try:
        _refuse_deleting(prize)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _refuse_deleting(prize):
    _refuse_if_drawn(prize, None, _("delete it"))
    _refuse_if_plan_final(prize, None, _("delete it"))
    if prize.withdrawn_plans.exists():
        raise ValidationError(
            _(
                "A lottery plan of prize %(prize)s was withdrawn, and stays on "
                "record with the prize, so you cannot delete it."
            )
            % {"prize": _named(prize)},
            code="withdrawn_plan",
        )
    _refuse_moving_drawn(
        prize.project,
        prize.position + 1,
        MAX_PRIZES,
        _("delete a prize before it"),
        field=None,
    )


def _refuse_moving_drawn(project, first, last, verb, field="position"):
    """A drawn prize keeps its position: its draw records, their pages and
    the links given to the public name the prize by it."""
    drawn = (
        Prize.objects.filter(
            project=project,
            position__gte=first,
            position__lte=last,
            draws__isnull=False,
        )
        .order_by("position")
        .first()
    )
    if drawn is None:
        return
    message = _(
        "Prize %(prize)s has been drawn, so it keeps position %(position)s, by "
        "which its draw records are known; you cannot %(verb)s."
    ) % {"prize": _named(drawn), "position": drawn.position, "verb": verb}
    error = ValidationError(message, code="drawn_position")
    raise ValidationError({field: error}) if field else error


def clean_prize(
    *, project, name, description, raffle_sets, lottery, lottery_date, unsold_rule
):
    """Checked and tidied prize fields, or a ValidationError naming each field."""
    errors = {}
    name = " ".join(str(name or "").split())
    description = str(description or "").strip()
    lottery = " ".join(str(lottery or "").split())
    unsold_rule = unsold_rule or ""
    if not name:
        errors["name"] = _("Give the prize a name.")
    elif len(name) > 200:
        errors["name"] = _("Keep the name under 200 characters.")
    if len(description) > 5000:
        errors["description"] = _("Keep the description under 5,000 characters.")
    if any(raffle_set.project_id != project.pk for raffle_set in raffle_sets):
        errors["raffle_sets"] = _("Choose sets of this project.")
    errors.update(_check_plan(lottery, lottery_date, unsold_rule))
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "description": description,
        "raffle_sets": list(raffle_sets),
        "lottery": lottery,
        "lottery_date": lottery_date,
        "unsold_rule": unsold_rule,
    }


def _check_plan(lottery, lottery_date, unsold_rule):
    """A prize states its lottery plan whole (name, date, rule) or not at all."""
    errors = {}
    if len(lottery) > 200:
        errors["lottery"] = _("Keep the lottery's name under 200 characters.")
    if unsold_rule and unsold_rule not in UnsoldRule.values:
        errors["unsold_rule"] = _("Choose no winner or the next number upwards.")
    if not (lottery or lottery_date or unsold_rule):
        return errors
    if not lottery:
        errors["lottery"] = _("Name the lottery whose result decides the prize.")
    if not lottery_date:
        errors["lottery_date"] = _("Give the date of the lottery's draw.")
    if not unsold_rule:
        errors["unsold_rule"] = _(
            "Say what happens when the winning number is not eligible."
        )
    return errors


def _plan_changes(prize, values):
    """The fields of the lottery plan that `values` change."""
    return [
        field
        for field in PLAN_FIELDS
        if values[field] != (getattr(prize, field) if prize else _NO_PLAN[field])
    ]


def _check_plan_change(prize, values):
    """A plan is stated before its lottery's day and final from that day on.

    Once the prize has been drawn, a plan for a later lottery may replace a
    final one, for a redraw; the draws keep the plans they used.
    """
    changed = _plan_changes(prize, values)
    if not changed:
        return
    if prize is not None and plan_is_final(prize):
        message = _(
            "The lottery plan is final since %(date)s, the day of its lottery."
        ) % {"date": date_format(prize.lottery_date)}
        raise ValidationError(
            {field: ValidationError(message, code="plan_final") for field in changed}
        )
    if values["lottery_date"] is not None and values["lottery_date"] <= today():
        raise ValidationError(
            {
                "lottery_date": _(
                    "State the plan before the lottery's day: %(date)s is not "
                    "after today."
                )
                % {"date": date_format(values["lottery_date"])}
            },
            code="plan_late",
        )


def _check_position(position, last):
    if not isinstance(position, int) or not 1 <= position <= last:
        raise ValidationError(
            {"position": _("Choose a position from 1 to %(last)s.") % {"last": last}},
            code="position",
        )
    return position


def _move(project, prize, position):
    old = prize.position
    Prize.objects.filter(pk=prize.pk).update(position=_PARKED)
    if position < old:
        _shift(project, position, old - 1, 1)
    else:
        _shift(project, old + 1, position, -1)
    Prize.objects.filter(pk=prize.pk).update(position=position)
    prize.position = position


def _shift(project, first, last, step):
    """Move the prizes at positions first..last by `step`, two statements."""
    prizes = Prize.objects.filter(project=project)
    prizes.filter(position__gte=first, position__lte=last).update(
        position=F("position") + _SHIFT
    )
    prizes.filter(position__gte=first + _SHIFT, position__lte=last + _SHIFT).update(
        position=F("position") - _SHIFT + step
    )


def _waiting_prizes(project_id):
    """The project's prizes whose plan is final (see plan_is_final), in order;
    the same rule as one query.

    A draw made before the plan was stated (an earlier draw, before the plan
    of a later lottery for a redraw) does not stop a prize from waiting.
    """
    drawn_under_plan = Draw.objects.filter(
        prize=OuterRef("pk"), drawn_at__gte=OuterRef("lottery_stated_at")
    )
    return (
        Prize.objects.filter(project_id=project_id, lottery_date__lte=today())
        .exclude(Exists(drawn_under_plan))
        .order_by("position")
    )


def withdraw_plan(*, prize, actor, reason):
    """Take back a prize's final lottery plan, keeping it on record.

    For a lottery that was cancelled or postponed, or whose every possible
    number was sold on its day or later: the prize could never be drawn.
    Only a final plan is withdrawn this way; before its lottery's day a
    plan is simply changed or removed on the prize. The prize's later draws
    show the withdrawn plan with the reason.
    """
    reason = _clean_reason(reason, _("Say why the lottery plan is withdrawn."))
    with transaction.atomic():
        lock_shared(User, actor.pk)
        project = _lock_project(prize.project_id)
        prize = Prize.objects.get(pk=prize.pk)
        problem = withdraw_problem(prize)
        if problem:
            raise ValidationError(problem, code="plan_not_final")
        withdrawn = WithdrawnPlan.objects.create(
            project=project,
            prize=prize,
            lottery=prize.lottery,
            lottery_date=prize.lottery_date,
            unsold_rule=prize.unsold_rule,
            stated_at=prize.lottery_stated_at,
            reason=reason,
            withdrawn_by=actor,
            withdrawn_at=timezone.now(),
        )
        for field, value in {**_NO_PLAN, "lottery_stated_at": None}.items():
            setattr(prize, field, value)
        prize.save()
    logger.info(
        "Withdrew the lottery plan of prize %s of project %s",
        prize.position,
        project.pk,
    )
    return withdrawn


def withdraw_problem(prize):
    """Why the prize has no plan to withdraw now, or None."""
    values = {"prize": _named(prize)}
    if not prize.has_lottery_plan:
        return _("Prize %(prize)s has no lottery plan to withdraw.") % values
    if prize.lottery_date > today():
        return _(
            "The lottery of prize %(prize)s is on %(date)s: until that day, "
            "change or remove its plan on the prize."
        ) % {**values, "date": date_format(prize.lottery_date)}
    if not plan_is_final(prize):
        return (
            _(
                "Prize %(prize)s has been drawn by its lottery plan, which stays "
                "on that draw's record."
            )
            % values
        )
    return None


def _clean_reason(reason, missing):
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError({"reason": missing}, code="required")
    if len(reason) > 500:
        raise ValidationError(
            {"reason": _("Keep the reason under 500 characters.")}, code="max_length"
        )
    return reason


def _refuse_if_plan_final(prize, field, verb):
    if not plan_is_final(prize):
        return
    message = _(
        "The lottery plan of prize %(prize)s is final since %(date)s, the day "
        "of its lottery, so you cannot %(verb)s."
    ) % {
        "prize": _named(prize),
        "date": date_format(prize.lottery_date),
        "verb": verb,
    }
    raise ValidationError({field: message} if field else message, code="plan_final")


def check_set_change(project, *, raffle_set=None, padding=None, last=None):
    """Refuse a change of the project's sets that would steer a known result.

    The set services call it under the project's lock: `raffle_set` (None
    for a new set) is to have `padding` digits and end at `last` (default:
    where it ends now), or with no padding to go. While a prize's lottery
    plan is final, the digits its result is compared on cannot change, and
    the sets it draws from stay.
    """
    waiting = list(_waiting_prizes(project.pk).prefetch_related("raffle_sets"))
    if not waiting:
        return
    if padding is None:
        for prize in waiting:
            if raffle_set in prize.raffle_sets.all():
                _refuse_if_plan_final(prize, None, _("delete a set it draws from"))
    if last is None and raffle_set is not None:
        last = raffle_set.last_number
    changed = max(padding, digits(last)) if padding else 0
    widths = [*set_widths(project, exclude=raffle_set), changed]
    current = project_padding(project)
    # Without sets, no number was sold before the lottery's day.
    if current is not None and max(widths) != current:
        verb = _("change the %(digits)s digits its result is compared on") % {
            "digits": current
        }
        _refuse_if_plan_final(waiting[0], "padding", verb)


def _refuse_if_drawn(prize, field, verb):
    if not prize.draws.exists():
        return
    message = _("Prize %(prize)s has been drawn, so you cannot %(verb)s.") % {
        "prize": _named(prize),
        "verb": verb,
    }
    raise ValidationError({field: message} if field else message, code="drawn")


def set_draws_include_reserved(*, project, include_reserved):
    """Let reserved numbers win too, or not.

    Fixed once a prize is drawn, and while a prize waits for a lottery
    whose day has come: the option decides which numbers its result meets.
    """
    with transaction.atomic():
        locked = _lock_project(project.pk)
        problem = include_reserved_problem(locked)
        if problem:
            raise ValidationError(
                {"draws_include_reserved": problem}, code="include_reserved_fixed"
            )
        locked.draws_include_reserved = bool(include_reserved)
        locked.save(update_fields=["draws_include_reserved", "updated_at"])
    project.draws_include_reserved = locked.draws_include_reserved
    return project


def include_reserved_problem(project):
    """Why who can win can no longer change in the project, or None."""
    if project.draws.exists():
        return _(
            "Prizes of this project have been drawn, so who can win can no "
            "longer change."
        )
    waiting = _waiting_prizes(project.pk).first()
    if waiting is not None:
        return _(
            "The lottery plan of prize %(prize)s is final since %(date)s, the "
            "day of its lottery, so who can win can no longer change."
        ) % {"prize": _named(waiting), "date": date_format(waiting.lottery_date)}
    return None


def check_number_can_leave(raffle, kind):
    """Refuse to release or refund a number a known lottery result may pick.

    From a lottery's day on, until its prize is drawn, the result may be
    known; taking a number out of the prize's list then would choose who
    wins (no winner under `none`, the next number under `next`). `kind` is
    the move, EventKind.RELEASE or REFUND. `raffle` is locked by the
    caller, which holds the project's row shared, so no draw runs
    meanwhile. One query when no prize waits for its lottery.
    """
    waiting = (
        _waiting_prizes(raffle.project_id)
        .select_related("project")
        .prefetch_related("raffle_sets")
    )
    for prize in waiting:
        if _in_lottery_list(prize, raffle):
            if kind == EventKind.RELEASE:
                message = _(
                    "Number %(label)s can still win prize %(prize)s by the "
                    "lottery of %(date)s, whose result may already be known, "
                    "so you cannot release it until the prize is drawn."
                )
            else:
                message = _(
                    "Number %(label)s can still win prize %(prize)s by the "
                    "lottery of %(date)s, whose result may already be known, "
                    "so you cannot refund it until the prize is drawn."
                )
            raise ValidationError(
                message
                % {
                    "label": raffle.label,
                    "prize": _named(prize),
                    "date": date_format(prize.lottery_date),
                },
                code="plan_final",
            )


def leave_problem(raffle):
    """Why the number cannot be released or refunded now (see
    check_number_can_leave), or None; for pages that offer the move."""
    kind = EventKind.RELEASE if raffle.state == State.RESERVED else EventKind.REFUND
    try:
        check_number_can_leave(raffle, kind)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def manual_draw_problem(prize, drawn=None):
    """Why a number drawn by hand for `prize` could choose who wins another
    prize that waits for its lottery, or None.

    From a lottery's day on, until its prize is drawn, the result may be
    known (see check_number_can_leave), and a number drawn by hand for
    another prize leaves the waiting prize's list. `drawn` is that number;
    before it is typed (None), a draw page asks whether any number of the
    prize's sets could be on a waiting prize's list.
    """
    for waiting in _other_waiting_prizes(prize):
        if drawn is None:
            steers = _share_sets(prize, waiting)
        else:
            steers = _in_lottery_list(waiting, drawn)
        if steers:
            return _(
                "Prize %(waiting)s waits for the lottery of %(date)s, whose result "
                "may already be known, and a number drawn by hand could change "
                "who wins it. Draw prize %(waiting)s first, withdraw its plan, or "
                "draw this prize at random."
            ) % _waiting_values(waiting)
    return None


def redraw_problem(prize, standing):
    """Why redrawing `prize` now could choose who wins another prize that
    waits for its lottery, or None.

    A redraw puts the standing draw's winner back into the other prizes'
    lists; once a waiting prize's result may be known, whether to do so
    could decide who wins it. A first random draw is chosen by nobody, and a
    lottery draw follows a published result, so both stay open.
    """
    winner = standing.winner
    if winner is None:
        return None
    for waiting in _other_waiting_prizes(prize):
        if _in_lottery_list(waiting, winner, returning=True):
            return _(
                "Prize %(waiting)s waits for the lottery of %(date)s, whose result "
                "may already be known, and a redraw of this prize could change "
                "who wins it. Draw prize %(waiting)s first, or withdraw its plan."
            ) % _waiting_values(waiting)
    return None


def _waiting_values(waiting):
    return {"waiting": _named(waiting), "date": date_format(waiting.lottery_date)}


def _other_waiting_prizes(prize):
    return (
        _waiting_prizes(prize.project_id)
        .exclude(pk=prize.pk)
        .select_related("project")
        .prefetch_related("raffle_sets")
    )


def _share_sets(prize, other):
    """Whether a number could be in the sets of both prizes."""
    mine = {raffle_set.pk for raffle_set in prize.raffle_sets.all()}
    theirs = {raffle_set.pk for raffle_set in other.raffle_sets.all()}
    return not mine or not theirs or bool(mine & theirs)


def _in_lottery_list(prize, raffle, *, returning=False):
    """Whether a lottery draw of the prize now would list `raffle`; with
    `returning`, once a redraw of another prize has put it back."""
    sets = prize.raffle_sets.all()
    if sets and raffle.raffle_set_id not in {raffle_set.pk for raffle_set in sets}:
        return False
    if raffle.state not in eligible_states(prize.project):
        return False
    if returning:
        if prize.draws.filter(winner=raffle).exists():
            return False
    elif raffle.number in excluded_numbers(prize):
        return False
    return not is_late(raffle, prize.project, prize.lottery_date)


def _lock_project(pk):
    return Project.objects.select_for_update().get(pk=pk)


def _named(prize):
    return _("%(position)s (%(name)s)") % {
        "position": prize.position,
        "name": prize.name,
    }


# Draws


def draw_random(*, prize, actor):
    """Draw the prize with a fresh secure seed over its frozen eligible list."""
    return _draw(prize, actor, DrawMethod.RANDOM, _random_pick)


def draw_lottery(
    *,
    prize,
    actor,
    result,
    source,
    lottery=None,
    unsold_rule=None,
    lottery_date=None,
):
    """Give the prize to the number matching an official lottery result.

    The lottery, its date and the rule for an unsold number are the plan
    stated on the prize before the lottery's day; `lottery`, `unsold_rule`
    and `lottery_date`, when given, must repeat it.
    """
    given = {
        "lottery": lottery,
        "unsold_rule": unsold_rule,
        "lottery_date": lottery_date,
    }
    pick = _lottery_pick(prize, result, source, given)
    return _draw(prize, actor, DrawMethod.LOTTERY, pick)


def draw_manual(*, prize, actor, number):
    """Record the number drawn by hand from a drum; it must be eligible."""
    pick = _manual_pick(_typed_number(number))
    return _draw(prize, actor, DrawMethod.MANUAL, pick)


def draw_prize(*, prize, actor, method, reason="", **details):
    """Draw a prize by `method`; with a reason, as a redraw of it.

    The one entry point of the draw page and the draw endpoint, which take
    the method and its details as the organizer typed them.
    """
    if reason:
        return redraw(prize=prize, actor=actor, reason=reason, method=method, **details)
    return _draw(prize, actor, method, _pick_for(prize, method, details))


def redraw(*, prize, actor, reason, method, **details):
    """Draw a prize again, keeping its standing draw on record.

    For a winner who cannot be reached or turns out not to be eligible:
    the new draw records the reason and cannot fall on the earlier winner.
    """
    reason = _clean_reason(reason, _("Say why the prize is drawn again."))
    pick = _pick_for(prize, method, details)
    return _draw(prize, actor, method, pick, reason=reason)


def _pick_for(prize, method, details):
    """How the method chooses a winner from the frozen list, details checked."""
    if method == DrawMethod.RANDOM:
        return _random_pick
    if method == DrawMethod.LOTTERY:
        given = {key: details.get(key) for key in PLAN_FIELDS}
        return _lottery_pick(prize, details.get("result"), details.get("source"), given)
    if method == DrawMethod.MANUAL:
        return _manual_pick(_typed_number(details.get("number")))
    raise ValidationError({"method": _("Choose random, lottery or manual.")})


def _draw(prize, actor, method, pick, reason=""):
    with transaction.atomic():
        # Step 0 of the lock order (see raffles.services): the drawer's row
        # is shared before the project's is held.
        lock_shared(User, actor.pk)
        project = _lock_project(prize.project_id)
        # Under the lock: a plan withdrawn while this draw waited for it is
        # listed on its record (Draw.withdrawn_plans_before).
        now = timezone.now()
        prize = Prize.objects.get(pk=prize.pk)
        standing = Draw.objects.filter(current_prize=prize).first()
        _check_turn(prize, standing, reason)
        _check_announced_method(prize, method)
        problem = redraw_problem(prize, standing) if standing else None
        if problem:
            raise ValidationError(problem, code="lottery_waiting")
        entries, late = _frozen_entries(prize, project, method)
        labels = [entry[1] for entry in entries]
        digest = algorithm.list_sha256(labels)
        winner_label, fields = pick(project, prize, labels, digest)
        winner = _lock_winner(project, winner_label)
        if method == DrawMethod.MANUAL:
            problem = manual_draw_problem(prize, winner)
            if problem:
                raise ValidationError(problem, code="lottery_waiting")
        if standing is not None:
            standing.current_prize = None
            standing.current_winner = None
            standing.save(update_fields=["current_prize", "current_winner"])
        draw = Draw.objects.create(
            project=project,
            prize=prize,
            sequence=prize.draws.count() + 1,
            current_prize=prize,
            method=method,
            prize_position=prize.position,
            prize_name=prize.name,
            includes_reserved=project.draws_include_reserved,
            eligible_count=len(labels),
            late_count=late,
            list_sha256=digest,
            reason=reason,
            drawn_by=actor,
            drawn_at=now,
            token=secrets.token_urlsafe(24),
            **_winner_fields(winner, winner_label),
            **fields,
        )
        _store_list(draw, entries)
    logger.info(
        "Drew prize %s of project %s (%s, draw %s): winner %s",
        prize.position,
        project.pk,
        method,
        draw.sequence,
        winner_label or "none",
    )
    return draw


def _frozen_entries(prize, project, method):
    """The entries of the list to freeze, and how many were left out as late.

    A lottery draw leaves out the numbers that became eligible on its
    lottery's day or later: its result could be known by then (see
    docs/draws.md). Other draws leave out none (None).
    """
    entries = eligible_entries(prize, project)
    late = None
    if method == DrawMethod.LOTTERY and prize.lottery_date is not None:
        entries, late = without_late(entries, project, prize.lottery_date)
    if not entries and late:
        raise ValidationError(
            _(
                "No number can win prize %(prize)s by the lottery of %(date)s: "
                "every eligible number was sold on that day or later."
            )
            % {"prize": _named(prize), "date": date_format(prize.lottery_date)},
            code="empty",
        )
    if not entries:
        raise ValidationError(
            _("No number can win prize %(prize)s: none is eligible.")
            % {"prize": _named(prize)},
            code="empty",
        )
    return entries, late


def _check_announced_method(prize, method):
    """A prize with a lottery plan is drawn by that lottery, and only by it.

    The plan is a public promise of how the winner will be chosen; drawing
    by another method could be chosen once the lottery's result is known
    and falls on a number the organizer does not like. Until the lottery's
    day (and at any time once the prize has been drawn) the organizer may
    remove the plan and then draw another way; from that day on, only
    withdraw it with a reason on record (withdraw_plan).
    """
    if method == DrawMethod.LOTTERY or not prize.has_lottery_plan:
        return
    if plan_is_final(prize):
        message = _(
            "Prize %(prize)s was announced to be drawn by the lottery "
            "“%(lottery)s” of %(date)s, so it is drawn by that lottery's "
            "result only. If that lottery cannot decide it, withdraw the "
            "plan first, saying why."
        )
    else:
        message = _(
            "Prize %(prize)s was announced to be drawn by the lottery "
            "“%(lottery)s” of %(date)s, so it is drawn by that lottery's "
            "result only. To draw it another way, remove its lottery plan "
            "first."
        )
    values = {
        "prize": _named(prize),
        "lottery": prize.lottery,
        "date": date_format(prize.lottery_date),
    }
    raise ValidationError({"method": message % values}, code="plan_announced")


def _winner_fields(winner, winner_label):
    """The winner as frozen in the record (all empty for no winner)."""
    if winner is None:
        return {"winner_label": ""}
    return {
        "winner": winner,
        "current_winner": winner,
        "winner_label": winner_label,
        "winner_reserved": winner.state == State.RESERVED,
        "winner_buyer": winner.buyer,
        "winner_name": winner.buyer.full_name,
    }


def _check_turn(prize, standing, reason):
    if standing is not None and not reason:
        raise AlreadyDrawn(
            _(
                "Prize %(prize)s was already drawn on %(date)s. A new draw is "
                "only possible as a redraw with a reason."
            )
            % {
                "prize": _named(prize),
                "date": date_format(timezone.localtime(standing.drawn_at)),
            },
            code="drawn",
        )
    if standing is None and reason:
        raise ValidationError(
            {
                "reason": _("Prize %(prize)s has not been drawn yet.")
                % {"prize": _named(prize)}
            },
            code="not_drawn",
        )


def _lock_winner(project, winner_label):
    """The winning number, locked, checked to be still eligible."""
    if winner_label is None:
        return None
    winner = (
        Raffle.objects.select_for_update()
        .select_related("buyer")
        .get(project=project, number=int(winner_label))
    )
    if winner.state not in eligible_states(project):
        # A refund committed while the list was read; nothing is recorded
        # and the organizer draws again.
        raise ValidationError(
            _("Number %(label)s changed during the draw; draw again.")
            % {"label": winner_label},
            code="changed",
        )
    return winner


def _store_list(draw, entries):
    size = DrawListPart.PART_SIZE
    parts = []
    for index, start in enumerate(range(0, len(entries), size)):
        chunk = entries[start : start + size]
        parts.append(
            DrawListPart(
                draw=draw,
                index=index,
                labels="".join(f"{entry[1]}\n" for entry in chunk),
                reserved="".join(f"{entry[1]}\n" for entry in chunk if entry[2]),
            )
        )
    # One part per statement keeps every packet small.
    DrawListPart.objects.bulk_create(parts, batch_size=1)


def _random_pick(project, prize, labels, digest):
    seed = algorithm.new_seed()
    index = algorithm.pick_index(seed, digest, len(labels))
    return labels[index], {
        "seed": seed,
        "algorithm": algorithm.ALGORITHM,
        "algorithm_version": algorithm.ALGORITHM_VERSION,
    }


def _lottery_details(result, source):
    errors = {}
    result = " ".join(str(result or "").split())
    source = " ".join(str(source or "").split())
    if not result:
        errors["result"] = _("Type the official result.")
    elif not re.fullmatch(r"[0-9 .\-]+", result):
        errors["result"] = _("Type the official result with digits only.")
    elif len(result) > 40:
        errors["result"] = _("The result is too long.")
    if not source:
        errors["source"] = _("Say where the official result was published.")
    elif len(source) > 500:
        errors["source"] = _("Keep the source under 500 characters.")
    if errors:
        raise ValidationError(errors)
    return {"lottery_result": result, "lottery_source": source}


def lottery_plan_problem(prize):
    """Why the prize cannot be drawn by lottery now, or None if it can."""
    try:
        _usable_plan(prize, {})
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _usable_plan(prize, given):
    """The prize's lottery plan, checked to be usable for a draw today.

    A lottery draw needs a plan stated before the lottery's day, whose
    lottery has been held (today or earlier). A redraw needs the plan of a
    later lottery than the earlier draws. `given`, the plan as repeated
    with the result, must agree with it.
    """
    _require_plan(prize)
    plan = {field: getattr(prize, field) for field in PLAN_FIELDS}
    _check_given(prize, plan, given)
    if prize.lottery_date > today():
        raise ValidationError(
            {
                "lottery_date": _(
                    "The lottery is drawn on %(date)s; its result cannot be known yet."
                )
                % {"date": date_format(prize.lottery_date)}
            },
            code="too_early",
        )
    if local_day(prize.lottery_stated_at) >= prize.lottery_date:
        raise ValidationError(
            _(
                "The lottery plan of prize %(prize)s was stated on %(stated)s, "
                "not before the lottery of %(date)s. State the plan of a later "
                "lottery on the prize."
            )
            % {
                "prize": _named(prize),
                "stated": date_format(local_day(prize.lottery_stated_at)),
                "date": date_format(prize.lottery_date),
            },
            code="plan_late",
        )
    _check_later_lottery(prize)
    return {**plan, "rule_stated_at": prize.lottery_stated_at}


def _require_plan(prize):
    if not prize.has_lottery_plan:
        raise ValidationError(
            _(
                "State the lottery plan on prize %(prize)s first: the lottery, "
                "its date and the rule for an unsold number, before the "
                "lottery's day."
            )
            % {"prize": _named(prize)},
            code="no_plan",
        )


def _check_given(prize, plan, given):
    shown = {**plan, "lottery_date": date_format(plan["lottery_date"])}
    errors = {
        field: _(
            "Prize %(prize)s was announced with “%(value)s”; the draw must keep to it."
        )
        % {"prize": _named(prize), "value": shown[field]}
        for field, value in given.items()
        if value and _tidy(field, value) != plan[field]
    }
    if errors:
        raise ValidationError(errors, code="plan_differs")


def _tidy(field, value):
    return " ".join(value.split()) if field == "lottery" else value


def _check_later_lottery(prize):
    """A redraw by lottery cannot use a lottery held by an earlier draw's day.

    The day of an earlier lottery draw is its lottery's; of another draw,
    the day it was made.
    """
    earlier = [
        draw.lottery_date or local_day(draw.drawn_at)
        if draw.method == DrawMethod.LOTTERY
        else local_day(draw.drawn_at)
        for draw in prize.draws.only("method", "lottery_date", "drawn_at")
    ]
    if earlier and prize.lottery_date <= max(earlier):
        raise ValidationError(
            _(
                "A redraw of prize %(prize)s by lottery needs a lottery after "
                "%(day)s, the day of its earlier draw or of the lottery it "
                "used. State the plan of a later lottery on the prize, before "
                "that lottery's day."
            )
            % {"prize": _named(prize), "day": date_format(max(earlier))},
            code="plan_not_later",
        )


def _lottery_pick(prize, result, source, given):
    """Checks the plan and the result now, and again when drawing."""
    _require_plan(prize)
    details = _lottery_details(result, source)

    def pick(project, prize, labels, digest):
        plan = _usable_plan(prize, given)
        digits = project_padding(project)
        try:
            target = algorithm.lottery_digits(details["lottery_result"], digits)
        except algorithm.DrawDataError:
            raise ValidationError(
                {
                    "result": _(
                        "Type the official result with at least %(digits)s digits."
                    )
                    % {"digits": digits}
                },
                code="result",
            ) from None
        winner = algorithm.lottery_winner(target, labels, plan["unsold_rule"])
        return winner, {
            **plan,
            **details,
            "lottery_digits": digits,
            "lottery_number": target,
        }

    return pick


def _typed_number(number):
    typed = str(number if number is not None else "").strip()
    if not is_digits(typed):
        raise ValidationError({"number": _("Type the number drawn, e.g. 007.")})
    return typed


def _manual_pick(typed):
    def pick(project, prize, labels, digest):
        for label in labels:
            if int(label) == int(typed) and len(typed) <= len(label):
                return label, {}
        raise ValidationError(
            {"number": _why_not_eligible(project, prize, typed)}, code="ineligible"
        )

    return pick


def _why_not_eligible(project, prize, typed):
    raffle = (
        Raffle.objects.filter(project=project, number=int(typed))
        .select_related("raffle_set")
        .first()
    )
    if raffle is None or len(typed) > len(raffle.label):
        return _("Number %(number)s is not in this project.") % {"number": typed}
    values = {"number": raffle.label, "state": raffle.get_state_display()}
    if raffle.state not in eligible_states(project):
        return _("Number %(number)s is %(state)s, so it cannot win.") % values
    set_ids = {raffle_set.pk for raffle_set in prize.raffle_sets.all()}
    if set_ids and raffle.raffle_set_id not in set_ids:
        return _("Number %(number)s is not in the sets of this prize.") % values
    if prize.draws.filter(winner=raffle).exists():
        return _("Number %(number)s won an earlier draw of this prize.") % values
    if raffle.number in excluded_numbers(prize):
        return _("Number %(number)s has already won a prize of this project.") % values
    return _("Number %(number)s cannot win this prize.") % values
