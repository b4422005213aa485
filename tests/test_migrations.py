"""Our Alembic history: matches the models, seeds the catalog, goes down and up again,
keeps its own version table and never touches a host's tables or history."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from mentoring_site.db import TABLE_PREFIX, VERSION_TABLE, metadata
from mentoring_site.migrate import (
    current_revision,
    downgrade,
    head_revision,
    include_name,
    is_ours,
    upgrade,
)
from mentoring_site.models import ProgramForm, TargetGroup
from tests.conftest import make_app

# Both databases: DDL, constraints and Alembic's batch mode differ by dialect
# (see tests/conftest.py).
pytestmark = pytest.mark.both_databases


# The forms named in the regulations (Р-145, АЗ-1128/08, the regional regulation), in order.
EXPECTED_FORMS = [
    ("учитель – учитель", TargetGroup.TEACHERS),
    ("руководитель образовательной организации – учитель", TargetGroup.TEACHERS),
    ("педагог – педагог (группа)", TargetGroup.TEACHERS),
    ("работодатель – студент", TargetGroup.TEACHERS),
    ("педагог вуза/колледжа – молодой педагог", TargetGroup.TEACHERS),
    ("опытная – развивающаяся управленческая команда", TargetGroup.TEACHERS),
    ("ученик – ученик", TargetGroup.STUDENTS),
    ("учитель – ученик", TargetGroup.STUDENTS),
    ("студент – ученик", TargetGroup.STUDENTS),
    ("работодатель – ученик", TargetGroup.STUDENTS),
]

HOST_REVISION = "abc123"


@pytest.fixture
def fresh_app(empty_database_uri, tmp_path):
    """An app on an empty database: nothing migrated yet."""
    app = make_app(empty_database_uri, tmp_path)
    yield app
    app.extensions["mentoring"].engine.dispose()


def _engine(app) -> sa.Engine:
    return app.extensions["mentoring"].engine


def _tables(app) -> set[str]:
    return set(sa.inspect(_engine(app)).get_table_names())


def _our_tables(app) -> set[str]:
    return {t for t in _tables(app) if t.startswith(TABLE_PREFIX)}


def _schema_diff(app, **opts) -> list:
    with _engine(app).connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={"include_name": include_name, "compare_type": True,
                  "compare_server_default": True, **opts},
        )
        return compare_metadata(ctx, metadata)


def _versions(app, table: str) -> list[str]:
    with _engine(app).connect() as conn:
        return list(conn.execute(sa.text(f"SELECT version_num FROM {table}")).scalars())


def _make_host_tables(app) -> None:
    """A host site with its own table and its own Flask-Migrate history."""
    with _engine(app).begin() as conn:
        conn.execute(sa.text(
            "CREATE TABLE host_page (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(100) NOT NULL)"
        ))
        conn.execute(sa.text("INSERT INTO host_page (id, title) VALUES (1, 'Главная школы')"))
        conn.execute(sa.text(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
        ))
        conn.execute(sa.text(f"INSERT INTO alembic_version VALUES ('{HOST_REVISION}')"))


def _assert_host_untouched(app) -> None:
    with _engine(app).connect() as conn:
        assert conn.execute(sa.text("SELECT id, title FROM host_page")).all() == [
            (1, "Главная школы")
        ]
    assert _versions(app, "alembic_version") == [HOST_REVISION]


def test_models_match_migrations(app):
    assert _our_tables(app) == set(metadata.tables) | {VERSION_TABLE}
    diff = _schema_diff(app)
    assert diff == [], "models and migrations differ; write a new revision:\n" + "\n".join(
        map(str, diff)
    )


def test_program_form_catalog_is_seeded(app, db):
    forms = db.scalars(sa.select(ProgramForm).order_by(ProgramForm.sort)).all()
    assert [(f.name, f.target_group) for f in forms] == EXPECTED_FORMS
    assert len({f.sort for f in forms}) == 10


def test_version_table_is_our_own(fresh_app):
    assert current_revision(fresh_app) is None
    upgrade(fresh_app)
    tables = _tables(fresh_app)
    assert VERSION_TABLE == "mentoring_alembic_version"
    assert VERSION_TABLE in tables
    assert "alembic_version" not in tables
    assert _versions(fresh_app, VERSION_TABLE) == [head_revision()]
    assert current_revision(fresh_app) == head_revision()
    assert head_revision().isdigit() and len(head_revision()) == 4


def test_downgrade_to_base_removes_our_tables_and_upgrade_again(app, db):
    db.close()
    downgrade(app, "base")
    assert _our_tables(app) == {VERSION_TABLE}
    assert _versions(app, VERSION_TABLE) == []
    assert current_revision(app) is None
    engine = _engine(app)
    if engine.dialect.name == "postgresql":
        sequences = sa.inspect(engine).get_sequence_names()
        assert [s for s in sequences if s.startswith("mentoring")] == []

    upgrade(app)
    assert _our_tables(app) == set(metadata.tables) | {VERSION_TABLE}
    assert current_revision(app) == head_revision()
    with engine.connect() as conn:  # seeded once, not twice
        assert conn.scalar(sa.text("SELECT count(*) FROM mentoring_program_form")) == 10
    assert _schema_diff(app) == []


def test_host_tables_and_history_are_left_alone(fresh_app):
    _make_host_tables(fresh_app)

    upgrade(fresh_app)
    _assert_host_untouched(fresh_app)
    assert _versions(fresh_app, VERSION_TABLE) == [head_revision()]
    # our autogenerate ignores the host's tables (no "remove host_page" in the diff) ...
    assert _schema_diff(fresh_app) == []
    # ... and a host's own autogenerate, filtered with ``is_ours``, ignores ours
    host_metadata = sa.MetaData()
    sa.Table(
        "host_page", host_metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(100), nullable=False),
    )
    with _engine(fresh_app).connect() as conn:
        host_ctx = MigrationContext.configure(conn, opts={
            "include_name": lambda name, type_, _p: not is_ours(name, type_),
            "compare_type": True,
        })
        assert compare_metadata(host_ctx, host_metadata) == []

    downgrade(fresh_app, "base")
    _assert_host_untouched(fresh_app)
    assert _our_tables(fresh_app) == {VERSION_TABLE}
    assert {"host_page", "alembic_version"} <= _tables(fresh_app)

    upgrade(fresh_app)
    _assert_host_untouched(fresh_app)
    assert current_revision(fresh_app) == head_revision()


def test_cli_current_downgrade_upgrade(app, runner):
    head = head_revision()

    result = runner.invoke(args=["mentoring", "current"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Версия таблиц раздела: {head} (актуальна)."

    result = runner.invoke(args=["mentoring", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Текущая версия: нет."
    assert _our_tables(app) == {VERSION_TABLE}

    result = runner.invoke(args=["mentoring", "current"])
    assert result.exit_code == 0, result.output
    assert "не создана" in result.output
    assert f"доступна {head}: выполните flask mentoring upgrade" in result.output

    result = runner.invoke(args=["mentoring", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Таблицы раздела обновлены до версии {head}."
    assert _our_tables(app) == set(metadata.tables) | {VERSION_TABLE}

    result = runner.invoke(args=["mentoring", "current"])
    assert result.exit_code == 0, result.output
    assert "(актуальна)" in result.output


def test_cli_help_is_russian(runner):
    result = runner.invoke(args=["mentoring", "--help"])
    assert result.exit_code == 0, result.output
    assert "Раздел «Наставничество»" in result.output
    for command in ("upgrade", "downgrade", "current"):
        assert command in result.output
