"""Sign in and out with the section's own accounts (hosts with users use their own login).

An account with a second factor signs in in two steps on the same address: the right
password earns only a five-minute «pending» cookie, and the session cookie comes with a
fresh one-time code. Wrong codes count against the same throttle as wrong passwords.

A stranger's wrong guesses hold strangers back, never the owner: a browser she has signed
in from before is held back only by its own failures, and with a second factor she may type
the password and the code together while strangers wait (both checked, one answer for any
mistake, so nothing is learned of the password alone). After signing in she is told how many
wrong attempts there were since her last visit, and the journal keeps it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from .. import audit, clock
from ..auth import throttle, totp
from ..auth.credentials import WRONG_CODE, use_code
from ..auth.identity import (
    PendingExpired,
    clear_cookie,
    clear_pending,
    current_editor,
    host_mode,
    issue_cookie,
    issue_known_browser,
    issue_pending,
    known_browser,
    pending_account,
    renew_csrf,
    rotate_token,
)
from ..auth.passwords import dummy_hash, verify_password
from ..db import begin_write, session
from ..models import Account
from . import blueprint as bp
from .forms_base import AdminForm

WRONG = "Неверное имя входа или пароль."
WRONG_WITH_CODE = "Неверное имя входа, пароль или код из приложения."
EXPIRED = "Время на ввод кода истекло. Войдите ещё раз: имя входа, пароль, затем код."
#: Kinds of the throttle that hold back a login with a one-time code from an unknown browser:
#: its own address, and wrong codes after a right password (strangers cannot add to either).
WITH_CODE = ("pair", "code")


def too_many(wait: int) -> str:
    return (f"Слишком много неудачных попыток входа. Подождите {wait} с и попробуйте снова. "
            "Если вы уже входили с этого браузера, ваш верный пароль подойдёт и сейчас; "
            "если у вас включён вход с кодом, введите пароль вместе с кодом из приложения.")


class LoginForm(AdminForm):
    login = StringField("Имя входа", validators=[InputRequired("Введите имя входа."),
                                                  Length(max=100)])
    password = PasswordField("Пароль", validators=[InputRequired("Введите пароль."),
                                                   Length(max=256)])
    one_time_code = StringField(
        "Код из приложения (если вход с кодом включён)",
        description="Шесть цифр, которые сейчас показывает приложение на телефоне.",
        validators=[Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8},
    )


def code_field() -> StringField:
    """Six digits from the phone; the numeric keyboard and one-time-code autofill on phones."""
    return StringField(
        "Код из приложения",
        description="Шесть цифр, которые сейчас показывает приложение на телефоне.",
        validators=[InputRequired("Введите код из приложения."), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8},
    )


class CodeForm(AdminForm):
    code = code_field()


def _safe_next(target: str | None) -> str:
    """Only a path inside our admin: never an open redirect."""
    prefix = url_for("mentoring_admin.dashboard")
    if target and target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return prefix


@bp.route("/vhod/", methods=["GET", "POST"])
def login():
    if host_mode():
        abort(404)
    if request.method == "POST" and "code" in request.form:
        return _code_step()
    form = LoginForm()
    status = 200
    message = None
    with_code = bool(form.one_time_code.data)
    if request.method == "POST":
        if not form.validate():
            message, status = form.csrf_message(), 400 if form.csrf_failed else 200
        else:
            sess = session()
            begin_write(sess)
            address = request.remote_addr or "?"
            account = sess.scalar(sa.select(Account).where(Account.login == form.login.data))
            browser = known_browser(account) if account is not None else None
            if with_code:
                return _password_and_code(sess, form, account, address, browser)
            wait = throttle.wait_seconds(sess, form.login.data, address, device=browser)
            if wait:
                message, status, with_code = too_many(wait), 429, True
            else:
                dummy = dummy_hash()  # asked for every login: its first making costs all alike
                ok = verify_password(
                    account.password_hash if account else dummy, form.password.data
                )
                if account is not None and ok and account.is_active and account.totp_secret:
                    # The pair's counter stays: it clears only when the code is right too.
                    sess.commit()
                    return _ask_for_code(account)
                if account is not None and ok and account.is_active:
                    throttle.record_success(sess, form.login.data, address, device=browser)
                    return _signed_in(sess, account, browser)
                throttle.record_failure(sess, form.login.data, address, device=browser)
                sess.commit()
                message = WRONG
            form.password.data = ""
    return _login_page(form, message, status, with_code)


def _login_page(form: LoginForm, message: str | None, status: int, with_code: bool):
    form.one_time_code.data = ""
    return render_template("mentoring/admin/login.html", form=form, message=message,
                           with_code=with_code), status


def _password_and_code(sess: Session, form: LoginForm, account: Account | None, address: str,
                       browser: str | None):
    """Password and code in one step: lets the owner in while strangers are held back.

    Every mistake gets the same answer, so a right password alone tells nothing; the
    password is checked first (the same work for any login), the code only after it."""
    login_name, password = form.login.data, form.password.data
    form.password.data = ""
    wait = throttle.wait_seconds(sess, login_name, address, device=browser, kinds=WITH_CODE)
    if wait:
        return _login_page(form, too_many(wait), 429, True)
    dummy = dummy_hash()  # asked for every login: its first making costs all alike
    ok = verify_password(account.password_hash if account else dummy, password)
    right = account is not None and ok and account.is_active
    if right and account is not None and use_code(sess, account, form.one_time_code.data):
        throttle.record_success(sess, login_name, address, device=browser)
        return _signed_in(sess, account, browser)
    throttle.record_failure(sess, login_name, address, device=browser, wrong_code=right)
    sess.commit()
    return _login_page(form, WRONG_WITH_CODE, 200, True)


def _signed_in(sess: Session, account: Account, browser: str | None):
    """The end of a login: what happened meanwhile told, the session cookie, the browser
    known for a year more, a new CSRF secret, on to the admin."""
    tally = throttle.take_tally(sess, account.login)
    told = _attempts_told(account, tally) if tally is not None else None
    sess.commit()
    response = make_response(redirect(_safe_next(request.args.get("next"))))
    renew_csrf()
    issue_cookie(response, account)
    issue_known_browser(response, account, browser)
    if told:
        flash(told, "error")  # marked like a warning: the owner should read it
    return response


def _attempts_told(account: Account, tally: throttle.Tally) -> str:
    """The flash for the owner and an entry in the journal: how many, from when to when."""
    first, last = clock.to_local(tally.first), clock.to_local(tally.last)
    when = (f"{first:%d.%m.%Y %H:%M}" if f"{first:%Y%m%d%H%M}" == f"{last:%Y%m%d%H%M}"
            else f"с {first:%d.%m.%Y %H:%M} по {last:%d.%m.%Y %H:%M}")
    entry = audit.record(session(), actor=account.display_name or account.login,
                         action="login_failures", kind="account", obj=account,
                         changes={"неудачные попытки входа": [None, f"{tally.failures}, {when}"]})
    entry.item_title = account.login
    return (f"Неудачных попыток войти под вашим именем после прошлого входа: {tally.failures} "
            f"({when}). Если это были не вы и пароль мог узнать кто-то ещё, смените его "
            "в «Учётной записи».")


def _ask_for_code(account: Account):
    page = render_template("mentoring/admin/login_code.html", form=CodeForm(formdata=None),
                           account=account, message=None)
    response = make_response(page)
    issue_pending(response, account)
    return response


def _start_again():
    page = render_template("mentoring/admin/login.html", form=LoginForm(formdata=None),
                           message=EXPIRED, with_code=False)
    response = make_response(page)
    clear_pending(response)
    return response


def _code_step():
    """The second step: the account comes from the pending cookie, never from the form."""
    form = CodeForm()
    try:
        account = pending_account()
    except PendingExpired:
        return _start_again()
    status, message = 200, None
    if not form.validate():
        message, status = form.csrf_message(), 400 if form.csrf_failed else 200
    elif totp.normalize_code(form.code.data) is None:
        form.code.errors = ["Код — это шесть цифр из приложения, например 123 456."]
    else:
        sess = session()
        token = account.session_token
        begin_write(sess)
        sess.refresh(account)  # a logout or password change meanwhile voids this login
        if account.session_token != token or not account.totp_secret:
            return _start_again()
        address = request.remote_addr or "?"
        browser = known_browser(account)
        # The pending cookie proves the password: strangers' failures do not hold this back.
        wait = throttle.wait_seconds(sess, account.login, address, device=browser,
                                     kinds=WITH_CODE)
        if wait:
            message = too_many(wait)
            status = 429
        elif use_code(sess, account, form.code.data):
            throttle.record_success(sess, account.login, address, device=browser)
            response = _signed_in(sess, account, browser)
            clear_pending(response)
            return response
        else:
            throttle.record_failure(sess, account.login, address, device=browser,
                                    wrong_code=True)
            sess.commit()
            form.code.errors = [WRONG_CODE]
    form.code.data = ""
    page = render_template("mentoring/admin/login_code.html", form=form, account=account,
                           message=message)
    return page, status


class LogoutForm(AdminForm):
    pass


@bp.post("/vyhod/")
def logout():
    form = LogoutForm()
    editor = current_editor()
    if not form.validate():
        return redirect(url_for("mentoring_admin.dashboard"))
    response = make_response(redirect(url_for("mentoring_admin.login")))
    if editor is not None and editor.account is not None:
        sess = session()
        account = sess.get(Account, editor.account.id)
        rotate_token(account)
        sess.commit()
    renew_csrf()
    clear_cookie(response)
    return response
