"""The section's tables and the catalog of mentoring forms.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


# The forms named in the source regulations (Р-145, АЗ-1128/08, the regional
# management-mentoring regulation); the curator may add more.
PROGRAM_FORMS = [
    ("учитель – учитель", "teachers"),
    ("руководитель образовательной организации – учитель", "teachers"),
    ("педагог – педагог (группа)", "teachers"),
    ("работодатель – студент", "teachers"),
    ("педагог вуза/колледжа – молодой педагог", "teachers"),
    ("опытная – развивающаяся управленческая команда", "teachers"),
    ("ученик – ученик", "students"),
    ("учитель – ученик", "students"),
    ("студент – ученик", "students"),
    ("работодатель – ученик", "students"),
]


def upgrade() -> None:
    op.create_table('mentoring_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('role', sa.Enum('curator', 'editor', name='accountrole', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_last_step', sa.BigInteger(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_account')),
    sa.UniqueConstraint('login', name=op.f('uq_mentoring_account_login'))
    )
    op.create_table('mentoring_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('item_kind', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('item_title', sa.String(length=300), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_audit'))
    )
    with op.batch_alter_table('mentoring_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_audit_at'), ['at'], unique=False)

    op.create_table('mentoring_media',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('image', 'document', name='mediakind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('alt_text', sa.String(length=300), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('thumb_name', sa.String(length=80), nullable=True),
    sa.Column('is_private', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_media')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_mentoring_media_stored_name'))
    )
    op.create_table('mentoring_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('unpublish_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_page')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_page_slug'))
    )
    with op.batch_alter_table('mentoring_page', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_page_pub', ['status', 'published_at'], unique=False)

    op.create_table('mentoring_program_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('target_group', sa.Enum('teachers', 'students', name='targetgroup', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_program_form')),
    sa.UniqueConstraint('name', name=op.f('uq_mentoring_program_form_name'))
    )
    op.create_table('mentoring_section_info',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('curator_name', sa.String(length=200), nullable=False),
    sa.Column('curator_position', sa.String(length=200), nullable=False),
    sa.Column('curator_phone', sa.String(length=60), nullable=False),
    sa.Column('curator_email', sa.String(length=200), nullable=False),
    sa.Column('curator_hours', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_section_info'))
    )
    op.create_table('mentoring_slug_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('old_slug', sa.String(length=160), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_slug_history')),
    sa.UniqueConstraint('kind', 'old_slug', name='kind_old_slug')
    )
    op.create_table('mentoring_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('level', sa.Enum('federal', 'regional', 'municipal', 'local', name='doclevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kind', sa.Enum('law', 'decree', 'resolution', 'directive', 'order', 'letter', 'regulation', 'roadmap', 'program', 'other', name='dockind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('in_force', sa.Boolean(), nullable=False),
    sa.Column('repealed_on', sa.Date(), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('unpublish_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_document_file_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_document')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_document_slug'))
    )
    with op.batch_alter_table('mentoring_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_document_level'), ['level'], unique=False)
        batch_op.create_index('ix_mentoring_document_pub', ['status', 'published_at'], unique=False)

    op.create_table('mentoring_material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.Enum('recommendation', 'template', 'diagnostic', 'presentation', name='materialkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('unpublish_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_material_file_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_material')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_material_slug'))
    )
    with op.batch_alter_table('mentoring_material', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_material_pub', ['status', 'published_at'], unique=False)

    op.create_table('mentoring_news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.Enum('news', 'announcement', name='newskind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=True),
    sa.Column('event_starts_at', sa.DateTime(), nullable=True),
    sa.Column('event_ends_at', sa.DateTime(), nullable=True),
    sa.Column('event_place', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('unpublish_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_news_image_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_news')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_news_slug'))
    )
    with op.batch_alter_table('mentoring_news', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_news_pub', ['status', 'published_at'], unique=False)

    op.create_table('mentoring_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('middle_name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('teacher', 'leader', 'student', 'partner', name='personkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('subjects', sa.String(length=300), nullable=False),
    sa.Column('qualification', sa.String(length=100), nullable=False),
    sa.Column('experience_years', sa.Integer(), nullable=True),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('awards', sa.Text(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('in_mentor_bank', sa.Boolean(), nullable=False),
    sa.Column('in_mentee_bank', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_person_photo_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_person')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_person_slug'))
    )
    op.create_table('mentoring_program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('traditional', 'group', 'reverse', 'virtual', 'situational', 'speed', 'short_term', name='programtype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('direction', sa.String(length=300), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('initial_end_on', sa.Date(), nullable=False),
    sa.Column('planned_end_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'active', 'completed', 'ended_early', name='programstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('early_end_reason', sa.Enum('participants', 'curator', name='earlyendreason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('early_end_note', sa.Text(), nullable=False),
    sa.Column('order_number', sa.String(length=50), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['mentoring_program_form.id'], name=op.f('fk_mentoring_program_form_id_mentoring_program_form')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_program')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_program_slug'))
    )
    with op.batch_alter_table('mentoring_program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_program_status'), ['status'], unique=False)

    op.create_table('mentoring_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('unpublish_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_program.id'], name=op.f('fk_mentoring_case_program_id_mentoring_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_case')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_case_slug'))
    )
    with op.batch_alter_table('mentoring_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_case_program_id'), ['program_id'], unique=False)
        batch_op.create_index('ix_mentoring_case_pub', ['status', 'published_at'], unique=False)

    op.create_table('mentoring_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('allow_name', sa.Boolean(), nullable=False),
    sa.Column('allow_position', sa.Boolean(), nullable=False),
    sa.Column('allow_photo', sa.Boolean(), nullable=False),
    sa.Column('allow_bio', sa.Boolean(), nullable=False),
    sa.Column('allow_experience', sa.Boolean(), nullable=False),
    sa.Column('allow_awards', sa.Boolean(), nullable=False),
    sa.Column('site_url', sa.String(length=300), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('document_ref', sa.String(length=200), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_consent_person_id_mentoring_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scan_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_consent_scan_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_consent'))
    )
    with op.batch_alter_table('mentoring_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_consent_person_id'), ['person_id'], unique=False)

    op.create_table('mentoring_honor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('unpublish_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_honor_partner_id_mentoring_person')),
    sa.ForeignKeyConstraint(['person_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_honor_person_id_mentoring_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_honor'))
    )
    with op.batch_alter_table('mentoring_honor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_honor_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_mentoring_honor_pub', ['status', 'published_at'], unique=False)

    op.create_table('mentoring_participation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('mentor', 'mentee', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_participation_person_id_mentoring_person')),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_program.id'], name=op.f('fk_mentoring_participation_program_id_mentoring_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_participation')),
    sa.UniqueConstraint('program_id', 'person_id', name='program_person')
    )
    with op.batch_alter_table('mentoring_participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_participation_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_participation_program_id'), ['program_id'], unique=False)

    op.create_table('mentoring_plan_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_program.id'], name=op.f('fk_mentoring_plan_event_program_id_mentoring_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_plan_event'))
    )
    with op.batch_alter_table('mentoring_plan_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_plan_event_program_id'), ['program_id'], unique=False)

    op.create_table('mentoring_program_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('previous_end_on', sa.Date(), nullable=False),
    sa.Column('new_end_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_program.id'], name=op.f('fk_mentoring_program_extension_program_id_mentoring_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_program_extension'))
    )
    with op.batch_alter_table('mentoring_program_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_program_extension_program_id'), ['program_id'], unique=False)

    op.create_table('mentoring_case_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mentoring_case.id'], name=op.f('fk_mentoring_case_attachment_case_id_mentoring_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_case_attachment_media_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_case_attachment'))
    )
    with op.batch_alter_table('mentoring_case_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_case_attachment_case_id'), ['case_id'], unique=False)

    op.create_table('mentoring_case_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mentoring_case.id'], name=op.f('fk_mentoring_case_photo_case_id_mentoring_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_case_photo_media_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_case_photo'))
    )
    with op.batch_alter_table('mentoring_case_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_case_photo_case_id'), ['case_id'], unique=False)

    form_table = sa.table(
        "mentoring_program_form",
        sa.column("name", sa.String),
        sa.column("target_group", sa.String),
        sa.column("sort", sa.Integer),
    )
    op.bulk_insert(
        form_table,
        [
            {"name": name, "target_group": group, "sort": i * 10}
            for i, (name, group) in enumerate(PROGRAM_FORMS, start=1)
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table('mentoring_case_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_case_photo_case_id'))

    op.drop_table('mentoring_case_photo')
    with op.batch_alter_table('mentoring_case_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_case_attachment_case_id'))

    op.drop_table('mentoring_case_attachment')
    with op.batch_alter_table('mentoring_program_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_program_extension_program_id'))

    op.drop_table('mentoring_program_extension')
    with op.batch_alter_table('mentoring_plan_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_plan_event_program_id'))

    op.drop_table('mentoring_plan_event')
    with op.batch_alter_table('mentoring_participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_participation_program_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_participation_person_id'))

    op.drop_table('mentoring_participation')
    with op.batch_alter_table('mentoring_honor', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_honor_pub')
        batch_op.drop_index(batch_op.f('ix_mentoring_honor_person_id'))

    op.drop_table('mentoring_honor')
    with op.batch_alter_table('mentoring_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_consent_person_id'))

    op.drop_table('mentoring_consent')
    with op.batch_alter_table('mentoring_case', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_case_pub')
        batch_op.drop_index(batch_op.f('ix_mentoring_case_program_id'))

    op.drop_table('mentoring_case')
    with op.batch_alter_table('mentoring_program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_program_status'))

    op.drop_table('mentoring_program')
    op.drop_table('mentoring_person')
    with op.batch_alter_table('mentoring_news', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_news_pub')

    op.drop_table('mentoring_news')
    with op.batch_alter_table('mentoring_material', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_material_pub')

    op.drop_table('mentoring_material')
    with op.batch_alter_table('mentoring_document', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_document_pub')
        batch_op.drop_index(batch_op.f('ix_mentoring_document_level'))

    op.drop_table('mentoring_document')
    op.drop_table('mentoring_slug_history')
    op.drop_table('mentoring_section_info')
    op.drop_table('mentoring_program_form')
    with op.batch_alter_table('mentoring_page', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_page_pub')

    op.drop_table('mentoring_page')
    op.drop_table('mentoring_media')
    with op.batch_alter_table('mentoring_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_audit_at'))

    op.drop_table('mentoring_audit')
    op.drop_table('mentoring_account')
