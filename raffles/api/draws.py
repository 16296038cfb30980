"""API of prizes and draws.

/api/projects/{p}/prizes/ and /api/projects/{p}/prizes/{k}/ (k: position),
POST /api/projects/{p}/prizes/{k}/draw/ and .../withdraw-plan/, and
/api/projects/{p}/draws/.
Serializers validate the shape of the input; the rules are in raffles.draws.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.selectors import project_for
from rafflesite.api import ErrorSerializer

from .. import draw_selectors as selectors
from .. import draws
from ..models import Draw, DrawMethod, Prize, RaffleSet, UnsoldRule

# Refs and positions are stored as 32-bit integers.
MAX_REF = 2_147_483_647


class ProjectMixin:
    """The URL's project, looked up through its owner (404 for anyone else)."""

    @cached_property
    def project(self):
        return project_for(self.request.user, self.kwargs["project_ref"])


# Prizes


class WithdrawnPlanSerializer(serializers.Serializer):
    lottery = serializers.CharField()
    lottery_date = serializers.DateField()
    unsold_rule = serializers.CharField()
    stated_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField()
    withdrawn_by = serializers.CharField(source="withdrawn_by.get_username")
    reason = serializers.CharField(help_text="Why the plan was withdrawn.")


class PrizeSerializer(serializers.Serializer):
    position = serializers.IntegerField(required=False, min_value=1, max_value=MAX_REF)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=5000
    )
    sets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_REF),
        required=False,
        write_only=True,
        help_text="Refs of the sets whose numbers can win; empty: every set.",
    )
    lottery = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=(
            "The lottery plan is `lottery`, `lottery_date` and `unsold_rule`, "
            "given together or all empty. It can be stated or changed only "
            "before the lottery's day, and is final from that day on. A "
            "prize with a plan is drawn by that lottery only."
        ),
    )
    lottery_date = serializers.DateField(required=False, allow_null=True)
    unsold_rule = serializers.ChoiceField(
        choices=UnsoldRule.choices, required=False, allow_blank=True
    )
    lottery_stated_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the lottery plan was stated.",
    )
    withdrawn_plans = WithdrawnPlanSerializer(
        many=True,
        read_only=True,
        help_text="Final lottery plans taken back, oldest first.",
    )
    eligible_count = serializers.SerializerMethodField()
    late_count = serializers.SerializerMethodField()
    drawn = serializers.SerializerMethodField()
    winner = serializers.SerializerMethodField()
    winner_reserved = serializers.SerializerMethodField()

    def to_representation(self, prize):
        data = super().to_representation(prize)
        data["sets"] = [raffle_set.ref for raffle_set in prize.raffle_sets.all()]
        return data

    def get_eligible_count(self, prize) -> int:
        return self.context["counts"][prize.pk][0]

    def get_late_count(self, prize) -> int | None:
        """On the lottery's day, until the prize is drawn by it: how many
        numbers its lottery draw leaves out as sold that day or later."""
        return self.context["counts"][prize.pk][1]

    def get_drawn(self, prize) -> bool:
        return _standing(prize) is not None

    def get_winner(self, prize) -> str | None:
        draw = _standing(prize)
        return (draw.winner_label or None) if draw else None

    def get_winner_reserved(self, prize) -> bool:
        """Whether the winner was reserved (not fully paid) at the draw."""
        draw = _standing(prize)
        return bool(draw and draw.winner_reserved)

    def service_arguments(self, project):
        """The validated data as keyword arguments of the prize services.

        A full update (PUT) resets every optional field it leaves out.
        """
        data = dict(self.validated_data)
        if not self.partial:
            data = {**PUT_DEFAULTS, **data}
        if "sets" in data:
            data["raffle_sets"] = _sets_of(project, data.pop("sets"))
        if "unsold_rule" in data and data["unsold_rule"] is None:
            data["unsold_rule"] = ""
        return data


PUT_DEFAULTS = {
    "description": "",
    "sets": [],
    "lottery": "",
    "lottery_date": None,
    "unsold_rule": "",
}


def _standing(prize):
    return getattr(prize, "current_draw", None)


