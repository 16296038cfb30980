"""Reading the history table (raffles/includes/event_table.html) of a page."""

import re

from django.utils import timezone, translation
from django.utils.formats import date_format


def history_cells(response, column):
    """The HTML inside each history row's cell of `column` ("when", "by")."""
    html = response.content.decode()
    pattern = rf'<td class="c-{column}" data-label="[^"]*">(.*?)</td>'
    return [" ".join(cell.split()) for cell in re.findall(pattern, html, re.S)]


def shown_time(moment):
    """`moment` as the history shows it: local time, in English."""
    local = timezone.localtime(moment)
    with translation.override("en"):
        text = date_format(local, "SHORT_DATETIME_FORMAT")
    return f'<time datetime="{local.isoformat()}">{text}</time>'
