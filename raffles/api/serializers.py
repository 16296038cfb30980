from collections import namedtuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from buyers.models import Buyer
from raffles import services
from raffles.models import EventKind, Kind, Method, RaffleSet, State
from rafflesite.api import MoneyField, MoneyTotalField, iso, money
from rafflesite.lib.numbers import MAX_NUMBERS_PER_REQUEST, label

# Raffle sets


class RaffleSetSerializer(serializers.Serializer):
    """A set; writes go through raffles.services, counts are read-only.

    A field left out of a POST or a PUT takes its default (a PUT replaces
    the whole set); a PATCH changes only the fields it names. The padding
    is the exception: its default is fixed when the set is created, so a
    PUT or a PATCH without it (or with null) keeps it.
    """

    ref = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.VIRTUAL)
    unit_price = MoneyField(min_value=0)
    first_number = serializers.IntegerField(
        min_value=0, max_value=services.MAX_NUMBER, default=0
    )
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=services.MAX_NUMBER,
        help_text="How many numbers; at most RAFFLES_MAX_SET_SIZE "
        f"(default {settings.RAFFLES_MAX_SET_SIZE:,}).",
    )
    padding = serializers.IntegerField(
        min_value=1,
        max_value=10,
        required=False,
        allow_null=True,
        help_text="Digits shown; by default those of the set's last number "
        "when it is created. Growing or shrinking keeps it; left out or null "
        "on an edit keeps it too.",
    )
    last_number = serializers.IntegerField(read_only=True)
    range = serializers.CharField(read_only=True, source="range_label")
    available_count = serializers.IntegerField(read_only=True)
    reserved_count = serializers.IntegerField(read_only=True)
    paid_count = serializers.IntegerField(read_only=True)
    collected = MoneyTotalField()
    outstanding = MoneyTotalField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def create(self, validated_data):
        project = self.context["project"]
        return services.create_raffle_set(project=project, **validated_data)

    def update(self, instance, validated_data):
        return services.update_raffle_set(raffle_set=instance, **validated_data)


# Numbers

SetInfo = namedtuple("SetInfo", "ref padding name")


def set_info(project):
    """Ref, padding and name of each set of a project, by primary key."""
    rows = RaffleSet.objects.filter(project=project).values_list(
        "pk", "ref", "padding", "name"
    )
    return {pk: SetInfo(ref, padding, name) for pk, ref, padding, name in rows}


NUMBER_COLUMNS = (
    "number",
    "state",
    "price",
    "amount_paid",
    "method",
    "reserved_at",
    "paid_at",
    "notes",
    "raffle_set_id",
    "buyer__ref",
    "buyer__first_name",
    "buyer__last_name",
)


class NumberSerializer(serializers.Serializer):
    """One number, read from a `.values(*NUMBER_COLUMNS)` row.

    The fields describe the answer for the schema; `to_representation`
    builds it straight from the row, so a page of numbers costs little.
    The context's `sets` (see `set_info`) gives each set's ref and padding:
    joining the sets in the query would keep MariaDB from reading the
    numbers in order from their index.
    """

    number = serializers.IntegerField()
    label = serializers.CharField(help_text='Zero-padded, e.g. "007".')
    set = serializers.IntegerField(help_text="Ref of the number's set.")
    state = serializers.ChoiceField(choices=State.choices)
    buyer = serializers.IntegerField(allow_null=True, help_text="Ref of the buyer.")
    buyer_name = serializers.CharField()
    price = MoneyField(allow_null=True)
    amount_paid = MoneyField()
    outstanding = MoneyField()
    method = serializers.ChoiceField(choices=Method.choices, allow_blank=True)
    reserved_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)

    def to_representation(self, row):
        zone = self._zone()
        raffle_set = self.context["sets"][row["raffle_set_id"]]
        price = row["price"]
        paid = row["amount_paid"]
        name = f"{row['buyer__first_name'] or ''} {row['buyer__last_name'] or ''}"
        return {
            "number": row["number"],
            "label": label(row["number"], raffle_set.padding),
            "set": raffle_set.ref,
            "state": row["state"],
            "buyer": row["buyer__ref"],
            "buyer_name": name.strip(),
            "price": money(price),
            "amount_paid": money(paid),
            "outstanding": money(0 if price is None else price - paid),
            "method": row["method"],
            "reserved_at": iso(row["reserved_at"], zone),
            "paid_at": iso(row["paid_at"], zone),
            "notes": row["notes"],
        }

    def _zone(self):
        # Looked up once per list: the same child serializer writes each row.
        if not hasattr(self, "_current_zone"):
            self._current_zone = timezone.get_current_timezone()
        return self._current_zone


class NumberNotesSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=500, allow_blank=True)


