"""`detente eval`: score the pipeline on the public gold data in ``../shared/eval`` and the team's sets.

Every set is optional: one that is not on disk is reported as skipped. Test splits are for
reporting; tune on train/dev splits only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.cluster.signature import ProfileSetup
from detente.doc import Article
from detente.evaluate import bsnlp, wikidata
from detente.evaluate.events import Band, calibration, score_events
from detente.evaluate.factrueval import read_factrueval
from detente.evaluate.metrics import f1
from detente.evaluate.ner import TYPES, NerDoc, NerScore, predicted_spans, read_brat, read_iob
from detente.kb.base import default_kb
from detente.output import event_dict
from detente.pipeline import Pipeline, default_pipeline


@dataclass
class Result:
    """One row of the evaluation table."""

    task: str
    dataset: str
    lang: str
    docs: int
    precision: float
    recall: float
    f1: float
    seconds: float
    detail: dict[str, float] = field(default_factory=dict)
    skipped: str | None = None
    confusion: dict[str, dict[str, int]] | None = None  # NER: gold type → predicted type → count
    bands: list[Band] | None = None  # events, "all" row: how often each confidence band is right

    @property
    def docs_per_second(self) -> float:
        """Documents processed per second."""
        return self.docs / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class NerSet:
    """A public NER test set: where it is and how to read it."""

    name: str
    lang: str
    path: str
    reader: Callable[[Path], Iterator[NerDoc]]


NER_SETS = {
    "nerel": NerSet("NEREL v1.1 test", "ru", "nerel/NEREL-v1.1/test", read_brat),
    "nerel-dev": NerSet("NEREL v1.1 dev", "ru", "nerel/NEREL-v1.1/dev", read_brat),
    "ner-uk": NerSet("NER-UK 2.0 test", "uk", "ner-uk/v2.0/test.iob", read_iob),
    "ner-uk-nested": NerSet("NER-UK 2.0 test (brat, nested)", "uk", "ner-uk/v2.0/test", read_brat),
    "ner-uk-dev": NerSet("NER-UK 2.0 dev (brat; the uk tagger trains on it)", "uk", "ner-uk/v2.0/dev", read_brat),
    "kaznerd": NerSet("KazNERD test", "kk", "kaznerd/IOB2_test.txt", read_iob),
    "kaznerd-dev": NerSet("KazNERD valid", "kk", "kaznerd/IOB2_valid.txt", read_iob),
    "factrueval": NerSet("factRuEval-2016 test", "ru", "factrueval2016/testset", read_factrueval),
}
# linking sets: BSNLP topics (report / tune) and NEREL's Wikidata links (test split)
BSNLP_SETS = {"bsnlp": ("BSNLP test", bsnlp.TEST_TOPICS), "bsnlp-dev": ("BSNLP dev", bsnlp.TUNE_TOPICS)}
NEREL_LINK_SETS = {"nerel-link": ("NEREL v1.1 test links", "nerel/NEREL-v1.1/test")}
# the team's story sets under samples/stories (clustering: B-cubed, pairwise, cross-lingual, reprints)
STORY_SETS = {"stories-dev": "dev", "stories-held-out": "held_out"}


def run_ner(spec: NerSet, data: Path, pipe: Pipeline, limit: int | None = None) -> Result:
    """Score the pipeline's proper-name entities on one NER set."""
    path = data / spec.path
    if not path.exists():
        return Result("ner", spec.name, spec.lang, 0, 0, 0, 0, 0, skipped=f"{path} not found")
    score = NerScore()
    t0 = time.perf_counter()
    n = 0
    for doc in spec.reader(path):
        if limit is not None and n >= limit:
            break
        processed = pipe.process(Article(text=doc.text, name=doc.name, lang=spec.lang))
        score.add(doc.spans, predicted_spans(e.as_dict() for e in processed.entities))
        n += 1
    p, r, f = score.prf()
    detail = {t: score.prf(t)[2] for t in TYPES}
    return Result("ner", spec.name, spec.lang, n, p, r, f, time.perf_counter() - t0, detail,
                  confusion=score.confusion_table())


