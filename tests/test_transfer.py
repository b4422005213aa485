"""The whole section as one archive (issue 15): export, import into an empty section on
SQLite or PostgreSQL, all or nothing, hostile archives refused with one Russian line."""

from __future__ import annotations

import json
import re
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa

from mentoring_site.migrate import upgrade
from mentoring_site.transfer import ArchiveError, export_section, import_section
from mentoring_site.transfer.archive import MANIFEST, sha256
from mentoring_site.transfer.exporting import our_tables

from .conftest import make_app

PAGES = ["/nastavnichestvo/", "/nastavnichestvo/nastavniki/", "/nastavnichestvo/programmy/",
         "/nastavnichestvo/luchshie-praktiki/", "/nastavnichestvo/normativnaya-baza/",
         "/nastavnichestvo/novosti/", "/nastavnichestvo/api/v1/summary",
         "/nastavnichestvo/nashi-nastavniki/", "/nastavnichestvo/metodicheskie-materialy/",
         "/nastavnichestvo/api/v1/mentors", "/nastavnichestvo/api/v1/programs"]
_VOLATILE = re.compile(rb'name="csrf_token"[^>]*>|value="[^"]*\.[^"]*\.[^"]*"')


def _empty_app(uri: str, folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    app = make_app(uri, folder)
    upgrade(app)
    return app


def _tables(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    return {name: entry["sha256"] for name, entry in manifest["tables"].items()} | {
        f"file:{name}": entry["sha256"] for name, entry in manifest["files"].items()}


def _pages(app) -> dict[str, bytes]:
    client = app.test_client()
    out = {}
    for url in PAGES:
        answer = client.get(url)
        assert answer.status_code == 200, url
        out[url] = _VOLATILE.sub(b"", answer.data)
    return out


def _round_trip(seeded_app, target_uri: str, tmp_path: Path) -> None:
    first = tmp_path / "first.zip"
    manifest = export_section(seeded_app, first)
    assert manifest["files"] and any(f["private"] for f in manifest["files"].values())
    target = _empty_app(target_uri, tmp_path / "target")
    try:
        plan = import_section(target, first)
        assert plan.rows["mentoring_person"] > 0
        second = tmp_path / "second.zip"
        export_section(target, second)
        assert _tables(first) == _tables(second)
        assert _pages(seeded_app) == _pages(target)
        # the sequences follow: a new record gets the next id, not a taken one
        with target.app_context():
            from mentoring_site.models import Direction

            sess = target.extensions["mentoring"].session()
            sess.add(Direction(name="Новое направление после загрузки"))
            sess.commit()
    finally:
        target.extensions["mentoring"].engine.dispose()


def test_round_trip_sqlite(seeded_app, tmp_path):
    _round_trip(seeded_app, f"sqlite:///{tmp_path / 'target.sqlite'}", tmp_path)


@pytest.mark.postgres
def test_round_trip_into_an_empty_postgresql(seeded_app, tmp_path, fresh_postgresql_url):
    _round_trip(seeded_app, fresh_postgresql_url, tmp_path)


def test_the_cli_exports_checks_and_imports(seeded_app, tmp_path):
    archive = tmp_path / "razdel.zip"
    result = seeded_app.test_cli_runner().invoke(args=["mentoring", "export", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Архив готов" in result.output and archive.is_file()
    assert not list(tmp_path.glob(".mentoring-export-*"))  # no temporary file left
    target = _empty_app(f"sqlite:///{tmp_path / 't.sqlite'}", tmp_path / "t")
    try:
        runner = target.test_cli_runner()
        dry = runner.invoke(args=["mentoring", "import", str(archive), "--dry-run"])
        assert dry.exit_code == 0 and "ничего не изменено" in dry.output
        assert "mentoring_person:" in dry.output
        with target.app_context():
            assert not export_section(target, tmp_path / "e.zip")["files"]
        done = runner.invoke(args=["mentoring", "import", str(archive)])
        assert done.exit_code == 0 and "Раздел загружен" in done.output
        again = runner.invoke(args=["mentoring", "import", str(archive)])
        assert again.exit_code == 1 and "раздел не пустой" in again.output
    finally:
        target.extensions["mentoring"].engine.dispose()


# -- hostile archives: each refused, the target untouched ------------------------------------


def _rebuild(source: Path, target: Path, change) -> None:
    """Copy the archive, letting ``change(members)`` edit the dict name → bytes."""
    with zipfile.ZipFile(source) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    change(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)


def _manifest_edit(edit):
    def change(members):
        manifest = json.loads(members[MANIFEST])
        edit(manifest, members)
        members[MANIFEST] = json.dumps(manifest).encode()
    return change


def _table_edit(table: str, edit, fix_sum: bool = True):
    def change(members):
        name = f"tables/{table}.json"
        rows = json.loads(members[name])
        edit(rows)
        members[name] = json.dumps(rows, ensure_ascii=False).encode()
        if fix_sum:
            manifest = json.loads(members[MANIFEST])
            manifest["tables"][table]["sha256"] = sha256(members[name])
            manifest["tables"][table]["rows"] = len(rows)
            members[MANIFEST] = json.dumps(manifest).encode()
    return change


def _raw(write):
    """An archive written by hand (names and attributes zipfile.writestr allows)."""
    def build(source: Path, target: Path) -> None:
        with zipfile.ZipFile(source) as zf:
            members = {i.filename: zf.read(i) for i in zf.infolist()}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in members.items():
                out.writestr(name, data)
            write(out)
    return build


def _symlink(out: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo("files/link.jpg")
    info.external_attr = (0o120777 << 16)
    out.writestr(info, "/etc/passwd")


def _bomb(out: zipfile.ZipFile) -> None:
    out.writestr("files/bomb.txt", b"\0" * (50 * 1024 * 1024))


def _duplicate(out: zipfile.ZipFile) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns, and writes it all the same
        out.writestr(MANIFEST, b"{}")


def _first_file(members) -> str:
    return next(n for n in members if n.startswith("files/"))


HOSTILE = {
    "not a zip": lambda s, t: t.write_bytes(b"PK\x03\x04 this is not a zip"),
    "empty file": lambda s, t: t.write_bytes(b""),
    "truncated": lambda s, t: t.write_bytes(s.read_bytes()[: s.stat().st_size // 2]),
    "no manifest": lambda s, t: _rebuild(s, t, lambda m: m.pop(MANIFEST)),
    "manifest not json": lambda s, t: _rebuild(s, t, lambda m: m.update({MANIFEST: b"{nope"})),
    "another format": lambda s, t: _rebuild(s, t, _manifest_edit(
        lambda man, m: man.update({"format": "other"}))),
    "newer format": lambda s, t: _rebuild(s, t, _manifest_edit(
        lambda man, m: man.update({"format_version": 99}))),
    "unknown revision": lambda s, t: _rebuild(s, t, _manifest_edit(
        lambda man, m: man.update({"schema_revision": "9999"}))),
    "traversal name": _raw(lambda out: out.writestr("../../etc/evil", b"x")),
    "absolute path": _raw(lambda out: out.writestr("/etc/evil", b"x")),
    "backslash name": _raw(lambda out: out.writestr("files\\..\\evil", b"x")),
    "symlink": _raw(_symlink),
    "zip bomb": _raw(_bomb),
    "stray member": _raw(lambda out: out.writestr("readme.txt", b"hello")),
    "duplicate name": _raw(lambda out: _duplicate(out)),
    "file not in manifest": _raw(lambda out: out.writestr("files/extra.jpg", b"x")),
    "missing table": lambda s, t: _rebuild(s, t, lambda m: m.pop(
        "tables/mentoring_person.json")),
    "unknown table": lambda s, t: _rebuild(s, t, _manifest_edit(lambda man, m: (
        man["tables"].update({"mentoring_evil": {"rows": 0, "sha256": sha256(b"[]")}}),
        m.update({"tables/mentoring_evil.json": b"[]"})))),
    "wrong checksum": lambda s, t: _rebuild(s, t, _table_edit(
        "mentoring_person", lambda rows: rows[0].update({"last_name": "Подмена"}),
        fix_sum=False)),
    "wrong count": lambda s, t: _rebuild(s, t, _manifest_edit(
        lambda man, m: man["tables"]["mentoring_person"].update({"rows": 1}))),
    "bad json rows": lambda s, t: _rebuild(s, t, _table_edit(
        "mentoring_person", lambda rows: rows.append("not an object"))),
    "wrong type": lambda s, t: _rebuild(s, t, _table_edit(
        "mentoring_person", lambda rows: rows[0].update({"id": "один"}))),
    "unknown column": lambda s, t: _rebuild(s, t, _table_edit(
        "mentoring_person", lambda rows: rows[0].update({"evil": 1}))),
    "too long text": lambda s, t: _rebuild(s, t, _table_edit(
        "mentoring_person", lambda rows: rows[0].update({"last_name": "я" * 5000}))),
    "broken file": lambda s, t: _rebuild(s, t, lambda m: m.update(
        {_first_file(m): m[_first_file(m)][:-1] + b"!"})),
    "bad stored name": lambda s, t: _rebuild(s, t, _manifest_edit(lambda man, m: (
        man["files"].update({"..evil": {"size": 1, "sha256": sha256(b"x"),
                                        "private": False}}),
        m.update({"files/..evil": b"x"})))),
    "duplicate ids": lambda s, t: _rebuild(s, t, _table_edit(
        "mentoring_direction", lambda rows: rows.append(dict(rows[0])))),
}


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory):
    import tests.conftest as c

    folder = tmp_path_factory.mktemp("good")
    app = make_app(f"sqlite:///{folder / 'demo.sqlite'}", folder)
    upgrade(app)
    with app.app_context():
        from mentoring_site.demo.seed import seed_demo

        sess = app.extensions["mentoring"].session()
        seed_demo(sess, upload_folder=app.extensions["mentoring"].upload_folder,
                  today=c.SEED_TODAY)
        sess.commit()
    path = folder / "good.zip"
    export_section(app, path)
    app.extensions["mentoring"].engine.dispose()
    return path


@pytest.fixture(scope="module")
def target_app(tmp_path_factory):
    """One empty section for the whole corpus: each refusal must leave it as it was, so the
    next case meets the same empty section (a change would fail that case's own check)."""
    folder = tmp_path_factory.mktemp("target")
    app = _empty_app(f"sqlite:///{folder / 'target.sqlite'}", folder)
    yield app
    app.extensions["mentoring"].engine.dispose()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_archive_is_refused_and_changes_nothing(case, good_archive, tmp_path,
                                                          target_app):
    app = target_app
    bad = tmp_path / "bad.zip"
    HOSTILE[case](good_archive, bad)
    with app.app_context():
        before = {t.name: app.extensions["mentoring"].session().scalar(
            sa.select(sa.func.count()).select_from(t)) for t in our_tables()}
    with pytest.raises(ArchiveError) as refused:
        import_section(app, bad)
    message = str(refused.value)
    assert "\n" not in message and re.search("[а-я]", message), message
    with app.app_context():
        after = {t.name: app.extensions["mentoring"].session().scalar(
            sa.select(sa.func.count()).select_from(t)) for t in our_tables()}
    assert before == after
    uploads = Path(app.extensions["mentoring"].upload_folder)
    assert not uploads.exists() or not any(uploads.iterdir())


def test_hostile_corpus_is_large_enough():
    assert len(HOSTILE) >= 20


# -- the curator's «Скачать архив раздела» ---------------------------------------------------


def test_the_curator_downloads_the_archive_and_the_journal_says_so(seeded_app, tmp_path):
    from mentoring_site.models import AccountRole, AuditEntry

    from .admin_support import ADMIN, signed_in, token

    url = f"{ADMIN}/otchety/arhiv-razdela.zip"
    editor = signed_in(seeded_app, AccountRole.EDITOR, "redaktor")
    assert editor.post(url, data={"csrf_token": token(editor, f"{ADMIN}/")}).status_code == 403
    client = signed_in(seeded_app)
    assert client.get(url).status_code == 405  # never a link a browser may prefetch
    refused = client.post(url, data={})
    assert refused.status_code == 400
    got = client.post(url, data={"csrf_token": token(client, f"{ADMIN}/otchety/")})
    assert got.status_code == 200 and got.mimetype == "application/zip"
    assert "arhiv-razdela-" in got.headers["Content-Disposition"]
    archive = tmp_path / "got.zip"
    archive.write_bytes(got.data)
    got.close()
    assert not list(Path(seeded_app.instance_path).glob("mentoring-archive-*"))
    with zipfile.ZipFile(archive) as zf:
        assert MANIFEST in zf.namelist()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        entry = sess.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export")).one()
        assert entry.item_kind == "section"
    journal = client.get(f"{ADMIN}/zhurnal/").get_data(as_text=True)
    assert "выгрузка архива" in journal


# -- backups for cron, and restore ----------------------------------------------------------


def test_backups_are_consistent_copies_rotated_and_restore_replaces_the_section(
        seeded_app, tmp_path):
    import sqlite3

    from mentoring_site.models import Direction, Person
    from mentoring_site.transfer.backups import backups

    runner = seeded_app.test_cli_runner()
    folder = tmp_path / "kopii"
    for n in range(2):
        result = runner.invoke(args=["mentoring", "backup", str(folder), "--keep", "1"])
        assert result.exit_code == 0, result.output
        if n == 0:
            import time
            time.sleep(1.05)  # backups are named by the second
    kept = backups(folder)
    assert len(kept) == 1 and "Удалено старых копий: 1" in result.output
    newest = kept[0]
    database = next(p for p in newest.files if p.name.endswith("-database.sqlite"))
    # closing(): sqlite3's own «with» ends a transaction but leaves the connection open
    with closing(sqlite3.connect(database)) as copy:  # the file copy is a whole database
        assert copy.execute("SELECT count(*) FROM mentoring_person").fetchone()[0] > 0
    archive = next(p for p in newest.files if p.suffix == ".zip")
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        people = sess.scalar(sa.select(sa.func.count()).select_from(Person))
        person = sess.scalars(sa.select(Person).order_by(Person.id)).first()
        person_id, old_name = person.id, person.last_name
        person.last_name = "Изменено-после-копии"
        sess.add(Direction(name="Добавлено после копии"))
        sess.commit()
    refused = runner.invoke(args=["mentoring", "restore", str(archive)], input="нет\n")
    assert refused.exit_code == 1 and "ничего не изменено" in refused.output
    done = runner.invoke(args=["mentoring", "restore", str(archive)], input="да\n")
    assert done.exit_code == 0, done.output
    assert "Раздел восстановлен" in done.output
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        assert sess.get(Person, person_id).last_name == old_name
        assert sess.scalar(sa.select(sa.func.count()).select_from(Person)) == people
        assert not sess.scalar(sa.select(Direction).where(
            Direction.name == "Добавлено после копии"))
    assert _pages(seeded_app)  # the restored section serves its pages
    bad = runner.invoke(args=["mentoring", "backup", str(folder), "--keep", "0"])
    assert bad.exit_code == 1 and "--keep" in bad.output


def test_an_archive_of_an_older_schema_is_migrated_forward(seeded_app, tmp_path):
    """An archive made at revision 0011 (before the registry's runs and management
    mentoring) loads into a section at head: taken to 0011, filled, upgraded."""
    from mentoring_site.migrate import current_revision, downgrade, head_revision

    downgrade(seeded_app, "0011")
    old = tmp_path / "old.zip"
    manifest = export_section(seeded_app, old)
    assert manifest["schema_revision"] == "0011"
    assert "mentoring_mgmt_program" not in manifest["tables"]
    upgrade(seeded_app)
    target = _empty_app(f"sqlite:///{tmp_path / 'target.sqlite'}", tmp_path / "target")
    try:
        plan = import_section(target, old)
        assert plan.schema_revision == "0011"
        assert current_revision(target) == head_revision()
        assert _pages(seeded_app) == _pages(target)
        with target.app_context():
            from mentoring_site.models import MgmtDirection

            sess = target.extensions["mentoring"].session()
            # a later migration's seeded rows are there: the data went through it
            assert sess.scalar(sa.select(sa.func.count()).select_from(MgmtDirection)) == 9
            # a column added after 0011 (0016's «в Школе наставничества») has its default
            from mentoring_site.models import NewsItem

            assert set(sess.scalars(sa.select(NewsItem.in_mentor_school))) == {True}
    finally:
        target.extensions["mentoring"].engine.dispose()
