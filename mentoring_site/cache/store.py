"""Where cached answers are kept: in this process (bounded in bytes), or the host's cache.

``MENTORING_RESPONSE_CACHE``: ``True`` keeps them in the worker's memory, at most
``MENTORING_RESPONSE_CACHE_BYTES`` per app, least recently used first out; any object with
``get(key)`` and ``set(key, value)`` (a host's Flask-Caching ``Cache``, over Redis say) is
used as it is, so workers share one copy; ``False`` keeps nothing. Keys carry the data
version, so an old entry is never read again: it is simply pushed out (or expires in the
host's cache by its own rules).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Entry:
    """One stored answer: its plain body, its gzip form (made once, when worth it), the
    headers a view and the blueprints' hooks gave it, and its validators."""

    body: bytes
    gzipped: bytes | None
    headers: tuple[tuple[str, str], ...]
    etag: str  # strong, unquoted
    last_modified: int  # seconds since 1970
    expires: float | None = None  # seconds since 1970; None: as long as the key lives
    #: made by reading a session the request did not bring (a host's layout asking for its
    #: user, who is anonymous then): the answer only to requests that bring none either
    cookieless: bool = False

    @property
    def size(self) -> int:
        return (len(self.body) + len(self.gzipped or b"")
                + sum(len(k) + len(v) for k, v in self.headers) + 200)


class Backend(Protocol):
    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> Any: ...


class MemoryStore:
    """A thread-safe LRU of entries, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max(max_bytes // 8, 1)
        self._items: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def set(self, key: str, entry: Entry) -> None:
        size = entry.size + len(key)
        if size > self.max_entry:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.size + len(key)
            self._items[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                gone_key, gone = self._items.popitem(last=False)
                self._bytes -= gone.size + len(gone_key)

    @property
    def stored_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def make_store(config) -> Backend | None:
    """The backend the settings ask for, or None when the cache is off."""
    setting = config["MENTORING_RESPONSE_CACHE"]
    if setting is False:
        return None
    if setting is True:
        return MemoryStore(config["MENTORING_RESPONSE_CACHE_BYTES"])
    return setting  # the host's cache object, checked by config.validate
