"""An answer turned into a card of the bank of mentors or of mentees.

How questions map to a person's fields: by the words of the question **as the person saw
it** (the text stored with the answer), not by a stored key. A key would need a column
(``Question.options`` holds only the choices of the two choice kinds and is emptied for
the others), and matching words keeps working when the curator rewords a shipped question
or adds her own, as long as the telling word stays: «фамилия» or «ФИО» → the name, «должность»
→ position, «предмет» → subjects, «стаж» → experience, «категори»/«квалификац» →
qualification, «почт»/«e-mail»/«телефон» → the contact, «сильные стороны» → strengths,
«помогать» → the topics a mentor offers, «затруднени» → a mentee's difficulties,
«запрос» → a mentee's request. The first question that matches a field wins (``FIELDS``
is the table). Nothing is published: a new card is shown on the site only once a consent to
dissemination is recorded for it (``rules.person_clause``).

A similar card is one with the same surname and name (case and ё/е ignored) or, when the
answer gives an e-mail, one that an earlier answer with the same e-mail became.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import clock
from ..models import Answer, Person, QuestionnairePurpose

#: field -> words, any of which in a question's text (lower case, ё as е) maps it there.
FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("name", ("фамилия", "фио")),
    ("position", ("должность",)),
    ("subjects", ("предмет",)),
    ("experience", ("стаж",)),
    ("qualification", ("категори", "квалификац")),
    ("contact", ("почт", "e-mail", "email", "телефон")),
    ("strengths", ("сильные стороны",)),
    ("topics", ("помогать",)),
    ("difficulties", ("затруднени",)),
    ("request", ("запрос",)),
]
#: the Person columns a card takes from an answer, with their labels for the curator
CARD_FIELDS: list[tuple[str, str]] = [
    ("last_name", "Фамилия"), ("first_name", "Имя"), ("middle_name", "Отчество"),
    ("position", "Должность"), ("subjects", "Предметы"),
    ("qualification", "Квалификационная категория"), ("experience_years", "Стаж, лет"),
    ("bio", "О себе (сильные стороны)"),
]
_LIMITS = {"last_name": 100, "first_name": 100, "middle_name": 100, "position": 200,
           "subjects": 300, "qualification": 100}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FROM = re.compile(r"(?:^|\b)(?:от|более|свыше|больше|не менее)\s+(\d{1,2})\b")
_BARE = re.compile(r"^\s*(\d{1,2})(?:\s*(?:год|года|лет))?\s*$")

NO_NAME = ("В ответе нет фамилии и имени (двух слов в вопросе «Фамилия, имя, отчество»): "
           "создайте карточку вручную в разделе «Люди».")
NOT_FOR_BANK = ("Ответы на эту анкету не заносятся в банк: она не анкета наставника или "
                "наставляемого.")


def norm(text: str) -> str:
    """Lower case, ё as е, single spaces: how names and question texts are compared."""
    return " ".join(text.lower().replace("ё", "е").split())


def by_field(answers: Mapping[str, Any]) -> dict[str, Any]:
    """field -> the stored value, for the questions ``FIELDS`` recognises."""
    found: dict[str, Any] = {}
    for item in answers.values():
        if not isinstance(item, dict):
            continue
        text = norm(str(item.get("question", "")))
        for name, words in FIELDS:
            if name not in found and any(w in text for w in words):
                found[name] = item.get("value")
                break
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def experience_years(value: Any) -> int | None:
    """Years of experience from an answer: «от 10 до 20 лет» → 10, «более 20 лет» → 20,
    «15» → 15; «до 3 лет», «менее 1 года» → None (the curator knows better than a guess)."""
    text = norm(_text(value))
    match = _FROM.search(text) or _BARE.match(text)
    return int(match.group(1)) if match else None


def email(value: Any) -> str:
    match = _EMAIL.search(_text(value))
    return match.group(0).lower() if match else ""


@dataclass
class Proposal:
    """What a card would take from an answer: ``values`` (Person columns), the bank flag,
    and the e-mail used to find a similar card."""

    values: dict[str, Any] = field(default_factory=dict)
    bank: str = ""  # "in_mentor_bank" or "in_mentee_bank"
    email: str = ""
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


#: the bank flag -> its name for the curator («Добавить в банк наставников»)
BANK_NAMES = {"in_mentor_bank": "банк наставников", "in_mentee_bank": "банк наставляемых"}


def bank_of(purpose: QuestionnairePurpose) -> str:
    return {QuestionnairePurpose.MENTOR: "in_mentor_bank",
            QuestionnairePurpose.MENTEE: "in_mentee_bank"}.get(purpose, "")


def propose(answer: Answer) -> Proposal:
    """The card an answer would become (nothing is written)."""
    found = by_field(answer.answers or {})
    proposal = Proposal(bank=bank_of(answer.questionnaire.purpose),
                        email=email(found.get("contact")))
    if not proposal.bank:
        proposal.problem = NOT_FOR_BANK
        return proposal
    words = _text(found.get("name")).replace(",", " ").split()
    if len(words) < 2:
        proposal.problem = NO_NAME
    values: dict[str, Any] = {
        "last_name": words[0] if words else "", "first_name": words[1] if len(words) > 1 else "",
        "middle_name": " ".join(words[2:]),
        "position": _text(found.get("position")), "subjects": _text(found.get("subjects")),
        "qualification": "" if norm(_text(found.get("qualification"))) == "без категории"
        else _text(found.get("qualification")).lower(),
        "experience_years": experience_years(found.get("experience")),
        "bio": str(found.get("strengths") or "").strip()
        if proposal.bank == "in_mentor_bank" else "",
    }
    proposal.values = {k: (v[:_LIMITS[k]] if k in _LIMITS and isinstance(v, str) else v)
                       for k, v in values.items()}
    return proposal


def similar(sess: Session, answer: Answer, proposal: Proposal) -> list[Person]:
    """Cards that may be the same person: same surname and name (case, ё/е ignored), or the
    card an earlier answer with the same e-mail became. By surname, then id."""
    found: dict[int, Person] = {}
    last, first = proposal.values.get("last_name", ""), proposal.values.get("first_name", "")
    if last and first:
        # the surname's first letter narrows the read; the comparison itself is in Python,
        # since SQLite's lower() leaves Cyrillic as it is
        head = norm(last)[:1]
        heads = {head, head.upper(), *(("ё", "Ё") if head == "е" else ())}
        rows = sess.scalars(sa.select(Person).where(
            sa.or_(*(Person.last_name.startswith(h, autoescape=True) for h in heads))))
        for person in rows:
            if norm(person.last_name) == norm(last) and norm(person.first_name) == norm(first):
                found[person.id] = person
    if proposal.email:
        earlier = sess.scalars(sa.select(Answer).where(
            Answer.person_id.is_not(None), Answer.id != answer.id))
        for other in earlier:
            if email(by_field(other.answers or {}).get("contact")) == proposal.email \
                    and other.person is not None:
                found[other.person.id] = other.person
    return sorted(found.values(), key=lambda p: (norm(p.full_name), p.id))


def _empty(value: Any) -> bool:
    return value is None or value == ""


@dataclass(frozen=True)
class FieldChoice:
    """One field of a merge: the card's value, the answer's, and whether it is taken by
    default (only into an empty field; a differing filled one waits for the curator)."""

    name: str
    label: str
    current: Any
    offered: Any
    default: bool

    @property
    def differs(self) -> bool:
        return not _empty(self.offered) and self.offered != self.current


def merge_choices(person: Person, proposal: Proposal) -> list[FieldChoice]:
    """The card's fields beside the answer's, for the side-by-side view."""
    return [FieldChoice(name, label, getattr(person, name), proposal.values.get(name),
                        _empty(getattr(person, name)) and not _empty(proposal.values.get(name)))
            for name, label in CARD_FIELDS]


def merge_values(person: Person, proposal: Proposal, chosen: set[str]) -> dict[str, Any]:
    """The values a merge writes: the bank flag, and the chosen fields the answer gives a
    value for; a field not chosen is never touched, an empty answer never blanks a field."""
    values: dict[str, Any] = {proposal.bank: True}
    for choice in merge_choices(person, proposal):
        if choice.name in chosen and choice.differs:
            values[choice.name] = choice.offered
    return values


def new_values(proposal: Proposal) -> dict[str, Any]:
    """The values a new card is created with (in the bank; the slug follows the name)."""
    return {**proposal.values, proposal.bank: True}


def agreement_values(answer: Answer, person: Person) -> dict[str, Any] | None:
    """The consent to processing the person gave online with the answer (its text and
    version are stored with it), as a ``ProcessingAgreement`` of the card; None when the
    card already records that one (the same answer linked twice, or two answers under the
    same version the same day)."""
    signed_on = clock.to_local(answer.submitted_at).date()
    ref = f"анкета на сайте, редакция согласия № {answer.consent_number}"
    if any(a.signed_on == signed_on and a.document_ref == ref
           for a in person.processing_agreements):
        return None
    return {"person_id": person.id, "signed_on": signed_on, "withdrawn_on": None,
            "document_ref": ref}
