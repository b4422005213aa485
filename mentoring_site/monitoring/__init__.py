"""Monitoring of mentoring: the effectiveness sheet and its scores, directions, categories,
the plan's outcomes and templates. Domain only: functions take a session and plain values,
raise ``MonitoringError`` with a Russian message, and know nothing of HTTP.

One concern a module: ``sheet`` (totals and levels, pure), ``assessments`` (scoring a
programme), ``catalogs`` (directions, categories, forms of work), ``plan`` (outcomes and
templates), ``people`` (young specialists without a mentor).
"""

from __future__ import annotations

from .errors import MonitoringError

__all__ = ["MonitoringError"]
