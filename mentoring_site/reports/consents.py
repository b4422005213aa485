"""Consents a curator prints from a person's card and has signed: the consent to
dissemination (152-ФЗ ст. 10.1, with the items Приказ Роскомнадзора от 24.02.2021 № 18
requires) and the separate consent to processing for the banks of mentors and mentees
(ст. 9 ч. 4). A pupil's consent is given by a parent or legal representative (ст. 9 ч. 6).

Why a context of plain values, as the reports and orders: the built-in document
(``consents_build``), a school's own docxtpl template and the admin's print page receive one
dictionary, so README documents one set of names and the three say the same thing.

Nothing is invented: what the section does not know (the operator's ИНН, ОГРН and address,
the subject's passport and contacts, a representative not typed in) is a blank line to fill
by hand. The data listed are exactly those the section would publish for this person
(``rules.public_person``: a pupil only as «Имя Ф.» and the class); the choices («да» /
«нет») come from the newest consent recorded for the person, else both are printed for the
person to underline: a consent is the subject's own choice, never pre-ticked by us.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..models import Consent, Participation, Person, PersonKind
from ..rules import display_name
from . import ReportError
from .files import ReportFile
from .files import _safe as safe_name
from .program import ru_date
from .render import DOCX, render_docx

BLANK = "____________________"
LONG_BLANK = "__________________________________________________"
DATE_BLANK = "«____» ______________ 20____ г."
SIGN = "____________________ / ____________________ /"
CHOICE = "да / нет"


@dataclass(frozen=True)
class ConsentKind:
    key: str  # the URL's word
    title: str
    label: str  # as a curator reads it in a button and a file name
    template: str  # the school's own template: its file name in MENTORING_REPORT_TEMPLATES


KINDS: dict[str, ConsentKind] = {k.key: k for k in (
    ConsentKind("rasprostranenie",
                "Согласие на обработку персональных данных, разрешённых субъектом "
                "персональных данных для распространения",
                "Согласие на распространение персональных данных",
                "soglasie-na-rasprostranenie.docx"),
    ConsentKind("obrabotka",
                "Согласие на обработку персональных данных",
                "Согласие на обработку персональных данных (базы наставников и наставляемых)",
                "soglasie-na-obrabotku.docx"),
    ConsentKind("uchastie",
                "Согласие на участие в программе наставничества",
                "Письменное согласие на участие в программе наставничества",
                "soglasie-na-uchastie.docx"),
)}


def kind_of(key: str) -> ConsentKind:
    if key not in KINDS:
        raise ReportError(f"Нет согласия «{key}»: выберите одно из: " + ", ".join(KINDS) + ".")
    return KINDS[key]


def newest_consent(person: Person) -> Consent | None:
    """The consent recorded last (in force or not): its choices are printed again."""
    return max(person.consents, key=lambda c: (c.signed_on, c.id)) if person.consents else None


def is_pupil(person: Person) -> bool:
    return person.kind is PersonKind.STUDENT


def _excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- what the section publishes (rules.public_person, field by field) ----------------------


def _published_items(person: Person) -> list[dict[str, Any]]:
    """Each item the section's pages and open data would show, with the consent's flag that
    lets it out and the value on the card today."""
    if is_pupil(person):
        return [
            {"category": "персональные данные", "item": "имя и первая буква фамилии",
             "flag": "allow_name", "value": display_name(person)},
            {"category": "персональные данные", "item": "сведения об обучении (класс, "
             "объединение)", "flag": "allow_position", "value": person.position},
        ]
    exp = f"{person.experience_years} лет" if person.experience_years is not None else ""
    position = "; ".join(x for x in (person.position, person.subjects,
                                     person.qualification and
                                     f"квалификационная категория: {person.qualification}")
                         if x)
    return [
        {"category": "персональные данные", "item": "фамилия, имя, отчество",
         "flag": "allow_name", "value": person.full_name},
        {"category": "персональные данные", "item": "должность, преподаваемые предметы, "
         "квалификационная категория", "flag": "allow_position", "value": position},
        {"category": "персональные данные", "item": "стаж работы", "flag": "allow_experience",
         "value": exp},
        {"category": "персональные данные", "item": "сведения о себе (профессиональный путь, "
         "интересы)", "flag": "allow_bio", "value": _excerpt(person.bio)},
        {"category": "персональные данные", "item": "награды и достижения",
         "flag": "allow_awards", "value": _excerpt(person.awards)},
        {"category": "биометрические персональные данные", "item": "фотографическое "
         "изображение лица", "flag": "allow_photo",
         "value": "фотография из карточки раздела" if person.photo_id else ""},
    ]


def _categories(person: Person, source: Consent | None) -> list[dict[str, Any]]:
    rows = []
    for item in _published_items(person):
        allowed = getattr(source, item["flag"]) if source is not None else None
        if item["flag"] != "allow_name" and not item["value"] and not allowed:
            continue  # nothing on the card, nothing consented: the section shows nothing
        rows.append({"category": item["category"], "item": item["item"],
                     "value": item["value"] or BLANK,
                     "allowed": CHOICE if allowed is None else ("да" if allowed else "нет"),
                     "conditions": ""})
    return rows


# -- the pieces both consents share -------------------------------------------------------


def _operator(school: str) -> dict[str, str]:
    return {"name": school, "inn": BLANK, "ogrn": BLANK, "address": LONG_BLANK,
            "text": f"{school} (ИНН {BLANK}, ОГРН {BLANK}; адрес: {LONG_BLANK})"}


def _representative(person: Person, source: Consent | None,
                    typed: dict[str, str] | None) -> dict[str, Any]:
    """Typed on the print form wins; else the one recorded with the newest consent."""
    typed = typed or {}
    name = (typed.get("name") or "").strip() or (source.representative_name if source else "")
    doc = (typed.get("document") or "").strip() or (
        source.representative_document if source else "")
    return {"name": name, "document": doc, "named": bool(name),
            "name_text": name or f"{LONG_BLANK} (ФИО родителя (законного представителя))",
            "document_text": doc or LONG_BLANK}


def _declarant(person: Person, rep: dict[str, Any]) -> str:
    if is_pupil(person):
        return (f"Я, {rep['name_text']}, являясь законным представителем обучающегося "
                f"{person.full_name} (документ, подтверждающий полномочия законного "
                f"представителя: {rep['document_text']}),")
    return f"Я, {person.full_name},"


def _subject_lines(person: Person) -> list[str]:
    """The signer's identity document, address and contacts: never kept by the section."""
    who = "законного представителя" if is_pupil(person) else "субъекта персональных данных"
    return [f"Документ, удостоверяющий личность {who}: серия ______ № __________, выдан "
            f"{LONG_BLANK}, дата выдачи {DATE_BLANK}",
            f"Адрес регистрации: {LONG_BLANK}",
            f"Контактная информация (телефон, адрес электронной почты или почтовый адрес): "
            f"{LONG_BLANK}"]


