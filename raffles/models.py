from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rafflesite.lib.numbers import label


class Kind(models.TextChoices):
    VIRTUAL = "virtual", _("virtual")
    PAPER = "paper", _("paper")


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
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="number_price_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["project", "state", "raffle_set"], name="number_state"
            ),
            models.Index(fields=["raffle_set", "number"], name="number_in_set"),
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
        ]

    def __str__(self):
        return f"{self.amount} ({self.get_method_display()})"


class EventKind(models.TextChoices):
    RESERVE = "reserve", _("reserved")
    SELL = "sell", _("sold")
    PAYMENT = "payment", _("payment")
    RELEASE = "release", _("released")
    REFUND = "refund", _("refunded")


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

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.raffle_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("History events are immutable.")
        super().save(*args, **kwargs)
