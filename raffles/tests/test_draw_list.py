import csv
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import StreamingHttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.draws import set_draws_include_reserved
from raffles.models import Raffle
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Spring fair")


@pytest.fixture
def booklets(project):
    """Numbers 000-099 at 2.00, then 100-199 at 5.00."""
    first = RaffleSetFactory(project=project, name="Booklet A", quantity=100)
    second = RaffleSetFactory(
        project=project,
        name="Booklet B",
        first_number=100,
        quantity=100,
        padding=3,
        unit_price=Decimal("5.00"),
    )
    return first, second


def _buyer(owner, name="Ana Gómez", phone="+573000000001"):
    first, _, last = name.partition(" ")
    return BuyerFactory(owner=owner, first_name=first, last_name=last, phone=phone)


def _sell(project, buyer, numbers, state="paid"):
    return services.sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
    )


def _page(client, project, **params):
    return client.get(reverse("raffles:draw_list", args=[project.ref]), params)


def _csv(client, project, **params):
    response = client.get(reverse("raffles:draw_list_csv", args=[project.ref]), params)
    return response, b"".join(response.streaming_content)


def _rows(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _listed(project):
    """The project's paid numbers as the database orders them."""
    paid = Raffle.objects.filter(project=project, state="paid")
    return list(paid.select_related("raffle_set").order_by("number"))


# The page


def test_draw_list_shows_paid_numbers_only_sorted(
    organizer_client, organizer, project, booklets
):
    ana = _buyer(organizer)
    luis = _buyer(organizer, "Luis Peña", "+573000000002")
    _sell(project, luis, "150, 07")
    _sell(project, ana, "03")
    _sell(project, ana, "04", state="reserved")
    [refunded] = _sell(project, ana, "05")
    services.refund_number(raffle=refunded, actor=organizer, reason="Returned")

    response = _page(organizer_client, project)

    groups = [
        (
            group["set"].name,
            [(row["label"], row["buyer"], row["phone"]) for row in group["rows"]],
        )
        for group in response.context["groups"]
    ]
    assert groups == [
        (
            "Booklet A",
            [
                ("03", "Ana Gómez", "+57 *** ****001"),
                ("07", "Luis Peña", "+57 *** ****002"),
            ],
        ),
        ("Booklet B", [("150", "Luis Peña", "+57 *** ****002")]),
    ]


def test_draw_list_page_shows_rows_totals_and_date(
    organizer_client, organizer, project, booklets
):
    _sell(project, _buyer(organizer), "01-02, 100")

    response = _page(organizer_client, project)

    page = " ".join(response.content.decode().split())
    assert '<td class="label">01</td> <td>Ana Gómez</td> <td>+57 *** ****001</td>' in (
        page
    )
    assert '<td class="label">100</td>' in page
    totals = response.context["totals"]
    assert (totals["count"], str(totals["collected"])) == (3, "9.00")
    per_set = [
        (row["raffle_set__name"], row["count"], str(row["collected"]))
        for row in totals["per_set"]
    ]
    assert per_set == [("Booklet A", 2, "4.00"), ("Booklet B", 1, "5.00")]
    with translation.override("en"):
        assert f"Printed {date_format(timezone.localdate())}." in page
    assert "9.00 USD" in page


def test_draw_list_filters_by_set(organizer_client, organizer, project, booklets):
    _sell(project, _buyer(organizer), "01, 100")

    response = _page(organizer_client, project, set=booklets[1].ref)

    [group] = response.context["groups"]
    assert [row["label"] for row in group["rows"]] == ["100"]
    assert response.context["chosen"] == booklets[1]
    assert response.context["totals"]["count"] == 1


def test_draw_list_of_an_unknown_set_is_not_found(organizer_client, project, booklets):
    assert _page(organizer_client, project, set=99).status_code == 404
    assert _page(organizer_client, project, set="x").status_code == 404


def test_draw_list_without_paid_numbers_says_so(organizer_client, project, booklets):
    response = _page(organizer_client, project)

    assert "No paid numbers yet." in response.content.decode()


def test_draw_list_prints_without_navigation_and_keeps_rows_whole(
    organizer_client, organizer, project, booklets
):
    _sell(project, _buyer(organizer), "01")

    response = _page(organizer_client, project)
    with open(finders.find("css/sales.css"), encoding="utf-8") as css_file:
        css = " ".join(css_file.read().split())

    page = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/sales.css">' in page
    table = page[page.index('<table class="draw-list">') :]
    assert table.index("<thead>") < table.index("<tbody>")
    assert '<tr class="print-only">' in table[: table.index("<tbody>")]
    assert '<div class="no-print toolbar">' in page
    print_rules = css[css.index("@media print") :]
    assert (
        ".site-header, .skip-link, .messages, .no-print { display: none; }"
        in print_rules
    )
    assert ".draw-list thead { display: table-header-group; }" in print_rules
    assert ".draw-list .print-only { display: table-row; }" in print_rules
    assert "break-inside: avoid;" in print_rules


@pytest.mark.parametrize("language", ["en", "es"])
def test_draw_list_writes_every_date_in_one_format(
    client, organizer, project, booklets, language
):
    project.draw_date = timezone.localdate()
    project.save(update_fields=["draw_date"])
    _sell(project, _buyer(organizer), "01, 100")
    client.force_login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = " ".join(_page(client, project).content.decode().split())

    with translation.override(language):
        long_date = date_format(timezone.localdate())
    assert page.count(long_date) == 4
    # No short date, such as 04/12/2026, slipped in.
    assert re.findall(r"\d+/\d+/\d+", page) == []


def test_draw_list_has_every_row_of_a_thousand(organizer_client, organizer, project):
    RaffleSetFactory(project=project, quantity=1000)
    _sell(project, _buyer(organizer), "000-999")

    response = _page(organizer_client, project)

    page = response.content.decode()
    assert page.count('<td class="label">') == 1000
    assert '<td class="label">000</td>' in page
    assert '<td class="label">999</td>' in page


def test_draw_list_groups_numbers_under_their_set(
    organizer_client, organizer, project, booklets
):
    _sell(project, _buyer(organizer), "01, 100-101")

    response = _page(organizer_client, project)

    page = " ".join(response.content.decode().split())
    today = date_format(timezone.localdate())
    assert (
        '<h2 id="draw-set-1"> Booklet A <span class="muted">(00-99)</span> </h2>'
    ) in page
    assert (
        '<tr class="print-only"> <th scope="colgroup" colspan="3"> '
        f"Spring fair · Booklet B (100-199) · {today} </th> </tr>"
    ) in page
    assert "Booklet A: 1 paid number." in page
    assert "Booklet B: 2 paid numbers." in page


def test_draw_list_slips_give_one_slip_per_paid_number(
    organizer_client, organizer, project, booklets
):
    _sell(project, _buyer(organizer), "01, 100")
    _sell(project, _buyer(organizer, "Luis Peña"), "02", state="reserved")

    response = _page(organizer_client, project, layout="slips")

    page = " ".join(response.content.decode().split())
    assert response.templates[0].name == "raffles/draw_list_slips.html"
    assert page.count('<li class="slip">') == 2
    assert (
        '<li class="slip"> <span class="slip-number">01</span> '
        '<span class="slip-buyer">Ana Gómez</span> '
        '<span class="slip-phone">+57 *** ****001</span> '
        '<span class="slip-set">Booklet A · Spring fair</span> </li>'
    ) in page
    assert "Luis Peña" not in page


def test_draw_list_slips_of_one_set(organizer_client, organizer, project, booklets):
    _sell(project, _buyer(organizer), "01, 100")

    response = _page(organizer_client, project, layout="slips", set=booklets[1].ref)

    page = response.content.decode()
    assert page.count('<li class="slip">') == 1
    assert '<span class="slip-number">100</span>' in page


def test_draw_list_unknown_layout_shows_the_list(organizer_client, project, booklets):
    response = _page(organizer_client, project, layout="poster")

    assert response.context["layout"] == "table"
    assert response.templates[0].name == "raffles/draw_list.html"


def test_draw_list_has_every_row_of_ten_thousand(organizer_client, organizer, project):
    RaffleSetFactory(project=project, quantity=10_000)
    _sell(project, _buyer(organizer), "0000-9999")

    table = _page(organizer_client, project).content.decode()
    slips = _page(organizer_client, project, layout="slips").content.decode()

    assert table.count('<td class="label">') == 10_000
    assert '<td class="label">0000</td>' in table
    assert '<td class="label">9999</td>' in table
    assert slips.count('<li class="slip">') == 10_000


@pytest.mark.parametrize("size", [3, 40])
def test_draw_list_slips_queries_do_not_grow(
    organizer_client, organizer, project, booklets, django_assert_num_queries, size
):
    for n in range(size):
        _sell(project, _buyer(organizer, f"Buyer{n} X"), str(100 + n))

    # Session, user, project, sets, totals, rows.
    with django_assert_num_queries(6):
        response = _page(organizer_client, project, layout="slips")

    assert response.content.decode().count('<li class="slip">') == size


@pytest.mark.parametrize("size", [3, 40])
def test_draw_list_queries_do_not_grow(
    organizer_client, organizer, project, booklets, django_assert_num_queries, size
):
    for n in range(size):
        _sell(project, _buyer(organizer, f"Buyer{n} X"), str(100 + n))

    # Session, user, project, sets, totals, rows.
    with django_assert_num_queries(6):
        response = _page(organizer_client, project)

    assert response.context["totals"]["count"] == size


@pytest.mark.parametrize("layout", ["table", "slips"])
@pytest.mark.parametrize(
    "numbers", ["1, 2", "0, 9999", "0, 50000, 99999", "0-2100, 99990-99999"]
)
def test_draw_list_queries_do_not_grow_with_the_spread_of_numbers(
    organizer_client, organizer, project, django_assert_num_queries, layout, numbers
):
    RaffleSetFactory(project=project, quantity=100_000)
    _sell(project, _buyer(organizer), numbers)
    expected = [raffle.label for raffle in _listed(project)]

    # Session, user, project, sets, totals, rows.
    with django_assert_num_queries(6):
        response = _page(organizer_client, project, layout=layout)

    [group] = response.context["groups"]
    assert [row["label"] for row in group["rows"]] == expected


# CSV


def test_draw_list_csv_streams_utf8_with_bom(
    organizer_client, organizer, project, booklets
):
    _sell(project, _buyer(organizer, "José Peña Muñoz"), "07, 150")
    _sell(project, _buyer(organizer, "Zoë Ørsted", ""), "08")
    _sell(project, _buyer(organizer, "Łukasz Żółw", ""), "09")

    response, body = _csv(organizer_client, project)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    assert _rows(body) == [
        ["Number", "Buyer", "Phone", "Set"],
        ["07", "José Peña Muñoz", "'+57 *** ****001", "Booklet A"],
        ["08", "Zoë Ørsted", "", "Booklet A"],
        ["09", "Łukasz Żółw", "", "Booklet A"],
        ["150", "José Peña Muñoz", "'+57 *** ****001", "Booklet B"],
    ]
    assert '"José Peña Muñoz"'.encode() in body


def test_draw_list_csv_reads_rows_only_while_streaming(
    organizer_client, organizer, project, booklets, django_assert_num_queries
):
    _sell(project, _buyer(organizer), "01-20")
    url = reverse("raffles:draw_list_csv", args=[project.ref])

    # Session, user, project, sets; the rows are not read yet.
    with django_assert_num_queries(4):
        response = organizer_client.get(url)
    # One chunk of rows.
    with django_assert_num_queries(1):
        body = b"".join(response.streaming_content)

    assert len(_rows(body)) == 21


@pytest.mark.parametrize(
    ("numbers", "chunks"),
    [
        ("0, 50000, 99999", 1),
        # 2,000 rows a chunk: 2,101 + 10 rows are two chunks, whatever
        # the gap between them.
        ("0-2100, 99990-99999", 2),
    ],
)
def test_draw_list_csv_reads_chunks_of_rows_not_spans_of_numbers(
    organizer_client, organizer, project, django_assert_num_queries, numbers, chunks
):
    RaffleSetFactory(project=project, quantity=100_000)
    _sell(project, _buyer(organizer), numbers)
    expected = [raffle.label for raffle in _listed(project)]
    url = reverse("raffles:draw_list_csv", args=[project.ref])
    response = organizer_client.get(url)

    with django_assert_num_queries(chunks):
        body = b"".join(response.streaming_content)

    assert isinstance(response, StreamingHttpResponse)
    assert [row[0] for row in _rows(body)] == ["Number", *expected]


def test_draw_list_csv_keeps_leading_zeros_as_text(
    organizer_client, organizer, project
):
    RaffleSetFactory(project=project, quantity=1000)
    _sell(project, _buyer(organizer), "007")

    _response, body = _csv(organizer_client, project)

    assert b'"007","Ana G' in body


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x.example","prize")', "+SUM(1,1)", "-2+3", "@cmd"],
)
def test_draw_list_csv_neutralizes_formulas(
    organizer_client, organizer, project, booklets, name
):
    buyer = BuyerFactory(owner=organizer, first_name=name, last_name="")
    _sell(project, buyer, "01")

    _response, body = _csv(organizer_client, project)

    cells = [cell for row in _rows(body) for cell in row]
    assert f"'{name}" in cells
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")] == []


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "Rifa Navideña 🎄",
            "attachment; filename=\"draw-list-rifa-navidena.csv\"; filename*=UTF-8''"
            "draw-list%20Rifa%20Navide%C3%B1a%20%F0%9F%8E%84.csv",
        ),
        ("Spring fair 2027", 'attachment; filename="draw-list-spring-fair-2027.csv"'),
    ],
)
def test_draw_list_csv_file_name_survives_non_ascii(
    organizer_client, organizer, name, expected
):
    project = ProjectFactory(owner=organizer, name=name)

    response, _body = _csv(organizer_client, project)

    assert response["Content-Disposition"] == expected


