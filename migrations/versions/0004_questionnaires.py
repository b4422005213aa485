"""Questionnaires: the forms the public fills (questions of six kinds), the school's
consent to processing (versioned text), and the answers; three ready questionnaires.

The three questionnaires and the first consent text are seeded here, as 0003 seeds the
monitoring lists: frozen as released, then the school's own copy to edit. Seeding in the
migration (not on first use) keeps public pages read-only (a GET never writes) and gives a
fresh install and every test database the same rows. They are seeded closed: the school
opens a questionnaire after it has put its own details into the consent text.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# -- seed data: frozen here, as released (the school edits its copy in the database) ------

CONSENT_TEXT = """\
Заполняя анкету, я даю согласие оператору — образовательной организации, разместившей эту \
анкету на своём сайте, — на обработку моих персональных данных (статья 9 Федерального закона \
от 27.07.2006 № 152-ФЗ «О персональных данных»).

**Цели обработки:** формирование базы наставников и базы наставляемых, подбор наставнических \
пар и групп, организация персонализированных программ наставничества и оценка их результатов.

**Какие данные:** фамилия, имя, отчество; должность, преподаваемые предметы, стаж, \
квалификационная категория; телефон или адрес электронной почты; ответы на вопросы анкеты.

**Действия с данными:** сбор, запись, систематизация, хранение, уточнение, использование, \
удаление — без передачи третьим лицам и без распространения (публикации на сайте).

**Срок:** до достижения целей обработки, но не дольше одного года со дня заполнения анкеты, \
или до отзыва согласия.

**Как отозвать:** письменным заявлением куратору наставничества или руководителю \
образовательной организации; после отзыва ответы анкеты удаляются.

