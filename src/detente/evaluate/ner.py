"""Named-entity scoring: exact span and type, micro P/R/F1 over PER, ORG and LOC.

Gold types are mapped as ``../shared/eval/README.md`` says (PER ← PERSON/PERS/Person; ORG ←
ORGANIZATION/ORGANISATION/Org; LOC ← COUNTRY, CITY, STATE_OR_PROVINCE, LOCATION, GPE, LocOrg,
Location, LOC); other gold types are ignored, and so are predicted MEDIA/MISC mentions.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from detente.evaluate.metrics import prf

TYPE_MAP = {
    "PERSON": "PER", "PERS": "PER", "PER": "PER", "Person": "PER",
    "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "ORG": "ORG", "Org": "ORG",
    "COUNTRY": "LOC", "CITY": "LOC", "STATE_OR_PROVINCE": "LOC", "LOCATION": "LOC", "GPE": "LOC",
    "LocOrg": "LOC", "Location": "LOC", "LOC": "LOC",
}
TYPES = ("PER", "ORG", "LOC")
MISSED = "MISSED"  # confusion column: a gold span with no prediction at the same offsets
SPURIOUS = "SPURIOUS"  # confusion row: a predicted span with no gold at the same offsets
Span = tuple[int, int, str]


@dataclass
class NerDoc:
    """One gold document: its text and its typed spans."""

    name: str
    text: str
    spans: set[Span] = field(default_factory=set)


@dataclass
class NerScore:
    """Counts per type, the micro average, and a confusion table of gold type × predicted type.

    The confusion table pairs gold and predicted spans with the same offsets (whatever their types);
    a gold span with no prediction at its offsets counts under ``(type, MISSED)`` and a prediction
    with no gold span at its offsets under ``(SPURIOUS, type)``.
    """

    tp: collections.Counter[str] = field(default_factory=collections.Counter)
    fp: collections.Counter[str] = field(default_factory=collections.Counter)
    fn: collections.Counter[str] = field(default_factory=collections.Counter)
    confusion: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)

    def add(self, gold: set[Span], pred: set[Span]) -> None:
        """Count one document."""
        for s in gold & pred:
            self.tp[s[2]] += 1
        for s in pred - gold:
            self.fp[s[2]] += 1
        for s in gold - pred:
            self.fn[s[2]] += 1
        self.confusion.update(confusion_pairs(gold, pred))

    def confusion_table(self) -> dict[str, dict[str, int]]:
        """The confusion counts as ``{gold type or SPURIOUS: {predicted type or MISSED: count}}``."""
        table: dict[str, dict[str, int]] = {}
        for (g, p), n in sorted(self.confusion.items()):
            table.setdefault(g, {})[p] = n
        return table

    def prf(self, etype: str | None = None) -> tuple[float, float, float]:
        """Precision, recall and F1 of one type, or micro over all when ``etype`` is None."""
        types = [etype] if etype else list(TYPES)
        tp = sum(self.tp[t] for t in types)
        fp = sum(self.fp[t] for t in types)
        fn = sum(self.fn[t] for t in types)
        return prf(tp, fp, fn)


def confusion_pairs(gold: set[Span], pred: set[Span]) -> collections.Counter[tuple[str, str]]:
    """Pair gold and predicted types span by span: ``(gold, predicted)``, ``(gold, MISSED)``, ``(SPURIOUS, pred)``.

    At one span, equal types pair first; the remaining gold and predicted types pair in sorted order;
    whatever is left over is missed (gold) or spurious (predicted).
    """
    by_span: dict[tuple[int, int], tuple[set[str], set[str]]] = {}
    for s, e, t in gold:
        by_span.setdefault((s, e), (set(), set()))[0].add(t)
    for s, e, t in pred:
        by_span.setdefault((s, e), (set(), set()))[1].add(t)
    out: collections.Counter[tuple[str, str]] = collections.Counter()
    for g_types, p_types in by_span.values():
        for t in g_types & p_types:
            out[t, t] += 1
        g_rest, p_rest = sorted(g_types - p_types), sorted(p_types - g_types)
        for g, p in zip(g_rest, p_rest, strict=False):
            out[g, p] += 1
        for g in g_rest[len(p_rest):]:
            out[g, MISSED] += 1
        for p in p_rest[len(g_rest):]:
            out[SPURIOUS, p] += 1
    return out


def read_brat(folder: Path) -> Iterator[NerDoc]:
    """Read brat standoff documents (``x.txt`` + ``x.ann``): the format of NEREL."""
    for txt in sorted(folder.rglob("*.txt")):
        ann = txt.with_suffix(".ann")
        doc = NerDoc(txt.stem, txt.read_text(encoding="utf-8"))
        if ann.exists():
            for line in ann.read_text(encoding="utf-8").splitlines():
                if not line.startswith("T"):
                    continue
                parts = line.split("\t")
                if len(parts) < 2:
                    continue
                # brat: "T1<TAB>TYPE start end<TAB>text"; NER-UK: "T1<TAB>TYPE<TAB>start<TAB>end<TAB>text"
                head = parts[1].split(" ") if " " in parts[1] else parts[1:4]
                if len(head) < 3 or ";" in " ".join(head):
                    continue
                etype = TYPE_MAP.get(head[0])
                if etype is None:
                    continue
                doc.spans.add((int(head[1]), int(head[2]), etype))
        yield doc


def read_iob(path: Path, sep: str | None = None) -> Iterator[NerDoc]:
    """Read a CoNLL-style IOB file (token, tag per line; blank line between sentences) as documents."""
    words: list[tuple[str, str]] = []

    def flush(n: int) -> NerDoc:
        text_parts: list[str] = []
        spans: set[Span] = set()
        pos = 0
        cur: tuple[int, str] | None = None
        last_end = 0
        for tok, tag in words:
            start = pos
            text_parts.append(tok)
            pos += len(tok)
            end = pos
            text_parts.append(" ")
            pos += 1
            kind = tag[2:] if len(tag) > 2 else ""
            etype = TYPE_MAP.get(kind)
            if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[1] != etype)):
                if cur is not None and cur[1]:
                    spans.add((cur[0], last_end, cur[1]))
                cur = (start, etype or "")
            elif not tag.startswith("I-"):
                if cur is not None and cur[1]:
                    spans.add((cur[0], last_end, cur[1]))
                cur = None
            last_end = end
        if cur is not None and cur[1]:
            spans.add((cur[0], last_end, cur[1]))
        return NerDoc(f"{path.name}:{n}", "".join(text_parts).rstrip(), spans)

    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                yield flush(n)
                n += 1
                words = []
            continue
        parts = line.split(sep) if sep else line.split()
        if len(parts) >= 2:
            words.append((parts[0], parts[-1]))
    if words:
        yield flush(n)


def predicted_spans(entities: Iterable[dict[str, object]]) -> set[Span]:
    """The PER/ORG/LOC spans of the proper-name mentions among ``annotate`` entities.

    Descriptions ("глава Белого дома") and pronouns are actor mentions, not named entities.
    """
    out: set[Span] = set()
    for e in entities:
        etype = "ORG" if e["type"] == "MEDIA" else e["type"]  # outlets are organisations in every gold set
        if etype in TYPES and e.get("mention", "name") == "name":
            out.add((int(e["start"]), int(e["end"]), str(etype)))  # type: ignore[call-overload]
    return out
