"""The section's home: its three coming announcements (soonest first) and its three latest
news (newest first), only what is live, from statements built once (``queries.home``)."""

from __future__ import annotations

import re
from datetime import timedelta

from mentoring_site.clock import now_local, now_utc
from mentoring_site.models import NewsKind, Status
from tests import factories as f

PREFIX = "/nastavnichestvo"


def _titles(html: str, heading_id: str) -> list[str]:
    block = html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<h3 id="m-[a-z]+-\d+"><a href="[^"]+">([^<]+)</a></h3>', block)


def test_the_home_lists_what_is_live_in_order(app, db):
    local, utc = now_local(), now_utc()

    def announcement(title: str, starts_in: timedelta, **fields):
        return f.news(kind=NewsKind.ANNOUNCEMENT, title=title,
                      event_starts_at=local + starts_in, **fields)

    db.add_all([
        announcement("Через неделю", timedelta(days=7)),
        announcement("Завтра", timedelta(days=1)),
        announcement("Через месяц", timedelta(days=30)),
        announcement("Через год", timedelta(days=365)),  # the fourth: not on the home
        announcement("Вчера", -timedelta(days=1)),  # over
        announcement("Идёт сейчас", -timedelta(hours=1), event_ends_at=local + timedelta(hours=1)),
        announcement("Черновик", timedelta(days=2), status=Status.DRAFT),
        announcement("Запланирован", timedelta(days=3), published_at=utc + timedelta(days=1)),
        f.news(title="Старая", published_at=utc - timedelta(days=9)),
        f.news(title="Свежая", published_at=utc - timedelta(hours=2)),
        f.news(title="Снятая", published_at=utc - timedelta(days=2),
               unpublish_at=utc - timedelta(hours=1)),
        f.news(title="Средняя", published_at=utc - timedelta(days=3)),
        f.news(title="Вчерашняя", published_at=utc - timedelta(days=1)),
    ])
    db.commit()
    for _ in range(2):  # the statements are built once: the second request reads the same
        html = app.test_client().get(PREFIX + "/").get_data(as_text=True)
        assert _titles(html, "m-announcements-title") == ["Идёт сейчас", "Завтра",
                                                          "Через неделю"]
        assert _titles(html, "m-news-title") == ["Свежая", "Вчерашняя", "Средняя"]
