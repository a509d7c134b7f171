"""The country an article's outlet belongs to: from its name, its web address or a cue in the first lines."""

from __future__ import annotations

import re

from detente.doc import Doc, Token
from detente.kb.base import KnowledgeBase
from detente.kb.mention import DocTokens, SentenceView
from detente.kb.names import find_names
from detente.lang import Languages

# country-code top-level domains of the region's outlets
TLD = {"kz": "KAZ", "ua": "UKR", "ru": "RUS", "by": "BLR", "uz": "UZB", "kg": "KGZ", "am": "ARM", "az": "AZE",
       "ge": "GEO", "md": "MDA", "tj": "TJK", "tm": "TKM"}
_HOST_TLD = re.compile(r"\.(kz|ua|ru|by|uz|kg)\b")


def outlet_country(kb: KnowledgeBase, languages: Languages, doc: Doc, by_sent: dict[int, list[Token]],
                   index: DocTokens) -> str | None:
    """The outlet's country: a known outlet name, the URL's country domain, "передает Tengrinews.kz" ...

    Failing those, the language's ``default_outlet_country`` (Kazakh-language news is, but for a few
    foreign services, published in Kazakhstan).
    """
    if doc.outlet:
        for actor in kb.search(doc.outlet, limit=5):
            if actor.kind == "media" and actor.country:
                return actor.country
    if doc.url:
        host = re.sub(r"^[a-z]+://", "", doc.url).split("/")[0]
        tld = host.rsplit(".", 1)[-1].lower()
        if tld in TLD:
            return TLD[tld]
    for si in range(min(3, len(doc.sents))):
        lang = languages.find(doc.sents[si].lang)
        if lang is None:
            continue
        found = _cue_in(kb, SentenceView(doc, by_sent.get(si, []), lang, doc.published, index))
        if found:
            return found
    main = languages.find(doc.lang)
    default = main.words("linker").get("default_outlet_country") if main is not None else None
    return str(default[0]) if default else None


def _cue_in(kb: KnowledgeBase, view: SentenceView) -> str | None:
    """A media name right after an outlet cue ("передает", "хабарлайды"), or a country domain in a token."""
    cues = view.words("outlet_cues")
    toks = view.toks
    for m in find_names(kb, view):
        if m.actor.kind != "media" or not m.actor.country:
            continue
        if (m.start > 0 and toks[m.start - 1].lemma in cues) or (m.start > 1 and toks[m.start - 2].lemma in cues):
            return m.actor.country
    for tok in toks:
        m2 = _HOST_TLD.search(tok.text)
        if m2:
            return TLD[m2.group(1)]
    return None
