"""Signing in and out of the admin with the section's own accounts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import Type, extract_parameters, profiles

from mentoring_site.admin.auth import WRONG
from mentoring_site.auth import passwords
from mentoring_site.auth.passwords import verify_password
from mentoring_site.models import Account, LoginThrottle
from tests.admin_support import ADMIN, PASSWORD, login, make_account, signed_in, token


def test_anonymous_is_sent_to_the_login_page(client):
    resp = client.get(f"{ADMIN}/novosti/")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith(f"{ADMIN}/vhod/?next=")


def test_login_sets_a_strict_session_cookie_and_opens_the_dashboard(app):
    make_account(app)
    client = app.test_client()
    resp = login(client)
    assert resp.status_code == 302 and resp.headers["Location"] == f"{ADMIN}/"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and f"Path={ADMIN}" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie  # no remember-me
    assert "Secure" not in cookie
    page = client.get(f"{ADMIN}/")
    assert page.status_code == 200 and "Что требует внимания" in page.get_data(as_text=True)


def test_cookie_is_secure_over_https(app):
    make_account(app)
    client = app.test_client()
    url = f"https://localhost{ADMIN}/vhod/"
    html = client.get(url).get_data(as_text=True)
    t = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    resp = client.post(url, data={"csrf_token": t, "login": "kurator", "password": PASSWORD})
    assert "Secure" in resp.headers["Set-Cookie"]


def test_unknown_user_and_wrong_password_get_the_same_answer(app, monkeypatch):
    """An unknown login is checked against a hash just like a known one, and a hash of the
    same parameters (so of the same cost): neither answer is an instant "no such user".

    Counted rather than timed: the suite hashes at a cheap cost (tests/conftest.py), where
    the time would be noise; with production parameters the equal work is equal time.
    """
    make_account(app)
    checked: list[str] = []
    real = passwords.hasher

    class Recording:
        def verify(self, password_hash, password):
            checked.append(password_hash)
            return real.verify(password_hash, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(passwords, "hasher", Recording())
    client = app.test_client()
    a = login(client, "kurator", "совсем не тот пароль для входа")
    known = list(checked)
    b = login(client, "nikto", "совсем не тот пароль для входа")
    unknown = checked[len(known):]
    assert a.status_code == b.status_code == 200
    assert WRONG in a.get_data(as_text=True) and WRONG in b.get_data(as_text=True)
    assert len(known) == len(unknown) == 1
    assert extract_parameters(unknown[0]) == extract_parameters(known[0])


def test_nothing_is_hashed_at_import():
    """A worker's start costs no argon2 hash (it was 0.36 s: the dummy hash for unknown
    logins is made on the first login, ``passwords.dummy_hash``). A fresh interpreter
    counts the hashes argon2 makes while the whole site is imported."""
    code = (
        "import argon2\n"
        "calls = []\n"
        "real = argon2.PasswordHasher.hash\n"
        "argon2.PasswordHasher.hash = lambda self, *a, **k: (calls.append(1),\n"
        "                                                  real(self, *a, **k))[1]\n"
        "import mentoring_site.extension, mentoring_site.admin.auth, mentoring_site.cli\n"
        "import mentoring_site.municipal.site\n"
        "print(len(calls))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == "0"


def test_production_hashes_use_rfc_9106_low_memory():
    """What the docs and the module promise: argon2id, 3 passes over 64 MiB, 4 lanes.

    The module is loaded afresh under another name (in the same package, for its relative
    imports), so the tests' cheap hasher (set on the real module) is not in the way; one hash
    at the real cost, about a tenth of a second."""
    spec = importlib.util.spec_from_file_location("mentoring_site.auth.fresh_passwords",
                                                  passwords.__file__)
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    made = fresh.hash_password("зимнее утро над рекой туман")
    params = extract_parameters(made)
    assert made.startswith("$argon2id$v=19$")
    assert (params.type, params.time_cost, params.memory_cost, params.parallelism,
            params.hash_len, params.salt_len) == (Type.ID, 3, 64 * 1024, 4, 32, 16)
    assert params == profiles.RFC_9106_LOW_MEMORY == passwords.PRODUCTION_PARAMETERS
    assert verify_password(made, "зимнее утро над рекой туман")  # cheap hasher, real hash


@pytest.mark.both_databases
def test_login_is_throttled_then_lets_the_curator_in_after_the_wait(app):
    make_account(app)
    client = app.test_client()
    for _ in range(5):
        assert WRONG in login(client, "kurator", "неверный пароль номер один").get_data(
            as_text=True)
    blocked = login(client)  # even the right password waits
    assert blocked.status_code == 429
    assert "Подождите" in blocked.get_data(as_text=True)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        for row in sess.scalars(sa.select(LoginThrottle)):
            if row.blocked_until:
                row.blocked_until -= timedelta(hours=1)
        sess.commit()
    assert login(client).status_code == 302


def test_a_stranger_elsewhere_cannot_lock_the_curator_out(app):
    make_account(app)
    stranger = app.test_client()
    for _ in range(8):
        stranger.environ_base["REMOTE_ADDR"] = "10.9.9.9"
        login(stranger, "kurator", "угадываю пароль куратора")
    curator = app.test_client()
    curator.environ_base["REMOTE_ADDR"] = "127.0.0.5"
    assert login(curator).status_code == 302


def test_logout_makes_a_copied_cookie_useless(app):
    client = signed_in(app)
    copied = client.get_cookie("mentoring_admin", path=ADMIN).value
    t = token(client, f"{ADMIN}/")
    assert client.post(f"{ADMIN}/vyhod/", data={"csrf_token": t}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("mentoring_admin", copied, path=ADMIN)
    assert thief.get(f"{ADMIN}/").status_code == 302


def test_password_change_rotation_invalidates_old_cookies(app):
    client = signed_in(app)
    from mentoring_site.auth.identity import rotate_token

    with app.app_context():
        sess = app.extensions["mentoring"].session()
        rotate_token(sess.scalar(sa.select(Account)))
        sess.commit()
    assert client.get(f"{ADMIN}/").status_code == 302


def test_post_without_csrf_is_refused_with_a_message(app):
    make_account(app)
    client = app.test_client()
    client.get(f"{ADMIN}/vhod/")
    resp = client.post(f"{ADMIN}/vhod/", data={"login": "kurator", "password": PASSWORD})
    assert resp.status_code == 400
    assert "нажмите «Сохранить» ещё раз" in resp.get_data(as_text=True)
    assert client.get_cookie("mentoring_admin", path=ADMIN) is None


def test_next_never_leads_off_site(app):
    make_account(app)
    client = app.test_client()
    t = token(client, f"{ADMIN}/vhod/")
    resp = client.post(f"{ADMIN}/vhod/?next=https://evil.example/", data={
        "csrf_token": t, "login": "kurator", "password": PASSWORD})
    assert resp.headers["Location"] == f"{ADMIN}/"


def test_cross_origin_post_is_refused(app):
    client = signed_in(app)
    t = token(client, f"{ADMIN}/")
    resp = client.post(f"{ADMIN}/vyhod/", data={"csrf_token": t},
                       headers={"Origin": "https://evil.example"})
    assert resp.status_code == 403
