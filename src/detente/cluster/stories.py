"""Stories built incrementally: each article, in date order, joins the story it agrees with or starts one.

An article is compared with the articles of every story that has one published within
:attr:`Params.window_days` of it (older stories are closed to it: the same leaders calling again two
weeks later is a new story). The agreement of two articles mixes what they are about in any language
(the weighted Jaccard similarity of their linked actors, places and figures) with their words where
they share a language (the cosine of their lemmas weighted by rarity).
A near-copy in the same language (MinHash over word shingles) published within
:attr:`Params.reprint_days` of it is a reprint: it joins its source's story and names it as
``duplicate_of``. Adding articles one at a time gives the same stories as adding the same articles
as a batch in date order; :func:`assign` sorts a batch so.

What the builder remembers of earlier articles sits behind :class:`Memory`: :class:`InMemory` for a
batch (``detente stories PATH``), the store's tables for an archive (``detente.store.stories``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from detente.cluster import minhash
from detente.cluster.signature import COUNTRY_WEIGHT, Profile

MAX_TERM = 64  # longer "lemmas" (a run of letters with no space) are not read as words; the store's term key fits


@dataclass(frozen=True, slots=True)
class Params:
    """The story builder's settings (tuned on the team's story dev set, see ``detente eval``)."""

    window_days: int = 3  # a story is open to an article published within this many days of one of its articles
    join: float = 0.25  # agreement an article needs to join a story
    top: int = 3  # a story's agreement with an article: the mean of its best this many articles' agreements,
    top_share: float = 0.6  # or of this share of its articles in the window when that is more (a story cannot drift)
    duplicate: float = 0.7  # estimated shingle containment from which a same-language article is a reprint
    reprint_days: int = 7  # a reprint is published within this many days of the article it copies (or undated)
    actor_weight: float = 0.5
    word_weight: float = 0.5
    contact_penalty: float = 0.5  # agreement kept between a report of a call and a report of a meeting
    day_decay: float = 0.9  # agreement kept per day two articles lie apart beyond the first
    min_lemma: int = 4  # shorter lemmas (prepositions, particles) are not read as words


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went: its story and, for a reprint, the article it copies."""

    name: str
    article_id: str
    story: str
    duplicate_of: str | None
    score: float


@dataclass(slots=True)
class Member:
    """An article the builder has placed: its profile, its word weights, its story and what it reprints.

    ``norm`` (the length of the word weights) is computed once here, not at every comparison.
    """

    profile: Profile
    words: dict[str, float]
    story: str
    original: str | None
    norm: float = field(init=False)

    def __post_init__(self) -> None:
        self.norm = vector_norm(self.words)


class Memory(Protocol):
    """What the builder remembers of the articles it placed, and how it finds the ones it compares with."""

    def size(self) -> int:
        """How many articles were placed."""

    def document_frequency(self, terms: Iterable[str]) -> Mapping[str, int]:
        """In how many placed articles each of ``terms`` occurs."""

    def window(self, day: int | None, days: int) -> Sequence[Member]:
        """The placed articles published within ``days`` of ``day`` (an ordinal), and the undated ones."""

    def near(self, keys: Sequence[int], day: int | None, days: int) -> Sequence[Member]:
        """The placed articles sharing any of the LSH band ``keys``: at least those published within
        ``days`` of ``day`` and the undated ones (all of them when ``day`` is None)."""

    def remember(self, member: Member, keys: Sequence[int]) -> None:
        """Keep a newly placed article with its band keys."""


