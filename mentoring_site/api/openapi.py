"""The OpenAPI 3.1 description of the JSON API, built as data next to the code it describes.

Served at ``api/v1/openapi.json``; the tests validate it with openapi-spec-validator and
run schemathesis against the live API with it, so a field added to ``serialize.py``
without a line here fails the suite (schemas forbid unknown properties).
"""

from __future__ import annotations

from typing import Any

from ..models import DocKind, DocLevel, MaterialKind, NewsKind, ProgramStatus, ProgramType
from .http import MAX_PAGE, MAX_PER_PAGE

S = dict[str, Any]
STR: S = {"type": "string"}
INT: S = {"type": "integer"}
BOOL: S = {"type": "boolean"}
URL: S = {"type": "string", "format": "uri"}
DATE: S = {"type": "string", "format": "date"}
MOMENT: S = {"type": "string", "format": "date-time"}


def _null(schema: S) -> S:
    """The schema or null (OpenAPI 3.1 is JSON Schema 2020-12: no ``nullable``)."""
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def _ref(name: str) -> S:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(description: str, **props: S) -> S:
    return {
        "type": "object",
        "description": description,
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


def _label(enum) -> S:
    return _obj("Значение и его подпись по-русски", value={"type": "string",
                "enum": [m.value for m in enum]}, label=STR)


SCHEMAS: S = {
    "Error": _obj("Ошибка в запросе", error=STR),
    "Media": _obj(
        "Файл на сайте школы", url=URL, name=STR, content_type=STR, size=INT,
        alt=_null(STR), width=_null(INT), height=_null(INT),
    ),
    "PersonRef": _obj("Человек: только имя (у обучающихся — имя и первая буква фамилии)",
                      id=INT, name=STR, url=_null(URL)),
    "Person": _obj(
        "Человек из базы наставников или наставляемых: только сведения, на распространение "
        "которых есть согласие (null — согласия на это сведение нет)",
        id=INT, name=STR, url=_null(URL), slug=_null(STR), is_student=BOOL,
        position=_null(STR), subjects=_null(STR), qualification=_null(STR),
        experience_years=_null(INT), bio_html=_null(STR), awards_html=_null(STR),
        photo=_null(_ref("Media")),
    ),
    "Program": _obj(
        "Персонализированная программа наставничества",
        id=INT, slug=STR, title=STR, url=URL, form=STR,
        target_group=_obj("Целевая группа", value=STR, label=STR),
        type=_label(ProgramType), status=_label(ProgramStatus), direction=_null(STR),
        goal_html=_null(STR), starts_on=DATE, initial_end_on=DATE, planned_end_on=DATE,
        ended_on=_null(DATE), order_number=_null(STR), order_date=_null(DATE),
        early_end_reason=_null(_obj("Основание досрочного завершения", value=STR,
                                    label=STR)),
        early_end_note_html=_null(STR), results_html=_null(STR),
        mentors={"type": "array", "items": _ref("PersonRef")},
        mentees={"type": "array", "items": _ref("PersonRef")},
        hidden_participants={**INT, "description": "Участники без согласия: только число"},
        percent_done=_null(INT),
    ),
    "CasePhoto": _obj(
        "Фотография кейса", url=URL, name=STR, content_type=STR, size=INT, alt=_null(STR),
        width=_null(INT), height=_null(INT), caption=_null(STR),
    ),
    "Case": _obj(
        "Лучшая практика (публикуется после завершения программы)",
        id=INT, slug=STR, title=STR, url=URL, published_at=MOMENT, updated_at=MOMENT,
        summary=_null(STR), summary_html=_null(STR), body_html=_null(STR),
        photos={"type": "array", "items": _ref("CasePhoto")},
        program=_obj("Программа кейса", slug=STR, title=STR, url=URL),
    ),
    "Honor": _obj(
        "«Наши наставники»: признание наставника или пары",
        id=INT, title=STR, year=INT, citation_html=_null(STR),
        person=_obj("Наставник", id=INT, name=STR, url=_null(URL), position=_null(STR),
                    photo=_null(_ref("Media"))),
        partner=_null(_ref("PersonRef")),
    ),
    "NewsItem": _obj(
        "Новость или анонс мероприятия",
        id=INT, slug=STR, kind=_label(NewsKind), title=STR, url=URL, published_at=MOMENT,
        summary=_null(STR), summary_html=_null(STR), body_html=_null(STR),
        image=_null(_ref("Media")),
        event=_null(_obj("Мероприятие (время местное, со смещением)",
                         starts_at=_null(MOMENT), ends_at=_null(MOMENT), place=_null(STR))),
    ),
    "Document": _obj(
        "Документ нормативной базы",
        id=INT, slug=STR, title=STR, level=_label(DocLevel), kind=_label(DocKind),
        number=_null(STR), issued_on=_null(DATE), issuer=_null(STR), in_force=BOOL,
        repealed_on=_null(DATE), file=_null(_ref("Media")), external_url=_null(URL),
    ),
    "Material": _obj(
        "Методический материал", id=INT, slug=STR, title=STR, kind=_label(MaterialKind),
        description_html=_null(STR), file=_null(_ref("Media")), external_url=_null(URL),
    ),
    "Links": _obj("Ссылки на страницы списка", self=URL, first=URL, last=URL,
                  prev=_null(URL), next=_null(URL)),
    "Summary": _obj(
        "Сводка раздела",
        school=STR, site_url=URL, section_url=URL, intro_html=_null(STR),
        curator=_null(_obj("Куратор", name=STR, position=_null(STR), phone=_null(STR),
                           email=_null(STR), hours=_null(STR))),
        figures=_obj("Числа (все участники, не только давшие согласие)", mentors=INT,
                     mentees=INT, active_programs=INT, completed_programs=INT),
        last_updated=_null(MOMENT),
        feeds=_obj("Ленты", news=URL, cases=URL, calendar=URL),
        sitemap=URL,
    ),
    "Index": _obj(
        "Оглавление API", name=STR, school=STR, openapi=URL,
        collections={"type": "object", "additionalProperties": URL},
    ),
}

COLLECTIONS = [
    ("/documents", "documents", "Document", "Нормативная база"),
    ("/materials", "materials", "Material", "Методические материалы"),
    ("/programs", "programs", "Program", "Программы наставничества"),
    ("/mentors", "mentors", "Person", "База наставников"),
    ("/mentees", "mentees", "Person", "База наставляемых"),
    ("/cases", "cases", "Case", "Лучшие практики"),
    ("/honors", "honors", "Honor", "Наши наставники"),
    ("/news", "news", "NewsItem", "Новости и анонсы"),
]
FILTERS: dict[str, list[S]] = {
    "documents": [{"name": "in_force", "in": "query", "description": "false — утратившие силу",
                   "schema": {"type": "string", "enum": ["true", "false"]}}],
    "programs": [{"name": "status", "in": "query",
                  "schema": {"type": "string", "enum": [s.value for s in ProgramStatus]}}],
    "news": [{"name": "kind", "in": "query",
              "schema": {"type": "string", "enum": [k.value for k in NewsKind]}}],
}
PAGING: list[S] = [
    {"name": "page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},
]
VALIDATORS: S = {
    "ETag": {"schema": STR, "description": "Хеш ответа; If-None-Match → 304"},
    "Last-Modified": {"schema": STR, "description": "Последнее изменение раздела"},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
}


def _ok(schema: S, description: str) -> S:
    return {
        "200": {"description": description, "headers": VALIDATORS,
                "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Не изменилось с прошлого запроса (If-None-Match / "
                               "If-Modified-Since)"},
    }


def _get(op_id: str, summary: str, schema: S, params: list[S] | None = None,
         bad_request: bool = False) -> S:
    responses = _ok(schema, summary)
    if bad_request:
        responses["400"] = {"description": "Неверный параметр",
                            "content": {"application/json": {"schema": _ref("Error")}}}
    op: S = {"operationId": op_id, "summary": summary, "responses": responses}
    if params:
        op["parameters"] = params
    return {"get": op}


def document(server: str) -> S:
    """The whole description, its server being this section's ``…/api/v1``."""
    paths: S = {
        "/": _get("index", "Оглавление", _ref("Index")),
        "/summary": _get("summary", "Сводка: школа, куратор, числа", _ref("Summary")),
    }
    schemas = dict(SCHEMAS)
    for path, op_id, item, title in COLLECTIONS:
        page_name = f"{item}Page"
        schemas[page_name] = _obj(
            f"{title}: страница списка", items={"type": "array", "items": _ref(item)},
            page=INT, per_page=INT, total=INT, pages=INT, links=_ref("Links"),
        )
        paths[path] = _get(op_id, title, _ref(page_name),
                           PAGING + FILTERS.get(op_id, []), bad_request=True)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Наставничество: открытые данные раздела",
            "version": "1.0.0",
            "description": "Только то, что показывают страницы раздела: сведения о людях — "
                           "только при действующем согласии и только разрешённые.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
