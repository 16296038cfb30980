from django.core.exceptions import ValidationError
from rest_framework import serializers

from projects.models import default_currency, normalize_currency, validate_currency
from projects.services import create_project, update_project
from rafflesite.api import MoneyTotalField


class ProjectSerializer(serializers.Serializer):
    """A project; writes go through projects.services.

    A field left out of a POST or a PUT takes its default (a PUT replaces
    the whole project); a PATCH changes only the fields it names.
    """

    ref = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=10_000, default="", allow_blank=True)
    currency = serializers.CharField(
        min_length=3,
        max_length=3,
        default=default_currency,
        help_text="ISO 4217 code; the site's default currency when left out.",
    )
    draw_date = serializers.DateField(default=None, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_currency(self, value):
        currency = normalize_currency(value)
        try:
            validate_currency(currency)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return currency

    def create(self, validated_data):
        owner = self.context["request"].user
        return create_project(owner=owner, **validated_data)

    def update(self, instance, validated_data):
        return update_project(project=instance, **validated_data)


class TotalsSerializer(serializers.Serializer):
    quantity = serializers.IntegerField()
    available_count = serializers.IntegerField()
    reserved_count = serializers.IntegerField()
    paid_count = serializers.IntegerField()
    sold_count = serializers.IntegerField()
    collected = MoneyTotalField()
    outstanding = MoneyTotalField()


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its numbers counted by state and its money."""

    totals = TotalsSerializer(read_only=True)
