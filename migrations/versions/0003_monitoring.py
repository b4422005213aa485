"""Monitoring: the effectiveness sheet and scores, directions, categories, forms of work,
plan outcomes and templates, the switch for levels on the site.

Existing data is kept: each distinct free-text ``mentoring_program.direction`` becomes an
entry of the list of directions (or joins the seeded entry of that name) and is linked to
its programmes; plan events keep ``done_on`` (done events read as «выполнено»).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# -- seed data: frozen here, as released (the school edits its copy in the database) ------

# Regional order on management mentoring, 2.5 (nine), and the tenth from the slides.
DIRECTIONS = [
    "Управление развитием образовательной организации",
    "Управление деятельностью образовательной организации",
    "Управление качеством образования",
    "Организация инновационной деятельности",
    "Организация адаптивного образования для детей с ОВЗ и детей-инвалидов",
    "Обеспечение комплексной безопасности",
    "Организация воспитательной деятельности (в том числе внеурочной деятельности "
    "и дополнительного образования)",
    "Управление инвестиционной, финансово-хозяйственной деятельностью",
    "Управление кадровой политикой и развитием кадрового потенциала",
    "Ранняя профилизация при организации ФГОС нового поколения",
]

# The gymnasium programme, part 4: the banks of mentees and of mentors.
# (name, role, counts as a young specialist)
CATEGORIES = [
    ("Молодой специалист (стаж 0–3 года)", "mentee", True),
    ("Сменивший место работы / в процессе адаптации", "mentee", False),
    ("Испытывающий профессиональные трудности", "mentee", False),
    ("Эмоциональное выгорание, хроническая усталость", "mentee", False),
    ("Осваивающий цифровые инструменты, ИКТ-компетенции", "mentee", False),
    ("Мотивированный помогать молодым специалистам", "mentor", False),
    ("Заинтересованный в тиражировании опыта", "mentor", False),
]

WORK_FORMS = [
    "Консультация", "Супервизия", "Стажировка", "Мастер-класс", "Открытый урок",
    "Семинар", "Практикум", "Тренинг", "Анкетирование", "Самоанализ", "Проектная сессия",
    "Встреча", "Онлайн-встреча", "Взаимопосещение уроков", "Повышение квалификации",
]

SHEET_NAME = "Показатели эффективности реализации программы наставничества"
# The gymnasium programme's sheet: criteria and their indicators, in order.
CRITERIA = [
    ("Оценка Программы наставничества в организации", [
        "Соответствие наставнической деятельности цели и задачам, по которым она "
        "осуществляется",
        "Оценка соответствия организации наставнической деятельности принципам, заложенным "
        "в программе",
        "Соответствие наставнической деятельности современным подходам и технологиям",
        "Наличие комфортного психологического климата в организации",
        "Логичность деятельности наставника, понимание им ситуации наставляемого и "
        "правильность выбора основного направления взаимодействия",
    ]),
    ("Определение эффективности участников наставнической деятельности в организации", [
        "Степень удовлетворенности всех участников наставнической деятельности",
        "Уровень удовлетворенности партнеров от взаимодействия в наставнической деятельности",
    ]),
    ("Изменения в личности наставляемого", [
        "Активность и заинтересованность в участии в мероприятиях, связанных с "
        "наставнической деятельностью",
        "Степень применения наставляемыми полученных от наставника знаний, умений и опыта в "
        "профессиональных (учебных, жизненных) ситуациях, активная гражданская позиция",
    ]),
]
ANSWERS = [("Проявляется в полной мере", 2), ("Частично проявляется", 1),
           ("Не проявляется", 0)]
LEVELS = [("оптимальный", 15, 18), ("допустимый", 9, 14), ("недопустимый", 0, 8)]

# The regional order's typical programme, its plan paraphrased, for a programme of a year.
# (stage, form of work or None, title, responsible, due: days after the start)
TEMPLATE_NAME = "Типовая программа: три этапа (по региональному положению)"
TEMPLATE_DESCRIPTION = (
    "План типовой программы наставничества: организационный, практический и заключительный "
    "этапы. Сроки рассчитаны на год; для более короткой программы поправьте их после "
    "применения шаблона."
)
TEMPLATE = [
    ("organizational", None, "Соглашение об участии в программе наставничества",
     "Куратор, наставник, наставляемый", 7),
    ("organizational", "Супервизия", "Супервизия «на входе»: самоанализ затруднений "
     "наставляемого, выбор направлений", "Наставляемый", 14),
    ("organizational", "Консультация", "Знакомство наставника с документами и задачами "
     "наставляемого", "Наставник", 21),
    ("organizational", "Встреча", "Установочная встреча: формат работы, цели, проект плана",
     "Наставник и наставляемый", 28),
    ("practical", "Консультация", "Индивидуальные консультации по выявленным затруднениям",
     "Наставник", 60),
    ("practical", "Онлайн-встреча", "Встречи онлайн по согласованию сторон",
     "Наставник и наставляемый", 90),
    ("practical", "Практикум", "Практикум по обновлению рабочей документации", "Наставник",
     120),
    ("practical", "Стажировка", "Стажировка у наставника: система работы, документы, приёмы",
     "Наставник", 180),
    ("practical", "Повышение квалификации", "Повышение квалификации по направлению "
     "наставничества", "Наставляемый", 240),
    ("practical", "Анкетирование", "Промежуточная оценка результатов, при необходимости "
     "корректировка программы", "Куратор", 270),
    ("final", "Супервизия", "Супервизия «на выходе»: анализ достигнутого", "Наставник", 330),
    ("final", "Проектная сессия", "Проектная сессия: цели и результаты, рефлексия, план "
     "дальнейшего развития", "Наставник и наставляемый", 345),
    ("final", None, "Справка-отчёт о реализации программы", "Куратор", 360),
]

ROLE = sa.Enum('mentor', 'mentee', name='role', native_enum=False, create_constraint=True,
               length=32)
STAGE = sa.Enum('organizational', 'practical', 'final', name='planstage', native_enum=False,
                create_constraint=True, length=32)
ASSESSMENT_STAGE = sa.Enum('entry', 'final', name='assessmentstage', native_enum=False,
                           create_constraint=True, length=32)


def _stamps() -> list[sa.Column]:
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False)]


def _create_tables() -> None:
    op.create_table('mentoring_direction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_direction')),
    sa.UniqueConstraint('name', name=op.f('uq_mentoring_direction_name'))
    )
    op.create_table('mentoring_person_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('role', ROLE, nullable=False),
    sa.Column('young_specialist', sa.Boolean(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_person_category')),
    sa.UniqueConstraint('role', 'name', name='role_name')
    )
    op.create_table('mentoring_work_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_work_form')),
    sa.UniqueConstraint('name', name=op.f('uq_mentoring_work_form_name'))
    )
    op.create_table('mentoring_sheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_stamps(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sheet'))
    )
    op.create_table('mentoring_sheet_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['mentoring_sheet.id'], name=op.f('fk_mentoring_sheet_criterion_sheet_id_mentoring_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sheet_criterion'))
    )
    op.create_index(op.f('ix_mentoring_sheet_criterion_sheet_id'), 'mentoring_sheet_criterion', ['sheet_id'], unique=False)
    op.create_table('mentoring_sheet_indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['mentoring_sheet_criterion.id'], name=op.f('fk_mentoring_sheet_indicator_criterion_id_mentoring_sheet_criterion'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sheet_indicator'))
    )
    op.create_index(op.f('ix_mentoring_sheet_indicator_criterion_id'), 'mentoring_sheet_indicator', ['criterion_id'], unique=False)
    op.create_table('mentoring_sheet_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['mentoring_sheet.id'], name=op.f('fk_mentoring_sheet_answer_sheet_id_mentoring_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sheet_answer'))
    )
    op.create_index(op.f('ix_mentoring_sheet_answer_sheet_id'), 'mentoring_sheet_answer', ['sheet_id'], unique=False)
    op.create_table('mentoring_sheet_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('min_total', sa.Integer(), nullable=False),
    sa.Column('max_total', sa.Integer(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['mentoring_sheet.id'], name=op.f('fk_mentoring_sheet_level_sheet_id_mentoring_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sheet_level'))
    )
    op.create_index(op.f('ix_mentoring_sheet_level_sheet_id'), 'mentoring_sheet_level', ['sheet_id'], unique=False)
    op.create_table('mentoring_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('stage', ASSESSMENT_STAGE, nullable=False),
    sa.Column('scored_on', sa.Date(), nullable=False),
    sa.Column('assessor_name', sa.String(length=200), nullable=False),
    sa.Column('assessor_account_id', sa.Integer(), nullable=True),
    *_stamps(),
    sa.ForeignKeyConstraint(['assessor_account_id'], ['mentoring_account.id'], name=op.f('fk_mentoring_assessment_assessor_account_id_mentoring_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_assessment_person_id_mentoring_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_program.id'], name=op.f('fk_mentoring_assessment_program_id_mentoring_program'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['mentoring_sheet.id'], name=op.f('fk_mentoring_assessment_sheet_id_mentoring_sheet')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_assessment'))
    )
    for column in ('person_id', 'program_id', 'sheet_id'):
        op.create_index(op.f(f'ix_mentoring_assessment_{column}'), 'mentoring_assessment', [column], unique=False)
    op.create_table('mentoring_assessment_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['mentoring_assessment.id'], name=op.f('fk_mentoring_assessment_answer_assessment_id_mentoring_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['mentoring_sheet_indicator.id'], name=op.f('fk_mentoring_assessment_answer_indicator_id_mentoring_sheet_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_assessment_answer')),
    sa.UniqueConstraint('assessment_id', 'indicator_id', name='assessment_indicator')
    )
    op.create_index(op.f('ix_mentoring_assessment_answer_assessment_id'), 'mentoring_assessment_answer', ['assessment_id'], unique=False)
    op.create_table('mentoring_program_direction',
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('direction_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['direction_id'], ['mentoring_direction.id'], name=op.f('fk_mentoring_program_direction_direction_id_mentoring_direction'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_program.id'], name=op.f('fk_mentoring_program_direction_program_id_mentoring_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('program_id', 'direction_id', name=op.f('pk_mentoring_program_direction'))
    )
    op.create_index(op.f('ix_mentoring_program_direction_direction_id'), 'mentoring_program_direction', ['direction_id'], unique=False)
    op.create_table('mentoring_person_category_link',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['mentoring_person_category.id'], name=op.f('fk_mentoring_person_category_link_category_id_mentoring_person_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_person_category_link_person_id_mentoring_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'category_id', name=op.f('pk_mentoring_person_category_link'))
    )
    op.create_index(op.f('ix_mentoring_person_category_link_category_id'), 'mentoring_person_category_link', ['category_id'], unique=False)
    op.create_table('mentoring_plan_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_plan_template')),
    sa.UniqueConstraint('name', name=op.f('uq_mentoring_plan_template_name'))
    )
    op.create_table('mentoring_plan_template_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('stage', STAGE, nullable=False),
    sa.Column('work_form_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('responsible', sa.String(length=300), nullable=False),
    sa.Column('due_offset_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['mentoring_plan_template.id'], name=op.f('fk_mentoring_plan_template_item_template_id_mentoring_plan_template'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_form_id'], ['mentoring_work_form.id'], name=op.f('fk_mentoring_plan_template_item_work_form_id_mentoring_work_form'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_plan_template_item'))
    )
    op.create_index(op.f('ix_mentoring_plan_template_item_template_id'), 'mentoring_plan_template_item', ['template_id'], unique=False)


def _insert(conn, table: str, **values) -> int:
    """Insert one row and return its id (works the same on SQLite and PostgreSQL)."""
    t = sa.table(table, *(sa.column(k) for k in (*values, 'id')))
    return conn.execute(sa.insert(t).values(**values).returning(t.c.id)).scalar_one()


def _seed(conn) -> None:
    now = sa.func.now() if conn.dialect.name == 'postgresql' else sa.func.current_timestamp()
    stamps = {'created_at': now, 'updated_at': now, 'version': 1}
    for i, name in enumerate(DIRECTIONS, 1):
        _insert(conn, 'mentoring_direction', name=name, sort=i)
    for i, (name, role, young) in enumerate(CATEGORIES, 1):
        _insert(conn, 'mentoring_person_category', name=name, role=role,
                young_specialist=young, sort=i)
    forms = {name: _insert(conn, 'mentoring_work_form', name=name, sort=i)
             for i, name in enumerate(WORK_FORMS, 1)}

    sheet = _insert(conn, 'mentoring_sheet', name=SHEET_NAME, active=True, **stamps)
    for c, (criterion, indicators) in enumerate(CRITERIA, 1):
        cid = _insert(conn, 'mentoring_sheet_criterion', sheet_id=sheet, title=criterion, sort=c)
        for i, title in enumerate(indicators, 1):
            _insert(conn, 'mentoring_sheet_indicator', criterion_id=cid, title=title, sort=i)
    for i, (label, points) in enumerate(ANSWERS, 1):
        _insert(conn, 'mentoring_sheet_answer', sheet_id=sheet, label=label, points=points,
                sort=i)
    for i, (name, low, high) in enumerate(LEVELS, 1):
        _insert(conn, 'mentoring_sheet_level', sheet_id=sheet, name=name, min_total=low,
                max_total=high, sort=i)

    template = _insert(conn, 'mentoring_plan_template', name=TEMPLATE_NAME,
                       description=TEMPLATE_DESCRIPTION)
    for i, (stage, form, title, responsible, days) in enumerate(TEMPLATE, 1):
        _insert(conn, 'mentoring_plan_template_item', template_id=template, sort=i, stage=stage,
                work_form_id=forms[form] if form else None, title=title,
                responsible=responsible, due_offset_days=days)


def _directions_to_list(conn) -> None:
    """Each distinct free-text direction becomes a list entry (or joins one of that name)."""
    known = {name.lower(): id_ for id_, name in
             conn.execute(sa.text('SELECT id, name FROM mentoring_direction'))}
    sort = len(known)
    rows = conn.execute(sa.text(
        "SELECT id, direction FROM mentoring_program WHERE direction <> '' ORDER BY id"))
    for program_id, text in list(rows):
        name = ' '.join(text.split())
        if not name:
            continue
        if name.lower() not in known:
            sort += 1
            known[name.lower()] = _insert(conn, 'mentoring_direction', name=name, sort=sort)
        conn.execute(sa.text('INSERT INTO mentoring_program_direction (program_id, direction_id) '
                             'VALUES (:p, :d)'), {'p': program_id, 'd': known[name.lower()]})


def upgrade() -> None:
    _create_tables()
    conn = op.get_bind()
    _seed(conn)
    _directions_to_list(conn)
    # Not batch on SQLite: recreating mentoring_program would cascade-delete its rows
    # (foreign keys are on). SQLite >= 3.35 drops a plain column in place.
    op.drop_column('mentoring_program', 'direction')
    # The curator's conclusions for the справка-отчёт («общие выводы»). The server default
    # stays: dropping it would mean recreating mentoring_program on SQLite (see above).
    op.add_column('mentoring_program', sa.Column('conclusions', sa.Text(), nullable=False,
                                                 server_default=sa.text("''")))

    with op.batch_alter_table('mentoring_plan_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', STAGE, nullable=True))
        batch_op.add_column(sa.Column('work_form_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('responsible', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('result', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('not_done_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(
            batch_op.f('fk_mentoring_plan_event_work_form_id_mentoring_work_form'),
            'mentoring_work_form', ['work_form_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(
            op.f('ck_mentoring_plan_event_one_outcome'), "done_on IS NULL OR not_done_reason = ''")
    with op.batch_alter_table('mentoring_plan_event', schema=None) as batch_op:
        for column in ('responsible', 'result', 'not_done_reason'):
            batch_op.alter_column(column, server_default=None)

    with op.batch_alter_table('mentoring_section_info', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_effectiveness_level', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('mentoring_section_info', schema=None) as batch_op:
        batch_op.alter_column('show_effectiveness_level', server_default=None)


def downgrade() -> None:
    op.drop_column('mentoring_program', 'conclusions')
    with op.batch_alter_table('mentoring_section_info', schema=None) as batch_op:
        batch_op.drop_column('show_effectiveness_level')
    with op.batch_alter_table('mentoring_plan_event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_mentoring_plan_event_one_outcome'), type_='check')
        for name in _checks_on('mentoring_plan_event', 'stage', 'ck_mentoring_plan_event_planstage'):
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_mentoring_plan_event_work_form_id_mentoring_work_form'),
            type_='foreignkey')
        for column in ('not_done_reason', 'result', 'responsible', 'work_form_id', 'stage'):
            batch_op.drop_column(column)

    # The directions go back into the free-text column, joined as the API showed them.
    op.add_column('mentoring_program', sa.Column('direction', sa.String(length=300),
                                                 nullable=False, server_default=''))
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        'SELECT pd.program_id, d.name FROM mentoring_program_direction pd '
        'JOIN mentoring_direction d ON d.id = pd.direction_id ORDER BY pd.program_id, d.sort, d.id'))
    joined: dict[int, list[str]] = {}
    for program_id, name in rows:
        joined.setdefault(program_id, []).append(name)
    for program_id, names in joined.items():
        conn.execute(sa.text('UPDATE mentoring_program SET direction = :d WHERE id = :p'),
                     {'d': '; '.join(names)[:300], 'p': program_id})

    for table in ('mentoring_plan_template_item', 'mentoring_plan_template',
                  'mentoring_person_category_link', 'mentoring_program_direction',
                  'mentoring_assessment_answer', 'mentoring_assessment', 'mentoring_sheet_level',
                  'mentoring_sheet_answer', 'mentoring_sheet_indicator',
                  'mentoring_sheet_criterion', 'mentoring_sheet', 'mentoring_work_form',
                  'mentoring_person_category', 'mentoring_direction'):
        op.drop_table(table)


def _checks_on(table: str, column: str, conventional: str) -> list:
    """The CHECK constraint(s) on ``column`` by what they check, not by name: Alembic before
    1.20 named the one an Enum column made in batch mode (SQLite) by the type's name
    (``planstage``), without the naming convention, so the conventional name alone missed it
    and the rebuilt table kept a CHECK on a dropped column."""
    pattern = re.compile(rf'\b{column}\b')
    found = [op.f(c['name']) for c in sa.inspect(op.get_bind()).get_check_constraints(table)
             if c.get('name') and pattern.search(c.get('sqltext') or '')]
    return found or [op.f(conventional)]
