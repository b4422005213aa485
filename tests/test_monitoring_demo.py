"""The demo section carries monitoring data: both sheets scored, a completed programme with
two items not done (with reasons), directions and categories assigned."""

from __future__ import annotations

import sqlalchemy as sa

from mentoring_site import lifecycle
from mentoring_site.models import PlanOutcome, Program, ProgramStatus
from mentoring_site.monitoring import assessments, plan


def test_demo_monitoring(seeded_app):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        programs = sess.scalars(sa.select(Program).order_by(Program.id)).all()
        both = [p for p in programs
                if any(r.change.delta is not None for r in assessments.program_scores(sess, p))]
        assert len(both) >= 2
        assert all(p.status is ProgramStatus.COMPLETED for p in both)
        assert {assessments.final_level(sess, p) for p in both} >= {"оптимальный"}

        completed = [p for p in programs if p.status is ProgramStatus.COMPLETED]
        with_reasons = [p for p in completed if plan.tally(p).not_done == 2]
        assert len(with_reasons) == 1
        [program] = with_reasons
        not_done = [e for e in program.events if e.outcome is PlanOutcome.NOT_DONE]
        assert all(e.not_done_reason and e.done_on is None for e in not_done)
        assert plan.tally(program).open == 0 and lifecycle.percent_done(program) == 71
        assert all(e.stage is not None and e.responsible for p in programs for e in p.events)

        assert all(p.directions for p in programs)
        mentees = {part.person for p in programs for part in p.participations
                   if part.role.value == "mentee" and part.person.kind.value == "teacher"}
        assert all(person.categories for person in mentees)
        # The demo shows its completed programmes' levels (a fresh install does not).
        assert assessments.show_levels_on_site(sess) is True
