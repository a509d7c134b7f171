"""Named pipeline stages and the batch entry point that every execution engine calls.

A stage is a callable ``Doc -> Doc`` with a ``name`` and the layers it ``requires`` and ``assigns``.
Stages are built once per process (models load once) and registered by name, so a user or a plugin
can replace one (``register_stage("link", lambda deps: MyLinker(deps.kb))``). A factory receives the
pipeline's :class:`Dependencies`: the knowledge base and the language registry, built once and shared
by every stage; no stage loads them itself.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from detente.doc import Article, Doc
from detente.kb.base import KnowledgeBase, default_kb
from detente.lang import Languages, default_languages
from detente.records import InputRecord, ProcessedRecord


class Stage(Protocol):
    """What every pipeline stage provides."""

    @property
    def name(self) -> str:
        """The stage's registered name."""
        ...

    @property
    def requires(self) -> tuple[str, ...]:
        """The layers the stage reads."""
        ...

    @property
    def assigns(self) -> tuple[str, ...]:
        """The layers the stage sets."""
        ...

    def __call__(self, doc: Doc) -> Doc:
        """Process one document."""
        ...


class PipelineError(RuntimeError):
    """A stage failed on a document; the message names the stage and the article."""


class Dependencies:
    """What stages are built from: the actor knowledge base and the registered languages."""

    def __init__(self, kb: KnowledgeBase | None = None, languages: Languages | None = None) -> None:
        self._kb = kb
        self.languages = languages if languages is not None else default_languages()

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base (the bundled one unless given), loaded on first use."""
        if self._kb is None:
            self._kb = default_kb()
        return self._kb


StageFactory = Callable[[Dependencies], Stage]
_REGISTRY: dict[str, StageFactory] = {}
DEFAULT_STAGES = ("segment", "langid", "morph", "ner", "link", "times", "quotes", "syntax", "events", "confidence")


def register_stage(name: str, factory: StageFactory) -> None:
    """Register (or replace) the factory that builds the stage called ``name``."""
    _REGISTRY[name] = factory


def _builtin_factories() -> None:
    from detente.events.coder import EventCoder
    from detente.events.quotes import QuoteFinder
    from detente.kb.linker import Linker
    from detente.learn.calibrate import CalibrateConfidence
    from detente.learn.stage import LearnedEvents
    from detente.nlp.langstage import LanguageTagger
    from detente.nlp.morph import MorphTagger
    from detente.nlp.ner import NameTagger
    from detente.nlp.segment import Segmenter
    from detente.nlp.syntax import SyntaxParser
    from detente.nlp.times import TimeTagger

    builtins: dict[str, StageFactory] = {
        "segment": lambda d: Segmenter(d.languages.codes),
        "langid": lambda d: LanguageTagger(languages=d.languages),
        "morph": lambda _d: MorphTagger(),
        "ner": lambda d: NameTagger(d.kb),
        "link": lambda d: Linker(d.kb, d.languages),
        "times": lambda d: TimeTagger(d.languages.codes),
        "quotes": lambda _d: QuoteFinder(),
        "syntax": lambda _d: SyntaxParser(),
        "events": lambda d: EventCoder(d.kb),
        "confidence": lambda _d: CalibrateConfidence(),
        "learned": lambda _d: LearnedEvents(),  # opt-in: Pipeline.from_names([*DEFAULT_STAGES, "learned"])
    }
    for name, factory in builtins.items():
        _REGISTRY.setdefault(name, factory)


@dataclass
class Pipeline:
    """An ordered list of stages; checks that each stage's requirements are set before it."""

    stages: list[Stage]

    @classmethod
    def from_names(cls, names: Iterable[str] = DEFAULT_STAGES, deps: Dependencies | None = None) -> Pipeline:
        """Build a pipeline from registered stage names, every stage from the same ``deps``."""
        _builtin_factories()
        deps = deps or Dependencies()
        stages = []
        for name in names:
            if name not in _REGISTRY:
                raise PipelineError(f"unknown pipeline stage {name!r}: known stages are {', '.join(sorted(_REGISTRY))}")
            stages.append(_REGISTRY[name](deps))
        pipe = cls(stages)
        pipe.check()
        return pipe

    def check(self) -> None:
        """Raise :class:`PipelineError` when a stage needs a layer no earlier stage sets."""
        have: set[str] = set()
        for stage in self.stages:
            missing = [r for r in getattr(stage, "requires", ()) if r not in have and r.split(".")[0] not in have]
            if missing:
                raise PipelineError(f"stage {stage.name!r} needs {', '.join(missing)}, which no earlier stage sets")
            have.update(getattr(stage, "assigns", ()))
            have.update(a.split(".")[0] for a in getattr(stage, "assigns", ()))

    def __call__(self, doc: Doc) -> Doc:
        """Run every stage on ``doc``."""
        for stage in self.stages:
            try:
                doc = stage(doc)
            except Exception as exc:  # a stage bug must name the stage and article, then go up
                raise PipelineError(f"stage {stage.name!r} failed on {doc.name or doc.article_id}: {exc!r}") from exc
            doc.stages.append(stage.name)
        return doc

    def process(self, article: Article) -> Doc:
        """Run the pipeline on one article."""
        return self(Doc.from_article(article))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Doc]:
        """Run the pipeline over a stream of articles."""
        for article in articles:
            yield self.process(article)


@functools.cache
def default_pipeline() -> Pipeline:
    """The default pipeline, built once per process."""
    return Pipeline.from_names()


def process_batch(records: list[InputRecord]) -> list[ProcessedRecord]:
    """Process article records (``text``, ``name``, ``published`` ...) into annotated records.

    This is the only function an execution engine calls; workers never write to the database.
    A record that fails comes back with an ``error`` field instead of layers.
    """
    from detente.output import article_record, record_to_article

    pipe = default_pipeline()
    out: list[ProcessedRecord] = []
    for rec in records:
        t0 = time.perf_counter()
        try:
            doc = pipe.process(record_to_article(rec))
        except PipelineError as exc:
            out.append({"article": rec.get("name"), "error": str(exc)})
            continue
        result = article_record(doc)
        result["seconds"] = round(time.perf_counter() - t0, 4)
        out.append(result)
    return out
