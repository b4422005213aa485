"""The admin's «Резервные копии» (issue 15): the curator sees the backups of the configured
folder with their date, size and contents, makes one now and downloads one, each written in
the journal; without a folder the screen says how to set it; restore stays a command."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from mentoring_site.models import AccountRole, AuditEntry
from mentoring_site.transfer.archive import MANIFEST
from mentoring_site.transfer.backups import backups
from tests.admin_support import ADMIN, signed_in, token

SCREEN = f"{ADMIN}/rezervnye-kopii/"
MAKE = f"{SCREEN}sdelat/"


@pytest.fixture
def folder(seeded_app, tmp_path):
    place = tmp_path / "kopii"
    place.mkdir()
    seeded_app.config["MENTORING_BACKUP_FOLDER"] = str(place)
    return place


def _journal(app) -> list[AuditEntry]:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        return sess.scalars(sa.select(AuditEntry).where(AuditEntry.action == "backup")
                            .order_by(AuditEntry.id)).all()


def test_without_a_folder_the_screen_says_how_to_set_it(seeded_app):
    client = signed_in(seeded_app)
    text = client.get(SCREEN).get_data(as_text=True)
    assert "Папка для копий не задана" in text and "MENTORING_BACKUP_FOLDER" in text
    assert "Сделать резервную копию сейчас" not in text
    assert "flask mentoring restore" in text and "весь раздел" in text
    refused = client.post(MAKE, data={"csrf_token": token(client, SCREEN)})
    assert refused.status_code == 400 and "папка для копий не задана" in refused.get_data(
        as_text=True)
    assert not _journal(seeded_app)


def test_the_curator_makes_lists_and_downloads_backups_and_the_journal_says_so(
        seeded_app, folder):
    client = signed_in(seeded_app)
    text = client.get(SCREEN).get_data(as_text=True)
    assert "Копий пока нет" in text and str(folder) in text
    made = client.post(MAKE, data={"csrf_token": token(client, SCREEN)})
    assert made.status_code == 302 and made.headers["Location"].endswith("/rezervnye-kopii/")
    text = client.get(SCREEN).get_data(as_text=True)
    assert "Резервная копия сделана" in text
    [backup] = backups(folder)
    assert "записей " in text and "версия таблиц" in text
    if seeded_app.extensions["mentoring"].engine.dialect.name == "sqlite":
        assert "копия базы SQLite" in text and "Файл базы" in text
    assert "файлов " in text and "закрытых" in text  # the demo has private files
    assert " КБ" in text or " МБ" in text
    archive = next(p for p in backup.files if p.suffix == ".zip")
    url = f"{SCREEN}{archive.name}"
    assert url in text
    assert client.get(url).status_code == 405  # never a link a browser may prefetch
    assert client.post(url, data={}).status_code == 400
    got = client.post(url, data={"csrf_token": token(client, SCREEN)})
    assert got.status_code == 200 and got.mimetype == "application/zip"
    assert archive.name in got.headers["Content-Disposition"]
    assert got.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(got.data)) as zf:
        assert MANIFEST in zf.namelist()
    got.close()
    entries = _journal(seeded_app)
    assert [e.item_kind for e in entries] == ["section", "section"]
    assert "скачан файл" in str(entries[1].changes)
    journal = client.get(f"{ADMIN}/zhurnal/").get_data(as_text=True)
    assert "резервная копия" in journal


def test_only_a_backups_own_files_can_be_downloaded(seeded_app, folder):
    (folder / "sekret.txt").write_text("не копия", encoding="utf-8")
    (folder / "mentoring-backup-2026-01-01-000000.zip").write_bytes(b"not a zip")
    client = signed_in(seeded_app)
    text = client.get(SCREEN).get_data(as_text=True)
    assert "Архив не читается" in text  # a damaged backup is listed as such
    csrf = token(client, SCREEN)
    for name in ("sekret.txt", "..%2Fsekret.txt", "mentoring-backup-2026-01-01-000001.zip",
                 "%2Fetc%2Fpasswd"):
        assert client.post(f"{SCREEN}{name}", data={"csrf_token": csrf}).status_code == 404, name
    assert not _journal(seeded_app)


def test_an_editor_is_refused_every_backup_screen(seeded_app, folder):
    client = signed_in(seeded_app, AccountRole.EDITOR, "redaktor")
    assert client.get(SCREEN).status_code == 403
    csrf = token(client, f"{ADMIN}/")
    assert client.post(MAKE, data={"csrf_token": csrf}).status_code == 403
    assert not backups(folder) and not _journal(seeded_app)
    assert "Резервные копии" not in client.get(f"{ADMIN}/").get_data(as_text=True)


def test_the_backup_command_writes_into_the_configured_folder(seeded_app, folder):
    runner = seeded_app.test_cli_runner()
    done = runner.invoke(args=["mentoring", "backup"])
    assert done.exit_code == 0, done.output
    assert len(backups(folder)) == 1
    seeded_app.config["MENTORING_BACKUP_FOLDER"] = None
    refused = runner.invoke(args=["mentoring", "backup"])
    assert refused.exit_code == 1 and "MENTORING_BACKUP_FOLDER" in refused.output


def test_the_backup_settings_are_checked_at_start(tmp_path):
    from mentoring_site.config import ConfigError
    from tests.conftest import make_app

    uri = f"sqlite:///{tmp_path / 't.sqlite'}"
    with pytest.raises(ConfigError, match="MENTORING_BACKUP_FOLDER"):
        make_app(uri, tmp_path, MENTORING_BACKUP_FOLDER=str(tmp_path / "net"))
    for bad in (0, -1, "7", True):
        with pytest.raises(ConfigError, match="MENTORING_BACKUP_KEEP"):
            make_app(uri, tmp_path, MENTORING_BACKUP_KEEP=bad)
