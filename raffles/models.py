from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from rafflesite.lib.numbers import label


class Kind(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    PAPER = "paper", _("Paper")


class State(models.TextChoices):
    AVAILABLE = "available", _("available")
    RESERVED = "reserved", _("reserved")
    PAID = "paid", _("paid")


class Method(models.TextChoices):
    CASH = "cash", _("cash")
    BANK_TRANSFER = "bank_transfer", _("bank transfer")
    CARD = "card", _("card")
    MOBILE = "mobile", _("mobile payment")
    OTHER = "other", _("other")


class RaffleSet(models.Model):
    """A block of numbers of a project with one unit price and one kind."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="raffle_sets",
        verbose_name=_("project"),
    )
    ref = models.PositiveIntegerField(_("number"), editable=False)
    name = models.CharField(_("name"), max_length=120)
    name_key = models.CharField(max_length=64, editable=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.VIRTUAL
    )
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    first_number = models.PositiveIntegerField(_("first number"), default=0)
    quantity = models.PositiveIntegerField(_("quantity"))
    padding = models.PositiveSmallIntegerField(_("padding width"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Running totals of the set's numbers, changed by the services in the
    # same transaction as the numbers (services.Tally), so pages read a
    # set's totals from one row however many numbers are sold.
    # services.recount_sets rebuilds them from the numbers.
    reserved_count = models.PositiveIntegerField(
        _("reserved"), default=0, editable=False
    )
    paid_count = models.PositiveIntegerField(_("paid"), default=0, editable=False)
    collected = models.DecimalField(
        _("collected"), max_digits=16, decimal_places=2, default=0, editable=False
    )
    outstanding = models.DecimalField(
        _("outstanding"), max_digits=16, decimal_places=2, default=0, editable=False
    )

    class Meta:
        verbose_name = _("raffle set")
        verbose_name_plural = _("raffle sets")
        ordering = ["project", "first_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "ref"], name="set_ref_unique_per_project"
            ),
            models.UniqueConstraint(
                fields=["project", "name_key"], name="set_name_unique_per_project"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="set_has_name"),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="set_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="set_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="set_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(padding__gte=1) & Q(padding__lte=10),
                name="set_padding_in_range",
            ),
            models.CheckConstraint(
                condition=Q(reserved_count__gte=0)
                & Q(paid_count__gte=0)
                & Q(collected__gte=0)
                & Q(outstanding__gte=0),
                name="set_totals_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "raffles:set_detail",
            kwargs={"project_ref": self.project.ref, "ref": self.ref},
        )

    @property
    def last_number(self):
        return self.first_number + self.quantity - 1

    @property
    def available_count(self):
        return self.quantity - self.reserved_count - self.paid_count

    @property
    def label_width(self):
        """Digits of the widest label: the last number may be wider than the
        padding (with 3, 999 is followed by 1000)."""
        return len(self.label(self.last_number))

    @property
    def range_label(self):
        return f"{self.label(self.first_number)}-{self.label(self.last_number)}"

    def label(self, number):
        return label(number, self.padding)


class Raffle(models.Model):
    """One numbered ticket of a set: available, reserved or paid."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="raffles",
        verbose_name=_("project"),
    )
    raffle_set = models.ForeignKey(
        RaffleSet,
        on_delete=models.CASCADE,
        related_name="raffles",
        verbose_name=_("raffle set"),
    )
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.AVAILABLE
    )
    buyer = models.ForeignKey(
        "buyers.Buyer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raffles",
        verbose_name=_("buyer"),
    )
    # Captured when the number leaves "available"; a later change of the
    # set's price does not touch it.
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_paid = models.DecimalField(
        _("amount paid"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    method = models.CharField(
        _("payment method"), max_length=16, choices=Method.choices, blank=True
    )
    reserved_at = models.DateTimeField(_("reserved"), null=True, blank=True)
    paid_at = models.DateTimeField(_("fully paid"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("number")
        verbose_name_plural = _("numbers")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="number_unique_per_project"
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="available")
                    & Q(buyer__isnull=True)
                    & Q(price__isnull=True)
                    & Q(amount_paid=0)
                    & Q(paid_at__isnull=True)
                )
                | (
                    Q(state="reserved")
                    & Q(buyer__isnull=False)
                    & Q(price__isnull=False)
                    & Q(amount_paid__lt=F("price"))
                    & Q(paid_at__isnull=True)
                )
                | (
                    Q(state="paid")
                    & Q(buyer__isnull=False)
                    & Q(price__isnull=False)
                    & Q(amount_paid=F("price"))
                    & Q(paid_at__isnull=False)
                ),
                name="number_state_consistent",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0), name="number_paid_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(method__in=["", *Method.values]),
                name="number_method_known",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="number_price_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["project", "state", "raffle_set"], name="number_state"
            ),
            models.Index(fields=["raffle_set", "number"], name="number_in_set"),
            # The grid filtered by state or by buyer counts and pages over
            # these alone (raffles.views.sets._filtered_page).
            models.Index(
                fields=["raffle_set", "state", "number"], name="number_in_set_by_state"
            ),
            models.Index(
                fields=["raffle_set", "buyer", "number"], name="number_in_set_by_buyer"
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse(
            "raffles:number_detail",
            kwargs={"project_ref": self.project.ref, "number": self.label},
        )

    @property
    def label(self):
        return label(self.number, self.raffle_set.padding)

    @property
    def outstanding(self):
        if self.price is None:
            return Decimal("0")
        return self.price - self.amount_paid


class Payment(models.Model):
    """Money received for one number."""

    raffle = models.ForeignKey(
        Raffle,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=_("number"),
    )
    buyer = models.ForeignKey(
        "buyers.Buyer",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("buyer"),
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    paid_at = models.DateTimeField(_("paid at"))
    reference = models.CharField(_("reference or note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # Set when the number is released or refunded: the payment no longer
    # counts toward the number but stays on record.
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["raffle", "paid_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(method__in=Method.values), name="payment_method_known"
            ),
        ]

    def __str__(self):
        return f"{self.amount} ({self.get_method_display()})"


class EventKind(models.TextChoices):
    RESERVE = "reserve", _("reserved")
    SELL = "sell", _("sold")
    PAYMENT = "payment", _("payment")
    RELEASE = "release", _("released")
    REFUND = "refund", _("refunded")


IMMUTABLE = "History events are immutable."


class RaffleEventQuerySet(models.QuerySet):
    """Events are written once: update() and delete() refuse, as save() does.

    Deleting a whole project (or organizer) still deletes its events: the
    cascade goes through the model's base manager, a plain one. The
    services never delete a number that has events (raffles.services).
    """

    def update(self, **kwargs):
        raise ValueError(IMMUTABLE)

    def delete(self):
        raise ValueError(IMMUTABLE)


class RaffleEvent(models.Model):
    """An immutable record of one change of a number's state, buyer or payments."""

    raffle = models.ForeignKey(
        Raffle,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("number"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("event"), max_length=10, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    from_state = models.CharField(_("from"), max_length=10, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=State.choices)
    buyer = models.ForeignKey(
        "buyers.Buyer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("buyer"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    payment = models.ForeignKey(
        Payment,
        # RESTRICT: a payment goes only together with its number's history.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("payment"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = RaffleEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="event_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(from_state__in=State.values) & Q(to_state__in=State.values),
                name="event_states_known",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.raffle_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(IMMUTABLE)


# Prizes and draws


class UnsoldRule(models.TextChoices):
    NONE = "none", _("no winner")
    NEXT = "next", _("the next eligible number upwards")


class DrawMethod(models.TextChoices):
    RANDOM = "random", _("random draw")
    LOTTERY = "lottery", _("external lottery")
    MANUAL = "manual", _("manual draw")


def local_day(moment):
    """The day of `moment` in settings.TIME_ZONE, which lottery dates use."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def days_ahead(stated_at, lottery_date):
    """Whole days from the day a lottery plan was stated to its lottery's."""
    if stated_at is None or lottery_date is None:
        return None
    return (lottery_date - local_day(stated_at)).days


class Prize(models.Model):
    """Something to win in a project, in draw order (position 1 is first)."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="prizes",
        verbose_name=_("project"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    raffle_sets = models.ManyToManyField(
        RaffleSet,
        blank=True,
        related_name="prizes",
        verbose_name=_("only numbers of these sets"),
    )
    # The lottery plan: the external lottery the prize follows, its date and
    # the rule for an unsold number, stated before the lottery's day and
    # final from that day on (raffles.draws). A lottery draw copies it,
    # with the time it was stated, into its record.
    lottery = models.CharField(_("lottery"), max_length=200, blank=True)
    lottery_date = models.DateField(_("lottery date"), null=True, blank=True)
    unsold_rule = models.CharField(
        _("if the winning number is not eligible"),
        max_length=4,
        choices=UnsoldRule.choices,
        blank=True,
    )
    lottery_stated_at = models.DateTimeField(
        _("lottery stated"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="prize_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="prize_position_positive"
            ),
            # A lottery plan is stated whole, and when it was is known.
            models.CheckConstraint(
                condition=Q(
                    lottery="",
                    lottery_date__isnull=True,
                    unsold_rule="",
                    lottery_stated_at__isnull=True,
                )
                | (
                    ~Q(lottery="")
                    & Q(lottery_date__isnull=False)
                    & ~Q(unsold_rule="")
                    & Q(lottery_stated_at__isnull=False)
                ),
                name="prize_lottery_plan_whole",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    @property
    def has_lottery_plan(self):
        return self.lottery_stated_at is not None

    @property
    def plan_days_ahead(self):
        return days_ahead(self.lottery_stated_at, self.lottery_date)


class WithdrawnPlan(models.Model):
    """A prize's final lottery plan, taken back with a reason.

    From its lottery's day on a plan cannot change (raffles.draws), but the
    lottery may be cancelled or postponed, or every number it could pick
    sold too late: the organizer then withdraws the plan, and this row keeps
    it, who withdrew it, when and why, for the prize's later draws to show.
    Rows are never edited.
    """

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("project"),
    )
    prize = models.ForeignKey(
        Prize,
        on_delete=models.RESTRICT,
        related_name="withdrawn_plans",
        verbose_name=_("prize"),
    )
    lottery = models.CharField(_("lottery"), max_length=200)
    lottery_date = models.DateField(_("lottery date"))
    unsold_rule = models.CharField(
        _("if the winning number is not eligible"),
        max_length=4,
        choices=UnsoldRule.choices,
    )
    stated_at = models.DateTimeField(_("lottery stated"))
    reason = models.CharField(_("reason"), max_length=500)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"))

    class Meta:
        verbose_name = _("withdrawn lottery plan")
        verbose_name_plural = _("withdrawn lottery plans")
        ordering = ["prize", "withdrawn_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="withdrawn_plan_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(unsold_rule__in=UnsoldRule.values),
                name="withdrawn_plan_rule_known",
            ),
        ]

    def __str__(self):
        return f"{self.lottery} ({self.lottery_date})"


class Draw(models.Model):
    """The record of how one prize's winning number was chosen.

    Draws are never edited: a redraw is a new row with the next sequence
    and a reason, and the earlier row stays. `current_prize` and
    `current_winner` are set only on a prize's standing draw; being unique,
    they let the database refuse two standing draws of one prize and one
    number standing as the winner of two prizes.
    """

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="draws",
        verbose_name=_("project"),
    )
    prize = models.ForeignKey(
        Prize,
        on_delete=models.RESTRICT,
        related_name="draws",
        verbose_name=_("prize"),
    )
    sequence = models.PositiveSmallIntegerField(_("draw number"))
    current_prize = models.OneToOneField(
        Prize,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="current_draw",
        editable=False,
    )
    method = models.CharField(_("method"), max_length=10, choices=DrawMethod.choices)
    # The prize as it was at the draw: the record keeps saying "1. Bicycle"
    # after the prize is renamed or moved.
    prize_position = models.PositiveSmallIntegerField(_("prize position"))
    prize_name = models.CharField(_("prize"), max_length=200)
    winner = models.ForeignKey(
        Raffle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draws",
        verbose_name=_("winning number"),
    )
    current_winner = models.OneToOneField(
        Raffle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    winner_label = models.CharField(_("winning number"), max_length=12, blank=True)
    winner_reserved = models.BooleanField(_("winner was reserved"), default=False)
    winner_buyer = models.ForeignKey(
        "buyers.Buyer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer"),
    )
    winner_name = models.CharField(_("buyer"), max_length=201, blank=True)
    includes_reserved = models.BooleanField(_("reserved numbers eligible"))
    eligible_count = models.PositiveIntegerField(_("eligible numbers"))
    list_sha256 = models.CharField(_("SHA-256 of the list"), max_length=64)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    algorithm = models.CharField(_("algorithm"), max_length=40, blank=True)
    algorithm_version = models.PositiveSmallIntegerField(
        _("algorithm version"), null=True, blank=True
    )
    lottery = models.CharField(_("lottery"), max_length=200, blank=True)
    lottery_date = models.DateField(_("lottery date"), null=True, blank=True)
    lottery_result = models.CharField(_("official result"), max_length=40, blank=True)
    lottery_source = models.CharField(_("source"), max_length=500, blank=True)
    lottery_digits = models.PositiveSmallIntegerField(
        _("digits compared"), null=True, blank=True
    )
    lottery_number = models.CharField(_("number drawn"), max_length=12, blank=True)
    unsold_rule = models.CharField(
        _("if the winning number is not eligible"),
        max_length=4,
        choices=UnsoldRule.choices,
        blank=True,
    )
    rule_stated_at = models.DateTimeField(_("rule stated"), null=True, blank=True)
    # Lottery draws: how many numbers the list leaves out because they
    # became eligible on the lottery's day or later, when its result could
    # be known (raffles.draw_selectors.late_numbers). Empty for other draws.
    late_count = models.PositiveIntegerField(
        _("left out as sold on the lottery's day or later"), null=True, blank=True
    )
    reason = models.CharField(_("reason for the redraw"), max_length=500, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["project", "prize__position", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["prize", "sequence"], name="draw_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1), name="draw_sequence_positive"
            ),
            models.CheckConstraint(
                condition=Q(method__in=DrawMethod.values), name="draw_method_known"
            ),
            models.CheckConstraint(
                condition=Q(current_prize__isnull=True) | Q(current_prize=F("prize")),
                name="draw_current_prize_is_prize",
            ),
            models.CheckConstraint(
                condition=Q(current_winner__isnull=True)
                | (Q(current_winner=F("winner")) & Q(current_prize__isnull=False)),
                name="draw_current_winner_is_winner",
            ),
            models.CheckConstraint(
                condition=Q(sequence=1) | ~Q(reason=""),
                name="draw_redraw_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.prize_name} #{self.sequence}"

    @property
    def is_current(self):
        return self.current_prize_id is not None

    @cached_property
    def withdrawn_plans_before(self):
        """The prize's lottery plans withdrawn before this draw, oldest first.

        Draws read for a page or an answer come with their prize's plans
        prefetched (draw_selectors.with_withdrawn_plans).
        """
        plans = self.prize.withdrawn_plans.all()
        return [plan for plan in plans if plan.withdrawn_at <= self.drawn_at]

    @property
    def is_redraw(self):
        return self.sequence > 1

    @property
    def plan_days_ahead(self):
        """How long before its lottery the plan this draw used was stated."""
        return days_ahead(self.rule_stated_at, self.lottery_date)

    @property
    def lottery_outcome(self):
        """How a lottery draw's winner follows from its number drawn.

        "drawn": that number was eligible and wins; "next": it was not, and
        the next eligible number upwards wins; "wrapped": likewise, going
        round to the lowest; "none": nobody wins. Empty for other methods.
        """
        if self.method != DrawMethod.LOTTERY:
            return ""
        if not self.winner_label:
            return "none"
        drawn, winner = int(self.lottery_number), int(self.winner_label)
        if winner == drawn:
            return "drawn"
        return "next" if winner > drawn else "wrapped"


class DrawListPart(models.Model):
    """A slice of a draw's frozen eligible list.

    The list is cut into parts of at most PART_SIZE labels so that neither
    storing nor reading a list of a million numbers needs a database packet
    over 1 MB. `labels` holds the slice's labels, each ended by a line feed;
    `reserved` those of them that were reserved, in the same form.
    """

    PART_SIZE = 32_768

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="list_parts")
    index = models.PositiveIntegerField()
    labels = models.TextField()
    reserved = models.TextField(blank=True)

    class Meta:
        verbose_name = _("part of a draw's list")
        verbose_name_plural = _("parts of draws' lists")
        ordering = ["draw", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "index"], name="draw_list_part_unique"
            ),
        ]

    def __str__(self):
        return f"{self.draw} part {self.index}"
