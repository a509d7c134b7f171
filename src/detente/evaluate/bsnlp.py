"""BSNLP shared-task data (ru, uk): document-level NER, base forms and cross-lingual entity matching.

Layout (``../shared/eval/bsnlp/<topic>``): ``raw/<lang>/*.txt`` hold the articles (line 1 the document
id, line 2 the language, line 3 the date, line 4 the URL, line 5 the title, then the body) and
``annotated/<lang>/*`` the gold (line 1 the document id, then one line per distinct mention form in
the document: ``surface<TAB>base form<TAB>type<TAB>cross-lingual id``). The annotation has no offsets,
so a gold mention is *found* when a predicted proper-name entity has the same text (whitespace
normalised; case-sensitive first, else case-insensitive).

Scores per topic: the share of gold mentions found; doc-level NER (PER/ORG/LOC forms once per
document, case-insensitive); base-form accuracy over found mentions — of the pipeline's
``Entity.lemma`` (the token lemmas joined) and of :func:`base_form` of the entity text (the whole
phrase in the nominative); and pairwise cross-lingual linking: over the gold ids found in both the
ru and the uk gold of a topic, every (ru, uk) pair of found mentions is gold-positive when the gold
ids agree and predicted-positive when the predicted ids agree (the KB id when linked, else
``nil:`` + the language-neutral :func:`skeleton` of the entity's lemma). "F1 capitals apart" is the
same score with a capital that the linker resolves to its country ("Лондон" → the UK, for its
government) kept apart from the country: BSNLP ids name the city. "R end-to-end" is the pairwise
recall over the pairs of all gold mentions, found or not.

Tune on ``ec``, ``trump``, ``asia_bibi``, ``brexit``; report on ``nord_stream``, ``ryanair``.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from detente.doc import Article, Doc, Entity
from detente.evaluate.baseforms import base_form
from detente.evaluate.metrics import prf
from detente.text import norm

TUNE_TOPICS = ("ec", "trump", "asia_bibi", "brexit")
TEST_TOPICS = ("nord_stream", "ryanair")
LANGS = ("ru", "uk")
NER_TYPES = ("PER", "ORG", "LOC")


# ---- reading -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldMention:
    """One annotation line: a distinct surface form in a document."""

    form: str
    base: str
    type: str
    xid: str


@dataclass
class BsnlpDoc:
    """One article with its document-level gold."""

    topic: str
    lang: str
    doc_id: str
    text: str
    title: str = ""
    url: str | None = None
    published: dt.date | None = None
    mentions: list[GoldMention] = field(default_factory=list)


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_date(value: str) -> dt.date | None:
    """The date at the start of an ISO date or timestamp ("2018-07-15", "2016-12-20T14:37:10Z"), else None."""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_raw(path: Path, topic: str = "", lang: str = "") -> BsnlpDoc:
    """Read one raw article; its text is the title line and the body, as in the file."""
    lines = _lines(path)
    while len(lines) < 5:
        lines.append("")
    title = lines[4].strip()
    text = "\n".join(lines[4:]).strip()
    url = lines[3].strip() or None
    return BsnlpDoc(topic, lang or lines[1].strip(), lines[0].strip(), text, title, url, parse_date(lines[2]))


def read_annotation(path: Path) -> tuple[str, list[GoldMention]]:
    """Read one annotation file: the document id and its mention lines."""
    lines = _lines(path)
    mentions = []
    for line in lines[1:]:
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 4 or not parts[0]:
            continue
        mentions.append(GoldMention(parts[0], parts[1], parts[2].upper(), parts[3]))
    return lines[0].strip(), mentions


def _natural(path: Path) -> tuple[str, int, str]:
    m = re.search(r"(\d+)\D*$", path.name)
    return (path.name[: m.start()] if m else path.name, int(m.group(1)) if m else -1, path.name)


def read_topic(root: Path, topic: str, lang: str, limit: int | None = None) -> list[BsnlpDoc]:
    """Read the annotated articles of one topic and language (at most ``limit``), raw and gold paired by id."""
    gold: dict[str, list[GoldMention]] = {}
    ann_dir = root / topic / "annotated" / lang
    if ann_dir.is_dir():
        for path in sorted(ann_dir.iterdir(), key=_natural):
            if path.is_file():
                doc_id, mentions = read_annotation(path)
                gold[doc_id] = mentions
    docs: list[BsnlpDoc] = []
    raw_dir = root / topic / "raw" / lang
    if not raw_dir.is_dir():
        return docs
    for path in sorted(raw_dir.iterdir(), key=_natural):
        if limit is not None and len(docs) >= limit:
            break
        if not path.is_file():
            continue
        doc = read_raw(path, topic, lang)
        if doc.doc_id in gold:
            doc.mentions = gold[doc.doc_id]
            docs.append(doc)
    return docs


def article(doc: BsnlpDoc) -> Article:
    """The pipeline's input for one BSNLP document."""
    return Article(text=doc.text, name=f"{doc.topic}/{doc.lang}/{doc.doc_id}", published=doc.published,
                   url=doc.url, title=doc.title or None, lang=doc.lang)


