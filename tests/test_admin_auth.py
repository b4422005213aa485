"""Signing in and out of the admin with the section's own accounts."""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa

from mentoring_site.admin.auth import WRONG
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


def test_unknown_user_and_wrong_password_get_the_same_answer(app):
    make_account(app)
    client = app.test_client()
    started = time.perf_counter()
    a = login(client, "kurator", "совсем не тот пароль для входа")
    middle = time.perf_counter()
    b = login(client, "nikto", "совсем не тот пароль для входа")
    ended = time.perf_counter()
    assert a.status_code == b.status_code == 200
    assert WRONG in a.get_data(as_text=True) and WRONG in b.get_data(as_text=True)
    # both verify an argon2id hash: neither answer is an instant "no such user"
    assert (ended - middle) > 0.3 * (middle - started)


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
