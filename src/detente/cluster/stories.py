"""Stories built incrementally: each article, in date order, joins the story it agrees with or starts one.

An article is compared with the articles of every story that has one published within
:attr:`Params.window_days` of it (older stories are closed to it: the same leaders calling again two
weeks later is a new story). The agreement of two articles mixes what they are about in any language
(linked actors and places, and figures) with their words where they share a language (lemma
overlap weighted by rarity) and, when an embedder is given, the similarity of their titles and leads.
A near-copy in the same language (MinHash over word shingles) is a reprint: it joins its source's
story and names it as ``duplicate_of``. Adding articles one at a time gives the same stories as adding
the same articles as a batch in date order; :func:`assign` sorts a batch so.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from detente.cluster import minhash
from detente.cluster.signature import Profile, Vector

Embedder = Callable[[Sequence[str]], Sequence[Vector]]
"""Embeds titles and leads as unit vectors (one per text), for agreement across languages."""


@dataclass(frozen=True, slots=True)
class Params:
    """The story builder's settings (tuned on the team's story dev set, see ``detente eval``)."""

    window_days: int = 3  # a story is open to an article published within this many days of one of its articles
    join: float = 0.21  # agreement an article needs to join a story
    duplicate: float = 0.5  # estimated shingle Jaccard from which a same-language article is a reprint
    actor_weight: float = 0.5
    word_weight: float = 0.5
    vector_weight: float = 0.5
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
class _Member:
    profile: Profile
    words: dict[str, float]
    story: str
    original: str | None  # the article this one reprints


@dataclass(slots=True)
class Story:
    """A story: its label and its articles in the order they joined."""

    label: str
    members: list[Profile] = field(default_factory=list)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(w * large.get(k, 0.0) for k, w in small.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def story_label(article_id: str) -> str:
    """A story's label: derived from the id of its first article, so a re-run gives the same labels."""
    return "s" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:11]


class StoryBuilder:
    """Assigns articles to stories one at a time (in date order)."""

    def __init__(self, params: Params | None = None, embed: Embedder | None = None) -> None:
        """Build with ``params`` (the defaults when None) and an optional title-and-lead ``embed``."""
        self.params = params or Params()
        self.embed = embed
        self.stories: dict[str, Story] = {}
        self._members: list[_Member] = []
        self._bands: dict[str, list[int]] = {}
        self._df: Counter[str] = Counter()
        self._days: list[int] = []  # publication days of the dated articles, sorted
        self._by_day: list[int] = []  # their indexes in ``_members``, in the same order
        self._undated: list[int] = []

    def _words(self, lemmas: str) -> dict[str, float]:
        """Lemma weights of an article: log count times rarity among the articles added so far."""
        counts = Counter(w for w in lemmas.split() if len(w) >= self.params.min_lemma and w.isalpha())
        n = len(self._members) + 1
        return {w: (1 + math.log(c)) * math.log((n + 1) / (self._df[w] + 1)) for w, c in counts.items()}

    def _reprint_of(self, p: Profile) -> _Member | None:
        """The earlier article ``p`` is a near-copy of (same language), if any."""
        seen: set[int] = set()
        best: tuple[float, int] | None = None
        for key in minhash.band_keys(p.minhash):
            for i in self._bands.get(key, ()):
                if i in seen:
                    continue
                seen.add(i)
                m = self._members[i]
                sim = minhash.similarity(p.minhash, m.profile.minhash)
                if m.profile.lang == p.lang and sim >= self.params.duplicate and (best is None or sim > best[0]):
                    best = (sim, i)
        return self._members[best[1]] if best else None

    def agreement(self, p: Profile, words: dict[str, float], m: _Member) -> float:
        """How much article ``p`` agrees with an earlier article ``m`` (0-1)."""
        q = self.params
        parts = [(q.actor_weight, _cosine(p.actors, m.profile.actors))]
        if p.lang == m.profile.lang:
            parts.append((q.word_weight, _cosine(words, m.words)))
        if p.vector is not None and m.profile.vector is not None:
            parts.append((q.vector_weight, float(np.dot(p.vector, m.profile.vector))))
        total = sum(w for w, _ in parts)
        return sum(w * s for w, s in parts) / total if total else 0.0

    def _open(self, p: Profile) -> Iterable[_Member]:
        """The articles of stories still open to ``p``: those published within the window of it (or undated).

        Dated articles are kept sorted by day, so the window is found by bisection, not by a scan of
        every article added.
        """
        if p.published is None:
            yield from self._members
            return
        day, w = p.published.toordinal(), self.params.window_days
        lo, hi = bisect.bisect_left(self._days, day - w), bisect.bisect_right(self._days, day + w)
        for i in self._by_day[lo:hi]:
            yield self._members[i]
        for i in self._undated:
            yield self._members[i]

    def add(self, p: Profile) -> Assignment:
        """Place one article: a reprint joins its source's story, else the best story over the bar, else a new one."""
        if self.embed is not None and p.vector is None:
            p.vector = np.asarray(self.embed([p.lead])[0], dtype=np.float32)
        words = self._words(p.lemmas)
        source = self._reprint_of(p)
        duplicate_of: str | None = None
        if source is not None:
            story, score = source.story, 1.0
            duplicate_of = source.original or source.profile.name
        else:
            by_story: dict[str, list[float]] = {}
            for m in self._open(p):
                by_story.setdefault(m.story, []).append(self.agreement(p, words, m))
            scored = sorted(((max(v), k) for k, v in by_story.items()), reverse=True)
            if scored and scored[0][0] >= self.params.join:
                score, story = scored[0]
            else:
                score, story = 0.0, story_label(p.article_id)
        self.stories.setdefault(story, Story(story)).members.append(p)
        index = len(self._members)
        self._members.append(_Member(p, words, story, duplicate_of))
        for key in minhash.band_keys(p.minhash):
            self._bands.setdefault(key, []).append(index)
        if p.published is None:
            self._undated.append(index)
        else:
            at = bisect.bisect_right(self._days, p.published.toordinal())
            self._days.insert(at, p.published.toordinal())
            self._by_day.insert(at, index)
        self._df.update(set(words))
        return Assignment(p.name, p.article_id, story, duplicate_of, round(score, 4))


def date_order(profiles: Iterable[Profile]) -> list[Profile]:
    """Profiles in the order a batch is added: by date, undated last, then by name."""
    return sorted(profiles, key=lambda p: (p.published is None, p.published.toordinal() if p.published else 0, p.name))


def assign(profiles: Iterable[Profile], params: Params | None = None,
           embed: Embedder | None = None) -> list[Assignment]:
    """Stories for a batch of profiles: added in date order, returned in that order."""
    builder = StoryBuilder(params, embed)
    return [builder.add(p) for p in date_order(profiles)]
