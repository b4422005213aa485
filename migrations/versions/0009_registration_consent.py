"""A consent-to-processing text of its own for event registration: the questionnaires'
text speaks of «анкета», which a person registering for a seminar never fills.

``mentoring_processing_consent.purpose`` says which form a text is asked with (existing
rows: the questionnaires'); the registration's first text is seeded here, numbered after
the school's latest edition (numbers stay one sequence, as registrations and answers keep
the number they were given under). The school edits its copy on the admin screen.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

PURPOSE = sa.Enum('questionnaire', 'registration', name='consentpurpose', native_enum=False,
                  create_constraint=True, length=32)

# -- seed data: frozen here, as released (the school edits its copy in the database) ------

REGISTRATION_TEXT = """\
Подавая заявку на участие в мероприятии, я даю согласие оператору — образовательной \
организации, разместившей объявление о мероприятии на своём сайте, — на обработку моих \
персональных данных (статья 9 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных \
данных»).

**Цели обработки:** рассмотрение заявки и учёт участников мероприятия; письма мне о заявке: \
подтверждение, решение по ней, место проведения или ссылка на подключение.

**Какие данные:** фамилия, имя, отчество; место работы или учёбы; адрес электронной почты; \
комментарий к заявке, если я его оставил(а).

**Действия с данными:** сбор, запись, систематизация, хранение, уточнение, использование, \
удаление — без передачи третьим лицам и без распространения (публикации на сайте).

**Срок:** до достижения целей обработки (проведения мероприятия и учёта его участников) \
или до отзыва согласия.

**Как отозвать:** письменным заявлением куратору наставничества или руководителю \
образовательной организации; после отзыва заявка удаляется.

Согласие на публикацию сведений о себе на сайте этим согласием не даётся: оно оформляется \
отдельно.
"""


def upgrade() -> None:
    with op.batch_alter_table('mentoring_processing_consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', PURPOSE, nullable=False,
                                      server_default='questionnaire'))
    with op.batch_alter_table('mentoring_processing_consent', schema=None) as batch_op:
        batch_op.alter_column('purpose', server_default=None)
    conn = op.get_bind()
    table = sa.table('mentoring_processing_consent', sa.column('number'), sa.column('text'),
                     sa.column('purpose'), sa.column('created_at'))
    latest = conn.scalar(sa.select(sa.func.max(table.c.number))) or 0
    now = sa.func.now() if conn.dialect.name == 'postgresql' else sa.func.current_timestamp()
    conn.execute(sa.insert(table).values(number=latest + 1, text=REGISTRATION_TEXT,
                                         purpose='registration', created_at=now))


def downgrade() -> None:
    # Registrations keep their own copy of the text they were given under: nothing points
    # at these rows, and without ``purpose`` they would pass for questionnaire texts.
    op.execute("DELETE FROM mentoring_processing_consent WHERE purpose = 'registration'")
    with op.batch_alter_table('mentoring_processing_consent', schema=None) as batch_op:
        for name in _purpose_checks():
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_column('purpose')


def _purpose_checks() -> list:
    """The CHECK constraint(s) on ``purpose`` by what they check, not by name: Alembic before
    1.20 named the one it made in batch mode (SQLite) ``consentpurpose``, without the naming
    convention, so a name written here matched only the newer Alembic's."""
    checks = sa.inspect(op.get_bind()).get_check_constraints('mentoring_processing_consent')
    found = [op.f(c['name']) for c in checks
             if c.get('name') and re.search(r'\bpurpose\b', c.get('sqltext') or '')]
    return found or [op.f('ck_mentoring_processing_consent_consentpurpose')]
