"""Suggested pairs: a mentee's stated difficulties and request against the mentors of the
bank, as a sorted list with the reasons shown. The curator decides; nothing is created.

What is compared (``suggest`` is pure: plain values in, so it is tested without a database):
- the subjects: a word of the mentee's subjects that starts like a word of the mentor's
  (the first five letters: «математика» and «математики» meet) — 3 points each;
- the difficulties ticked in the mentee questionnaire against the topics the mentor offered
  in her own answer — 3 points each;
- themes (``THEMES``) named in the mentee's request or difficulties and in the mentor's
  strengths, biography, subjects or position — 2 points each, with the mentor's word shown;
- a longer experience (10 years or more) and a top category add 1 point each, only to a
  mentor who matched something, so they order the list and never make a suggestion alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Answer, AnswerStatus, Person, Questionnaire, QuestionnairePurpose
from .bank import _text, by_field, norm

#: theme -> word starts; a theme matches when both sides use one of its words
THEMES: dict[str, tuple[str, ...]] = {
    "цифровые инструменты": ("цифров", "икт", "онлайн", "электрон", "компьютер",
                             "интерактивн", "дистанцион"),
    "дисциплина и внимание класса": ("дисциплин", "внимани", "поведени", "конфликт"),
    "работа с родителями": ("родител", "собрани"),
    "подготовка к ОГЭ и ЕГЭ, олимпиадам": ("огэ", "егэ", "экзамен", "олимпиад"),
    "рабочие программы и документация": ("документ", "рабоч", "ктп", "планирован"),
    "классное руководство": ("классн", "воспитат"),
    "дети с ОВЗ, инклюзия": ("овз", "инклюз", "коррекц"),
    "методика урока": ("методик", "урок", "проектн", "функциональн"),
    "аттестация": ("аттестац",),
    "эмоциональное выгорание": ("выгоран", "усталост", "стресс"),
}
TOP_CATEGORIES = ("высшая", "педагог-наставник", "педагог-методист")
_WORD = re.compile(r"[\w-]+")
_SPLIT = re.compile(r"[,;/]| и ")


@dataclass(frozen=True)
class Need:
    """What a mentee asked for, from one answer."""

    subjects: str = ""
    difficulties: tuple[str, ...] = ()
    text: str = ""  # the request and anything else free-typed


@dataclass(frozen=True)
class Offer:
    """What a mentor of the bank brings."""

    person_id: int
    name: str
    subjects: str = ""
    topics: tuple[str, ...] = ()  # ticked in her mentor questionnaire
    text: str = ""  # strengths, biography, position
    experience_years: int | None = None
    qualification: str = ""


@dataclass
class Suggestion:
    person_id: int
    name: str
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def _subject_words(text: str) -> dict[str, str]:
    """A subject's first five letters -> the subject as written."""
    words: dict[str, str] = {}
    for part in _SPLIT.split(text):
        subject = " ".join(part.split())
        for word in _WORD.findall(norm(subject)):
            if len(word) >= 4:
                words.setdefault(word[:5], subject.lower())
    return words


def _theme_word(words: tuple[str, ...], text: str) -> str | None:
    """The first word of ``text`` that starts with one of the theme's words."""
    for word in _WORD.findall(text.lower().replace("ё", "е")):
        if word.startswith(words):
            return word
    return None


