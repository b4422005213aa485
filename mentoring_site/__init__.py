"""Раздел «Наставничество» для сайта школы: a Flask extension.

    from mentoring_site import Mentoring
    Mentoring(app)          # or: mentoring = Mentoring(); mentoring.init_app(app)
"""

from .extension import Mentoring

__all__ = ["Mentoring"]
