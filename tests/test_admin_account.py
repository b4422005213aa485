"""The curator's own account screen: password change, one-time codes on and off."""

from __future__ import annotations

import html as htmllib
import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_login import LoginManager, UserMixin, login_user

from mentoring_site import Mentoring
from mentoring_site.auth import totp
from mentoring_site.auth.credentials import WRONG_CODE, WRONG_PASSWORD
from mentoring_site.auth.passwords import hash_password, verify_password
from mentoring_site.migrate import upgrade
from mentoring_site.models import Account, AccountRole, AuditEntry, LoginThrottle
from tests.admin_support import ADMIN, PASSWORD, login, signed_in, token

ACCOUNT = f"{ADMIN}/akkaunt/"
NEW = "тихо падает снег на крыши домов"


def account(app) -> Account:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        acc = sess.scalar(sa.select(Account).where(Account.login == "kurator"))
        sess.expunge(acc)
        return acc


def update_account(app, **values) -> None:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        acc = sess.scalar(sa.select(Account).where(Account.login == "kurator"))
        for key, value in values.items():
            setattr(acc, key, value)
        sess.commit()


def journal(app) -> list[AuditEntry]:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        entries = sess.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        sess.expunge_all()
        return entries


def session_cookie(client) -> str:
    return client.get_cookie("mentoring_admin", path=ADMIN).value


def still_works(app, cookie: str) -> bool:
    other = app.test_client()
    other.set_cookie("mentoring_admin", cookie, path=ADMIN)
    return other.get(f"{ADMIN}/").status_code == 200


def change(client, current=PASSWORD, new=NEW, again=None):
    t = token(client, ACCOUNT)
    return client.post(f"{ACCOUNT}parol/", data={
        "csrf_token": t, "current_password": current, "new_password": new,
        "new_password_again": new if again is None else again})


# -- the screen ----------------------------------------------------------------------------


def test_the_header_links_to_the_account_screen(app):
    client = signed_in(app)
    page = client.get(f"{ADMIN}/").get_data(as_text=True)
    assert f'href="{ACCOUNT}"' in page
    html = client.get(ACCOUNT).get_data(as_text=True)
    assert "Сменить пароль" in html and "kurator" in html and "Выключен" in html
    assert "Не короче 15 символов" in html


def test_an_editor_manages_her_own_account_too(app):
    client = signed_in(app, AccountRole.EDITOR, "redaktor")
    assert client.get(ACCOUNT).status_code == 200
    assert client.get(f"{ACCOUNT}kod/vklyuchit/").status_code == 200


# -- password change -----------------------------------------------------------------------


def test_password_change_keeps_this_browser_and_signs_out_every_other_copy(app):
    client = signed_in(app)
    copied = session_cookie(client)
    resp = change(client)
    assert resp.status_code == 302 and resp.headers["Location"] == ACCOUNT
    assert "Пароль изменён" in client.get(ACCOUNT).get_data(as_text=True)
    assert client.get(f"{ADMIN}/").status_code == 200  # re-issued cookie
    assert session_cookie(client) != copied
    assert not still_works(app, copied)
    acc = account(app)
    assert verify_password(acc.password_hash, NEW) and acc.password_hash.startswith("$argon2id$")
    assert login(app.test_client(), "kurator", PASSWORD).status_code == 200  # old one: no
    assert login(app.test_client(), "kurator", NEW).status_code == 302
    # the wrong login just above is told to the owner at the right one, journaled after this
    entry = next(e for e in journal(app) if e.action == "password")
    assert (entry.action, entry.item_kind, entry.item_title) == ("password", "account", "kurator")
    assert entry.changes is None or NEW not in str(entry.changes)
    page = client.get(f"{ADMIN}/zhurnal/").get_data(as_text=True)
    assert "смена пароля: учётная запись — «kurator»" in page


@pytest.mark.parametrize(("current", "new", "again", "field", "text"), [
    ("совсем не мой пароль ни разу", NEW, None, "current_password", WRONG_PASSWORD),
    (PASSWORD, NEW, NEW + "!", "new_password_again", "Пароли не совпадают"),
    (PASSWORD, "кот и пёс", None, "new_password", "не меньше 15"),
    (PASSWORD, "МБОУ «Тестовая школа № 1»", None, "new_password", "легко угадать"),
    (PASSWORD, "123456789012345", None, "new_password", "легко угадать"),
    (PASSWORD, "", None, "new_password", "Придумайте новый пароль"),
])
def test_password_change_refusals_are_tied_to_their_field(app, current, new, again, field,
                                                            text):
    client = signed_in(app)
    before = account(app)
    resp = change(client, current, new, again)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and text in htmllib.unescape(html)
    err = re.search(rf'<p class="a-error" id="pw-{field}-err">([^<]*)</p>', html)
    assert err and text in htmllib.unescape(err.group(1))
    described = re.search(rf'<input[^>]*id="pw-{field}"[^>]*>', html).group(0)
    assert f"pw-{field}-err" in described and 'aria-invalid="true"' in described
    assert not re.search(r'value="[^"]', described)  # a typed password is never sent back
    after = account(app)
    assert (after.password_hash, after.session_token) == (before.password_hash,
                                                          before.session_token)
    assert not journal(app)


