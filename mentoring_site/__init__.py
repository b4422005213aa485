"""Раздел «Наставничество» для сайта школы: a Flask extension.

    from mentoring_site import Mentoring
    Mentoring(app)          # or: mentoring = Mentoring(); mentoring.init_app(app)

A host may also listen to ``content_saved`` / ``content_deleted`` (see ``signals.py``).
"""

from .extension import Mentoring
from .signals import content_deleted, content_saved

__all__ = ["Mentoring", "content_deleted", "content_saved"]
