from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers, status, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from buyers.phones import masked_phone
from projects.selectors import project_for
from raffles import services
from raffles.models import Payment, Raffle, RaffleEvent, RaffleSet
from raffles.selectors import (
    check_spelling,
    draw_list,
    draw_list_file_word,
    number_for,
    number_not_found,
    raffle_set_for,
    set_totals,
    typed_number,
)
from rafflesite.api import ConflictSerializer, FieldErrorsSerializer, iso
from rafflesite.db import PreparedRows
from rafflesite.lib.numbers import label
from rafflesite.lib.text import csv_safe

from ..exports import attachment_header, csv_lines
from .filters import NumberFilter
from .serializers import (
    EVENT_COLUMNS,
    NUMBER_COLUMNS,
    DrawListRowSerializer,
    NumberDetailSerializer,
    NumberNotesSerializer,
    NumberSerializer,
    PaymentCreateSerializer,
    PaymentResultSerializer,
    PaymentSerializer,
    RaffleSetSerializer,
    RefundSerializer,
    ReleaseSerializer,
    SaleResultSerializer,
    SaleSerializer,
    SetInfo,
    set_info,
)


class ProjectMixin:
    # Views under /api/projects/{p}/: the user's project or 404.

    def get_project(self):
        if not hasattr(self, "_project"):
            self._project = project_for(self.request.user, self.kwargs["project_ref"])
        return self._project

    def get_raffle(self):
        # The number and its project in one query; the project is kept for
        # whatever else the view reads.
        raffle = number_for(
            self.request.user, self.kwargs["project_ref"], self.kwargs["number"]
        )
        self._project = raffle.project
        return raffle


def number_rows(project):
    return (
        Raffle.objects.filter(project=project)
        .order_by("number")
        .values(*NUMBER_COLUMNS)
    )


def number_detail(raffle):
    """One number and its history, read again (after a write)."""
    row = number_rows(raffle.project).get(pk=raffle.pk)
    row["history"] = history_rows(raffle.pk)
    context = {"sets": set_info(raffle.project)}
    return NumberDetailSerializer(row, context=context).data


def history_rows(raffle_pk):
    """The number's events, newest first, as EventSerializer reads them."""
    events = RaffleEvent.objects.filter(raffle_id=raffle_pk).order_by("-at", "-pk")
    return list(events.values(*EVENT_COLUMNS))


def _number_with_history(owner, project_ref, number):
    # One row an event, or one row with empty event columns.
    return (
        Raffle.objects.filter(
            project__owner_id=owner, project__ref=project_ref, number=number
        )
        .values(
            "raffle_set__ref",
            "raffle_set__padding",
            "raffle_set__name",
            *NUMBER_COLUMNS,
            *(f"events__{column}" for column in EVENT_COLUMNS),
        )
        .order_by("-events__at", "-events__pk")
    )


NUMBER_WITH_HISTORY = PreparedRows(_number_with_history)


def read_number_detail(user, project_ref, number):
    """The user's number with its history, in one query, or 404.

    The detail is the API's most frequent read: its events are joined to
    the number, read as dictionaries, by SQL compiled once (PreparedRows).
    """
    rows = NUMBER_WITH_HISTORY.rows(
        owner=user.pk, project_ref=int(project_ref), number=typed_number(number)
    )
    if not rows:
        raise Http404(number_not_found(number))
    row = rows[0]
    check_spelling(number, row["number"], row["raffle_set__padding"])
    row["history"] = [
        {column: event[f"events__{column}"] for column in EVENT_COLUMNS}
        for event in rows
        if event["events__kind"] is not None
    ]
    sets = {
        row["raffle_set_id"]: SetInfo(
            row["raffle_set__ref"], row["raffle_set__padding"], row["raffle_set__name"]
        )
    }
    return NumberDetailSerializer(row, context={"sets": sets}).data


# Raffle sets


