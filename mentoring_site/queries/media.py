"""Uploaded files: served only while something public shows them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from .. import rules
from ..models import Case, CasePhoto, Document, Material, MediaFile, NewsItem, Person
from .base import Clock, NotFound


def public_media(sess: Session, clock: Clock, stored_name: str) -> MediaFile:
    """A file is served only while something public shows it (a photo of a person who
    withdrew consent stops being served at once, even to someone who kept its URL)."""
    media = sess.scalar(
        sa.select(MediaFile).where(
            sa.or_(MediaFile.stored_name == stored_name, MediaFile.thumb_name == stored_name),
            MediaFile.is_private.is_(False),
        )
    )
    if media is None:
        raise NotFound(stored_name)
    mid = media.id
    # A person's photo: decided by rules.public_person itself (the newest consent in force
    # decides the fields), so the file is served exactly when the pages show it.
    owners = sess.scalars(
        sa.select(Person).where(Person.photo_id == mid).options(selectinload(Person.consents))
    ).all()
    for owner in owners:
        shown = rules.public_person(owner, clock.today)
        if shown is not None and shown.photo is not None:
            return media
    users = sa.union_all(
        sa.select(CasePhoto.id).join(Case).where(
            CasePhoto.media_id == mid, rules.case_clause(clock.now)
        ),
        sa.select(Case.id).where(
            Case.attachments.any(media_id=mid), rules.case_clause(clock.now)
        ),
        sa.select(Document.id).where(
            Document.file_id == mid, rules.published_clause(Document, clock.now)
        ),
        sa.select(Material.id).where(
            Material.file_id == mid, rules.published_clause(Material, clock.now)
        ),
        sa.select(NewsItem.id).where(
            NewsItem.image_id == mid, rules.published_clause(NewsItem, clock.now)
        ),
    ).subquery()
    if not sess.scalar(sa.select(sa.exists(sa.select(users.c[0])))):
        raise NotFound(stored_name)
    return media