def _sets_of(project, refs):
    sets = list(RaffleSet.objects.filter(project=project, ref__in=refs))
    unknown = sorted(set(refs) - {raffle_set.ref for raffle_set in sets})
    if unknown:
        raise ValidationError(
            {
                "sets": _("No set %(refs)s in this project.")
                % {"refs": ", ".join(map(str, unknown))}
            }
        )
    return sets


def _with_api_names(error):
    """A service's error with its fields named as in the API (`sets`)."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            "sets" if field == "raffle_sets" else field: messages
            for field, messages in error.message_dict.items()
        }
    )


class PrizeViewSet(ProjectMixin, viewsets.GenericViewSet):
    """The prizes of a project in draw order, addressed by position."""

    serializer_class = PrizeSerializer
    lookup_field = "position"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Prize.objects.none()
        return selectors.with_withdrawn_plans(selectors.prizes_of(self.project))

    def get_object(self):
        prize = selectors.prize_for(self.project, self.kwargs["position"])
        return self.get_queryset().get(pk=prize.pk)

    def list(self, request, project_ref):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._represent(page, many=True))

    def create(self, request, project_ref):
        serializer = PrizeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prize = draws.create_prize(
            project=self.project, **serializer.service_arguments(self.project)
        )
        return Response(self._fresh(prize), status=status.HTTP_201_CREATED)

    def retrieve(self, request, project_ref, position):
        return Response(self._represent(self.get_object()))

    def update(self, request, project_ref, position, partial=False):
        prize = self.get_object()
        serializer = PrizeSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            prize = draws.update_prize(
                prize=prize, **serializer.service_arguments(self.project)
            )
        except ValidationError as error:
            raise _with_api_names(error) from None
        return Response(self._fresh(prize))

    def partial_update(self, request, project_ref, position):
        return self.update(request, project_ref, position, partial=True)

    def destroy(self, request, project_ref, position):
        draws.delete_prize(prize=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _fresh(self, prize):
        return self._represent(self.get_queryset().get(pk=prize.pk))

    def _represent(self, prizes, many=False):
        counts = selectors.eligible_counts(self.project, prizes if many else [prizes])
        return PrizeSerializer(prizes, many=many, context={"counts": counts}).data


# Draws


class DrawSerializer(serializers.Serializer):
    prize = serializers.IntegerField(source="prize.position")
    prize_name = serializers.CharField()
    draw = serializers.IntegerField(source="sequence")
    current = serializers.BooleanField(source="is_current")
    method = serializers.CharField()
    winner = serializers.CharField(source="winner_label", allow_null=True)
    winner_number = serializers.SerializerMethodField()
    winner_reserved = serializers.BooleanField()
    buyer = serializers.SerializerMethodField()
    includes_reserved = serializers.BooleanField()
    eligible_count = serializers.IntegerField()
    list_sha256 = serializers.CharField()
    seed = serializers.CharField(allow_null=True)
    algorithm = serializers.CharField(allow_null=True)
    algorithm_version = serializers.IntegerField(allow_null=True)
    lottery = serializers.CharField(allow_null=True)
    lottery_date = serializers.DateField(allow_null=True)
    result = serializers.CharField(source="lottery_result", allow_null=True)
    source = serializers.CharField(source="lottery_source", allow_null=True)
    unsold_rule = serializers.CharField(allow_null=True)
    rule_stated_at = serializers.DateTimeField(allow_null=True)
    late_count = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Lottery draws: how many numbers were left out of the list because "
            "they were sold on the lottery's day or later."
        ),
    )
    lottery_digits = serializers.IntegerField(allow_null=True)
    lottery_number = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    drawn_by = serializers.CharField(source="drawn_by.username")
    drawn_at = serializers.DateTimeField()
    verify_url = serializers.SerializerMethodField()
    withdrawn_plans = serializers.SerializerMethodField(
        help_text=(
            "The prize's final lottery plans withdrawn before this draw, oldest first."
        )
    )

    def to_representation(self, draw):
        data = super().to_representation(draw)
        # Empty text stands for "not part of this method": null in the API.
        blanks = ("winner", "seed", "algorithm", "lottery", "result", "source")
        for key in (*blanks, "unsold_rule", "lottery_number"):
            data[key] = data[key] or None
        return data

    def get_winner_number(self, draw) -> int | None:
        return int(draw.winner_label) if draw.winner_label else None

    def get_buyer(self, draw) -> dict | None:
        if not draw.winner_label:
            return None
        buyer = draw.winner_buyer
        return {"ref": buyer.ref if buyer else None, "name": draw.winner_name}

    def get_verify_url(self, draw) -> str:
        path = reverse("verify:draw", args=[draw.token])
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(WithdrawnPlanSerializer(many=True))
    def get_withdrawn_plans(self, draw):
        return WithdrawnPlanSerializer(draw.withdrawn_plans_before, many=True).data


REPEAT_PLAN = (
    "Lottery draws: optional, and if given it must equal the lottery plan "
    "stated on the prize."
)


class DrawRequestSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=DrawMethod.choices,
        help_text=(
            "A prize with a lottery plan takes `lottery` only; `random` and "
            "`manual` are refused with a 400 until its plan is removed (or, "
            "from the lottery's day on, withdrawn: see withdraw-plan)."
        ),
    )
    lottery = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=REPEAT_PLAN
    )
    lottery_date = serializers.DateField(
        required=False, allow_null=True, help_text=REPEAT_PLAN
    )
    result = serializers.CharField(required=False, allow_blank=True, max_length=40)
    source = serializers.CharField(required=False, allow_blank=True, max_length=500)
    unsold_rule = serializers.ChoiceField(
        choices=UnsoldRule.choices,
        required=False,
        allow_blank=True,
        help_text=REPEAT_PLAN,
    )
    number = serializers.CharField(required=False, allow_blank=True, max_length=12)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DrawPrizeView(ProjectMixin, APIView):
    """Draw a prize: `random`, `lottery` or `manual`; with `reason`, a redraw.

    A lottery draw takes the `result` and its `source`; the lottery, its
    date and the rule for an unsold number are the plan stated on the prize
    beforehand. A prize that has a standing draw answers 409 unless a
    reason is given.
    """

    @extend_schema(
        request=DrawRequestSerializer,
        responses={
            201: DrawSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "The prize is drawn already: a new draw needs a `reason` "
                    "(a redraw). Nothing changed."
                ),
            ),
        },
    )
    def post(self, request, project_ref, position):
        prize = selectors.prize_for(self.project, position)
        serializer = DrawRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draw = draws.draw_prize(
            prize=prize, actor=request.user, **serializer.validated_data
        )
        draw = _draws_of(self.project).get(pk=draw.pk)
        data = DrawSerializer(draw, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class DrawListView(ProjectMixin, generics.ListAPIView):
    """Every draw of a project, standing and replaced, in prize order."""

    serializer_class = DrawSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Draw.objects.none()
        return _draws_of(self.project)


def _draws_of(project):
    return selectors.with_withdrawn_plans(selectors.draws_of(project), "prize__")


class WithdrawPlanRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        help_text="Why the final plan cannot decide the prize; shown publicly.",
    )


class WithdrawPlanView(ProjectMixin, APIView):
    """Withdraw a prize's final lottery plan, keeping it on record.

    Only from the lottery's day on, until the prize is drawn under the
    plan (before that day, change or remove the plan on the prize): for a
    lottery cancelled or postponed, or every number it could pick sold
    too late. The prize's later draws list the withdrawn plan.
    """

    @extend_schema(
        request=WithdrawPlanRequestSerializer,
        responses={201: WithdrawnPlanSerializer, 400: ErrorSerializer},
    )
    def post(self, request, project_ref, position):
        prize = selectors.prize_for(self.project, position)
        serializer = WithdrawPlanRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        withdrawn = draws.withdraw_plan(
            prize=prize, actor=request.user, **serializer.validated_data
        )
        return Response(
            WithdrawnPlanSerializer(withdrawn).data, status=status.HTTP_201_CREATED
        )
