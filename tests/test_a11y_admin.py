"""The admin screens in a real browser: axe-core (WCAG 2.0/2.1 A and AA) finds nothing on
a sample of them that covers every template and every kind of element, and every screen is
valid HTML (vnu). Issues 5 and 9.

One seeded SQLite database, one live server and one walk through every screen for the whole
module (a curator signs in through the login page; an editor is refused a curator's list):
the walk keeps each screen's HTML exactly as served, and the axe findings of the sampled ones;
the tests judge them. Screenshots of the admin are made by scripts/screenshots.py.

Why a sample (axe is the slow part, about a second a page; issue 9): most screens are the
same template filled with another kind's fields. axe runs on a screen when it brings
something the screens checked before it did not: a template (page, layout, include, macro)
or a kind of element (a tag, an input type, a class, a role, an ARIA attribute: a new badge
colour or a file input is new markup even in a known template). So every template and every
kind of element the admin serves is checked at least once, in the walk's order; the states
(a form sent with errors, the code step, the 403) bring their own markup and are sampled
by the same rule. The admin has one look (admin.css, whatever the section's theme), so there
is no theme to multiply by. The sample is written to test-artifacts/a11y-admin-axe.txt and
its size printed at the end of the run; vnu still reads every screen. A screen opened by its
address is first fetched with the browser's cookies (``page.request``) and drawn only when it
is sampled or the walk clicks on from it: drawing is most of a visit's cost.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import g, has_request_context, request, request_finished

from mentoring_site.admin.crud import KINDS
from mentoring_site.auth import totp
from mentoring_site.models import Account, AccountRole, Answer, Consent
from mentoring_site.transfer.backups import make_backup
from tests.admin_support import ADMIN, PASSWORD, make_account
from tests.browser import artifact_path, serve_app, skip_or_fail
from tests.conftest import make_app
from tests.test_a11y_browser import _axe_violations, _vnu

# One worker (xdist group): one walk through the admin serves every test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y_admin")]

SECRET = totp.new_secret()  # the one-time-code account's


def _wrong_code(secret: str) -> str:
    right = {totp.code_at(secret, totp.current_step() + d) for d in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)


@pytest.fixture(scope="module")
def admin_app(_templates, tmp_path_factory):
    template = _templates("sqlite", True)
    folder = tmp_path_factory.mktemp("a11y-admin")
    shutil.copyfile(template.source, folder / "db.sqlite")
    shutil.copytree(template.uploads, folder / "uploads")
    (folder / "kopii").mkdir()
    app = make_app(f"sqlite:///{folder / 'db.sqlite'}", folder,
                   MENTORING_BACKUP_FOLDER=str(folder / "kopii"))
    make_backup(app, folder / "kopii", keep=1)  # «Резервные копии» lists one
    make_account(app, "kurator", AccountRole.CURATOR)
    make_account(app, "redaktor", AccountRole.EDITOR)
    make_account(app, "dvafaktora", AccountRole.CURATOR)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.scalar(sa.select(Account).where(Account.login == "dvafaktora")).totp_secret = SECRET
        sess.commit()
    yield app
    app.extensions["mentoring"].engine.dispose()


def _ids(app) -> tuple[dict[str, int], int | None, int]:
    """An id of a record of every kind that has one, a consent's id and a person's id."""
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        ids = {}
        for name, kind in KINDS.items():
            found = sess.scalar(sa.select(kind.model.id).order_by(kind.model.id).limit(1))
            if found is not None:
                ids[name] = found
            else:  # a one-record kind is created on its first save: its screen is a route
                assert kind.singleton, f"the demo has no {name}"
        consent = sess.scalar(sa.select(Consent.id).order_by(Consent.id).limit(1))
        person = ids["person"]
        if consent is not None:
            person = sess.get(Consent, consent).person_id
        return ids, consent, person


def _a_pupil(app) -> int:
    """A pupil of the demo: the print page asks for the parent who signs."""
    from mentoring_site.models import Person, PersonKind

    with app.app_context():
        return app.extensions["mentoring"].session().scalar(
            sa.select(Person.id).where(Person.kind == PersonKind.STUDENT)
            .order_by(Person.id).limit(1))


def _monitoring_pages(app) -> list[str]:
    """The monitoring pages reached from a record's page (a plan item, a saved score, an item
    of a plan template): their addresses carry two ids, so they are listed here."""
    from mentoring_site.models import Assessment, PlanEvent, PlanTemplateItem

    with app.app_context():
        sess = app.extensions["mentoring"].session()

        def first(model):
            found = sess.scalars(sa.select(model).order_by(model.id).limit(1)).first()
            assert found is not None, f"the demo has no {model.__name__}"
            return found

        event, score, item = first(PlanEvent), first(Assessment), first(PlanTemplateItem)
        return [f"{ADMIN}/programmy/{event.program_id}/plan/{event.id}/izmenit/",
                f"{ADMIN}/programmy/{score.program_id}/ocenka/{score.id}/",
                f"{ADMIN}/shablony-plana/{item.template_id}/punkty/{item.id}/"]


def _screens_without_arguments(app) -> list[str]:
    """Every admin page one can open by its address alone: the dashboard, the lists, the
    «new» forms, the journal, one-record forms... (a new screen is covered without a change)."""
    paths = [rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("mentoring_admin.") and not rule.arguments
             and "GET" in rule.methods and rule.endpoint != "mentoring_admin.login"]
    return sorted(paths, key=lambda p: (p.count("/"), p))


def _login(page, server, login: str) -> None:
    page.goto(server(f"{ADMIN}/vhod/"))
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form.a-form button[type=submit]")
    assert "/vhod/" not in page.url, f"{login} could not sign in"


class Screen(NamedTuple):
    findings: list[str] | None  # axe's, or None when the screen was not in the sample
    html: bytes  # exactly as served
    covers: frozenset[str]  # its templates and kinds of element (module docstring)
    new: frozenset[str]  # what of ``covers`` no screen before it had: why it was sampled


class _Vocabulary(HTMLParser):
    """The kinds of element of a page: tags, input and button types, classes, roles, ARIA."""

    def __init__(self) -> None:
        super().__init__()
        self.words: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.words.add(f"<{tag}>")
        for name, value in attrs:
            if name == "class":
                self.words.update("." + c for c in (value or "").split())
            elif name in ("type", "role"):
                self.words.add(f"{tag}[{name}={value}]")
            elif name.startswith("aria-"):
                self.words.add(f"[{name}]")


def _vocabulary(html: bytes) -> frozenset[str]:
    parser = _Vocabulary()
    parser.feed(html.decode("utf-8", "replace"))
    return frozenset(parser.words)


@contextmanager
def _templates_per_request(app):
    """[(path, names of the templates the request loaded)] for every request that loaded one
    (the live server runs in this process; pages, layouts, includes and macros all pass
    through ``get_template``)."""
    rendered: list[tuple[str, frozenset[str]]] = []
    env = app.jinja_env
    load = env.get_template

    def get_template(name, *args, **kwargs):
        template = load(name, *args, **kwargs)
        if has_request_context():
            g.setdefault("_axe_templates", set()).add(template.name)
        return template

    def finished(sender, response, **extra):
        names = g.pop("_axe_templates", None)
        if names:
            rendered.append((request.path, frozenset(names)))

    env.get_template = get_template
    request_finished.connect(finished, app)
    try:
        yield rendered
    finally:
        request_finished.disconnect(finished, app)
        del env.get_template


@pytest.fixture(scope="module")
def walk(admin_app, browser):
    """{label: Screen} for every admin screen, axe run on the sample (module docstring)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        skip_or_fail("axe-playwright-python is not installed (pip install -e '.[test]')")
    axe = Axe()
    ids, consent, person = _ids(admin_app)
    seen: dict[str, Screen] = {}
    covered: set[str] = set()

    def unique(label: str) -> str:
        while label in seen:  # the same address again, later in the walk (more rows...)
            label += " (again)"
        return label

    def served(label, response, status) -> tuple[bytes, frozenset[str]]:
        """The body as served and what it covers (its templates and kinds of element)."""
        assert response is not None and response.status == status, (label, response)
        path = urlsplit(response.url).path
        templates = next((names for at, names in reversed(rendered) if at == path), None)
        assert templates, f"{label}: no template recorded for {path}"
        body = response.body()
        return body, templates | _vocabulary(body)

    def check(page, label, response, status=200):
        label = unique(label)
        body, covers = served(label, response, status)
        new = covers - covered
        findings = _axe_violations(axe, page) if new else None
        covered.update(covers)
        seen[label] = Screen(findings, body, covers, frozenset(new))

    with _templates_per_request(admin_app) as rendered, serve_app(admin_app) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU")
        context.set_default_timeout(15_000)
        page = context.new_page()

        def visit(path, status=200, *, shown=False):
            """Open a screen; the browser draws it only when axe is to check it (it brings
            something new) or the walk goes on from it (``shown``): a screen is first
            fetched with the page's cookies, which costs a tenth of drawing it."""
            if not shown:
                body, covers = served(path, page.request.get(server(path)), status)
                if covers <= covered:
                    seen[unique(path)] = Screen(None, body, covers, frozenset())
                    return
            check(page, path, page.goto(server(path)), status)

        visit(f"{ADMIN}/vhod/")
        _login(page, server, "kurator")
        visit(f"{ADMIN}/")
        for path in _screens_without_arguments(admin_app):
            if path not in seen:
                visit(path)
        for name, obj_id in ids.items():
            visit(f"{ADMIN}/{KINDS[name].url}/{obj_id}/")
        visit(f"{ADMIN}/lyudi/{person}/soglasiya/novoe/")
        visit(f"{ADMIN}/lyudi/{person}/soglasiya-obrabotka/novoe/")
        if consent is not None:
            visit(f"{ADMIN}/soglasiya/{consent}/")
        for who in (person, _a_pupil(admin_app)):  # the printable consents (issue 11)
            for kind in ("rasprostranenie", "obrabotka", "uchastie"):
                visit(f"{ADMIN}/lyudi/{who}/soglasiya/blank/{kind}/")
        for path in _monitoring_pages(admin_app):
            visit(path)
        # the sheet's levels sent with a gap: each error shown at its field
        page.goto(server(f"{ADMIN}/{KINDS['sheet'].url}/{ids['sheet']}/"))
        threshold = page.locator("input[id^='sh-min']").first
        threshold.fill(str(int(threshold.input_value()) + 1))
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.click("form[action$='/urovni/'] button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("input[aria-invalid='true']").count(), "the gap was accepted"
        check(page, "sheet levels with errors", sent.value)
        with admin_app.app_context():  # a questionnaire answer (the demo has two)
            answer = admin_app.extensions["mentoring"].session().scalar(
                sa.select(sa.func.min(Answer.id)))
        visit(f"{ADMIN}/otvety/{answer}/")
        with admin_app.app_context():  # each answer into the bank; a mentee's suggested pairs
            answers = admin_app.extensions["mentoring"].session().scalars(
                sa.select(Answer.id).order_by(Answer.id)).all()
        for other in answers:
            visit(f"{ADMIN}/otvety/{other}/")
            visit(f"{ADMIN}/otvety/{other}/v-bank/")
        # a change and a deletion, so that the journal has rows and «restore» buttons
        news = f"{ADMIN}/{KINDS['news'].url}/{ids['news']}/"
        page.goto(server(news))
        page.fill("#title", page.input_value("#title") + " (исправлено)")
        with page.expect_navigation():
            page.click("form.a-form button[type=submit]:not([name])")
        visit(news + "udalit/", shown=True)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        visit(f"{ADMIN}/zhurnal/", shown=True)
        assert page.locator("table.a-table tbody tr form").count(), "no journal rows to restore"
        # «Резервные копии» without a folder: how to set it
        admin_app.config["MENTORING_BACKUP_FOLDER"] = None
        visit(f"{ADMIN}/rezervnye-kopii/", shown=True)
        assert page.locator("text=MENTORING_BACKUP_FOLDER").count()
        admin_app.config["MENTORING_BACKUP_FOLDER"] = str(admin_app.instance_path) + "/kopii"
        # an empty news form sent: shown again with its errors
        page.goto(server(f"{ADMIN}/{KINDS['news'].url}/novaya/"))
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.click("form.a-form button[type=submit]:not([name])")
        page.wait_for_load_state()
        assert page.locator(".a-error").count(), "the empty news form was accepted"
        check(page, "news form with errors", sent.value)
        # the account screen: a password change sent empty, a wrong code to turn codes on
        page.goto(server(f"{ADMIN}/akkaunt/"))
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.click("form[action$='/akkaunt/parol/'] button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".a-error").count(), "the empty password form was accepted"
        check(page, "password change with errors", sent.value)
        page.goto(server(f"{ADMIN}/akkaunt/kod/vklyuchit/"))
        page.fill("#code", _wrong_code(page.inner_text(".a-secret").replace(" ", "")))
        page.fill("#current_password", PASSWORD)
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.click("form.a-form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#code-err").count(), "a wrong code turned codes on"
        check(page, "one-time codes on, wrong code", sent.value)
        context.close()

        # signing in with a one-time code: the second step, a wrong code, the account page
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU")
        page = context.new_page()
        page.goto(server(f"{ADMIN}/vhod/"))
        page.fill("#login", "dvafaktora")
        page.fill("#password", PASSWORD)
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.click("form.a-form button[type=submit]")
        page.wait_for_load_state()
        check(page, "login: the code step", sent.value)
        page.fill("#code", _wrong_code(SECRET))
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.click("form.a-form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#code-err").count(), "a wrong code was accepted"
        check(page, "login: a wrong code", sent.value)
        page.fill("#code", totp.code_at(SECRET, totp.current_step()))
        with page.expect_navigation():
            page.click("form.a-form button[type=submit]")
        assert "/vhod/" not in page.url, "the right code did not sign in"
        check(page, "account with one-time codes on", page.goto(server(f"{ADMIN}/akkaunt/")))
        context.close()

        # an editor is refused a curator's screen
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU")
        page = context.new_page()
        _login(page, server, "redaktor")
        check(page, "403 for an editor", page.goto(server(f"{ADMIN}/dokumenty/")), 403)
        context.close()
    return seen


def test_every_admin_screen_is_visited(walk):
    # login, dashboard, list + new + edit per kind, consent form(s), journal, delete, errors, 403
    assert len(walk) >= 3 * len(KINDS) + 5, sorted(walk)
    for kind in KINDS.values():
        assert any(f"/{kind.url}/" in label for label in walk), kind.name


def test_axe_finds_nothing_on_the_sampled_admin_screens(walk, record_property):
    sample = {label: sorted(s.new) for label, s in walk.items() if s.findings is not None}
    artifact_path("a11y-admin-axe.txt").write_text(
        f"axe ran on {len(sample)} of {len(walk)} admin screens (each with what it brought):\n"
        + "".join(f"{label}: {' '.join(new)}\n" for label, new in sample.items()),
        encoding="utf-8")
    record_property("summary", f"axe on the admin: {len(sample)} of {len(walk)} screens (every"
                               " template and kind of element; test-artifacts/a11y-admin-axe.txt)")
    problems = {label: screen.findings for label, screen in walk.items() if screen.findings}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_axe_sample_covers_every_template_and_kind_of_element(walk):
    """The coverage argument of the module docstring holds, and the recording saw templates."""
    every = frozenset().union(*(screen.covers for screen in walk.values()))
    checked = frozenset().union(*(s.covers for s in walk.values() if s.findings is not None))
    assert checked == every, sorted(every - checked)
    for template in ("base.html", "form.html", "list.html", "journal.html", "_fields.html"):
        assert f"mentoring/admin/{template}" in every, template
    assert all("mentoring/admin/base.html" in s.covers for s in walk.values())


def test_every_admin_screen_is_valid_html(walk, tmp_path):
    vnu = _vnu()
    files = []
    for i, (label, screen) in enumerate(walk.items()):
        target = tmp_path / f"admin-{i}.html"
        target.write_bytes(screen.html)
        files.append((target, label))
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *(str(f) for f, _ in files)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    names = {f.name: label for f, label in files}  # vnu writes file:/..., not file:///...

    def where(m) -> str:
        return names.get(str(m.get("url")).rsplit("/", 1)[-1], str(m.get("url")))

    errors = [f"{where(m)}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors[:40])
