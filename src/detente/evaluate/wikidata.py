"""Wikidata links of NEREL v1.1 and the KB-id → QID mapping derived from them.

NEREL's brat files link entity mentions to Wikidata with ``N`` lines: ``N2<TAB>Reference T6
Wikidata:Q8074815<TAB>Хорняк, Жолт`` (``Wikidata:NULL`` when the entity has no item). The bundled KB
ids are mostly slugs, so ``tools/build_wikidata.py`` derives ``kb/data/wikidata.tsv`` from the train and
dev splits: every gold mention with a QID where the pipeline puts a linked proper-name entity of a
compatible type at the same span (not a capital standing for its country) votes for (KB id, QID); a
KB id keeps its majority QID when it has enough votes and share. The test split is only scored: a
gold mention is *covered* when its QID is a value of the mapping, and correct when a linked entity
at its span has a KB id mapped to that QID.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from detente.doc import Entity

MIN_VOTES = 2
MIN_SHARE = 0.6
MAPPING_FILE = "wikidata.tsv"
# which predicted entity types may vote for a QID of a NEREL type ("Харрис" the county is no person)
COMPATIBLE = {
    "PERSON": {"PER"}, "ORGANIZATION": {"ORG", "MEDIA"}, "FACILITY": {"ORG", "LOC"},
    **{t: {"LOC"} for t in ("COUNTRY", "STATE_OR_PROVINCE", "CITY", "LOCATION", "DISTRICT")},
}


@dataclass(frozen=True)
class Link:
    """A gold mention linked to a Wikidata item."""

    start: int
    end: int
    type: str  # the NEREL type (PERSON, COUNTRY, PROFESSION, ...)
    qid: str


@dataclass
class LinkDoc:
    """One NEREL document and its Wikidata-linked mentions."""

    name: str
    text: str
    links: list[Link] = field(default_factory=list)


def parse_ann(text: str) -> list[Link]:
    """The QID-linked mentions of one brat ``.ann`` text (discontinuous mentions and NULL links are skipped)."""
    spans: dict[str, tuple[int, int, str]] = {}
    refs: list[tuple[str, str]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if line.startswith("T"):
            head = parts[1].split(" ")
            if len(head) == 3 and head[1].isdigit() and head[2].isdigit():
                spans[parts[0]] = (int(head[1]), int(head[2]), head[0])
        elif line.startswith("N"):
            head = parts[1].split(" ")
            if len(head) >= 3 and head[2].startswith("Wikidata:Q"):
                refs.append((head[1], head[2].split(":", 1)[1]))
    out = []
    for tid, qid in refs:
        if tid in spans:
            start, end, etype = spans[tid]
            out.append(Link(start, end, etype, qid))
    return out


def read_links(folder: Path) -> Iterator[LinkDoc]:
    """Read the NEREL documents of one split folder with their QID-linked mentions."""
    for txt in sorted(folder.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        links = parse_ann(ann.read_text(encoding="utf-8")) if ann.exists() else []
        yield LinkDoc(txt.stem, txt.read_text(encoding="utf-8"), links)


def linked_spans(entities: Iterable[Entity]) -> dict[tuple[int, int], dict[str, str]]:
    """The KB ids (with their entity types) of the linked proper-name entities, by character span.

    A capital linked to its country ("Вена" → Austria, for the government) is left out: the mention
    names the city, whose Wikidata item is not the country's.
    """
    out: dict[tuple[int, int], dict[str, str]] = {}
    for e in entities:
        if e.kb_id and e.mention == "name" and e.via != "capital":
            out.setdefault((e.start, e.end), {})[e.kb_id] = e.type
    return out


def votes(links: Iterable[Link], spans: dict[tuple[int, int], dict[str, str]]) -> collections.Counter[tuple[str, str]]:
    """(KB id, QID) votes of one document: a gold QID and a KB id of a compatible type at the same span."""
    out: collections.Counter[tuple[str, str]] = collections.Counter()
    for link in links:
        for kb_id, etype in spans.get((link.start, link.end), {}).items():
            if etype in COMPATIBLE.get(link.type, ()):
                out[kb_id, link.qid] += 1
    return out


def majority(counts: collections.Counter[tuple[str, str]], min_votes: int = MIN_VOTES,
             min_share: float = MIN_SHARE) -> dict[str, str]:
    """KB id → its most voted QID, kept when it has ``min_votes`` votes and ``min_share`` of the id's votes."""
    by_id: dict[str, collections.Counter[str]] = {}
    for (kb_id, qid), n in counts.items():
        by_id.setdefault(kb_id, collections.Counter())[qid] += n
    out = {}
    for kb_id, qids in by_id.items():
        (qid, n), = qids.most_common(1)
        if n >= min_votes and n >= min_share * sum(qids.values()):
            out[kb_id] = qid
    return dict(sorted(out.items()))


