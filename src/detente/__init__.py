"""detente: political news in ru, uk, kk and en turned into coded event data.

The Python API codes one text at a time, with the same pipeline and the same records as
``detente extract`` and ``detente annotate`` (the output contract of DESIGN.md §4)::

    import detente

    for ev in detente.extract("8 августа президент России Владимир Путин позвонил Касым-Жомарту Токаеву.",
                              published="2025-08-11"):
        print(ev["source"]["country"], ev["cameo"], ev["target"]["country"], ev["date"])

    art = detente.annotate(text, published=datetime.date(2025, 8, 11), lang="ru", outlet="Tengrinews")
    art["entities"], art["times"], art["quotes"], art["events"]

The models load on the first call and are kept for the rest of the process (one pipeline per
process, shared by the threads that call these functions one at a time).

Stored events come back as a DataFrame (pandas, else polars; typed as the Parquet export)::

    frame = detente.read_events("detente.db", country="KAZ", date_from="2025-08-01")
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from detente.records import ArticleRecord, EventRecord

__version__ = "0.1.0"

__all__ = ["ArticleRecord", "EventRecord", "__version__", "annotate", "extract", "read_events"]

_lock = threading.Lock()  # the pipeline's models are not shared between threads


def _published(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]) if value.strip() else None
        except ValueError:
            raise ValueError(f"published: {value!r} is not a date in the form YYYY-MM-DD") from None
    raise TypeError(f"published must be a date, an ISO date string or None, not {type(value).__name__}")


def annotate(
    text: str, published: dt.date | str | None = None, lang: str | None = None, outlet: str | None = None
) -> ArticleRecord:
    """Process one article and return it with every layer: entities, times, quotes and events.

    ``text`` is the article text (offsets in the record point into it, exactly as given);
    ``published`` its publication date (a ``datetime.date`` or an ISO string such as ``"2025-08-11"``),
    against which relative dates ("вчера", "8 августа") resolve; ``lang`` one of ``ru``, ``uk``,
    ``kk``, ``en`` (detected per sentence when left out); ``outlet`` the outlet's name, which sets
    the outlet country ("глава нашего государства" in a Kazakh outlet is Tokayev). The record is the
    one ``detente annotate --format jsonl`` prints a line of.
    """
    from detente.doc import Article
    from detente.output import article_dict
    from detente.pipeline import default_pipeline

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if lang is not None:
        from detente.lang import default_languages

        default_languages().get(lang)  # LanguageError (a ValueError) names the registered codes
    article = Article(text=text, name="", published=_published(published), outlet=outlet, lang=lang)
    with _lock:
        doc = default_pipeline().process(article)  # built once per process, on first use
    return article_dict(doc)


def extract(
    text: str, published: dt.date | str | None = None, lang: str | None = None, outlet: str | None = None
) -> list[EventRecord]:
    """Code the events of one article: the objects ``detente extract --format jsonl`` prints, one per event.

    The arguments are those of :func:`annotate`.
    """
    return annotate(text, published=published, lang=lang, outlet=outlet)["events"]


def read_events(db: str, **filters: Any) -> Any:
    """The stored events of ``db`` that match ``filters`` as a pandas (else polars) DataFrame with typed columns.

    See :func:`detente.export.frame.read_events` (``library=`` picks pandas or polars, ``sort=`` the order).
    """
    from detente.export.frame import read_events as _read

    return _read(db, **filters)