def _base(kind: ConsentKind, person: Person, *, school: str, today: date,
          representative: dict[str, str] | None) -> dict[str, Any]:
    source = newest_consent(person)
    rep = _representative(person, source, representative)
    return {
        "kind": kind.key, "title": kind.title, "school": school,
        "generated_on": ru_date(today), "operator": _operator(school),
        "person": {"name": person.full_name, "last_name": person.last_name,
                   "first_name": person.first_name, "middle_name": person.middle_name,
                   "kind": person.kind.label, "position": person.position,
                   "display_name": display_name(person)},
        "is_pupil": is_pupil(person), "representative": rep,
        "declarant": _declarant(person, rep), "subject_lines": _subject_lines(person),
        "blank": BLANK, "date_blank": DATE_BLANK, "sign": SIGN,
        "signer": "законный представитель" if is_pupil(person) else "субъект персональных "
                  "данных",
    }


# -- the two consents ---------------------------------------------------------------------


def _dissemination(ctx: dict[str, Any], person: Person, sites: list[str]) -> None:
    source = newest_consent(person)
    recorded = source.site_url.strip() if source else ""
    ctx["sites"] = list(dict.fromkeys([*sites, *([recorded] if recorded else [])]))
    ctx["categories"] = _categories(person, source)
    ctx["purpose"] = ("информирование о реализации целевой модели наставничества: размещение "
                      "сведений о наставниках и наставляемых в разделе «Наставничество» "
                      "официального сайта оператора и в открытых данных этого раздела")
    ctx["conditions"] = (source.conditions.strip() if source and source.conditions.strip()
                         else LONG_BLANK)
    ctx["transfer"] = ("Условия, при которых полученные персональные данные могут "
                       "передаваться оператором: только по его внутренней сети, "
                       "обеспечивающей доступ к информации лишь для строго определённых "
                       "сотрудников / с использованием информационно-телекоммуникационных "
                       "сетей / без передачи полученных персональных данных (нужное "
                       "подчеркнуть).")
    until = ru_date(source.valid_until) if source and source.valid_until else DATE_BLANK
    ctx["term"] = (f"Согласие действует со дня его подписания до {until} или до дня его "
                   "отзыва.")
    ctx["withdrawal"] = (
        "Согласие может быть отозвано в любой момент требованием в письменной форме, "
        "направленным оператору; действие согласия прекращается с момента поступления "
        "оператору такого требования (ст. 10.1 ч. 12–14 Федерального закона от 27.07.2006 "
        "№ 152-ФЗ «О персональных данных»). Отзыв согласия сразу убирает сведения из "
        "раздела «Наставничество» сайта.")
    ctx["paragraphs"] = [
        f"{ctx['declarant']} в соответствии со статьёй 10.1 Федерального закона от "
        "27.07.2006 № 152-ФЗ «О персональных данных» даю согласие оператору — "
        f"{ctx['operator']['text']} — на распространение (предоставление неограниченному "
        "кругу лиц) персональных данных "
        + ("моего ребёнка (подопечного)" if ctx["is_pupil"] else "обо мне")
        + f" с целью: {ctx['purpose']}.",
        "Сведения об информационных ресурсах оператора, посредством которых будут "
        "осуществляться предоставление доступа неограниченному кругу лиц и иные действия с "
        "персональными данными: " + "; ".join(ctx["sites"]) + ".",
        "Категории и перечень персональных данных, на распространение которых даётся "
        "согласие, — в таблице ниже (в графе «Согласие» подчеркнуть «да» или «нет» для каждой "
        "строки). Специальные категории персональных данных не распространяются.",
    ]


