"""Registration for announced events: the public form (read and checked with a Russian
message per field, kept away from bots by ``questionnaires.protect``), the registration
stored with the consent text, the curator's decisions (through ``editing``), the letters
they queue in ``outbox``, and the «сегодня» letters with the place or the link.

Functions take a session and plain values (no request), so each step is tested without
HTTP; the public view (``public/events.py``) and the admin screen only wire them.
"""

from .form import Submission, read
from .letters import page_url, queue_day_letters
from .moderation import KIND, counts, decide, promote
from .store import (
    CLOSED,
    CONSENT_CHANGED,
    Refusal,
    check_bot,
    consent_in_force,
    issue_stamp,
    over_limit,
    register,
)

__all__ = ["CLOSED", "CONSENT_CHANGED", "KIND", "Refusal", "Submission", "check_bot",
           "consent_in_force", "counts", "decide", "issue_stamp", "over_limit", "page_url",
           "promote", "queue_day_letters", "read", "register"]