def suggest(need: Need, offers: Iterable[Offer], *, limit: int = 10) -> list[Suggestion]:
    """Mentors who match something, best first (then by name), each with its reasons."""
    wanted = _subject_words(need.subjects)
    asked = {norm(d): d for d in need.difficulties}
    found: list[Suggestion] = []
    for offer in offers:
        s = Suggestion(offer.person_id, offer.name)
        given = _subject_words(offer.subjects)
        for subject in dict.fromkeys(wanted[k] for k in wanted.keys() & given.keys()):
            s.score += 3
            s.reasons.append(f"совпадает предмет: {subject}")
        met = {norm(t) for t in offer.topics} & asked.keys()
        for topic in offer.topics:
            if norm(topic) in met:
                s.score += 3
                s.reasons.append(f"затруднение «{asked[norm(topic)]}» — наставник готов "
                                 "помогать в этом")
        # a topic already met is not counted again as a theme
        need_text = " ".join((need.text, *(d for k, d in asked.items() if k not in met)))
        offer_text = " ".join((offer.text, offer.subjects,
                               *(t for t in offer.topics if norm(t) not in met)))
        for theme, words in THEMES.items():
            theirs = _theme_word(words, offer_text)
            if theirs and _theme_word(words, need_text):
                s.score += 2
                s.reasons.append(f"запрос: {theme} — наставник указал «{theirs}»")
        if not s.score:
            continue
        if offer.experience_years is not None and offer.experience_years >= 10:
            s.score += 1
            s.reasons.append(f"стаж наставника: {offer.experience_years} лет")
        if norm(offer.qualification) in TOP_CATEGORIES:
            s.score += 1
            s.reasons.append(f"категория: {offer.qualification}")
        found.append(s)
    found.sort(key=lambda s: (-s.score, norm(s.name), s.person_id))
    return found[:limit]


def need_of(answer: Answer) -> Need:
    """A mentee's answer as a need: subjects, the difficulties ticked, the texts typed."""
    fields = by_field(answer.answers or {})
    difficulties = fields.get("difficulties")
    texts = [str(item.get("value")) for item in (answer.answers or {}).values()
             if isinstance(item, dict) and item.get("kind") == "long" and item.get("value")]
    return Need(subjects=_text(fields.get("subjects")),
                difficulties=tuple(difficulties) if isinstance(difficulties, list) else (),
                text=" ".join([_text(fields.get("request")), *texts]))


def mentor_offers(sess: Session, *, exclude: int | None = None) -> list[Offer]:
    """Every mentor of the bank with what her mentor questionnaires said (two reads)."""
    people = sess.scalars(sa.select(Person).where(Person.in_mentor_bank)
                          .order_by(Person.last_name, Person.first_name, Person.id)).all()
    said: dict[int, list[dict[str, Any]]] = {}
    rows = sess.scalars(sa.select(Answer).join(Answer.questionnaire).where(
        Answer.person_id.in_([p.id for p in people]),
        Questionnaire.purpose == QuestionnairePurpose.MENTOR))
    for a in rows:
        said.setdefault(a.person_id or 0, []).append(by_field(a.answers or {}))
    offers = []
    for p in people:
        if p.id == exclude:
            continue
        answers = said.get(p.id, [])
        topics = [t for fields in answers if isinstance(fields.get("topics"), list)
                  for t in fields["topics"]]
        strengths = [str(fields.get("strengths") or "") for fields in answers]
        offers.append(Offer(person_id=p.id, name=p.full_name, subjects=p.subjects,
                            topics=tuple(dict.fromkeys(topics)),
                            text=" ".join([p.position, p.bio, *strengths]),
                            experience_years=p.experience_years,
                            qualification=p.qualification))
    return offers


def for_answer(sess: Session, answer: Answer, *, limit: int = 10) -> list[Suggestion]:
    """The suggested mentors for a mentee's answer (empty for any other answer)."""
    if answer.questionnaire.purpose is not QuestionnairePurpose.MENTEE:
        return []
    return suggest(need_of(answer), mentor_offers(sess, exclude=answer.person_id), limit=limit)


def open_requests(sess: Session, *, limit: int = 30, per_answer: int = 3
                  ) -> list[tuple[Answer, list[Suggestion]]]:
    """The newest unprocessed mentee answers, each with its best mentors (the bank is
    read once for all of them)."""
    answers = sess.scalars(sa.select(Answer).join(Answer.questionnaire).where(
        Questionnaire.purpose == QuestionnairePurpose.MENTEE,
        Answer.status == AnswerStatus.NEW).order_by(Answer.submitted_at.desc(), Answer.id.desc())
        .limit(limit)).all()
    offers = mentor_offers(sess)
    return [(a, suggest(need_of(a), [o for o in offers if o.person_id != a.person_id],
                        limit=per_answer)) for a in answers]