def run_bsnlp(name: str, topics: tuple[str, ...], data: Path, pipe: Pipeline,
              limit: int | None = None) -> list[Result]:
    """Score BSNLP topics: a row per topic and the micro average; P/R/F1 are the cross-lingual pairwise scores.

    ``limit`` is the number of documents per topic and language.
    """
    root = data / "bsnlp"
    if not root.is_dir():
        return [Result("link", name, "ru+uk", 0, 0, 0, 0, 0, skipped=f"{root} not found")]
    total = bsnlp.TopicScore("micro")
    rows = []
    t_all = time.perf_counter()
    for topic in topics:
        t0 = time.perf_counter()
        score = bsnlp.score_topic(root, topic, pipe.process, limit)
        total.merge(score)
        n = sum(score.docs.values())
        if not n:
            rows.append(Result("link", f"{name}: {topic}", "ru+uk", 0, 0, 0, 0, 0,
                               skipped=f"{root / topic} has no annotated documents"))
            continue
        p, r, f = score.pair_prf()
        rows.append(Result("link", f"{name}: {topic}", "ru+uk", n, p, r, f, time.perf_counter() - t0,
                           score.detail()))
    p, r, f = total.pair_prf()
    rows.append(Result("link", f"{name} (micro)", "ru+uk", sum(total.docs.values()), p, r, f,
                       time.perf_counter() - t_all, total.detail()))
    return rows


def run_nerel_link(name: str, path: Path, pipe: Pipeline, limit: int | None = None,
                   mapping: dict[str, str] | None = None) -> Result:
    """Score KB links against NEREL's Wikidata links through the KB id → QID mapping.

    P = correct / covered mentions with a mapped KB id at their span; R = correct / covered mentions
    (the accuracy); detail: coverage of the gold QID-linked mentions and of the distinct QIDs.
    """
    mapping = wikidata.load_mapping() if mapping is None else mapping
    if not path.exists():
        return Result("link", name, "ru", 0, 0, 0, 0, 0, skipped=f"{path} not found")
    if not mapping:
        return Result("link", name, "ru", 0, 0, 0, 0, 0,
                      skipped="no KB → Wikidata mapping (run tools/build_wikidata.py)")
    score = wikidata.LinkScore()
    t0 = time.perf_counter()
    n = 0
    for doc in wikidata.read_links(path):
        if limit is not None and n >= limit:
            break
        processed = pipe.process(Article(text=doc.text, name=doc.name, lang="ru"))
        score.add(doc.links, wikidata.linked_spans(processed.entities), mapping)
        n += 1
    p, r = score.precision, score.accuracy
    f = f1(p, r)
    detail = {"accuracy": score.accuracy, "coverage": score.coverage, "name coverage": score.name_coverage,
              "entity coverage": score.entity_coverage, "covered": float(score.covered),
              "gold links": float(score.mentions)}
    return Result("link", name, "ru", n, p, r, f, time.perf_counter() - t0, detail)


def run_events(name: str, folders: list[tuple[Path, Path]], pipe: Pipeline) -> list[Result]:
    """Score events on gold files in the seeds' format, each ``(gold, texts)``: articles are files under ``texts``."""
    from detente.ingest import IngestError, read_paths

    missing = [str(g) for g, _ in folders if not g.exists()]
    if missing or not folders:
        return [Result("events", name, "-", 0, 0, 0, 0, 0, skipped=f"{', '.join(missing) or name} not found")]
    gold = [json.loads(line) for g, _ in folders for line in g.read_text(encoding="utf-8").splitlines() if line.strip()]
    lang_of = {Path(str(g.get("file") or g["id"])).stem: str(g.get("lang") or "-") for g in gold}
    paths = sorted(p for _, texts in folders for p in texts.iterdir() if p.stem in lang_of and p.suffix == ".txt")
    preds: list[dict[str, Any]] = []
    spent: dict[str, float] = {}  # seconds of processing per gold language, so speed is per language
    for item in read_paths(paths):
        if isinstance(item, IngestError):
            continue
        t0 = time.perf_counter()
        doc = pipe.process(item)
        lang = lang_of.get(Path(item.name).stem, "-")
        spent[lang] = spent.get(lang, 0.0) + time.perf_counter() - t0
        preds.extend(dict(event_dict(doc, ev)) for ev in doc.events)
    out = []
    for lang, score in sorted(score_events(gold, preds).items()):
        p, r, f = score.prf()
        docs = score.counts["articles"]
        seconds = sum(spent.values()) if lang == "all" else spent.get(lang, 0.0)
        out.append(Result("events", name, lang, docs, p, r, f, seconds,
                          {"date": score.accuracy("date"), "modality": score.accuracy("modality")},
                          bands=calibration(gold, preds) if lang == "all" else None))
    return out


