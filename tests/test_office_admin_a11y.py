"""The office's admin screens in a real browser: axe-core finds nothing and the Nu checker
finds the HTML valid on every one of them — the registry's «Школы», «Отчёт управления», the
League's and management mentoring's screens — filled (schools, a member included by an
order, programmes approved and completed) and in a refused form's state.

The municipal curator signs in through the login page; the section's own admin screens are
covered by tests/test_a11y_admin.py.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mentoring_site.models import AccountRole
from mentoring_site.models.management import MgmtProgram, MgmtState, MgmtTeam
from tests.admin_support import PASSWORD, make_account, signed_in, token
from tests.test_league import LIGA, _members, _office, _published
from tests.test_management import build_program

ADMIN = "/nastavnichestvo/admin"
REESTR = f"{ADMIN}/reestr/"
MGMT = f"{REESTR}upravlencheskoe"
LOGIN = "mun-kurator"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    app = _office(tmp_path_factory.mktemp("office-a11y"))
    _published(app)
    build_program(app, state=MgmtState.APPROVED, title="Утверждённая")
    build_program(app, state=MgmtState.COMPLETED, title="Завершённая")
    make_account(app, LOGIN, AccountRole.MUNICIPAL_CURATOR)
    yield app
    app.extensions["mentoring"].engine.dispose()


@pytest.fixture(scope="module")
def screens(office) -> list[str]:
    """Every GET screen of the office's admin, with the ids of the rows made above."""
    with office.app_context():
        sess = office.extensions["mentoring"].session()
        program_id = sess.scalar(sa.select(MgmtProgram.id).limit(1))
        team_id = sess.scalar(sa.select(MgmtTeam.id).limit(1))
    member_id = _members(office)[0].id
    return [REESTR, f"{REESTR}otchet", LIGA, f"{LIGA}novaya", f"{LIGA}{member_id}/",
            f"{LIGA}napravleniya", f"{LIGA}klyuchi", f"{MGMT}/programmy/",
            f"{MGMT}/programmy/{program_id}/", f"{MGMT}/komandy/", f"{MGMT}/komandy/{team_id}/",
            f"{MGMT}/napravleniya/"]


def _refused_school_form(client) -> bytes:
    """The registry's «Добавить школу» sent empty: the state with field errors."""
    answer = client.post(REESTR + "dobavit", data={"csrf_token": token(client, REESTR),
                                                  "name": "", "url": "ne-adres"})
    return answer.get_data()


def test_every_office_admin_screen_answers(office, screens):
    client = signed_in(office, AccountRole.MUNICIPAL_CURATOR, "proverka")
    assert {path: client.get(path).status_code for path in screens} == \
        dict.fromkeys(screens, 200)
    assert "Укажите" in _refused_school_form(client).decode()


def test_axe_finds_nothing_on_the_office_admin(office, screens, page):
    from tests.browser import axe_violations, new_axe, serve_app

    axe = new_axe()
    problems = {}
    with serve_app(office) as server:
        page.goto(server(f"{ADMIN}/vhod/"))
        page.fill("#login", LOGIN)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("form.a-form button[type=submit]")
        assert "/vhod/" not in page.url
        for path in screens:
            page.goto(server(path))
            found = axe_violations(axe, page)
            if found:
                problems[path] = found
    assert not problems, problems


@pytest.mark.browser  # the Nu HTML Checker runs on Java
def test_the_office_admin_is_valid_html(office, screens, tmp_path):
    from tests.browser import vnu_errors

    client = signed_in(office, AccountRole.MUNICIPAL_CURATOR, "vnu")
    files = []
    for i, path in enumerate(screens):
        target = tmp_path / f"screen-{i}.html"
        target.write_bytes(client.get(path).get_data())
        files.append(target)
    refused = tmp_path / "refused.html"
    refused.write_bytes(_refused_school_form(client))
    errors = vnu_errors([*files, refused])
    assert not errors, "\n".join(errors)
