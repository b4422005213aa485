"""A small host school site with the section plugged in: the quick start and a test bed.

It is built the way a school's own Flask site would be: its own Flask-SQLAlchemy ``db``
with its own table (``school_news``), its own templates and stylesheet, a main menu with
«Наставничество» in it. The section is then added with ``Mentoring(app)`` and shares the
host's database and session; its tables come only from our migrations, never from the
host's ``db.create_all()`` (which knows only the host's own metadata).

    python -m mentoring_site demo
"""

from __future__ import annotations

import os
import secrets
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .. import clock
from ..config import user_data_folder
from ..db import close_when_dropped
from ..extension import Mentoring
from . import content as seed_content

HERE = Path(__file__).parent


class HostBase(DeclarativeBase):
    """The host's own declarative base: its MetaData is not ours."""


db = SQLAlchemy(model_class=HostBase)


class SchoolNews(db.Model):  # type: ignore[name-defined]  # Flask-SQLAlchemy's dynamic base
    """The school's general news, as any school site has (not the section's news)."""

    __tablename__ = "school_news"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    published_on: Mapped[date] = mapped_column(sa.Date, index=True)


SCHOOL_INFO = [
    ("Полное наименование", "Муниципальное бюджетное общеобразовательное учреждение "
     "«Средняя общеобразовательная школа № 7» г. Светлоборска"),
    ("Сокращённое наименование", "МБОУ «СОШ № 7»"),
    ("Учредитель", f"Администрация {seed_content.MUNICIPALITY_OF}"),
    ("Адрес", f"ул. Школьная, 7, г. {seed_content.TOWN}, {seed_content.REGION}"),
    ("Режим работы", "Понедельник — пятница, 8:00–18:00; суббота, 8:00–14:00"),
    ("Телефон", "+7 (000) 123-45-60"),
    ("Электронная почта", f"school7@{seed_content.DOMAIN}"),
]


def _secret_key(instance: Path) -> str:
    """A random key kept in the instance folder, so a restart keeps sessions."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def create_app(database: str | None = None, instance_path: str | None = None) -> Flask:
    """The demo school site; ``database`` is an SQLAlchemy URL (default: SQLite file).
    Its files go to ``instance_path``, by default the user's data folder
    (``config.user_data_folder``), never beside the package."""
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path or user_data_folder("demo")),
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
        static_url_path="/static",
    )
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SECRET_KEY=_secret_key(instance),
        SQLALCHEMY_DATABASE_URI=database or "sqlite:///" + str(instance / "demo.sqlite"),
        MENTORING_BASE_TEMPLATE="base.html",
        MENTORING_SCHOOL_NAME=seed_content.SCHOOL,
        MENTORING_SITE_URL="http://127.0.0.1:5000",
    )
    db.init_app(app)
    with app.app_context():  # a demo app dropped unserved (tests, a failed start) leaves
        for engine in db.engines.values():  # no connection to the garbage collector
            close_when_dropped(engine)
    Mentoring(app)

    @app.context_processor
    def _school():
        return {"school_name": seed_content.SCHOOL, "school_info": SCHOOL_INFO}

    @app.get("/")
    def index():
        news = db.session.scalars(
            sa.select(SchoolNews).order_by(SchoolNews.published_on.desc()).limit(3)
        ).all()
        return render_template("index.html", news=news)

    @app.get("/sveden/")
    def sveden():
        return render_template("sveden.html")

    @app.get("/novosti-shkoly/")
    def school_news():
        news = db.session.scalars(
            sa.select(SchoolNews).order_by(SchoolNews.published_on.desc()).limit(50)
        ).all()
        return render_template("school_news.html", news=news)

    @app.get("/novosti-shkoly/<int:news_id>/")
    def school_news_item(news_id: int):
        item = db.get_or_404(SchoolNews, news_id)
        return render_template("school_news_item.html", item=item)

    return app


def school_today(app: Flask) -> date:
    return clock.today(app.config["MENTORING_TIMEZONE"])


def prepare(app: Flask) -> None:
    """Create the host's tables, run our migrations, fill both with sample content.

    Safe to run again: existing content is left as it is.
    """
    from ..migrate import upgrade
    from .seed import seed_demo

    with app.app_context():
        db.create_all()  # the host's own metadata only: school_news
        upgrade(app)
        state = app.extensions["mentoring"]
        sess = state.session()
        today = school_today(app)
        try:
            if seed_demo(sess, upload_folder=state.upload_folder, today=today,
                         site_url=app.config["MENTORING_SITE_URL"]):
                sess.commit()
            if db.session.scalar(sa.select(SchoolNews.id).limit(1)) is None:
                db.session.add_all(
                    SchoolNews(title=title, text=text, published_on=today + timedelta(days=days))
                    for title, text, days in seed_content.SCHOOL_NEWS
                )
                db.session.commit()
        except BaseException:
            sess.rollback()
            db.session.rollback()
            raise


DEMO_LOGIN = "kurator"
_WORDS = ("берёза", "тетрадь", "звонок", "перемена", "глобус", "мел", "доска", "портфель",
          "линейка", "компас", "атлас", "пенал", "дневник", "журнал", "урок", "каникулы")


def _passphrase() -> str:
    """Four words drawn until the blocklist has nothing against them («урок мел урок мел»
    would be refused as a repetition)."""
    from ..auth.passwords import password_problems

    while True:
        password = " ".join(secrets.choice(_WORDS) for _ in range(4))
        if not password_problems(password, login=DEMO_LOGIN):
            return password


def ensure_demo_curator(app: Flask) -> tuple[str, str]:
    """The demo's curator account: created once, its passphrase kept in the instance folder
    (readable by the owner only) so every start can print it."""
    import sqlalchemy as sa

    from ..auth.credentials import create_account
    from ..auth.passwords import hash_password
    from ..models import Account

    path = Path(app.instance_path) / "demo_curator_password"
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        account = sess.scalar(sa.select(Account).where(Account.login == DEMO_LOGIN))
        if account is not None and path.exists():
            return DEMO_LOGIN, path.read_text(encoding="utf-8").strip()
        password = _passphrase()
        if account is None:
            create_account(sess, login=DEMO_LOGIN, password=password,
                           display_name="Куратор (демо)")
        else:  # the passphrase file was lost: a new passphrase
            account.password_hash = hash_password(password)
        sess.commit()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password)
    return DEMO_LOGIN, password
