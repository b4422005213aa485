"""A small fake school site: its own db, tables, users, login and layout, like a real host.

Its layout shows who is signed in (Flask-Login's ``current_user``), as school sites do: the
session is read on every page it renders, the section's included."""

from __future__ import annotations

from pathlib import Path

import jinja2
from flask import Flask, abort, render_template, request
from flask_login import LoginManager, UserMixin, login_user, logout_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mentoring_site import Mentoring
from mentoring_site.db import close_when_dropped


class HostBase(DeclarativeBase):
    pass


class HostUser(UserMixin, HostBase):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class HostArticle(HostBase):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]


def create_host_app(database_uri: str, instance: Path, **config) -> tuple[Flask, SQLAlchemy]:
    app = Flask(__name__, instance_path=str(instance))
    app.config.update(
        TESTING=True,
        SECRET_KEY="host-secret",
        SQLALCHEMY_DATABASE_URI=database_uri,
        MENTORING_BASE_TEMPLATE="base.html",
        MENTORING_SCHOOL_NAME="МБОУ «Школа хоста»",
        MENTORING_UPLOAD_FOLDER=str(instance / "uploads"),
        **config,
    )
    app.jinja_env.undefined = jinja2.StrictUndefined
    db = SQLAlchemy(model_class=HostBase)
    db.init_app(app)
    login = LoginManager(app)
    login.user_loader(lambda uid: db.session.get(HostUser, int(uid)))

    @app.get("/")
    def home():
        return render_template("home.html", articles=db.session.query(HostArticle).all())

    @app.post("/vhod/<int:uid>")
    def sign_in(uid: int):
        """The host's login reduced to its effect (``?remember=1``: «запомнить меня»)."""
        user = db.session.get(HostUser, uid) or abort(404)
        login_user(user, remember=request.args.get("remember") == "1")
        return "Вход выполнен"

    @app.post("/vyhod/")
    def sign_out():
        logout_user()
        return "Выход выполнен"

    @app.errorhandler(404)
    def host_404(_e):
        return "Хост: нет такой страницы", 404

    Mentoring(app)
    with app.app_context():  # as a tidy host would: its connections go with a dropped app
        close_when_dropped(db.engine)
    return app, db
