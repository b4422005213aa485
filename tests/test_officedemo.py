"""``python -m mentoring_site municipal`` without a schools file: the office's demo.

The whole demo runs as it would for a person (a real server on a loopback port, the demo
schools mounted beside the office and read over HTTP); ``_block`` (serve until Ctrl+C) is
replaced by a look at the pages through that server.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from mentoring_site.__main__ import main
from mentoring_site.models import Account, AccountRole, DocLevel, Document, NewsItem, NewsKind
from mentoring_site.municipal import demo as office_demo

pytestmark = pytest.mark.xdist_group("officedemo")


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
        assert answer.status == 200, path
        return answer.read().decode("utf-8")


def _start(folder: Path, monkeypatch, seen: dict) -> None:
    def look(server, _thread) -> None:
        port = server.server_port
        seen["port"] = port
        seen["pages"] = {path: _get(port, path) for path in (
            "/", "/kuratory/", "/nastavnichestvo/", "/nastavnichestvo/normativnaya-baza/",
            "/demo-shkola-1/", "/demo-shkola-4/nastavnichestvo/",
            "/demo-shkola-2/nastavnichestvo/api/v1/summary", "/liga/",
            "/upravlencheskoe-nastavnichestvo/", "/upravlencheskie-komandy/",
            "/api/upravlencheskoe-nastavnichestvo/demo-shkola-1.json",
        )}

    monkeypatch.setattr(office_demo, "_block", look)
    assert main(["municipal", "--instance", str(folder), "--port", "0"]) == 0


def test_the_office_demo_starts_with_schools_one_empty_and_the_offices_content(
        tmp_path, monkeypatch, capsys):
    folder = tmp_path / "office"
    seen: dict = {}
    _start(folder, monkeypatch, seen)
    out = capsys.readouterr().out
    names = [s.name for s in office_demo.SCHOOLS]
    for name in names[:3]:
        assert f"  {name}: обновлено (наставников: 6, кейсов: 3)" in out
    assert f"  {names[3]}: раздел не заполнен" in out
    port = seen["port"]
    assert f"Управление реестром:         http://127.0.0.1:{port}/nastavnichestvo/admin/reestr/" \
        in out
    password = (folder / office_demo.PASSWORD_FILE).read_text(encoding="utf-8")
    assert "  имя входа: upravlenie" in out and f"  пароль:    {password}" in out
    pages = seen["pages"]
    registry = pages["/"]
    assert all(name.replace("«", "&laquo;") in registry or name in registry
               for name in names)
    empty_row = registry.split("Основная общеобразовательная школа № 4", 1)[1]
    assert "Раздел не заполнен" in empty_row.split("</tr>", 1)[0]
    assert "Гордеева Наталья Владимировна" in pages["/kuratory/"]  # curators, as published
    assert "Квартальный семинар кураторов наставничества" in pages["/nastavnichestvo/"]
    assert "Положение о Лиге образовательных организаций-менторов" in \
        pages["/nastavnichestvo/normativnaya-baza/"]
    assert "Гимназия № 2" in pages["/demo-shkola-2/nastavnichestvo/api/v1/summary"]
    # the schools' own links carry their mount path, so the registry's reads stay inside
    assert f"http://127.0.0.1:{port}/demo-shkola-2/nastavnichestvo/" in \
        pages["/demo-shkola-2/nastavnichestvo/api/v1/summary"]

    # the League: the included member shows, the application and the rejected one do not
    assert "54-о" in pages["/liga/"] and "Эрудит" not in pages["/liga/"]
    assert "Морозова Елена Викторовна" in pages["/liga/"]  # a contact the office publishes
    # management mentoring: approved and later are public, draft and submitted are not
    programmes = pages["/upravlencheskoe-nastavnichestvo/"]
    for title in ("Управление развитием: программа развития школы",
                  "Организация воспитательной деятельности",
                  "Управление деятельностью: эффективный контракт"):
        assert title in programmes
    assert "внутренняя система оценки" not in programmes
    assert "Организация инклюзивного образования" not in programmes
    # a member's name is the office's, never public
    assert "Соколова Анна Игоревна" not in pages["/upravlencheskie-komandy/"]
    school_side = json.loads(pages["/api/upravlencheskoe-nastavnichestvo/demo-shkola-1.json"])
    assert len(school_side["items"]) == 3  # the experienced team's approved-or-later ones

    app = office_demo.create_app(instance_path=str(folder))
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        account = sess.scalar(sa.select(Account).where(Account.login == "upravlenie"))
        assert account.role == AccountRole.MUNICIPAL_CURATOR
        documents = sess.scalar(sa.select(sa.func.count()).select_from(Document)
                                .where(Document.level == DocLevel.MUNICIPAL))
        seminar = sess.scalar(sa.select(NewsItem).where(NewsItem.kind == NewsKind.ANNOUNCEMENT))
        assert documents == len(office_demo.DOCUMENTS) and seminar.event_starts_at
    app.extensions["mentoring"].engine.dispose()

    # the second start: nothing seeded again, the same account, the schools read again
    again: dict = {}
    _start(folder, monkeypatch, again)
    out = capsys.readouterr().out
    # (another port: the schools' absolute links changed, so they are «обновлено» again)
    assert f"  {names[0]}: обновлено" in out and f"  {names[3]}: раздел не заполнен" in out
    assert f"  пароль:    {password}" in out
    pages = again["pages"]  # the same public content, read over the new port
    # the League: the included member shows, the application and the rejected one do not
    assert "54-о" in pages["/liga/"] and "Эрудит" not in pages["/liga/"]
    assert "Морозова Елена Викторовна" in pages["/liga/"]  # a contact the office publishes
    # management mentoring: approved and later are public, draft and submitted are not
    programmes = pages["/upravlencheskoe-nastavnichestvo/"]
    for title in ("Управление развитием: программа развития школы",
                  "Организация воспитательной деятельности",
                  "Управление деятельностью: эффективный контракт"):
        assert title in programmes
    assert "внутренняя система оценки" not in programmes
    assert "Организация инклюзивного образования" not in programmes
    # a member's name is the office's, never public
    assert "Соколова Анна Игоревна" not in pages["/upravlencheskie-komandy/"]
    school_side = json.loads(pages["/api/upravlencheskoe-nastavnichestvo/demo-shkola-1.json"])
    assert len(school_side["items"]) == 3  # the experienced team's approved-or-later ones

    app = office_demo.create_app(instance_path=str(folder))
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        assert sess.scalar(sa.select(sa.func.count()).select_from(Document)
                           .where(Document.level == DocLevel.MUNICIPAL)) == documents
    app.extensions["mentoring"].engine.dispose()


def test_without_a_file_a_real_offices_registry_is_not_taken_for_the_demo(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "municipal.sqlite").write_bytes(b"")
    assert not office_demo.wants_demo(str(real), None)
    assert not office_demo.wants_demo(str(tmp_path / "new"), "postgresql://x@localhost/office")
    assert office_demo.wants_demo(str(tmp_path / "new"), None)
    (real / office_demo.MARKER).write_text("", encoding="utf-8")
    assert office_demo.wants_demo(str(real), None)


def test_seeders_run_once_and_can_be_extended(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(office_demo, "SEEDERS",
                        [*office_demo.SEEDERS, lambda d, s, t: calls.append(len(d.schools))])
    monkeypatch.setattr(office_demo, "_make_schools", lambda folder, site: [])
    for _ in range(2):
        made = office_demo.build(tmp_path / "office", "http://127.0.0.1:5000")
        office_demo.close(made)
    assert calls == [0]