Согласие на публикацию сведений о себе на сайте этой анкетой не даётся: оно оформляется \
отдельно.
"""

EXPERIENCE = ["до 3 лет", "от 3 до 5 лет", "от 5 до 10 лет", "от 10 до 20 лет", "более 20 лет"]
# The regulations' typical professional difficulties of teachers (and what mentors offer).
TOPICS = [
    "Методика преподавания предмета",
    "Рабочие программы и документация",
    "Классное руководство и воспитательная работа",
    "Дисциплина, взаимодействие с обучающимися",
    "Работа с родителями",
    "Обучение детей с ОВЗ, инклюзивное образование",
    "Цифровые инструменты и ИКТ",
    "Подготовка обучающихся к ОГЭ и ЕГЭ, олимпиадам",
    "Аттестация и профессиональное развитие",
]
WORK_FORMS = ["Консультация", "Открытый урок", "Взаимопосещение уроков", "Мастер-класс",
              "Стажировка", "Онлайн-встреча"]
CONTACT = ("Телефон или адрес электронной почты",
           "Куратор свяжется с вами по этому адресу или телефону.")
SATISFIED = "1 — совсем не удовлетворены, 5 — полностью удовлетворены."

# (slug, title, purpose, intro, [(kind, text, help, required, options)])
QUESTIONNAIRES = [
    ("anketa-nastavnika", "Анкета наставника", "mentor",
     "Анкета для педагогов, готовых стать наставниками. По ответам куратор включит вас в "
     "базу наставников и предложит наставляемого, чьи запросы совпадают с вашим опытом.", [
         ("short", "Фамилия, имя, отчество", "", True, []),
         ("short", "Должность", "", True, []),
         ("short", "Преподаваемые предметы", "", True, []),
         ("one", "Педагогический стаж", "", True, EXPERIENCE),
         ("one", "Квалификационная категория", "", False,
          ["Без категории", "Первая", "Высшая", "Педагог-методист", "Педагог-наставник"]),
         ("several", "В чём вы готовы помогать коллегам", "Отметьте все подходящие "
          "направления.", True, TOPICS),
         ("one", "Есть ли у вас опыт наставничества", "", True,
          ["Да, уже был(а) наставником", "Нет, буду впервые"]),
         ("long", "Ваши сильные стороны и опыт, которым вы готовы делиться",
          "Например: приёмы, которые у вас хорошо получаются, проекты, достижения учеников.",
          True, []),
         ("several", "Удобные формы работы", "", False, WORK_FORMS),
         ("one", "Скольких наставляемых вы готовы сопровождать одновременно", "", False,
          ["Одного", "Двоих", "Троих и более (группу)"]),
         ("short", CONTACT[0], CONTACT[1], True, []),
     ]),
    ("anketa-nastavlyaemogo",
     "Анкета наставляемого (профессиональные затруднения и запросы)", "mentee",
     "Анкета для педагогов, которым нужна поддержка наставника: молодых специалистов, "
     "сменивших место работы, испытывающих затруднения. По вашим ответам куратор подберёт "
     "наставника и вместе с вами составит персонализированную программу.", [
         ("short", "Фамилия, имя, отчество", "", True, []),
         ("short", "Должность", "", True, []),
         ("short", "Преподаваемые предметы", "", False, []),
         ("one", "Педагогический стаж", "", True,
          ["менее 1 года", "от 1 до 3 лет", "от 3 до 5 лет", "более 5 лет"]),
         ("several", "Что о вас верно", "Отметьте всё подходящее.", False,
          ["Я молодой специалист (стаж до 3 лет)",
           "Я сменил(а) место работы, осваиваюсь в новом коллективе",
           "Испытываю профессиональные затруднения",
           "Чувствую эмоциональное выгорание, хроническую усталость",
           "Осваиваю цифровые инструменты"]),
         ("several", "В чём вы испытываете затруднения", "Отметьте все подходящие "
          "направления.", True, TOPICS),
         ("long", "Ваш запрос к наставнику", "Опишите, с чем вам нужна помощь и какого "
          "результата вы ждёте.", True, []),
         ("scale", "Насколько уверенно вы чувствуете себя в профессии сейчас",
          "1 — совсем не уверенно, 5 — полностью уверенно.", True, []),
         ("several", "Удобные формы работы", "", False, WORK_FORMS),
         ("date", "С какого дня вы готовы начать работу с наставником", "", False, []),
         ("short", CONTACT[0], CONTACT[1], True, []),
     ]),
    ("udovletvorennost-uchastiem", "Удовлетворённость участием в программе", "feedback",
     "Анонимный опрос участников программ наставничества по итогам работы. Ответы нужны для "
     "мониторинга программы и её улучшения.", [
         ("one", "Ваша роль в программе", "", True, ["Наставник", "Наставляемый"]),
         ("scale", "Насколько вы удовлетворены участием в программе в целом", SATISFIED, True,
          []),
         ("scale", "Насколько полезными были встречи и мероприятия программы", SATISFIED,
          True, []),
         ("scale", "Насколько программа помогла преодолеть профессиональные затруднения "
          "(достичь целей)", SATISFIED, True, []),
         ("scale", "Оцените взаимодействие в паре (группе) и психологический климат",
          SATISFIED, True, []),
         ("scale", "Насколько удобными были формы и график работы", SATISFIED, False, []),
         ("long", "Что было самым полезным", "", False, []),
         ("long", "Что стоит изменить в программе", "", False, []),
         ("one", "Готовы ли вы участвовать в наставничестве дальше", "", False,
          ["Да", "Да, в роли наставника", "Нет", "Затрудняюсь ответить"]),
     ]),
]

PURPOSE = sa.Enum('mentor', 'mentee', 'feedback', 'other', name='questionnairepurpose',
                  native_enum=False, create_constraint=True, length=32)
KIND = sa.Enum('short', 'long', 'one', 'several', 'scale', 'date', name='questionkind',
               native_enum=False, create_constraint=True, length=32)
STATUS = sa.Enum('new', 'processed', name='answerstatus', native_enum=False,
                 create_constraint=True, length=32)


def _stamps() -> list[sa.Column]:
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False)]


def _create_tables() -> None:
    op.create_table('mentoring_questionnaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('purpose', PURPOSE, nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=False),
    *_stamps(),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_program.id'], name=op.f('fk_mentoring_questionnaire_program_id_mentoring_program'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_questionnaire')),
    sa.UniqueConstraint('slug', name=op.f('uq_mentoring_questionnaire_slug'))
    )
    op.create_index(op.f('ix_mentoring_questionnaire_program_id'), 'mentoring_questionnaire', ['program_id'], unique=False)
    op.create_table('mentoring_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('kind', KIND, nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('help', sa.String(length=1000), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['mentoring_questionnaire.id'], name=op.f('fk_mentoring_question_questionnaire_id_mentoring_questionnaire'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_question'))
    )
    op.create_index(op.f('ix_mentoring_question_questionnaire_id'), 'mentoring_question', ['questionnaire_id'], unique=False)
    op.create_table('mentoring_processing_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_processing_consent')),
    sa.UniqueConstraint('number', name=op.f('uq_mentoring_processing_consent_number'))
    )
    op.create_table('mentoring_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consent_number', sa.Integer(), nullable=False),
    sa.Column('status', STATUS, nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    *_stamps(),
    sa.ForeignKeyConstraint(['person_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_answer_person_id_mentoring_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['mentoring_questionnaire.id'], name=op.f('fk_mentoring_answer_questionnaire_id_mentoring_questionnaire'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_answer'))
    )
    for column in ('person_id', 'questionnaire_id', 'status', 'submitted_at'):
        op.create_index(op.f(f'ix_mentoring_answer_{column}'), 'mentoring_answer', [column], unique=False)


def _insert(conn, table: str, **values) -> int:
    """Insert one row and return its id (works the same on SQLite and PostgreSQL)."""
    t = sa.table(table, *(sa.column(k) for k in (*values, 'id')))
    return conn.execute(sa.insert(t).values(**values).returning(t.c.id)).scalar_one()


def _seed(conn) -> None:
    now = sa.func.now() if conn.dialect.name == 'postgresql' else sa.func.current_timestamp()
    stamps = {'created_at': now, 'updated_at': now, 'version': 1}
    _insert(conn, 'mentoring_processing_consent', number=1, text=CONSENT_TEXT, created_at=now)
    question = sa.table('mentoring_question', *(sa.column(k) for k in (
        'questionnaire_id', 'sort', 'kind', 'text', 'help', 'required')),
        sa.column('options', sa.JSON()))
    for n, (slug, title, purpose, intro, questions) in enumerate(QUESTIONNAIRES, 1):
        qid = _insert(conn, 'mentoring_questionnaire', slug=slug, title=title, intro=intro,
                      purpose=purpose, is_open=False, sort=n, **stamps)
        conn.execute(sa.insert(question), [
            {'questionnaire_id': qid, 'sort': i, 'kind': kind, 'text': text, 'help': help_,
             'required': required, 'options': options}
            for i, (kind, text, help_, required, options) in enumerate(questions, 1)])


def upgrade() -> None:
    _create_tables()
    _seed(op.get_bind())


def downgrade() -> None:
    for table in ('mentoring_answer', 'mentoring_processing_consent', 'mentoring_question',
                  'mentoring_questionnaire'):
        op.drop_table(table)
