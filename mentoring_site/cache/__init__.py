"""Public answers as cheap as a static file once built (issue 13).

- ``stamp``: the data version (``datastamp``) and the next moment a rule turns by itself:
  what every public answer depends on besides the request; a per-stamp memo for values
  that are the same for every request under it (:func:`memo`);
- ``store``: where answers are kept (in-process, bounded in bytes; or the host's cache);
- ``responses``: the hooks that answer from the cache and store fresh answers, and the
  Cache-Control contract for shared caches (docs/ARCHITECTURE.md, «Decisions»);
- ``wsgi``: the hit path before Flask, a middleware replaying answers as they were sent.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata as package_metadata

from flask import Flask

from .responses import answer_from_cache, finish, keep_at_most, shared_cache_control
from .stamp import StampKeeper, current, memo
from .store import MemoryStore, make_store

__all__ = ["MemoryStore", "current", "forget", "install", "keep_at_most", "memo",
           "shared_cache_control"]


@functools.cache
def _version() -> str:
    """The installed version, read once per process (reading the metadata costs ~10 ms)."""
    try:
        return package_metadata.version("mentoring-site")
    except package_metadata.PackageNotFoundError:
        return "?"


def _prefix(app: Flask) -> str:
    """What tells this app's entries apart in a cache shared with other apps or versions."""
    version = _version()
    settings = sorted((k, repr(v)) for k, v in app.config.items()
                      if k.startswith(("MENTORING_", "MUNICIPAL_"))
                      and isinstance(v, str | int | float | bool | type(None)))
    raw = repr((version, app.import_name, settings)).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:12]


def install(app: Flask) -> None:
    """The stamp keeper and the store on the app's state, and the two hooks. The lookup
    is the first of the section's ``before_request`` hooks; the store hook is registered
    after ``security.compress`` so that it runs before it."""
    state = app.extensions["mentoring"]
    state.stamps = StampKeeper()
    state.responses = make_store(app.config)
    state.cache_prefix = _prefix(app)
    app.before_request(answer_from_cache)
    app.after_request(finish)


def forget(app: Flask) -> None:
    """Settings changed after the app started (a test, a host re-configuring at run time):
    every stored answer and per-stamp value is forgotten, the key's prefix made anew and the
    WSGI replay decided again at the next request. Settings are otherwise read once, at
    ``init_app``, like the rest of the section's."""
    state = app.extensions["mentoring"]
    state.stamps = StampKeeper()
    state.responses = make_store(app.config)
    state.cache_prefix = _prefix(app)
    state.replay_on = None
    state.urls.clear()
