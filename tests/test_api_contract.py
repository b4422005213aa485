"""One contract (``mentoring_site.contract``): the OpenAPI schemas and every answer follow it."""

from __future__ import annotations

import json

import pytest

from mentoring_site import contract
from mentoring_site.api.http import json_body
from mentoring_site.api.openapi import components

API = "/nastavnichestvo/api/v1"

#: Every endpoint with its model, and the filters a collection takes.
ENDPOINTS = [
    ("/", contract.Index, [""]),
    ("/summary", contract.Summary, [""]),
    ("/documents", contract.DocumentPage, ["", "in_force=false"]),
    ("/materials", contract.MaterialPage, [""]),
    ("/programs", contract.ProgramPage,
     ["", "status=planned", "status=active", "status=completed", "status=ended_early"]),
    ("/mentors", contract.PersonPage, [""]),
    ("/mentees", contract.PersonPage, [""]),
    ("/cases", contract.CasePage, [""]),
    ("/honors", contract.HonorPage, [""]),
    ("/news", contract.NewsItemPage, ["", "kind=news", "kind=announcement"]),
]


@pytest.fixture
def client(seeded_app):
    return seeded_app.test_client()


def _refs(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if "$ref" in node else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_the_openapi_schemas_are_exactly_the_contract_models(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    assert schemas == json.loads(json.dumps(components()))
    assert set(schemas) == {m.__name__ for m in contract.PUBLISHED}
    # Every reference resolves, and every published schema is used by some answer.
    refs = {r.removeprefix("#/components/schemas/") for r in _refs(doc)}
    assert refs == set(schemas)
    used = {r.removeprefix("#/components/schemas/") for r in _refs(doc["paths"])}
    assert {m.__name__ for m in contract.PUBLISHED if issubclass(m, contract.Page)} <= used


def test_the_document_keeps_openapi_3_1_nullability_and_no_titles():
    text = json.dumps(components(), ensure_ascii=False)
    assert '"title": {"type"' in text  # a property named title, not a schema's title
    assert '"title": "' not in text
    assert '"anyOf"' not in text
    person = components()["Person"]
    assert person["properties"]["position"] == {"type": ["string", "null"]}
    assert person["properties"]["photo"] == {
        "oneOf": [{"$ref": "#/components/schemas/Media"}, {"type": "null"}]}
    assert person["additionalProperties"] is False
    assert person["required"] == list(contract.Person.model_fields)


def _answers(client, path: str, query: str):
    """Every page of one endpoint (all items, a few per page so paging is exercised)."""
    if not path.strip("/") or path == "/summary":
        yield client.get(f"{API}{path}")
        return
    url = f"{API}{path}?per_page=3" + (f"&{query}" if query else "")
    while url:
        resp = client.get(url)
        yield resp
        url = (resp.get_json()["links"]["next"] or "").removeprefix("http://localhost")


@pytest.mark.parametrize(("path", "model", "queries"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_every_answer_validates_against_its_model(client, path, model, queries):
    for query in queries:
        for resp in _answers(client, path, query):
            assert resp.status_code == 200, resp.request.url
            answer = model.model_validate_json(resp.data)
            # Nothing in the answer that the model does not hold, in the same order, and
            # the bytes are those ``json.dumps`` writes (what the API served before).
            assert answer.model_dump_json().encode() == resp.data
            assert json_body(answer.model_dump()).encode() == resp.data
            # The demo's answers also pass the municipal registry's stricter checks.
            model.model_validate_json(resp.data, context=contract.REGISTRY)


def test_a_bad_argument_answers_the_error_model(client):
    resp = client.get(f"{API}/cases?page=0")
    assert resp.status_code == 400
    assert contract.Error.model_validate_json(resp.data).error.startswith("Параметр page")


def test_the_models_refuse_what_the_contract_does_not_allow():
    links = {"self": "http://a/", "first": "http://a/", "last": "http://a/", "prev": None,
             "next": None}
    contract.Links(**links)
    with pytest.raises(ValueError, match="extra"):
        contract.Links(**links, other=1)
    with pytest.raises(ValueError, match="int"):
        contract.Figures(mentors="1", mentees=0, active_programs=0, completed_programs=0)
    with pytest.raises(ValueError):
        contract.LABELS[contract.ProgramStatus](value="archived", label="В архиве")


def test_registry_checks_apply_only_in_the_registry_context():
    long_bio = {"id": 1, "name": "Анна", "url": "javascript:x", "slug": None,
                "is_student": False, "position": "п" * 2000, "subjects": None,
                "qualification": None, "experience_years": 120, "bio_html": None,
                "awards_html": None, "photo": None}
    contract.Person.model_validate(long_bio)  # our own answer never fails on length
    with pytest.raises(ValueError, match="http"):
        contract.Person.model_validate(long_bio, context=contract.REGISTRY)


@pytest.mark.parametrize("text", [
    '"кавычки" и \\ обратная черта', "строка\nвторая\tтаб\r", "\u2028\u2029", "😀 é ё",
    "</script><!--", "\x7f", "\x01\x1f\x08\x0c", "",
])
def test_pydantic_writes_the_bytes_json_dumps_wrote(text):
    """The API dumps with pydantic-core; ETags depend on it writing what json.dumps wrote."""
    answer = contract.Error(error=text)
    assert answer.model_dump_json() == json_body(answer.model_dump())
