"""Every write on raffle sets, numbers and payments.

Web views, the API, admin actions and management commands all call these
functions, so the rules cannot drift apart between them.

Locks. Every service takes its row locks in this one order, so that two
transactions never wait for each other in a circle (MariaDB would kill one
of them with a deadlock error):

0. the acting user's row. MariaDB takes it shared whenever a row naming
   the user is inserted (an event's or a payment's author), and exclusive
   while a transaction hands out one of the organizer's refs (a new buyer
   sold to at once on the sell page). So services that record their
   author take it shared before anything else (rafflesite.db.lock_shared);
1. the project's row. Services that move numbers (sell, pay, release,
   refund, void) take it shared, so sales of different numbers still run
   side by side; services that change the project's sets, prizes or draws
   take it exclusive, so they wait for the sales under way and new sales
   wait for them. MariaDB also takes it shared on its own whenever a row
   naming the project is inserted (a history event): taken first, that
   lock can no longer close a circle;
2. number rows, ascending by number;
3. set rows, ascending by primary key (their running totals: Tally.save);
4. payment rows.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from projects.models import Project
from rafflesite.db import bump_counter, is_mariadb, lock_shared, value_by
from rafflesite.lib.numbers import (
    NumberListError,
    compress,
    digits,
    label,
    parse_numbers,
    run_label,
)
from rafflesite.lib.text import name_key
from rafflesite.money import format_money

from . import draws
from .draw_selectors import project_padding, set_widths, today
from .models import (
    Draw,
    EventKind,
    Kind,
    Method,
    Payment,
    Prize,
    Raffle,
    RaffleEvent,
    RaffleSet,
    State,
    local_day,
)
from .tallies import Tally

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
MAX_NUMBER = 999_999_999
MAX_PADDING = 10
MAX_PRICE = Decimal("99999999.99")
# Numbers named in one UPDATE, well under every database's parameter limit.
UPDATE_CHUNK = 5000


def grouped(count):
    """A count as the active language writes it: 100,000 in English."""
    return formats.number_format(count, force_grouping=True)


# Runs of numbers a message names; the numbers after them are counted.
RUNS_LISTED = 20


class NumberList:
    """Numbers to name in a message, short whatever their count.

    Consecutive labels make one run ("040-045"), followed by its `note`
    where there is one ("040-042 (reserved), 043 (paid)"); the first
    RUNS_LISTED runs are named and the numbers after them counted. str()
    gives the text; templates show `runs` and `more_text`.
    """

    def __init__(self, labels, notes=None):
        notes = notes or {}
        runs = compress(labels, key=notes.get)[:RUNS_LISTED]
        self.runs = [
            (run_label(labels, first, last), notes.get(first)) for first, last in runs
        ]
        self.more = len(labels) - sum(last - first + 1 for first, last in runs)

    @classmethod
    def of(cls, raffles):
        """The numbers of `raffles`, each noted with its state."""
        return cls(
            {raffle.number: raffle.label for raffle in raffles},
            {raffle.number: raffle.get_state_display() for raffle in raffles},
        )

    @property
    def more_text(self):
        if not self.more:
            return ""
        return ngettext("and %(count)s more", "and %(count)s more", self.more) % {
            "count": grouped(self.more)
        }

    def __str__(self):
        listed = ", ".join(
            text if note is None else f"{text} ({note})" for text, note in self.runs
        )
        return f"{listed} {self.more_text}" if self.more else listed


class NumbersUnavailable(ValidationError):
    """Some of the numbers asked for are no longer available.

    `raffles` are numbers taken by someone else; `missing` maps numbers
    that no longer exist at all (their set shrank meanwhile) to their labels.
    `labels` lists every one of them, however many the message names.
    """

    def __init__(self, raffles, missing=None):
        labels = {raffle.number: raffle.label for raffle in raffles}
        notes = {raffle.number: raffle.get_state_display() for raffle in raffles}
        labels.update(missing or {})
        self.labels = [labels[n] for n in sorted(labels)]
        message = ngettext(
            "Number %(taken)s is no longer available.",
            "Numbers %(taken)s are no longer available.",
            len(labels),
        ) % {"taken": NumberList(labels, notes)}
        super().__init__({"numbers": [message]}, code="unavailable")


class MoveRefused(ValidationError):
    """A move between states that the rules do not allow."""


class NotReserved(ValidationError):
    """Some of the numbers to mark paid are not reserved."""

    def __init__(self, raffles):
        self.labels = [raffle.label for raffle in raffles]
        message = ngettext(
            "Number %(listed)s is not reserved, so it cannot be marked paid.",
            "Numbers %(listed)s are not reserved, so they cannot be marked paid.",
            len(raffles),
        ) % {"listed": NumberList.of(raffles)}
        super().__init__({"numbers": [message]}, code="not_reserved")


# Raffle sets


def create_raffle_set(
    *,
    project,
    name,
    unit_price,
    quantity,
    first_number=0,
    kind="virtual",
    padding=None,
):
    """Create a set and all its numbers, as available, all or nothing."""
    name = " ".join(str(name).split())
    unit_price = _check_price(unit_price)
    first_number, quantity = _check_range(first_number, quantity)
    last = first_number + quantity - 1
    # Fixed now: growing or shrinking the set later never changes it.
    padding = digits(last) if padding is None else _check_padding(padding)
    _check_kind(kind)

    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        _check_set_name(project, name)
        _check_overlap(project, first_number, last)
        draws.check_set_change(project, padding=padding, last=last)
        _check_lottery_digits(project, None, padding, last)
        raffle_set = RaffleSet(
            project=project,
            ref=bump_counter(Project, project.pk, "last_set_ref"),
            name=name,
            name_key=name_key(name),
            kind=kind,
            unit_price=unit_price,
            first_number=first_number,
            quantity=quantity,
            padding=padding,
        )
        _full_clean(raffle_set)
        try:
            with transaction.atomic():
                raffle_set.save()
        except IntegrityError as error:
            raise ValidationError(
                {"name": _("A set with this name already exists in this project.")}
            ) from error
        _generate(raffle_set, first_number, last)
    logger.info(
        "Created set %s of project %s with %s numbers",
        raffle_set.ref,
        project.pk,
        quantity,
    )
    return raffle_set


def update_raffle_set(
    *,
    raffle_set,
    name=None,
    kind=None,
    unit_price=None,
    first_number=None,
    quantity=None,
    padding=None,
):
    """Change a set. Numbers already reserved or paid keep their price.

    Growing adds numbers at the end; shrinking removes numbers from the end
    and moving the first number regenerates the set, both only while none
    of the numbers concerned is or was reserved or paid (their history
    stays). The padding changes only when given (None keeps it): labels
    stay as printed however the set grows or shrinks.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=raffle_set.project_id)
        # Only services holding the project's lock change a set's range, so
        # this plain read stays true; the set's row is locked after the
        # numbers (see the lock order at the top).
        raffle_set = RaffleSet.objects.get(pk=raffle_set.pk)
        old_first, old_last = raffle_set.first_number, raffle_set.last_number
        # Sold numbers are named as they were printed, before any new padding.
        old_padding = raffle_set.padding

        if name is not None:
            name = " ".join(str(name).split())
            if name_key(name) != raffle_set.name_key:
                _check_set_name(project, name)
            raffle_set.name = name
            raffle_set.name_key = name_key(name)
        if kind is not None:
            _check_kind(kind)
            raffle_set.kind = kind
        if unit_price is not None:
            raffle_set.unit_price = _check_price(unit_price)
        new_first = old_first if first_number is None else first_number
        new_quantity = raffle_set.quantity if quantity is None else quantity
        new_first, new_quantity = _check_range(new_first, new_quantity)
        new_last = new_first + new_quantity - 1
        new_padding = old_padding if padding is None else _check_padding(padding)

        if new_first != old_first:
            _check_overlap(project, new_first, new_last, exclude=raffle_set)
            removed = (old_first, old_last, "first_number")
        elif new_last < old_last:
            removed = (new_last + 1, old_last, "quantity")
        else:
            removed = None
        if new_padding != old_padding:
            draws.check_set_change(
                project, raffle_set=raffle_set, padding=new_padding, last=new_last
            )
            _check_labels_unsettled(project)
        # A set's width is its padding, or its last number's digits if more:
        # shrinking a wide set narrows it as surely as a new padding does.
        if max(new_padding, digits(new_last)) != max(old_padding, digits(old_last)):
            _check_lottery_digits(project, raffle_set, new_padding, new_last)
        if removed:
            first, last, field = removed
            _lock_unsold(raffle_set, first, last, field, old_padding)
        _lock_set(raffle_set)

        if removed:
            _delete_numbers(raffle_set, first, last)
        if new_first != old_first:
            _generate(raffle_set, new_first, new_last)
        elif new_last > old_last:
            _check_overlap(project, old_last + 1, new_last, exclude=raffle_set)
            _generate(raffle_set, old_last + 1, new_last)
        # Set only now, so refusals above label numbers as they are shown.
        raffle_set.padding = new_padding
        raffle_set.first_number = new_first
        raffle_set.quantity = new_quantity
        _full_clean(raffle_set)
        raffle_set.save(update_fields=[*SET_FIELDS, "updated_at"])
    return raffle_set


