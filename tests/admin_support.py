"""Helpers for admin tests: accounts, signing in, reading CSRF tokens from forms."""

from __future__ import annotations

import re

from mentoring_site.auth.credentials import create_account
from mentoring_site.models import AccountRole

PASSWORD = "зимнее утро над рекой туман"
ADMIN = "/nastavnichestvo/admin"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                    r'name="csrf_token" value="([^"]+)"')


def make_account(app, login="kurator", role=AccountRole.CURATOR) -> None:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        create_account(sess, login=login, password=PASSWORD, display_name=login.title(),
                       role=role)
        sess.commit()


def token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = _TOKEN.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def login(client, login_name="kurator", password=PASSWORD):
    t = token(client, f"{ADMIN}/vhod/")
    return client.post(f"{ADMIN}/vhod/", data={"csrf_token": t, "login": login_name,
                                               "password": password})


def signed_in(app, role=AccountRole.CURATOR, login_name="kurator"):
    make_account(app, login_name, role)
    client = app.test_client()
    resp = login(client, login_name)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return client
