"""The site's addresses plus the ceiling the API is measured against."""

from django.http import JsonResponse
from django.urls import include, path

from raffles.models import Raffle


def minimal_number(request, project_id, number):
    """The least a Django JSON view can do: one row by its key, as JSON."""
    row = (
        Raffle.objects.filter(project_id=project_id, number=number)
        .values("number", "state", "price", "amount_paid")
        .first()
    )
    row["price"] = str(row["price"])
    row["amount_paid"] = str(row["amount_paid"])
    return JsonResponse(row)


urlpatterns = [
    path("bench/minimal/<int:project_id>/<int:number>/", minimal_number),
    path("", include("rafflesite.urls")),
]