def delete_raffle_set(*, raffle_set):
    """Delete a set and its numbers, refused while any has a history.

    A number that was ever reserved or paid keeps its history, so its set
    stays; a set whose numbers never left "available" goes entirely.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=raffle_set.project_id)
        raffle_set = RaffleSet.objects.get(pk=raffle_set.pk)
        draws.check_set_change(project, raffle_set=raffle_set)
        _check_lottery_digits_kept(project, raffle_set)
        _lock_unsold(raffle_set, raffle_set.first_number, raffle_set.last_number)
        _lock_set(raffle_set)
        _delete_numbers(raffle_set, raffle_set.first_number, raffle_set.last_number)
        raffle_set.delete()


def set_deletion_problem(raffle_set):
    """Why delete_raffle_set() would refuse the set now, or None.

    The same checks without the locks: a page asks before it offers to
    delete, and the service checks again under its locks.
    """
    try:
        draws.check_set_change(raffle_set.project, raffle_set=raffle_set)
        _check_lottery_digits_kept(raffle_set.project, raffle_set)
        kept = _numbers_with_history(
            raffle_set, raffle_set.first_number, raffle_set.last_number
        )
        if kept:
            raise _history_kept(kept, None, raffle_set.padding)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def set_can_be_deleted(raffle_set):
    """Whether set_deletion_problem() would find none, without naming the
    numbers: for pages that only show or hide a Delete link. A number that
    ever left "available" has an event, whatever its state now.
    """
    if raffle_set.reserved_count or raffle_set.paid_count:
        return False  # from the set's tallies, without a query
    numbers = Raffle.objects.filter(raffle_set=raffle_set)
    if RaffleEvent.objects.filter(raffle__in=numbers).exists():
        return False
    if numbers.exclude(state=State.AVAILABLE).exists():
        return False
    try:
        draws.check_set_change(raffle_set.project, raffle_set=raffle_set)
        _check_lottery_digits_kept(raffle_set.project, raffle_set)
    except ValidationError:
        return False
    return True


def generate_numbers(raffle_set, first, last):
    """Insert numbers first..last of a set, as available, in one statement.

    MariaDB reads them from its sequence engine and SQLite from a recursive
    common table expression: the rows never travel from Python, so 100,000
    numbers take about a second and fit any packet limit.
    """
    table = Raffle._meta.db_table
    columns = "project_id, raffle_set_id, number, state, amount_paid, method, notes"
    values = "%s, %s, n, 'available', 0, '', ''"
    params = [raffle_set.project_id, raffle_set.pk]
    if is_mariadb():
        sql = (
            f"INSERT INTO {table} ({columns}) "
            f"SELECT {values} FROM "
            f"(SELECT seq AS n FROM seq_{int(first)}_to_{int(last)}) AS numbers"
        )
    elif connection.vendor == "sqlite":
        sql = (
            "WITH RECURSIVE numbers(n) AS "
            "(SELECT %s UNION ALL SELECT n + 1 FROM numbers WHERE n < %s) "
            f"INSERT INTO {table} ({columns}) SELECT {values} FROM numbers"
        )
        params = [first, last, *params]
    else:
        Raffle.objects.bulk_create(
            (
                Raffle(
                    project_id=raffle_set.project_id,
                    raffle_set=raffle_set,
                    number=n,
                )
                for n in range(first, last + 1)
            ),
            batch_size=5000,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _generate(raffle_set, first, last):
    """generate_numbers(), turning a clash with a stray number into a field error.

    The overlap check under the project's lock keeps sets apart; a clash
    here means a number row that belongs to no set's range.
    """
    try:
        with transaction.atomic():
            generate_numbers(raffle_set, first, last)
    except IntegrityError as error:
        logger.warning(
            "Numbers %s-%s of project %s clash with existing rows",
            first,
            last,
            raffle_set.project_id,
        )
        raise ValidationError(
            {
                "first_number": _(
                    "Some of the numbers %(range)s already exist in this project."
                )
                % {
                    "range": f"{raffle_set.label(first)}-{raffle_set.label(last)}",
                }
            },
            code="clash",
        ) from error


# The fields of a set that its edits write: never the running totals,
# which sales change under their own locks.
SET_FIELDS = ["name", "name_key", "kind", "unit_price", "first_number"]
SET_FIELDS += ["quantity", "padding"]


def _lock_set(raffle_set):
    list(RaffleSet.objects.select_for_update().filter(pk=raffle_set.pk).values("pk"))


def _lock_unsold(raffle_set, first, last, field=None, padding=None):
    """Lock numbers first..last of a set, refused if any has a history.

    Removing a number would remove its history: so every number that is,
    or ever was, reserved or paid is named in the refusal, under `field`
    (none for a deleted set). `padding`: the width the numbers are shown
    with now, when the edit being refused would change it.
    """
    kept = _numbers_with_history(raffle_set, first, last, lock=True)
    if kept:
        raise _history_kept(kept, field, padding or raffle_set.padding)


def _numbers_with_history(raffle_set, first, last, lock=False):
    numbers = Raffle.objects.filter(
        raffle_set=raffle_set, number__gte=first, number__lte=last
    )
    states = numbers.select_for_update() if lock else numbers
    # A values list: the lock without loading 100,000 rows as objects.
    states = states.order_by("number").values_list("number", "state")
    kept = {number for number, state in states if state != State.AVAILABLE}
    for model in (RaffleEvent, Payment):
        kept.update(
            model.objects.filter(raffle__in=numbers)
            .order_by()
            .values_list("raffle__number", flat=True)
            .distinct()
        )
    return kept


def _history_kept(numbers, field, padding):
    named = NumberList({number: label(number, padding) for number in numbers})
    message = ngettext(
        "Number %(numbers)s is or was reserved or paid, so it cannot be "
        "removed: its history must stay.",
        "Numbers %(numbers)s are or were reserved or paid, so they cannot be "
        "removed: their history must stay.",
        len(numbers),
    ) % {"numbers": named}
    return ValidationError({field: [message]} if field else message, code="history")


def _delete_numbers(raffle_set, first, last):
    """Delete numbers that _lock_unsold() found without a history."""
    Raffle.objects.filter(
        raffle_set=raffle_set, number__gte=first, number__lte=last
    ).delete()


def _check_set_name(project, name):
    if not name:
        raise ValidationError({"name": _("Give the set a name.")})
    if RaffleSet.objects.filter(project=project, name_key=name_key(name)).exists():
        raise ValidationError(
            {
                "name": _("A set named “%(name)s” already exists in this project.")
                % {"name": name}
            },
            code="unique",
        )


def _check_overlap(project, first, last, exclude=None):
    clashing = RaffleSet.objects.filter(
        project=project, first_number__lte=last
    ).order_by("first_number")
    if exclude is not None:
        clashing = clashing.exclude(pk=exclude.pk)
    for other in clashing:
        if other.last_number >= first:
            raise ValidationError(
                {
                    "first_number": _(
                        "Numbers %(range)s overlap set “%(set)s” (%(other)s): "
                        "numbers are unique across a project."
                    )
                    % {
                        "range": f"{label(first, other.padding)}-"
                        f"{label(last, other.padding)}",
                        "set": other.name,
                        "other": other.range_label,
                    }
                },
                code="overlap",
            )


def _check_range(first_number, quantity):
    maximum = settings.RAFFLES_MAX_SET_SIZE
    errors = {}
    if not isinstance(quantity, int) or quantity < 1:
        errors["quantity"] = _("A set needs at least one number.")
    elif quantity > maximum:
        errors["quantity"] = _("A set can have at most %(max)s numbers.") % {
            "max": grouped(maximum)
        }
    if not isinstance(first_number, int) or first_number < 0:
        errors["first_number"] = _("The first number must be 0 or more.")
    elif not errors and first_number + quantity - 1 > MAX_NUMBER:
        errors["quantity"] = _("Numbers cannot go past %(max)s.") % {
            "max": grouped(MAX_NUMBER)
        }
    if errors:
        raise ValidationError(errors, code="range")
    return first_number, quantity


def _check_padding(padding):
    # A number with more digits than the padding shows them all: with 3,
    # 999 is followed by 1000.
    if not isinstance(padding, int) or padding < 1 or padding > MAX_PADDING:
        raise ValidationError(
            {
                "padding": _("The padding must be between 1 and %(max)s.")
                % {"max": MAX_PADDING}
            },
            code="padding",
        )
    return padding


def _check_labels_unsettled(project):
    """Refuse a new padding once the project's labels are out in the world.

    A winner's label was announced, and a lottery plan was stated on the
    labels printed: changing how numbers are written would make the same
    number read two ways.
    """
    winner = (
        Draw.objects.filter(project=project)
        .exclude(winner_label="")
        .order_by("drawn_at")
        .first()
    )
    if winner is not None:
        raise ValidationError(
            {
                "padding": _(
                    "The padding cannot change: number %(label)s has been drawn "
                    "as a winner, and the numbers must stay written as announced."
                )
                % {"label": winner.winner_label}
            },
            code="padding_drawn",
        )
    prize = _planned_prize(project)
    if prize is not None:
        raise ValidationError(
            {
                "padding": _(
                    "The padding cannot change: prize %(prize)s has a stated "
                    "lottery plan, and the numbers must stay written as printed."
                )
                % {"prize": _prize_named(prize)}
            },
            code="padding_planned",
        )


def _check_lottery_digits(project, raffle_set, padding, last):
    """Refuse a set whose width would change the digits a stated plan compares.

    A lottery result is compared on the width of the project's widest label
    (raffles.draw_selectors.project_padding). `raffle_set` (None for a new
    set) is to have `padding` and end at `last`: wider numbers could never
    match the result, and narrowing the widest set changes the digits.
    """
    prize = _planned_prize(project)
    if prize is None:
        return
    compared = project_padding(project)
    if compared is None:
        return
    width = max(padding, digits(last))
    after = max([*set_widths(project, exclude=raffle_set), width])
    if after == compared:
        return
    values = {
        "prize": _prize_named(prize),
        "digits": compared,
        "label": label(last, padding),
    }
    if after > compared:
        message = _(
            "Prize %(prize)s has a stated lottery plan that compares the "
            "last %(digits)s digits, so the set cannot have numbers of more "
            "digits, such as %(label)s."
        )
    else:
        message = _(
            "Prize %(prize)s has a stated lottery plan that compares the "
            "last %(digits)s digits, the width of this set's numbers, so "
            "its numbers cannot all become narrower."
        )
    field = "padding" if padding > compared else "quantity"
    raise ValidationError({field: message % values}, code="lottery_digits")


def _check_lottery_digits_kept(project, raffle_set):
    """Refuse deleting the set that gives a stated plan its digits.

    The last set too: the next one would set the digits anew.
    """
    prize = _planned_prize(project)
    if prize is None:
        return
    left = max(set_widths(project, exclude=raffle_set), default=None)
    compared = project_padding(project)
    if left == compared:
        return
    raise ValidationError(
        _(
            "Prize %(prize)s has a stated lottery plan that compares the last "
            "%(digits)s digits, the width of this set's numbers: deleting it "
            "would change them."
        )
        % {"prize": _prize_named(prize), "digits": compared},
        code="lottery_digits",
    )


def _planned_prize(project):
    return (
        Prize.objects.filter(project=project, lottery_stated_at__isnull=False)
        .order_by("position")
        .first()
    )


def _prize_named(prize):
    return _("%(position)s (%(name)s)") % {
        "position": prize.position,
        "name": prize.name,
    }


def _check_price(price):
    try:
        price = Decimal(str(price))
    except ArithmeticError:
        price = None
    if price is None or not price.is_finite():
        raise ValidationError({"unit_price": _("Enter a price such as 2.50.")})
    if price < 0:
        raise ValidationError({"unit_price": _("The price cannot be negative.")})
    if price != price.quantize(CENT):
        raise ValidationError(
            {"unit_price": _("Use at most two decimal places.")}, code="decimals"
        )
    if price > MAX_PRICE:
        raise ValidationError({"unit_price": _("The price is too large.")})
    return price.quantize(CENT)


def _check_kind(kind):
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose virtual or paper.")})


def _full_clean(instance):
    instance.full_clean(
        exclude=["project", "owner", "ref", "name_key"],
        validate_unique=False,
        validate_constraints=False,
    )


# Numbers


def resolve_numbers(project, numbers):
    """The integers meant by typed numbers ("7, 12, 100-105" or a list).

    Each one must belong to a set of the project and be typed with no more
    digits than that set shows ("0007" is refused for a set 000-999).
    """
    return sorted(resolve_labels(project, numbers))


def resolve_labels(project, numbers):
    """resolve_numbers() as {number: label}, each labelled as its set shows it."""
    try:
        pairs = parse_numbers(numbers)
    except NumberListError as error:
        message = _(error.template) % {
            name: grouped(value) if isinstance(value, int) else value
            for name, value in error.params.items()
        }
        raise ValidationError({"numbers": [message]}, code="parse") from error
    sets = list(project.raffle_sets.order_by("first_number"))
    # Numbers outside every set are labelled as the sets label theirs,
    # however many zeros were typed.
    padding = max((raffle_set.padding for raffle_set in sets), default=1)
    unknown = {}
    too_wide = {}
    labels = {}
    for number, typed in pairs:
        owner = _set_of(sets, number)
        if owner is None:
            unknown[number] = label(number, padding)
        elif len(typed) > len(owner.label(number)):
            too_wide[number] = typed
        else:
            labels[number] = owner.label(number)
    if unknown:
        raise ValidationError(
            {
                "numbers": [
                    ngettext(
                        "Not in any set of this project: %(numbers)s.",
                        "Not in any set of this project: %(numbers)s.",
                        len(unknown),
                    )
                    % {"numbers": NumberList(unknown)}
                ]
            },
            code="unknown",
        )
    if too_wide:
        raise ValidationError(
            {
                "numbers": [
                    _("Too many digits for this project's numbers: %(numbers)s.")
                    % {"numbers": NumberList(too_wide)}
                ]
            },
            code="width",
        )
    return labels


def _set_of(sets, number):
    for raffle_set in sets:
        if raffle_set.first_number <= number <= raffle_set.last_number:
            return raffle_set
    return None


def sell_numbers(
    *,
    project,
    buyer,
    numbers,
    actor,
    state=State.RESERVED,
    method="",
    reference="",
    paid_at=None,
):
    """Reserve numbers for a buyer, or sell them paid, all or nothing.

    The rows are locked in number order, so two clerks selling the same
    number at once queue up: the first one wins and the second one gets
    NumbersUnavailable naming it. A number removed from its set after it
    was read, before it was locked, is refused the same way.
    """
    if state not in (State.RESERVED, State.PAID):
        raise ValidationError({"state": _("Choose reserved or paid.")})
    if buyer.owner_id != project.owner_id:
        raise ValidationError({"buyer": _("Choose one of your buyers.")})
    if state == State.PAID:
        method = _check_method(method or Method.CASH)
    else:
        # A reservation records no payment, so a payment date means nothing
        # to it; a free number in it is paid the moment it is taken.
        paid_at = None
    wanted = resolve_labels(project, numbers)
    now = timezone.now()

    with transaction.atomic():
        raffles = _lock_numbers(project, wanted, actor)
        taken = [raffle for raffle in raffles if raffle.state != State.AVAILABLE]
        missing = _missing(wanted, raffles)
        if taken or missing:
            refused = {raffle.number: raffle.label for raffle in taken} | missing
            with translation.override(None):
                logger.info(
                    "Refused sale of numbers %s in project %s: no longer available",
                    str(NumberList(refused)),
                    project.pk,
                )
            raise NumbersUnavailable(taken, missing)
        if paid_at is not None:
            paid_at = _check_sale_paid_at(raffles, paid_at)
        tally = Tally()
        for raffle in raffles:
            tally.before(raffle)
            _take(raffle, buyer, state, method, now, paid_at)
            tally.after(raffle)
        _save_taken(raffles)
        tally.save()
        payments = Payment.objects.bulk_create(
            Payment(
                raffle=raffle,
                buyer=buyer,
                amount=raffle.price,
                method=method,
                paid_at=paid_at or now,
                reference=reference,
                recorded_by=actor,
            )
            for raffle in raffles
            if raffle.state == State.PAID and raffle.price > 0
        )
        by_raffle = {payment.raffle_id: payment for payment in payments}
        RaffleEvent.objects.bulk_create(
            RaffleEvent(
                raffle=raffle,
                project=project,
                kind=EventKind.SELL
                if raffle.state == State.PAID
                else EventKind.RESERVE,
                actor=actor,
                from_state=State.AVAILABLE,
                to_state=raffle.state,
                buyer=buyer,
                amount=raffle.amount_paid or None,
                payment=by_raffle.get(raffle.pk),
            )
            for raffle in raffles
        )
    logger.info(
        "Sold %s numbers of project %s to buyer %s as %s",
        len(raffles),
        project.pk,
        buyer.pk,
        state,
    )
    return raffles


def _share(actor, project_id):
    """Lock steps 0 and 1 of a service that moves numbers."""
    lock_shared(User, actor.pk)
    lock_shared(Project, project_id)


def _lock_numbers(project, wanted, actor):
    """The project's numbers `wanted` ({number: label}), locked in order."""
    _share(actor, project.pk)
    return list(
        Raffle.objects.select_for_update()
        .filter(project=project, number__in=list(wanted))
        .select_related("raffle_set")
        .order_by("number")
    )


