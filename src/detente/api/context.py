"""What every route and page shares: settings, the store, the queries, the plugins."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

from detente.kb.base import default_kb
from detente.query import Queries
from detente.store.db import Store

if TYPE_CHECKING:
    from detente.api.renderers import Renderer


@dataclass(slots=True)
class Settings:
    """Server settings; the defaults come from the environment (``DETENTE_DB``, ``DETENTE_TOKEN`` ...)."""

    db: str | None = None
    token: str | None = field(default_factory=lambda: os.environ.get("DETENTE_TOKEN") or None)
    private: bool = field(default_factory=lambda: os.environ.get("DETENTE_PRIVATE", "") not in ("", "0", "false"))
    test_mode: bool = field(default_factory=lambda: bool(os.environ.get("DETENTE_TEST_MODE")))
    page_size: int = 50


@dataclass
class AppContext:
    """The shared state of one app: built once in :func:`detente.api.app.create_app`."""

    settings: Settings
    store: Store
    pm: pluggy.PluginManager
    renderers: dict[str, Renderer] = field(default_factory=dict)
    _queries: Queries | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def queries(self) -> Queries:
        """The read queries (the KB is loaded on first use)."""
        if self._queries is None:
            with self._lock:
                if self._queries is None:
                    self._queries = Queries(self.store, default_kb())
        return self._queries

    def process(self, record: dict[str, Any]) -> dict[str, Any]:
        """Run the pipeline on one article record (models load on first use, once per process)."""
        from detente.pipeline import process_batch

        with self._lock:  # one article at a time: the pipeline's models are not shared between threads
            return process_batch([record])[0]