def write_mapping(path: Path, mapping: dict[str, str]) -> None:
    """Write the mapping as ``kb_id<TAB>QID`` lines, sorted by KB id."""
    path.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(mapping.items())), encoding="utf-8")


def parse_mapping(text: str) -> dict[str, str]:
    """Parse ``kb_id<TAB>QID`` lines (blank lines and ``#`` comments are skipped)."""
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kb_id, _, qid = line.partition("\t")
        if qid.strip():
            out[kb_id.strip()] = qid.strip()
    return out


def load_mapping(path: Path | None = None) -> dict[str, str]:
    """The bundled mapping (``kb/data/wikidata.tsv``), or the one at ``path``; empty when there is none."""
    if path is not None:
        return parse_mapping(path.read_text(encoding="utf-8")) if path.exists() else {}
    res = resources.files("detente.kb").joinpath("data", MAPPING_FILE)
    return parse_mapping(res.read_text(encoding="utf-8")) if res.is_file() else {}


@dataclass
class LinkScore:
    """Linking accuracy over covered mentions, and how much of the gold the mapping covers."""

    mentions: int = 0  # gold QID-linked mentions
    covered: int = 0  # ... whose QID the mapping reaches
    predicted: int = 0  # covered mentions with a mapped KB id at their span
    correct: int = 0  # ... mapped to the gold QID
    qids: set[str] = field(default_factory=set)
    covered_qids: set[str] = field(default_factory=set)
    name_mentions: int = 0  # gold QID-linked mentions of the name types (PERSON, ORGANIZATION, places)
    name_covered: int = 0

    def add(self, links: Iterable[Link], spans: dict[tuple[int, int], dict[str, str]],
            mapping: dict[str, str]) -> None:
        """Score one document's gold links against the predicted KB ids by span."""
        reachable = set(mapping.values())
        for link in links:
            self.mentions += 1
            self.qids.add(link.qid)
            named = link.type in COMPATIBLE
            self.name_mentions += named
            if link.qid not in reachable:
                continue
            self.covered += 1
            self.name_covered += named
            self.covered_qids.add(link.qid)
            qids = {mapping[k] for k in spans.get((link.start, link.end), ()) if k in mapping}
            self.predicted += bool(qids)
            self.correct += link.qid in qids

    @property
    def accuracy(self) -> float:
        """Correct / covered mentions."""
        return self.correct / self.covered if self.covered else 0.0

    @property
    def precision(self) -> float:
        """Correct / covered mentions with a mapped KB id at their span."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def coverage(self) -> float:
        """Covered / all QID-linked gold mentions."""
        return self.covered / self.mentions if self.mentions else 0.0

    @property
    def name_coverage(self) -> float:
        """Covered / all QID-linked gold mentions of the name types (no professions, events, works ...)."""
        return self.name_covered / self.name_mentions if self.name_mentions else 0.0

    @property
    def entity_coverage(self) -> float:
        """Distinct covered QIDs / distinct gold QIDs."""
        return len(self.covered_qids) / len(self.qids) if self.qids else 0.0
