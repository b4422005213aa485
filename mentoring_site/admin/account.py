"""The curator's own account: change the password, turn one-time codes on and off.

Only for the section's own accounts; a host's users manage theirs on the host's site, so
in host mode these screens are 404. Every change rotates the session token and re-issues
this browser's cookie: the curator stays signed in here, every other copy is signed out.
"""

from __future__ import annotations

import hashlib

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from wtforms import HiddenField, PasswordField
from wtforms.validators import InputRequired, Length

from ..auth import throttle, totp
from ..auth.credentials import (
    CredentialError,
    WrongPassword,
    change_password,
    disable_totp,
    enable_totp,
)
from ..auth.identity import host_mode, issue_cookie, known_browser, signer
from ..auth.passwords import MAX_LENGTH, min_length
from ..db import begin_write, session
from ..models import Account, AccountRole
from . import blueprint as bp
from .auth import code_field, too_many
from .forms_base import AdminForm, with_ids
from .guard import requires

#: How long the QR code on the screen stays good for the confirming code.
ENROLMENT_MAX_AGE = 20 * 60
TOO_LONG = f"Пароль длиннее {MAX_LENGTH} символов."


def _password(label: str, required: str, autocomplete: str) -> PasswordField:
    return PasswordField(label, validators=[InputRequired(required), Length(max=MAX_LENGTH,
                                                                             message=TOO_LONG)],
                         render_kw={"autocomplete": autocomplete})


class PasswordForm(AdminForm):
    current_password = _password("Текущий пароль", "Введите текущий пароль.", "current-password")
    new_password = _password("Новый пароль", "Придумайте новый пароль.", "new-password")
    new_password_again = _password("Новый пароль ещё раз", "Повторите новый пароль.",
                                   "new-password")


class TotpOffForm(AdminForm):
    current_password = _password("Текущий пароль", "Введите текущий пароль.", "current-password")


class TotpOnForm(AdminForm):
    enrolment = HiddenField()
    code = code_field()
    current_password = _password("Текущий пароль", "Введите текущий пароль.", "current-password")


def _own_account() -> Account:
    editor = g.mentoring_editor
    if host_mode() or editor.account is None:
        abort(404)
    return editor.account


def _school() -> str:
    return current_app.config["MENTORING_SCHOOL_NAME"]


def _page(account: Account, *, password_form=None, off_form=None, message=None, status=200):
    password_form = with_ids(password_form or PasswordForm(formdata=None), "pw")
    off_form = with_ids(off_form or TotpOffForm(formdata=None), "off")
    shortest = min_length(has_second_factor=bool(account.totp_secret))
    password_form.new_password.description = (
        f"Не короче {shortest} символов. Цифры и знаки не обязательны: удобнее всего "
        "фраза из нескольких слов, например строчка из стихотворения."
    )
    page = render_template("mentoring/admin/account.html", account=account,
                           password_form=password_form, off_form=off_form, message=message)
    return page, status


def _browser(account: Account) -> str:
    """This signed-in browser, for the throttle's per-browser rule: its known-browser id, or
    (the cookie gone) one derived from the session, which only a signed-in browser holds.
    Only this browser's own wrong passwords then hold it back: a stranger's burst against
    the login never delays the curator's password change."""
    known = known_browser(account)
    if known:
        return known
    return "s-" + hashlib.sha256(account.session_token.encode()).hexdigest()[:32]


def _wait(sess, account: Account) -> int:
    return throttle.wait_seconds(sess, account.login, request.remote_addr or "?",
                                 device=_browser(account))


def _refused(form, account, exc: CredentialError, sess) -> None:
    """Tie the refusal to its field; a wrong current password counts like a wrong login
    (from this browser)."""
    if isinstance(exc, WrongPassword):
        throttle.record_failure(sess, account.login, request.remote_addr or "?",
                                device=_browser(account))
    sess.commit()
    getattr(form, exc.field).errors = [exc.message]


def _signed_in_again(account: Account, text: str):
    """The token rotated: this browser gets a cookie with the new one, others are out."""
    flash(text, "ok")
    response = make_response(redirect(url_for("mentoring_admin.account")))
    issue_cookie(response, account)
    return response


@bp.get("/akkaunt/")
@requires(AccountRole.EDITOR)
def account():
    return _page(_own_account())


