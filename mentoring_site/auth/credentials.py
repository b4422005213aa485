"""Accounts and what a curator may do with her own: create one (the CLI, the demo and
the tests all go through ``create_account``, so every account is checked the same way),
change the password, turn one-time codes from a phone app on and off, spend a code.

Plain functions on a session and an ``Account``; the admin's views only parse forms and
call them. Each change rotates the account's session token (every copy of the old cookie
stops working) and is written to the audit log, never with a secret or a hash in it.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from .. import audit
from ..db import BadText, check_text
from ..models import Account, AccountRole
from . import totp
from .passwords import hash_password, password_problems, verify_password

WRONG_PASSWORD = "Текущий пароль введён неверно."
WRONG_CODE = ("Код не подошёл. Проверьте, что время на телефоне установлено верно, "
              "и введите код, который приложение показывает сейчас.")


class CredentialError(Exception):
    """A refusal tied to one field of the form that asked for it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class WrongPassword(CredentialError):
    """The current password was wrong: counts against the login throttle like a login."""

    def __init__(self):
        super().__init__("current_password", WRONG_PASSWORD)


def create_account(sess: Session, *, login: str, password: str, display_name: str = "",
                   role: AccountRole | str = AccountRole.CURATOR, totp_secret: str | None = None,
                   school_name: str = "") -> Account:
    """A new curator's or editor's account, added and flushed (the caller commits).

    The password must pass ``password_problems`` (a shorter one will do with
    ``totp_secret``, the key of one-time codes); the login must be new. Raises
    ``CredentialError`` naming ``"login"`` or ``"password"``.
    """
    try:
        check_text(login, "login")
        check_text(display_name, "display_name")
    except BadText as exc:
        raise CredentialError(exc.field, str(exc)) from exc
    if not login.strip():
        raise CredentialError("login", "Укажите имя для входа.")
    problems = password_problems(password, login=login, school_name=school_name,
                                 has_second_factor=bool(totp_secret))
    if problems:
        raise CredentialError("password", " ".join(problems))
    if sess.scalar(sa.select(Account.id).where(Account.login == login)):
        raise CredentialError("login", f"Учётная запись «{login}» уже есть.")
    account = Account(login=login, display_name=display_name or login, role=AccountRole(role),
                      password_hash=hash_password(password), totp_secret=totp_secret,
                      session_token=secrets.token_hex(32))
    sess.add(account)
    sess.flush()
    return account


def rotate_session_token(account: Account) -> None:
    """Every cookie issued so far stops working (logout, password change, second factor)."""
    account.session_token = secrets.token_hex(32)


def use_code(sess: Session, account: Account, code: str, *, now: float | None = None) -> bool:
    """Spend a one-time code: True once per step, never again for it or an earlier one.

    The step is stored by a conditional UPDATE, so two requests racing with the same
    code cannot both succeed, whatever the database's isolation level.
    """
    if not account.totp_secret:
        return False
    step = totp.verify(account.totp_secret, code, last_step=account.totp_last_step, now=now)
    if step is None:
        return False
    stale = sa.or_(Account.totp_last_step.is_(None), Account.totp_last_step < step)
    result: CursorResult[Any] = sess.execute(  # type: ignore[assignment]  # an UPDATE's result
        sa.update(Account).where(Account.id == account.id, stale).values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    account.totp_last_step = step
    return True


def _log(sess: Session, account: Account, *, actor: str, action: str,
         changes: dict | None = None) -> None:
    entry = audit.record(sess, actor=actor, action=action, kind="account", obj=account,
                         changes=changes)
    entry.item_title = account.login


def change_password(sess: Session, account: Account, *, current: str, new: str, again: str,
                    school_name: str, actor: str) -> None:
    if not verify_password(account.password_hash, current):
        raise WrongPassword
    if new != again:
        raise CredentialError("new_password_again",
                              "Пароли не совпадают: введите новый пароль ещё раз.")
    problems = password_problems(new, login=account.login, school_name=school_name,
                                 has_second_factor=bool(account.totp_secret))
    if problems:
        raise CredentialError("new_password", " ".join(problems))
    account.password_hash = hash_password(new)
    rotate_session_token(account)
    _log(sess, account, actor=actor, action="password")


def enable_totp(sess: Session, account: Account, *, secret: str, code: str, password: str,
                actor: str, now: float | None = None) -> None:
    """Saved only once a code from the phone proves the secret reached the app."""
    if account.totp_secret:
        raise CredentialError("code", "Вход с кодом из приложения уже включён.")
    if not verify_password(account.password_hash, password):
        raise WrongPassword
    step = totp.verify(secret, code, last_step=None, now=now)
    if step is None:
        raise CredentialError("code", WRONG_CODE)
    account.totp_secret = secret
    account.totp_last_step = step
    rotate_session_token(account)
    _log(sess, account, actor=actor, action="totp_on",
         changes={"вход с кодом": ["выключен", "включён"]})


def disable_totp(sess: Session, account: Account, *, password: str, school_name: str,
                 actor: str) -> None:
    """Refused while the password is only good enough together with a code."""
    if not account.totp_secret:
        raise CredentialError("current_password", "Вход с кодом из приложения уже выключен.")
    if not verify_password(account.password_hash, password):
        raise WrongPassword
    problems = password_problems(password, login=account.login, school_name=school_name)
    if problems:
        raise CredentialError(
            "current_password",
            "Без кода из приложения ваш пароль не подойдёт: " + " ".join(problems)
            + " Сначала смените пароль, потом отключите вход с кодом.",
        )
    account.totp_secret = None
    account.totp_last_step = None
    rotate_session_token(account)
    _log(sess, account, actor=actor, action="totp_off",
         changes={"вход с кодом": ["включён", "выключен"]})