def _missing(wanted, raffles):
    """Numbers of `wanted` that were not found, as {number: label}."""
    found = {raffle.number for raffle in raffles}
    return {n: text for n, text in sorted(wanted.items()) if n not in found}


def _save_taken(raffles):
    """Write the taken numbers in one UPDATE (per UPDATE_CHUNK numbers).

    The numbers of one set take the same values in a sale (_take: its
    price decides the rest), so the values are written per set, with a
    CASE on the set where sets differ: a statement whatever the sets,
    where a row-by-row CASE would grow with the square of the numbers on
    SQLite.
    """
    fields = ["state", "buyer_id", "price", "amount_paid", "method"]
    fields += ["reserved_at", "paid_at"]
    by_set = {}
    for raffle in raffles:
        values = tuple(getattr(raffle, name) for name in fields)
        kept = by_set.setdefault(raffle.raffle_set_id, values)
        assert kept == values, "numbers of one set differ in one sale"
    changes = {
        name: value_by(
            Raffle,
            "raffle_set_id",
            {set_id: values[index] for set_id, values in by_set.items()},
            name,
        )
        for index, name in enumerate(fields)
    }
    pks = [raffle.pk for raffle in raffles]
    for start in range(0, len(pks), UPDATE_CHUNK):
        Raffle.objects.filter(pk__in=pks[start : start + UPDATE_CHUNK]).update(
            **changes
        )


