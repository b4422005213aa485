"""``flask mentoring create-curator`` and ``seed-demo``."""

from __future__ import annotations

import sqlalchemy as sa

from mentoring_site.auth.passwords import password_problems, verify_password
from mentoring_site.models import Account, AccountRole, Person

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


def test_create_curator_with_totp_prints_the_key_and_allows_a_shorter_password(app, runner):
    from urllib.parse import parse_qs, urlsplit

    from mentoring_site.auth import totp

    short = "сад у реки"  # 10 characters: enough only together with a code
    refused = runner.invoke(args=["mentoring", "create-curator", "bez-koda"],
                            env={"MENTORING_CURATOR_PASSWORD": short})
    assert refused.exit_code != 0 and "не меньше 15" in refused.output
    result = runner.invoke(args=["mentoring", "create-curator", "zavuch", "--totp"],
                           env={"MENTORING_CURATOR_PASSWORD": short})
    assert result.exit_code == 0, result.output
    uri = next(line for line in result.output.splitlines() if line.startswith("otpauth://"))
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert totp.grouped(secret) in result.output
    assert "zavuch" in uri and "%D0%9C%D0%91%D0%9E%D0%A3" in uri  # «МБОУ», quoted
    with app.app_context():
        acc = app.extensions["mentoring"].session().scalar(sa.select(Account))
        assert acc.totp_secret == secret and acc.totp_last_step is None
    assert not password_problems(short, has_second_factor=True)
    assert password_problems("кот", has_second_factor=True)
