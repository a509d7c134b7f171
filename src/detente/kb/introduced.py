"""People the KB does not know, introduced by a role: "министр энергетики Азербайджана Парвиз Шахбазов".

The name right after a role phrase of a country acts for that country, here and wherever the article
names the same surname again ("Шахбазов отметил …").
"""

from __future__ import annotations

from detente.doc import Doc, Entity


def surname(doc: Doc, e: Entity) -> str:
    """The lemma of a person mention's last word: the key its later mentions share."""
    tok = doc.tokens[e.tok_end - 1] if 0 < e.tok_end <= len(doc.tokens) else None
    return (tok.lemma or tok.text).lower() if tok is not None else e.text.lower()


def introduce(doc: Doc, ents: list[Entity], introduced: dict[str, tuple[Entity, str]]) -> None:
    """Give unlinked person names of one sentence the country of the role before them, and remember them.

    ``ents`` is the sentence's entities in text order; ``introduced`` maps a surname to the role mention
    that introduced it and the surname's first form, and is carried from sentence to sentence.
    """
    last: Entity | None = None
    for e in ents:
        if e.nested:
            continue
        person = e.type == "PER" or (e.type == "MISC" and e.via == "capitalized")  # English: no name tagger
        if person and e.kb_id is None and e.country is None and e.mention == "name":
            key, form = surname(doc, e), e.text.split()[-1]
            gap = doc.text[last.end : e.start] if last is not None else "x"
            if last is not None and last.mention == "nominal" and last.country and not gap.strip(" ,"):
                introduced[key] = (last, form)
            if key in introduced:
                role, first = introduced[key]
                e.country, e.code, e.kind, e.via, e.type = role.country, role.code, "person", "introduced", "PER"
                e.score = min(role.score, 0.7)
                cases = {c for c in (e.case or "").split("|") if c}
                if not cases:  # no case known (English): subject or object by position
                    cases = {"nom", "acc"}
                elif form == first:  # the surname does not decline ("Иванеску"): it may be the subject
                    cases.add("nom")
                e.case = "|".join(sorted(cases))
        last = e
