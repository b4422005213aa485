"""The «Приказы и протоколы» block of the admin «Отчёты» screen: downloads with their type
and Russian names; bad choices are a Russian message on the screen, never a 500; the editor
role is kept out."""

from __future__ import annotations

import io
from urllib.parse import quote

import sqlalchemy as sa
from docx import Document

from mentoring_site.models import AccountRole, Program
from mentoring_site.reports.orders import KINDS
from tests.admin_support import ADMIN, signed_in

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
URL = f"{ADMIN}/otchety/prikaz"


def _programs(app) -> list[tuple[int, str, bool]]:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        return [(p.id, p.title, p.ended_on is not None)
                for p in sess.scalars(sa.select(Program).order_by(Program.id))]


def test_the_block_offers_every_document(seeded_app):
    html = signed_in(seeded_app).get(f"{ADMIN}/otchety/").get_data(as_text=True)
    assert "Приказы и протоколы" in html
    for kind in KINDS.values():
        assert f'"{URL}/{kind.key}.docx"' in html, kind.key
    programs = _programs(seeded_app)
    for pid, _title, finished in programs:
        assert f'id="o-pary-{pid}"' in html
        assert (f'id="o-zavershenie-{pid}"' in html) is finished


def test_downloads_have_the_right_type_and_a_russian_name(seeded_app):
    client = signed_in(seeded_app)
    programs = _programs(seeded_app)
    running = [pid for pid, _t, finished in programs if not finished][:2]
    resp = client.get(f"{URL}/pary.docx", query_string={"programma": running})
    assert resp.status_code == 200 and resp.content_type == DOCX
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="prikaz-o-zakreplenii-par.docx"')
    assert "filename*=UTF-8''" + quote("Приказ «О закреплении наставнических пар (групп)».docx",
                                       safe="") in disposition
    text = "\n".join(p.text for p in Document(io.BytesIO(resp.data)).paragraphs)
    assert all(f"«{t}»" in text for pid, t, _f in programs if pid in running)

    pid, title, _f = next(p for p in programs if p[2])
    resp = client.get(f"{URL}/zavershenie.docx?programma={pid}")
    assert resp.status_code == 200 and resp.content_type == DOCX
    shown = title.split(":")[0]  # a colon is not allowed in a file name
    assert quote(f"Приказ «О завершении программы наставничества» — {shown}",
                 safe="") in resp.headers["Content-Disposition"]
    for kind in KINDS.values():
        if not kind.programs:
            resp = client.get(f"{URL}/{kind.key}.docx")
            assert resp.status_code == 200 and resp.content_type == DOCX, kind.key
            assert f'filename="{kind.template}"' in resp.headers["Content-Disposition"]


def test_bad_choices_are_a_russian_message_not_an_error_page(seeded_app):
    client = signed_in(seeded_app)
    running = next(pid for pid, _t, finished in _programs(seeded_app) if not finished)
    for query, message in (
        ("", "выберите хотя бы одну программу"),
        (f"?programma={running}", "ещё не завершена"),
        ("?programma=abc", "Выбранная программа не найдена"),
        ("?programma=99999", "Выбранная программа не найдена"),
        ("?programma=99999999999999999999", "Выбранная программа не найдена"),
    ):
        resp = client.get(f"{URL}/zavershenie.docx{query}")
        assert resp.status_code == 400, query
        html = resp.get_data(as_text=True)
        assert 'role="alert"' in html and message in html, query
        assert "Приказы и протоколы" in html
    resp = client.get(f"{URL}/vnedrenie.docx?programma={running}")
    assert resp.status_code == 400
    assert "составляется без выбора программ" in resp.get_data(as_text=True)
    assert client.get(f"{URL}/net.docx").status_code == 404


def test_only_the_curator_gets_orders(seeded_app):
    editor = signed_in(seeded_app, AccountRole.EDITOR, "redaktor")
    assert editor.get(f"{URL}/vnedrenie.docx").status_code == 403
    assert editor.get(f"{URL}/pary.docx?programma=1").status_code == 403
    assert seeded_app.test_client().get(f"{URL}/vnedrenie.docx").status_code == 302
