"""The public read model: every query the public side makes, built on ``rules.py``.

Pages, feeds, the widget and the API all read through here, so none of them can show
more than another. Every list costs a fixed number of SQL statements whatever the data
size: one count (kept per data version), one page of rows, and one statement per related
collection for the whole page, from ``graph.py`` (tests/test_query_counts.py).

One module per kind of content; a new kind gets a module here and a line below.
``open_data`` holds what only the open data needs (feeds, calendar, sitemap, API).
"""

from .base import Clock, NotFound, Paged
from .cases import CaseView, case_page, cases
from .documents import DocumentBase, document_base, documents, materials
from .home import (
    Figures,
    RegistryFigures,
    figures,
    latest_news,
    registry_figures,
    section_info,
    upcoming_announcements,
)
from .honors import HonorCard, honors
from .media import public_media
from .mentor_school import MentorSchool, mentor_school
from .news import news, news_item
from .pages import menu_pages, page
from .people import PersonView, people_in_bank, person_page
from .programs import (
    Effectiveness,
    LevelCount,
    ProgramCard,
    ProgramView,
    level_figures,
    program_directions,
    program_page,
    programs,
)
from .questionnaires import open_questionnaires, questionnaire_form
from .slugs import is_public, moved_slug

__all__ = [
    "CaseView", "Clock", "DocumentBase", "Effectiveness", "Figures", "HonorCard",
    "LevelCount", "MentorSchool", "NotFound", "Paged", "PersonView", "ProgramCard", "ProgramView",
    "RegistryFigures",
    "case_page", "cases", "document_base", "documents", "figures", "honors", "is_public",
    "latest_news", "level_figures", "materials", "mentor_school", "menu_pages", "moved_slug",
    "news",
    "news_item", "open_questionnaires", "page", "people_in_bank", "person_page",
    "program_directions", "program_page", "programs", "public_media", "questionnaire_form",
    "registry_figures", "section_info", "upcoming_announcements",
]
