"""What every route and page shares: settings, the store, the queries, the plugins."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing as mp
import os
import signal
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import pluggy
from fastapi import Depends, Request

from detente.ingest.reader import DEFAULT_MAX_CHARS
from detente.kb.base import default_kb
from detente.query import Queries
from detente.records import InputRecord, ProcessedRecord
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
    #: the longest article text POST /api/articles takes, in characters (as ``detente ingest --max-chars``)
    max_chars: int = field(default_factory=lambda: _env_int("DETENTE_MAX_CHARS", DEFAULT_MAX_CHARS))
    #: articles waiting for the pipeline beyond which a POST is answered 503 (busy)
    max_queue: int = field(default_factory=lambda: _env_int("DETENTE_MAX_QUEUE", 8))
    #: where submitted articles are processed: "process" (a worker process of its own, so a long article
    #: never holds the interpreter lock the reads need) or "thread" (this process; for tests and plugins)
    pipeline: str = field(default_factory=lambda: os.environ.get("DETENTE_PIPELINE", "process"))

    @property
    def body_limit(self) -> int:
        """The largest request body read, in bytes: the text limit with room for JSON escapes (6 bytes a character)."""
        return 6 * self.max_chars + 65_536


def process_one(record: InputRecord) -> ProcessedRecord:
    """Run the pipeline on one article record in this process (models load on first use, once)."""
    from detente.pipeline import process_batch

    return process_batch([record])[0]


@functools.cache
def pipeline_process() -> Executor:
    """The worker process submitted articles are processed in: one per server, started on first use.

    It is a fresh interpreter (forkserver), not a fork of the server's threads; it only runs
    :func:`process_one` and never touches the store.
    """
    return ProcessPoolExecutor(1, mp_context=mp.get_context("forkserver"), initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole terminal's process group: the server shuts its worker down, not the key."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_pipeline_process() -> None:
    """Stop the pipeline process if one was started (when the server shuts down)."""
    if pipeline_process.cache_info().currsize:
        pipeline_process().shutdown(wait=True, cancel_futures=True)
        pipeline_process.cache_clear()


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


@dataclass
class AppContext:
    """The shared state of one app: built once in :func:`detente.api.app.create_app`."""

    settings: Settings
    store: Store
    pm: pluggy.PluginManager
    renderers: dict[str, Renderer] = field(default_factory=dict)
    _queries: Queries | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)  # the pipeline: one article at a time
    _queries_lock: threading.Lock = field(default_factory=threading.Lock)  # reads never wait on the pipeline
    _pipeline: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="detente-pipeline"))
    waiting: int = 0  # articles submitted and not processed yet

    @property
    def queries(self) -> Queries:
        """The read queries (the KB is loaded on first use)."""
        if self._queries is None:
            with self._queries_lock:
                if self._queries is None:
                    self._queries = Queries(self.store, default_kb())
        return self._queries

    def process(self, record: InputRecord) -> ProcessedRecord:
        """Run the pipeline on one article record in this process (models load on first use, once)."""
        with self._lock:  # one article at a time: the pipeline's models are not shared between threads
            return process_one(record)

    async def process_async(self, record: InputRecord) -> ProcessedRecord:
        """Process one article off the event loop: in the pipeline process, or the app's pipeline thread.

        Articles wait their turn in that executor's queue (not in the request thread pool the reads
        use), so reads go on meanwhile; in a process of its own, a long article does not even slow them.
        """
        self.waiting += 1
        try:
            loop = asyncio.get_running_loop()
            if self.settings.pipeline == "process":
                return await loop.run_in_executor(pipeline_process(), process_one, record)
            return await loop.run_in_executor(self._pipeline, self.process, record)
        finally:
            self.waiting -= 1


def request_context(request: Request) -> AppContext:
    """The app's context, for a route (``Ctx``) or a dependency that has the request."""
    ctx: AppContext = request.app.state.ctx
    return ctx


#: a route parameter that receives the app's context
Ctx = Annotated[AppContext, Depends(request_context)]
