"""Scores of story clustering: B-cubed and pairwise P/R/F1, cross-lingual pair recall, reprint recall.

The gold is one line per article, ``{"id", "story", "duplicate_of"}``, beside an ``articles.jsonl`` of
the articles (``id``, ``published``, ``title``, ``outlet``, ``lang``, ``text``) and a ``confusable.json``
of story pairs that must stay apart; every folder under a set holding them is read.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from detente.cluster.signature import ProfileSetup
from detente.doc import Article
from detente.evaluate.metrics import f1, prf
from detente.records import ArticleRecord

BASELINE_DAYS = 3  # the dates baseline: a gap of more days starts a new story


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One article's gold: its story, the article it reprints, its language."""

    story: str
    duplicate_of: str | None
    lang: str | None


@dataclass
class StoryScore:
    """Clustering scores of one set (every figure 0-1) and the gold stories it merged."""

    bcubed: tuple[float, float, float]
    pairwise: tuple[float, float, float]
    cross_lingual_recall: float
    reprint_recall: float
    articles: int
    merged: list[tuple[str, str]] = field(default_factory=list)
    confusable_merged: list[tuple[str, str]] = field(default_factory=list)
    baselines: dict[str, float] = field(default_factory=dict)  # B-cubed F1 of trivial groupings


