"""Issue 14, items 1, 3, 5, 9: what an attacker found in signing in.

- a stranger's burst of wrong guesses must not lock the curator out (a known browser or a
  second factor still gets in; the owner hears of the attempts);
- behind a reverse proxy, the addresses and the scheme are the proxy's to tell
  (``MENTORING_TRUSTED_PROXIES``), never a visitor's;
- common passwords, keyboard walks and repetitions are refused, whatever their length;
- the CSRF secret in the host's session is renewed at login and logout.
"""

from __future__ import annotations

import html as htmllib
from importlib import resources

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from mentoring_site import Mentoring
from mentoring_site.admin.auth import WRONG, WRONG_WITH_CODE
from mentoring_site.auth import blocklist, totp
from mentoring_site.auth.identity import KNOWN_COOKIE
from mentoring_site.auth.passwords import password_problems
from mentoring_site.config import ConfigError
from mentoring_site.models import Account, AuditEntry, LoginThrottle
from tests.admin_support import ADMIN, PASSWORD, login, make_account, signed_in, token
from tests.conftest import make_app

SCHOOL = "МБОУ «Тестовая школа № 1»"


# -- item 1: a stranger's burst does not lock the owner out -----------------------------------


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def burst(app, guesses: int = 40) -> int:
    """A stranger's wrong guesses, each from a new address; returns how many were checked."""
    stranger = app.test_client()
    checked = 0
    for n in range(guesses):
        resp = login(from_address(stranger, f"10.0.{n // 200}.{n % 200 + 1}"), "kurator",
                     f"угадываю пароль куратора {n}")
        checked += WRONG in resp.get_data(as_text=True)
    return checked


def known_browser_of_the_owner(app):
    """The curator's own browser: she signed in from it once, then signed out."""
    make_account(app)
    owner = from_address(app.test_client(), "192.0.2.10")
    assert login(owner).status_code == 302
    assert owner.get_cookie(f"{KNOWN_COOKIE}1", path=ADMIN) is not None
    assert owner.post(f"{ADMIN}/vyhod/", data={"csrf_token": token(owner, f"{ADMIN}/")}
                      ).status_code == 302
    return owner


def test_a_burst_from_changing_addresses_holds_strangers_back_not_the_known_browser(app):
    owner = known_browser_of_the_owner(app)
    checked = burst(app)
    assert 0 < checked < 40  # the account's counter did stop the burst
    # An unknown browser with the right password still waits...
    unknown = login(from_address(app.test_client(), "192.0.2.11"))
    assert unknown.status_code == 429 and "Подождите" in unknown.get_data(as_text=True)
    # ...the owner's browser gets in, and is told of the attempts.
    assert login(owner).status_code == 302
    page = owner.get(f"{ADMIN}/").get_data(as_text=True)
    assert f"Неудачных попыток войти под вашим именем после прошлого входа: {checked} " in page
    with app.app_context():
        entry = app.extensions["mentoring"].session().scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "login_failures"))
        assert entry.item_kind == "account" and entry.item_title == "kurator"
        assert f"{checked}, " in str(entry.changes)
    journal = owner.get(f"{ADMIN}/zhurnal/").get_data(as_text=True)
    assert "неудачные попытки входа" in journal
    # told once: the next login says nothing
    owner.post(f"{ADMIN}/vyhod/", data={"csrf_token": token(owner, f"{ADMIN}/")})
    assert login(owner).status_code == 302
    assert "Неудачных попыток" not in owner.get(f"{ADMIN}/").get_data(as_text=True)


def test_the_known_browser_is_held_back_by_its_own_failures(app):
    owner = known_browser_of_the_owner(app)
    for _ in range(5):
        assert WRONG in login(owner, "kurator", "опечатка в пароле куратора").get_data(
            as_text=True)
    assert login(owner).status_code == 429


def test_the_known_browser_cookie_is_signed_long_lived_and_strict(app):
    make_account(app)
    client = app.test_client()
    t = token(client, f"https://localhost{ADMIN}/vhod/")
    resp = client.post(f"https://localhost{ADMIN}/vhod/", data={
        "csrf_token": t, "login": "kurator", "password": PASSWORD})
    known = next(c for c in resp.headers.getlist("Set-Cookie")
                 if c.startswith(f"{KNOWN_COOKIE}1="))
    for part in ("HttpOnly", "SameSite=Lax", "Secure", f"Path={ADMIN}", "Max-Age=31536000"):
        assert part in known


def test_a_forged_known_browser_cookie_is_a_stranger(app):
    make_account(app)
    burst(app)
    forger = app.test_client()
    forger.set_cookie(f"{KNOWN_COOKIE}1", "eyJhIjoxLCJuIjoieCJ9.forged.sig", path=ADMIN)
    assert login(forger).status_code == 429