@extend_schema_view(
    list=extend_schema(summary="List a project's sets with their counts"),
    create=extend_schema(summary="Create a set and all its numbers"),
    retrieve=extend_schema(summary="A set with its counts"),
    update=extend_schema(summary="Change a set (all fields)"),
    partial_update=extend_schema(summary="Change some fields of a set"),
    destroy=extend_schema(
        summary="Delete a set with no reserved or paid numbers",
        responses={204: None},
    ),
)
class RaffleSetViewSet(ProjectMixin, viewsets.GenericViewSet):
    """A set grows, shrinks or moves only while the numbers concerned are free."""

    serializer_class = RaffleSetSerializer
    queryset = RaffleSet.objects.none()
    lookup_field = "ref"
    lookup_url_kwarg = "set_ref"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "project_ref" in self.kwargs:
            context["project"] = self.get_project()
        return context

    def get_object(self):
        return raffle_set_for(self.get_project(), self.kwargs["set_ref"])

    def list(self, request, project_ref):
        page = self.paginate_queryset(set_totals(self.get_project()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, project_ref):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        raffle_set = serializer.save()
        return Response(self._counted(raffle_set), status=status.HTTP_201_CREATED)

    def retrieve(self, request, project_ref, set_ref):
        return Response(self._counted(self.get_object()))

    def update(self, request, project_ref, set_ref, partial=False):
        raffle_set = self.get_object()
        serializer = self.get_serializer(raffle_set, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(self._counted(serializer.save()))

    def partial_update(self, request, project_ref, set_ref):
        return self.update(request, project_ref, set_ref, partial=True)

    def destroy(self, request, project_ref, set_ref):
        services.delete_raffle_set(raffle_set=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _counted(self, raffle_set):
        counted = next(
            s for s in set_totals(self.get_project()) if s.pk == raffle_set.pk
        )
        return self.get_serializer(counted).data


# Numbers


@extend_schema_view(
    list=extend_schema(summary="List a project's numbers, by number"),
    retrieve=extend_schema(summary="One number with its history"),
    partial_update=extend_schema(
        summary="Change a number's notes",
        request=NumberNotesSerializer,
        responses={200: NumberDetailSerializer},
    ),
)
class NumberViewSet(ProjectMixin, viewsets.GenericViewSet):
    serializer_class = NumberSerializer
    filterset_class = NumberFilter
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Raffle.objects.none()
        return Raffle.objects.filter(project=self.get_project()).order_by("number")

    def get_serializer_class(self):
        if self.action == "list":
            return NumberSerializer
        return NumberDetailSerializer

    def list(self, request, project_ref):
        # Count and slice on the numbers alone (an index read), then read
        # the page's 50 rows with their buyers.
        numbers = self.filter_queryset(self.get_queryset())
        keys = self.paginate_queryset(numbers.values_list("pk", flat=True))
        rows = numbers.filter(pk__in=keys).values(*NUMBER_COLUMNS)
        context = {"sets": set_info(self.get_project())}
        data = NumberSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data)

    def retrieve(self, request, project_ref, number):
        return Response(read_number_detail(request.user, project_ref, number))

    def partial_update(self, request, project_ref, number):
        raffle = self.get_raffle()
        serializer = NumberNotesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.update_number_notes(
            raffle=raffle, notes=serializer.validated_data["notes"]
        )
        return Response(number_detail(raffle))


# Sales, payments, release, refund


class SaleView(ProjectMixin, APIView):
    @extend_schema(
        summary="Reserve or sell numbers to one buyer, all or nothing",
        request=SaleSerializer,
        responses={201: SaleResultSerializer, 409: ConflictSerializer},
    )
    def post(self, request, project_ref):
        project = self.get_project()
        serializer = SaleSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        raffles = services.sell_numbers(
            project=project,
            buyer=data["buyer"],
            numbers=data["numbers"],
            actor=request.user,
            state=data["state"],
            method=data.get("method") or "",
            reference=data.get("reference") or "",
            paid_at=data.get("paid_at"),
        )

        sold = {raffle.number for raffle in raffles}
        rows = number_rows(project).filter(
            number__gte=min(sold), number__lte=max(sold), buyer=data["buyer"]
        )
        result = {
            "buyer": data["buyer"].ref,
            "state": data["state"],
            "numbers": [row for row in rows if row["number"] in sold],
        }
        return Response(
            SaleResultSerializer(result, context={"sets": set_info(project)}).data,
            status=status.HTTP_201_CREATED,
        )


class PaymentsView(ProjectMixin, generics.GenericAPIView):
    serializer_class = PaymentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        return (
            Payment.objects.filter(raffle=self.get_raffle())
            .select_related("buyer", "recorded_by")
            .order_by("paid_at", "pk")
        )

    @extend_schema(
        summary="List a number's payments, oldest first",
        responses={200: PaymentSerializer(many=True)},
    )
    def get(self, request, project_ref, number):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PaymentSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a payment; the number is paid once it reaches the price",
        request=PaymentCreateSerializer,
        responses={201: PaymentResultSerializer},
    )
    def post(self, request, project_ref, number):
        raffle = self.get_raffle()
        serializer = PaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        common = {
            "raffle": raffle,
            "method": data["method"],
            "actor": request.user,
            "paid_at": data.get("paid_at"),
            "reference": data.get("reference") or "",
        }
        if data.get("amount") is None:
            payment = services.mark_paid(**common)
        else:
            payment = services.record_payment(amount=data["amount"], **common)

        result = {
            "payment": payment,
            "number": number_rows(raffle.project).get(pk=raffle.pk),
        }
        return Response(
            PaymentResultSerializer(
                result, context={"sets": set_info(raffle.project)}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class ReleaseView(ProjectMixin, APIView):
    @extend_schema(
        summary="Give a reserved number back (available again)",
        request=ReleaseSerializer,
        responses={200: NumberDetailSerializer},
    )
    def post(self, request, project_ref, number):
        raffle = self.get_raffle()
        serializer = ReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.release_number(
            raffle=raffle,
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(number_detail(raffle))


class RefundView(ProjectMixin, APIView):
    @extend_schema(
        summary="Undo the sale of a paid number, with a reason",
        request=RefundSerializer,
        responses={200: NumberDetailSerializer},
    )
    def post(self, request, project_ref, number):
        raffle = self.get_raffle()
        serializer = RefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.refund_number(
            raffle=raffle,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(number_detail(raffle))


# Draw list

DRAW_LIST_COLUMNS = (
    "number",
    "state",
    "paid_at",
    "raffle_set_id",
    "buyer__ref",
    "buyer__first_name",
    "buyer__last_name",
    "buyer__phone",
)


class DrawListQuerySerializer(serializers.Serializer):
    set = serializers.IntegerField(
        required=False, min_value=1, help_text="Only this set (its ref)."
    )
    include_reserved = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text=(
            "Left out: the project's rule of who can win. false: paid numbers "
            "only. true: also reserved numbers, marked as such, where the "
            "project lets them win (refused otherwise)."
        ),
    )


class DrawListMixin(ProjectMixin):
    def draw_rows(self):
        query = DrawListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        project = self.get_project()
        raffle_set = None
        if "set" in query.validated_data:
            ref = query.validated_data["set"]
            raffle_set = RaffleSet.objects.filter(project=project, ref=ref).first()
            if raffle_set is None:
                raise serializers.ValidationError({"set": [f"No set {ref} here."]})
        include = _include_reserved(project, query.validated_data)
        return draw_list(project, raffle_set, include).values(*DRAW_LIST_COLUMNS)


def _include_reserved(project, query):
    """The project's rule of who can win; a query may narrow it, never widen it."""
    wanted = query.get("include_reserved")
    if wanted and not project.draws_include_reserved:
        raise serializers.ValidationError(
            {
                "include_reserved": [
                    _(
                        "Only paid numbers can win in this project, so its "
                        "draw list cannot include reserved ones."
                    )
                ]
            }
        )
    return project.draws_include_reserved if wanted is None else wanted


def draw_row(row, sets):
    name = f"{row['buyer__first_name']} {row['buyer__last_name']}".strip()
    raffle_set = sets[row["raffle_set_id"]]
    return {
        "number": row["number"],
        "label": label(row["number"], raffle_set.padding),
        "set": raffle_set.ref,
        "set_name": raffle_set.name,
        "state": row["state"],
        "buyer": row["buyer__ref"],
        "buyer_name": name,
        "phone": masked_phone(row["buyer__phone"]),
        "paid_at": iso(row["paid_at"]),
    }


class DrawListView(DrawListMixin, generics.GenericAPIView):
    serializer_class = DrawListRowSerializer
    queryset = Raffle.objects.none()

    @extend_schema(
        summary="Every eligible (paid) number with its buyer, by number",
        parameters=[DrawListQuerySerializer],
        responses={200: DrawListRowSerializer(many=True), 400: FieldErrorsSerializer},
    )
    def get(self, request, project_ref):
        page = self.paginate_queryset(self.draw_rows())
        sets = set_info(self.get_project())
        return self.get_paginated_response([draw_row(row, sets) for row in page])


class CSVRenderer(BaseRenderer):
    """Renders error answers of the CSV endpoint when CSV is asked for."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        lines = [["detail"], [str((data or {}).get("detail", ""))]]
        return "".join(",".join(csv_safe(c) for c in line) + "\r\n" for line in lines)


CSV_HEADER = ["Number", "Set", "Buyer", "Phone", "State", "Paid at"]


class DrawListCSVView(DrawListMixin, APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        summary="The draw list as CSV (UTF-8 with BOM, for spreadsheets)",
        parameters=[DrawListQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="One row per number: " + ", ".join(CSV_HEADER) + ".",
            ),
            400: FieldErrorsSerializer,
        },
    )
    def get(self, request, project_ref):
        rows = self.draw_rows()
        sets = set_info(self.get_project())
        response = StreamingHttpResponse(
            csv_lines(csv_cells(rows, sets)), content_type="text/csv; charset=utf-8"
        )
        # Named as the web page's download is; the columns stay in English,
        # for scripts, whatever the language.
        response["Content-Disposition"] = attachment_header(
            f"{draw_list_file_word()} {self.get_project().name}", "csv"
        )
        return response


def csv_cells(rows, sets):
    yield CSV_HEADER
    for row in rows.iterator(chunk_size=2000):
        data = draw_row(row, sets)
        paid_at = row["paid_at"]
        yield [
            data["label"],
            data["set_name"],
            data["buyer_name"],
            data["phone"],
            data["state"],
            timezone.localtime(paid_at).strftime("%Y-%m-%d %H:%M") if paid_at else "",
        ]