def _take(raffle, buyer, state, method, now, paid_at):
    raffle.buyer = buyer
    raffle.price = raffle.raffle_set.unit_price
    raffle.reserved_at = now
    # A free number has nothing left to pay: it is paid as soon as it is taken.
    if state == State.PAID or raffle.price == 0:
        raffle.state = State.PAID
        raffle.amount_paid = raffle.price
        raffle.method = method or (Method.OTHER if raffle.price == 0 else "")
        raffle.paid_at = paid_at or now
        # A sale paid on an earlier day took the number that day.
        raffle.reserved_at = min(now, raffle.paid_at)
    else:
        raffle.state = State.RESERVED


def record_payment(*, raffle, amount, method, actor, paid_at=None, reference=""):
    """Record money received for a reserved number; paid once it reaches the price."""
    amount = _check_amount(amount)
    method = _check_method(method)
    with transaction.atomic():
        raffle = _lock(raffle, actor)
        if raffle.state != State.RESERVED:
            raise _refused(raffle, PAYMENT_REFUSED)
        tally = Tally()
        payment = _pay(raffle, amount, method, actor, paid_at, reference, tally)
        tally.save()
    return payment


def _pay(raffle, amount, method, actor, paid_at, reference, tally):
    """Record a payment on a locked, reserved number.

    Runs inside the caller's transaction, which also saves `tally`.
    """
    if amount > raffle.outstanding:
        raise ValidationError(
            {
                "amount": _("Only %(outstanding)s is still owed on number %(label)s.")
                % {
                    "outstanding": format_money(
                        raffle.outstanding, raffle.project.currency
                    ),
                    "label": raffle.label,
                }
            },
            code="overpaid",
        )
    paid_at = _check_paid_at(raffle, paid_at)
    payment = Payment.objects.create(
        raffle=raffle,
        buyer_id=raffle.buyer_id,
        amount=amount,
        method=method,
        paid_at=paid_at,
        reference=reference,
        recorded_by=actor,
    )
    from_state = raffle.state
    tally.before(raffle)
    raffle.amount_paid += amount
    raffle.method = method
    fields = ["amount_paid", "method"]
    if raffle.amount_paid == raffle.price:
        raffle.state = State.PAID
        # Fully paid when the latest payment came, whatever the order in
        # which the payments were recorded.
        raffle.paid_at = payment.paid_at
        if amount != raffle.amount_paid:
            raffle.paid_at = raffle.payments.filter(cleared_at__isnull=True).aggregate(
                latest=Max("paid_at")
            )["latest"]
        fields += ["state", "paid_at"]
    raffle.save(update_fields=fields)
    tally.after(raffle)
    RaffleEvent.objects.create(
        raffle=raffle,
        project_id=raffle.project_id,
        kind=EventKind.PAYMENT,
        actor=actor,
        from_state=from_state,
        to_state=raffle.state,
        buyer_id=raffle.buyer_id,
        amount=amount,
        payment=payment,
        reason=reference,
    )
    return payment