def _processing(ctx: dict[str, Any], person: Person) -> None:
    banks = [b for b, on in (("базу наставников", person.in_mentor_bank),
                             ("базу наставляемых", person.in_mentee_bank)) if on]
    bank_text = " и ".join(banks) or "базу наставников и (или) базу наставляемых"
    ctx["banks"] = banks
    ctx["purpose"] = (f"включение в {bank_text} образовательной организации, подбор "
                      "наставнических пар и групп, организация и реализация персонализированных "
                      "программ наставничества, мониторинг и оценка их эффективности, "
                      "подготовка приказов и отчётов о наставничестве")
    if ctx["is_pupil"]:
        data = ["фамилия, имя, отчество", "класс (объединение)",
                "сведения об участии в программах наставничества (роль, сроки, мероприятия)",
                "результаты оценки эффективности программ наставничества",
                "контактные данные законного представителя"]
    else:
        data = ["фамилия, имя, отчество", "должность, преподаваемые предметы",
                "квалификационная категория, стаж работы",
                "категория участника (например, молодой специалист)",
                "профессиональные затруднения и запросы, сильные стороны (из анкеты)",
                "сведения об участии в программах наставничества (роль, сроки, мероприятия)",
                "результаты оценки эффективности программ наставничества",
                "контактные данные (телефон, адрес электронной почты)"]
    ctx["data"] = data
    ctx["actions"] = ("сбор, запись, систематизация, накопление, хранение, уточнение "
                      "(обновление, изменение), извлечение, использование, обезличивание, "
                      "блокирование, удаление, уничтожение; с использованием средств "
                      "автоматизации и без них; без распространения и без передачи третьим "
                      "лицам, кроме случаев, предусмотренных законом")
    ctx["term"] = ("Согласие действует со дня его подписания до достижения целей обработки "
                   "(исключения из базы наставников или наставляемых и завершения программ "
                   "наставничества, в которых участвую"
                   + (" я или мой ребёнок (подопечный)" if ctx["is_pupil"] else "")
                   + ") или до дня его отзыва.")
    ctx["withdrawal"] = ("Согласие может быть отозвано письменным заявлением, поданным "
                         "оператору (куратору наставничества или руководителю образовательной "
                         "организации) (ст. 9 ч. 2 Федерального закона от 27.07.2006 № 152-ФЗ "
                         "«О персональных данных»). Согласие на распространение (публикацию) "
                         "персональных данных на сайте этим согласием не даётся: оно "
                         "оформляется отдельно.")
    ctx["paragraphs"] = [
        f"{ctx['declarant']} в соответствии со статьёй 9 Федерального закона от 27.07.2006 "
        "№ 152-ФЗ «О персональных данных» свободно, своей волей и в своём интересе даю "
        f"согласие оператору — {ctx['operator']['text']} — на обработку персональных "
        + ("данных моего ребёнка (подопечного)" if ctx["is_pupil"] else "данных")
        + f" с целью: {ctx['purpose']}.",
        "Перечень персональных данных, на обработку которых даётся согласие: "
        + "; ".join(data) + ".",
        f"Перечень действий с персональными данными и способы обработки: {ctx['actions']}.",
    ]


