"""Shared fixtures: the pipeline is built once per test session."""

from __future__ import annotations

from pathlib import Path

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
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the two seeds and five development articles (one or two per language)."""
    from detente.output import article_to_record
    from detente.pipeline import process_batch
    from detente.store.db import Store

    path = tmp_path_factory.mktemp("web") / "web.db"
    store = Store(str(path))
    files = sorted(SEEDS.glob("*.txt")) + [ROOT / "samples" / name for name in WEB_SAMPLES]
    for rec in process_batch([article_to_record(read_article(p)) for p in files]):
        assert "error" not in rec, rec
        store.save(rec)
    store.engine.dispose()
    return path
