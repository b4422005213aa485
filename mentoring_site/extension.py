"""The Mentoring extension: binds settings, database, theme, blueprints and CLI to an app."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings
from .db import tune_sqlite
from .theming import Theme, load_theme


def _app_ctx_id() -> int:
    from flask import globals as flask_globals

    return id(flask_globals._cv_app.get(None))


@dataclass
class MentoringState:
    """Everything the section keeps per app, found at ``app.extensions["mentoring"]``."""

    theme: Theme
    upload_folder: Path
    engine: sa.Engine
    host_db: Any = None  # the host's Flask-SQLAlchemy instance, when we share its session
    _own_session: scoped_session | None = field(default=None, repr=False)

    def session(self) -> Session:
        if self.host_db is not None:
            return self.host_db.session()
        assert self._own_session is not None
        return self._own_session()

    def remove_session(self, _exc: BaseException | None = None) -> None:
        if self._own_session is not None:
            self._own_session.remove()

    @property
    def shares_host_session(self) -> bool:
        return self.host_db is not None


def _trust_proxies(app: Flask) -> None:
    """ProxyFix for ``MENTORING_TRUSTED_PROXIES`` hops, around the host's whole app (one
    client address and scheme for the site and the section), never twice: a ProxyFix the
    host put there itself is left alone."""
    hops = app.config["MENTORING_TRUSTED_PROXIES"]
    if not hops:
        return
    layer: Any = app.wsgi_app
    while layer is not None:
        if isinstance(layer, ProxyFix):
            app.logger.warning(
                "MENTORING_TRUSTED_PROXIES не применён: приложение уже обёрнуто в ProxyFix, "
                "адреса посетителей раздел берёт из него.")
            return
        layer = getattr(layer, "app", None)
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
        app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


class Mentoring:
    """``Mentoring(app)`` or ``Mentoring().init_app(app)``; holds no app of its own."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        if "mentoring" in app.extensions:
            raise RuntimeError(
                "Раздел «Наставничество» уже подключён к этому приложению: "
                "init_app вызывается один раз на приложение."
            )
        settings.apply_defaults(app.config)
        settings.validate(app.config)
        _trust_proxies(app)

        theme = load_theme(app.config["MENTORING_THEME"])
        upload_folder = Path(
            app.config["MENTORING_UPLOAD_FOLDER"]
            or os.path.join(app.instance_path, "mentoring-uploads")
        )
        state = self._make_state(app, theme, upload_folder)
        app.extensions["mentoring"] = state
        app.teardown_appcontext(state.remove_session)

        from .admin import blueprint as admin_bp
        from .api import blueprint as api_bp
        from .cli import mentoring_group
        from .public import blueprint as public_bp
        from .questionnaires import retention
        from .security import add_unrouted_headers
        from .signals import content_saved
        from .templating import init_templating
        from .urls import install_id_converter

        init_templating(app)
        install_id_converter(app)  # before the blueprints: their rules use <mentoring_id:…>
        content_saved.connect(retention.on_content_saved)  # a withdrawal forgets answers
        prefix = app.config["MENTORING_URL_PREFIX"]
        app.register_blueprint(public_bp, url_prefix=prefix)
        app.register_blueprint(api_bp, url_prefix=prefix)
        app.register_blueprint(admin_bp, url_prefix=prefix + "/admin")
        app.after_request(add_unrouted_headers)  # 404s and 405s no view of ours made
        app.cli.add_command(mentoring_group)

    @staticmethod
    def _make_state(app: Flask, theme: Theme, upload_folder: Path) -> MentoringState:
        uri = app.config["MENTORING_DATABASE_URI"]
        host_db = app.extensions.get("sqlalchemy")
        if host_db is not None and uri is None:
            with app.app_context():
                engine = host_db.engine
            tune_sqlite(engine)
            return MentoringState(theme, upload_folder, engine, host_db=host_db)
        if uri is None:
            os.makedirs(app.instance_path, exist_ok=True)
            uri = "sqlite:///" + os.path.join(app.instance_path, "mentoring.sqlite")
        engine = sa.create_engine(uri)
        tune_sqlite(engine)
        own = scoped_session(sessionmaker(bind=engine), scopefunc=_app_ctx_id)
        return MentoringState(theme, upload_folder, engine, _own_session=own)
