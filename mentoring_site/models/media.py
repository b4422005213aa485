"""Uploaded files: photos, documents, consent scans."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column


class MediaKind(LabeledEnum):
    IMAGE = "image", "Изображение"
    DOCUMENT = "document", "Документ"


class MediaFile(Timestamped, Base):
    """One stored file. The name on disk is generated; the original name is only data."""

    __tablename__ = "mentoring_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[MediaKind] = mapped_column(enum_column(MediaKind))
    alt_text: Mapped[str] = mapped_column(sa.String(300), default="")
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    # Stored name of the thumbnail made from an image, if any.
    thumb_name: Mapped[str | None] = mapped_column(sa.String(80))
    # Private files (signed consents) are never served to the public.
    is_private: Mapped[bool] = mapped_column(default=False)

    @property
    def verified_ext(self) -> str:
        """The extension of what the file really is: the stored name's, which the upload
        got from its content (``media.filetypes``), never from the uploaded name."""
        return self.stored_name.rpartition(".")[2]


# The newest edit of a file (Last-Modified: the files the public is shown).
sa.Index("ix_mentoring_media_updated", MediaFile.updated_at)
