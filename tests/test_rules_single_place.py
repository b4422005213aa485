"""``rules.py`` is the one place that decides what the public may see (and
``municipal/rules.py`` for the office's own tables: the League, management mentoring).

A guard, not a proof: it reads every template and every module of the package and
fails where a status (``Status``, ``ProgramStatus``, their stored values), a kind of
person (``PersonKind``: what a student may show is a rule too) or the flag
``is_public`` is compared outside ``rules.py``, or the office's states (``LeagueState``,
``MgmtState``) and its flag ``contacts_public`` outside ``municipal/rules.py``. Such a
comparison is how a second copy of a visibility rule starts: templates and the API read
flags that ``rules`` computes (``ProgramCard.results_public``,
``ProgramCard.early_end_public``...).

A comparison that decides something else (a lifecycle transition, a filter the curator
or the visitor picked, an order) is allowed by name below, with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jinja2
from jinja2 import nodes

from mentoring_site.models import PersonKind, ProgramStatus, Status
from mentoring_site.models.league import LeagueState
from mentoring_site.models.management import MgmtState

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mentoring_site"
TEMPLATE_DIRS = [PACKAGE / "templates", *sorted((ROOT / "themes").glob("*/templates"))]
#: Not scanned: the rules themselves, the models that define the statuses, migrations.
SKIPPED = ("mentoring_site/rules.py", "mentoring_site/municipal/rules.py",
           "mentoring_site/models/", "mentoring_site/migrations/")

#: The office's states too: a League member's, a management programme's.
OFFICE_STATES = (LeagueState, MgmtState)
STATUS_VALUES = frozenset(m.value for e in (Status, ProgramStatus, *OFFICE_STATES) for m in e)
#: PersonKind too: what a student may show is a rule (name, page, photo, address).
STATUS_ENUMS = frozenset({"Status", "ProgramStatus", PersonKind.__name__,
                          *(e.__name__ for e in OFFICE_STATES)})
STATUS_ATTRS = frozenset({"status", "is_public", "contacts_public"})
#: Flags that decide by being read (``if x.is_public:``), not only by a comparison.
FLAG_ATTRS = frozenset({"is_public", "contacts_public"})
SQL_COMPARATORS = frozenset({"in_", "not_in", "notin_", "is_", "is_not", "isnot"})

#: ``path:function`` (``<module>`` for module level) -> why the status is compared there.
ALLOWED = {
    "mentoring_site/queries/home.py:registry_figures":
        "the registry's counts split the (counted) bank of mentees into pupils and adults; "
        "who is counted is rules.counted_in_bank_clause",
    "mentoring_site/lifecycle.py:<all>":
        "lifecycle transitions: only a planned programme starts, a finished one does not "
        "end again",
    "mentoring_site/admin/kinds.py:status_filter":
        "admin list filter «Состояние»: the status the curator picked",
    "mentoring_site/admin/programs.py:<module>":
        "admin list filter «Статус»: the programme status the curator picked",
    "mentoring_site/admin/people.py:<module>":
        "admin list filter «Кто»: the kind of person the curator picked",
    "mentoring_site/queries/programs.py:_public_program_ids":
        "order of the programme list (running first, then planned, then finished: "
        "PROGRAM_LIST_GROUPS, one index read per state) and the public list filter "
        "«Реализуются / Планируются / Завершены» the visitor picked",
    "mentoring_site/queries/programs.py:_public_program_count":
        "the public list filter «Реализуются / Планируются / Завершены» the visitor picked",
    "mentoring_site/queries/admin.py:dashboard":
        "the curator's start page: running programmes near their end (lifecycle, not "
        "visibility; what is public comes from rules there)",
    "mentoring_site/municipal/aggregate.py:<all>":
        "the fetch state of a school's feed (ok / unreachable / invalid), not a "
        "publication status",
    "mentoring_site/monitoring/people.py:<all>":
        "the curator's figures: who is a young specialist (a teacher of up to 3 years) and "
        "who has a mentor in a planned or running programme; nothing public",
    "mentoring_site/monitoring/plan.py:_open":
        "lifecycle: a finished programme's plan no longer changes",
    "mentoring_site/reports/figures.py:<all>":
        "the curator's yearly report: programmes counted by status and early-end reason, "
        "people split into teachers and students, the «Отчёты» list completed first; an "
        "internal document (the counts the site shows come from queries.figures)",
    "mentoring_site/demo/seed.py:<all>":
        "builds the demo school: sets statuses, then completes programmes and adds their cases",
    "mentoring_site/questionnaires/protect.py:take_place":
        "an answer's processing status (new / processed): the cap on unprocessed answers "
        "that bounds a flood, not visibility (no answer is ever public)",
    "mentoring_site/questionnaires/pairs.py:open_requests":
        "«Подбор пар» lists the mentee answers not yet processed: the curator's work list, "
        "not visibility (no answer is ever public)",
    "mentoring_site/admin/questionnaires.py:<all>":
        "admin list filter «Состояние» of answers (new / processed) the curator picked; "
        "answers are never public",
    "mentoring_site/templates/mentoring/admin/answer.html":
        "which button the curator gets (mark processed / back to new): not visibility",
    "mentoring_site/events/letters.py:<all>":
        "a registration's state (reserve / accepted) picks the letter's words and who gets "
        "the «сегодня» letter; registrations are never public",
    "mentoring_site/events/moderation.py:<all>":
        "the curator's decisions on registrations: places held against the limit, the "
        "reserve taken in order; not visibility",
    "mentoring_site/events/store.py:_take_place":
        "the cap on undecided registrations that bounds a flood, not visibility",
    "mentoring_site/queries/events.py:_taken":
        "places held (submitted + accepted) against an event's limit: a count naming nobody",
    "mentoring_site/admin/registrations.py:_actions":
        "which decision buttons the curator gets (every state but the current one)",
    "mentoring_site/templates/mentoring/admin/program.html":
        "which lifecycle buttons the curator gets (start, extend, complete): not visibility",
    "mentoring_site/municipal/admin_league.py:_save":
        "the office's own choice «Публиковать контакты» read from its form and stored; what "
        "is shown is municipal.rules.league_contacts_public",
    "mentoring_site/municipal/demo_office.py:<all>":
        "builds the office's demo: walks management programmes through their states",
    "mentoring_site/municipal/league.py:reject":
        "a transition: an included member is not rejected",
    "mentoring_site/municipal/league.py:apply_from_school":
        "a school's new application replaces its open one (the office's work list)",
    "mentoring_site/municipal/management.py:<all>":
        "management programmes' lifecycle: what may be edited, planned, marked in each "
        "state, and when a report is overdue; what is public is municipal.rules'",
    "mentoring_site/templates/mentoring/municipal/admin/_league_state.html":
        "the words the office's admin shows for a member's state: not visibility",
    "mentoring_site/templates/mentoring/municipal/admin/league_member.html":
        "which decision the office gets (reject only what no order included)",
    "mentoring_site/reports/consents.py:is_pupil":
        "who signs a printed consent: a pupil's parent or legal representative (152-ФЗ "
        "ст. 9 ч. 6); what is published is still rules.public_person's",
}


# -- Python ------------------------------------------------------------------------------


def _is_status_operand(node: ast.AST) -> bool:
    """``x.status``, ``x.status.value``, ``x.is_public``, ``Status.DRAFT``,
    ``m.ProgramStatus.COMPLETED``, ``ProgramStatus(v)`` or a stored status value."""
    if isinstance(node, ast.Attribute):
        if node.attr in STATUS_ATTRS:
            return True
        if node.attr == "value" and _is_status_operand(node.value):
            return True
        base = node.value
        base_name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
        return base_name in STATUS_ENUMS
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return name in STATUS_ENUMS
    if isinstance(node, ast.Constant):
        return node.value in STATUS_VALUES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_status_operand(e) for e in node.elts)
    return False


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.scope: list[str] = []
        self.found: list[tuple[str, int, str]] = []
        self.called: set[int] = set()  # ``queries.is_public(...)`` is a call, not a flag

    def _def(self, node) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _def

    def _hit(self, node: ast.AST) -> None:
        where = self.scope[0] if self.scope else "<module>"
        self.found.append((where, node.lineno, ast.unparse(node)))

    def visit_Compare(self, node: ast.Compare) -> None:
        if any(_is_status_operand(x) for x in (node.left, *node.comparators)):
            self._hit(node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        self.called.add(id(func))
        if (isinstance(func, ast.Attribute) and func.attr in SQL_COMPARATORS
                and _is_status_operand(func.value)):
            self._hit(node)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # ``if program.is_public:`` decides without comparing
        if (node.attr in FLAG_ATTRS and isinstance(node.ctx, ast.Load)
                and id(node) not in self.called):
            self._hit(node)
        self.generic_visit(node)


def python_findings() -> list[tuple[str, str]]:
    """(allow-list key, where and what) for every status comparison in the package."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(SKIPPED):
            continue
        finder = _Finder()
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), rel))
        seen = set()
        for scope, line, text in finder.found:
            if (line, text) in seen:
                continue
            seen.add((line, text))
            key = f"{rel}:{scope}"
            if f"{rel}:<all>" in ALLOWED:
                key = f"{rel}:<all>"
            out.append((key, f"{rel}:{line}: {text}"))
    return out


