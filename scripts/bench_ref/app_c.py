"""C: a minimal hand-written list page: Flask + Flask-SQLAlchemy + Jinja over SQLite.

    BENCH_C_DATABASE=/path/c.sqlite gunicorn -w 2 app_c:app    # news list at /novosti/

What a school's programmer would write by hand for a list of news, 20 a page, newest first
(an index serves the order), to measure the section's list pages against. ``fill`` makes
its database.
"""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PER_PAGE = 20


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class News(db.Model):  # type: ignore[name-defined]
    __tablename__ = "news"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    published_on: Mapped[date] = mapped_column(sa.Date)
    summary: Mapped[str] = mapped_column(sa.Text)
    __table_args__ = (sa.Index("ix_news_published", "published_on", "id"),)


def create_app(database: str) -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    db.init_app(app)

    @app.get("/novosti/")
    def news_list():
        page = request.args.get("page", 1, type=int)
        pages = db.paginate(sa.select(News).order_by(News.published_on.desc(), News.id.desc()),
                            page=page, per_page=PER_PAGE)
        return render_template("news_list.html", pages=pages)

    @app.get("/novosti/<int:news_id>/")
    def news_item(news_id: int):
        return render_template("news_item.html", item=db.get_or_404(News, news_id))

    return app


WORDS = ("наставник наставляемый программа школа учитель урок проект конкурс методика "
         "семинар открытый опыт молодой специалист педагог класс план встреча итоги").split()


def fill(database: str, rows: int = 10_000) -> None:
    """``rows`` news with Russian words, the same every time."""
    rnd = random.Random(13)

    def words(lo: int, hi: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(lo, hi))).capitalize()

    app = create_app(database)
    with app.app_context():
        db.create_all()
        db.session.execute(sa.insert(News), [
            {"title": words(4, 9),
             "published_on": date(2018, 1, 1) + timedelta(rnd.randint(0, 3000)),
             "summary": ". ".join(words(8, 14) for _ in range(rnd.randint(4, 7))) + "."}
            for _ in range(rows)])
        db.session.commit()


if os.environ.get("BENCH_C_DATABASE"):
    app = create_app(os.environ["BENCH_C_DATABASE"])
