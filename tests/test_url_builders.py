"""The section's URL rules compile their builders at first use (``urls.builders_at_first_use``):
the addresses they build are Werkzeug's own, and the host's rules and rule class stay as
they were."""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from werkzeug.routing import IntegerConverter, Map, PathConverter, Rule

from mentoring_site import Mentoring
from mentoring_site.urls import IdConverter

from .conftest import make_app

COMPILED = "<werkzeug routing>"  # the file name of the code Werkzeug compiles for a builder


def _compiled(rule: Rule) -> bool:
    return all(getattr(rule, name).__code__.co_filename == COMPILED
               for name in ("_build", "_build_unknown"))


def _ours(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("mentoring")]


def _values(rule: Rule, text: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, (IdConverter, IntegerConverter)):
            values[name] = 7
        elif isinstance(converter, PathConverter):
            values[name] = f"{text}/файл.pdf"
        else:
            values[name] = text
    return values


class HostRule(Rule):
    """A host's own rule class: the section's rules derive from it."""


@pytest.fixture
def plain_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    yield app
    app.extensions["mentoring"].engine.dispose()


def test_no_rule_of_the_section_compiles_a_builder_at_start(plain_app):
    rules = _ours(plain_app)
    assert len(rules) > 150
    assert not any(_compiled(rule) for rule in rules)
    # the host's own rule (static) is Werkzeug's, compiled as ever, and the class is back
    static = next(r for r in plain_app.url_map.iter_rules() if r.endpoint == "static")
    assert type(static) is Rule and _compiled(static)
    assert "url_rule_class" not in vars(plain_app) and plain_app.url_rule_class is Rule


def test_every_rule_builds_what_werkzeug_builds(plain_app):
    """Each rule against a plain Werkzeug rule of the same text, with ordinary values,
    values needing quoting and an unknown argument (appended as a query string or not)."""
    rules = _ours(plain_app)
    plain = Map([Rule(r.rule, **r.get_empty_kwargs()) for r in rules],
                converters=dict(plain_app.url_map.converters))
    twins = {(r.rule, r.endpoint): r for r in plain.iter_rules()}
    for rule in rules:
        twin = twins[(rule.rule, rule.endpoint)]
        for text in ("slug-1", "я б/?&#%<script>"):
            values = _values(rule, text)
            for extra in ({}, {"stranitsa": 2, "q": "ы &"}):
                for append in (True, False):
                    expected = twin.build({**values, **extra}, append_unknown=append)
                    assert rule.build({**values, **extra}, append_unknown=append) == expected
        assert _compiled(rule)  # built once: Werkzeug's code from then on


def test_url_for_works_before_and_after_the_first_build(plain_app):
    with plain_app.test_request_context():
        first = url_for("mentoring.news_item", slug="novost-1")
        assert url_for("mentoring.news_item", slug="novost-1") == first
        assert url_for("mentoring.news_item", slug="a", stranitsa=2).endswith("?stranitsa=2")
    assert plain_app.url_map.bind("localhost").match(first) == ("mentoring.news_item",
                                                                 {"slug": "novost-1"})


def test_a_hosts_rule_class_is_kept(tmp_path):
    app = Flask("school", instance_path=str(tmp_path / "instance"))
    app.url_rule_class = HostRule
    app.config.update(SECRET_KEY="x", MENTORING_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite'}",
                      MENTORING_UPLOAD_FOLDER=str(tmp_path / "uploads"))

    @app.route("/")
    def home():
        return "school"

    Mentoring(app)
    try:
        assert vars(app)["url_rule_class"] is HostRule  # the host's instance setting, restored
        assert all(isinstance(rule, HostRule) for rule in _ours(app))
        assert type(next(r for r in app.url_map.iter_rules() if r.endpoint == "home")) is HostRule
        with app.test_request_context():
            assert url_for("mentoring.index").startswith("/")
    finally:
        app.extensions["mentoring"].engine.dispose()
