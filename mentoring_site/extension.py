"""The Mentoring extension: binds settings, database, theme, blueprints and CLI to an app."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings
from .db import close_when_dropped, tune_sqlite
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
    base_template_checked: bool = False  # MENTORING_BASE_TEMPLATE found (readiness.py)
    #: no MENTORING_DATABASE_URI and no host's Flask-SQLAlchemy: the instance folder's SQLite
    default_database: bool = False
    #: the response cache (cache/): the stamp last computed, the store (None: off), and
    #: what tells this app's entries apart in a cache shared with others
    stamps: Any = None
    responses: Any = None
    cache_prefix: str = ""
    #: the WSGI replay of cached answers (cache/wsgi.py): on, off, or None until the first
    #: request decides (MENTORING_RESPONSE_CACHE_WSGI)
    replay_on: bool | None = None
    #: the static files its pages link by their hash (theming.static_url): part of the key
    linked_static: dict = field(default_factory=dict, repr=False)
    #: addresses the section's templates built, by endpoint and values (urls.section_url)
    urls: dict = field(default_factory=dict, repr=False)
    _own_session: scoped_session | None = field(default=None, repr=False)

    def session(self) -> Session:
        if self.host_db is not None:
            return self.host_db.session()
        self.check_database()
        assert self._own_session is not None
        return self._own_session()

    def check_database(self) -> None:
        """Raise ConfigError when the host's Flask-SQLAlchemy was set up after the section:
        our default database would be a second one, beside the site's."""
        if self.default_database and "sqlalchemy" in current_app.extensions:
            raise settings.ConfigError(TOO_EARLY)

    def remove_session(self, _exc: BaseException | None = None) -> None:
        if self._own_session is not None:
            self._own_session.remove()

    @property
    def shares_host_session(self) -> bool:
        return self.host_db is not None


TOO_EARLY = (
    "Mentoring(app) вызван раньше db.init_app(app) сайта: раздел завёл бы вторую базу данных "
    "в папке instance. Вызовите db.init_app(app) до Mentoring(app), чтобы раздел работал в "
    "базе сайта, или задайте MENTORING_DATABASE_URI, если ему нужна отдельная база.")
NO_LOGIN = (
    "MENTORING_CURATOR_CHECK задан, но у сайта нет Flask-Login: подключите LoginManager "
    "(login_manager.init_app(app)) до Mentoring(app) или уберите MENTORING_CURATOR_CHECK — "
    "тогда у раздела свои учётные записи кураторов (flask mentoring create-curator).")


def check_host(app: Flask) -> None:
    """Refuse at init_app what would otherwise fail later and far from its cause: the
    curators checked by a host's login that is not there, and a host's Flask-SQLAlchemy
    set up after the section (which would then quietly keep a database of its own)."""
    if app.config["MENTORING_CURATOR_CHECK"] is not None \
            and getattr(app, "login_manager", None) is None:
        raise settings.ConfigError(NO_LOGIN)
    if app.config["MENTORING_DATABASE_URI"] is None and "sqlalchemy" not in app.extensions \
            and (app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("SQLALCHEMY_BINDS")):
        raise settings.ConfigError(TOO_EARLY)


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


def _explain_csp(app: Flask) -> None:
    """Say at start what the section's CSP allows when its pages use the host's layout: a
    CDN stylesheet or an inline script of that layout is refused unless the host widens the
    policy (MENTORING_CSP_EXTRA), and a blocked stylesheet is easy to miss."""
    cfg = app.config
    if not cfg["MENTORING_BASE_TEMPLATE"] or not cfg["MENTORING_CONTENT_SECURITY_POLICY"]:
        return
    if cfg["MENTORING_CSP_EXTRA"]:
        app.logger.info("CSP страниц раздела в шаблоне сайта расширена: %s",
                        cfg["MENTORING_CSP_EXTRA"])
        return
    app.logger.warning(
        "Страницы раздела показываются в шаблоне сайта (%s) со строгой CSP: стили, шрифты и "
        "скрипты — только с этого сайта, встроенные скрипты запрещены. Если шаблон "
        "подключает их с CDN или содержит <script> в коде страницы, добавьте источники в "
        "MENTORING_CSP_EXTRA (см. README, «CSP в шаблоне сайта»).", cfg["MENTORING_BASE_TEMPLATE"])


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
        check_host(app)
        from .cache import wsgi as cache_wsgi

        cache_wsgi.wrap(app)  # before the ProxyFix is added: it sees the corrected request
        _trust_proxies(app)
        _explain_csp(app)

        theme = load_theme(app.config["MENTORING_THEME"])
        upload_folder = Path(
            app.config["MENTORING_UPLOAD_FOLDER"]
            or os.path.join(app.instance_path, "mentoring-uploads")
        )
        state = self._make_state(app, theme, upload_folder)
        app.extensions["mentoring"] = state
        app.teardown_appcontext(state.remove_session)

        from . import cache, datastamp, template_code  # noqa: F401  (datastamp: its session events)
        from .admin import blueprint as admin_bp
        from .api import blueprint as api_bp
        from .cli import mentoring_group
        from .public import blueprint as public_bp
        from .questionnaires import retention
        from .security import add_unrouted_headers, compress
        from .signals import content_saved
        from .templating import init_templating
        from .urls import builders_at_first_use, install_id_converter

        init_templating(app)
        template_code.install(app)
        install_id_converter(app)  # before the blueprints: their rules use <mentoring_id:…>
        content_saved.connect(retention.on_content_saved)  # a withdrawal forgets answers
        prefix = app.config["MENTORING_URL_PREFIX"]
        with builders_at_first_use(app):
            app.register_blueprint(public_bp, url_prefix=prefix)
            app.register_blueprint(api_bp, url_prefix=prefix)
            app.register_blueprint(admin_bp, url_prefix=prefix + "/admin")
        app.after_request(add_unrouted_headers)  # 404s and 405s no view of ours made
        # An app hook runs after the blueprints' own: the body it compresses is final.
        app.after_request(compress)
        cache.install(app)  # its after_request hook runs before compress (hooks run reversed)
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
        close_when_dropped(engine)
        own = scoped_session(sessionmaker(bind=engine), scopefunc=_app_ctx_id)
        return MentoringState(theme, upload_folder, engine, _own_session=own,
                              default_database=app.config["MENTORING_DATABASE_URI"] is None)
