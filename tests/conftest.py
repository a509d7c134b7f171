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
