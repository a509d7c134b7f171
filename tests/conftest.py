"""Shared fixtures: the pipeline is built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.doc import Article, Doc
from detente.ingest import read_paths
from detente.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "samples" / "seeds"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The default pipeline."""
    return Pipeline.from_names()


def read_article(path: Path) -> Article:
    """Read one article file through the ingest layer."""
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


@pytest.fixture(scope="session")
def seed_docs(pipeline: Pipeline) -> dict[str, Doc]:
    """Both seed articles, processed."""
    return {p.stem: pipeline.process(read_article(p)) for p in sorted(SEEDS.glob("*.txt"))}


WEB_SAMPLES = ("ru_01.txt", "uk_01.txt", "kk_01.txt", "en_01.txt", "en_02.txt")


@pytest.fixture(scope="session")
def web_records() -> list[dict[str, Any]]:
    """The two seeds and five development articles (one or two per language), processed."""
    from detente.output import article_to_record
    from detente.pipeline import process_batch

    files = sorted(SEEDS.glob("*.txt")) + [ROOT / "samples" / name for name in WEB_SAMPLES]
    records = [dict(rec) for rec in process_batch([article_to_record(read_article(p)) for p in files])]
    assert all("error" not in rec for rec in records), records
    return records


def fill_store(db: str, records: list[dict[str, Any]]) -> None:
    """Store ``records`` in the store at ``db`` (not placed in stories)."""
    from detente.store.db import Store

    store = Store(db)
    for rec in records:
        store.save(rec)  # type: ignore[arg-type]
    store.engine.dispose()


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory, web_records: list[dict[str, Any]]) -> Path:
    """A SQLite store holding :func:`web_records`."""
    path = tmp_path_factory.mktemp("web") / "web.db"
    fill_store(str(path), web_records)
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL server on loopback (its base URL); the session fails if it cannot start."""
    from .pg import PostgresUnavailable, server

    try:
        with server() as base:
            yield base
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL is needed for the store tests and did not start: {exc}")


@pytest.fixture(scope="session")
def web_pg(postgres: str, web_records: list[dict[str, Any]]) -> str:
    """A PostgreSQL store holding the same :func:`web_records` as :func:`web_db`."""
    from .pg import new_database

    url = new_database(postgres)
    fill_store(url, web_records)
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def any_web_db(request: pytest.FixtureRequest) -> str:
    """:func:`web_db` and then :func:`web_pg`: tests that take it run on both backends."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("web_db"))
    return str(request.getfixturevalue("web_pg"))
