"""Reports of issue 10: the documents a curator hands over, opened by the usual office
programs. ``program`` (the справка-отчёт of one programme, DOCX), ``figures`` (the school
year's read model: every figure of the analytical report, computed once), ``year`` (that
report as XLSX and DOCX), ``render`` (built-in documents or the school's own templates).

Domain only: functions take a session and plain values and return bytes; the CLI and the
admin «Отчёты» screen only choose what to build and where the bytes go.
"""

from __future__ import annotations


class ReportError(Exception):
    """A report cannot be made; ``message`` is one Russian line for the curator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


__all__ = ["ReportError"]
