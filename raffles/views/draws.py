"""Pages of prizes and draws, and the public verification of a draw."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.selectors import project_for
from rafflesite.lib import draws as algorithm
from rafflesite.lib.text import mask_phone

from .. import draw_selectors as selectors
from .. import draws
from ..forms_draws import (
    DrawOptionsForm,
    LotteryDrawForm,
    ManualDrawForm,
    PrizeForm,
    RandomDrawForm,
    WithdrawPlanForm,
)

DRAW_FORMS = (RandomDrawForm, LotteryDrawForm, ManualDrawForm)


# Prizes


@login_required
def prizes(request, project_ref):
    """The project's prizes in draw order, with a form to add one."""
    project = project_for(request.user, project_ref)
    form = PrizeForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            prize = draws.create_prize(project=project, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Prize %(position)s, “%(name)s”, added.")
                % {"position": prize.position, "name": prize.name},
            )
            return redirect("raffles:prizes", project_ref=project.ref)
    return render(
        request,
        "raffles/prize_list.html",
        {
            "project": project,
            "prizes": _with_counts(project, selectors.prizes_of(project)),
            "form": form,
        },
    )


def _with_counts(project, prizes):
    """The prizes, each with how many numbers its next draw would use."""
    prizes = list(prizes)
    counts = selectors.eligible_counts(project, prizes)
    # What draws.deletion_problem() checks, from what is loaded: a drawn
    # prize has a current draw (hasattr: none raises), and keeps its
    # position, so the prizes before it stay too.
    drawn = {prize.position for prize in prizes if hasattr(prize, "current_draw")}
    last_drawn = max(drawn, default=0)
    for prize in prizes:
        prize.eligible_count, prize.late_count = counts[prize.pk]
        # Drawn by its lottery's result, which is not out before that day.
        prize.lottery_ahead = (
            prize.lottery_date is not None and prize.lottery_date > selectors.today()
        )
        fixed = prize.position in drawn
        prize.can_move_up = (
            prize.position > 1 and not fixed and prize.position - 1 not in drawn
        )
        prize.can_move_down = (
            prize.position < len(prizes)
            and not fixed
            and prize.position + 1 not in drawn
        )
        prize.deletable = (
            prize.position > last_drawn
            and not prize.has_withdrawn_plans
            and not (
                prize.lottery_date is not None
                and prize.lottery_date <= selectors.today()
            )
        )
    return prizes


@login_required
def prize_edit(request, project_ref, position):
    project = project_for(request.user, project_ref)
    prize = selectors.prize_for(project, position)
    form = PrizeForm(
        request.POST or None, project=project, initial=selectors.prize_values(prize)
    )
    if request.method == "POST" and form.is_valid():
        try:
            prize = draws.update_prize(prize=prize, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Prize “%(name)s” saved.") % {"name": prize.name}
            )
            return redirect("raffles:prizes", project_ref=project.ref)
    return render(
        request,
        "raffles/prize_form.html",
        {"project": project, "prize": prize, "form": form},
    )


@login_required
def prize_delete(request, project_ref, position):
    """Ask first; on POST delete the prize.

    Refused once it is drawn, or while its lottery plan is final.
    """
    project = project_for(request.user, project_ref)
    prize = selectors.prize_for(project, position)
    if request.method == "POST":
        try:
            draws.delete_prize(prize=prize)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Prize “%(name)s” deleted.") % {"name": prize.name}
            )
        return redirect("raffles:prizes", project_ref=project.ref)
    return render(
        request,
        "raffles/prize_confirm_delete.html",
        {
            "project": project,
            "prize": prize,
            "drawn": prize.draws.exists(),
            "problem": draws.deletion_problem(prize),
        },
    )


@login_required
@require_POST
def prize_move(request, project_ref, position):
    """Move a prize one place up or down the draw order."""
    project = project_for(request.user, project_ref)
    prize = selectors.prize_for(project, position)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        prize = draws.update_prize(prize=prize, position=position + step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Moved prize “%(name)s” to position %(position)s.")
            % {"name": prize.name, "position": prize.position},
        )
    return redirect("raffles:prizes", project_ref=project.ref)


@login_required
def withdraw_plan(request, project_ref, position):
    """Withdraw a prize's final lottery plan, with a reason on record."""
    project = project_for(request.user, project_ref)
    prize = selectors.prize_for(project, position)
    form = WithdrawPlanForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            draws.withdraw_plan(
                prize=prize, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The lottery plan of prize “%(name)s” is withdrawn; draw "
                    "it another way, or state the plan of a later lottery."
                )
                % {"name": prize.name},
            )
            return redirect(
                "raffles:draw_prize", project_ref=project.ref, position=position
            )
    return render(
        request,
        "raffles/withdraw_plan.html",
        {
            "project": project,
            "prize": prize,
            "form": form,
            "problem": draws.withdraw_problem(prize),
        },
        status=400 if form.is_bound else 200,
    )


# Draws


@login_required
def draws_page(request, project_ref):
    """Every prize with its winner, buyer and method, or what it can draw from."""
    project = project_for(request.user, project_ref)
    prize_list = _with_counts(project, selectors.prizes_of(project))
    draw_list = list(selectors.draws_of(project))
    states = selectors.eligible_states(project)
    for prize in prize_list:
        prize.history = [draw for draw in draw_list if draw.prize_id == prize.pk]
        prize.standing = next((d for d in prize.history if d.is_current), None)
        if prize.standing and prize.standing.winner_label:
            winner = prize.standing.winner
            prize.standing.winner_ineligible = winner is None or (
                winner.state not in states
            )
    return render(
        request,
        "raffles/draw_overview.html",
        {
            "project": project,
            "prizes": prize_list,
            "options_form": DrawOptionsForm(
                initial={"draws_include_reserved": project.draws_include_reserved}
            ),
            "options_problem": draws.include_reserved_problem(project),
        },
    )


