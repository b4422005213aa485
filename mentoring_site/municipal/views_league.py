"""The League's public page and CSV on the registry: the members an order included.

Each member shows its directions, the order (number, date and its file), the contact the
office chose to publish, and, for a school of the registry, links to its section and to its
cases in the registry. Applications and refusals are never public.
"""

from __future__ import annotations

from flask import abort, current_app, render_template

from ..clock import now_utc
from ..media import storage
from . import league, rules
from .csv_export import csv_response, day_stamp
from .views import _local, _state, blueprint


@blueprint.get("/liga/", endpoint="league")
def league_page():
    return render_template("mentoring/municipal/league.html",
                           members=league.published(_state().session()),
                           contacts_public=rules.league_contacts_public)


@blueprint.get("/liga.csv")
def league_csv():
    header = ["Организация", "Направления", "Приказ №", "Дата приказа", "Контактное лицо",
              "Должность", "Телефон", "Электронная почта", "Раздел «Наставничество»"]
    rows = []
    for m in league.published(_state().session()):
        contact = ((m.contact_name, m.contact_position, m.contact_phone, m.contact_email)
                   if rules.league_contacts_public(m) else (None,) * 4)
        rows.append([m.organisation, "; ".join(d.name for d in m.directions), m.order_number,
                     m.order_date.strftime("%d.%m.%Y") if m.order_date else None, *contact,
                     m.school.url if m.school is not None else None])
    stamp = day_stamp(_local(now_utc()))
    return csv_response(f"Лига образовательных организаций-менторов — {stamp}.csv",
                        f"liga-{stamp}.csv", header, rows)


@blueprint.get("/liga/<mentoring_id:member_id>/prikaz")
def league_order(member_id: int):
    """The order's file, public once it included the member (as the order itself is)."""
    row = league.member(_state().session(), member_id)
    if row is None or not rules.is_league_member_public(row) or row.order_file is None:
        abort(404)
    return storage.send_media(current_app.extensions["mentoring"].upload_folder,
                              row.order_file, row.order_file.stored_name)
