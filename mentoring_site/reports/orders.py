"""The orders a school signs and the protocols of its pedagogical council, made from the
section's data: the district roadmap's set (3.1.1: six orders, two protocols) and the order
completing a programme.

Why a context of plain values, the same as the reports: the built-in document
(``orders_build``) and a school's own docxtpl template receive one dictionary, so README
documents one set of names. The text of the points is in the context too: a school's
template may print the standard points (``{% for p in points %}``) or write its own.

Nothing is invented: what the section does not know (the director, the order's number and
date, a written consent to take part not recorded on the programme's page) is a blank line or
a line «проверить».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Participation, Person, Program, Role, SectionInfo
from ..monitoring import plan
from . import ReportError
from .figures import SchoolYear
from .program import find_program, program_context, ru_date

BLANK = "____________________"
DATE_BLANK = "«____» ______________ 20____ г."

#: The federal bases every document cites (public acts; wording as in the district order).
LEGAL_BASES = [
    {"nominative": "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской "
                   "Федерации»",
     "instrumental": "Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской "
                     "Федерации»"},
    {"nominative": "распоряжение Минпросвещения России от 25.12.2019 № Р-145 «Об утверждении "
                   "методологии (целевой модели) наставничества обучающихся для организаций, "
                   "осуществляющих образовательную деятельность по общеобразовательным, "
                   "дополнительным общеобразовательным и программам среднего профессионального "
                   "образования, в том числе с применением лучших практик обмена опытом между "
                   "обучающимися»",
     "instrumental": "распоряжением Минпросвещения России от 25.12.2019 № Р-145 «Об утверждении "
                     "методологии (целевой модели) наставничества обучающихся для организаций, "
                     "осуществляющих образовательную деятельность по общеобразовательным, "
                     "дополнительным общеобразовательным и программам среднего "
                     "профессионального образования, в том числе с применением лучших практик "
                     "обмена опытом между обучающимися»"},
    {"nominative": "письмо Минпросвещения России от 23.01.2020 № МР-42/02 «О направлении "
                   "целевой модели наставничества и методических рекомендаций»",
     "instrumental": "письмом Минпросвещения России от 23.01.2020 № МР-42/02 «О направлении "
                     "целевой модели наставничества и методических рекомендаций»"},
    {"nominative": "письмо Минпросвещения России от 21.12.2021 № АЗ-1128/08 «О направлении "
                   "методических рекомендаций» (система (целевая модель) наставничества "
                   "педагогических работников)",
     "instrumental": "письмом Минпросвещения России от 21.12.2021 № АЗ-1128/08 «О направлении "
                     "методических рекомендаций» (система (целевая модель) наставничества "
                     "педагогических работников)"},
]

CONTROL = "Контроль за исполнением настоящего приказа оставляю за собой."


@dataclass(frozen=True)
class OrderKind:
    key: str  # the CLI's word and the URL's
    document: str  # «ПРИКАЗ» or «ПРОТОКОЛ»
    title: str  # «О …» under the heading, or the protocol's agenda item
    template: str  # the school's own template: its file name in MENTORING_REPORT_TEMPLATES
    programs: str = ""  # "" none, "any" one or more, "finished" one or more finished ones

    @property
    def label(self) -> str:
        word = "Приказ" if self.document == "ПРИКАЗ" else "Протокол педсовета"
        return f"{word} «{self.title}»"


KINDS: dict[str, OrderKind] = {k.key: k for k in (
    OrderKind("vnedrenie", "ПРИКАЗ", "О внедрении целевой модели наставничества",
              "prikaz-o-vnedrenii.docx"),
    OrderKind("plan", "ПРИКАЗ", "Об утверждении плана реализации целевой модели "
              "наставничества и начале реализации проекта", "prikaz-ob-utverzhdenii-plana.docx"),
    OrderKind("polozhenie", "ПРИКАЗ", "Об утверждении Положения о наставничестве",
              "prikaz-ob-utverzhdenii-polozheniya.docx"),
    OrderKind("kurator", "ПРИКАЗ", "О назначении куратора и наставников внедрения модели "
              "наставничества", "prikaz-o-naznachenii-kuratora.docx"),
    OrderKind("pary", "ПРИКАЗ", "О закреплении наставнических пар (групп)",
              "prikaz-o-zakreplenii-par.docx", "any"),
    OrderKind("zavershenie", "ПРИКАЗ", "О завершении программы наставничества",
              "prikaz-o-zavershenii.docx", "finished"),
    OrderKind("itog", "ПРИКАЗ", "О проведении итогового мероприятия в рамках реализации "
              "целевой модели наставничества", "prikaz-ob-itogovom-meropriyatii.docx"),
    OrderKind("protokol-plan", "ПРОТОКОЛ", "Рассмотрение плана реализации целевой модели "
              "наставничества", "protokol-plan.docx"),
    OrderKind("protokol-polozhenie", "ПРОТОКОЛ", "Рассмотрение Положения о наставничестве",
              "protokol-polozhenie.docx"),
)}


def kind_of(key: str) -> OrderKind:
    if key not in KINDS:
        raise ReportError(f"Нет документа «{key}»: выберите один из: " + ", ".join(KINDS) + ".")
    return KINDS[key]


def find_programs(sess: Session, slugs: Sequence[str]) -> list[Program]:
    return [find_program(sess, s) for s in dict.fromkeys(slugs)]


def check_programs(kind: OrderKind, programs: Sequence[Program]) -> None:
    """Refuse what the document cannot say: no programme, or one not finished yet."""
    if not kind.programs:
        if programs:
            raise ReportError(f"{kind.label} составляется без выбора программ.")
        return
    if not programs:
        raise ReportError(f"{kind.label}: выберите хотя бы одну программу.")
    if kind.programs == "finished":
        for p in programs:
            if p.ended_on is None:  # set by lifecycle.complete and lifecycle.end_early only
                raise ReportError(
                    f"Программа «{p.title}» ещё не завершена: приказ о завершении "
                    "составляется после того, как программа завершена (или завершена "
                    "досрочно) на её странице.")


# -- the pieces -------------------------------------------------------------------------------


def _curator(sess: Session | None) -> dict[str, str]:
    info = None if sess is None else \
        sess.scalars(sa.select(SectionInfo).order_by(SectionInfo.id)).first()
    name = info.curator_name.strip() if info else ""
    position = info.curator_position.strip() if info else ""
    who = ", ".join(x for x in (name, position) if x)
    return {"name": name, "position": position, "text": who or f"{BLANK} (ФИО, должность)"}


NOT_RECORDED = "не зарегистрировано — проверить"


def _consent(signed_on: date | None) -> dict[str, Any]:
    """The written consent to take part (Положение 3.2–3.3) the section recorded: the date
    on the participant's row of the programme (the consent to publish on the site is
    another document and says nothing here)."""
    if signed_on is None:
        return {"consent": "", "consent_recorded": False, "consent_text": NOT_RECORDED}
    text = f"от {ru_date(signed_on)}"
    return {"consent": text, "consent_recorded": True, "consent_text": text}


def _person(person: Person, signed_on: date | None, role: str = "") -> dict[str, Any]:
    return {"name": person.full_name, "position": person.position, "kind": person.kind.label,
            "role": role, **_consent(signed_on)}


def _participants(program: Program, role: Role) -> list[dict[str, Any]]:
    label = "Наставник" if role is Role.MENTOR else "Наставляемый"
    return [_person(p.person, p.written_consent_on, label) for p in program.participations
            if p.role is role]


def _check_line(p: dict[str, Any]) -> str:
    return (f"Проверить: письменное согласие участника {p['name']} в разделе не "
            "зарегистрировано; приложите его к приказу или исключите участника.")


def _mentor_bank(sess: Session | None, today: date) -> list[dict[str, Any]]:
    """The bank of mentors; a mentor's written consent is the newest one recorded for a
    programme he mentors (Положение 3.2: a teacher becomes a mentor with it)."""
    if sess is None:  # a blank template
        return []
    people = sess.scalars(sa.select(Person).where(Person.in_mentor_bank.is_(True))
                          .order_by(Person.last_name, Person.first_name, Person.id)).all()
    signed = dict(sess.execute(
        sa.select(Participation.person_id, sa.func.max(Participation.written_consent_on))
        .where(Participation.role == Role.MENTOR, Participation.written_consent_on <= today,
               Participation.person_id.in_([p.id for p in people]))
        .group_by(Participation.person_id)).all())
    return [_person(p, signed.get(p.id), "Наставник") for p in people]


def _work_forms(program: Program) -> list[str]:
    return list(dict.fromkeys(e.work_form.name for e in program.events if e.work_form))


def _pair_program(program: Program, today: date) -> dict[str, Any]:
    mentors, mentees = _participants(program, Role.MENTOR), _participants(program, Role.MENTEE)
    return {
        "title": program.title, "slug": program.slug, "form": program.form.name,
        "target_group": program.form.target_group.label, "type": program.type.label,
        "directions": [d.name for d in program.directions],
        "is_group": program.is_group,
        "unit": "наставническая группа" if program.is_group else "наставническая пара",
        "starts_on": ru_date(program.starts_on),
        "planned_end_on": ru_date(program.planned_end_on),
        "initial_end_on": ru_date(program.initial_end_on),
        "order_number": program.order_number, "order_date": ru_date(program.order_date),
        "mentors": mentors, "mentees": mentees, "work_forms": _work_forms(program),
    }


def _names(people: list[dict[str, Any]]) -> str:
    return ", ".join(f"{p['name']} ({p['position']})" if p["position"] else p["name"]
                     for p in people) or BLANK


def _preamble(purpose: str, extra: str = "") -> str:
    bases = ", ".join(b["instrumental"] for b in LEGAL_BASES)
    return f"В соответствии с {bases}{extra}, {purpose}"


def _acquainted(*groups: list[dict[str, Any]]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for group in groups:
        for p in group:
            if p["name"]:
                seen.setdefault(p["name"], {"name": p["name"], "position": p["position"]})
    return list(seen.values())


# -- the documents ------------------------------------------------------------------------------


def _vnedrenie(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
    c, school, year = ctx["curator"]["text"], ctx["school"], ctx["year"]
    ctx["preamble"] = _preamble("в целях создания условий для профессионального роста "
                                "педагогических работников и раскрытия потенциала обучающихся, "
                                "успешного закрепления молодых специалистов в профессии")
    ctx["points"] = [
        f"Внедрить в {school} целевую модель наставничества с {DATE_BLANK} "
        f"({year} учебный год).",
        f"Назначить куратором внедрения целевой модели наставничества: {c}.",
        f"Куратору в срок до {DATE_BLANK} подготовить проекты Положения о наставничестве и "
        "плана (дорожной карты) реализации целевой модели наставничества, сформировать базы "
        "наставников и наставляемых.",
        "Обеспечить размещение информации о реализации целевой модели наставничества в "
        "разделе «Наставничество» официального сайта образовательной организации.",
        CONTROL,
    ]
    ctx["acquainted"] = _acquainted([ctx["curator"]])


def _plan(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
    c, school, year = ctx["curator"]["text"], ctx["school"], ctx["year"]
    ctx["preamble"] = _preamble(
        "в целях реализации целевой модели наставничества",
        f", на основании решения педагогического совета (протокол от {DATE_BLANK} № ______)")
    ctx["points"] = [
        f"Утвердить план (дорожную карту) реализации целевой модели наставничества в {school} "
        f"на {year} учебный год (приложение).",
        f"Начать реализацию целевой модели наставничества с {DATE_BLANK}.",
        f"Куратору ({c}) обеспечить выполнение плана, мониторинг эффективности программ "
        "наставничества и ведение баз наставников и наставляемых.",
        "Ответственным за мероприятия плана обеспечить их выполнение в установленные сроки.",
        CONTROL,
    ]
    ctx["acquainted"] = _acquainted([ctx["curator"]])


def _polozhenie(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
    c, school = ctx["curator"]["text"], ctx["school"]
    ctx["preamble"] = _preamble(
        "в целях организации наставничества педагогических работников и обучающихся",
        f", с учётом решения педагогического совета (протокол от {DATE_BLANK} № ______)")
    ctx["points"] = [
        f"Утвердить Положение о наставничестве в {school} (приложение).",
        f"Ввести Положение о наставничестве в действие с {DATE_BLANK}.",
        f"Куратору ({c}) ознакомить педагогических работников с Положением и разместить его "
        "в разделе «Наставничество» официального сайта образовательной организации.",
        CONTROL,
    ]
    ctx["acquainted"] = _acquainted([ctx["curator"]])


def _kurator(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
    c = ctx["curator"]["text"]
    mentors = _mentor_bank(sess, ctx["today"])
    ctx["mentors"] = mentors
    ctx["preamble"] = _preamble("Положением о наставничестве, в целях реализации целевой "
                                "модели наставничества")
    ctx["points"] = [
        f"Назначить куратором внедрения модели наставничества: {c}.",
        "Утвердить базу наставников (список ниже, всего: "
        f"{len(mentors)}). Педагогический работник назначается наставником с его "
        "письменного согласия.",
        "Куратору вести базы наставников и наставляемых, формировать наставнические пары "
        "(группы), проводить мониторинг эффективности программ наставничества и не реже "
        "одного раза в год актуализировать сведения о педагогах, которым нужен наставник.",
        "Наставникам руководствоваться Положением о наставничестве.",
        CONTROL,
    ]
    ctx["checks"] = [_check_line(m) for m in mentors if not m["consent_recorded"]]
    ctx["acquainted"] = _acquainted([ctx["curator"]], mentors)


def _pary(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
    rows = [_pair_program(p, ctx["today"]) for p in programs]
    ctx["programs"] = rows
    ctx["preamble"] = _preamble(
        "Положением о наставничестве, в целях реализации персонализированных программ "
        "наставничества, с письменного согласия участников на возложение на них "
        "дополнительных обязанностей, связанных с наставнической деятельностью")
    subs = []
    for r in rows:
        forms = "; ".join(r["work_forms"]) or "определяются планом программы"
        subs.append(
            f"{r['unit'].capitalize()} по программе «{r['title']}» (форма наставничества "
            f"«{r['form']}», вид — {r['type'].lower()}; срок с {r['starts_on']} по "
            f"{r['planned_end_on']}): наставник — {_names(r['mentors'])}; "
            f"{'наставляемые' if r['is_group'] else 'наставляемый'} — "
            f"{_names(r['mentees'])}. Формы работы: {forms}.")
    ctx["points"] = [
        "Закрепить наставнические пары (группы):",
        f"Назначить куратором реализации программ наставничества: {ctx['curator']['text']}.",
        "Наставникам разработать совместно с наставляемыми персонализированные программы "
        "наставничества и обеспечить их выполнение в установленные сроки.",
        "Куратору провести оценку эффективности («на входе» и «по итогам») и разместить "
        "информацию о программах в разделе «Наставничество» официального сайта.",
        CONTROL,
    ]
    ctx["sub"] = {1: subs}
    people = [x for r in rows for x in (*r["mentors"], *r["mentees"])]
    ctx["checks"] = list(dict.fromkeys(_check_line(x) for x in people
                                       if not x["consent_recorded"]))
    ctx["acquainted"] = _acquainted([ctx["curator"]], people)


def _zavershenie(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
    rows = []
    for p in programs:
        assert sess is not None  # programmes come only with a section's session
        full = program_context(sess, p, school=ctx["school"], today=ctx["today"])
        early = p.early_end_reason is not None
        full["early"] = early
        full["mentors"] = _participants(p, Role.MENTOR)
        full["mentees"] = _participants(p, Role.MENTEE)
        full.pop("stages")
        rows.append(full)
    ctx["programs"] = rows
    ctx["title"] = KINDS["zavershenie"].title if len(rows) == 1 else \
        "О завершении программ наставничества"
    ctx["preamble"] = _preamble("Положением о наставничестве (п. 7.1), на основании "
                                "справки-отчёта куратора о реализации программы наставничества")
    subs = []
    for r in rows:
        p, t = r["program"], r["tally"]
        how = "досрочно" if r["early"] else "по плану"
        line = (f"«{p['title']}» (форма «{p['form']}», вид — {p['type'].lower()}; срок с "
                f"{p['starts_on']} по {p['planned_end_on']}) — завершена {how} "
                f"{p['ended_on']}. Наставник — {_names(r['mentors'])}; "
                f"наставляем{'ые' if p['is_group'] else 'ый'} — {_names(r['mentees'])}.")
        if r["early"]:
            line += " Основание (п. 7.1 Положения): " + p["early_end_reason"] + \
                (f" ({p['early_end_note']})" if p["early_end_note"] else "") + "."
        if t["total"]:
            line += (f" План выполнен на {t['percent_done']} %: выполнено мероприятий — "
                     f"{t['done']} из {t['total']}")
            if t["not_done"]:
                reasons = "; ".join(f"«{e['title']}» — {e['reason']}" for e in r["not_done"])
                line += (f"; не выполнено — {t['not_done']} ({t['percent_not_done']} %), "
                         f"причины: {reasons}")
            line += "."
        else:
            line += " Мероприятия плана в разделе не отмечены."
        subs.append(line)
    thanks = [m for r in rows if not r["early"] for m in r["mentors"]]
    ctx["thanks"] = thanks
    points = ["Считать завершёнными программы наставничества:" if len(rows) > 1 else
              "Считать завершённой программу наставничества:",
              "Утвердить справку-отчёт о реализации программы наставничества."]
    if thanks:
        points.append("Объявить благодарность наставникам за добросовестную работу: "
                      + _names(thanks) + ".")
    points += [f"Куратору ({ctx['curator']['text']}) в течение 30 дней разместить результаты "
               "реализации программы в разделе «Наставничество» официального сайта.",
               CONTROL]
    ctx["points"] = points
    ctx["sub"] = {1: subs}
    people = [x for r in rows for x in (*r["mentors"], *r["mentees"])]
    ctx["acquainted"] = _acquainted([ctx["curator"]], people)


def _itog(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
    year = SchoolYear.parse(ctx["year"])
    finished = [] if sess is None else sess.scalars(sa.select(Program).where(
        Program.ended_on.is_not(None), Program.ended_on >= year.starts_on,
        Program.ended_on <= year.ends_on).order_by(Program.ended_on, Program.id)).all()
    rows = [_pair_program(p, ctx["today"]) for p in finished]
    for row, p in zip(rows, finished, strict=True):
        row["ended_on"] = ru_date(p.ended_on)
        row["percent_done"] = plan.tally(p).percent_done
    ctx["programs"] = rows
    ctx["preamble"] = _preamble("в целях подведения итогов реализации программ наставничества "
                                f"в {ctx['year']} учебном году, обобщения и распространения "
                                "лучших практик наставничества")
    c = ctx["curator"]["text"]
    ctx["points"] = [
        f"Провести итоговое мероприятие {BLANK} (конференция, круглый стол, семинар) "
        f"{DATE_BLANK} в ______ ч. (место проведения: {BLANK}).",
        f"Куратору ({c}) подготовить программу мероприятия и пригласить участников программ "
        f"наставничества {ctx['year']} учебного года"
        + (f" (завершено программ: {len(rows)}, список ниже)." if rows else "."),
        "Наставникам и наставляемым представить результаты совместной работы (кейсы, "
        "лучшие практики наставничества).",
        f"Подготовить в срок до {DATE_BLANK} предложения о поощрении лучших наставников.",
        "Разместить информацию о мероприятии и его итогах в разделе «Наставничество» "
        "официального сайта.",
        CONTROL,
    ]
    people = [x for r in rows for x in r["mentors"]]
    ctx["acquainted"] = _acquainted([ctx["curator"]], people)


def _protocol(agenda: str, heard: str, decision: str) -> Any:
    def fill(ctx: dict[str, Any], sess: Session | None, programs: list[Program]) -> None:
        c = ctx["curator"]
        speaker = c["text"] if c["name"] else f"{BLANK} (ФИО, должность докладчика)"
        ctx["agenda"] = [agenda.format(**ctx)]
        ctx["heard"] = [f"{speaker} — {heard.format(**ctx)}."]
        ctx["decision"] = [decision.format(**ctx)]
    return fill


_FILL = {
    "vnedrenie": _vnedrenie, "plan": _plan, "polozhenie": _polozhenie, "kurator": _kurator,
    "pary": _pary, "zavershenie": _zavershenie, "itog": _itog,
    "protokol-plan": _protocol(
        "Рассмотрение плана (дорожной карты) реализации целевой модели наставничества "
        "в {school} на {year} учебный год",
        "о проекте плана (дорожной карты) реализации целевой модели наставничества на "
        "{year} учебный год: этапы, сроки, ответственные, ожидаемые результаты",
        "Одобрить план (дорожную карту) реализации целевой модели наставничества на {year} "
        "учебный год и рекомендовать директору утвердить его приказом."),
    "protokol-polozhenie": _protocol(
        "Рассмотрение Положения о наставничестве в {school} в рамках целевой модели "
        "наставничества",
        "о проекте Положения о наставничестве: цели и задачи, права и обязанности "
        "куратора, наставников и наставляемых, порядок формирования пар (групп), "
        "мониторинг и оценка эффективности",
        "Одобрить Положение о наставничестве и рекомендовать директору утвердить его "
        "приказом."),
}


#: The district roadmap's set (3.1.1): six orders and two protocols, the base of templates
#: a municipal office hands to its schools (the completion order is made per programme).
ROADMAP = ("vnedrenie", "plan", "polozhenie", "kurator", "pary", "itog", "protokol-plan",
           "protokol-polozhenie")
BLANK_SCHOOL = f"{BLANK} (наименование образовательной организации)"


def blank_context(kind: OrderKind, today: date) -> dict[str, Any]:
    """The document with nothing of any section in it: blanks where a school's data goes
    (the base of templates an office publishes for its schools)."""
    return order_context(None, kind, [], school=BLANK_SCHOOL, today=today)


def order_context(sess: Session | None, kind: OrderKind, programs: Sequence[Program], *,
                  school: str, today: date) -> dict[str, Any]:
    """Everything the document says, as strings, numbers and lists (see README).

    ``sess`` None: a blank template (no curator, no bank, no programme, nothing checked).
    """
    if sess is not None:
        check_programs(kind, programs)
    ctx: dict[str, Any] = {
        "kind": kind.key, "document": kind.document, "title": kind.title,
        "school": school, "generated_on": ru_date(today), "today": today,
        "year": SchoolYear.of(today).label, "curator": _curator(sess),
        "legal_bases": [b["nominative"] for b in LEGAL_BASES],
        "blank": BLANK, "date_blank": DATE_BLANK,
        "preamble": "", "points": [], "programs": [], "mentors": [],
        "thanks": [], "checks": [], "acquainted": [], "agenda": [], "heard": [],
        "decision": [],
    }
    _FILL[kind.key](ctx, sess, list(programs))
    sub = ctx.pop("sub", {})
    ctx["points"] = [{"n": n, "text": text, "sub": sub.get(n, [])}
                     for n, text in enumerate(ctx["points"], 1)]
    del ctx["today"]
    return ctx
