"""The office's own publication rules: what the public may see of the League and of
management mentoring. The one module to read to learn that.

The municipal part may not import the section's ``rules.py`` (docs/ARCHITECTURE.md: the
registry knows a school only through its open data), so the office's decisions about its
own tables live here, in the same shape: a SQL clause for queries and a Python predicate
for objects already loaded, agreeing (tests/test_municipal_rules.py), and no other module
or template comparing a state to decide (tests/test_rules_single_place.py).

The rules, in order of this file:

=====================  ===================================================================
rule                   what the public may see, and why
=====================  ===================================================================
League members         ``league_member_clause`` / ``is_league_member_public``: only a
                       member an order included («включена приказом»); applications and
                       refusals are the office's and the school's business. The order's
                       file is public with the member (the order itself is public).
League contacts        ``league_contacts_public``: a public member's contact (name,
                       position, phone, e-mail) only when the office ticked «Публиковать
                       контакты»; a school's application never publishes them by itself.
management programmes  ``mgmt_program_clause`` / ``is_mgmt_program_public``: approved by
                       the municipal curator or later (``MGMT_PUBLIC_STATES``): a draft or
                       a programme under approval is not yet a decision of the office.
management results     ``mgmt_results_public``: % done only once the report is in (the
                       regional order's report), as a school's programme shows results
                       only after its completion.
team members           never: ``MgmtTeam.members`` is ``lazy="raise"``, loaded only by the
                       admin; a public page shows a team's organisation, kind, directions.
=====================  ===================================================================
"""

from __future__ import annotations

from sqlalchemy.sql.elements import ColumnElement

from ..models.league import LeagueMember, LeagueState
from ..models.management import MgmtProgram, MgmtState

#: Published on the office's site and in its API: approved by the municipal curator or later.
MGMT_PUBLIC_STATES = (MgmtState.APPROVED, MgmtState.RUNNING, MgmtState.COMPLETED)


def league_member_clause() -> ColumnElement[bool]:
    return LeagueMember.state == LeagueState.INCLUDED


def is_league_member_public(member: LeagueMember) -> bool:
    return member.state is LeagueState.INCLUDED


def league_contacts_public(member: LeagueMember) -> bool:
    return is_league_member_public(member) and bool(member.contacts_public)


def mgmt_program_clause() -> ColumnElement[bool]:
    return MgmtProgram.state.in_(MGMT_PUBLIC_STATES)


def is_mgmt_program_public(program: MgmtProgram) -> bool:
    return program.state in MGMT_PUBLIC_STATES


def mgmt_results_public(program: MgmtProgram) -> bool:
    return is_mgmt_program_public(program) and program.reported_on is not None

