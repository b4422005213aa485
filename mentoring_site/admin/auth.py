"""Sign in and out with the section's own accounts (hosts with users use their own login).

An account with a second factor signs in in two steps on the same address: the right
password earns only a five-minute «pending» cookie, and the session cookie comes with a
fresh one-time code. Wrong codes count against the same throttle as wrong passwords.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, make_response, redirect, render_template, request, url_for
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from ..auth import throttle, totp
from ..auth.credentials import WRONG_CODE, use_code
from ..auth.identity import (
    PendingExpired,
    clear_cookie,
    clear_pending,
    current_editor,
    host_mode,
    issue_cookie,
    issue_pending,
    pending_account,
    renew_csrf,
    rotate_token,
)
from ..auth.passwords import hash_password, verify_password
from ..db import begin_write, session
from ..models import Account
from . import blueprint as bp
from .forms_base import AdminForm

# Verified when the login is unknown, so both answers take the same time.
_DUMMY_HASH = hash_password("mentoring-dummy-password-for-timing")
WRONG = "Неверное имя входа или пароль."
EXPIRED = "Время на ввод кода истекло. Войдите ещё раз: имя входа, пароль, затем код."


def too_many(wait: int) -> str:
    return f"Слишком много неудачных попыток входа. Подождите {wait} с и попробуйте снова."


class LoginForm(AdminForm):
    login = StringField("Имя входа", validators=[InputRequired("Введите имя входа."),
                                                  Length(max=100)])
    password = PasswordField("Пароль", validators=[InputRequired("Введите пароль."),
                                                   Length(max=256)])


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
    if request.method == "POST":
        if not form.validate():
            message, status = form.csrf_message(), 400 if form.csrf_failed else 200
        else:
            sess = session()
            begin_write(sess)
            address = request.remote_addr or "?"
            wait = throttle.wait_seconds(sess, form.login.data, address)
            if wait:
                message = too_many(wait)
                status = 429
            else:
                account = sess.scalar(sa.select(Account).where(Account.login == form.login.data))
                ok = verify_password(
                    account.password_hash if account else _DUMMY_HASH, form.password.data
                )
                if account is not None and ok and account.is_active and account.totp_secret:
                    # The pair's counter stays: it clears only when the code is right too.
                    sess.commit()
                    return _ask_for_code(account)
                if account is not None and ok and account.is_active:
                    throttle.record_success(sess, form.login.data, address)
                    sess.commit()
                    return _signed_in(account)
                throttle.record_failure(sess, form.login.data, address)
                sess.commit()
                message = WRONG
            form.password.data = ""
    return render_template("mentoring/admin/login.html", form=form, message=message), status


def _signed_in(account: Account):
    """The end of a login: the session cookie, a new CSRF secret, on to the admin."""
    response = make_response(redirect(_safe_next(request.args.get("next"))))
    renew_csrf()
    issue_cookie(response, account)
    return response


def _ask_for_code(account: Account):
    page = render_template("mentoring/admin/login_code.html", form=CodeForm(formdata=None),
                           account=account, message=None)
    response = make_response(page)
    issue_pending(response, account)
    return response


def _start_again():
    page = render_template("mentoring/admin/login.html", form=LoginForm(formdata=None),
                           message=EXPIRED)
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
        wait = throttle.wait_seconds(sess, account.login, address)
        if wait:
            message = too_many(wait)
            status = 429
        elif use_code(sess, account, form.code.data):
            throttle.record_success(sess, account.login, address)
            sess.commit()
            response = _signed_in(account)
            clear_pending(response)
            return response
        else:
            throttle.record_failure(sess, account.login, address)
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
