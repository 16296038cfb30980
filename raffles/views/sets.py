"""Pages of raffle sets: create, edit, delete, and the number grid."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from buyers.selectors import search_buyers
from projects.selectors import project_for
from rafflesite.forms import ConfirmForm, add_service_error, posted
from rafflesite.money import format_money

from .. import services
from ..forms import GridFilterForm, JumpForm, RaffleSetEditForm, RaffleSetForm
from ..models import Raffle, RaffleSet, State
from ..selectors import project_totals, raffle_set_for, set_totals

# Numbers shown on one page of the grid.
GRID_BLOCK = 500


@login_required
def set_new(request, project_ref):
    project = project_for(request.user, project_ref)
    form = RaffleSetForm(
        posted(request),
        currency=project.currency,
        initial={"first_number": _next_free_number(project)},
    )
    if form.is_bound and form.is_valid():
        try:
            raffle_set = services.create_raffle_set(
                project=project, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _saved_message(raffle_set, created=True))
            return redirect(raffle_set)
    return render(request, "raffles/set_new.html", {"form": form, "project": project})


@login_required
def set_edit(request, project_ref, ref):
    project = project_for(request.user, project_ref)
    raffle_set = raffle_set_for(project, ref)
    form = RaffleSetEditForm(
        posted(request),
        currency=project.currency,
        initial=RaffleSetForm.initial_for(raffle_set),
    )
    if form.is_bound and form.is_valid():
        # Only what was changed: an untouched padding is not a padding
        # change, refused once a number is drawn or a plan stated.
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            raffle_set = services.update_raffle_set(raffle_set=raffle_set, **changes)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            raffle_set.project = project
            messages.success(request, _saved_message(raffle_set, created=False))
            return redirect(raffle_set)
    context = {"form": form, "project": project, "raffle_set": raffle_set}
    return render(request, "raffles/set_edit.html", context)


@login_required
def set_delete(request, project_ref, ref):
    """Ask first; delete on POST only."""
    project = project_for(request.user, project_ref)
    raffle_set = raffle_set_for(project, ref)
    form = ConfirmForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            services.delete_raffle_set(raffle_set=raffle_set)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Deleted set “%(name)s” and its numbers %(range)s.")
                % {"name": raffle_set.name, "range": raffle_set.range_label},
            )
            return redirect(project)
    context = {
        "form": form,
        "project": project,
        "raffle_set": _with_totals(project, raffle_set),
        "problem": services.set_deletion_problem(raffle_set),
    }
    return render(request, "raffles/set_delete.html", context)


@login_required
def set_detail(request, project_ref, ref):
    """The set's totals and its number grid, one block of numbers a page."""
    project = project_for(request.user, project_ref)
    raffle_set = raffle_set_for(project, ref)
    jump = JumpForm(request.GET if "number" in request.GET else None)
    if jump.is_bound and jump.is_valid():
        url = _jump_url(project, jump)
        if url:
            return redirect(url)
    filters = GridFilterForm(request.GET)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    sets = set_totals(project)
    raffle_set = next(s for s in sets if s.pk == raffle_set.pk)
    context = {
        "project": project,
        "raffle_set": raffle_set,
        "set_totals": project_totals(project, [raffle_set]),
        "sets": sets,
        "grid": _grid(request, project, raffle_set, criteria),
        "jump": jump,
        "filters": filters,
        "criteria": criteria,
        "filtered": bool(criteria.get("state") or criteria.get("buyer")),
        "can_delete": services.set_can_be_deleted(raffle_set),
    }
    return render(request, "raffles/set_detail.html", context)


@dataclass
class Grid:
    """One page of the grid: its numbers and the labels of every page."""

    raffles: list
    page: int
    page_labels: list
    matches: int | None = None
    # The states of the page's numbers: which of them can be ticked at once.
    states: frozenset = frozenset()

    @property
    def tickable(self):
        return bool(self.states & {State.AVAILABLE, State.RESERVED})

    @property
    def page_count(self):
        return len(self.page_labels)

    @property
    def previous(self):
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self):
        return self.page + 1 if self.page < self.page_count else None


def _grid(request, project, raffle_set, criteria):
    page = request.GET.get("page")
    if criteria.get("state") or criteria.get("buyer"):
        keys, count = _matches(request, raffle_set, criteria)
        grid = _filtered_page(keys, count, page)
    else:
        grid = _block(raffle_set, page)
    # Translated once here rather than for each of the page's numbers.
    states = {value: str(label) for value, label in State.choices}
    tick = _("Tick %(label)s")
    for raffle in grid.raffles:
        raffle.project = project
        raffle.raffle_set = raffle_set
        raffle.state_label = states[raffle.state]
        raffle.tick_label = tick % {"label": raffle.label}
    grid.states = frozenset(raffle.state for raffle in grid.raffles)
    return grid


