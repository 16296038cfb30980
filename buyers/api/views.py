from django.db.models import Count, F, Sum
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from buyers.selectors import buyer_for, search_buyers
from buyers.services import delete_buyer
from raffles.models import Raffle
from rafflesite.api import Pagination, money

from .serializers import (
    HOLDING_COLUMNS,
    BuyerSerializer,
    HistoryPageSerializer,
    HoldingSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List your buyers by name",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=(
                    "Search names, email and phone; accents and case are ignored."
                ),
            )
        ],
    ),
    create=extend_schema(summary="Register a buyer"),
    retrieve=extend_schema(summary="A buyer"),
    update=extend_schema(summary="Change a buyer (all fields)"),
    partial_update=extend_schema(summary="Change some fields of a buyer"),
    destroy=extend_schema(
        summary="Delete a buyer who never held a number", responses={204: None}
    ),
)
class BuyerViewSet(viewsets.GenericViewSet):
    serializer_class = BuyerSerializer
    lookup_field = "ref"
    lookup_url_kwarg = "buyer_ref"

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        return search_buyers(self.request.user, query[:200]).order_by(
            "last_name", "first_name", "ref"
        )

    def get_object(self):
        return buyer_for(self.request.user, self.kwargs["buyer_ref"])

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buyer = serializer.save()
        return Response(self.get_serializer(buyer).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, buyer_ref):
        return Response(self.get_serializer(self.get_object()).data)

    def update(self, request, buyer_ref, partial=False):
        buyer = self.get_object()
        serializer = self.get_serializer(buyer, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(serializer.save()).data)

    def partial_update(self, request, buyer_ref):
        return self.update(request, buyer_ref, partial=True)

    def destroy(self, request, buyer_ref):
        delete_buyer(buyer=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Every number the buyer holds, across your projects",
        responses={200: HistoryPageSerializer},
    )
    @action(detail=True, pagination_class=None)
    def history(self, request, buyer_ref):
        holdings = Raffle.objects.filter(buyer=self.get_object()).order_by(
            "-project__ref", "number"
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(
            holdings.values(*HOLDING_COLUMNS), request, view=self
        )
        response = paginator.get_paginated_response(
            HoldingSerializer(page, many=True).data
        )
        response.data["totals"] = _totals(holdings)
        return response


def _totals(holdings):
    rows = (
        holdings.values(currency=F("project__currency"))
        .annotate(count=Count("pk"), paid=Sum("amount_paid"), price=Sum("price"))
        .order_by("currency")
    )
    return [
        {
            "currency": row["currency"],
            "count": row["count"],
            "paid": money(row["paid"]),
            "owed": money(row["price"] - row["paid"]),
        }
        for row in rows
    ]
