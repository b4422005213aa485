"""The version for the visually impaired without a browser: the cookie, the redirects,
the classes on the wrapper, hidden images, and the setting that switches it all off."""

from __future__ import annotations

import itertools
import re

import pytest

from mentoring_site.config import ConfigError
from mentoring_site.public import accessibility as a11y
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"
SETTINGS = PREFIX + "/dlya-slabovidyashchih/"
APPLY = SETTINGS + "primenit"
LARGEST = "v1.size-4.scheme-wb.images-off.spacing-3.line-3.font-serif"


# ---- the cookie, as pure functions -------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [None, "", "1", "v2.size-4", "size-4.scheme-wb", "v1" + ".size-4" * 60, "\x00", "v1\u0430"],
)
def test_a_cookie_that_is_not_ours_is_ignored(raw):
    assert a11y.parse(raw) is None


def test_every_combination_survives_the_cookie():
    names = list(a11y.CHOICES)
    for combo in itertools.product(*(a11y.CHOICES[n] for n in names)):
        settings = a11y.Settings(**dict(zip(names, combo, strict=True)))
        assert a11y.parse(settings.to_cookie()) == settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("v1", a11y.Settings()),
        ("v1.size-9.scheme-pink.images-maybe", a11y.Settings()),
        ("v1.size-4.size-1", a11y.Settings(size="4")),
        ("v1..size-3...junk.-.=", a11y.Settings(size="3")),
        ("v1.scheme-green.font-serif.unknown-1", a11y.Settings(scheme="green", font="serif")),
        ("v1.size-<script>.line-3", a11y.Settings(line="3")),
    ],
)
def test_bad_parts_of_our_cookie_fall_back_to_defaults(raw, expected):
    assert a11y.parse(raw) == expected


def test_classes_name_every_setting():
    classes = a11y.parse(LARGEST).classes().split()
    assert classes == [
        "m-vi", "m-vi--size-4", "m-vi--scheme-wb", "m-vi--ls-3", "m-vi--lh-3", "m-vi--serif",
        "m-vi--noimg",
    ]
    assert "m-vi--noimg" not in a11y.Settings().classes()


def test_the_choices_the_issue_asks_for_are_there():
    assert len(a11y.CHOICES["size"]) >= 3
    assert set(a11y.CHOICES["scheme"]) == {"bw", "wb", "blue", "brown", "green"}
    assert set(a11y.CHOICES) == set(a11y.LABELS)
    for name, (_legend, options) in a11y.LABELS.items():
        assert {v for v, _ in options} == set(a11y.CHOICES[name])


def test_the_setting_must_be_a_boolean(tmp_path):
    with pytest.raises(ConfigError, match="MENTORING_ACCESSIBILITY_PANEL"):
        make_app(f"sqlite:///{tmp_path / 't.sqlite'}", tmp_path, MENTORING_ACCESSIBILITY_PANEL="no")


# ---- through the app ------------------------------------------------------------------------


def _wrapper_classes(html: str) -> list[str]:
    match = re.search(r'<div class="(mentoring(?: [^"]*)?)">', html)
    assert match, "no .mentoring wrapper"
    return match.group(1).split()


def _page_paths(client):
    from tests.browser import section_pages

    return list(section_pages(client, PREFIX, also=(PREFIX + "/dlya-slabovidyashchih/",)))


def test_every_page_has_the_link_and_no_vi_classes_by_default(seeded_app):
    client = seeded_app.test_client()
    paths = _page_paths(client)
    assert len(paths) >= 10
    for path in paths:
        html = client.get(path).get_data(as_text=True)
        assert "Версия для слабовидящих" in html, path
        assert _wrapper_classes(html) == ["mentoring"], path
        assert "mentoring-vi.css" not in html, path


def _form_fields(html: str, form_class: str) -> tuple[str, dict[str, str]]:
    """The action and the hidden fields of the first form with this class."""
    form = re.search(rf'<form class="{form_class}" method="post" action="([^"]+)">(.*?)</form>',
                     html, re.S)
    assert form, form_class
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(2)))
    return form.group(1), {k: v.replace("&amp;", "&") for k, v in hidden.items()}


def apply(client, **values):
    """POST the settings as the panel's form does (with the page's token)."""
    html = client.get(SETTINGS).get_data(as_text=True)
    _action, hidden = _form_fields(html, "m-vi-form")
    return client.post(APPLY, data={"token": hidden["token"], **values})


def test_the_link_turns_the_mode_on_and_comes_back(seeded_app):
    client = seeded_app.test_client()
    html = client.get(PREFIX + "/luchshie-praktiki/").get_data(as_text=True)
    action, hidden = _form_fields(html, "m-vi-link")
    assert action == APPLY and hidden["next"] == PREFIX + "/luchshie-praktiki/"
    assert '<button type="submit">Версия для слабовидящих</button>' in html
    response = client.post(action, data=hidden)
    assert response.status_code == 303
    assert response.headers["Location"] == PREFIX + "/luchshie-praktiki/"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and f"Path={PREFIX}/" in cookie
    html = client.get(PREFIX + "/luchshie-praktiki/").get_data(as_text=True)
    assert "m-vi" in _wrapper_classes(html)
    assert "mentoring-vi.css" in html
    assert 'class="m-vi-panel"' in html


