"""One-time codes (RFC 6238) and signing in with them: vectors, the second step, replays,
an expired step, and the throttle that counts wrong codes like wrong passwords."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import attributes

from mentoring_site.admin.auth import EXPIRED
from mentoring_site.auth import identity, totp
from mentoring_site.auth.credentials import WRONG_CODE, use_code
from mentoring_site.models import Account
from tests.admin_support import _TOKEN, ADMIN, login, make_account

# RFC 6238, appendix B: the SHA1 rows (8 digits, key "12345678901234567890").
RFC_KEY = b"12345678901234567890"
RFC_VECTORS = [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
               (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")]
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of RFC_KEY


@pytest.mark.parametrize(("now", "expected"), RFC_VECTORS)
def test_rfc_6238_sha1_vectors(now, expected):
    step = totp.current_step(now)
    assert totp.hotp(RFC_KEY, step, digits=8) == expected
    # our six digits are the last six of the same number
    assert totp.code_at(RFC_SECRET, step) == expected[-6:]
    assert totp.verify(RFC_SECRET, expected[-6:], last_step=None, now=now) == step


def test_base32_secret_matches_the_rfc_key_and_new_secrets_have_160_bits():
    assert totp.secret_bytes(RFC_SECRET) == RFC_KEY
    assert totp.secret_bytes(totp.grouped(RFC_SECRET).lower()) == RFC_KEY
    secret = totp.new_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret) and len(totp.secret_bytes(secret)) == 20
    assert secret != totp.new_secret()
    assert totp.grouped("ABCDEFGHIJKL") == "ABCD EFGH IJKL"


def test_verify_window_replay_and_format():
    now = 1_700_000_000.0
    step = totp.current_step(now)
    code = totp.code_at(RFC_SECRET, step)
    spaced = f"{code[:3]} {code[3:]}"
    assert totp.verify(RFC_SECRET, spaced, last_step=None, now=now) == step
    assert totp.verify(RFC_SECRET, f"{code[:3]}-{code[3:]}", last_step=None, now=now) == step
    # one step either side for a drifting phone clock, not two
    assert totp.verify(RFC_SECRET, code, last_step=None, now=now + 30) == step
    assert totp.verify(RFC_SECRET, code, last_step=None, now=now - 30) == step
    assert totp.verify(RFC_SECRET, code, last_step=None, now=now + 60) is None
    # a used step, or any step before it, never again
    assert totp.verify(RFC_SECRET, code, last_step=step, now=now) is None
    earlier = totp.code_at(RFC_SECRET, step - 1)
    assert totp.verify(RFC_SECRET, earlier, last_step=step, now=now) is None
    later = totp.code_at(RFC_SECRET, step + 1)
    assert totp.verify(RFC_SECRET, later, last_step=step, now=now) == step + 1
    for bad in ("", "12345", "1234567", "12a456", "١٢٣٤٥٦"):
        assert totp.verify(RFC_SECRET, bad, last_step=None, now=now) is None


def test_provisioning_uri_is_quoted_and_names_the_school():
    uri = totp.provisioning_uri(RFC_SECRET, login="zavuch", issuer="МБОУ «СОШ № 7»: Липки")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert " " not in uri and "«" not in uri
    issuer, login_name = unquote(parts.path[1:]).split(":")
    assert (issuer, login_name) == ("МБОУ «СОШ № 7»  Липки", "zavuch")
    query = parse_qs(parts.query)
    assert query["secret"] == [RFC_SECRET] and query["issuer"] == [issuer]
    assert query["digits"] == ["6"] and query["period"] == ["30"]
    assert query["algorithm"] == ["SHA1"]


# -- signing in with a code ----------------------------------------------------------------


SECRET = totp.new_secret()


def with_second_factor(app, login_name="kurator", secret=SECRET) -> None:
    make_account(app, login_name)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        account = sess.scalar(sa.select(Account).where(Account.login == login_name))
        account.totp_secret = secret
        sess.commit()


def now_code(offset: int = 0, secret: str = SECRET) -> str:
    return totp.code_at(secret, totp.current_step() + offset)


def send_code(client, code: str, page=None, query: str = ""):
    """The second step: the CSRF token from the code page the password step returned."""
    html = (page or client.get(f"{ADMIN}/vhod/")).get_data(as_text=True)
    match = _TOKEN.search(html)
    return client.post(f"{ADMIN}/vhod/{query}",
                       data={"csrf_token": match.group(1) or match.group(2), "code": code})


def password_step(client):
    page = login(client)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    assert "Код из приложения" in html and 'autocomplete="one-time-code"' in html
    return page


def last_step(app) -> int | None:
    with app.app_context():
        return app.extensions["mentoring"].session().scalar(sa.select(Account.totp_last_step))


def test_right_password_alone_opens_nothing(app):
    with_second_factor(app)
    client = app.test_client()
    password_step(client)
    assert client.get_cookie("mentoring_admin", path=ADMIN) is None
    pending = client.get_cookie(identity.PENDING_COOKIE, path=ADMIN)
    assert pending is not None and pending.http_only
    assert client.get(f"{ADMIN}/").status_code == 302
    # the pending cookie cannot stand in for the session cookie
    thief = app.test_client()
    thief.set_cookie(identity.COOKIE, pending.value, path=ADMIN)
    assert thief.get(f"{ADMIN}/").status_code == 302


def test_code_with_a_space_signs_in_and_goes_to_next(app):
    with_second_factor(app)
    client = app.test_client()
    page = password_step(client)
    code = now_code()
    resp = send_code(client, f"{code[:3]} {code[3:]}", page)
    assert resp.status_code == 302 and resp.headers["Location"] == f"{ADMIN}/"
    assert client.get_cookie(identity.PENDING_COOKIE, path=ADMIN) is None
    assert client.get(f"{ADMIN}/").status_code == 200
    assert last_step(app) is not None


def test_next_survives_the_second_step(app):
    with_second_factor(app)
    client = app.test_client()
    html = client.get(f"{ADMIN}/vhod/?next={ADMIN}/novosti/").get_data(as_text=True)
    t = _TOKEN.search(html).group(1)
    page = client.post(f"{ADMIN}/vhod/?next={ADMIN}/novosti/",
                       data={"csrf_token": t, "login": "kurator",
                             "password": "зимнее утро над рекой туман"})
    resp = send_code(client, now_code(), page, query=f"?next={ADMIN}/novosti/")
    assert resp.headers["Location"] == f"{ADMIN}/novosti/"


def test_wrong_code_is_refused_at_the_field(app):
    with_second_factor(app)
    client = app.test_client()
    page = password_step(client)
    wrong = f"{(int(now_code()) + 1) % 1_000_000:06d}"
    others = {now_code(-1), now_code(1)}
    if wrong in others:  # astronomically unlikely, but a test must not flicker
        wrong = f"{(int(wrong) + 7) % 1_000_000:06d}"
    resp = send_code(client, wrong, page)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and WRONG_CODE in html
    assert 'aria-describedby="code-hint code-err"' in html and 'aria-invalid="true"' in html
    assert client.get(f"{ADMIN}/").status_code == 302
    assert last_step(app) is None


def test_malformed_code_is_explained_and_not_counted(app):
    with_second_factor(app)
    client = app.test_client()
    page = password_step(client)
    resp = send_code(client, "12ab56", page)
    assert "шесть цифр" in resp.get_data(as_text=True)
    with app.app_context():
        from mentoring_site.models import LoginThrottle

        sess = app.extensions["mentoring"].session()
        assert not sess.scalars(sa.select(LoginThrottle)).all()


@pytest.mark.both_databases
def test_a_used_code_cannot_be_used_again(app):
    with_second_factor(app)
    code = now_code()
    first = app.test_client()
    assert send_code(first, code, password_step(first)).status_code == 302
    # someone who saw the code over the curator's shoulder, a minute later
    second = app.test_client()
    resp = send_code(second, code, password_step(second))
    assert resp.status_code == 200 and WRONG_CODE in resp.get_data(as_text=True)
    assert second.get_cookie("mentoring_admin", path=ADMIN) is None
    # and the previous step's code is no good either, but the next one is
    assert WRONG_CODE in send_code(second, now_code(-1)).get_data(as_text=True)
    assert send_code(second, now_code(1)).status_code == 302


@pytest.mark.both_databases
def test_two_racing_requests_cannot_spend_one_code(app):
    """The stored step is checked by the UPDATE itself, not only by what was read."""
    with_second_factor(app)
    code = now_code()
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        account = sess.scalar(sa.select(Account))
        assert use_code(sess, account, code)
        sess.commit()
        stale = account.totp_last_step
        # as if this request had read the row before the other one wrote it
        attributes.set_committed_value(account, "totp_last_step", None)
        assert not use_code(sess, account, code)
        sess.rollback()
        assert sess.scalar(sa.select(Account.totp_last_step)) == stale


def test_pending_login_expires(app, monkeypatch):
    with_second_factor(app)
    client = app.test_client()
    page = password_step(client)
    monkeypatch.setattr(identity, "PENDING_MAX_AGE", -1)
    resp = send_code(client, now_code(), page)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and EXPIRED in html and 'name="password"' in html
    assert client.get_cookie("mentoring_admin", path=ADMIN) is None
    assert client.get_cookie(identity.PENDING_COOKIE, path=ADMIN) is None
    assert last_step(app) is None


def test_pending_login_dies_with_the_session_token(app):
    with_second_factor(app)
    client = app.test_client()
    page = password_step(client)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        identity.rotate_token(sess.scalar(sa.select(Account)))  # a password change elsewhere
        sess.commit()
    assert EXPIRED in send_code(client, now_code(), page).get_data(as_text=True)


def test_code_without_a_pending_login_is_refused(app):
    with_second_factor(app)
    client = app.test_client()
    resp = send_code(client, now_code())
    assert EXPIRED in resp.get_data(as_text=True)
    assert client.get_cookie("mentoring_admin", path=ADMIN) is None


def test_code_step_without_csrf_is_refused(app):
    with_second_factor(app)
    client = app.test_client()
    password_step(client)
    resp = client.post(f"{ADMIN}/vhod/", data={"code": now_code()})
    assert resp.status_code == 400
    assert client.get_cookie("mentoring_admin", path=ADMIN) is None
    assert last_step(app) is None


def test_code_guesses_are_throttled_like_passwords(app):
    with_second_factor(app)
    client = app.test_client()
    page = password_step(client)
    right = {now_code(-1), now_code(), now_code(1)}
    guesses = (f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)
    for _ in range(3):
        assert WRONG_CODE in send_code(client, next(guesses), page).get_data(as_text=True)
    # typing the password again does not clear the count
    page = password_step(client)
    for _ in range(2):
        send_code(client, next(guesses), page)
    blocked = send_code(client, now_code(), page)  # even the right code waits
    assert blocked.status_code == 429 and "Подождите" in blocked.get_data(as_text=True)
    assert client.get_cookie("mentoring_admin", path=ADMIN) is None
    assert login(client).status_code == 429  # and so does the password step
