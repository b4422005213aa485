"""What a kind of content declares to get its admin screens (``crud.register``).

Typed fields instead of a free dict, so a reader sees in one place everything a kind may
say: its list (columns, search, order, filters), its form and page, who may edit it, and
what the save path (``editing.RecordKind``) must know: the slug's source, the kind's own
rules for saving and deleting, and the files its form attaches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from .. import editing
from ..models import AccountRole
from .record_files import FileSlot


class ListFilter(NamedTuple):
    """A filter above a kind's list: «Состояние: черновик / опубликовано»."""

    label: str  # Russian: «Состояние»
    options: Mapping[str, str]  # the value in the URL -> its Russian label
    where: Callable[[str], Any]  # a chosen value -> the condition on the list's query


@dataclass
class Kind:
    """Everything a kind of content declares to get its admin screens."""

    name: str  # English, for endpoint names: news -> mentoring_admin.news_edit
    url: str  # transliterated Russian URL part
    model: type
    form: type
    plural: str
    singular: str  # accusative: «Добавить новость»
    columns: list[tuple[str, Callable[[Any], Any]]]
    search: tuple[Any, ...] = ()  # columns the list's search box looks in (ilike)
    order_by: tuple[Any, ...] = ()  # the list's ORDER BY
    role: AccountRole = AccountRole.CURATOR
    markdown_fields: tuple[str, ...] = ()
    prepare_form: Callable[[Any, Session], None] | None = None  # (form, session): choices
    # (session, obj) -> [(field name, message)]: why the record may not be saved as is
    problems: Callable[[Session, Any], list[tuple[str, str]]] | None = None
    # (session, obj) -> message or None: why the record may not be deleted
    delete_problem: Callable[[Session, Any], str | None] | None = None
    public_url: Callable[[Any], str | None] | None = None
    slug_source: str | Callable[[Any], str] | None = "title"
    #: the list's filters, by the query-string key that carries the chosen value
    filters: dict[str, ListFilter] = field(default_factory=dict)
    #: one record, edited in place (the section's texts): no list, no create, no delete
    singleton: bool = False
    # the edit page's template and the extra things it shows (participants, photos, ...)
    template: str = "mentoring/admin/form.html"
    #: (session, obj, **action forms and "error") -> what the template shows besides the form
    context: Callable[..., dict[str, Any]] | None = None
    files: tuple[FileSlot, ...] = ()

    def title_of(self, obj) -> str:
        return str(getattr(obj, "title", None) or getattr(obj, "full_name", "")
                   or getattr(obj, "name", "") or obj.id)

    @property
    def record(self) -> editing.RecordKind:
        """What the save path needs to know of this kind."""
        return editing.RecordKind(name=self.name, model=self.model, slug_source=self.slug_source,
                                  problems=self.problems, delete_problem=self.delete_problem)


KINDS: dict[str, Kind] = {}


def status_filter(model) -> ListFilter:
    """The list filter «Состояние» (draft or published) for a kind with a status."""
    from ..models import Status

    return ListFilter("Состояние", {s.value: s.label for s in Status},
                      lambda v: model.status == Status(v))