@login_required
@require_POST
def draw_options(request, project_ref):
    project = project_for(request.user, project_ref)
    form = DrawOptionsForm(request.POST)
    form.is_valid()
    try:
        draws.set_draws_include_reserved(
            project=project,
            include_reserved=form.cleaned_data["draws_include_reserved"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Who can win is saved."))
    return redirect("raffles:draws", project_ref=project.ref)


@login_required
def draw_prize(request, project_ref, position):
    """Draw a prize by one of three methods, or redraw it with a reason."""
    project = project_for(request.user, project_ref)
    prize = selectors.prize_for(project, position)
    standing = getattr(prize, "current_draw", None)
    chosen = request.POST.get("method") if request.method == "POST" else None
    forms = [
        _draw_form(form_class, standing, request.POST, chosen)
        for form_class in DRAW_FORMS
    ]
    for form in forms:
        if form.is_bound and form.is_valid():
            try:
                draw = draws.draw_prize(
                    prize=prize,
                    actor=request.user,
                    method=form.method,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _announce(draw))
                return redirect("raffles:draws", project_ref=project.ref)
    counts = selectors.eligible_counts(project, [prize])
    eligible_count, late_count = counts[prize.pk]
    return render(
        request,
        "raffles/draw_form.html",
        {
            "project": project,
            "prize": prize,
            "standing": standing,
            "eligible_count": eligible_count,
            "digits": selectors.project_padding(project),
            "lottery_problem": draws.lottery_plan_problem(prize),
            "late_count": late_count,
            "plan_final": draws.plan_is_final(prize),
            "redraw_problem": standing and draws.redraw_problem(prize, standing),
            "manual_problem": draws.manual_draw_problem(prize),
            "withdrawn_plans": prize.withdrawn_plans.select_related("withdrawn_by"),
            "forms": {form.method: form for form in forms},
        },
        status=400 if chosen else 200,
    )


def _add_errors(form, error):
    """A service's errors next to the form's fields, the rest above them."""
    errors = error.message_dict if hasattr(error, "error_dict") else {}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)


def _draw_form(form_class, standing, data, chosen):
    kwargs = {"redraw": standing is not None, "prefix": form_class.method}
    if chosen == form_class.method:
        return form_class(data, **kwargs)
    return form_class(**kwargs)


def _announce(draw):
    values = {"prize": draw.prize_name, "label": draw.winner_label}
    if not draw.winner_label:
        return _(
            "“%(prize)s”: the lottery's number %(number)s is not eligible, so "
            "there is no winner, as announced."
        ) % {**values, "number": draw.lottery_number}
    return _("“%(prize)s”: number %(label)s wins (%(buyer)s).") % {
        **values,
        "buyer": draw.winner_name,
    }


@login_required
def draw_record(request, project_ref, position, sequence):
    """The printable record of one draw, for a witness or a notary."""
    project = project_for(request.user, project_ref)
    draw = selectors.draw_for(project, position, sequence)
    labels, reserved = selectors.frozen_list(draw)
    phone = draw.winner_buyer.phone_display if draw.winner_buyer else ""
    return render(
        request,
        "raffles/draw_record.html",
        {
            "project": project,
            "draw": draw,
            "ranges": algorithm.ranges(labels),
            "reserved": reserved,
            "winner_phone": mask_phone(phone),
            "check": algorithm.Verification(
                selectors.draw_record(draw, labels, reserved), labels
            ),
            "verify_url": _verify_url(request, draw),
        },
    )


# The public verification page


def verify(request, token):
    """Anyone with the link sees the record and the server re-running it."""
    draw = selectors.draw_by_token(token)
    labels, reserved = selectors.frozen_list(draw)
    record = selectors.draw_record(draw, labels, reserved)
    return render(
        request,
        "raffles/verify.html",
        {
            "draw": draw,
            "record": record,
            "check": algorithm.Verification(record, labels),
            "reserved": reserved,
            "others": selectors.other_draws(draw),
            "verify_url": _verify_url(request, draw),
            "record_file": _record_file(draw),
        },
    )


def verify_list(request, token):
    """The frozen list exactly as hashed: `sha256sum` of the file is the hash."""
    draw = selectors.draw_by_token(token)
    response = HttpResponse(
        selectors.frozen_list_bytes(draw), content_type="text/plain; charset=us-ascii"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="draw-{draw.token}-list.txt"'
    )
    return response


def verify_record(request, token):
    """The whole public record as JSON, the input of `manage.py verify_draw`."""
    draw = selectors.draw_by_token(token)
    labels, reserved = selectors.frozen_list(draw)
    record = selectors.draw_record(draw, labels, reserved)
    response = HttpResponse(
        json.dumps(record, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_record_file(draw)}"'
    return response


def _record_file(draw):
    """The record's file name, which the verification page tells to use."""
    return f"draw-{draw.token}.json"


def _verify_url(request, draw):
    return request.build_absolute_uri(reverse("verify:draw", args=[draw.token]))