def test_with_a_second_factor_password_and_code_together_get_in_while_strangers_wait(app):
    make_account(app)
    secret = totp.new_secret()
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.scalar(sa.select(Account)).totp_secret = secret
        sess.commit()
    burst(app)
    owner = from_address(app.test_client(), "192.0.2.12")
    waiting = login(owner)
    assert waiting.status_code == 429
    assert 'name="one_time_code"' in waiting.get_data(as_text=True)

    def with_code(password, code):
        t = token(owner, f"{ADMIN}/vhod/")
        return owner.post(f"{ADMIN}/vhod/", data={
            "csrf_token": t, "login": "kurator", "password": password, "one_time_code": code})

    right_code = totp.code_at(secret, totp.current_step())
    wrong_code = f"{(int(right_code) + 1) % 1_000_000:06d}"
    # one answer for any mistake: a right password alone tells nothing
    a = with_code(PASSWORD, wrong_code).get_data(as_text=True)
    b = with_code("угадываю пароль куратора", right_code).get_data(as_text=True)
    assert WRONG_WITH_CODE in a and WRONG_WITH_CODE in b
    assert with_code(PASSWORD, right_code).status_code == 302


# -- item 5: the password blocklist ----------------------------------------------------------


def test_the_blocklist_is_a_real_list_shipped_as_package_data():
    shipped = resources.files("mentoring_site.auth").joinpath(blocklist.LIST_FILE)
    assert shipped.is_file()
    common = blocklist.common_passwords()
    assert len(common) >= 10_000
    assert {"password", "qwerty", "iloveyou", "123456789"} <= common


@pytest.mark.parametrize(("password", "reason"), [
    ("qwerty1234567890", blocklist.COMMON),  # the three
    ("abcdefghijklmnop", blocklist.KEYBOARD),
    ("1q2w3e4r5t6y7u8i", blocklist.KEYBOARD),
    ("йцукенгшщзхъфыва", blocklist.KEYBOARD),  # the Russian rows
    ("ЯЧСМИТЬБЮ фывапролджэ", blocklist.KEYBOARD),
    ("!QAZ2wsx3edc4rfv", blocklist.KEYBOARD),  # columns
    ("0987654321poiuytrewq", blocklist.KEYBOARD),  # backwards
    ("zyxwvutsrqponmlk", blocklist.KEYBOARD),
    ("97531 абвгдеёжзий", blocklist.KEYBOARD),
    ("ааааааааааааааааа", blocklist.REPEATED),
    ("котикотикотикотик", blocklist.REPEATED),
    ("ромашкаромашка2024", blocklist.REPEATED),
    ("пароль 2024 пароль", blocklist.OWN),
    ("Пароль!!2024", blocklist.COMMON),  # «gfhjkm» is on the list: the other layout counts
    ("Sunshine!2024", blocklist.COMMON),  # a list entry with digits around
    ("наставничество 2024", blocklist.OWN),
    ("Тестовая школа 12345", blocklist.OWN),
    (SCHOOL, blocklist.OWN),
    ("kurator 1234567890", blocklist.OWN),  # the login, then a row of keys
])
def test_easy_passwords_are_refused_saying_why(password, reason):
    problems = password_problems(password, login="kurator", school_name=SCHOOL)
    assert reason in problems


def test_12345678_is_refused_with_a_second_factor_too():
    assert blocklist.COMMON in password_problems("12345678", has_second_factor=True)
    assert blocklist.KEYBOARD in password_problems("87654321", has_second_factor=True)


@pytest.mark.parametrize("password", [
    PASSWORD, "белая берёза под моим окном", "correct horse battery staple",
    "тихо падает снег на крыши домов", "Пусть всегда будет солнце 1983",
])
def test_passphrases_still_pass(password):
    assert password_problems(password, login="kurator", school_name=SCHOOL) == []


def test_the_list_is_read_once():
    assert blocklist.common_passwords() is blocklist.common_passwords()


def test_the_password_form_says_why_a_walk_is_refused(app):
    client = signed_in(app)
    t = token(client, f"{ADMIN}/akkaunt/")
    walk = "1q2w3e4r5t6y7u8i9o0p"
    resp = client.post(f"{ADMIN}/akkaunt/parol/", data={
        "csrf_token": t, "current_password": PASSWORD, "new_password": walk,
        "new_password_again": walk})
    assert resp.status_code == 200
    assert blocklist.KEYBOARD in htmllib.unescape(resp.get_data(as_text=True))


# -- item 9: the CSRF secret is renewed at login and logout ----------------------------------


def _csrf_secret(client) -> str | None:
    with client.session_transaction() as host_session:
        return host_session.get("csrf_token")


