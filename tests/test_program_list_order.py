"""The public programmes' list order, read a page at a time from an index (issue 13):
running first, then planned, then completed and ended early together; newest start first
within each, the id breaking ties. Every page of every filter matches one sort of all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mentoring_site import queries
from mentoring_site.models import ProgramStatus
from mentoring_site.queries.programs import PROGRAM_LIST_GROUPS
from tests import factories as f

RANK = {ProgramStatus.ACTIVE: 0, ProgramStatus.PLANNED: 1}


def test_every_state_has_its_place_in_the_list():
    placed = [s for group in PROGRAM_LIST_GROUPS for s in group]
    assert sorted(placed) == sorted(ProgramStatus) and len(placed) == len(set(placed))


def _clock() -> queries.Clock:
    return queries.Clock.current("Europe/Moscow")


@pytest.mark.both_databases  # a union of limited subqueries: the dialects differ there
def test_every_page_follows_one_sort_of_all(db):
    statuses = list(ProgramStatus)
    start = date(2024, 1, 1)
    made = []
    for i in range(23):
        p = f.program(db, slug=f"p{i}", status=statuses[i % 4],
                      starts_on=start + timedelta(days=(i * 7) % 5))  # ties on the date
        made.append(p)
    made.append(f.program(db, slug="hidden", is_public=False))
    db.add_all(made)
    db.commit()
    shown = [p for p in made if p.slug != "hidden"]
    expected = sorted(shown, key=lambda p: (RANK.get(p.status, 2), -p.starts_on.toordinal(),
                                            -p.id))
    for status in (None, *ProgramStatus):
        want = [p.slug for p in expected if status is None or p.status is status]
        got: list[str] = []
        for per_page in (4, 7):
            got = []
            for page in range(1, 8):
                paged = queries.programs(db, _clock(), page, per_page, status=status)
                assert paged.total == len(want)
                got += [c.program.slug for c in paged.items]
            assert got == want, (status, per_page)
