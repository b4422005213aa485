"""Who is editing: the section's own curator accounts, or the host's Flask-Login users.

Own accounts live in a signed cookie of our own (path-limited to the admin, HttpOnly,
SameSite=Lax, Secure over HTTPS, no remember-me) holding the account id and its session
token; logout and password change rotate the token, so a copied cookie stops working.
Between a right password and the one-time code of an account with a second factor there
is only a short-lived signed «pending» cookie, which opens nothing by itself.
A browser that has signed in to an account before keeps a long-lived signed «known browser»
cookie for it, which opens nothing either: it only lets the owner's right password through
while strangers' wrong guesses hold the account back (``auth.throttle``).
Host users are whatever the host's LoginManager says, and ``MENTORING_CURATOR_CHECK``
decides their role; we never install a second LoginManager.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app, g, request
from flask import session as host_session
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..db import session
from ..models import Account, AccountRole
from .credentials import rotate_session_token

COOKIE = "mentoring_admin"
#: A login lasts a working day at most, then the curator signs in again.
MAX_AGE = 12 * 3600
PENDING_COOKIE = "mentoring_admin_pending"
#: Time to take the phone and type the code after a right password.
PENDING_MAX_AGE = 5 * 60
KNOWN_COOKIE = "mentoring_known_"  # + the account's id: one per account on a shared computer
#: A browser stays known for a year after its last login.
KNOWN_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Editor:
    """The person at the keyboard, as the admin sees them."""

    label: str  # for the audit log and the header
    role: AccountRole
    account: Account | None = None

    @property
    def is_curator(self) -> bool:
        return self.role is AccountRole.CURATOR


def host_mode() -> bool:
    return current_app.config["MENTORING_CURATOR_CHECK"] is not None


def signer(salt: str = "mentoring-admin-login") -> URLSafeTimedSerializer:
    """Signs our cookies with the app's SECRET_KEY; without one nothing is signed at all."""
    if not current_app.secret_key:
        raise RuntimeError("Задайте SECRET_KEY приложения: без него вход в управление разделом "
                           "невозможен (подписи cookie).")
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def cookie_path() -> str:
    return current_app.config["MENTORING_URL_PREFIX"] + "/admin"


def issue_cookie(response, account: Account) -> None:
    value = signer().dumps({"a": account.id, "t": account.session_token})
    response.set_cookie(
        COOKIE, value, path=cookie_path(), httponly=True, samesite="Lax",
        secure=request.is_secure,
    )


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE, path=cookie_path(), httponly=True, samesite="Lax",
                           secure=request.is_secure)


rotate_token = rotate_session_token


def renew_csrf() -> None:
    """A new CSRF secret in the host's session (Flask-WTF keeps it there), at login and logout.

    Someone who planted a session cookie of their own in the curator's browser knows the
    tokens signed with its secret; once the secret is new, those tokens stop working."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    host_session.pop(name, None)
    g.pop(name, None)  # the token Flask-WTF already signed in this request


def _pending_signer() -> URLSafeTimedSerializer:
    return signer("mentoring-admin-second-step")


def issue_pending(response, account: Account) -> None:
    """The password was right; the code is still to come. Bound to the session token,
    so a logout or a password change meanwhile voids it."""
    value = _pending_signer().dumps({"a": account.id, "t": account.session_token})
    response.set_cookie(
        PENDING_COOKIE, value, max_age=PENDING_MAX_AGE, path=cookie_path(), httponly=True,
        samesite="Lax", secure=request.is_secure,
    )


def clear_pending(response) -> None:
    response.delete_cookie(PENDING_COOKIE, path=cookie_path(), httponly=True, samesite="Lax",
                           secure=request.is_secure)


def _known_signer() -> URLSafeTimedSerializer:
    return signer("mentoring-admin-known-browser")


def known_browser(account: Account) -> str | None:
    """The id of this browser if it has signed in to ``account`` before (its signed cookie,
    for this account and login, less than a year old), else None."""
    raw = request.cookies.get(f"{KNOWN_COOKIE}{account.id}")
    if not raw:
        return None
    try:
        data = _known_signer().loads(raw, max_age=KNOWN_MAX_AGE)
    except BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or data.get("a") != account.id or data.get("l") != account.login:
        return None
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and nonce else None


def issue_known_browser(response, account: Account, browser: str | None) -> None:
    """After a login: this browser is known to the account for a year more (a new id the
    first time)."""
    value = _known_signer().dumps({"a": account.id, "l": account.login,
                                   "n": browser or secrets.token_urlsafe(16)})
    response.set_cookie(
        f"{KNOWN_COOKIE}{account.id}", value, max_age=KNOWN_MAX_AGE, path=cookie_path(),
        httponly=True, samesite="Lax", secure=request.is_secure,
    )


class PendingExpired(Exception):
    """The pending login is too old (or was never there): sign in with the password again."""


def pending_account() -> Account:
    """The account whose password was just typed right, or ``PendingExpired``."""
    raw = request.cookies.get(PENDING_COOKIE)
    if not raw:
        raise PendingExpired
    try:
        data = _pending_signer().loads(raw, max_age=PENDING_MAX_AGE)
        account = session().get(Account, int(data["a"]))
    except (SignatureExpired, BadSignature, KeyError, TypeError, ValueError) as exc:
        raise PendingExpired from exc
    if (
        account is None
        or not account.is_active
        or not account.totp_secret
        or not secrets.compare_digest(account.session_token, str(data.get("t", "")))
    ):
        raise PendingExpired
    return account


def _own_editor() -> Editor | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = signer().loads(raw, max_age=MAX_AGE)
        account = session().get(Account, int(data["a"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if (
        account is None
        or not account.is_active
        or not secrets.compare_digest(account.session_token, str(data.get("t", "")))
    ):
        return None
    return Editor(account.display_name or account.login, account.role, account)


def _host_editor() -> Editor | None:
    from flask_login import current_user

    if not getattr(current_user, "is_authenticated", False):
        return None
    verdict = current_app.config["MENTORING_CURATOR_CHECK"](current_user)
    if not verdict:
        return None
    role = AccountRole.EDITOR if verdict == "editor" else AccountRole.CURATOR
    return Editor(_host_label(current_user), role)


def _host_label(user) -> str:
    for attr in ("name", "full_name", "username", "email"):
        value = getattr(user, attr, None)
        if value:
            return str(value)
    return f"пользователь {user.get_id()}"


def host_user_is_signed_in() -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))


def current_editor() -> Editor | None:
    if "mentoring_editor" not in g:
        g.mentoring_editor = _host_editor() if host_mode() else _own_editor()
    return g.mentoring_editor