def _check_paid_at(raffle, paid_at):
    """The moment of a payment of a reserved number, checked.

    Dates are compared in the configured time zone, as the forms give them:
    today is allowed, a later day is not; neither is a day before the
    number was reserved. A payment dated the day of the reservation counts
    from the reservation on, so the number is never paid before it was
    reserved.
    """
    if paid_at is None:
        return timezone.now()
    _refuse_future(raffle, paid_at)
    if raffle.reserved_at is None:
        return paid_at
    message = _(
        "Number %(label)s was reserved on %(date)s: date its payment on "
        "%(date)s or later."
    )
    return _not_before(raffle, paid_at, raffle.reserved_at, message, "before_reserved")


def _check_sale_paid_at(raffles, paid_at):
    """The moment of the payments of a sale, checked as in _check_paid_at.

    A sale may be dated earlier than today (a paper booklet sold last week
    is typed in now), but not before the day a number came back to
    "available" from an earlier buyer, so that its history stays in order.
    """
    if not raffles:
        return paid_at
    _refuse_future(raffles[0], paid_at)
    # By range, not by a list: a sale may take 100,000 numbers at once.
    numbers = [raffle.number for raffle in raffles]
    wanted = {raffle.pk for raffle in raffles}
    lasts = (
        RaffleEvent.objects.filter(
            project_id=raffles[0].project_id,
            raffle__number__gte=min(numbers),
            raffle__number__lte=max(numbers),
        )
        .order_by()
        .values("raffle")
        .annotate(last=Max("at"))
        .values_list("raffle", "last")
    )
    returned = {pk: last for pk, last in lasts if pk in wanted}
    if not returned:
        return paid_at
    latest = max(returned.values())
    bound = next(raffle for raffle in raffles if returned.get(raffle.pk) == latest)
    message = _(
        "Number %(label)s became available again on %(date)s: date its payment "
        "on %(date)s or later."
    )
    return _not_before(bound, paid_at, latest, message, "before_available")


