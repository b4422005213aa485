"""The League's API on the office's site: a school sends its application from its section.

``POST <MUNICIPAL_URL_PREFIX>/api/liga/zayavki`` with ``Authorization: Bearer liga-…`` (the
key the office made for that registry school, kept only as a hash) and a JSON body::

    {"directions": ["Управление качеством образования"],
     "contact": {"name": "…", "position": "…", "phone": "…", "email": "…"},
     "note": "…"}

``GET …/api/liga/napravleniya`` lists the directions a school may choose (public).
Every answer is JSON with Russian messages (``{"error": "…"}``). The blueprint holds no
session cookie and no form, so it is the one part of the office's site exempt from a host's
CSRFProtect (``exempt_from_csrf``); what protects it is the key. Requests per address are
counted in ``auth.throttle``'s table (wrong keys too, so a key cannot be guessed by
flooding), and the body is read only up to MUNICIPAL_LEAGUE_API_MAX_BYTES.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth import throttle
from ..compat import limit_request_body
from ..db import begin_write
from . import league
from .views import add_security_headers

blueprint = Blueprint("municipal_api", __name__)
blueprint.after_request(add_security_headers)

WINDOW = timedelta(hours=1)
ADDRESS_PREFIX = "liga-api:"


def _json(data: dict, status: int = 200, **headers: str) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False), status=status,
                        mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers)
    return response


def _error(message: str, status: int, **headers: str) -> Response:
    return _json({"error": message}, status, **headers)


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: Exception | None = None) -> Response:
    cap = current_app.config["MUNICIPAL_LEAGUE_API_MAX_BYTES"]
    return _error(f"Заявка слишком большая: не больше {cap} байт.", 413)


def _session():
    return current_app.extensions["municipal"].session()


@blueprint.get("/api/liga/napravleniya")
def league_directions():
    items = [{"name": d.name} for d in league.directions(_session())]
    return _json({"items": items})


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


@blueprint.post("/api/liga/zayavki")
def league_apply():
    cfg = current_app.config
    cap = cfg["MUNICIPAL_LEAGUE_API_MAX_BYTES"]
    if (request.content_length or 0) > cap:
        return _too_large()
    limit_request_body(cap)  # a chunked body stops at the cap too
    sess = _session()
    key = ADDRESS_PREFIX + (request.remote_addr or "?")[:150]
    begin_write(sess)
    wait = throttle.window_wait(sess, key, cfg["MUNICIPAL_LEAGUE_API_LIMIT"], WINDOW, lock=True)
    if wait:
        sess.rollback()
        return _error(f"Слишком много запросов с этого адреса. Повторите через "
                      f"{_minutes(wait)} мин.", 429, **{"Retry-After": str(wait)})
    throttle.window_forget(sess, ADDRESS_PREFIX, WINDOW)
    throttle.window_count(sess, key, WINDOW)
    sess.commit()  # counted whatever comes next: wrong keys count too

    raw = _bearer()
    if raw is None:
        return _error("Нет ключа школы: передайте его в заголовке «Authorization: Bearer …» "
                      "(ключ выдаёт управление образования).", 401,
                      **{"WWW-Authenticate": 'Bearer realm="liga"'})
    begin_write(sess)
    school = league.school_for_key(sess, raw)
    if school is None:
        sess.rollback()
        return _error("Ключ школы не подходит: возможно, управление выдало новый. Запросите "
                      "ключ в управлении образования.", 401,
                      **{"WWW-Authenticate": 'Bearer realm="liga", error="invalid_token"'})
    if not request.is_json:
        sess.rollback()
        return _error("Заявка отправляется в формате JSON (Content-Type: application/json).",
                      415)
    body = request.get_data(cache=False)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        sess.rollback()
        return _error("Тело запроса не читается как JSON в кодировке UTF-8.", 400)
    try:
        application = league.parse_application(sess, data)
        row = league.apply_from_school(sess, school, application)
    except league.LeagueError as exc:
        sess.rollback()
        return _error(str(exc), 400)
    league.touch_key(sess, school)
    answer = {
        "message": (f"Заявка «{row.organisation}» принята управлением образования "
                    f"(№ {row.id}). Состояние: {row.state.label}. О решении сообщит "
                    "муниципальный куратор."),
        "application": {"id": row.id, "state": row.state.value,
                        "state_label": row.state.label,
                        "directions": [d.name for d in row.directions]},
    }
    sess.commit()
    return _json(answer, 201)


def exempt_from_csrf(app: Flask) -> None:
    """A host's global CSRFProtect would refuse the schools' POSTs: exempt this API only."""
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(blueprint)
