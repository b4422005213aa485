"""The consent to processing for the banks (152-ФЗ ст. 9) on a person's card: added,
edited and withdrawn by the curator through the save path (journaled); it never changes
what the public sees; bad input gets a Russian message, never a 500."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from mentoring_site import clock, rules
from mentoring_site.models import AccountRole, AuditEntry, Person, ProcessingAgreement
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token


def _person(db, consented=False) -> Person:
    person = f.person(consented=consented)
    db.add(person)
    db.commit()
    return person


def _form(client, url, **fields) -> dict:
    data = {"csrf_token": token(client, url), "signed_on": "2026-09-01", "withdrawn_on": "",
            "document_ref": "", "representative_name": "", "representative_document": ""}
    data.update(fields)
    return data


def test_the_agreement_does_not_make_a_person_public(db):
    person = _person(db)
    db.add(ProcessingAgreement(person_id=person.id, signed_on=clock.today()))
    db.commit()
    db.expire_all()
    assert len(person.processing_agreements) == 1
    assert rules.consent_in_force(person, clock.today()) is None


def test_the_curator_adds_and_withdraws_it_from_the_card(app, db):
    client = signed_in(app)
    person = _person(db)
    card = client.get(f"{ADMIN}/lyudi/{person.id}/").get_data(as_text=True)
    assert "Согласие на обработку (базы наставников и наставляемых)" in card
    assert "Согласие на обработку не записано." in card
    assert f"/lyudi/{person.id}/soglasiya/blank/obrabotka/" in card
    url = f"{ADMIN}/lyudi/{person.id}/soglasiya-obrabotka/novoe/"
    assert client.get(url).status_code == 200
    resp = client.post(url, data=_form(client, url, document_ref="№ 12 от 01.09.2026"))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.expire_all()
    (agreement,) = db.get(Person, person.id).processing_agreements
    assert agreement.document_ref == "№ 12 от 01.09.2026" and agreement.withdrawn_on is None
    card = client.get(f"{ADMIN}/lyudi/{person.id}/").get_data(as_text=True)
    assert "01.09.2026" in card and "№ 12 от 01.09.2026" in card

    edit = f"{ADMIN}/soglasiya-obrabotka/{agreement.id}/"
    today = clock.today()
    resp = client.post(edit, data=_form(client, edit, withdrawn_on=f"{today:%Y-%m-%d}",
                                        document_ref="№ 12 от 01.09.2026"))
    assert resp.status_code == 302
    db.expire_all()
    assert db.get(ProcessingAgreement, agreement.id).withdrawn_on == today
    entries = db.scalars(sa.select(AuditEntry).where(
        AuditEntry.item_kind == "processing_agreement").order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]


def test_bad_input_gets_a_russian_message(app, db):
    client = signed_in(app)
    person = _person(db)
    url = f"{ADMIN}/lyudi/{person.id}/soglasiya-obrabotka/novoe/"
    for fields, expected in (
            ({"signed_on": ""}, "Укажите дату."),
            ({"signed_on": "вчера"}, "Проверьте поля"),
            ({"withdrawn_on": "2026-08-01"}, "Эта дата не может быть раньше подписания."),
            ({"document_ref": "x" * 201}, "Проверьте поля"),
            ({"representative_name": "a\x00b"}, "Проверьте поля")):
        resp = client.post(url, data=_form(client, url, **fields))
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200 and expected in html, (fields, html[-1500:])
    resp = client.post(url, data={**_form(client, url), "csrf_token": "stale"})
    assert resp.status_code == 400
    db.expire_all()
    assert db.get(Person, person.id).processing_agreements == []
    assert client.get(f"{ADMIN}/soglasiya-obrabotka/999999/").status_code == 404


def test_only_the_curator_opens_it(app, db):
    person = _person(db)
    editor = signed_in(app, AccountRole.EDITOR, "redaktor")
    assert editor.get(f"{ADMIN}/lyudi/{person.id}/soglasiya-obrabotka/novoe/").status_code == 403


def test_an_agreement_dated_in_the_future_withdrawal_keeps_public_state(app, db):
    """Withdrawing the consent to processing leaves the consent to dissemination alone."""
    client = signed_in(app)
    person = _person(db, consented=True)
    assert rules.consent_in_force(person, clock.today()) is not None
    url = f"{ADMIN}/lyudi/{person.id}/soglasiya-obrabotka/novoe/"
    signed = clock.today() - timedelta(days=10)
    resp = client.post(url, data=_form(client, url, signed_on=f"{signed:%Y-%m-%d}",
                                       withdrawn_on=f"{clock.today():%Y-%m-%d}"))
    assert resp.status_code == 302
    db.expire_all()
    assert rules.consent_in_force(db.get(Person, person.id), clock.today()) is not None


def test_an_answer_into_the_bank_records_its_consent_and_its_withdrawal_forgets_it(app, db):
    """The whole path: the answer becomes a card with the consent given online; the curator
    withdraws that consent on the card; the answer goes, the journal says how many."""
    from mentoring_site.models import Answer
    from mentoring_site.questionnaires import retention
    from tests.test_questionnaires_bank import make_answer

    client = signed_in(app)
    answer = make_answer(db)
    url = f"{ADMIN}/otvety/{answer.id}/"
    assert client.post(f"{url}v-bank/", data={"csrf_token": token(client, url)}
                       ).status_code == 302
    db.expire_all()
    person = db.scalars(sa.select(Person)).one()
    # merged again into the same card: the same consent is not recorded twice
    resp = client.post(f"{url}v-bank/", data={
        "csrf_token": token(client, url), "action": "merge", "person_id": person.id,
        "person_version": person.version})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.expire_all()
    (agreement,) = person.processing_agreements
    edit = f"{ADMIN}/soglasiya-obrabotka/{agreement.id}/"
    resp = client.post(edit, data=_form(
        client, edit, signed_on=f"{agreement.signed_on:%Y-%m-%d}",
        withdrawn_on=f"{clock.today():%Y-%m-%d}", document_ref=agreement.document_ref))
    assert resp.status_code == 302
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0
    last = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.actor == retention.WITHDRAWAL_ACTOR and last.item_kind == "questionnaire"
    assert last.changes["действие"][1].startswith("удалено ответов: 1 — согласие отозвано")
    assert db.get(Person, person.id) is not None  # the card stays
