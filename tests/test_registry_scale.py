"""The registry at scale: a per-school deadline, and pages whose cost does not grow.

The schools are simulated by ``scripts/bench_registry.py``'s ``SimSchools`` (one WSGI
server answering the API v1 of many schools by path, with ETags and 304s).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from mentoring_site.municipal import create_app
from mentoring_site.municipal.fetch import Unreachable, read_school
from mentoring_site.municipal.schools import School
from mentoring_site.municipal.settings import ConfigError
from tests.municipal_support import prepared

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_registry.py"
_spec = importlib.util.spec_from_file_location("bench_registry", SCRIPT)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def office(folder: Path, sim, count: int, **config):
    app = create_app(instance_path=str(folder / "office"), MUNICIPAL_API_PER_PAGE=2,
                     MUNICIPAL_PER_PAGE=4, **config)
    app.config["TESTING"] = True
    prepared(app)
    sim.count = count
    bench.list_schools(app, sim)
    return app


def test_a_slow_school_is_stopped_by_its_own_deadline_not_only_per_answer():
    """Each answer comes within MUNICIPAL_TIMEOUT, but the pages add up: the whole read of
    the school is bounded by MUNICIPAL_SCHOOL_TIMEOUT."""
    sim = bench.SimSchools(5)
    with bench.serving(sim):
        sim.slow[5] = 0.4  # six answers (summary, 4 pages of mentors, 1 of cases): 2.4 s
        school = School(key="s5", name="Школа 5", url=sim.section_url(5), position=0)
        started = time.monotonic()
        with pytest.raises(Unreachable) as error:
            read_school(school, {}, timeout=5, max_bytes=10**6, per_page=2, max_pages=50,
                        school_timeout=1)
        assert time.monotonic() - started < 1.6
        assert "дольше 1 с (MUNICIPAL_SCHOOL_TIMEOUT)" in str(error.value)
        read = read_school(school, {}, timeout=5, max_bytes=10**6, per_page=2, max_pages=50,
                           school_timeout=5)
        assert len(read.mentors) == 8


def test_the_school_deadline_is_a_setting_of_the_registry(tmp_path):
    with pytest.raises(ConfigError, match="MUNICIPAL_SCHOOL_TIMEOUT"):
        create_app(instance_path=str(tmp_path / "a"), MUNICIPAL_SCHOOL_TIMEOUT=0)
    app = create_app(instance_path=str(tmp_path / "b"))
    assert app.config["MUNICIPAL_SCHOOL_TIMEOUT"] == 120


def test_a_slow_school_is_unreachable_in_a_run_and_the_others_are_read(tmp_path):
    sim = bench.SimSchools(4)
    with bench.serving(sim):
        # 2 s a school: a normal school's few answers fit even on a loaded machine (1 s did
        # not, once, in a leg slowed by diagnostics); the slow one's do not (3 or more, 1 s each)
        app = office(tmp_path, sim, 4, MUNICIPAL_SCHOOL_TIMEOUT=2)
        sim.slow[2] = 1.0
        with app.app_context():
            reports = app.extensions["municipal"].aggregate()
        assert [r.status for r in reports] == ["ok", "unreachable", "ok", "ok"]
        assert "MUNICIPAL_SCHOOL_TIMEOUT" in reports[1].message
        app.extensions["mentoring"].engine.dispose()


def _costs(folder: Path, count: int) -> dict[str, int]:
    sim = bench.SimSchools(count)
    with bench.serving(sim):
        # what building a page costs: no answer from the response cache, none of its reads
        app = office(folder, sim, count, MENTORING_RESPONSE_CACHE=False)
        with app.app_context():
            reports = app.extensions["municipal"].aggregate()
            assert {r.status for r in reports} == {"ok"}
            sim.statuses.clear()
            again = app.extensions["municipal"].aggregate()  # conditional: 304s only
            assert {r.status for r in again} == {"unchanged"}
            assert set(sim.statuses) == {304}
            costs = {path: statements for path, statements, _s, _b
                     in bench.measure_pages(app)}
        app.extensions["mentoring"].engine.dispose()
    return costs


def test_the_registrys_pages_and_csv_cost_the_same_for_3_and_30_schools(tmp_path):
    small = _costs(tmp_path / "three", 3)
    large = _costs(tmp_path / "thirty", 30)
    assert small == large, (small, large)
    assert max(small.values()) <= 3, small


def _writes(statements: list[str]) -> list[str]:
    """The registry's own writes; the data version's bump (one per transaction, so the
    office's pages are built anew: datastamp.py) is counted by the tests that want it."""
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE",
                                                                     "DELETE"))
            and "mentoring_data_version" not in s]


def _cached_run(folder: Path, count: int, bumped: int | None = None):
    """Two runs of ``count`` schools, the second with school ``bumped`` changed; returns
    the second run's statements, its reports and the registry's mentors «на дату» of the
    first run and of now, by school key."""
    from mentoring_site.clock import now_utc
    from mentoring_site.municipal import queries

    sim = bench.SimSchools(count)
    with bench.serving(sim):
        app = office(folder, sim, count)
        state = app.extensions["municipal"]
        with app.app_context():
            state.aggregate()
            between = now_utc()
            if bumped is not None:
                sim.bump(bumped)
            with bench.counted(app) as statements:
                reports = state.aggregate()
            sess = state.session()

            def names(at):
                return {school.key: sorted(m.name for m, s in queries.mentors(sess, at=at).items
                                           if s.key == school.key)
                        for school in queries.listed_schools(sess)}

            lines = [(x.school.key, x.school.status, x.school.message, x.school.checked_at,
                      x.snapshot.read_at, x.snapshot.confirmed_at)
                     for x in queries.school_lines(sess) if x.snapshot is not None]
            result = (list(statements), reports, names(between), names(None), lines)
            sess.rollback()
        app.extensions["mentoring"].engine.dispose()
    return result


def test_unchanged_schools_are_confirmed_in_one_batch_whatever_their_number(tmp_path):
    """A run of 304s writes a fixed number of statements: no transaction per school."""
    small, _r, _b, _n, _l = _cached_run(tmp_path / "three", 3)
    large, reports, _b, _n, lines = _cached_run(tmp_path / "thirty", 30)
    assert {r.status for r in reports} == {"unchanged"}
    assert len(_writes(large)) == len(_writes(small)) == 2, _writes(large)
    assert sum("UPDATE mentoring_data_version" in s for s in large) == 1  # one transaction
    assert len(large) == len(small), (len(small), len(large))
    assert len(lines) == 30
    assert all(status == "unchanged" and message is None and confirmed == checked > read
               for _key, status, message, checked, read, confirmed in lines)
    assert len({confirmed for *_rest, confirmed in lines}) == 1


def test_a_changed_school_among_unchanged_ones_gets_its_snapshot_and_history_holds(tmp_path):
    statements, reports, before, now, lines = _cached_run(tmp_path / "bump", 6, bumped=4)
    assert [r.status for r in reports] == ["unchanged"] * 3 + ["ok"] + ["unchanged"] * 2
    assert any(name.startswith("Наставникова-1 ") for name in now["s4"])
    assert not any("-1 " in name for name in before["s4"])  # «на дату» before the change
    assert {k: v for k, v in before.items() if k != "s4"} == \
        {k: v for k, v in now.items() if k != "s4"}
    _key, status, _message, checked, read, confirmed = next(x for x in lines if x[0] == "s4")
    assert status == "ok" and read == confirmed == checked
    # the changed school's own transaction, plus the batch of the five others
    assert len([s for s in _writes(statements) if "mentoring_registry_snapshot SET" in s]) == 1
