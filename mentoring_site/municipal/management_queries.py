"""Reads of management mentoring for the office's pages, admin and API (fixed query counts).

Public reads never load a team's members (``MgmtTeam.members`` is ``lazy="raise"`` unless
asked for): members' contacts are for the office only, so a public page cannot show them
even by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models.management import MgmtDirection, MgmtProgram, MgmtTeam, program_team
from ..models.registry import RegistrySchool
from .rules import mgmt_program_clause


@dataclass
class DirectionTeams:
    direction: MgmtDirection | None  # None: teams without a direction yet
    teams: list[MgmtTeam]


def directions(sess: Session) -> list[MgmtDirection]:
    return list(sess.scalars(sa.select(MgmtDirection).order_by(MgmtDirection.position,
                                                               MgmtDirection.id)))


def teams(sess: Session, *, with_members: bool = False) -> list[MgmtTeam]:
    query = sa.select(MgmtTeam).order_by(MgmtTeam.organisation, MgmtTeam.id)
    if with_members:
        query = query.options(selectinload(MgmtTeam.members))
    return list(sess.scalars(query))


def teams_by_direction(sess: Session) -> list[DirectionTeams]:
    """The registry of teams: every direction with its teams (a team under each of its)."""
    every = teams(sess)
    groups = [DirectionTeams(d, [t for t in every if d in t.directions])
              for d in directions(sess)]
    loose = [t for t in every if not t.directions]
    if loose:
        groups.append(DirectionTeams(None, loose))
    return groups


def team(sess: Session, team_id: int) -> MgmtTeam | None:
    return sess.scalar(sa.select(MgmtTeam).where(MgmtTeam.id == team_id)
                       .options(selectinload(MgmtTeam.members)))


def programs(sess: Session) -> list[MgmtProgram]:
    return list(sess.scalars(sa.select(MgmtProgram).order_by(MgmtProgram.id.desc())))


def program(sess: Session, program_id: int) -> MgmtProgram | None:
    return sess.get(MgmtProgram, program_id)


def public_programs(sess: Session) -> list[MgmtProgram]:
    return list(sess.scalars(
        sa.select(MgmtProgram).where(mgmt_program_clause())
        .order_by(MgmtProgram.starts_on.desc(), MgmtProgram.id.desc())))


def school_programs(sess: Session, key: str) -> tuple[RegistrySchool | None, list[MgmtProgram]]:
    """A school's (by its registry key) public programmes, where one of its teams takes part."""
    school = sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.key == key,
                                                         RegistrySchool.removed_at.is_(None)))
    if school is None:
        return None, []
    found = sess.scalars(
        sa.select(MgmtProgram)
        .join(program_team, program_team.c.program_id == MgmtProgram.id)
        .join(MgmtTeam, MgmtTeam.id == program_team.c.team_id)
        .where(MgmtTeam.school_id == school.id, mgmt_program_clause())
        .distinct().order_by(MgmtProgram.starts_on.desc(), MgmtProgram.id.desc()))
    return school, list(found)


def schools(sess: Session) -> list[RegistrySchool]:
    """The office's list, for choosing a team's organisation."""
    return list(sess.scalars(sa.select(RegistrySchool).where(RegistrySchool.removed_at.is_(None))
                             .order_by(RegistrySchool.name)))