def test_wrong_current_passwords_are_throttled(app):
    client = signed_in(app)
    for _ in range(5):
        change(client, current="угадываю пароль куратора снова")
    resp = change(client)  # even the right one waits now
    assert resp.status_code == 429 and "Подождите" in resp.get_data(as_text=True)
    assert verify_password(account(app).password_hash, PASSWORD)
    with app.app_context():
        assert app.extensions["mentoring"].session().scalar(sa.select(LoginThrottle.key))


def test_with_a_second_factor_a_shorter_password_will_do(app):
    client = signed_in(app)
    update_account(app, totp_secret=totp.new_secret())
    assert "Не короче 8 символов" in client.get(ACCOUNT).get_data(as_text=True)
    assert change(client, new="сад у реки").status_code == 302
    assert "не меньше 8" in change(client, current="сад у реки", new="кот").get_data(
        as_text=True)


def test_password_change_without_csrf_changes_nothing(app):
    client = signed_in(app)
    before = account(app)
    resp = client.post(f"{ACCOUNT}parol/", data={
        "current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW})
    assert resp.status_code == 400 and "защитный ключ устарел" in resp.get_data(as_text=True)
    assert account(app).password_hash == before.password_hash
    assert client.get(f"{ADMIN}/").status_code == 200


def test_password_change_is_post_only(app):
    client = signed_in(app)
    assert client.get(f"{ACCOUNT}parol/").status_code == 405


# -- one-time codes on ---------------------------------------------------------------------


def enrol_page(client):
    resp = client.get(f"{ACCOUNT}kod/vklyuchit/")
    html = resp.get_data(as_text=True)
    secret = re.search(r'<code class="a-secret">([A-Z2-7 ]+)</code>', html).group(1)
    enrolment = re.search(r'name="enrolment" type="hidden" value="([^"]+)"', html).group(1)
    return resp, html, secret.replace(" ", ""), enrolment


def enable(client, enrolment, code, password=PASSWORD, csrf=True):
    data = {"enrolment": enrolment, "code": code, "current_password": password}
    if csrf:
        data["csrf_token"] = token(client, ACCOUNT)
    return client.post(f"{ACCOUNT}kod/vklyuchit/", data=data)


def test_enable_page_shows_an_inline_qr_code_and_the_grouped_key(app):
    client = signed_in(app)
    resp, html, secret, _ = enrol_page(client)
    assert resp.status_code == 200
    assert '<svg role="img" aria-label="QR-код' in html and "<img" not in html
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert re.search(r'<code class="a-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', html)
    assert "img-src 'self'" in resp.headers["Content-Security-Policy"]  # no data: needed
    assert account(app).totp_secret is None  # showing saves nothing
    assert enrol_page(client)[2] != secret  # a fresh secret each time


def test_enable_with_a_right_code_saves_the_secret_and_rotates_the_session(app):
    client = signed_in(app)
    copied = session_cookie(client)
    _, _, secret, enrolment = enrol_page(client)
    code = totp.code_at(secret, totp.current_step())
    resp = enable(client, enrolment, f"{code[:3]} {code[3:]}")
    assert resp.status_code == 302 and resp.headers["Location"] == ACCOUNT
    acc = account(app)
    assert acc.totp_secret == secret and acc.totp_last_step is not None
    assert client.get(f"{ADMIN}/").status_code == 200 and not still_works(app, copied)
    html = client.get(ACCOUNT).get_data(as_text=True)
    assert "Включён" in html and "Отключить вход с кодом" in html
    assert client.get(f"{ACCOUNT}kod/vklyuchit/").status_code == 302  # already on
    entry = journal(app)[-1]
    assert (entry.action, entry.item_title) == ("totp_on", "kurator")
    assert secret not in str(entry.changes) and secret[:8] not in str(entry.changes)
    # the confirming code was spent: it cannot sign anyone in
    other = app.test_client()
    login(other)
    t = token(other, f"{ADMIN}/vhod/")
    refused = other.post(f"{ADMIN}/vhod/", data={"csrf_token": t, "code": code})
    assert WRONG_CODE in refused.get_data(as_text=True)


def test_a_wrong_confirming_code_saves_nothing(app):
    client = signed_in(app)
    _, _, secret, enrolment = enrol_page(client)
    right = {totp.code_at(secret, totp.current_step() + d) for d in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)
    resp = enable(client, enrolment, wrong)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and WRONG_CODE in html
    assert 'id="code-err"' in html and f'<code class="a-secret">{totp.grouped(secret)}' in html
    assert account(app).totp_secret is None and not journal(app)


def test_enabling_needs_the_current_password(app):
    client = signed_in(app)
    _, _, secret, enrolment = enrol_page(client)
    resp = enable(client, enrolment, totp.code_at(secret, totp.current_step()),
                  password="чужой пароль от чужого сайта")
    assert WRONG_PASSWORD in resp.get_data(as_text=True)
    assert account(app).totp_secret is None


def test_a_forged_or_foreign_enrolment_is_refused(app):
    client = signed_in(app)
    forged = totp.new_secret()
    resp = enable(client, forged, totp.code_at(forged, totp.current_step()))
    assert "QR-код на странице устарел" in resp.get_data(as_text=True)
    # signed for another account
    other = signed_in(app, AccountRole.EDITOR, "redaktor")
    _, _, secret, enrolment = enrol_page(other)
    resp = enable(client, enrolment, totp.code_at(secret, totp.current_step()))
    assert "устарел" in resp.get_data(as_text=True)
    assert account(app).totp_secret is None


def test_enabling_without_csrf_saves_nothing(app):
    client = signed_in(app)
    _, _, secret, enrolment = enrol_page(client)
    resp = enable(client, enrolment, totp.code_at(secret, totp.current_step()), csrf=False)
    assert resp.status_code == 400
    assert account(app).totp_secret is None


# -- one-time codes off --------------------------------------------------------------------


def disable(client, password=PASSWORD):
    return client.post(f"{ACCOUNT}kod/otklyuchit/", data={
        "csrf_token": token(client, ACCOUNT), "current_password": password})


def test_disable_needs_the_current_password_then_rotates_the_session(app):
    client = signed_in(app)
    update_account(app, totp_secret=totp.new_secret(), totp_last_step=5)
    copied = session_cookie(client)
    resp = disable(client, "не тот пароль совсем не тот")
    assert WRONG_PASSWORD in resp.get_data(as_text=True) and account(app).totp_secret
    resp = disable(client)
    assert resp.status_code == 302
    acc = account(app)
    assert acc.totp_secret is None and acc.totp_last_step is None
    assert client.get(f"{ADMIN}/").status_code == 200 and not still_works(app, copied)
    assert journal(app)[-1].action == "totp_off"
    assert "Выключен" in client.get(ACCOUNT).get_data(as_text=True)


def test_disable_is_refused_while_the_password_is_too_short_without_a_code(app):
    client = signed_in(app)
    short = "сад у реки"
    update_account(app, totp_secret=totp.new_secret(), password_hash=hash_password(short))
    resp = disable(client, short)
    html = htmllib.unescape(resp.get_data(as_text=True))
    assert "не меньше 15" in html and "Сначала смените пароль" in html
    assert 'id="off-current_password-err"' in html
    assert account(app).totp_secret
    assert not journal(app)


def test_disable_without_csrf_changes_nothing(app):
    client = signed_in(app)
    update_account(app, totp_secret=totp.new_secret())
    resp = client.post(f"{ACCOUNT}kod/otklyuchit/", data={"current_password": PASSWORD})
    assert resp.status_code == 400 and account(app).totp_secret


# -- a host with its own users -------------------------------------------------------------


class HostUser(UserMixin):
    id, name = "1", "Завуч"


@pytest.fixture
def host_app(tmp_path):
    app = Flask("host_with_users", instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="host", TESTING=True,
                      MENTORING_DATABASE_URI=f"sqlite:///{tmp_path / 'h.sqlite'}",
                      MENTORING_CURATOR_CHECK=lambda user: True)
    manager = LoginManager(app)
    manager.user_loader(lambda uid: HostUser() if uid == "1" else None)

    @app.get("/login/as/zavuch")
    def host_login():
        login_user(HostUser())
        return "ok"

    Mentoring(app)
    upgrade(app)
    return app


def test_host_users_have_no_account_screen(host_app):
    client = host_app.test_client()
    client.get("/login/as/zavuch")
    assert client.get(f"{ADMIN}/").status_code == 200
    assert "akkaunt" not in client.get(f"{ADMIN}/").get_data(as_text=True)
    for url in (ACCOUNT, f"{ACCOUNT}kod/vklyuchit/"):
        assert client.get(url).status_code == 404, url
    for url in (f"{ACCOUNT}parol/", f"{ACCOUNT}kod/otklyuchit/"):
        assert client.post(url, data={}).status_code == 404, url
