"""The public JSON API v1 contract, written once: pydantic models of every answer.

Three places used to spell the contract out by hand: the serialiser (``api/serialize.py``),
the OpenAPI 3.1 document (``api/openapi.py``) and the municipal registry's checks of the
schools' answers (``municipal/shapes.py``). Now all three use these models:

- the API builds model instances and dumps them (field order here is the key order of
  every answer);
- the OpenAPI document takes every schema from the models' JSON Schema (``PUBLISHED`` are
  its named components; ``api/openapi.py`` writes them in OpenAPI 3.1's dialect);
- the registry validates a school's answer with a subset of a model (``reader`` in
  ``municipal/shapes.py``) under the ``REGISTRY`` context, which switches on its stricter
  checks: lengths, control characters, http(s)-only links, non-empty names, ISO 8601
  moments with an offset, integer ranges. Those checks are the registry's policy towards
  servers it does not control, not a promise of the API: they do not appear in the
  published schema and never make our own answer fail.

Why pydantic v2 and not msgspec (see also docs/API.md):

- JSON Schema: pydantic's generator is a class we subclass (``api/openapi.py``) to write
  OpenAPI 3.1's dialect: ``type: [..., "null"]``, no titles, Russian descriptions, refs to
  ``#/components/schemas``. msgspec's ``schema_components`` is good but has no such hooks.
- Untrusted input: the registry needs checks that depend on who validates (our own
  answers must never fail on a long biography; a school's must). pydantic passes a
  validation context to validators; msgspec has only ``Meta`` constraints, which would go
  into the published schema, and ``__post_init__``, which knows nothing of the caller.
  Both are strict about types (pydantic with ``strict=True``: no ``"10"`` for 10, no
  ``true`` for 1) and both report the place of an error, which we turn into Russian.
- Speed: msgspec encodes faster still, but a page of 100 items spends its time on SQL and
  Markdown; building the models costs about what ``json.dumps`` of the old dicts did (one
  Python validator call a field, a no-op outside the registry) and pydantic-core's
  ``model_dump_json`` is quicker than ``json.dumps``, writing the same bytes (tested), so
  the answers and their ETags stay exactly what they were.
- Maintenance: pydantic has a company and many contributors behind it and releases often;
  msgspec is mostly one author's project, whose releases with Python 3.13 and then 3.14
  support came after long waits (msgspec issues #764, #891), while forks appeared.
- Weight: msgspec is one small wheel with no dependencies; pydantic is pydantic-core plus
  three small pure-Python packages, and it was already installed for the test suite
  (openapi-spec-validator needs it). A school installs it once; acceptable.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, create_model
from pydantic_core import PydanticCustomError

from . import compat
from .db import BadText, check_text
from .models import (
    DocKind,
    DocLevel,
    EarlyEndReason,
    MaterialKind,
    NewsKind,
    ProgramStatus,
    ProgramType,
    TargetGroup,
)

#: The validation context of the municipal registry: its stricter checks apply.
REGISTRY = {"registry": True}

MAX_NAME = 500
MAX_SHORT = 1000
MAX_TEXT = 20_000
MAX_URL = 2000
MAX_MOMENT = 64
MAX_COUNT = 10**9


# -- the registry's checks (inactive unless the context is REGISTRY) ---------------------------


def _registry_only(*checks) -> AfterValidator:
    """One validator running ``checks`` in order, only under the REGISTRY context.

    One Python call a field (not one a check): building a page of 100 answers stays cheap.
    """

    def validate(value, info: ValidationInfo):
        if info.context is not None and info.context.get("registry"):
            for check in checks:
                check(value)
        return value

    return AfterValidator(validate)


def _refuse(reason: str) -> PydanticCustomError:
    return PydanticCustomError("registry", "{reason}", {"reason": reason})


def _text(limit: int | None, *, blank: bool = True):
    def check(value: str) -> None:
        if limit is not None and len(value) > limit:
            raise _refuse(f"длиннее {limit} символов")
        try:
            check_text(value)
        except BadText:
            raise _refuse("содержит недопустимые управляющие символы") from None
        if not blank and not value.strip():
            raise _refuse("пустое")

    return check


def _url(value: str) -> None:
    if not value.lower().startswith(("http://", "https://")) or any(
        c.isspace() for c in value
    ):
        raise _refuse(f"должно быть адресом http(s), а получено {value[:100]!r}")


def _moment(value: str) -> None:
    try:
        parsed = compat.fromisoformat(value)
    except ValueError:
        raise _refuse(f"должно быть датой и временем ISO 8601: {value!r}") from None
    if parsed.tzinfo is None:
        raise _refuse("должно указывать часовой пояс")


def _day(value: str) -> None:
    try:
        if not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise _refuse(f"должно быть датой ISO 8601: {value!r}") from None


def _range(low: int, high: int):
    def check(value: int) -> None:
        if not low <= value <= high:
            raise _refuse(f"должно быть целым числом от {low} до {high}")

    return check


def _format(name: str) -> Any:
    return Field(json_schema_extra={"format": name})


# -- field types ------------------------------------------------------------------------------

Name = Annotated[str, _registry_only(_text(MAX_NAME, blank=False))]  # a person's, a school's
Title = Annotated[str, _registry_only(_text(MAX_SHORT, blank=False))]
Text = Annotated[str, _registry_only(_text(MAX_SHORT))]  # a position, a slug, a label
LongText = Annotated[str, _registry_only(_text(MAX_TEXT))]  # plain text of a summary
Html = Annotated[str, _registry_only(_text(None))]  # sanitised HTML, as the pages render it
Url = Annotated[str, _format("uri"), _registry_only(_text(MAX_URL, blank=False), _url)]
Day = Annotated[str, _format("date"), _registry_only(_text(MAX_MOMENT, blank=False), _day)]
Moment = Annotated[
    str, _format("date-time"), _registry_only(_text(MAX_MOMENT, blank=False), _moment)
]
Count = Annotated[int, _registry_only(_range(0, MAX_COUNT))]
Years = Annotated[int, _registry_only(_range(0, 100))]
PageNumber = Annotated[int, _registry_only(_range(1, MAX_COUNT))]
Percent = Annotated[int, _registry_only(_range(0, 100))]


class Contract(BaseModel):
    """A JSON object of the API: exact types, no unknown keys (the registry's readers differ)."""

    # Built at first use, not at import: a worker serving pages never needs the schemas.
    model_config = ConfigDict(strict=True, extra="forbid", defer_build=True)
    #: What the object is, in Russian: the ``description`` of its schema.
    description: ClassVar[str] = ""


# -- the answers ------------------------------------------------------------------------------


class Error(Contract):
    description = "Ошибка в запросе"
    error: Text


class Media(Contract):
    description = "Файл на сайте школы"
    url: Url
    name: Text
    content_type: Text
    size: Count
    alt: Text | None
    width: Count | None
    height: Count | None


class Label(Contract):
    description = "Значение и его подпись по-русски"
    value: Text
    label: Text


def _label_of(enum: type[Enum], description: str | None = None) -> type[Label]:
    values = tuple(m.value for m in enum)
    model = create_model(
        f"{enum.__name__}Label", __base__=Label,
        value=(Literal[values], ...),  # type: ignore[arg-type]
    )
    if description:
        model.description = description
    return model


LABELS: dict[type[Enum], type[Label]] = {
    enum: _label_of(enum, description)
    for enum, description in [
        (TargetGroup, "Целевая группа"),
        (ProgramType, None),
        (ProgramStatus, None),
        (EarlyEndReason, "Основание досрочного завершения"),
        (NewsKind, None),
        (DocLevel, None),
        (DocKind, None),
        (MaterialKind, None),
    ]
}


def label(member: Any) -> Label:
    """A labelled enum member (``LabeledEnum``) as its value and Russian label."""
    return LABELS[type(member)](value=member.value, label=member.label)


class PersonRef(Contract):
    description = "Человек: только имя (у обучающихся — имя и первая буква фамилии)"
    id: Count
    name: Name
    url: Url | None


class Person(PersonRef):
    description = (
        "Человек из базы наставников или наставляемых: только сведения, на распространение "
        "которых есть согласие (null — согласия на это сведение нет)"
    )
    slug: Text | None
    is_student: bool
    position: Text | None
    subjects: Text | None
    qualification: Text | None
    experience_years: Years | None
    bio_html: Html | None
    awards_html: Html | None
    photo: Media | None


class LevelCount(Contract):
    description = (
        "Уровень эффективности из листа оценки школы (границы суммы баллов включительно) "
        "и сколько его достигли"
    )
    level: Text
    min_total: Count
    max_total: Count
    count: Count


class MenteeLevel(Contract):
    description = "Итоговый уровень наставляемого, которого можно назвать (есть согласие)"
    person: PersonRef
    level: Text


class ProgramEffectiveness(Contract):
    description = (
        "Результаты мониторинга эффективности завершённой программы (только если школа "
        "включила показ уровней на сайте)"
    )
    sheet: Text = Field(description="Лист оценки эффективности")
    level: Text | None = Field(description="Итоговый уровень эффективности программы")
    counts: list[LevelCount] = Field(
        description="Сколько наставляемых (групп) на каждом уровне по итоговой оценке")
    mentees: list[MenteeLevel] = Field(
        description="Итоговые уровни наставляемых, которых можно назвать; баллы не публикуются")


class Program(Contract):
    description = "Персонализированная программа наставничества"
    id: Count
    slug: Text
    title: Title
    url: Url
    form: Text
    target_group: LABELS[TargetGroup]  # type: ignore[valid-type]
    type: LABELS[ProgramType]  # type: ignore[valid-type]
    status: LABELS[ProgramStatus]  # type: ignore[valid-type]
    direction: Text | None
    goal_html: Html | None
    starts_on: Day
    initial_end_on: Day
    planned_end_on: Day
    ended_on: Day | None
    order_number: Text | None
    order_date: Day | None
    early_end_reason: LABELS[EarlyEndReason] | None  # type: ignore[valid-type]
    early_end_note_html: Html | None
    results_html: Html | None
    mentors: list[PersonRef]
    mentees: list[PersonRef]
    hidden_participants: Count = Field(description="Участники без согласия: только число")
    percent_done: Percent | None
    # Added within v1 (docs/API.md): optional, so an older school's answer still validates.
    effectiveness: ProgramEffectiveness | None = Field(
        default=None, description="Результаты мониторинга эффективности; null — программа не "
        "завершена, не оценена или школа не публикует уровни")


class CasePhoto(Media):
    description = "Фотография кейса"
    caption: Text | None


class CaseProgram(Contract):
    description = "Программа кейса"
    slug: Text
    title: Title
    url: Url


class Case(Contract):
    description = "Лучшая практика (публикуется после завершения программы)"
    id: Count
    slug: Text
    title: Title
    url: Url
    published_at: Moment
    updated_at: Moment
    summary: LongText | None
    summary_html: Html | None
    body_html: Html | None
    photos: list[CasePhoto]
    program: CaseProgram


class HonorPerson(PersonRef):
    description = "Наставник"
    position: Text | None
    photo: Media | None


class Honor(Contract):
    description = "«Наши наставники»: признание наставника или пары"
    id: Count
    title: Title
    year: Count
    citation_html: Html | None
    person: HonorPerson
    partner: PersonRef | None


class NewsEvent(Contract):
    description = "Мероприятие (время местное, со смещением)"
    starts_at: Moment | None
    ends_at: Moment | None
    place: Text | None


class NewsItem(Contract):
    description = "Новость или анонс мероприятия"
    id: Count
    slug: Text
    kind: LABELS[NewsKind]  # type: ignore[valid-type]
    title: Title
    url: Url
    published_at: Moment
    summary: LongText | None
    summary_html: Html | None
    body_html: Html | None
    image: Media | None
    event: NewsEvent | None


class Document(Contract):
    description = "Документ нормативной базы"
    id: Count
    slug: Text
    title: Title
    level: LABELS[DocLevel]  # type: ignore[valid-type]
    kind: LABELS[DocKind]  # type: ignore[valid-type]
    number: Text | None
    issued_on: Day | None
    issuer: Text | None
    in_force: bool
    repealed_on: Day | None
    file: Media | None
    external_url: Url | None


class Material(Contract):
    description = "Методический материал"
    id: Count
    slug: Text
    title: Title
    kind: LABELS[MaterialKind]  # type: ignore[valid-type]
    description_html: Html | None
    file: Media | None
    external_url: Url | None


class Links(Contract):
    description = "Ссылки на страницы списка"
    self: Url
    first: Url
    last: Url
    prev: Url | None
    next: Url | None


T = TypeVar("T")


class Page(Contract, Generic[T]):
    """One page of a collection; a subclass per collection names it in the schema."""

    items: list[T]
    page: PageNumber
    per_page: PageNumber
    total: Count
    pages: Count
    links: Links


class DocumentPage(Page[Document]):
    description = "Нормативная база: страница списка"


class MaterialPage(Page[Material]):
    description = "Методические материалы: страница списка"


class ProgramPage(Page[Program]):
    description = "Программы наставничества: страница списка"


class PersonPage(Page[Person]):
    description = "База наставников или наставляемых: страница списка"


class CasePage(Page[Case]):
    description = "Лучшие практики: страница списка"


class HonorPage(Page[Honor]):
    description = "Наши наставники: страница списка"


class NewsItemPage(Page[NewsItem]):
    description = "Новости и анонсы: страница списка"


class Curator(Contract):
    description = "Куратор"
    name: Name
    position: Text | None
    phone: Text | None
    email: Text | None
    hours: Text | None


class Figures(Contract):
    description = "Числа (все участники, не только давшие согласие)"
    mentors: Count
    mentees: Count
    active_programs: Count
    completed_programs: Count
    # Added within v1 for the municipal registry (docs/API.md): optional, so an older
    # school's answer still validates; null — the school runs an older version.
    planned_programs: Count | None = Field(default=None, description="Программ планируется")
    ended_early_programs: Count | None = Field(default=None,
                                               description="Программ завершено досрочно")
    pairs: Count | None = Field(default=None, description="Реализуемых программ-пар")
    groups: Count | None = Field(default=None, description="Реализуемых программ-групп")
    mentees_teachers: Count | None = Field(
        default=None, description="Наставляемых-взрослых (педагоги, руководители, партнёры)")
    mentees_pupils: Count | None = Field(default=None,
                                         description="Наставляемых-обучающихся в базе")
    young_specialists: Count | None = Field(default=None, description="Молодых специалистов")
    young_specialists_with_mentor: Count | None = Field(
        default=None, description="Молодых специалистов с наставником")
    cases: Count | None = Field(default=None, description="Опубликованных лучших практик")
    honors: Count | None = Field(default=None, description="Записей «Наши наставники»")


class Feeds(Contract):
    description = "Ленты"
    news: Url
    cases: Url
    calendar: Url


class Summary(Contract):
    description = "Сводка раздела"
    school: Name
    site_url: Url
    section_url: Url
    intro_html: Html | None
    curator: Curator | None
    figures: Figures
    last_updated: Moment | None
    feeds: Feeds
    sitemap: Url
    # Added within v1 (docs/API.md): optional, so an older school's answer still validates.
    effectiveness: list[LevelCount] | None = Field(
        default=None, description="Сколько завершённых программ закончилось на каждом уровне "
        "эффективности (только числа); null — школа не публикует уровни")


class Index(Contract):
    description = "Оглавление API"
    name: Text
    school: Name
    openapi: Url
    collections: dict[str, Url]


#: The named schemas of the OpenAPI document; every other model is written inline.
PUBLISHED: tuple[type[Contract], ...] = (
    Error, Media, PersonRef, Person, Program, CasePhoto, Case, Honor, NewsItem, Document,
    Material, Links, Summary, Index, DocumentPage, MaterialPage, ProgramPage, PersonPage,
    CasePage, HonorPage, NewsItemPage,
)