def _not_before(raffle, paid_at, bound, message, code):
    """`paid_at`, refused on a day before `bound`'s and moved up to `bound`
    on its day, so the number's history stays in order."""
    if paid_at >= bound:
        return paid_at
    if timezone.localdate(paid_at) < timezone.localdate(bound):
        raise ValidationError(
            {"paid_at": message % {"label": raffle.label, "date": _day(bound)}},
            code=code,
        )
    return bound


def _refuse_future(raffle, paid_at):
    # The same today() sets the payment forms' date pickers' max.
    if local_day(paid_at) > today():
        raise ValidationError(
            {
                "paid_at": _(
                    "A payment of number %(label)s cannot be dated after today "
                    "(%(today)s)."
                )
                % {"label": raffle.label, "today": formats.date_format(today())}
            },
            code="future",
        )


def _day(moment):
    return formats.date_format(timezone.localdate(moment))


def mark_paid(*, raffle, method, actor, reference="", paid_at=None):
    """Pay what is still owed on a reserved number, in one payment."""
    method = _check_method(method)
    with transaction.atomic():
        raffle = _lock(raffle, actor)
        if raffle.state != State.RESERVED:
            raise _refused(raffle, MARK_PAID_REFUSED)
        tally = Tally()
        payment = _pay(
            raffle, raffle.outstanding, method, actor, paid_at, reference, tally
        )
        tally.save()
    return payment


