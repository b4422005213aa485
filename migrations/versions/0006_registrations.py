"""Event registration: an announcement's registration settings, the registrations (with
the consent text they were given under), and the outgoing mail queue.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

STATUS = sa.Enum('submitted', 'accepted', 'rejected', 'reserve', name='registrationstatus',
                 native_enum=False, create_constraint=True, length=32)


def _stamps() -> list[sa.Column]:
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table('mentoring_event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('news_id', sa.Integer(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('day_details', sa.Text(), nullable=False),
    *_stamps(),
    sa.ForeignKeyConstraint(['news_id'], ['mentoring_news.id'], name=op.f('fk_mentoring_event_registration_news_id_mentoring_news'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_event_registration')),
    sa.UniqueConstraint('news_id', name=op.f('uq_mentoring_event_registration_news_id'))
    )
    op.create_table('mentoring_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('news_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consent_number', sa.Integer(), nullable=False),
    sa.Column('status', STATUS, nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    *_stamps(),
    sa.ForeignKeyConstraint(['news_id'], ['mentoring_news.id'], name=op.f('fk_mentoring_registration_news_id_mentoring_news'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_registration'))
    )
    for column in ('news_id', 'status'):
        op.create_index(op.f(f'ix_mentoring_registration_{column}'), 'mentoring_registration', [column], unique=False)
    op.create_table('mentoring_mail_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_mail_message'))
    )
    for column in ('next_attempt_at', 'sent_at'):
        op.create_index(op.f(f'ix_mentoring_mail_message_{column}'), 'mentoring_mail_message', [column], unique=False)


def downgrade() -> None:
    for table in ('mentoring_mail_message', 'mentoring_registration',
                  'mentoring_event_registration'):
        op.drop_table(table)
