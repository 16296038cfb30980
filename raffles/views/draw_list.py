"""The printable draw list of a project and its CSV."""

import tempfile
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from buyers.phones import masked_phone
from projects.selectors import project_for
from rafflesite.lib.numbers import label

from ..exports import attachment_header, csv_lines
from ..models import State
from ..selectors import draw_list as draw_list_of
from ..selectors import draw_list_file_word, set_not_found

# The sets' names and paddings come from the sets already read: joined to
# the sets, MariaDB would sort every listed number for each chunk.
ROW_FIELDS = (
    "number",
    "buyer__first_name",
    "buyer__last_name",
    "buyer__phone",
    "raffle_set_id",
    "state",
)
LAYOUTS = {
    "table": "raffles/draw_list.html",
    "slips": "raffles/draw_list_slips.html",
}
CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENT = Decimal("0.01")


@login_required
@require_http_methods(["GET"])
def draw_list(request, project_ref):
    """The eligible numbers grouped by set, as a table or as slips to cut out.

    Paid numbers, and reserved ones too (marked) when the project's draws
    include them.
    """
    project = project_for(request.user, project_ref)
    sets = list(project.raffle_sets.order_by("first_number"))
    chosen = _chosen_set(request, sets)
    layout = request.GET.get("layout", "table")
    if layout not in LAYOUTS:
        layout = "table"
    raffles = draw_list_of(
        project,
        raffle_set=chosen,
        include_reserved=project.draws_include_reserved,
    )
    context = {
        "project": project,
        "sets": sets,
        "chosen": chosen,
        "layout": layout,
        # One query: the page renders every row anyway.
        "groups": _groups(_rows(raffles.values_list(*ROW_FIELDS), sets)),
        "totals": _totals(raffles),
        "today": timezone.localdate(),
    }
    return render(request, LAYOUTS[layout], context)


@login_required
@require_http_methods(["GET"])
def draw_list_csv(request, project_ref):
    project, chosen, cells = _download(request, project_ref)
    response = StreamingHttpResponse(
        csv_lines(cells), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = attachment_header(
        _file_name(project, chosen), "csv"
    )
    return response


@login_required
@require_http_methods(["GET"])
def draw_list_xlsx(request, project_ref):
    """The draw list as a spreadsheet whose cells are all text.

    A CSV cannot say that "007" is text: Excel, LibreOffice and Google
    Sheets read it as the number 7. Here every cell is stored as a string,
    so leading zeros stay and a name like "=SUM(1,1)" is never a formula.
    """
    project, chosen, cells = _download(request, project_ref)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Draw list"))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCD", (12, 36, 18, 24), strict=True):
        sheet.column_dimensions[column].width = width
    for row in cells:
        sheet.append([_text_cell(sheet, value) for value in row])
    # FileResponse closes it once sent, and the file goes with it.
    stream = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    book.save(stream)
    stream.seek(0)
    response = FileResponse(stream, content_type=XLSX)
    response["Content-Disposition"] = attachment_header(
        _file_name(project, chosen), "xlsx"
    )
    return response


def _download(request, project_ref):
    """The project, the set chosen (or None) and the rows of a download."""
    project = project_for(request.user, project_ref)
    sets = list(project.raffle_sets.order_by("first_number"))
    chosen = _chosen_set(request, sets)
    raffles = draw_list_of(
        project,
        raffle_set=chosen,
        include_reserved=project.draws_include_reserved,
    )
    return project, chosen, _cells(raffles, sets)


def _file_name(project, chosen):
    name = project.name if chosen is None else f"{project.name} {chosen.name}"
    return f"{draw_list_file_word()} {name}"


def _cells(raffles, sets):
    """The header, then each row's number, buyer, masked phone and set."""
    yield [_("Number"), _("Buyer"), _("Phone"), _("Set")]
    for row in _rows(_in_chunks(raffles), sets):
        number = row["label"]
        if row["reserved"]:
            # Reserved numbers can win in this project: say so on the row.
            number += " " + _("(reserved)")
        yield [number, row["buyer"], row["phone"], row["set"].name]


def _text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    # Stored as text whatever it looks like: never a number or a formula.
    cell.data_type = "s"
    return cell


def _chosen_set(request, sets):
    """The set picked with ?set=<ref>, None for all; 404 for a set not here."""
    ref = request.GET.get("set", "")
    if not ref:
        return None
    for raffle_set in sets:
        if str(raffle_set.ref) == ref:
            return raffle_set
    raise Http404(set_not_found(ref))


def _in_chunks(raffles):
    """The rows CHUNK at a time, each chunk its own query.

    MariaDB's client reads a whole result into memory: chunks keep a
    100,000-row CSV to a few megabytes however long the list. Each chunk
    starts after the last number read (numbers are unique in a project),
    so the index finds it directly and gaps in the numbers cost nothing.
    """
    rows = raffles.values_list(*ROW_FIELDS)
    chunk = list(rows[:CHUNK])
    while chunk:
        yield from chunk
        if len(chunk) < CHUNK:
            return
        chunk = list(rows.filter(number__gt=chunk[-1][0])[:CHUNK])


def _rows(values, sets):
    """The draw list's rows from the tuples of ROW_FIELDS."""
    by_id = {raffle_set.pk: raffle_set for raffle_set in sets}
    for number, first_name, last_name, phone, set_id, state in values:
        raffle_set = by_id[set_id]
        yield {
            "reserved": state == State.RESERVED,
            "label": label(number, raffle_set.padding),
            "buyer": f"{first_name} {last_name}".strip(),
            "phone": masked_phone(phone),
            "set": raffle_set,
        }


def _groups(rows):
    """The rows, sorted by number, cut into one group per set.

    Sets never overlap, so numbers in order come set after set.
    """
    groups = []
    for row in rows:
        if not groups or groups[-1]["set"] != row["set"]:
            groups.append({"set": row["set"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _totals(raffles):
    """Counts (all, paid, reserved) and money of the listed numbers.

    Per set and overall; reserved numbers are listed only when the project
    lets them win.
    """
    per_set = list(
        raffles.order_by()
        .values("raffle_set__first_number", "raffle_set__name")
        .annotate(
            count=Count("pk"),
            paid=Count("pk", filter=Q(state=State.PAID)),
            reserved=Count("pk", filter=Q(state=State.RESERVED)),
            collected=Sum("amount_paid"),
        )
        .order_by("raffle_set__first_number")
    )
    for row in per_set:
        # SQLite's sums drop trailing zeros ("14" for 14.00): give cents back.
        row["collected"] = (row["collected"] or Decimal("0")).quantize(CENT)
    totals = {
        key: sum(row[key] for row in per_set) for key in ("count", "paid", "reserved")
    }
    return {
        "per_set": per_set,
        **totals,
        "collected": sum((row["collected"] for row in per_set), Decimal("0.00")),
    }
