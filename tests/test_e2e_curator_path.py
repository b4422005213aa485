"""The curator's whole monitoring path in a real browser (Playwright driving Debian's Chromium).

Issue 10, «Done when»: create a programme from a plan template, score the baseline, mark
the plan, complete with one reason, score the result, download both reports; screenshots of
the programme page and the dashboard kept in ``test-artifacts/``.

Everything the curator does is clicked, found by labels and roles as a screen reader would
find it. Only the two people come from a factory: adding people and consents through the
admin is already walked by ``tests/test_admin_e2e.py``, and typing them again here would
only make this test slower.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from mentoring_site import clock, lifecycle
from mentoring_site.reports.figures import SchoolYear
from mentoring_site.templating import ru_date
from tests import factories
from tests.admin_support import PASSWORD, make_account
from tests.browser import screenshot, serve_app

TITLE = "Первые шаги в профессии: математика"
MENTOR, MENTEE = "Берёзкина Алла Викторовна", "Новикова Дарья Олеговна"
TEMPLATE = "Типовая программа: три этапа (по региональному положению)"
SKIPPED = "Повышение квалификации по направлению наставничества"
REASON = "Курсы перенесены организатором на следующий учебный год"
FIRST = "Соглашение об участии в программе наставничества"
FIRST_RESULT = "Соглашение подписано всеми участниками"
CONCLUSIONS = "Наставляемая уверенно ведёт уроки; пару рекомендуем сохранить."
# The default sheet has 9 indicators, scored 2 / 1 / 0; levels 15–18, 9–14, 0–8.
BASELINE = (1, 1, 1, 1, 1, 1, 1, 1, 2)  # 10 — допустимый
RESULT = (2, 2, 1, 2, 2, 1, 2, 2, 1)  # 15 — оптимальный
POINTS_LABEL = {2: "Проявляется в полной мере (2)", 1: "Частично проявляется (1)",
                0: "Не проявляется (0)"}


@pytest.fixture
def server(app):
    """``app`` is conftest's: a database of its own, freshly migrated (the migrations seed
    the effectiveness sheet and the plan template), no content; then a curator's account
    and the two people."""
    make_account(app)
    with app.app_context():
        today = clock.today()
        sess = app.extensions["mentoring"].session()
        for (last, first, middle), fields in (
            (MENTOR.split(), dict(in_mentor_bank=True, experience_years=20)),
            (MENTEE.split(), dict(in_mentor_bank=False, in_mentee_bank=True,
                                  experience_years=1, position="Учитель математики")),
        ):
            person = factories.person(consented=False, last_name=last, first_name=first,
                                      middle_name=middle, **fields)
            person.consents.append(factories.consent(signed_on=today - timedelta(days=200)))
            sess.add(person)
        sess.commit()
    with serve_app(app) as live:
        yield live


def _today(app):
    with app.app_context():
        return clock.today()


def _flash(page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _plan_row(page, title: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=title,
                                                                 exact=True))


def _score(page, stage: str, points: tuple[int, ...], on) -> None:
    """Fill the effectiveness sheet for the mentee: one radio group per indicator."""
    scores = page.get_by_role("region", name="Оценка эффективности")
    scores.get_by_label("Кого оценивают").select_option(label=MENTEE)
    scores.get_by_label("Этап оценки").select_option(label=stage)
    scores.get_by_label("Дата оценки").fill(str(on))
    scores.get_by_label("Кто оценивал").fill("Куратор Тестова И. П.")
    groups = scores.get_by_role("group")
    expect(groups).to_have_count(len(points))
    for i, p in enumerate(points):
        groups.nth(i).get_by_label(POINTS_LABEL[p], exact=True).check()
    scores.get_by_role("button", name="Сохранить оценку").click()
    _flash(page, "Лист оценки эффективности сохранён.")


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def _download(page, link, tmp_path):
    with page.expect_download() as info:
        link.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def test_curator_runs_a_programme_from_template_to_reports(page, server, app, tmp_path):
    today = _today(app)
    starts = today - timedelta(days=120)
    ends = lifecycle.add_months(starts, 6)  # within the regulation's 3 months to 1 year

    failures: list[str] = []
    page.on("response", lambda r: r.status >= 500 and failures.append(f"{r.status} {r.url}"))
    page.goto(server("/nastavnichestvo/admin/"))
    page.get_by_label("Имя входа").fill("kurator")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    nav = page.get_by_role("navigation", name="Разделы управления")

    # -- a new programme, its participants, the plan from the default template -------------
    nav.get_by_role("link", name="Программы", exact=True).click()
    page.get_by_role("link", name="Добавить программу").click()
    page.get_by_label("Название программы").fill(TITLE)
    page.get_by_label("Направления наставничества").select_option(
        label="Управление качеством образования")
    page.get_by_label("Начало").fill(str(starts))
    page.get_by_label("Окончание (по плану)").fill(str(ends))
    page.get_by_label("Общие выводы").fill(CONCLUSIONS)
    page.get_by_role("button", name="Сохранить").click()
    _flash(page, f"Сохранено: «{TITLE}»")
    program_url = page.url

    people = page.get_by_role("region", name="Участники")
    for who, role in ((MENTOR, "Наставник"), (MENTEE, "Наставляемый")):
        people.get_by_label("Человек").select_option(label=who)
        people.get_by_label("Роль").select_option(label=role)
        people.get_by_role("button", name="Добавить участника").click()
        _flash(page, "Участник добавлен.")
    expect(page.get_by_role("region", name="Участники")).to_contain_text(
        f"{MENTEE} — наставляемый")

    plan = page.get_by_role("region", name="План мероприятий")
    plan.get_by_label("Шаблон плана").select_option(label=TEMPLATE)
    plan.get_by_role("button", name="Применить шаблон плана").click()
    _flash(page, "Шаблон плана применён.")
    done_buttons = page.get_by_role("button", name="Отметить выполненным")
    expect(done_buttons).to_have_count(13)  # the regional order's typical plan, three stages
    for stage in ("Организационный этап", "Практический этап", "Заключительный этап"):
        expect(page.get_by_role("table", name=stage, exact=False)).to_be_visible()
    page.get_by_role("button", name="Начать программу").click()
    _flash(page, "Программа начата.")

    # -- the baseline, «на входе» -------------------------------------------------------
    _score(page, "на входе", BASELINE, starts + timedelta(days=14))
    mentee_scores = page.get_by_role("region", name="Оценка эффективности").get_by_role(
        "row").filter(has=page.get_by_role("rowheader", name=MENTEE))
    expect(mentee_scores).to_contain_text("10 баллов — допустимый")

    # -- the plan: one item not done with its reason, the rest done ----------------------
    skipped = _plan_row(page, SKIPPED)
    skipped.get_by_text(f"Не выполнено: {SKIPPED}").click()
    skipped.get_by_label("Причина невыполнения").fill(REASON)
    skipped.get_by_role("button", name="Отметить невыполненным").click()
    _flash(page, "Мероприятие отмечено невыполненным, причина записана.")
    expect(_plan_row(page, SKIPPED)).to_contain_text(f"не выполнено: {REASON}")

    first = _plan_row(page, FIRST)
    first.get_by_label("Результат").fill(FIRST_RESULT)
    first.get_by_role("button", name="Отметить выполненным").click()
    expect(done_buttons).to_have_count(11)
    for left in range(10, 0, -1):
        done_buttons.first.click()
        expect(done_buttons).to_have_count(left)

    # Completion is refused while one item has no outcome, and names that item.
    last_open = page.get_by_role("region", name="План мероприятий").get_by_role(
        "row").filter(has=done_buttons).get_by_role("rowheader").inner_text()
    page.get_by_role("button", name="Завершить программу").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Не отмечены мероприятия плана: «{last_open}»")
    done_buttons.first.click()
    expect(done_buttons).to_have_count(0)
    expect(page.get_by_text("выполнено 92 %, не выполнено 8 %.")).to_be_visible()

    # -- «Завершить» --------------------------------------------------------------------
    page.get_by_text("Завершить: каждое мероприятие плана отмечено").click()
    page.get_by_role("button", name="Завершить программу").click()  # dated today by default
    _flash(page, "Программа завершена.")
    assert page.url == program_url
    expect(page.get_by_text(f"Завершена {today:%d.%m.%Y}.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Состояние программы: завершена")).to_be_visible()
    expect(page.get_by_text("План выполнен на 92 %.", exact=False)).to_be_visible()

    # -- the result, «по итогам»: both totals, levels and the change ---------------------
    _score(page, "по итогам", RESULT, today)
    expect(mentee_scores).to_contain_text("10 баллов — допустимый")
    expect(mentee_scores).to_contain_text("15 баллов — оптимальный")
    expect(mentee_scores).to_contain_text("+5: допустимый → оптимальный")
    # a finished programme's plan no longer changes: the page offers no buttons for it
    expect(page.get_by_role("button", name="Снять отметку")).to_have_count(0)
    expect(page.get_by_role("button", name="Добавить в план")).to_have_count(0)
    screenshot(page, "curator-path-programme")

    # -- the dashboard: the справка-отчёт is due within 30 days --------------------------
    nav.get_by_role("link", name="Главная").click()
    due = page.get_by_role("region", name="Справки-отчёты (в течение 30 дней после завершения)")
    expect(due.get_by_role("link", name=TITLE)).to_be_visible()
    expect(due).to_contain_text(f"справка-отчёт до {ru_date(today + timedelta(days=30))}")
    screenshot(page, "curator-path-dashboard")

    # -- «Отчёты»: the справка-отчёт and the year's report --------------------------------
    nav.get_by_role("link", name="Отчёты").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=TITLE))
    name, data = _download(page, row.get_by_role("link", name="Скачать DOCX"), tmp_path)
    # the Russian file name, without the «:» a file name may not hold
    assert name == "Справка-отчёт — Первые шаги в профессии математика.docx"
    text = _docx_text(data)
    assert f"«{TITLE}»" in text
    assert "Выполнено | 12 | 92 %" in text
    assert "Не выполнено | 1 | 8 %" in text
    assert f"{SKIPPED} | {REASON}" in text
    assert f"Выполнено | {FIRST_RESULT}" in text
    assert f"{MENTEE} | 10 | допустимый | 15 | оптимальный | 5" in text
    assert CONCLUSIONS in text
    assert "Управление качеством образования" in text

    year = page.get_by_role("region", name="Аналитический отчёт за учебный год")
    name, data = _download(page, year.get_by_role("link", name="Скачать таблицы (XLSX, Excel)"),
                           tmp_path)
    first_year = SchoolYear.of(today).first
    assert name == f"Аналитический отчёт {first_year}-{first_year + 1}.xlsx"
    book = load_workbook(io.BytesIO(data))
    plan_rows = {r[0]: r[1:] for r in book["Выполнение плана"].iter_rows(min_row=3,
                                                                        values_only=True)}
    assert plan_rows[TITLE] == ("Завершена", 13, 12, 1, 0, 92)
    levels = {r[0]: r[1:] for r in book["Эффективность"].iter_rows(min_row=3, values_only=True)}
    assert levels == {"допустимый": (1, 0), "оптимальный": (0, 1)}
    summary = dict(book["Сводка"].iter_rows(min_row=3, values_only=True))
    assert summary["Средний % выполнения плана"] == 92
    assert summary["Мероприятий проведено"] == 12

    name, data = _download(page, year.get_by_role("link", name="Скачать отчёт (DOCX, Word)"),
                           tmp_path)
    assert name == f"Аналитический отчёт {first_year}-{first_year + 1}.docx"
    text = _docx_text(data)
    assert f"{TITLE} | Завершена | 13 | 12 | 1 | 0 | 92" in text
    assert "оптимальный | 0 | 1" in text
    assert not failures, failures