# -- templates ---------------------------------------------------------------------------


def _is_status_expr(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Getattr):
        if node.attr in STATUS_ATTRS:
            return True
        return node.attr == "value" and _is_status_expr(node.node)
    if isinstance(node, nodes.Const):
        return node.value in STATUS_VALUES
    if isinstance(node, (nodes.Tuple, nodes.List)):
        return any(_is_status_expr(x) for x in node.items)
    return False


def _template_hits(tree: nodes.Template) -> list[tuple[int, str]]:
    hits = []
    for cmp in tree.find_all(nodes.Compare):
        operands = [cmp.expr, *(op.expr for op in cmp.ops)]
        status_like = [x for x in operands if _is_status_expr(x)]
        if not status_like:
            continue
        # ``r.status in ('unreachable', 'invalid')``: a status attribute compared only with
        # literals that are no publication status is some other status (a feed's fetch).
        others = [x for x in operands if not _is_status_expr(x)]
        if all(isinstance(x, nodes.Getattr) and x.attr == "status" for x in status_like) and (
            others and all(isinstance(x, (nodes.Const, nodes.Tuple, nodes.List)) for x in others)
        ):
            continue
        hits.append((cmp.lineno, type(cmp.ops[0]).__name__ + " " + cmp.ops[0].op))
    for node in tree.find_all((nodes.If, nodes.CondExpr)):
        test = node.test
        for flag in (test, *(test.find_all(nodes.Getattr))):
            if isinstance(flag, nodes.Getattr) and flag.attr in FLAG_ATTRS:
                hits.append((node.lineno, flag.attr))
    return hits