def _block(raffle_set, page):
    """A block of consecutive numbers, read by range: as fast on any page."""
    starts = range(raffle_set.first_number, raffle_set.last_number + 1, GRID_BLOCK)
    page = min(max(_integer(page), 1), len(starts))
    first = starts[page - 1]
    last = min(first + GRID_BLOCK - 1, raffle_set.last_number)
    labels = [
        f"{raffle_set.label(start)}-"
        f"{raffle_set.label(min(start + GRID_BLOCK - 1, raffle_set.last_number))}"
        for start in starts
    ]
    block = Raffle.objects.filter(
        raffle_set=raffle_set, number__gte=first, number__lte=last
    )
    rows = list(block.select_related("buyer").order_by("number"))
    return Grid(raffles=rows, page=page, page_labels=labels)


def _matches(request, raffle_set, criteria):
    """The keys of the set's numbers that match, in order, and their count.

    The set is the project's: a project condition would keep the indexes
    (raffle_set, state, number) and (raffle_set, buyer, number) from
    answering alone, without reading the rows.
    """
    raffles = Raffle.objects.filter(raffle_set=raffle_set)
    if criteria.get("state"):
        raffles = raffles.filter(state=criteria["state"])
    if criteria.get("buyer"):
        # The buyers first: one buyer's numbers then come in number order
        # straight from the index, unsorted.
        buyers = search_buyers(request.user, criteria["buyer"])
        matching = buyers.order_by().values_list("pk", flat=True)
        raffles = raffles.filter(buyer__in=list(matching))
    keys = raffles.order_by("number").values_list("pk", flat=True)
    if criteria.get("buyer"):
        return keys, keys.count()
    # A state alone is counted on the set's row (its running totals).
    counts = {
        State.AVAILABLE: raffle_set.available_count,
        State.RESERVED: raffle_set.reserved_count,
        State.PAID: raffle_set.paid_count,
    }
    return keys, counts[criteria["state"]]


def _filtered_page(keys, count, page):
    """A page of the matches: as fast on the last page as on the first.

    The page's keys are picked by an offset over the index alone; past the
    middle the index is read backwards, which skips fewer entries. Then
    only the page's rows are read, with their buyers.
    """
    pages = max(1, -(-count // GRID_BLOCK))
    page = min(max(_integer(page), 1), pages)
    skipped = (page - 1) * GRID_BLOCK
    shown = min(GRID_BLOCK, count - skipped)
    after = count - skipped - shown
    if after < skipped:
        wanted = keys.reverse()[after : after + shown]
    else:
        wanted = keys[skipped : skipped + shown]
    rows = Raffle.objects.filter(pk__in=list(wanted)).select_related("buyer")
    return Grid(
        raffles=list(rows.order_by("number")),
        page=page,
        page_labels=[str(number) for number in range(1, pages + 1)],
        matches=count,
    )


def _jump_url(project, form):
    """The grid page showing the typed number, in whichever set holds it."""
    try:
        number = services.resolve_numbers(project, form.cleaned_data["number"])[0]
    except ValidationError as error:
        add_service_error(form, error, renames={"numbers": "number"})
        return None
    target = (
        RaffleSet.objects.filter(project=project, first_number__lte=number)
        .order_by("-first_number")
        .first()
    )
    target.project = project
    page = (number - target.first_number) // GRID_BLOCK + 1
    return f"{target.get_absolute_url()}?page={page}#n-{target.label(number)}"


def _with_totals(project, raffle_set):
    return next(s for s in set_totals(project) if s.pk == raffle_set.pk)


def _next_free_number(project):
    """Where a new set may start: after the project's highest number."""
    return max((s.last_number + 1 for s in project.raffle_sets.all()), default=0)


def _saved_message(raffle_set, created):
    values = {
        "name": raffle_set.name,
        "range": raffle_set.range_label,
        # The price with the project's currency, as the language writes it.
        "price": format_money(raffle_set.unit_price, raffle_set.project.currency),
    }
    if created:
        return _("Created set “%(name)s”: numbers %(range)s at %(price)s each.") % (
            values
        )
    return _("Saved set “%(name)s”: numbers %(range)s at %(price)s each.") % values


def _integer(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1