def test_the_form_stores_all_settings_and_reset_forgets_them(seeded_app):
    client = seeded_app.test_client()
    query = {
        "size": "4", "scheme": "green", "images": "off", "spacing": "3", "line": "2",
        "font": "serif", "next": PREFIX + "/novosti/?vid=anonsy",
    }
    response = apply(client, **query)
    assert response.headers["Location"] == PREFIX + "/novosti/?vid=anonsy"
    assert client.get_cookie(a11y.COOKIE, path=PREFIX + "/").value == (
        "v1.size-4.scheme-green.images-off.spacing-3.line-2.font-serif"
    )
    form = client.get(SETTINGS).get_data(as_text=True)
    for name, value in list(query.items())[:6]:
        assert re.search(rf'id="m-vi-{name}-{value}" name="{name}" value="{value}" checked', form)
    # one change keeps the others
    apply(client, size="1", scheme="purple")
    assert client.get_cookie(a11y.COOKIE, path=PREFIX + "/").value.startswith(
        "v1.size-1.scheme-green.images-off"
    )
    response = apply(client, reset="1", next=PREFIX + "/")
    assert response.status_code == 303
    assert client.get_cookie(a11y.COOKIE, path=PREFIX + "/") is None
    assert _wrapper_classes(client.get(PREFIX + "/").get_data(as_text=True)) == ["mentoring"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/", "//evil.example/nastavnichestvo/", "/\\evil.example",
        "/other/", "javascript:alert(1)", PREFIX, "/nastavnichestvo/\r\nSet-Cookie: x=1",
    ],
)
def test_next_never_leaves_the_section(seeded_app, target):
    response = apply(seeded_app.test_client(), next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == SETTINGS


@pytest.mark.parametrize(
    "raw", ["garbage", "v1.size-99.scheme-%3Cscript%3E", "v2.size-4", "v1" + ".x" * 1500, "v1.;\"'"]
)
def test_a_bad_cookie_never_breaks_a_page(seeded_app, raw):
    client = seeded_app.test_client()
    client.set_cookie(a11y.COOKIE, raw, path=PREFIX + "/")
    response = client.get(PREFIX + "/")
    assert response.status_code == 200
    classes = _wrapper_classes(response.get_data(as_text=True))
    assert classes in (["mentoring"], ["mentoring", *a11y.Settings().classes().split()])
    assert not any("script" in c for c in classes)


def test_hidden_images_leave_their_text(seeded_app):
    client = seeded_app.test_client()
    html = client.get(PREFIX + "/luchshie-praktiki/").get_data(as_text=True)
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', html)
    assert alts
    client.set_cookie(a11y.COOKIE, "v1.images-off", path=PREFIX + "/")
    html = client.get(PREFIX + "/luchshie-praktiki/").get_data(as_text=True)
    assert "<img" not in html
    for alt in alts:
        assert f'<span class="m-img-alt">Изображение: {alt}</span>' in html


def test_only_a_vi_visitors_page_varies_on_the_cookie(seeded_app):
    """An ordinary page is one copy for every shared cache (the nginx recipe passes VI
    visitors by their cookie); a VI visitor's page depends on the cookie and says so, and
    no shared cache may keep it (tests/test_response_cache.py has the rest)."""
    client = seeded_app.test_client()
    assert "Cookie" not in client.get(PREFIX + "/").headers["Vary"]
    client.set_cookie(a11y.COOKIE, LARGEST, path=PREFIX + "/")
    response = client.get(PREFIX + "/")
    assert "Cookie" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_switched_off_for_a_host_with_its_own_version(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path, MENTORING_ACCESSIBILITY_PANEL=False)
    client = app.test_client()
    client.set_cookie(a11y.COOKIE, LARGEST, path=PREFIX + "/")
    for path in _page_paths(client):
        html = client.get(path).get_data(as_text=True)
        assert _wrapper_classes(html) == ["mentoring"], path
        assert not re.search(r"m-vi\b|m-vi-|слабовидящих", html), path
        assert "<img" in html or "m-img-alt" not in html, path
    assert client.get(SETTINGS).status_code == 404
    assert client.get(APPLY, query_string={"size": "4"}).status_code == 404
    assert client.post(APPLY, data={"size": "4"}).status_code == 404
    assert "Cookie" not in client.get(PREFIX + "/").headers.get("Vary", "")
    app.extensions["mentoring"].engine.dispose()


def test_hidden_images_in_markdown_leave_their_text(seeded_app):
    """A picture the curator put in an article's Markdown is replaced like the others;
    the API, the feeds and the admin preview stay as they are."""
    from mentoring_site.models import MediaFile
    from tests import factories

    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        photos = sess.query(MediaFile.stored_name).filter(MediaFile.alt_text != "")
        stored = photos.limit(1).scalar()
        body = (f"Начало.\n\n![Наставник & наставляемая у доски]({PREFIX}/media/"
                f"{stored})\n\n![]({PREFIX}/media/{stored})")
        sess.add(factories.news(slug="s-kartinkoy", body=body))
        sess.commit()
    client = seeded_app.test_client()
    path = PREFIX + "/novosti/s-kartinkoy/"
    assert client.get(path).get_data(as_text=True).count(f"/media/{stored}") >= 2
    client.set_cookie(a11y.COOKIE, "v1.images-off", path=PREFIX + "/")
    html = client.get(path).get_data(as_text=True)
    article = html[html.index("Начало."):]
    assert "<img" not in article
    assert ('<span class="m-img-alt">Изображение: Наставник &amp; наставляемая у доски'
            "</span>") in article
    assert article.count("m-img-alt") == 1  # the decorative picture simply goes
    api = client.get(PREFIX + "/api/v1/news").get_data(as_text=True)
    assert "m-img-alt" not in api and stored in api
