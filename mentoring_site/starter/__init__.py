"""The starter kit: the federal acts on teacher mentoring a new section may add on day one.

Why a kit and not demo data: a real school wants the federal base (numbers, dates,
issuers, official links, repealed acts marked) but none of the demo's invented people. The
list is package data (``federal_acts.toml``), so a correction is an edit of one file; the
acts go in through ``editing.save_record`` like any curator's save (slug, journal, signals).

Adding is idempotent: an act already in the base (the same number and date, at any level
and in any state, typed by hand or added earlier) is skipped, so running the kit twice, or
after the curator entered some acts, adds nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import editing
from ..compat import tomllib
from ..models import DocKind, DocLevel, Document, Status

#: The save path's kind: the same name as the admin's «Нормативная база», so the journal
#: shows the kit's acts as documents.
DOCUMENT = editing.RecordKind(name="document", model=Document)
DATA_FILE = "federal_acts.toml"


@dataclass(frozen=True)
class Act:
    kind: DocKind
    title: str
    number: str
    issued_on: date
    issuer: str
    url: str
    repealed: bool = False
    repealed_on: date | None = None

    @property
    def key(self) -> tuple[str, date]:
        return _number_key(self.number), self.issued_on

    def values(self, sort: int) -> dict[str, object]:
        """The record's columns, published at once (``published_at`` None: now)."""
        return {
            "title": self.title, "level": DocLevel.FEDERAL, "kind": self.kind,
            "number": self.number, "issued_on": self.issued_on, "issuer": self.issuer,
            "url": self.url, "in_force": not self.repealed, "repealed_on": self.repealed_on,
            "sort": sort, "status": Status.PUBLISHED, "published_at": None,
        }


def _number_key(number: str) -> str:
    """«№ 273-ФЗ», «273-фз» and «273 ФЗ» are one number; a joint letter's numbers
    («АЗ-1128/08 / 657») are known by the first one."""
    return re.sub(r"[\s№-]+", "", number.split(" / ")[0].casefold())


def federal_acts() -> list[Act]:
    """The kit's acts in the order they are listed."""
    text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return [
        Act(kind=DocKind(raw["kind"]), title=raw["title"], number=raw["number"],
            issued_on=raw["issued_on"], issuer=raw["issuer"], url=raw["url"],
            repealed=raw.get("repealed", False), repealed_on=raw.get("repealed_on"))
        for raw in tomllib.loads(text)["act"]
    ]


def has_federal_acts(sess: Session) -> bool:
    """Whether the base holds any federal act (the dashboard offers the kit when not)."""
    return sess.scalar(sa.select(sa.exists().where(Document.level == DocLevel.FEDERAL))) or False


def missing_acts(sess: Session) -> list[Act]:
    """The kit's acts not yet in the base (matched by number and date)."""
    present = {(_number_key(n), d) for n, d in sess.execute(
        sa.select(Document.number, Document.issued_on).where(Document.issued_on.is_not(None)))}
    return [act for act in federal_acts() if act.key not in present]


def add_federal_acts(sess: Session, *, actor: str) -> list[Document]:
    """Add the missing acts, each one saved (and journaled) through the save path; returns
    the records added (none when everything is there already)."""
    order = {act.key: i for i, act in enumerate(federal_acts())}
    return [editing.save_record(sess, DOCUMENT, None, act.values(sort=10 * (order[act.key] + 1)),
                                actor=actor)
            for act in missing_acts(sess)]


def added_message(count: int) -> str:
    """«Добавлено 12 документов» (or why nothing was added), for the flash and the CLI."""
    if count == 0:
        return "Все федеральные документы набора уже есть в нормативной базе: ничего не добавлено."
    return f"{_added(count)} {count} {_documents(count)} федеральной нормативной базы."


def _added(n: int) -> str:
    return "Добавлен" if n % 10 == 1 and n % 100 != 11 else "Добавлено"


def _documents(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "документ"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "документа"
    return "документов"
