"""Sign in and out with the section's own accounts (hosts with users use their own login)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, make_response, redirect, render_template, request, url_for
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from ..db import begin_write, session
from ..models import Account
from ..passwords import hash_password, verify_password
from . import blueprint as bp
from . import throttle
from .forms_base import AdminForm
from .identity import clear_cookie, current_editor, host_mode, issue_cookie, rotate_token

# Verified when the login is unknown, so both answers take the same time.
_DUMMY_HASH = hash_password("mentoring-dummy-password-for-timing")
WRONG = "Неверное имя входа или пароль."


class LoginForm(AdminForm):
    login = StringField("Имя входа", validators=[InputRequired("Введите имя входа."),
                                                  Length(max=100)])
    password = PasswordField("Пароль", validators=[InputRequired("Введите пароль."),
                                                   Length(max=256)])


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
                message = (f"Слишком много неудачных попыток входа. Подождите {wait} с "
                           "и попробуйте снова.")
                status = 429
            else:
                account = sess.scalar(sa.select(Account).where(Account.login == form.login.data))
                ok = verify_password(
                    account.password_hash if account else _DUMMY_HASH, form.password.data
                )
                if account is not None and ok and account.is_active:
                    throttle.record_success(sess, form.login.data, address)
                    sess.commit()
                    response = make_response(redirect(_safe_next(request.args.get("next"))))
                    issue_cookie(response, account)
                    return response
                throttle.record_failure(sess, form.login.data, address)
                sess.commit()
                message = WRONG
            form.password.data = ""
    return render_template("mentoring/admin/login.html", form=form, message=message), status


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
    clear_cookie(response)
    return response
