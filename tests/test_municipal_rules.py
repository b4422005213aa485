"""The office's publication rules (``municipal/rules.py``): each SQL clause agrees with its
predicate for every state, on the office's own tables."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from mentoring_site.models.league import LeagueMember, LeagueState
from mentoring_site.models.management import MgmtProgram, MgmtState
from mentoring_site.municipal import create_app, rules
from tests.municipal_support import prepared


@pytest.fixture(scope="module")
def sess(tmp_path_factory):
    app = create_app(instance_path=str(tmp_path_factory.mktemp("rules") / "office"))
    prepared(app)
    with app.app_context():
        session = app.extensions["mentoring"].session()
        for state in LeagueState:
            for shown in (False, True):
                session.add(LeagueMember(organisation=f"{state.value} {shown}", state=state,
                                         contacts_public=shown, contact_name="Иванова"))
        for state in MgmtState:
            for reported in (None, date(2027, 6, 1)):
                session.add(MgmtProgram(title=f"{state.value} {reported}", state=state,
                                        reported_on=reported))
        session.commit()
        yield session
        session.rollback()
    app.extensions["mentoring"].engine.dispose()


def test_only_a_member_an_order_included_is_public(sess):
    rows = list(sess.scalars(sa.select(LeagueMember)))
    shown = set(sess.scalars(sa.select(LeagueMember.id).where(rules.league_member_clause())))
    assert shown == {m.id for m in rows if rules.is_league_member_public(m)}
    assert {m.state for m in rows if m.id in shown} == {LeagueState.INCLUDED}


def test_a_contact_is_public_only_for_an_included_member_whose_office_ticked_it(sess):
    public = [m for m in sess.scalars(sa.select(LeagueMember))
              if rules.league_contacts_public(m)]
    assert [(m.state, m.contacts_public) for m in public] == [(LeagueState.INCLUDED, True)]


def test_only_approved_or_later_programmes_are_public(sess):
    rows = list(sess.scalars(sa.select(MgmtProgram)))
    shown = set(sess.scalars(sa.select(MgmtProgram.id).where(rules.mgmt_program_clause())))
    assert shown == {p.id for p in rows if rules.is_mgmt_program_public(p)}
    assert {p.state for p in rows if p.id in shown} == {
        MgmtState.APPROVED, MgmtState.RUNNING, MgmtState.COMPLETED}


def test_a_programmes_percent_done_is_public_only_after_its_report(sess):
    public = [p for p in sess.scalars(sa.select(MgmtProgram)) if rules.mgmt_results_public(p)]
    assert {p.state for p in public} == {MgmtState.APPROVED, MgmtState.RUNNING,
                                         MgmtState.COMPLETED}
    assert all(p.reported_on is not None for p in public)
