"""Public questionnaires: reading and checking a submission, keeping bots and floods out,
storing the answer. Functions take a session and plain values (no request), so each step
is tested without HTTP; the public view (``public/questionnaires.py``) only wires them.

- ``answers``: a submission read against the questions, with a Russian message per field;
- ``protect``: the honeypot, the signed stamp (minimum fill time, CSRF), the rate limits;
- ``store``: the answer saved with the consent's text and number;
- ``bank``: the card an answer would make and the similar cards (the admin saves it);
- ``pairs``: suggested mentors for a mentee's answer, with the reasons;
- ``satisfaction``: the feedback marks per programme and school year;
- ``retention``: answers deleted after their term and on a withdrawal, journaled.
"""

from .answers import Submission, field_name, read
from .protect import HONEYPOT, STAMP, Refusal, check_bot, issue_stamp, over_limit
from .store import accept, current_consent

__all__ = ["HONEYPOT", "STAMP", "Refusal", "Submission", "accept", "check_bot",
           "current_consent", "field_name", "issue_stamp", "over_limit", "read"]
