from django.urls import path

from .views import draws

app_name = "raffles"

urlpatterns = []

# Prizes and draws (raffles/views/draws.py).
urlpatterns += [
    path("prizes/", draws.prizes, name="prizes"),
    path("prizes/<int:position>/edit/", draws.prize_edit, name="prize_edit"),
    path("prizes/<int:position>/delete/", draws.prize_delete, name="prize_delete"),
    path("prizes/<int:position>/move/", draws.prize_move, name="prize_move"),
    path("prizes/<int:position>/draw/", draws.draw_prize, name="draw_prize"),
    path("draws/", draws.draws_page, name="draws"),
    path("draws/options/", draws.draw_options, name="draw_options"),
    path(
        "draws/<int:position>/<int:sequence>/",
        draws.draw_record,
        name="draw_record",
    ),
]