# ---- keys ----------------------------------------------------------------------------------------
_SKELETON = str.maketrans({"і": "и", "ї": "и", "ы": "и", "й": "и", "є": "е", "э": "е", "ё": "е", "ґ": "г",
                           "ь": None, "ъ": None, "'": None})
_PUNCT = re.compile(r"[^\w\s]|_")


def ws(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """The comparison key of a form: whitespace collapsed, lowercase, ё → е, one apostrophe (``kb.base.norm``)."""
    return norm(ws(text))


def skeleton(text: str) -> str:
    """A language-neutral key of a ru/uk name: :func:`fold`, then і/ї/и/ы/й → и, є/э → е, ґ → г, no ь/ъ/'.

    "Коболєв" and "Коболев", "Брексіт" and "Брексит" get one key; punctuation becomes a space.
    """
    return ws(_PUNCT.sub(" ", fold(text).translate(_SKELETON)))


# ---- base forms ----------------------------------------------------------------------------------
# The pipeline's Entity.lemma joins the lemmas of the phrase's tokens ("европейский комиссия"): a good
# matching key, not the phrase's base form that BSNLP gives ("Европейская комиссия"). base_form puts the
# phrase's agreement group (the adjectives before the head noun, the head, and for a person's name the
# name parts after it in the same case) into the nominative with pymorphy3, keeping the head's number,
# the head's gender on the adjectives and each word's capitalisation; words outside the group (a
# genitive complement: "МЗС Британії") stay as written.
@dataclass(frozen=True)
class Predicted:
    """What the scorer needs of one predicted proper-name entity."""

    text: str
    type: str
    kb_id: str | None
    lemma: str
    via: str = "name"

    @classmethod
    def of(cls, e: Entity) -> Predicted:
        """Take the fields of a pipeline entity (an outlet counts as ORG)."""
        return cls(e.text, "ORG" if e.type == "MEDIA" else e.type, e.kb_id, e.lemma, e.via)

    @property
    def key(self) -> str:
        """The predicted entity id: the KB id, else ``nil:`` + the skeleton of the lemma."""
        return self.kb_id or "nil:" + skeleton(self.lemma or self.text)

    @property
    def literal_key(self) -> str:
        """:attr:`key`, except that a capital linked to its country (metonymy: "Лондон" → UK) keeps a city id."""
        return self.key + "@capital" if self.kb_id and self.via == "capital" else self.key


def predicted_names(entities: Iterable[Entity]) -> list[Predicted]:
    """The proper-name mentions among a document's entities (descriptions and pronouns are left out)."""
    return [Predicted.of(e) for e in entities if e.mention == "name"]


def match(form: str, preds: Sequence[Predicted]) -> list[Predicted]:
    """The predicted entities whose text is ``form``: whitespace-normalised exact matches, else case-insensitive."""
    want = ws(form)
    exact = [p for p in preds if ws(p.text) == want]
    if exact:
        return exact
    low = want.casefold()
    return [p for p in preds if ws(p.text).casefold() == low]


def predicted_id(matches: Sequence[Predicted], literal: bool = False) -> str:
    """The id a found mention gets: the most frequent KB id among its matches, else the first match's nil key.

    With ``literal``, capitals linked to their country get ids of their own (:attr:`Predicted.literal_key`).
    """
    def key(p: Predicted) -> str:
        return p.literal_key if literal else p.key

    linked = collections.Counter(key(p) for p in matches if p.kb_id)
    if linked:
        return linked.most_common(1)[0][0]
    return key(matches[0])


def pairwise(ru: Sequence[tuple[str, str]], uk: Sequence[tuple[str, str]]) -> tuple[int, int, int]:
    """Count (ru, uk) pairs of (gold id, predicted id) mentions: both agree, predicted ids agree, gold ids agree."""
    ru_both = collections.Counter(ru)
    uk_both = collections.Counter(uk)
    ru_pred = collections.Counter(p for _, p in ru)
    uk_pred = collections.Counter(p for _, p in uk)
    ru_gold = collections.Counter(g for g, _ in ru)
    uk_gold = collections.Counter(g for g, _ in uk)
    tp = sum(n * uk_both[k] for k, n in ru_both.items())
    pred_pos = sum(n * uk_pred[k] for k, n in ru_pred.items())
    gold_pos = sum(n * uk_gold[k] for k, n in ru_gold.items())
    return tp, pred_pos, gold_pos


@dataclass
class TopicScore:
    """The counts of one topic (or of several, summed)."""

    topic: str
    docs: collections.Counter[str] = field(default_factory=collections.Counter)
    gold: int = 0
    found: int = 0
    lemma_ok: int = 0  # base_form(entity text) == gold base form
    tok_lemma_ok: int = 0  # Entity.lemma == gold base form
    ner: collections.Counter[str] = field(default_factory=collections.Counter)  # tp / fp / fn
    pairs: collections.Counter[str] = field(default_factory=collections.Counter)  # tp / pred / gold
    literal_pairs: collections.Counter[str] = field(default_factory=collections.Counter)  # capitals apart
    # per language: (gold id, predicted id, literal predicted id) of each found mention
    ids: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: {lang: [] for lang in LANGS})
    gold_ids: dict[str, set[str]] = field(default_factory=lambda: {lang: set() for lang in LANGS})
    # per language: the gold id of every gold mention, found or not (for the end-to-end recall)
    all_ids: dict[str, list[str]] = field(default_factory=lambda: {lang: [] for lang in LANGS})

    def add(self, doc: BsnlpDoc, preds: Sequence[Predicted]) -> None:
        """Count one document given its predicted proper-name entities."""
        self.docs[doc.lang] += 1
        for g in doc.mentions:
            self.gold += 1
            self.gold_ids.setdefault(doc.lang, set()).add(g.xid)
            self.all_ids.setdefault(doc.lang, []).append(g.xid)
            found = match(g.form, preds)
            if not found:
                continue
            self.found += 1
            self.lemma_ok += fold(base_form(found[0].text, doc.lang)) == fold(g.base)
            self.tok_lemma_ok += fold(found[0].lemma) == fold(g.base)
            self.ids.setdefault(doc.lang, []).append((g.xid, predicted_id(found), predicted_id(found, literal=True)))
        gold_ner = {(fold(g.form), g.type) for g in doc.mentions if g.type in NER_TYPES}
        pred_ner = {(fold(p.text), p.type) for p in preds if p.type in NER_TYPES}
        self.ner["tp"] += len(gold_ner & pred_ner)
        self.ner["fp"] += len(pred_ner - gold_ner)
        self.ner["fn"] += len(gold_ner - pred_ner)

    def close(self) -> None:
        """Count the cross-lingual pairs over the gold ids annotated in both languages."""
        shared = self.gold_ids.get("ru", set()) & self.gold_ids.get("uk", set())
        ru = [x for x in self.ids.get("ru", []) if x[0] in shared]
        uk = [x for x in self.ids.get("uk", []) if x[0] in shared]
        tp, pred_pos, gold_pos = pairwise([(g, p) for g, p, _ in ru], [(g, p) for g, p, _ in uk])
        self.pairs.update({"tp": tp, "pred": pred_pos, "gold": gold_pos, "shared": len(shared)})
        tp, pred_pos, gold_pos = pairwise([(g, p) for g, _, p in ru], [(g, p) for g, _, p in uk])
        self.literal_pairs.update({"tp": tp, "pred": pred_pos, "gold": gold_pos})
        every = {lang: [(g, g) for g in self.all_ids.get(lang, []) if g in shared] for lang in LANGS}
        self.pairs["all gold"] = pairwise(every["ru"], every["uk"])[2]

    def merge(self, other: TopicScore) -> None:
        """Add another (closed) topic's counts: the micro average over topics."""
        self.docs.update(other.docs)
        self.gold += other.gold
        self.found += other.found
        self.lemma_ok += other.lemma_ok
        self.tok_lemma_ok += other.tok_lemma_ok
        self.ner.update(other.ner)
        self.pairs.update(other.pairs)
        self.literal_pairs.update(other.literal_pairs)

    def pair_prf(self, literal: bool = False) -> tuple[float, float, float]:
        """Pairwise cross-lingual precision, recall and F1 (``literal``: capitals apart from their countries)."""
        pairs = self.literal_pairs if literal else self.pairs
        tp = pairs["tp"]
        return prf(tp, pairs["pred"] - tp, pairs["gold"] - tp)

    def ner_prf(self) -> tuple[float, float, float]:
        """Doc-level NER micro precision, recall and F1 over PER/ORG/LOC."""
        return prf(self.ner["tp"], self.ner["fp"], self.ner["fn"])

    def detail(self) -> dict[str, float]:
        """The extra figures for a result row."""
        ner_p, ner_r, ner_f = self.ner_prf()
        return {
            "found": self.found / self.gold if self.gold else 0.0,
            "lemma": self.lemma_ok / self.found if self.found else 0.0,
            "tok-lemma": self.tok_lemma_ok / self.found if self.found else 0.0,
            "NER P": ner_p, "NER R": ner_r, "NER F1": ner_f,
            "pairs": float(self.pairs["gold"]),
            # recall over the pairs of all gold mentions, found or not
            "R end-to-end": self.pairs["tp"] / self.pairs["all gold"] if self.pairs["all gold"] else 0.0,
            "F1 capitals apart": self.pair_prf(literal=True)[2],
        }


def score_topic(root: Path, topic: str, process: Callable[[Article], Doc], limit: int | None = None) -> TopicScore:
    """Run ``process`` (Article → Doc) over a topic's ru and uk documents and count everything."""
    score = TopicScore(topic)
    for lang in LANGS:
        for doc in read_topic(root, topic, lang, limit):
            processed = process(article(doc))
            score.add(doc, predicted_names(processed.entities))
    score.close()
    return score
