"""Public pages of management mentoring on the office's site, its CSV and its JSON for schools.

Only programmes approved by the municipal curator or later (``municipal.rules``);
teams show organisation, kind and directions — never a member (contacts are the office's).
``/api/upravlencheskoe-nastavnichestvo/<key>.json`` lists one school's programmes for its
own section to show (docs/ARCHITECTURE.md, «Decisions»).
"""

from __future__ import annotations

from flask import abort, jsonify, render_template, url_for

from ..clock import now_utc, today
from . import management as rules
from . import management_queries as q
from . import rules as office_rules
from .csv_export import csv_response, day_stamp
from .views import _local, _state, blueprint


@blueprint.get("/upravlencheskoe-nastavnichestvo/")
def mgmt_programs():
    sess = _state().session()
    return render_template("mentoring/municipal/mgmt_programs.html",
                           programs=q.public_programs(sess), rules=rules,
                           results_public=office_rules.mgmt_results_public, today=today())


@blueprint.get("/upravlencheskie-komandy/")
def mgmt_teams():
    sess = _state().session()
    return render_template("mentoring/municipal/mgmt_teams.html",
                           groups=q.teams_by_direction(sess))


@blueprint.get("/upravlencheskie-komandy.csv")
def mgmt_teams_csv():
    sess = _state().session()
    header = ["Направление", "Организация", "Команда", "Все направления команды"]
    rows = [[g.direction.title if g.direction else "Без направления", t.organisation,
             t.kind.label, "; ".join(d.title for d in t.directions)]
            for g in q.teams_by_direction(sess) for t in g.teams]
    stamp = day_stamp(_local(now_utc()))
    return csv_response(f"Реестр управленческих команд — {stamp}.csv",
                        f"upravlencheskie-komandy-{stamp}.csv", header, rows)


def _program_json(program, school_id: int) -> dict:
    ours = [t for t in program.teams if t.school_id == school_id]
    figures = rules.progress(program.items)
    return {
        "id": program.id,
        "title": program.title,
        "state": program.state.value,
        "state_label": program.state.label,
        "starts_on": program.starts_on.isoformat() if program.starts_on else None,
        "ends_on": program.ends_on.isoformat() if program.ends_on else None,
        "approved_on": program.approved_on.isoformat() if program.approved_on else None,
        "completed_on": program.completed_on.isoformat() if program.completed_on else None,
        "school_sides": sorted({t.kind.value for t in ours}),
        "directions": [d.title for d in program.directions],
        "experienced": [t.organisation for t in rules.experienced(program)],
        "developing": [t.organisation for t in rules.developing(program)],
        "done_percent": (figures.done_percent if office_rules.mgmt_results_public(program)
                         else None),
        "url": url_for(".mgmt_programs", _external=True) + f"#programma-{program.id}",
    }


@blueprint.get("/api/upravlencheskoe-nastavnichestvo/<key>.json")
def mgmt_school_programs(key: str):
    sess = _state().session()
    school, programs = q.school_programs(sess, key)
    if school is None:
        abort(404)
    response = jsonify({"school": school.name, "key": school.key,
                        "items": [_program_json(p, school.id) for p in programs]})
    response.headers["Cache-Control"] = "max-age=300"
    return response