def _change(account: Account, form, form_key: str, change, done: str):
    """One change from the account page: CSRF, the login throttle (a wrong current password
    counts like a wrong login), the domain function, then this browser's fresh cookie."""
    if not form.validate():
        return _page(account, **{form_key: form}, message=form.csrf_message(),
                     status=400 if form.csrf_failed else 200)
    sess = session()
    begin_write(sess)
    wait = _wait(sess, account)
    if wait:
        return _page(account, **{form_key: form}, message=too_many(wait), status=429)
    try:
        change(sess)
    except CredentialError as exc:
        _refused(form, account, exc, sess)
        return _page(account, **{form_key: form})
    sess.commit()
    return _signed_in_again(account, done)


@bp.post("/akkaunt/parol/")
@requires(AccountRole.EDITOR)
def account_password():
    account, form = _own_account(), PasswordForm()
    return _change(account, form, "password_form", lambda sess: change_password(
        sess, account, current=form.current_password.data, new=form.new_password.data,
        again=form.new_password_again.data, school_name=_school(),
        actor=g.mentoring_editor.label),
        "Пароль изменён. В других браузерах и на других устройствах нужно войти заново.")


@bp.post("/akkaunt/kod/otklyuchit/")
@requires(AccountRole.EDITOR)
def account_totp_off():
    account, form = _own_account(), TotpOffForm()
    return _change(account, form, "off_form", lambda sess: disable_totp(
        sess, account, password=form.current_password.data, school_name=_school(),
        actor=g.mentoring_editor.label),
        "Вход с кодом из приложения отключён.")


def _enrolment_serializer() -> URLSafeTimedSerializer:
    return signer("mentoring-admin-totp-enrolment")


def _sign_enrolment(account: Account, secret: str) -> str:
    """The secret shown on the screen travels in the form, signed and bound to this
    account's session, so nothing is stored until a code proves the phone has it."""
    return _enrolment_serializer().dumps({"a": account.id, "t": account.session_token,
                                          "s": secret})


def _read_enrolment(value: str | None, account: Account) -> str | None:
    try:
        data = _enrolment_serializer().loads(value or "", max_age=ENROLMENT_MAX_AGE)
    except BadSignature:
        return None
    if data.get("a") != account.id or data.get("t") != account.session_token:
        return None
    return str(data.get("s") or "") or None


def qr_svg(uri: str) -> Markup:
    """The QR code as inline SVG: no image request, nothing the CSP would have to allow."""
    import segno  # only on the two-factor screen

    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff",
                                               svgclass="a-qr", lineclass=None, omitsize=True)
    label = "QR-код для приложения-аутентификатора"
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


@bp.route("/akkaunt/kod/vklyuchit/", methods=["GET", "POST"])
@requires(AccountRole.EDITOR)
def account_totp_on():
    account = _own_account()
    if account.totp_secret:
        flash("Вход с кодом из приложения уже включён.", "ok")
        return redirect(url_for("mentoring_admin.account"))
    form = TotpOnForm()
    status, message, secret = 200, None, None
    if request.method == "POST":
        secret = _read_enrolment(form.enrolment.data, account)
        if not form.validate():
            message, status = form.csrf_message(), 400 if form.csrf_failed else 200
        elif secret is None:
            message = ("QR-код на странице устарел. Удалите добавленную запись из приложения, "
                       "отсканируйте новый код ниже и введите код заново.")
        else:
            sess = session()
            begin_write(sess)
            wait = _wait(sess, account)
            if wait:
                message, status = too_many(wait), 429
            else:
                try:
                    enable_totp(sess, account, secret=secret, code=form.code.data,
                                password=form.current_password.data,
                                actor=g.mentoring_editor.label)
                except CredentialError as exc:
                    _refused(form, account, exc, sess)
                else:
                    sess.commit()
                    return _signed_in_again(account, "Вход с кодом из приложения включён. "
                                            "Теперь при входе понадобится и пароль, и код.")
    secret = secret or totp.new_secret()
    form.enrolment.data = _sign_enrolment(account, secret)
    form.code.data = ""
    uri = totp.provisioning_uri(secret, login=account.login, issuer=_school())
    page = render_template("mentoring/admin/totp_enable.html", form=form, message=message,
                           qr=qr_svg(uri), secret=totp.grouped(secret))
    return page, status
