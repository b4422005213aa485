"""Signals a host site may listen to: a record of the section was saved or deleted.

A school's site may cache its own pages that show our news, or want to tell someone
when a case goes up; it connects a receiver instead of patching our views. The signals
live on our own ``Namespace`` (as Flask's own do) and are sent by the one save path
(``editing.py``) only after the change is committed: a refused or rolled-back save sends
nothing. The sender is the Flask app; the keyword arguments are plain values:

- ``kind``: the kind of record, as the admin and the audit log name it
  (``"news"``, ``"document"``, ``"material"``, ``"page"``, ``"honor"``, ``"case"``,
  ``"program"``, ``"person"``, ``"section"``, and ``"consent"``: a person's consent,
  which decides what the public sees of that person);
- ``id``: the record's id;
- ``action`` (``content_saved`` only): ``"create"``, ``"update"`` or ``"restore"``.

    from mentoring_site import content_saved

    @content_saved.connect_via(app)
    def forget_cached_news(sender, kind, id, **extra):
        cache.delete("school-home")
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A record was created, changed (also by an action on its page) or restored from the journal.
content_saved = _signals.signal("mentoring-content-saved")
#: A record was deleted.
content_deleted = _signals.signal("mentoring-content-deleted")

__all__ = ["content_deleted", "content_saved"]