class InMemory:
    """A batch's memory: lists and dictionaries, the dated articles kept sorted by day for bisection."""

    def __init__(self) -> None:
        """An empty memory."""
        self.members: list[Member] = []
        self._bands: dict[int, list[int]] = {}
        self._df: Counter[str] = Counter()
        self._days: list[int] = []  # publication days of the dated articles, sorted
        self._by_day: list[int] = []  # their indexes in ``members``, in the same order
        self._undated: list[int] = []

    def size(self) -> int:
        """How many articles were placed."""
        return len(self.members)

    def document_frequency(self, terms: Iterable[str]) -> Mapping[str, int]:
        """In how many placed articles each of ``terms`` occurs."""
        return {t: self._df[t] for t in terms}

    def window(self, day: int | None, days: int) -> Sequence[Member]:
        """The placed articles published within ``days`` of ``day``, and the undated ones (all when undated)."""
        if day is None:
            return self.members
        lo, hi = bisect.bisect_left(self._days, day - days), bisect.bisect_right(self._days, day + days)
        return [self.members[i] for i in [*self._by_day[lo:hi], *self._undated]]

    def near(self, keys: Sequence[int], day: int | None, days: int) -> Sequence[Member]:
        """The placed articles sharing any of the band ``keys``, each once (whatever their day)."""
        found = sorted({i for k in keys for i in self._bands.get(k, ())})
        return [self.members[i] for i in found]

    def remember(self, member: Member, keys: Sequence[int]) -> None:
        """Keep a newly placed article."""
        index = len(self.members)
        self.members.append(member)
        for key in keys:
            self._bands.setdefault(key, []).append(index)
        published = member.profile.published
        if published is None:
            self._undated.append(index)
        else:
            at = bisect.bisect_right(self._days, published.toordinal())
            self._days.insert(at, published.toordinal())
            self._by_day.insert(at, index)
        self._df.update(member.words.keys())  # each term once per article (not its weight)


def vector_norm(a: Mapping[str, float]) -> float:
    """The Euclidean length of a sparse weight vector."""
    return math.sqrt(sum(w * w for w in a.values()))


def cosine(a: Mapping[str, float], b: Mapping[str, float], norm_a: float | None = None,
           norm_b: float | None = None) -> float:
    """The cosine of two sparse weight vectors (their lengths computed unless given)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(w * large.get(k, 0.0) for k, w in small.items())
    na = vector_norm(a) if norm_a is None else norm_a
    nb = vector_norm(b) if norm_b is None else norm_b
    return dot / (na * nb) if na and nb else 0.0


def weighted_jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The weighted Jaccard similarity of two sparse weight vectors: shared weight over all weight."""
    keys = a.keys() | b.keys()
    top = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    return sum(min(a.get(k, 0.0), b.get(k, 0.0)) for k in keys) / top if top else 0.0


def _actor_agreement(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Weighted Jaccard of two articles' actors, 0 when all they share are countries (no evidence at all)."""
    if not any(k in b and w > COUNTRY_WEIGHT for k, w in a.items()):
        return 0.0
    return weighted_jaccard(a, b)


def _within(day: int | None, published: dt.date | None, days: int) -> bool:
    """Whether an article of ``published`` is within ``days`` of ``day`` (an undated side always is)."""
    return day is None or published is None or abs(published.toordinal() - day) <= days


def story_label(article_id: str) -> str:
    """A story's label: derived from the id of its first article, so a re-run gives the same labels."""
    return "s" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:11]


