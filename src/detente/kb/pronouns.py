"""Third-person pronouns that refer to the person named just before ("он", "її", "ол", "he")."""

from __future__ import annotations

from detente.doc import Entity
from detente.kb.base import KnowledgeBase
from detente.kb.mention import SentenceView
from detente.nlp.morph import analyze


def find_pronouns(kb: KnowledgeBase, view: SentenceView, ents: list[Entity]) -> list[Entity]:
    """Pronoun mentions of the sentence, each linked to the nearest earlier person of its gender.

    A person of this sentence before the pronoun comes first, then the subject of an earlier
    sentence, then any earlier person. A possessive ("его истории") is only a mention after a
    preposition ("на його думку").
    """
    doc = view.doc
    poss = view.words("pronouns_possessive")
    fem = view.words("pronouns_fem")
    masc = view.words("pronouns_masc") | poss
    fem_poss = view.words("pronouns_fem_possessive")  # "её", "її": possessives that point to a woman
    out: list[Entity] = []
    taken = {(e.start, e.end) for e in ents}
    for tok, low in zip(view.toks, view.keys, strict=True):
        if low not in masc and low not in fem:
            continue
        if (tok.start, tok.end) in taken or any(e.start <= tok.start < e.end for e in ents):
            continue
        k = view.index.by_start[tok.start]
        if low in poss and (k == 0 or doc.tokens[k - 1].pos != "PREP"):
            continue  # "его истории": a possessive, not a mention; "на його думку" is one
        gender = "f" if low in fem or low in fem_poss else "m"
        cands = [e for e in reversed(ents) if e.end <= tok.start and e.type == "PER" and e.kb_id]
        earlier = [e for e in reversed(view.recent) if e.type == "PER" and e.kb_id]
        cands += [e for e in earlier if e.case and "nom" in e.case] + earlier
        ref = next((c for c in cands if kb.actors[c.kb_id or ""].gender == gender), None)
        if ref is None:
            continue
        case = "poss" if low in poss else analyze(tok.text, view.code).case
        out.append(ref.pronoun(tok, k, via="pronoun", score=0.6, case=case))
    return out

