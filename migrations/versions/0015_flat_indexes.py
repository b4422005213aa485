"""Indexes that keep the public pages flat with data size (issue 13): the newest edit,
publication and unpublication of live items, the news list of one kind and the coming
announcements, the banks' pages and «Наши наставники» in their order, a programme's
participants a page at a time, the moments consents' dates crossed, and what shows a file
(by the file's id). Each MAX() of the open data's Last-Modified becomes one index lookup
(``queries.base.latest``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

PUBLISHABLE = ('mentoring_case', 'mentoring_document', 'mentoring_material', 'mentoring_news',
               'mentoring_honor', 'mentoring_page')
INDEXES = [
    *((f'ix_{t}_upd', t, ['status', 'updated_at']) for t in PUBLISHABLE),
    *((f'ix_{t}_unpub', t, ['status', 'unpublish_at']) for t in PUBLISHABLE),
    ('ix_mentoring_news_kind_pub', 'mentoring_news', ['kind', 'status', 'published_at', 'id']),
    ('ix_mentoring_news_event_start', 'mentoring_news', ['event_starts_at']),
    ('ix_mentoring_news_image_id', 'mentoring_news', ['image_id']),
    ('ix_mentoring_document_file_id', 'mentoring_document', ['file_id']),
    ('ix_mentoring_material_file_id', 'mentoring_material', ['file_id']),
    ('ix_mentoring_case_photo_media_id', 'mentoring_case_photo', ['media_id']),
    ('ix_mentoring_case_attachment_media_id', 'mentoring_case_attachment', ['media_id']),
    ('ix_mentoring_person_photo_id', 'mentoring_person', ['photo_id']),
    ('ix_mentoring_news_event_end', 'mentoring_news', ['event_ends_at']),
    ('ix_mentoring_honor_year', 'mentoring_honor', ['year', 'id']),
    ('ix_mentoring_person_mentor_bank', 'mentoring_person',
     ['in_mentor_bank', 'last_name', 'first_name', 'id']),
    ('ix_mentoring_person_mentee_bank', 'mentoring_person',
     ['in_mentee_bank', 'last_name', 'first_name', 'id']),
    ('ix_mentoring_person_updated', 'mentoring_person', ['updated_at']),
    ('ix_mentoring_consent_updated', 'mentoring_consent', ['updated_at']),
    ('ix_mentoring_consent_signed_on', 'mentoring_consent', ['signed_on']),
    ('ix_mentoring_consent_withdrawn_on', 'mentoring_consent', ['withdrawn_on']),
    ('ix_mentoring_consent_valid_until', 'mentoring_consent', ['valid_until']),
    ('ix_mentoring_media_updated', 'mentoring_media', ['updated_at']),
    ('ix_mentoring_participation_program_role', 'mentoring_participation',
     ['program_id', 'role', 'id']),
    ('ix_mentoring_program_updated', 'mentoring_program', ['updated_at']),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
