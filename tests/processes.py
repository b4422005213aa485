"""Child processes for the concurrency tests, forked from a server that imported the section once.

Why: with "spawn" every child started from nothing and imported Flask, SQLAlchemy, the section
and the test helpers again: two to three CPU-seconds a child, four children a test. A fork
server (multiprocessing's "forkserver") imports them once per test process and forks each
child from itself: like spawn, a child inherits none of the test process's threads, open
connections or app state, only the imported modules.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

PRELOAD = ["tests.conftest", "mentoring_site.editing", "mentoring_site.transfer"]


def context() -> BaseContext:
    """A multiprocessing context whose children are forked from the preloaded server."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx
