"""The base of templates a municipal office hands to its schools (district roadmap 3.1.1):
the six orders and two protocols, with blanks where a school's data goes, added as
methodological materials («Макеты документов») of the office's own section.

Why materials: the office's schools find them where a section keeps downloadable files,
with the section's pages, open data and accessibility; the office may edit, replace or
take one down in its admin like any material. The documents are the ones a school's
«Отчёты» makes from its data (``reports.orders``), with nothing of any section in them.

Adding is idempotent: a template whose material (by title) is there already is skipped.
"""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from .. import editing
from ..models import Material, MaterialKind, Status
from ..reports.files import blank_order_report
from ..reports.orders import KINDS, ROADMAP

MATERIAL = editing.RecordKind(name="material", model=Material)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def title_of(key: str) -> str:
    return f"Шаблон: {KINDS[key].label}"


def missing_templates(sess: Session) -> list[str]:
    present = set(sess.scalars(sa.select(Material.title)))
    return [key for key in ROADMAP if title_of(key) not in present]


def add_order_templates(sess: Session, *, actor: str, today: date) -> list[Material]:
    """Add the missing templates, each through the save path (journaled); the records added."""
    added = []
    for key in missing_templates(sess):
        report = blank_order_report(key, today=today)
        upload = FileStorage(io.BytesIO(report.data), filename=report.fallback,
                             content_type=DOCX)
        values = {
            "title": title_of(key), "kind": MaterialKind.TEMPLATE,
            "description": "Шаблон документа из дорожной карты внедрения целевой модели "
                           "наставничества (п. 3.1.1): скачайте, заполните пропуски "
                           "(«____») данными своей организации и утвердите.",
            "url": "", "status": Status.PUBLISHED, "published_at": None,
        }
        added.append(editing.save_record(
            sess, MATERIAL, None, values, actor=actor,
            files={"file": editing.FileChange(media_kind="document", upload=upload)}))
    return added
