"""``flask mentoring create-curator`` and ``seed-demo``."""

from __future__ import annotations

import sqlalchemy as sa

from mentoring_site.models import Account, AccountRole, Person
from mentoring_site.passwords import password_problems, verify_password

PASSPHRASE = "белая берёза под моим окном"


def test_create_curator_asks_twice_and_hashes_with_argon2id(app, runner):
    result = runner.invoke(args=["mentoring", "create-curator", "zavuch", "--name", "Завуч"],
                           input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    assert "создана" in result.output
    with app.app_context():
        acc = app.extensions["mentoring"].session().scalar(sa.select(Account))
        assert acc.login == "zavuch" and acc.role is AccountRole.CURATOR
        assert acc.password_hash.startswith("$argon2id$")
        assert verify_password(acc.password_hash, PASSPHRASE)
        assert not verify_password(acc.password_hash, "не тот пароль совсем")


def test_create_curator_reads_the_password_from_the_environment(app, runner):
    result = runner.invoke(args=["mentoring", "create-curator", "editor1", "--role", "editor"],
                           env={"MENTORING_CURATOR_PASSWORD": PASSPHRASE})
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["mentoring", "create-curator", "editor1"],
                          env={"MENTORING_CURATOR_PASSWORD": PASSPHRASE})
    assert again.exit_code != 0 and "уже есть" in again.output


def test_short_or_common_passwords_are_refused(app, runner):
    result = runner.invoke(args=["mentoring", "create-curator", "x"],
                           env={"MENTORING_CURATOR_PASSWORD": "короткий"})
    assert result.exit_code != 0 and "не меньше 15" in result.output
    assert password_problems("наставничество", login="a")
    assert password_problems("МБОУ «Тестовая школа № 1»", school_name="МБОУ «Тестовая школа № 1»")
    assert password_problems("zavuch-zavuch-zavuch"[:20], login="zavuch-zavuch-zavuch"[:20])
    assert not password_problems(PASSPHRASE, login="zavuch", school_name="Школа № 1")


def test_seed_demo_fills_an_empty_section_once(app, runner):
    first = runner.invoke(args=["mentoring", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "заполнен" in first.output
    second = runner.invoke(args=["mentoring", "seed-demo"])
    assert "уже есть данные" in second.output
    with app.app_context():
        assert app.extensions["mentoring"].session().scalar(sa.select(sa.func.count(Person.id)))