def mark_numbers_paid(*, project, numbers, method, actor, reference="", paid_at=None):
    """Mark several reserved numbers paid, all or nothing.

    Each number gets one payment of what it still owes, as with mark_paid.
    When any number is not reserved nothing changes, and the error names
    every such number with its state.
    """
    method = _check_method(method)
    wanted = resolve_labels(project, numbers)
    with transaction.atomic():
        raffles = _lock_numbers(project, wanted, actor)
        missing = _missing(wanted, raffles)
        if missing:
            raise NumbersUnavailable([], missing)
        refused = [raffle for raffle in raffles if raffle.state != State.RESERVED]
        if refused:
            raise NotReserved(refused)
        tally = Tally()
        payments = [
            _pay(raffle, raffle.outstanding, method, actor, paid_at, reference, tally)
            for raffle in raffles
        ]
        tally.save()
    logger.info("Marked %s numbers of project %s paid", len(payments), project.pk)
    return payments


def release_number(*, raffle, actor, reason=""):
    """Give a reserved number back: available again, its payments cleared."""
    return _make_available(raffle, actor, reason, State.RESERVED, EventKind.RELEASE)


# What a number's state allows, said when a move is refused (the number
# pages say the same before offering the move).
PAYMENT_REFUSED = gettext_lazy(
    "Number %(label)s is %(state)s: only a reserved number takes payments."
)
MARK_PAID_REFUSED = gettext_lazy(
    "Number %(label)s is %(state)s: only a reserved number is marked paid."
)
RELEASE_REFUSED = gettext_lazy(
    "Number %(label)s is %(state)s: only a reserved number is released."
)
REFUND_REFUSED = gettext_lazy(
    "Number %(label)s is %(state)s: only a paid number is refunded."
)


