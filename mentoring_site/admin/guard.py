"""The gate of the admin: who is signed in, what their role lets them do, CSRF."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import generate_csrf

from ..auth.identity import current_editor, host_mode
from ..compat import limit_request_body
from ..models import AccountRole
from . import blueprint as bp

PUBLIC_ENDPOINTS = {"mentoring_admin.login", "mentoring_admin.static"}


#: Room for the form fields around the largest file.
UPLOAD_MARGIN = 1024 * 1024


@bp.before_request
def _gate():
    cfg = current_app.config
    # Per request, never the host's MAX_CONTENT_LENGTH: an oversized upload stops early.
    limit_request_body(
        max(cfg["MENTORING_MAX_IMAGE_BYTES"], cfg["MENTORING_MAX_DOCUMENT_BYTES"]) + UPLOAD_MARGIN
    )
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    _refuse_cross_origin_post()
    editor = current_editor()
    if editor is None:
        if host_mode():
            return _host_login_redirect()
        return redirect(url_for("mentoring_admin.login", next=request.full_path.rstrip("?")))
    g.mentoring_editor = editor
    return None


def _refuse_cross_origin_post() -> None:
    """A POST sent by another site's page: refused even before the CSRF token is read."""
    if request.method != "POST":
        return
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        abort(403)


def _host_login_redirect():
    from flask_login import current_user

    manager = getattr(current_app, "login_manager", None)
    if getattr(current_user, "is_authenticated", False):
        abort(403)  # signed in on the host site, but MENTORING_CURATOR_CHECK says no
    if manager is not None and manager.login_view:
        return redirect(url_for(manager.login_view, next=request.full_path.rstrip("?")))
    abort(401)


def requires(*roles: AccountRole):
    """Only these roles may open the view (a curator may open everything)."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            editor = g.mentoring_editor
            if not editor.is_curator and editor.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.mentoring_roles = roles
        return wrapped

    return decorate


@bp.errorhandler(403)
def _forbidden(_error):
    return render_template("mentoring/admin/error.html", code=403,
                           message="У вашей учётной записи нет прав на этот раздел."), 403


@bp.errorhandler(401)
def _unauthorized(_error):
    return render_template("mentoring/admin/error.html", code=401,
                           message="Войдите на сайт, чтобы открыть управление разделом."), 401


@bp.errorhandler(413)
def _too_large(_error):
    from ..media.filetypes import format_size

    cfg = current_app.config
    limit = max(cfg["MENTORING_MAX_IMAGE_BYTES"], cfg["MENTORING_MAX_DOCUMENT_BYTES"])
    return render_template(
        "mentoring/admin/error.html", code=413,
        message=f"Файл слишком большой: можно загрузить не больше {format_size(limit)}. "
        "Вернитесь назад, уменьшите файл и загрузите снова.",
    ), 413


@bp.errorhandler(404)
def _missing(_error):
    return render_template("mentoring/admin/error.html", code=404,
                           message="Такой записи нет: возможно, её уже удалили."), 404


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def _admin_context():
    return {
        "editor": g.get("mentoring_editor"),
        "roles": AccountRole,
        "mentoring_school": current_app.config["MENTORING_SCHOOL_NAME"],
        "csrf_token": generate_csrf,
    }
