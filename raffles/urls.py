from django.urls import path

from .views import activity, draw_list, draws, numbers, sales, sets

app_name = "raffles"

urlpatterns = [
    path("sets/new/", sets.set_new, name="set_new"),
    path("sets/<int:ref>/", sets.set_detail, name="set_detail"),
    path("sets/<int:ref>/edit/", sets.set_edit, name="set_edit"),
    path("sets/<int:ref>/delete/", sets.set_delete, name="set_delete"),
    # Selling, one number and its actions, the draw list.
    path("sell/", sales.sell, name="sell"),
    path("mark-paid/", sales.mark_paid_many, name="mark_paid_many"),
    path("numbers/<str:number>/", numbers.number_detail, name="number_detail"),
    path(
        "numbers/<str:number>/payments/",
        numbers.number_payment,
        name="number_payment",
    ),
    path(
        "numbers/<str:number>/payments/<int:position>/void/",
        numbers.payment_void,
        name="payment_void",
    ),
    path(
        "numbers/<str:number>/payments/<int:position>/correct/",
        numbers.payment_correct,
        name="payment_correct",
    ),
    path(
        "numbers/<str:number>/mark-paid/",
        numbers.number_mark_paid,
        name="number_mark_paid",
    ),
    path(
        "numbers/<str:number>/release/",
        numbers.number_release,
        name="number_release",
    ),
    path(
        "numbers/<str:number>/refund/",
        numbers.number_refund,
        name="number_refund",
    ),
    path("numbers/<str:number>/notes/", numbers.number_notes, name="number_notes"),
    path("activity/", activity.activity, name="activity"),
    path("draw-list/", draw_list.draw_list, name="draw_list"),
    path("draw-list.csv", draw_list.draw_list_csv, name="draw_list_csv"),
    path("draw-list.xlsx", draw_list.draw_list_xlsx, name="draw_list_xlsx"),
]

# Prizes and draws (raffles/views/draws.py).
urlpatterns += [
    path("prizes/", draws.prizes, name="prizes"),
    path("prizes/<int:position>/edit/", draws.prize_edit, name="prize_edit"),
    path("prizes/<int:position>/delete/", draws.prize_delete, name="prize_delete"),
    path("prizes/<int:position>/move/", draws.prize_move, name="prize_move"),
    path(
        "prizes/<int:position>/withdraw-plan/",
        draws.withdraw_plan,
        name="withdraw_plan",
    ),
    path("prizes/<int:position>/draw/", draws.draw_prize, name="draw_prize"),
    path("draws/", draws.draws_page, name="draws"),
    path("draws/options/", draws.draw_options, name="draw_options"),
    path(
        "draws/<int:position>/<int:sequence>/",
        draws.draw_record,
        name="draw_record",
    ),
]