def _taking_part(ctx: dict[str, Any], person: Person,
                 participations: Sequence[Participation]) -> None:
    """Положение 3.2–3.3: a mentor is appointed, and a mentee joins, with their written
    consent — one signed sheet per person naming the programmes (blank lines if none yet)."""
    rows = [{"program": p.program.title, "role": p.role.label.lower(),
             "starts_on": ru_date(p.program.starts_on),
             "ends_on": ru_date(p.program.planned_end_on)} for p in participations]
    ctx["programs"] = rows
    named = "; ".join(f"«{r['program']}» ({r['role']}, с {r['starts_on']} по {r['ends_on']})"
                      for r in rows) or f"«{LONG_BLANK}» (роль: {BLANK}, сроки: {BLANK})"
    who = "моего ребёнка (подопечного)" if ctx["is_pupil"] else "моё"
    ctx["purpose"] = "участие в персонализированной программе наставничества"
    ctx["paragraphs"] = [
        f"{ctx['declarant']} даю согласие на {who} участие в программе (программах) "
        f"наставничества {ctx['school']}: {named}.",
        "Мне известны цели программы, права и обязанности её участников, формы работы и "
        "порядок оценки результатов, установленные Положением о наставничестве "
        "образовательной организации.",
        "Согласие на обработку и на распространение персональных данных этим согласием не "
        "даётся: они оформляются отдельно.",
    ]
    ctx["term"] = ("Согласие действует со дня подписания до завершения названной программы "
                   "(программ) наставничества.")
    ctx["withdrawal"] = ("Участие может быть прекращено досрочно по письменному заявлению "
                         "участника (Положение о наставничестве, раздел о досрочном "
                         "завершении программы).")


def consent_context(kind: ConsentKind, person: Person, *, school: str, sites: list[str],
                    today: date, representative: dict[str, str] | None = None,
                    participations: Sequence[Participation] = ()) -> dict[str, Any]:
    """Everything the consent says, as strings and lists (see README «Согласия»).
    ``sites``: the absolute addresses where the section publishes (the caller knows them);
    ``representative``: a pupil's parent typed on the print form (``name``, ``document``);
    ``participations``: the programmes the consent to take part names."""
    ctx = _base(kind, person, school=school, today=today, representative=representative)
    ctx.update({"sites": [], "categories": [], "conditions": "", "transfer": "", "banks": [],
                "data": [], "actions": "", "programs": []})
    if kind.key == "rasprostranenie":
        _dissemination(ctx, person, sites)
    elif kind.key == "uchastie":
        _taking_part(ctx, person, participations)
    else:
        _processing(ctx, person)
    return ctx


def consent_report(key: str, person: Person, *, school: str, sites: list[str],
                   folder: str | None, today: date,
                   representative: dict[str, str] | None = None,
                   participations: Sequence[Participation] = ()) -> ReportFile:
    """The consent as a DOCX: the school's template ``kind.template`` if it has one."""
    kind = kind_of(key)
    ctx = consent_context(kind, person, school=school, sites=sites, today=today,
                          representative=representative, participations=participations)
    from .consents_build import build_consent_docx  # python-docx only when one is made

    data = render_docx(folder, kind.template, ctx, build_consent_docx)
    return ReportFile(f"{safe_name(kind.label + ' — ' + person.full_name)}.docx",
                      f"{kind.template.removesuffix('.docx')}-{person.slug}.docx", DOCX, data)