class StoryBuilder:
    """Assigns articles to stories one at a time (in date order)."""

    def __init__(self, params: Params | None = None, memory: Memory | None = None) -> None:
        """Build with ``params`` (the defaults when None) over ``memory`` (a fresh :class:`InMemory` when None)."""
        self.params = params or Params()
        self.memory: Memory = memory if memory is not None else InMemory()

    def words(self, lemmas: str) -> dict[str, float]:
        """Lemma weights of an article: log count times rarity among the articles placed so far."""
        q = self.params
        counts = Counter(w for w in lemmas.split() if q.min_lemma <= len(w) <= MAX_TERM and w.isalpha())
        n = self.memory.size() + 1
        df = self.memory.document_frequency(counts)
        return {w: round((1 + math.log(c)) * math.log((n + 1) / (df.get(w, 0) + 1)), 4) for w, c in counts.items()}

    def reprint_of(self, p: Profile, keys: Sequence[int]) -> Member | None:
        """The earlier article ``p`` is a near-copy of (same language), if any: the most similar one."""
        best: tuple[float, Member] | None = None
        day, days = (p.published.toordinal() if p.published else None), self.params.reprint_days
        for m in self.memory.near(keys, day, days):
            if m.profile.lang != p.lang or not _within(day, m.profile.published, days):
                continue
            sim = minhash.containment(p.minhash, m.profile.minhash, p.shingles, m.profile.shingles)
            if sim >= self.params.duplicate and (best is None or sim > best[0]):
                best = (sim, m)
        return best[1] if best else None

    def agreement(self, p: Profile, words: Mapping[str, float], m: Member, words_norm: float | None = None) -> float:
        """How much article ``p`` (with word weights ``words``, of length ``words_norm``) agrees with ``m`` (0-1).

        When one lead reports a phone call and the other a meeting, the agreement is cut by
        :attr:`Params.contact_penalty`: the same two leaders calling on Monday and meeting on Thursday
        are two happenings, however alike their actors. It fades by :attr:`Params.day_decay` for each
        day the two were published apart beyond the first: reports of one happening come within a day
        or two, and a look-alike three days on is more often the next exchange or the next strike.
        """
        q = self.params
        parts = [(q.actor_weight, _actor_agreement(p.actors, m.profile.actors))]
        if p.lang == m.profile.lang:
            parts.append((q.word_weight, cosine(words, m.words, words_norm, m.norm)))
        total = sum(w for w, _ in parts)
        score = sum(w * s for w, s in parts) / total if total else 0.0
        if p.contact and m.profile.contact and p.contact != m.profile.contact:  # the same people, met another way
            score *= q.contact_penalty
        if p.published and m.profile.published:
            score *= q.day_decay ** max(0, abs(p.published.toordinal() - m.profile.published.toordinal()) - 1)
        return score

    def best_story(self, p: Profile, words: Mapping[str, float]) -> tuple[float, str] | None:
        """The open story ``p`` agrees with most, if its agreement reaches the bar.

        A story's agreement is the mean over its :attr:`Params.top` best-agreeing articles (all of them
        when it has fewer): one article of a story that happens to name the same minister does not pull
        a new article in, as the single best agreement would. In a story with many articles in the
        window the mean is over the best :attr:`Params.top_share` of them, so a story does not drift
        from one happening to the next through a chain of articles that each share something with a few.
        """
        by_story: dict[str, list[float]] = {}
        norm = vector_norm(words)
        day = p.published.toordinal() if p.published else None
        for m in self.memory.window(day, self.params.window_days):
            by_story.setdefault(m.story, []).append(self.agreement(p, words, m, norm))
        scored = []
        for story, values in by_story.items():
            best = sorted(values, reverse=True)[:max(self.params.top, math.ceil(self.params.top_share * len(values)))]
            scored.append((sum(best) / len(best), story))
        winner = max(scored, default=None)
        return winner if winner is not None and winner[0] >= self.params.join else None

    def add(self, p: Profile) -> Assignment:
        """Place one article: a reprint joins its source's story, else the best story over the bar, else a new one."""
        words = self.words(p.lemmas)
        keys = minhash.band_keys(p.minhash)
        source = self.reprint_of(p, keys)
        duplicate_of: str | None = None
        if source is not None:
            story, score = source.story, 1.0
            duplicate_of = source.original or source.profile.name
        else:
            score, story = self.best_story(p, words) or (0.0, story_label(p.article_id))
        self.memory.remember(Member(p, words, story, duplicate_of), keys)
        return Assignment(p.name, p.article_id, story, duplicate_of, round(score, 4))


def date_order(profiles: Iterable[Profile]) -> list[Profile]:
    """Profiles in the order a batch is added: by date, undated last, then by name."""
    return sorted(profiles, key=lambda p: (p.published is None, p.published.toordinal() if p.published else 0, p.name))


def assign(profiles: Iterable[Profile], params: Params | None = None) -> list[Assignment]:
    """Stories for a batch of profiles: added in date order, returned in that order."""
    builder = StoryBuilder(params)
    return [builder.add(p) for p in date_order(profiles)]
