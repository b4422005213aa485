"""What the response-cache tests share: a section clock stopped and moved by the test, a quick
way to store records, and a page's text. Used by tests/test_response_cache.py (the cache
inside the app) and tests/test_cache_wsgi.py (the replay in front of it)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mentoring_site import clock


class FrozenClock:
    """The section's clock, stopped at a known moment; ``move(days=1)`` moves it on."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def move(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def frozen(monkeypatch) -> FrozenClock:
    stopped = FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    monkeypatch.setattr(clock, "_aware_now", lambda: stopped.moment)
    return stopped


def add(app, *objects) -> list[int]:
    """Store the records in one commit; their ids."""
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add_all(objects)
        sess.commit()
        return [o.id for o in objects]


def page_text(client, url: str, **kwargs) -> str:
    """The text of a page that must answer 200."""
    resp = client.get(url, **kwargs)
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_data(as_text=True)