def template_findings() -> list[tuple[str, str]]:
    env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    out = []
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.xml")):
            rel = path.relative_to(ROOT).as_posix()
            tree = env.parse(path.read_text(encoding="utf-8"))
            for line, what in _template_hits(tree):
                out.append((rel, f"{rel}:{line}: {what}"))
    return out


# -- the tests ---------------------------------------------------------------------------


def _report(findings: list[tuple[str, str]]) -> list[str]:
    return [where for key, where in findings if key not in ALLOWED]


def test_no_module_outside_rules_compares_statuses():
    bad = _report(python_findings())
    assert not bad, (
        "A status is compared outside rules.py. If it decides what the public sees, add or "
        "use a rule in rules.py; if it does not, add it to ALLOWED with the reason:\n"
        + "\n".join(bad)
    )


def test_no_template_compares_statuses():
    bad = _report(template_findings())
    assert not bad, (
        "A template compares a status or reads is_public: give it a flag computed by "
        "rules.py (see ProgramCard.results_public) instead:\n" + "\n".join(bad)
    )


def test_every_allowance_is_still_needed():
    used = {key for key, _ in python_findings() + template_findings()}
    assert set(ALLOWED) <= used, f"stale ALLOWED entries: {sorted(set(ALLOWED) - used)}"


# -- the guard itself catches what it should ----------------------------------------------


def _python_hits(source: str) -> list[str]:
    finder = _Finder()
    finder.visit(ast.parse(source))
    return [text for _, _, text in finder.found]


def test_guard_catches_the_old_copies():
    assert _python_hits('ended_early = p.status.value == "ended_early"')
    assert _python_hits("x = p.status is ProgramStatus.COMPLETED")
    assert _python_hits("q = sa.select(Program).where(Program.is_public.is_(True))")
    assert _python_hits("q = Program.status.in_(RUNNING)")
    assert _python_hits("if program.is_public:\n    pass")
    assert _python_hits('ok = kind == "completed"')
    assert _python_hits("pupil = person.kind is PersonKind.STUDENT")
    assert _python_hits("q = sa.select(LeagueMember).where(LeagueMember.state == "
                        "LeagueState.INCLUDED)")
    assert _python_hits("shown = program.state in (MgmtState.APPROVED, MgmtState.RUNNING)")
    assert _python_hits("row = [m.contact_name] if m.contacts_public else []")
    assert not _python_hits("label = program.status.label")
    assert not _python_hits("shared = queries.is_public(sess, clock, kind, obj_id)")
    assert not _python_hits('ok = report.state == OK and kind == "news"')


def test_guard_catches_a_template_comparison():
    env = jinja2.Environment()

    def hits(src):
        return _template_hits(env.parse(src))

    assert hits("{% if program.status == 'completed' and program.results %}x{% endif %}")
    assert hits("{% if p.status.value in ('planned', 'active') %}x{% endif %}")
    assert hits("{% if program.is_public %}x{% endif %}")
    assert hits("{% if row.contacts_public and row.contact_name %}x{% endif %}")
    assert hits("{% if row.state.value == 'included' %}x{% endif %}")
    assert not hits("{% if card.results_public and program.results %}x{% endif %}")
    assert not hits("{% if contacts_public(row) and row.contact_name %}x{% endif %}")
    assert not hits("{% if r.status in ('unreachable', 'invalid') %}x{% endif %}")
    assert not hits("{{ program.status.label }}")
