"""Downloads of the draw list, shared by the web pages and the API."""

import csv
from urllib.parse import quote

from django.utils.text import slugify

from rafflesite.lib.text import csv_safe


class _Echo:
    """A file-like object whose write() hands the line back to the caller."""

    def write(self, value):
        return value


def csv_lines(cells):
    """The CSV of `cells` (the header first, then the rows), as bytes, one
    line at a time: UTF-8 with a byte-order mark for spreadsheets (E2)."""
    # Every cell is quoted, and text that would start a formula in a
    # spreadsheet is neutralized (E1). Spreadsheets still read "007" as 7:
    # the .xlsx download keeps it.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    header = next(cells)
    yield ("\ufeff" + writer.writerow(header)).encode()
    for row in cells:
        yield writer.writerow([csv_safe(cell) for cell in row]).encode()


def attachment_header(name, extension):
    """Content-Disposition for a download named after `name`.

    Old clients read the ASCII `filename`; for a name with other characters
    `filename*` (RFC 6266) carries it intact in UTF-8.
    """
    fallback = slugify(name) or "download"
    header = f'attachment; filename="{fallback}.{extension}"'
    full = " ".join(name.split())
    if not full.isascii():
        header += f"; filename*=UTF-8''{quote(f'{full}.{extension}', safe='')}"
    return header
