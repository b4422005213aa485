"""The section's own curator accounts (used when the host has no users of its own)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now_utc
from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column


class AccountRole(LabeledEnum):
    CURATOR = "curator", "Куратор"
    EDITOR = "editor", "Редактор (новости и материалы)"
    # The municipal office's site (issue 12): the registry, the League, management mentoring.
    MUNICIPAL_CURATOR = "municipal_curator", "Муниципальный куратор"
    REGISTRY = "registry", "Специалист управления образования (реестр)"


class Account(Timestamped, Base):
    __tablename__ = "mentoring_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(sa.String(100), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[AccountRole] = mapped_column(enum_column(AccountRole))
    # Rotated at logout and password change: a copied session cookie stops working.
    session_token: Mapped[str] = mapped_column(sa.String(64))
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    is_active: Mapped[bool] = mapped_column(default=True)


class AuditEntry(Base):
    """Who changed what and when; text fields keep their before and after."""

    #: A key of ``changes`` (never a column): the change took a public record off the site
    #: (unpublished, hidden, deleted). The open data's Last-Modified reads only such
    #: entries and public rows, so a draft's edit moves nothing; the journal hides the key.
    HID_PUBLIC = "_hid_public"

    __tablename__ = "mentoring_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    actor: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(32))
    item_kind: Mapped[str] = mapped_column(sa.String(32))
    item_id: Mapped[int | None] = mapped_column(sa.Integer)
    item_title: Mapped[str] = mapped_column(sa.String(300), default="")
    changes: Mapped[dict | None] = mapped_column(sa.JSON)


class LoginThrottle(Base):
    """Failed logins per key (an account, an address, or both): waits grow, then expire.

    Waits are bounded, so a stranger typing wrong passwords can slow the real curator
    down for minutes at most, never lock her out for good.
    """

    __tablename__ = "mentoring_login_throttle"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime] = mapped_column(default=now_utc)
    blocked_until: Mapped[datetime | None] = mapped_column()
