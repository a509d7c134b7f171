"""Stories in the store: articles placed in date order by the same builder as ``detente stories PATH``.

:class:`StoreMemory` keeps what the builder remembers in three tables (``story_members``,
``story_bands``, ``story_terms``), so an archive of any size answers the builder's two questions (the
articles within the window of a day, the articles sharing an LSH band) through indexes, and the cost
of placing an article depends on how many articles a week brings, not on how many are stored.
:func:`assign_stories` places every stored article not yet in a story, oldest first; re-running it
places only new articles, so it is idempotent. The reports of each story an article joins are merged
into events with mentions (:mod:`detente.store.mentions`). :func:`list_stories` and :func:`story_detail` read them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypedDict

from sqlalchemy import Engine, Select, func, insert, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from detente.cluster.signature import Profile, ProfileSetup, profile_of
from detente.cluster.stories import Member, Params, StoryBuilder
from detente.store import schema as S
from detente.store.mentions import merge_stories
from detente.store.write import upsert_insert

BATCH = 200  # articles placed per transaction
STORY_LABEL = re.compile(r"s[0-9a-f]{11}")  # what :func:`detente.cluster.stories.story_label` makes


class StoryArticle(TypedDict):
    """One article of a story."""

    article_id: str
    article: str
    title: str | None
    outlet: str | None
    lang: str | None
    published: str | None
    duplicate_of: str | None


class StorySummary(TypedDict):
    """A story: its size, languages, outlets, dates, first headline and most named actors."""

    story: str
    articles: int
    sources: int
    reprints: int
    langs: list[str]
    first: str | None
    last: str | None
    title: str | None
    actors: list[str]


class StoryDetail(StorySummary):
    """A story with its articles in the order they joined it."""

    members: list[StoryArticle]


class StoreMemory:
    """The builder's memory in the store's tables, with the members of the current window cached."""

    def __init__(self, conn: Connection) -> None:
        """Read and write through ``conn`` (set :attr:`conn` again for each transaction)."""
        self.conn = conn
        self._cache: dict[str, Member] = {}
        self._size: int | None = None

    def size(self) -> int:
        """How many articles are placed."""
        if self._size is None:
            self._size = int(self.conn.execute(select(func.count()).select_from(S.story_members)).scalar_one())
        return self._size

    def document_frequency(self, terms: Iterable[str]) -> Mapping[str, int]:
        """In how many placed articles each of ``terms`` occurs."""
        wanted, out = list(terms), {}
        for i in range(0, len(wanted), 500):
            rows = self.conn.execute(select(S.story_terms.c.term, S.story_terms.c.df)
                                     .where(S.story_terms.c.term.in_(wanted[i:i + 500])))
            out.update({str(t): int(n) for t, n in rows})
        return out

    def _members(self, ids: Sequence[str]) -> list[Member]:
        missing = [i for i in ids if i not in self._cache]
        for i in range(0, len(missing), 500):
            m = S.story_members.c
            rows = self.conn.execute(select(m.article_id, m.story, m.duplicate_of, m.profile, m.words)
                                     .where(m.article_id.in_(missing[i:i + 500])))
            for aid, story, dup, prof, words in rows:
                self._cache[aid] = Member(Profile.from_json(prof), json.loads(words), story, dup)
        return [self._cache[i] for i in ids]

    def window(self, day: int | None, days: int) -> Sequence[Member]:
        """The placed articles published within ``days`` of ``day``, and the undated ones (all when undated)."""
        m = S.story_members.c
        ids = select(m.article_id, m.seq)
        if day is None:
            return self._members([str(r[0]) for r in self.conn.execute(ids.order_by(m.seq))])
        # two index lookups (an OR across them would scan the table)
        query = ids.where(m.day.between(day - days, day + days)).union_all(ids.where(m.day.is_(None))).order_by("seq")
        stale = [k for k, v in self._cache.items()
                 if v.profile.published and v.profile.published.toordinal() < day - 2 * days]
        for k in stale:  # articles are placed oldest first: what fell out of the window stays out
            del self._cache[k]
        return self._members([str(r[0]) for r in self.conn.execute(query)])

    def near(self, keys: Sequence[int], day: int | None, days: int) -> Sequence[Member]:
        """The placed articles sharing any of the band ``keys`` in the weeks around ``day`` (all weeks if undated)."""
        b, m = S.story_bands.c, S.story_members.c
        if day is None:
            stored = self.conn.execute(select(m.day).distinct())
            buckets = sorted({S.band_bucket(d) for (d,) in stored})
        else:
            buckets = [-1, *range(S.band_bucket(day - days), S.band_bucket(day + days) + 1)]
        found: set[str] = set()
        for i in range(0, len(buckets), 50):  # both columns of the key by equality: one index seek per pair
            query = select(b.article_id).where(b.bucket.in_(buckets[i:i + 50]), b.key.in_(list(keys)))
            found.update(str(r[0]) for r in self.conn.execute(query))
        return self._members(sorted(found))

    def remember(self, member: Member, keys: Sequence[int]) -> None:
        """Store a newly placed article, its band keys and its terms."""
        p = member.profile
        self.conn.execute(insert(S.story_members).values(
            article_id=p.article_id, story=member.story, duplicate_of=member.original,
            day=p.published.toordinal() if p.published else None, seq=self.size(), profile=p.to_json(),
            words=json.dumps(member.words, ensure_ascii=False)))
        self.conn.execute(insert(S.story_bands), S.band_rows(p.article_id, member.profile.published, keys))
        if member.words:
            stmt = upsert_insert(self.conn)(S.story_terms).on_conflict_do_update(
                index_elements=["term"], set_={"df": S.story_terms.c.df + literal(1)})
            # one statement for every term (executemany): compiled once, not once per article
            self.conn.execute(stmt, [{"term": t, "df": 1} for t in sorted(member.words)])
        self._cache[p.article_id] = member
        self._size = self.size() + 1


def _unplaced(conn: Connection, among: Sequence[str] | None) -> list[str]:
    a, m = S.articles.c, S.story_members.c
    query = (select(a.id).outerjoin(S.story_members, m.article_id == a.id).where(m.article_id.is_(None))
             .order_by(a.published.is_(None), a.published, a.name, a.id))
    if among is not None:
        query = query.where(a.id.in_(list(among)))
    return [str(r[0]) for r in conn.execute(query)]


def _stored_profile(conn: Connection, aid: str, setup: ProfileSetup) -> Profile:
    a, e = S.articles.c, S.entities.c
    row = conn.execute(select(a.lang, a.published, a.outlet, a.title, a.text, a.lemmas).where(a.id == aid)).one()
    ents = [{"type": t, "kb_id": k, "code": c, "start": s} for t, k, c, s in
            conn.execute(select(e.type, e.kb_id, e.code, e.start).where(e.article_id == aid)
                         .order_by(e.start, e.end, e.type))]
    published = dt.date.fromisoformat(row.published) if row.published else None
    return profile_of(name=aid, article_id=aid, lang=row.lang, published=published, outlet=row.outlet,
                      title=row.title, text=row.text, lemmas=row.lemmas or "", entities=ents, setup=setup)


def assign_stories(engine: Engine, setup: ProfileSetup, params: Params | None = None,
                   progress: Callable[[int, int], None] | None = None, attempts: int = 20,
                   among: Sequence[str] | None = None) -> int:
    """Place every stored article that is in no story yet (of ``among``, when given), oldest first.

    ``setup`` holds what profiles are read with (:meth:`detente.cluster.signature.ProfileSetup.build`).
    Returns the number this call placed. ``among`` spares a large store the search for unplaced
    articles when the caller knows which ones it stored (one submitted article).

    ``progress(done, total)`` is called after each transaction of :data:`BATCH` articles. Another
    process placing the same articles at the same time makes a transaction fail (a key stored twice,
    or a locked database); it is rolled back and the work is read again, so each article is placed once.
    """
    placed = 0
    for attempt in range(attempts):
        counter = [0]  # articles this attempt placed (in transactions that committed)
        try:
            return placed + _assign_once(engine, setup, params, progress, counter, among)
        except (IntegrityError, OperationalError) as exc:
            placed += counter[0]
            if attempt == attempts - 1 or not (isinstance(exc, IntegrityError) or "locked" in str(exc).lower()):
                raise
            time.sleep(0.05 * (attempt + 1))
    return placed


def _assign_once(engine: Engine, setup: ProfileSetup, params: Params | None,
                 progress: Callable[[int, int], None] | None, counter: list[int], among: Sequence[str] | None) -> int:
    with engine.connect() as conn:
        todo = _unplaced(conn, among)
    with engine.connect() as conn:
        builder = StoryBuilder(params, StoreMemory(conn))
        for start in range(0, len(todo), BATCH):
            with conn.begin():
                batch = todo[start:start + BATCH]
                touched = [builder.add(_stored_profile(conn, aid, setup)).story for aid in batch]
                merge_stories(conn, touched)
            counter[0] += len(batch)
            if progress:
                progress(min(start + BATCH, len(todo)), len(todo))
    return counter[0]


def _summaries(conn: Connection, labels: Sequence[str]) -> dict[str, StoryDetail]:
    a, m = S.articles.c, S.story_members.c
    rows = conn.execute(select(m.story, m.article_id, m.duplicate_of, m.profile, a.name, a.title, a.outlet, a.lang,
                               a.published).join(S.articles, a.id == m.article_id)
                        .where(m.story.in_(list(labels))).order_by(m.story, m.seq))
    out: dict[str, StoryDetail] = {}
    actors: dict[str, Counter[str]] = {}
    for r in rows:
        d = out.setdefault(r.story, StoryDetail(story=r.story, articles=0, sources=0, reprints=0, langs=[],
                                                first=None, last=None, title=r.title, actors=[], members=[]))
        d["members"].append(StoryArticle(article_id=r.article_id, article=r.name, title=r.title, outlet=r.outlet,
                                         lang=r.lang, published=r.published, duplicate_of=r.duplicate_of))
        actors.setdefault(r.story, Counter()).update(json.loads(r.profile)["actors"])
    for label, d in out.items():
        ms = d["members"]
        dates = sorted(x["published"] for x in ms if x["published"])
        d["articles"], d["reprints"] = len(ms), sum(1 for x in ms if x["duplicate_of"])
        d["sources"] = len({x["outlet"] or x["article_id"] for x in ms})
        d["langs"] = sorted({x["lang"] or "-" for x in ms})
        d["first"], d["last"] = (dates[0], dates[-1]) if dates else (None, None)
        d["actors"] = [k for k, _ in actors[label].most_common(6) if not k.startswith("#")][:5]
    return out


def list_stories(engine: Engine, *, limit: int = 50, min_articles: int = 1,
                 among: Select[tuple[str | None]] | None = None) -> list[StorySummary]:
    """The stories with the newest articles first (at most ``limit``, of at least ``min_articles`` articles).

    ``among``, a query of story labels (the stories of the events a filter selects), narrows the list.
    """
    m, a = S.story_members.c, S.articles.c
    query = select(m.story).join(S.articles, a.id == m.article_id)
    if among is not None:
        query = query.where(m.story.in_(among))
    query = (query.group_by(m.story)
             .having(func.count() >= min_articles).order_by(func.max(a.published).desc(), func.count().desc(), m.story)
             .limit(limit))
    with engine.connect() as conn:
        labels = [str(r[0]) for r in conn.execute(query)]
        details = _summaries(conn, labels)
    return [_summary(details[label]) for label in labels]


def _summary(d: StoryDetail) -> StorySummary:
    return StorySummary(story=d["story"], articles=d["articles"], sources=d["sources"], reprints=d["reprints"],
                        langs=d["langs"], first=d["first"], last=d["last"], title=d["title"], actors=d["actors"])


def story_detail(engine: Engine, label: str) -> StoryDetail | None:
    """One story with its articles, or None when no story has that label (or it is no label at all)."""
    if not STORY_LABEL.fullmatch(label):
        return None
    with engine.connect() as conn:
        return _summaries(conn, [label]).get(label)
