"""A record's address: its slug follows its title, and a public one leaves a 301 behind.

The history itself lives in ``permalinks.py``; here the admin decides when a save moves
an address (the title's words changed) and whether anyone may have the old one (the
record was public before this save).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy.orm import Session

from .. import clock, permalinks, queries


def _base(text: str) -> str:
    return slugify(text, max_length=80, word_boundary=True) or "zapis"


def unique_slug(sess: Session, model, text: str, obj_id: int | None) -> str:
    """The title's slug, with «-2», «-3»… when another record of the kind has it."""
    base = _base(text)
    slug, n = base, 1
    while True:
        clash = sess.scalar(sa.select(model.id).where(model.slug == slug))
        if clash is None or clash == obj_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


def slug_fits(slug: str | None, text: str) -> bool:
    """The slug still says the title (``title`` or ``title-2``): no reason to move it."""
    base = _base(text)
    return bool(slug) and re.fullmatch(re.escape(base) + r"(-\d+)?", slug) is not None


def permalink_kind(obj) -> str | None:
    try:
        return permalinks.kind_of(obj)
    except permalinks.UnknownKind:
        return None


def publicly_linked(sess: Session, obj) -> bool:
    """Read before the save changes anything: may the public have the current address?"""
    link_kind = permalink_kind(obj)
    if link_kind is None or obj.id is None:
        return False
    moment = queries.Clock.current(clock.zone().key)
    return queries.is_public(sess, moment, link_kind, obj.id)


def follow_title(sess: Session, obj, source, *, creating: bool) -> None:
    """Give the record the slug of its title: always when new, later only when the title's
    words changed (a fixed comma keeps the address). ``source``: an attribute name or a
    function of the record (a person's name)."""
    text = source(obj) if callable(source) else getattr(obj, source)
    if creating or not slug_fits(obj.slug, text):
        with sess.no_autoflush:  # one UPDATE (one version step) for the whole save
            obj.slug = unique_slug(sess, type(obj), text, None if creating else obj.id)