def refund_number(*, raffle, actor, reason):
    """Undo the sale of a paid number (a refund or a correction)."""
    if not str(reason or "").strip():
        raise ValidationError({"reason": _("Say why the number is refunded.")})
    return _make_available(raffle, actor, reason, State.PAID, EventKind.REFUND)


def _make_available(raffle, actor, reason, expected, kind):
    reason = str(reason or "").strip()
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    with transaction.atomic():
        raffle = _lock(raffle, actor)
        if raffle.state != expected:
            refused = RELEASE_REFUSED if expected == State.RESERVED else REFUND_REFUSED
            raise _refused(raffle, refused)
        draws.check_number_can_leave(raffle, kind)
        event = RaffleEvent(
            raffle=raffle,
            project_id=raffle.project_id,
            kind=kind,
            actor=actor,
            from_state=raffle.state,
            to_state=State.AVAILABLE,
            buyer=raffle.buyer,
            amount=raffle.amount_paid or None,
            reason=reason,
        )
        raffle.payments.filter(cleared_at__isnull=True).update(
            cleared_at=timezone.now()
        )
        tally = Tally()
        tally.before(raffle)
        raffle.state = State.AVAILABLE
        raffle.buyer = None
        raffle.price = None
        raffle.amount_paid = Decimal("0")
        raffle.method = ""
        raffle.reserved_at = None
        raffle.paid_at = None
        raffle.save(
            update_fields=[
                "state",
                "buyer",
                "price",
                "amount_paid",
                "method",
                "reserved_at",
                "paid_at",
            ]
        )
        tally.after(raffle)
        tally.save()
        event.save()
    # The callers tell whom to give back how much: the event says it.
    raffle.event = event
    logger.info(
        "Number %s of project %s made available (%s)",
        raffle.label,
        raffle.project_id,
        kind,
    )
    return raffle


def void_payment(*, payment, actor, reason):
    """Take back a payment recorded by mistake on a reserved number.

    The payment stays on record, marked cleared; the number's amount paid
    drops by its amount, and a history event says who voided it and why.
    A paid number is corrected by a refund instead.
    """
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the payment is voided.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    with transaction.atomic():
        raffle = _lock(payment.raffle, actor)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.cleared_at is not None:
            raise MoveRefused(
                _("This payment of number %(label)s no longer counts.")
                % {"label": raffle.label},
                code="cleared",
            )
        if raffle.state != State.RESERVED:
            raise MoveRefused(
                _(
                    "Cannot void a payment of number %(label)s: it is %(state)s. "
                    "Refund the number instead."
                )
                % {"label": raffle.label, "state": raffle.get_state_display()},
                code="refused",
            )
        payment.cleared_at = timezone.now()
        payment.save(update_fields=["cleared_at"])
        tally = Tally()
        tally.before(raffle)
        raffle.amount_paid -= payment.amount
        last = (
            raffle.payments.filter(cleared_at__isnull=True).order_by("-paid_at", "-pk")
        ).first()
        raffle.method = last.method if last else ""
        raffle.save(update_fields=["amount_paid", "method"])
        tally.after(raffle)
        tally.save()
        # No event kind of its own: a payment event with a negative amount
        # takes the money back, next to the payment it corrects.
        RaffleEvent.objects.create(
            raffle=raffle,
            project_id=raffle.project_id,
            kind=EventKind.PAYMENT,
            actor=actor,
            from_state=raffle.state,
            to_state=raffle.state,
            buyer=raffle.buyer,
            amount=-payment.amount,
            payment=payment,
            reason=reason,
        )
    logger.info(
        "Voided a payment of %s on number %s of project %s",
        payment.amount,
        raffle.label,
        raffle.project_id,
    )
    return payment


def update_number_notes(*, raffle, notes):
    notes = str(notes or "").strip()
    if len(notes) > 500:
        raise ValidationError({"notes": _("Keep notes under 500 characters.")})
    raffle.notes = notes
    raffle.save(update_fields=["notes"])
    return raffle


def _lock(raffle, actor):
    _share(actor, raffle.project_id)
    return (
        Raffle.objects.select_for_update()
        .select_related("raffle_set", "buyer")
        .get(pk=raffle.pk)
    )


def _refused(raffle, message):
    return MoveRefused(
        str(message) % {"label": raffle.label, "state": raffle.get_state_display()},
        code="refused",
    )


def _check_amount(amount):
    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount greater than 0.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("Use at most two decimal places.")})
    return amount


def _check_method(method):
    if method not in Method.values:
        raise ValidationError({"method": _("Choose a payment method.")})
    return method
