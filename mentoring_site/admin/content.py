"""The kinds of content the admin edits: what each list shows, who may edit, what is checked.

Add a new kind of content here: a model, a form (``forms.py``) and a ``Kind``.
"""

from __future__ import annotations

from flask import current_app, url_for

from .. import clock, rules
from ..compat import choice
from ..models import (
    AccountRole,
    DocLevel,
    Document,
    Honor,
    Material,
    MaterialKind,
    NewsItem,
    NewsKind,
    Page,
    Person,
)
from ..queries import admin as admin_queries
from .crud import Kind, ListFilter, register, status_filter
from .forms import DocumentForm, HonorForm, MaterialForm, NewsForm, PageForm
from .record_files import FileSlot


def _status(obj) -> str:
    return admin_queries.publication_state_text(obj, clock.now_utc())


def _date(value) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _news_form(form, _sess) -> None:
    """The choice «в Школе наставничества» only where that page exists."""
    if not current_app.config["MENTORING_MENTOR_SCHOOL"]:
        del form.in_mentor_school


register(Kind(
    name="news", url="novosti", model=NewsItem, form=NewsForm,
    plural="Новости и анонсы", singular="новость или анонс",
    columns=[("Заголовок", lambda o: o.title), ("Вид", lambda o: o.kind.label),
             ("Состояние", _status),
             ("Дата", lambda o: _date(clock.to_local(o.published_at)))],
    search=(NewsItem.title, NewsItem.body), order_by=(NewsItem.published_at.desc(),),
    role=AccountRole.EDITOR, markdown_fields=("body",),
    public_url=lambda o: url_for("mentoring.news_item", slug=o.slug),
    files=(FileSlot("image", "image", "image", remove="remove_image", alt="image_alt"),),
    filters={"vid": ListFilter("Вид", {k.value: k.label for k in NewsKind},
                               lambda v: NewsItem.kind == NewsKind(v)),
             "sostoyanie": status_filter(NewsItem)},
    prepare_form=_news_form,
))

register(Kind(
    name="document", url="dokumenty", model=Document, form=DocumentForm,
    plural="Нормативная база", singular="документ",
    columns=[("Название", lambda o: o.title), ("Уровень", lambda o: o.level.label),
             ("Номер", lambda o: o.number), ("Дата", lambda o: _date(o.issued_on)),
             ("Действует", lambda o: "да" if o.in_force else "утратил силу"),
             ("Состояние", _status)],
    search=(Document.title, Document.number, Document.issuer),
    order_by=(Document.level, Document.sort, Document.issued_on.desc()),
    filters={
        "uroven": ListFilter("Уровень", {k.value: k.label for k in DocLevel},
                             lambda v: Document.level == DocLevel(v)),
        "deistvuet": ListFilter("Действует", {"da": "действует", "net": "утратил силу"},
                                lambda v: Document.in_force.is_(v == "da")),
        "sostoyanie": status_filter(Document)},
    files=(FileSlot("upload", "file", "document", remove="remove_file"),),
))

register(Kind(
    name="material", url="materialy", model=Material, form=MaterialForm,
    plural="Методические материалы", singular="материал",
    columns=[("Название", lambda o: o.title), ("Раздел", lambda o: o.kind.label),
             ("Состояние", _status)],
    search=(Material.title, Material.description), order_by=(Material.published_at.desc(),),
    role=AccountRole.EDITOR, markdown_fields=("description",),
    filters={"razdel": ListFilter("Раздел", {k.value: k.label for k in MaterialKind},
                                  lambda v: Material.kind == MaterialKind(v)),
             "sostoyanie": status_filter(Material)},
    files=(FileSlot("upload", "file", "document", remove="remove_file"),),
))

register(Kind(
    name="page", url="stranitsy", model=Page, form=PageForm,
    plural="Страницы раздела", singular="страницу",
    columns=[("Заголовок", lambda o: o.title), ("Порядок", lambda o: o.sort),
             ("Состояние", _status)],
    search=(Page.title, Page.body), order_by=(Page.sort, Page.title),
    markdown_fields=("body",), filters={"sostoyanie": status_filter(Page)},
    public_url=lambda o: url_for("mentoring.page", slug=o.slug),
))


def _people_choices(form, sess) -> None:
    names = admin_queries.people_choices(sess)
    form.person_id.choices = names
    form.partner_id.choices = [choice(0, "— нет —"), *names]


def _honor_problems(sess, honor: Honor) -> list[tuple[str, str]]:
    """An honor names people: it may be published only with their consent in force."""
    if not rules.to_be_published(honor):
        return []
    today = clock.today()
    problems = []
    for field, person_id in (("person_id", honor.person_id), ("partner_id", honor.partner_id)):
        person = sess.get(Person, person_id) if person_id else None
        problem = rules.person_publication_problem(person, today)
        if problem:
            problems.append((field, problem))
    return problems


register(Kind(
    name="honor", url="nashi-nastavniki", model=Honor, form=HonorForm,
    plural="Наши наставники", singular="награду",
    columns=[("Звание", lambda o: o.title), ("Год", lambda o: o.year),
             ("Кто", lambda o: o.person.full_name), ("Состояние", _status)],
    search=(Honor.title,), order_by=(Honor.year.desc(), Honor.id.desc()),
    markdown_fields=("citation",), prepare_form=_people_choices, problems=_honor_problems,
    slug_source=None, filters={"sostoyanie": status_filter(Honor)},
))
