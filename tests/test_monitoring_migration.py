"""Migration 0003 on a database that already holds 0002 data: the free-text direction
becomes a list entry, done plan events stay done, nothing is lost; and back down to 0002."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mentoring_site.migrate import current_revision, downgrade, head_revision, upgrade
from mentoring_site.models import (
    Direction,
    PersonCategory,
    PlanEvent,
    PlanOutcome,
    PlanTemplate,
    Program,
    Role,
    WorkForm,
)
from tests.conftest import make_app

OLD_DIRECTIONS = ["Методика преподавания", "  Методика   преподавания ",
                  "управление качеством образования", "", "Работа с родителями"]


@pytest.fixture
def old_app(empty_database_uri, tmp_path):
    """An app on a database at revision 0002 with programmes and plans in it."""
    app = make_app(empty_database_uri, tmp_path)
    upgrade(app, "0002")
    with app.extensions["mentoring"].engine.begin() as conn:
        form_id = conn.scalar(sa.text("SELECT min(id) FROM mentoring_program_form"))
        for n, direction in enumerate(OLD_DIRECTIONS, 1):
            conn.execute(sa.text(
                "INSERT INTO mentoring_program (id, slug, title, form_id, type, direction, goal, "
                "starts_on, initial_end_on, planned_end_on, status, early_end_note, "
                "order_number, results, is_public, created_at, updated_at, version) VALUES "
                "(:id, :slug, :title, :form, 'traditional', :direction, '', '2026-01-10', "
                "'2026-07-10', '2026-07-10', 'active', '', '', '', :pub, '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00', 1)"),
                {"id": n, "slug": f"p{n}", "title": f"Программа {n}", "form": form_id,
                 "direction": direction, "pub": True})
        conn.execute(sa.text(
            "INSERT INTO mentoring_plan_event (program_id, title, due_on, done_on) VALUES "
            "(1, 'Встреча', '2026-02-01', '2026-02-02'), (1, 'Открытый урок', '2026-03-01', NULL)"))
        conn.execute(sa.text(
            "INSERT INTO mentoring_section_info (id, intro, curator_name, curator_position, "
            "curator_phone, curator_email, curator_hours, created_at, updated_at, version) "
            "VALUES (1, 'О разделе', '', '', '', '', '', '2026-01-01 00:00:00', "
            "'2026-01-01 00:00:00', 1)"))
    yield app
    app.extensions["mentoring"].engine.dispose()


def _session(app):
    return app.extensions["mentoring"].session()


def test_upgrade_keeps_old_data_and_moves_directions_into_the_list(old_app):
    upgrade(old_app)
    assert current_revision(old_app) == head_revision()
    with old_app.app_context():
        sess = _session(old_app)
        names = list(sess.scalars(sa.select(Direction.name).order_by(Direction.sort)))
        assert len(names) == 12  # nine + one seeded, two taken from the old text
        assert names[:1] == ["Управление развитием образовательной организации"]
        assert names[9] == "Ранняя профилизация при организации ФГОС нового поколения"
        assert names[10:] == ["Методика преподавания", "Работа с родителями"]
        programs = {p.id: p for p in sess.scalars(sa.select(Program))}
        assert [d.name for d in programs[1].directions] == ["Методика преподавания"]
        assert [d.name for d in programs[2].directions] == ["Методика преподавания"]
        # a value matching a seeded entry joins it rather than duplicating it
        assert [d.name for d in programs[3].directions] == ["Управление качеством образования"]
        assert programs[4].directions == []
        assert programs[5].direction_names == "Работа с родителями"
        events = {e.title: e for e in programs[1].events}
        assert events["Встреча"].outcome is PlanOutcome.DONE
        assert events["Открытый урок"].outcome is PlanOutcome.OPEN
        assert events["Встреча"].responsible == "" and events["Встреча"].stage is None
        assert sess.scalar(sa.select(sa.func.count()).select_from(PersonCategory)) == 7
        assert sess.scalar(sa.select(sa.func.count()).where(
            PersonCategory.role == Role.MENTOR)) == 2
        assert sess.scalar(sa.select(sa.func.count()).select_from(WorkForm)) >= 11
        template = sess.scalars(sa.select(PlanTemplate)).one()
        assert {i.stage.value for i in template.items} == {"organizational", "practical",
                                                             "final"}
        info_flag = sess.scalar(sa.text(
            "SELECT show_effectiveness_level FROM mentoring_section_info"))
        assert not info_flag


def test_one_outcome_per_event_is_enforced_by_the_database(old_app):
    upgrade(old_app)
    with old_app.app_context():
        sess = _session(old_app)
        event = sess.scalars(sa.select(PlanEvent).where(PlanEvent.done_on.is_not(None))).one()
        event.not_done_reason = "Не успели"
        with pytest.raises(sa.exc.IntegrityError):
            sess.flush()
        sess.rollback()


def test_downgrade_to_0002_puts_the_directions_back_as_text(old_app):
    upgrade(old_app)
    with old_app.app_context():
        sess = _session(old_app)
        program = sess.get(Program, 5)
        program.directions.append(sess.scalars(
            sa.select(Direction).where(Direction.name == "Управление качеством образования")
        ).one())
        sess.commit()
        sess.close()
    downgrade(old_app, "0002")
    assert current_revision(old_app) == "0002"
    engine = old_app.extensions["mentoring"].engine
    tables = set(sa.inspect(engine).get_table_names())
    assert "mentoring_direction" not in tables and "mentoring_sheet" not in tables
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT id, direction FROM mentoring_program")).all())
        events = conn.execute(sa.text(
            "SELECT title, done_on FROM mentoring_plan_event ORDER BY id")).all()
    assert rows == {1: "Методика преподавания", 2: "Методика преподавания",
                    3: "Управление качеством образования", 4: "",
                    5: "Управление качеством образования; Работа с родителями"}
    assert [t for t, _ in events] == ["Встреча", "Открытый урок"]
    assert str(events[0][1]).startswith("2026-02-02") and events[1][1] is None
    upgrade(old_app)  # and up again
    assert current_revision(old_app) == head_revision()
