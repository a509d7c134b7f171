"""factRuEval-2016 as NER gold: ``book_N.txt`` with its ``.tokens``, ``.spans`` and ``.objects`` layers.

Layer 1 (``.spans``) groups tokens into name parts; layer 2 (``.objects``) groups spans into mentions
typed Person, Org, Location, LocOrg, Project or Facility. A mention's character span runs from the
first to the last token of its spans; Person → PER, Org → ORG, Location and LocOrg → LOC, the rest are
ignored. The set is for reporting only: nothing is tuned on it.

Offsets: the token offsets were computed on the texts as the organisers had them, which for some
copies of the corpus means ``\\r\\n`` line ends counted as two characters. The reader takes the
reading of the ``.txt`` (as stored, or with ``\\r\\n`` folded to ``\\n``) under which most tokens sit
at their offsets, returns ``\\n`` text with offsets remapped to it, moves a token that is off by a few
characters to the nearest place its text occurs, and drops (and counts) a mention with a token
found nowhere near its offset.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from detente.evaluate.ner import NerDoc

OBJECT_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
SEARCH_WINDOW = 40  # characters either side of a stated offset where a shifted token is looked for


@dataclass
class FactRuStats:
    """What the reader saw: how well the stated offsets fit the texts."""

    docs: int = 0
    crlf_docs: int = 0  # texts whose offsets count "\r\n" as two characters
    tokens: int = 0
    tokens_at_offset: int = 0
    tokens_moved: int = 0
    tokens_lost: int = 0
    objects: int = 0  # mentions of the four scored types
    objects_dropped: int = 0

    @property
    def offset_agreement(self) -> float:
        """The share of tokens whose text is found at the stated offset."""
        return self.tokens_at_offset / self.tokens if self.tokens else 1.0


def _natural(path: Path) -> tuple[int, str]:
    m = re.search(r"(\d+)$", path.stem)
    return (int(m.group(1)) if m else -1, path.stem)


def _read_tokens(path: Path) -> dict[str, tuple[int, int, str]]:
    tokens: dict[str, tuple[int, int, str]] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1].isdigit() and parts[2].isdigit():
            tokens[parts[0]] = (int(parts[1]), int(parts[2]), " ".join(parts[3:]))
    return tokens


def _agreement(text: str, tokens: dict[str, tuple[int, int, str]]) -> int:
    return sum(text[off : off + ln] == tok for off, ln, tok in tokens.values())


def _fold_crlf(text: str) -> tuple[str, list[int]]:
    """Return ``text`` with "\\r\\n" → "\\n" and the map old offset → new offset (one past the end too)."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        where.append(len(out))
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 1
            continue  # the "\r" maps to where its "\n" goes
        out.append(text[i])
        i += 1
    where.append(len(out))
    return "".join(out), where


def _place(text: str, off: int, tok: str) -> int | None:
    """Where ``tok`` really starts: ``off`` if it is there, else its nearest occurrence within the window."""
    if text[off : off + len(tok)] == tok:
        return off
    lo = max(0, off - SEARCH_WINDOW)
    best: int | None = None
    i = text.find(tok, lo, off + SEARCH_WINDOW + len(tok))
    while i != -1:
        if best is None or abs(i - off) < abs(best - off):
            best = i
        i = text.find(tok, i + 1, off + SEARCH_WINDOW + len(tok))
    return best


def read_doc(txt: Path, stats: FactRuStats | None = None) -> NerDoc:
    """Read one factRuEval document (``book_N.txt`` and its layers) as a :class:`NerDoc`."""
    stats = stats if stats is not None else FactRuStats()
    base = txt.with_suffix("")
    with txt.open(encoding="utf-8-sig", newline="") as fh:
        raw = fh.read()
    tokens = _read_tokens(base.with_suffix(".tokens"))
    folded, where = _fold_crlf(raw)
    # the offsets count characters of the stored text, or of the text with "\r\n" folded to "\n"
    use_raw = "\r" in raw and _agreement(raw, tokens) > _agreement(folded, tokens)
    source = raw if use_raw else folded
    stats.docs += 1
    stats.crlf_docs += use_raw
    placed: dict[str, tuple[int, int]] = {}
    for tid, (off, _length, tok) in tokens.items():
        stats.tokens += 1
        start = _place(source, off, tok)
        if start is None:
            stats.tokens_lost += 1
            continue
        if start == off:
            stats.tokens_at_offset += 1
        else:
            stats.tokens_moved += 1
        end = start + len(tok)
        placed[tid] = (where[start], where[end]) if use_raw else (start, end)
    spans: dict[str, list[str]] = {}
    for line in base.with_suffix(".spans").read_text(encoding="utf-8-sig").splitlines():
        head, _, comment = line.partition("#")
        parts = head.split()
        if len(parts) < 6 or not parts[5].isdigit():
            continue
        n = int(parts[5])
        ids = comment.split()[:n]
        if len(ids) < n or not all(i in tokens for i in ids):
            first = int(parts[4])  # the comment is damaged: the span's tokens run on from the first one
            ids = [str(first + k) for k in range(n)]
        spans[parts[0]] = ids
    doc = NerDoc(base.name, folded)
    for line in base.with_suffix(".objects").read_text(encoding="utf-8-sig").splitlines():
        head, _, _ = line.partition("#")
        parts = head.split()
        if len(parts) < 3 or parts[1] not in OBJECT_TYPES:
            continue
        stats.objects += 1
        tids = [t for sid in parts[2:] for t in spans.get(sid, ["?"])]
        if not tids or any(t not in placed for t in tids):
            stats.objects_dropped += 1
            continue
        start = min(placed[t][0] for t in tids)
        end = max(placed[t][1] for t in tids)
        doc.spans.add((start, end, OBJECT_TYPES[parts[1]]))
    return doc


def read_factrueval(folder: Path, stats: FactRuStats | None = None) -> Iterator[NerDoc]:
    """Read every document of a factRuEval-2016 folder (``testset`` or ``devset``), in document order.

    Warns when fewer than 99 % of the tokens sit at their stated offsets or more than 1 % of the
    mentions had to be dropped: the offsets then do not belong to these texts.
    """
    stats = stats if stats is not None else FactRuStats()
    for txt in sorted(folder.glob("*.txt"), key=_natural):
        if txt.with_suffix(".tokens").exists() and txt.with_suffix(".objects").exists():
            yield read_doc(txt, stats)
    if stats.offset_agreement < 0.99 or stats.objects_dropped > 0.01 * stats.objects:
        warnings.warn(f"factRuEval offsets in {folder} fit badly: {stats}", stacklevel=2)
