"""CSV downloads of the registry's tables, made for Excel as the office uses it.

UTF-8 with a BOM (without it Excel shows Cyrillic as mojibake), «;» between fields
(what Excel expects with Russian regional settings), dates as ДД.ММ.ГГГГ. A cell that
starts like a formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe: the text
comes from schools' sites and must not run as a formula on the office's computer.
The file name is Russian, sent per RFC 6266 / RFC 5987 with an ASCII fallback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from flask import Response

from ..urls import content_disposition

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, fallback: str, header: Sequence[str],
                 rows: Iterable[Sequence[object]]) -> Response:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    response = Response(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition(filename, fallback)
    response.headers["Cache-Control"] = "no-cache"
    return response


def day_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")