def test_login_renews_the_csrf_secret_so_a_planted_token_stops_working(app):
    make_account(app)
    victim = app.test_client()
    # The attacker's own session cookie, planted in the victim's browser: he knows its tokens.
    planted = token(victim, f"{ADMIN}/vhod/")
    before = _csrf_secret(victim)
    assert login(victim).status_code == 302
    assert _csrf_secret(victim) != before
    forged = victim.post(f"{ADMIN}/vyhod/", data={"csrf_token": planted})
    assert forged.headers["Location"] == f"{ADMIN}/"  # refused: still signed in
    assert victim.get(f"{ADMIN}/").status_code == 200


def test_logout_renews_the_csrf_secret(app):
    client = signed_in(app)
    old = token(client, f"{ADMIN}/")
    before = _csrf_secret(client)
    assert client.post(f"{ADMIN}/vyhod/", data={"csrf_token": old}).status_code == 302
    assert _csrf_secret(client) != before
    resp = client.post(f"{ADMIN}/vhod/", data={"csrf_token": old, "login": "kurator",
                                                "password": PASSWORD})
    assert resp.status_code == 400  # the old token is dead


# -- item 3: trusted proxies -----------------------------------------------------------------

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


@pytest.fixture
def proxied_app(database_uri, tmp_path):
    """A site behind one reverse proxy (nginx), as its settings say."""
    app = make_app(database_uri, tmp_path, MENTORING_TRUSTED_PROXIES=1)
    yield app
    app.extensions["mentoring"].engine.dispose()


def login_via(client, password=PASSWORD, **headers):
    t = token(client, f"{ADMIN}/vhod/")
    return client.post(f"{ADMIN}/vhod/", headers=headers, data={
        "csrf_token": t, "login": "kurator", "password": password})


def throttle_keys(app) -> set[str]:
    with app.app_context():
        return set(app.extensions["mentoring"].session().scalars(sa.select(LoginThrottle.key)))


def test_without_trusted_proxies_forwarded_headers_are_ignored(app):
    make_account(app)
    resp = login_via(app.test_client(), "неверный пароль куратора", **FORWARDED)
    assert WRONG in resp.get_data(as_text=True)
    assert "ip:127.0.0.1" in throttle_keys(app)
    assert not any("203.0.113.7" in key for key in throttle_keys(app))
    signed = login_via(app.test_client(), **FORWARDED)
    assert signed.status_code == 302 and "Secure" not in signed.headers["Set-Cookie"]


def test_behind_a_trusted_proxy_the_throttle_sees_the_visitor(proxied_app):
    make_account(proxied_app)
    stranger = proxied_app.test_client()
    for _ in range(8):
        login_via(stranger, "угадываю пароль куратора", **{"X-Forwarded-For": "203.0.113.7"})
    keys = throttle_keys(proxied_app)
    assert "ip:203.0.113.7" in keys and "ip:127.0.0.1" not in keys
    # The curator comes through the same proxy from her own address: not locked out.
    curator = proxied_app.test_client()
    resp = login_via(curator, **{"X-Forwarded-For": "198.51.100.20"})
    assert resp.status_code == 302


def test_behind_a_trusted_proxy_the_admin_cookie_stays_secure(proxied_app):
    make_account(proxied_app)
    resp = login_via(proxied_app.test_client(), **FORWARDED)
    assert resp.status_code == 302
    cookies = resp.headers.getlist("Set-Cookie")
    admin = next(c for c in cookies if c.startswith("mentoring_admin="))
    assert "Secure" in admin and "HttpOnly" in admin


def test_a_proxy_fix_of_the_host_is_not_doubled(tmp_path):
    host = Flask("host", instance_path=str(tmp_path))
    host.config.update(SECRET_KEY="x", MENTORING_TRUSTED_PROXIES=1,
                       MENTORING_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite'}")
    own = host.wsgi_app = ProxyFix(host.wsgi_app, x_for=1)  # type: ignore[method-assign]
    Mentoring(host)
    assert host.wsgi_app is own
    host.extensions["mentoring"].engine.dispose()


@pytest.mark.parametrize("value", [-1, 11, True, "1", 1.0, None])
def test_trusted_proxies_must_be_a_small_count(tmp_path, value):
    with pytest.raises(ConfigError, match="MENTORING_TRUSTED_PROXIES"):
        make_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path, MENTORING_TRUSTED_PROXIES=value)


def test_the_demo_passphrase_never_trips_the_blocklist(monkeypatch):
    """Four words drawn at random could repeat («урок мел урок мел»): the demo draws again."""
    from mentoring_site import demo

    draws = iter(["урок", "мел", "урок", "мел", "берёза", "тетрадь", "звонок", "глобус"])
    monkeypatch.setattr(demo.secrets, "choice", lambda _words: next(draws))
    assert demo._passphrase() == "берёза тетрадь звонок глобус"