def read_gold(folder: Path) -> dict[str, GoldArticle]:
    """The gold of every ``gold.jsonl`` under ``folder`` (languages from the ``articles.jsonl`` beside it)."""
    out: dict[str, GoldArticle] = {}
    for gold in sorted(folder.rglob("gold.jsonl")):
        langs = {}
        arts = gold.with_name("articles.jsonl")
        if arts.exists():
            for line in arts.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    obj = json.loads(line)
                    langs[str(obj["id"])] = obj.get("lang")
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                out[str(g["id"])] = GoldArticle(str(g["story"]), g.get("duplicate_of"), langs.get(str(g["id"])))
    return out


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pairs(labels: Mapping[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = {}
    for name, lab in labels.items():
        by.setdefault(lab, []).append(name)
    return {_ordered(a, b) for members in by.values() for a, b in combinations(members, 2)}


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``pred`` (article -> cluster) against ``gold`` over gold's articles."""
    names = [n for n in gold if n in pred]
    if not names:
        return 0.0, 0.0, 0.0
    gsets: dict[str, set[str]] = {}
    psets: dict[str, set[str]] = {}
    for n in names:
        gsets.setdefault(gold[n], set()).add(n)
        psets.setdefault(pred[n], set()).add(n)
    p = r = 0.0
    for n in names:
        both = len(gsets[gold[n]] & psets[pred[n]])
        p += both / len(psets[pred[n]])
        r += both / len(gsets[gold[n]])
    p, r = p / len(names), r / len(names)
    return p, r, f1(p, r)


def read_confusable(folder: Path) -> set[tuple[str, str]]:
    """The confusable story pairs of every ``confusable.json`` (a list of two-label lists) under ``folder``."""
    out: set[tuple[str, str]] = set()
    for path in sorted(folder.rglob("confusable.json")):
        out.update(_ordered(str(a), str(b)) for a, b in json.loads(path.read_text(encoding="utf-8")))
    return out


def _copies(a: str, b: str, duplicates: Mapping[str, str | None]) -> bool:
    """True when the prediction makes ``a`` and ``b`` copies of one text, whichever it takes for the original.

    Copies published on one day come in no knowable order, so the direction is not scored.
    """
    root_a, root_b = duplicates.get(a) or a, duplicates.get(b) or b
    return a != b and root_a == root_b


def score(gold: Mapping[str, GoldArticle], stories: Mapping[str, str],
          duplicates: Mapping[str, str | None], confusable: set[tuple[str, str]] | None = None) -> StoryScore:
    """Score predicted ``stories`` (article -> label) and ``duplicates`` (article -> the article it copies).

    ``confusable`` pairs of gold stories (the same actors and kind of event, another happening) that
    share a predicted story are listed apart from the other merges.
    """
    names = [n for n in gold if n in stories]
    g = {n: gold[n].story for n in names}
    p = {n: stories[n] for n in names}
    gp, pp = _pairs(g), _pairs(p)
    tp = len(gp & pp)
    cross = [pair for pair in gp if gold[pair[0]].lang != gold[pair[1]].lang]
    reprints = [n for n in names if gold[n].duplicate_of]
    found = [n for n in reprints if _copies(n, str(gold[n].duplicate_of), duplicates)]
    merged = sorted({_ordered(g[a], g[b]) for a, b in pp - gp})
    return StoryScore(bcubed(g, p), prf(tp, len(pp) - tp, len(gp) - tp),
                      sum(1 for pair in cross if pair in pp) / len(cross) if cross else 1.0,
                      len(found) / len(reprints) if reprints else 1.0, len(names), merged,
                      [pair for pair in merged if pair in (confusable or set())])


def article_files(folder: Path) -> Iterable[Path]:
    """The ``articles.jsonl`` files of a story set."""
    return sorted(folder.rglob("articles.jsonl"))


def _baselines(records: list[ArticleRecord], countries: Collection[str], corpus: int) -> dict[str, dict[str, str]]:
    """Two trivial groupings of one corpus: a story per run of articles at most 3 days apart (in date
    order), and a story per set of countries named."""
    by_dates: dict[str, str] = {}
    run_no, last = 0, None
    for r in sorted(records, key=lambda r: (r["published"] is None, r["published"] or "")):
        day = dt.date.fromisoformat(r["published"]) if r["published"] else None
        if last is not None and (day is None or (day - last).days > BASELINE_DAYS):
            run_no += 1
        last = day
        by_dates[r["article"]] = f"{corpus}:{run_no}"
    by_countries = {r["article"]: f"{corpus}:" + ",".join(sorted({str(e.get("kb_id")) for e in r["entities"]
                                                                  if e.get("kb_id") in countries}))
                    for r in records}
    return {"dates within 3 days": by_dates, "same countries": by_countries}


def run(folder: Path, process: Callable[[Article], ArticleRecord],
        setup: ProfileSetup) -> tuple[StoryScore, float]:
    """Process the articles of a story set, build stories and score them; also the seconds the stories took.

    Each ``articles.jsonl`` of the set is a corpus of its own, grouped apart from the others (sets written
    by different helpers may invent look-alike happenings on the same days, which no gold relates); the
    scores are over all of them, with the B-cubed F1 of two trivial groupings beside them
    (:attr:`StoryScore.baselines`). ``setup`` holds what profiles are read with
    (:meth:`detente.cluster.signature.ProfileSetup.build`).
    """
    from detente.cluster.signature import profile
    from detente.cluster.stories import assign
    from detente.ingest import read_paths

    stories: dict[str, str] = {}
    duplicates: dict[str, str | None] = {}
    trivial: dict[str, dict[str, str]] = {}
    seconds = 0.0
    for k, path in enumerate(article_files(folder)):
        records = [process(a) for a in read_paths([path]) if isinstance(a, Article)]
        t0 = time.perf_counter()
        got = assign(profile(r, setup) for r in records)
        seconds += time.perf_counter() - t0
        stories.update({a.name: f"{k}:{a.story}" for a in got})
        duplicates.update({a.name: a.duplicate_of for a in got})
        for name, labels in _baselines(records, setup.countries, k).items():
            trivial.setdefault(name, {}).update(labels)
    gold = read_gold(folder)
    result = score(gold, stories, duplicates, read_confusable(folder))
    g = {n: a.story for n, a in gold.items()}
    result.baselines = {name: bcubed(g, labels)[2] for name, labels in trivial.items()}
    return result, seconds
