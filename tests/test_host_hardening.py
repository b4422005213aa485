"""Issue 14: what an attacker and two host sites found (items 14, 18, 20 and the account
screen's password check). Each test failed before its fix."""

from __future__ import annotations

import re

import pytest

from mentoring_site.public import accessibility as a11y
from tests.test_accessibility import APPLY, PREFIX, SETTINGS, _form_fields, apply

# ---- item 14: the settings of the version for the visually impaired change by POST only --------


def _vi_cookie(client):
    return client.get_cookie(a11y.COOKIE, path=PREFIX + "/")


def test_an_old_get_link_changes_nothing_and_offers_the_settings(seeded_app):
    client = seeded_app.test_client()
    response = client.get(APPLY, query_string={"size": "4", "scheme": "wb",
                                                "next": PREFIX + "/novosti/"})
    assert response.status_code == 200
    assert _vi_cookie(client) is None and "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert a11y.NOT_APPLIED in html
    assert re.search(r'id="m-vi-size-4" name="size" value="4" checked', html)
    assert re.search(r'id="m-vi-scheme-wb" name="scheme" value="wb" checked', html)
    action, hidden = _form_fields(html, "m-vi-form")
    assert action == APPLY and hidden["next"] == PREFIX + "/novosti/"
    assert "Применить</button>" in html
    # the visitor presses «Применить»: now it is their choice
    response = client.post(action, data={**hidden, "size": "4", "scheme": "wb"})
    assert response.status_code == 303 and response.headers["Location"] == PREFIX + "/novosti/"
    assert _vi_cookie(client).value.startswith("v1.size-4.scheme-wb")


def test_an_old_reset_link_offers_the_button(seeded_app):
    client = seeded_app.test_client()
    assert apply(client, size="4").status_code == 303
    html = client.get(APPLY, query_string={"reset": "1"}).get_data(as_text=True)
    assert _vi_cookie(client) is not None
    assert 'name="reset" value="1">Вернуться к обычной версии</button>' in html


@pytest.mark.parametrize("headers, token", [
    ({"Origin": "https://evil.example"}, True),
    ({"Sec-Fetch-Site": "cross-site"}, True),
    ({}, False),
    ({}, "forged"),
])
def test_another_sites_post_changes_nothing(seeded_app, headers, token):
    client = seeded_app.test_client()
    hidden = _form_fields(client.get(SETTINGS).get_data(as_text=True), "m-vi-form")[1]
    data = {"size": "4", "next": PREFIX + "/"}
    if token:
        data["token"] = hidden["token"] if token is True else token
    response = client.post(APPLY, data=data, headers=headers)
    assert response.status_code == 403
    assert _vi_cookie(client) is None
    html = response.get_data(as_text=True)
    assert a11y.NOT_APPLIED in html and 'value="4" checked' in html


def test_same_site_post_with_origin_is_taken(seeded_app):
    client = seeded_app.test_client()
    hidden = _form_fields(client.get(SETTINGS).get_data(as_text=True), "m-vi-form")[1]
    response = client.post(APPLY, data={**hidden, "size": "3"},
                           headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303
    assert _vi_cookie(client).value.startswith("v1.size-3")


def test_no_page_switches_the_settings_by_a_link(seeded_app):
    """Neither the single control nor the panel carries a link to «primenit»: every choice
    is a button of a POST form with the token."""
    client = seeded_app.test_client()
    for cookie in (None, "v1.size-4.images-off"):
        if cookie:
            client.set_cookie(a11y.COOKIE, cookie, path=PREFIX + "/")
        for path in (PREFIX + "/", PREFIX + "/luchshie-praktiki/", SETTINGS):
            html = client.get(path).get_data(as_text=True)
            assert "primenit?" not in html and 'href="' + APPLY not in html, (cookie, path)
            assert f'method="post" action="{APPLY}"' in html
    html = client.get(PREFIX + "/").get_data(as_text=True)
    for name, value in (("size", "1"), ("scheme", "green"), ("images", "on"), ("reset", "1")):
        assert f'name="{name}" value="{value}"' in html
    action, hidden = _form_fields(html, "m-vi-panel__form")
    assert client.post(action, data={**hidden, "scheme": "green"}).status_code == 303
    assert "scheme-green" in _vi_cookie(client).value