def run_stories(name: str, folder: Path, pipe: Pipeline, setup: ProfileSetup) -> Result:
    """Score ``detente stories`` on a story set: B-cubed P/R/F1 in the row, the other scores in its details."""
    from detente.evaluate import stories
    from detente.output import article_dict

    if not any(stories.article_files(folder)):
        return Result("stories", name, "-", 0, 0, 0, 0, 0, skipped=f"{folder} not found")
    t0 = time.perf_counter()
    s, cluster_seconds = stories.run(folder, lambda a: article_dict(pipe.process(a)), setup)
    p, r, f = s.bcubed
    detail = {"pairwise F1": s.pairwise[2], "cross-lingual pair recall": s.cross_lingual_recall,
              "reprint recall": s.reprint_recall, "stories merged": float(len(s.merged)),
              "confusable pairs merged": float(len(s.confusable_merged)),
              "clustering seconds": cluster_seconds,
              **{f"baseline F1 ({name})": f for name, f in s.baselines.items()}}
    return Result("stories", name, "all", s.articles, p, r, f, time.perf_counter() - t0, detail)


NEWS_PARTS = ("train", "dev", "held_out")


def news_folders(repo: Path, part: str) -> list[tuple[Path, Path]]:
    """``(gold, texts)`` of one part (train, dev, held_out) of every language under ``samples/news``."""
    news = repo / "samples" / "news"
    langs = sorted(p for p in news.iterdir() if p.is_dir()) if news.is_dir() else []
    return [(d / part / "gold.jsonl", d / part) for d in langs if (d / part).is_dir()]


def run_all(data: Path, repo: Path, sets: list[str], limit: int | None = None,
            progress: Callable[[str], None] | None = None) -> list[Result]:
    """Run the chosen sets: NER set names, linking sets (``bsnlp``, ``bsnlp-dev``, ``nerel-link``), events
    (``seeds``, ``dev``, ``held-out``, ``news-train``, ``news-dev``, ``news-held-out``) and stories
    (``stories-dev``, ``stories-held-out``)."""
    pipe = default_pipeline()
    results: list[Result] = []
    event_sets = {
        "seeds": [(data.parent / "seeds" / "gold.jsonl", data.parent / "seeds")],
        "dev": [(repo / "samples" / "gold.jsonl", repo / "samples")],
        "held-out": [(repo / "samples" / "held_out" / "gold.jsonl", repo / "samples" / "held_out")],
        **{f"news-{part.replace('_', '-')}": news_folders(repo, part) for part in NEWS_PARTS},
    }
    for name in sets:
        if progress:
            progress(name)
        if name in NER_SETS:
            results.append(run_ner(NER_SETS[name], data, pipe, limit))
        elif name in BSNLP_SETS:
            title, topics = BSNLP_SETS[name]
            results.extend(run_bsnlp(title, topics, data, pipe, limit))
        elif name in NEREL_LINK_SETS:
            title, rel = NEREL_LINK_SETS[name]
            results.append(run_nerel_link(title, data / rel, pipe, limit))
        elif name in event_sets:
            results.extend(run_events(name, event_sets[name], pipe))
        elif name in STORY_SETS:
            folder = repo / "samples" / "stories" / STORY_SETS[name]
            results.append(run_stories(name, folder, pipe, ProfileSetup.build(default_kb())))
        else:
            known = ", ".join([*NER_SETS, *BSNLP_SETS, *NEREL_LINK_SETS, *event_sets, *STORY_SETS])
            raise ValueError(f"unknown evaluation set {name!r}: choose from {known}")
    return results
