"""Answers kept no longer than the school says: the purge (domain, CLI, the admin list's
safety net), the withdrawal of a consent to processing on a person's card, each journaled
with a count and never with the answers' content."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from mentoring_site import clock
from mentoring_site.config import ConfigError
from mentoring_site.models import Answer, AuditEntry, Person, ProcessingAgreement
from mentoring_site.questionnaires import retention
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token
from tests.conftest import make_app
from tests.test_questionnaires_bank import MENTEE, make_answer

SECRET = "Секретный ответ Соколовой"


def _aged(db, days: int, slug="anketa-nastavnika", **fields) -> Answer:
    a = make_answer(db, slug, {"Должность": SECRET}, **fields)
    a.submitted_at = clock.now_utc() - timedelta(days=days)
    db.commit()
    return a


def _left(db) -> list[int]:
    db.rollback()
    return sorted(db.scalars(sa.select(Answer.id)))


def _journal(db) -> list[AuditEntry]:
    return db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()


def test_purge_deletes_only_answers_past_their_term_and_logs_counts(db):
    for days, slug in ((400, "anketa-nastavnika"), (366, "anketa-nastavnika"), (500, MENTEE)):
        _aged(db, days, slug)
    fresh = _aged(db, 364).id
    assert retention.purge(db, 365) == 3
    assert _left(db) == [fresh]
    entries = _journal(db)
    assert sorted(e.changes["действие"][1] for e in entries) == [
        "удалено ответов: 1 — истёк срок хранения (365 дн.)",
        "удалено ответов: 2 — истёк срок хранения (365 дн.)"]
    assert {e.item_kind for e in entries} == {"questionnaire"}
    assert SECRET not in json.dumps([e.changes for e in entries], ensure_ascii=False)
    assert retention.purge(db, 365) == 0 and len(_journal(db)) == 2


def test_a_person_card_made_from_an_expired_answer_stays(db):
    person = f.person(consented=False)
    db.add(person)
    db.commit()
    _aged(db, 400, person_id=person.id)
    assert retention.purge(db, 365) == 1
    assert db.get(Person, person.id) is not None


def test_the_cli_purges_with_the_setting(app, db):
    _aged(db, 40)
    _aged(db, 10)
    app.config["MENTORING_FORM_ANSWERS_KEEP_DAYS"] = 30
    result = app.test_cli_runner().invoke(args=["mentoring", "purge-answers"])
    assert result.exit_code == 0 and "Удалено ответов: 1." in result.output
    assert len(_left(db)) == 1


def test_the_admin_list_purges_first(app, db):
    client = signed_in(app)
    _aged(db, 400)
    keep = _aged(db, 1).id
    html = client.get(f"{ADMIN}/otvety/").get_data(as_text=True)
    assert "Найдено ответов: 1" in html
    assert _left(db) == [keep]
    assert client.get(f"{ADMIN}/zhurnal/").status_code == 200


def test_the_setting_must_be_a_positive_number(tmp_path):
    with pytest.raises(ConfigError, match="MENTORING_FORM_ANSWERS_KEEP_DAYS"):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path,
                 MENTORING_FORM_ANSWERS_KEEP_DAYS=0)


def _agreement(db, person: Person, **fields) -> ProcessingAgreement:
    agreement = ProcessingAgreement(person_id=person.id, signed_on=clock.today()
                                    - timedelta(days=60), **fields)
    db.add(agreement)
    db.commit()
    return agreement


def test_a_withdrawal_on_the_card_forgets_the_answers_it_came_from(app, db):
    client = signed_in(app)
    person = f.person(consented=True)
    other = f.person(consented=False)
    db.add_all([person, other])
    db.commit()
    before = _aged(db, 5, person_id=person.id).id
    unrelated = _aged(db, 5, person_id=other.id).id
    agreement = _agreement(db, person)
    url = f"{ADMIN}/soglasiya-obrabotka/{agreement.id}/"
    data = {"csrf_token": token(client, url), "signed_on": f"{agreement.signed_on:%Y-%m-%d}",
            "withdrawn_on": f"{clock.today():%Y-%m-%d}", "document_ref": "",
            "representative_name": "", "representative_document": ""}  # as a browser sends
    resp = client.post(url, data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert _left(db) == [unrelated]
    last = _journal(db)[-1]
    assert last.actor == retention.WITHDRAWAL_ACTOR
    assert last.changes["действие"][1] == (
        f"удалено ответов: 1 — согласие отозвано {clock.today():%d.%m.%Y}")
    assert before not in _left(db)
    saved = [e for e in _journal(db) if e.item_kind == "processing_agreement"]
    assert [e.action for e in saved] == ["update"]


def test_a_withdrawn_consent_to_dissemination_keeps_the_answers(app, db):
    """Only the consent to processing carries the answers; the one to dissemination hides
    the person from the site and nothing more."""
    client = signed_in(app)
    person = f.person(consented=True)
    db.add(person)
    db.commit()
    kept = _aged(db, 5, person_id=person.id).id
    consent = person.consents[0]
    url = f"{ADMIN}/soglasiya/{consent.id}/"
    data = {"csrf_token": token(client, url), "signed_on": f"{consent.signed_on:%Y-%m-%d}",
            "allow_name": "y", "withdrawn_on": f"{clock.today():%Y-%m-%d}",
            "site_url": "", "conditions": "", "document_ref": ""}
    assert client.post(url, data=data).status_code == 302
    assert _left(db) == [kept]


def test_a_withdrawal_keeps_later_answers_and_a_future_date_waits(db):
    person = f.person(consented=True)
    db.add(person)
    db.commit()
    later = _aged(db, 1, person_id=person.id).id
    earlier = _aged(db, 30, person_id=person.id).id
    agreement = _agreement(db, person, withdrawn_on=clock.today() + timedelta(days=3))
    assert retention.forget_withdrawn(db, agreement.id) == 0
    agreement.withdrawn_on = clock.today() - timedelta(days=10)
    db.commit()
    assert retention.forget_withdrawn(db, agreement.id) == 1
    assert _left(db) == [later]
    assert earlier not in _left(db)


def test_a_withdrawal_recorded_ahead_is_acted_on_when_its_day_comes(db):
    """Recorded on the card for a date three days ahead: nothing then; on that day the cron
    command (or the admin's answers list) forgets the answers without anyone saving again."""
    person = f.person(consented=True)
    db.add(person)
    db.commit()
    answer = _aged(db, 5, person_id=person.id).id
    ahead = clock.today() + timedelta(days=3)
    _agreement(db, person, withdrawn_on=ahead)
    assert retention.forget_due_withdrawals(db) == 0
    assert _left(db) == [answer]
    assert retention.forget_due_withdrawals(db, today=ahead) == 1
    assert _left(db) == []
    assert retention.forget_due_withdrawals(db, today=ahead) == 0  # once
