"""The throwaway PostgreSQL server from tests/pgserver.py works end to end."""

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.postgres


def _check(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("select version()")).scalar_one().startswith("PostgreSQL")
            conn.execute(sa.text("create table probe (id serial primary key, name text)"))
            conn.execute(sa.text("insert into probe (name) values ('Привет')"))
            assert conn.execute(sa.text("select name from probe")).scalar_one() == "Привет"
            conn.execute(sa.text("drop table probe"))
    finally:
        engine.dispose()


def test_session_database(postgresql_url: str) -> None:
    assert postgresql_url.startswith("postgresql+psycopg://")
    assert postgresql_url.endswith("/mentoring_test")
    _check(postgresql_url)


def test_fresh_database_is_new_and_empty(postgresql_url: str, fresh_postgresql_url: str) -> None:
    assert fresh_postgresql_url != postgresql_url
    engine = sa.create_engine(fresh_postgresql_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    _check(fresh_postgresql_url)
