"""The one error monitoring raises; a ``LifecycleError`` so the admin's actions show it as is."""

from __future__ import annotations

from ..lifecycle import LifecycleError


class MonitoringError(LifecycleError):
    """A monitoring rule would be broken; the message (Russian) says which and what to do."""