def test_draw_list_csv_of_one_set(organizer_client, organizer, project, booklets):
    _sell(project, _buyer(organizer), "01, 100")

    response, body = _csv(organizer_client, project, set=booklets[0].ref)

    assert [row[0] for row in _rows(body)] == ["Number", "01"]
    assert response["Content-Disposition"] == (
        'attachment; filename="draw-list-spring-fair-booklet-a.csv"'
    )


# The spreadsheet


def _sheet(client, project, **params):
    response = client.get(reverse("raffles:draw_list_xlsx", args=[project.ref]), params)
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    return response, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_draw_list_xlsx_keeps_leading_zeros_as_text(
    organizer_client, organizer, project
):
    RaffleSetFactory(project=project, name="Main", quantity=1000)
    _sell(project, _buyer(organizer, "José Peña Muñoz"), "007, 100")

    response, rows = _sheet(organizer_client, project)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert rows == [
        ["Number", "Buyer", "Phone", "Set"],
        ["007", "José Peña Muñoz", "+57 *** ****001", "Main"],
        ["100", "José Peña Muñoz", "+57 *** ****001", "Main"],
    ]


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x.example","prize")', "+SUM(1,1)", "-2+3", "@cmd"],
)
def test_draw_list_xlsx_keeps_formula_like_names_as_text(
    organizer_client, organizer, project, booklets, name
):
    buyer = BuyerFactory(owner=organizer, first_name=name, last_name="")
    _sell(project, buyer, "01")

    response = organizer_client.get(
        reverse("raffles:draw_list_xlsx", args=[project.ref])
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    cell = sheet["B2"]
    assert (cell.value, cell.data_type) == (name, "s")


def test_draw_list_xlsx_marks_reserved_numbers_and_names_the_set(
    organizer_client, organizer, project, booklets
):
    set_draws_include_reserved(project=project, include_reserved=True)
    _sell(project, _buyer(organizer), "01", state="reserved")
    _sell(project, _buyer(organizer), "100")

    response, rows = _sheet(organizer_client, project, set=booklets[0].ref)

    assert [row[0] for row in rows] == ["Number", "01 (reserved)"]
    assert response["Content-Disposition"] == (
        'attachment; filename="draw-list-spring-fair-booklet-a.xlsx"'
    )


def test_draw_list_page_links_both_downloads(organizer_client, project, booklets):
    response = _page(organizer_client, project)

    content = response.content.decode()
    assert f'href="/projects/{project.ref}/draw-list.csv"' in content
    assert f'href="/projects/{project.ref}/draw-list.xlsx"' in content


# Isolation

DOWNLOADS = ["raffles:draw_list", "raffles:draw_list_csv", "raffles:draw_list_xlsx"]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_draw_list_is_shown_to_its_owner(organizer_client, project, name):
    response = organizer_client.get(reverse(name, args=[project.ref]))

    assert response.status_code == 200


@pytest.mark.parametrize("name", DOWNLOADS)
def test_draw_list_is_not_found_for_another_organizer(
    client, other_organizer, project, name
):
    client.force_login(other_organizer)

    response = client.get(reverse(name, args=[project.ref]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_draw_list_sends_anonymous_visitors_to_log_in(client, project, name):
    response = client.get(reverse(name, args=[project.ref]))

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("include_reserved", [False, True])
def test_draw_list_lists_reserved_numbers_only_when_they_can_win(
    organizer_client, project, booklets, include_reserved
):
    buyer = _buyer(project.owner)
    _sell(project, buyer, "7")
    _sell(project, buyer, "8", state="reserved")
    set_draws_include_reserved(project=project, include_reserved=include_reserved)

    page = _page(organizer_client, project).content.decode()
    rows = _rows(_csv(organizer_client, project)[1])

    assert [row[0] for row in rows[1:]] == (
        ["07", "08 (reserved)"] if include_reserved else ["07"]
    )
    assert ("(reserved)" in page) == include_reserved


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize(
    ("include_reserved", "phrases"),
    [
        (
            False,
            [
                "All sets. Paid numbers only.",
                "Set Paid numbers Paid for these numbers",
                "Booklet A 1 2.00 USD",
                "Total 2 7.00 USD",
                "Booklet A: 1 paid number.",
                "Booklet B: 1 paid number.",
            ],
        ),
        (
            True,
            [
                "All sets. Paid and reserved numbers are eligible.",
                "Set Paid numbers Reserved Paid for these numbers",
                "Booklet A 1 1 3.00 USD",
                "Total 2 1 8.00 USD",
                "Booklet A: 2 paid or reserved numbers.",
                "Booklet B: 1 paid or reserved number.",
            ],
        ),
    ],
)
def test_draw_list_says_which_numbers_it_lists(
    organizer_client, project, booklets, include_reserved, phrases
):
    buyer = _buyer(project.owner)
    _sell(project, buyer, "7, 100")
    [reserved] = _sell(project, buyer, "8", state="reserved")
    services.record_payment(
        raffle=reserved, amount="1.00", method="cash", actor=project.owner
    )
    set_draws_include_reserved(project=project, include_reserved=include_reserved)

    text = _text(_page(organizer_client, project))

    assert [phrase for phrase in phrases if phrase not in text] == []
    assert ("paid number." in text) == (not include_reserved)
    assert "Collected" not in text
    assert ("Paid numbers only." in text) == (not include_reserved)


@pytest.mark.parametrize(
    ("include_reserved", "intro", "empty"),
    [
        (False, "One slip per paid number:", "No paid numbers yet."),
        (
            True,
            "One slip per paid or reserved number:",
            "No paid or reserved numbers yet.",
        ),
    ],
)
def test_draw_list_slips_and_empty_list_say_which_numbers(
    organizer_client, project, booklets, include_reserved, intro, empty
):
    set_draws_include_reserved(project=project, include_reserved=include_reserved)

    slips = _text(_page(organizer_client, project, layout="slips"))
    table = _text(_page(organizer_client, project))

    assert (intro in slips, empty in slips, empty in table) == (True, True, True)
    assert ("paid or reserved" in table) == include_reserved
