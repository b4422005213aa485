"""Uploaded files: served only while something public shows it (``rules`` decides)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from .. import rules
from ..models import MediaFile, Person
from .base import Clock, NotFound


def public_media(sess: Session, clock: Clock, stored_name: str) -> MediaFile:
    """A file is served only while something public shows it (a photo of a person who
    withdrew consent stops being served at once, even to someone who kept its URL)."""
    media = sess.scalar(
        sa.select(MediaFile).where(
            sa.or_(MediaFile.stored_name == stored_name, MediaFile.thumb_name == stored_name),
            rules.servable_media_clause(),
        )
    )
    if media is None:
        raise NotFound(stored_name)
    owners = sess.scalars(
        sa.select(Person).where(Person.photo_id == media.id)
        .options(selectinload(Person.consents))
    ).all()
    if any(rules.shows_photo(owner, clock.today) for owner in owners):
        return media
    if not sess.scalar(sa.select(rules.media_shown_clause(media.id, clock.now))):
        raise NotFound(stored_name)
    return media
