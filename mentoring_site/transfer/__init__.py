"""Moving a whole section: an archive of every table of ours and every stored file.

``export_section`` writes one ZIP (``archive.py`` says what is in it) from one read
transaction, so the copy is consistent while the site keeps serving and taking edits;
``import_section`` checks an archive whole before it changes anything, then replaces an
empty section's tables in one transaction and moves the files in after it. Both are
behind ``flask mentoring export`` / ``import`` and the curator's «Скачать архив раздела».
"""

from __future__ import annotations

from .archive import ArchiveError
from .exporting import export_section
from .importing import ImportPlan, import_section

__all__ = ["ArchiveError", "ImportPlan", "export_section", "import_section"]
