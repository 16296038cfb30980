from django.utils import translation
from django.utils.functional import lazy
from rest_framework import serializers

from buyers.phones import phone_help_text
from buyers.services import create_buyer, update_buyer
from raffles.models import State
from rafflesite.api import MoneyField, MoneyTotalField, iso, money
from rafflesite.lib.numbers import label


def _phone_description():
    # The API is described in English; the region is read when the schema is.
    with translation.override("en"):
        region = phone_help_text()
    return f"Any usual writing; stored and shown in E.164 (+573000000001). {region}"


class BuyerSerializer(serializers.Serializer):
    """A buyer; writes go through buyers.services.

    A field left out of a POST or a PUT is empty (a PUT replaces the whole
    buyer); a PATCH changes only the fields it names.
    """

    ref = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, default="", allow_blank=True)
    email = serializers.CharField(max_length=254, default="", allow_blank=True)
    phone = serializers.CharField(
        max_length=40,
        default="",
        allow_blank=True,
        help_text=lazy(_phone_description, str)(),
    )
    phone_display = serializers.CharField(read_only=True)
    notes = serializers.CharField(max_length=5000, default="", allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def create(self, validated_data):
        owner = self.context["request"].user
        return create_buyer(owner=owner, **validated_data)

    def update(self, instance, validated_data):
        return update_buyer(buyer=instance, **validated_data)


HOLDING_COLUMNS = (
    "project__ref",
    "project__name",
    "project__currency",
    "raffle_set__ref",
    "raffle_set__padding",
    "number",
    "state",
    "price",
    "amount_paid",
    "reserved_at",
    "paid_at",
)


class HoldingSerializer(serializers.Serializer):
    """One number a buyer holds, read from a `.values(*HOLDING_COLUMNS)` row."""

    project = serializers.IntegerField(help_text="Ref of the project.")
    project_name = serializers.CharField()
    currency = serializers.CharField()
    set = serializers.IntegerField()
    number = serializers.IntegerField()
    label = serializers.CharField()
    state = serializers.ChoiceField(choices=[State.RESERVED, State.PAID])
    price = MoneyField()
    amount_paid = MoneyField()
    outstanding = MoneyField()
    reserved_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, row):
        return {
            "project": row["project__ref"],
            "project_name": row["project__name"],
            "currency": row["project__currency"],
            "set": row["raffle_set__ref"],
            "number": row["number"],
            "label": label(row["number"], row["raffle_set__padding"]),
            "state": row["state"],
            "price": money(row["price"]),
            "amount_paid": money(row["amount_paid"]),
            "outstanding": money(row["price"] - row["amount_paid"]),
            "reserved_at": iso(row["reserved_at"]),
            "paid_at": iso(row["paid_at"]),
        }


class CurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    count = serializers.IntegerField(help_text="Numbers held.")
    paid = MoneyTotalField()
    owed = MoneyTotalField()


class HistoryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    totals = CurrencyTotalSerializer(
        many=True, help_text="Over all the buyer's numbers, per currency."
    )
    results = HoldingSerializer(many=True)
