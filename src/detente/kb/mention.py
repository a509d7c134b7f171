"""What the linker's steps share: a mention found in token positions, and one sentence's view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from detente.doc import Doc, Entity, EntityType, Token
from detente.kb.model import Actor
from detente.lang import Language
from detente.text import norm

KIND_TYPE: dict[str, EntityType] = {
    "person": "PER", "country": "LOC", "igo": "ORG", "ngo": "ORG", "seat": "ORG", "place": "LOC",
    "media": "MEDIA", "org": "ORG", "party": "ORG", "gov": "ORG", "company": "ORG",
}
PERSON_ROLES = frozenset({"head_of_state", "head_of_government", "foreign_minister", "defense_minister",
                          "spokesperson", "envoy", "ambassador", "un_secretary_general", "org_head"})
POSSESSIVE = frozenset({"'s", "’s"})
# roles whose holder is accredited to an organisation but acts for a state
AGENT_ROLES = frozenset({"ambassador", "envoy", "spokesperson"})
# roles a state fills many times over at once
MANY_HOLDERS = frozenset({"ambassador", "minister"})
OWNER_KINDS = ("country", "seat", "igo")


@dataclass(slots=True)
class Mention:
    """An actor mention in token positions of its sentence (``end`` exclusive)."""

    start: int
    end: int
    actor: Actor
    via: str
    cases: frozenset[str]
    score: float
    role: str | None = None
    nested: bool = False


@dataclass(slots=True)
class DocTokens:
    """Offset-to-token maps of one document, built once per document."""

    by_start: dict[int, int]
    by_end: dict[int, int]

    @classmethod
    def of(cls, doc: Doc) -> DocTokens:
        """Index the tokens of ``doc`` by their start and end offsets."""
        return cls({t.start: i for i, t in enumerate(doc.tokens)}, {t.end: i for i, t in enumerate(doc.tokens)})


@dataclass(slots=True)
class SentenceView:
    """One sentence as the linker sees it: its tokens, their matching keys and the actors named before."""

    doc: Doc
    toks: list[Token]
    lang: Language
    when: dt.date | None
    index: DocTokens
    recent: list[Entity] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    lemma_keys: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = [norm(t.text) for t in self.toks]
        self.lemma_keys = [norm(t.lemma or t.text) for t in self.toks]

    @property
    def code(self) -> str:
        """The sentence's language code."""
        return self.lang.code

    def words(self, name: str) -> set[str]:
        """A list of the language's ``linker.yaml`` as a set."""
        return set(self.lang.words("linker").get(name, []))