EVENT_COLUMNS = (
    "kind",
    "at",
    "actor__username",
    "from_state",
    "to_state",
    "buyer__ref",
    "amount",
    "reason",
)


class EventSerializer(serializers.Serializer):
    """One history event, read from a `.values(*EVENT_COLUMNS)` row."""

    kind = serializers.ChoiceField(choices=EventKind.choices)
    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="User name of who made the change.")
    from_state = serializers.ChoiceField(choices=State.choices)
    to_state = serializers.ChoiceField(choices=State.choices)
    buyer = serializers.IntegerField(allow_null=True, help_text="Ref of the buyer.")
    amount = MoneyField(allow_null=True)
    reason = serializers.CharField()

    def to_representation(self, row):
        return {
            "kind": row["kind"],
            "at": iso(row["at"]),
            "by": row["actor__username"],
            "from_state": row["from_state"],
            "to_state": row["to_state"],
            "buyer": row["buyer__ref"],
            "amount": money(row["amount"]),
            "reason": row["reason"],
        }


class NumberDetailSerializer(NumberSerializer):
    history = EventSerializer(many=True, help_text="Newest first.")

    def to_representation(self, row):
        data = super().to_representation(row)
        data["history"] = EventSerializer(row["history"], many=True).data
        return data


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "example": "7, 12, 100-105"},
            {
                "type": "array",
                "items": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                "example": [7, "012", "100-105"],
            },
        ]
    }
)
class NumbersField(serializers.Field):
    """Numbers as a list or as typed text: "7, 12, 100-105"."""

    default_error_messages = {
        "invalid": gettext_lazy(
            'Give numbers as a list or a string like "7, 12, 100-105".'
        ),
        "too_many": gettext_lazy("Give at most {max} items."),
        "too_long": gettext_lazy(
            "Give numbers as a string of at most {max} characters."
        ),
    }

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > 100_000:
                self.fail("too_long", max=services.grouped(100_000))
            return data
        if not isinstance(data, list):
            self.fail("invalid")
        if len(data) > MAX_NUMBERS_PER_REQUEST:
            self.fail("too_many", max=services.grouped(MAX_NUMBERS_PER_REQUEST))
        for item in data:
            if isinstance(item, bool) or not isinstance(item, (int, str)):
                self.fail("invalid")
        return data


class SaleSerializer(serializers.Serializer):
    buyer = serializers.IntegerField(help_text="Ref of one of your buyers.")
    numbers = NumbersField()
    state = serializers.ChoiceField(
        choices=[State.RESERVED, State.PAID], default=State.RESERVED
    )
    method = serializers.ChoiceField(
        choices=Method.choices,
        required=False,
        allow_blank=True,
        help_text="How it was paid, when `state` is paid (default cash).",
    )
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    paid_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When it was paid, when `state` is paid: not after today "
        "(default now). A reservation ignores it.",
    )

    def validate_buyer(self, ref):
        owner = self.context["request"].user
        buyer = Buyer.objects.filter(owner_id=owner.pk, ref=ref).first()
        if buyer is None:
            raise serializers.ValidationError(
                _("Buyer %(ref)s is not among your buyers.") % {"ref": ref}
            )
        return buyer


class SaleResultSerializer(serializers.Serializer):
    buyer = serializers.IntegerField()
    state = serializers.ChoiceField(choices=[State.RESERVED, State.PAID])
    numbers = NumberSerializer(many=True)


# Payments, release, refund


class PaymentSerializer(serializers.Serializer):
    amount = MoneyField()
    method = serializers.ChoiceField(choices=Method.choices)
    paid_at = serializers.DateTimeField()
    reference = serializers.CharField()
    buyer = serializers.IntegerField(source="buyer.ref")
    recorded_by = serializers.CharField(source="recorded_by.username")
    recorded_at = serializers.DateTimeField()
    cleared_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When a release or refund took it off the number; null while "
        "it counts.",
    )


class PaymentCreateSerializer(serializers.Serializer):
    amount = MoneyField(
        required=False,
        help_text="Greater than 0. Left out: everything still owed (marks the "
        "number paid).",
    )
    method = serializers.ChoiceField(choices=Method.choices)
    paid_at = serializers.DateTimeField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate_amount(self, amount):
        # The service's own rule and words: 0 is refused too.
        if amount is not None and amount <= 0:
            raise serializers.ValidationError(_("Enter an amount greater than 0."))
        return amount


class PaymentResultSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    number = NumberSerializer()


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RefundSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


# Draw list


class DrawListRowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()
    set = serializers.IntegerField()
    set_name = serializers.CharField()
    state = serializers.ChoiceField(choices=[State.RESERVED, State.PAID])
    buyer = serializers.IntegerField()
    buyer_name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked: country code and last digits.")
    paid_at = serializers.DateTimeField(allow_null=True)
