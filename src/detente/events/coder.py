"""Code events from rules: find triggers, fill source and target slots, decide modality and date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from detente.doc import Doc, Entity, Event, Modality, Precision, Quote, TimeExpr, Token
from detente.events.cameo import lookup
from detente.events.rules import Rule, RuleSet, load_rules, word_matches
from detente.kb.base import default_kb, norm

VERB_POS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})
NOUN_POS = frozenset({"NOUN"})
ADJ_POS = frozenset({"ADJF", "ADJS"})
BOUNDARY = frozenset({",", ";", ":", "(", ")", "—", "–", "―", "?", "!"})
ACTOR_KINDS = frozenset({"person", "country", "igo", "ngo", "seat", "org", "party", "gov"})


@dataclass(slots=True)
class _Ctx:
    """What the coder knows about one sentence while it fills slots."""

    doc: Doc
    si: int
    rs: RuleSet
    toks: list[Token]
    first: int  # global index of toks[0]
    ents: list[Entity]
    quote: Quote | None
    trig: tuple[str, ...] = ()


def _is_actor(e: Entity) -> bool:
    if e.nested:
        return False
    return bool(e.country or (e.code and e.code.startswith("IGO"))) and (e.kind in ACTOR_KINDS or e.kind is None)


def _cases(e: Entity) -> set[str]:
    return set(e.case.split("|")) if e.case else set()


def _same_side(a: Entity, b: Entity) -> bool:
    if a.kb_id and a.kb_id == b.kb_id:
        return True
    return bool(a.country and a.country == b.country) or (not a.country and not b.country and a.code == b.code)


class EventCoder:
    """Pipeline stage: fills ``doc.events`` from the language's rules."""

    name = "events"
    requires = ("tokens", "entities", "times", "quotes")
    assigns = ("events",)

    def __init__(self, min_confidence: float = 0.0) -> None:
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        """Code the events of ``doc``."""
        events: list[Event] = []
        by_sent: dict[int, list[int]] = {}
        for i, tok in enumerate(doc.tokens):
            by_sent.setdefault(tok.sent, []).append(i)
        for si, sent in enumerate(doc.sents):
            idxs = by_sent.get(si, [])
            if not idxs:
                continue
            rs = load_rules(sent.lang)
            if not rs.rules:
                continue
            toks = [doc.tokens[i] for i in idxs]
            ents = [e for e in doc.entities if sent.start <= e.start < sent.end]
            ctx = _Ctx(doc, si, rs, toks, idxs[0], ents, None)
            events.extend(self._sentence(ctx))
        events = [e for e in merge_events(events) if e.confidence >= self.min_confidence]
        doc.events = events
        return doc

    # ---- triggers ------------------------------------------------------------------------------
    def _sentence(self, ctx: _Ctx) -> list[Event]:
        out: list[Event] = []
        used: set[int] = set()
        for ti, tok in enumerate(ctx.toks):
            if ti in used:
                continue
            keys = {tok.lemma, norm(tok.text)}
            cands = ctx.rs.candidates(keys)
            cands.sort(key=lambda c: -len(c[1]))
            for rule, trig in cands:
                end = self._match(ctx, ti, trig)
                if end is None or (len(trig) == 1 and not self._pos_ok(rule, tok)):
                    continue
                if not self._context_ok(ctx, rule, ti, end):
                    continue
                ctx.trig = trig
                evs = self._code(ctx, rule, ti, end)
                if evs:
                    out.extend(evs)
                    used.update(range(ti, end))
                    break
        # a target guessed from earlier sentences yields to one the same sentence names for the same act
        named = {(_actor_key(e.source), e.cameo[:2]) for e in out if e.target is not None and e.target_via != "context"}
        return [e for e in out if e.target_via != "context" or (_actor_key(e.source), e.cameo[:2]) not in named]

    @staticmethod
    def _match(ctx: _Ctx, ti: int, trig: tuple[str, ...]) -> int | None:
        j = ti + 1
        for word in trig[1:]:
            while j < len(ctx.toks) and ctx.toks[j].text in {'"', "«", "»", "„", "“", "”"}:
                j += 1
            if j >= len(ctx.toks) or not word_matches(word, (ctx.toks[j].lemma, norm(ctx.toks[j].text))):
                return None
            j += 1
        return j

    @staticmethod
    def _pos_ok(rule: Rule, tok: Token) -> bool:
        if rule.pos == "verb":
            return tok.pos in VERB_POS or tok.pos is None
        if rule.pos == "noun":
            return tok.pos in NOUN_POS or tok.pos is None
        if rule.pos == "adj":
            return tok.pos in ADJ_POS or tok.pos is None
        return True

    @staticmethod
    def _context_ok(ctx: _Ctx, rule: Rule, ti: int, end: int) -> bool:
        lo, hi = max(0, ti - rule.near_window), min(len(ctx.toks), end + rule.near_window)
        window = {w for t in ctx.toks[lo:hi] for w in (t.lemma, norm(t.text))}
        if rule.unless and any(word_matches(w, window) for w in rule.unless):
            return False
        return not rule.near or any(word_matches(w, window) for w in rule.near)

    # ---- clause --------------------------------------------------------------------------------
    def _clause(self, ctx: _Ctx, ti: int) -> tuple[int, int]:
        subord = ctx.rs.markers.get("clause_start", frozenset())
        converbs = tuple(ctx.rs.markers.get("converb_endings", frozenset()))
        lo = ti
        while lo > 0 and norm(ctx.toks[lo - 1].text) not in subord:
            # "Ресей мен Украинаны атысты тоқтатып, … шақырады": a converb's comma does not end the clause
            if ctx.toks[lo - 1].text in BOUNDARY and not (
                    converbs and ctx.toks[lo - 1].text == "," and lo > 1
                    and norm(ctx.toks[lo - 2].text).endswith(converbs)) and not _in_range(ctx.toks, lo - 1):
                break
            lo -= 1
        if lo > 0 and norm(ctx.toks[lo - 1].text) in subord:
            lo -= 1
        hi = ti + 1
        while hi < len(ctx.toks) and (ctx.toks[hi].text not in BOUNDARY or _in_range(ctx.toks, hi)) \
                and norm(ctx.toks[hi].text) not in subord:
            hi += 1
        return lo, hi

    # ---- one trigger ---------------------------------------------------------------------------
    def _code(self, ctx: _Ctx, rule: Rule, ti: int, end: int) -> list[Event]:
        doc = ctx.doc
        trig_tok = ctx.toks[ti]
        quote = next((q for q in doc.quotes if q.start <= trig_tok.start < q.end), None)
        ctx.quote = quote
        if self._is_question(ctx, ti):
            return []
        lo, hi = self._clause(ctx, ti)
        modality, negated = self._modality(ctx, rule, ti, end, lo, hi)
        cameo = rule.cameo
        if negated and rule.negated:
            cameo, modality = rule.negated, "asserted"
        elif modality == "future" and rule.future:
            cameo = rule.future
        if self._embedded(ctx, rule, ti):
            return []
        inner = quote if quote is not None and quote.direct else None
        pool = [e for e in ctx.ents if _is_actor(e) and self._same_quote(e, inner)]
        source_slots, target_slots = rule.source, rule.target
        if self._passive(ctx, ti, lo):  # "X was invited by Y": the agent acts, the subject undergoes
            source_slots, target_slots = ("by+acc",), ("subj",)
            rule = dataclasses.replace(rule, source=source_slots, target=target_slots, symmetric=False)
        sources, s_slot = self._fill(ctx, rule.source, pool, ti, end, lo, hi, None)
        targets: list[Entity] = []
        t_slot = ""
        if not sources and rule.symmetric:
            # "відбулися переговори між делегаціями України та США": the parties are the compound target
            parties, s_slot = self._fill(ctx, rule.target, pool, ti, end, lo, hi, None)
            if len(parties) > 1:
                sources, targets, t_slot = parties[:1], parties[1:], s_slot
        if not sources and rule.symmetric and self._parties_word(ctx, lo, ti):
            # "Тараптар … қол қойды", "the two leaders signed": the two sides the article is about
            pair = self._recent_pair(ctx)
            if pair is not None:
                sources, targets, s_slot, t_slot = [pair[0]], [pair[1]], "context", "context"
        if not sources:
            return []
        if not targets and rule.target:
            targets, t_slot = self._fill(ctx, rule.target, pool, ti, end, lo, hi, sources[0])
        if not targets and rule.symmetric and len(sources) > 1:
            # "Лавров и Ван И провели переговоры": the first named meets the others
            sources, targets, t_slot = sources[:1], sources[1:], "conjunct"
        if rule.target_required and not targets:
            return []
        date, precision, explicit = self._date(ctx, ti, lo, hi, modality)
        location = self._location(ctx, lo, hi)
        conf = rule.confidence
        if s_slot in ("speaker", "context"):
            conf *= 0.85
        if t_slot == "context":
            conf *= 0.8
        if modality == "hypothetical":
            conf *= 0.8
        out = []
        trig_start, trig_end = trig_tok.start, ctx.toks[end - 1].end
        sent = doc.sents[ctx.si]
        tgts: list[Entity | None] = list(targets) if targets else [None]
        for src, tgt in itertools.product(sources, tgts):
            if tgt is not None and _same_side(src, tgt):
                continue
            score = conf * (0.6 + 0.4 * min(src.score, tgt.score if tgt else 1.0))
            ev = Event(cameo=cameo, trigger_start=trig_start, trigger_end=trig_end, sent=ctx.si, source=src,
                       target=tgt, modality=modality, date=date, date_precision=precision, date_explicit=explicit,
                       quote=doc.quotes.index(quote) if quote else None, rule=rule.id, confidence=round(score, 3),
                       target_via=t_slot, symmetric=rule.symmetric,
                       evidence=[(sent.start, sent.end)], location=location)
            out.append(ev)
        return out

    @staticmethod
    def _passive(ctx: _Ctx, ti: int, lo: int) -> bool:
        """A participle trigger after a form of "be" ("was summoned", "have been invited")."""
        aux = ctx.rs.markers.get("passive_aux", frozenset())
        tok = ctx.toks[ti]
        if not aux or tok.tense != "past" or tok.pos == "NOUN":
            return False
        for prev in reversed(ctx.toks[max(lo, ti - 3) : ti]):
            if prev.lemma in aux:
                return True
            if prev.pos not in (None, "ADVB") and norm(prev.text) not in ctx.rs.markers.get("negation", frozenset()):
                return False
        return False

    @staticmethod
    def _embedded(ctx: _Ctx, rule: Rule, ti: int) -> bool:
        """True when the trigger stands in the complement of a demand or appeal ("demanded that Russia return")."""
        verbs = ctx.rs.markers.get("embedding", frozenset())
        if not verbs or rule.cameo[:2] in ("02", "10"):
            return False
        if ctx.rs.word_order == "sov":
            # "күш қолданудан бас тартуға шақырады": a verbal noun (the trigger or a word just after it)
            # followed by an appeal verb
            endings = tuple(ctx.rs.markers.get("verbal_noun_endings", frozenset()))
            k = next((j for j in range(ti, min(ti + 3, len(ctx.toks)))
                      if endings and norm(ctx.toks[j].text).endswith(endings)), None)
            if k is None:
                return False
            return any(word_matches(v, {norm(t.text)}) for t in ctx.toks[k + 1 : k + 9] for v in verbs)
        links = ctx.rs.markers.get("infinitive", frozenset()) | {"that"}
        seen_link = False
        for prev in reversed(ctx.toks[max(0, ti - 12) : ti]):
            if norm(prev.text) in links:
                seen_link = True
            elif prev.lemma in verbs and seen_link:
                return True
            elif prev.text in (";", ":") or prev.text in ctx.rs.markers.get("sentence_break", frozenset()):
                return False
        return False

    @staticmethod
    def _same_quote(e: Entity, quote: Quote | None) -> bool:
        return True if quote is None else quote.start <= e.start < quote.end

    def _is_question(self, ctx: _Ctx, ti: int) -> bool:
        q = ctx.rs.markers.get("question", frozenset())
        before = ctx.toks[max(0, ti - 6) : ti]
        return any(norm(t.text) in q for t in before)

    # ---- modality ------------------------------------------------------------------------------
    def _modality(self, ctx: _Ctx, rule: Rule, ti: int, end: int, lo: int, hi: int) -> tuple[Modality, bool]:
        m = ctx.rs.markers
        neg = m.get("negation", frozenset())
        sov = ctx.rs.word_order == "sov"
        before = ctx.toks[max(lo, ti - 3) : ti]
        tok = ctx.toks[ti]
        # a noun trigger's predicate may stand well after it: "встреча X и Y в Лондоне пока не запланирована"
        after = ctx.toks[end : min(hi, end + (10 if tok.pos in NOUN_POS else 6))]
        refusal = m.get("refusal", frozenset())
        infinitive = (tok.pos == "INFN" or "infn" in tok.tags
                      or (ti > 0 and norm(ctx.toks[ti - 1].text) in m.get("infinitive", frozenset())))
        suffix_mood, suffix_neg = self._suffix_modality(ctx, rule, end)
        negated = suffix_neg or any(norm(t.text) in neg for t in before) or (
            infinitive and any(t.lemma in refusal for t in ctx.toks[max(lo, ti - 4) : ti]))
        if not negated:
            for a, b in itertools.pairwise(after):
                if norm(a.text) in neg and (b.lemma in m.get("auxiliary", frozenset()) or b.pos in VERB_POS):
                    negated = True
            if sov:  # "кездесу жоспарланбаған", "делдал болуды жоспарламайды": the negation follows
                negated = any(word_matches(w, {norm(t.text)}) for t in after[:3] for w in neg)
        if negated and not rule.negated:
            return "negated", True
        window = ctx.toks[max(lo, ti - 8) : ti] + (after[:4] if sov else [])
        lemmas = {t.lemma for t in window} | {norm(t.text) for t in window}
        future = m.get("future", frozenset())
        if suffix_mood == "future" or any(word_matches(w, lemmas) for w in future):
            return "future", negated
        sent_before = ctx.toks[:ti]
        if suffix_mood == "hypothetical" or any(norm(t.text) in m.get("hypothetical", frozenset())
                                                for t in sent_before) or any(
                norm(t.text) in m.get("conditional", frozenset()) for t in ctx.toks[lo:hi]):
            return "hypothetical", negated
        aux = m.get("auxiliary", frozenset())
        if tok.tense == "futr" or any(t.lemma in aux and t.tense == "futr" for t in window[-3:]) or any(
                t.lemma in aux and t.tense == "futr" for t in after[:3]):
            return "future", negated
        return "asserted", negated

    @staticmethod
    def _suffix_modality(ctx: _Ctx, rule: Rule, end: int) -> tuple[str | None, bool]:
        """Mood and negation read from what follows a stem trigger ("кездес*" in "кездеспейді")."""
        if not ctx.trig or not ctx.trig[-1].endswith("*"):
            return None, False
        m = ctx.rs.markers
        rest = norm(ctx.toks[end - 1].text)[len(ctx.trig[-1]) - 1 :]
        converbs = tuple(m.get("converb_endings", ()))
        if converbs and rest.endswith(converbs):
            # "Турчинмен кездесіп, … талқылайды": a converb takes its tense from the clause-final verb
            words = [norm(t.text) for t in ctx.toks[end:] if any(ch.isalpha() for ch in t.text)]
            if words and words[-1].endswith(tuple(m.get("suffix_future", ()))):
                return ("future" if rule.future else None), False
            return None, False
        if any(rest.startswith(x) for x in m.get("suffix_future", ())):
            # the present-future form: a plan for acts that have a planned reading, else a present act
            return ("future" if rule.future else None), False
        if any(rest.startswith(x) for x in m.get("suffix_negation", ())):
            return None, True
        if any(rest.startswith(x) for x in m.get("suffix_conditional", ())):
            return "hypothetical", False
        return None, False

    # ---- slots ---------------------------------------------------------------------------------
    def _fill(self, ctx: _Ctx, slots: tuple[str, ...], pool: list[Entity], ti: int, end: int, lo: int, hi: int,
              source: Entity | None) -> tuple[list[Entity], str]:
        for slot in slots:
            found = self._slot(ctx, slot, pool, ti, end, lo, hi, source)
            if source is not None:
                found = [e for e in found if not _same_side(e, source)]
            if found:
                return self._with_conjuncts(ctx, found[0], pool), slot
        return [], ""

    def _slot(self, ctx: _Ctx, slot: str, pool: list[Entity], ti: int, end: int, lo: int, hi: int,
              source: Entity | None) -> list[Entity]:
        t0 = ctx.first
        trig_g, end_g = t0 + ti, t0 + end
        if slot == "subj":
            noms = [e for e in pool if "nom" in _cases(e) and not self._prep(ctx, e) and not self._postp(ctx, e)]
            before = [e for e in noms if e.tok_end <= trig_g and e.tok_start >= t0 + lo]
            if ctx.rs.word_order == "sov":
                # "Қазақстан Үндістан мен Пәкістанды шақырды": a conjunct takes the case of the last member,
                # and the subject opens the clause
                before = [e for e in before if "nom" in _cases(self._with_conjuncts(ctx, e, pool)[-1])]
                return before[:1] or self._speaker_list(ctx, ti)
            sure = [e for e in before if _cases(e) == {"nom"}]
            if sure:  # an unambiguous nominative beats an indeclinable name that may be an object
                return [sure[-1]]
            seat = self._impersonal_source(ctx, pool, ti, lo)
            if seat is not None and not any(e.kind == "person" and e.tok_start < seat.tok_start for e in before):
                return [seat]  # "У Москві візит Рютте розкритикували": the plural verb has no subject
            if before:
                return [before[-1]]
            if not ctx.rs.subject_after_verb:
                return self._speaker_list(ctx, ti)
            after = [e for e in noms if e.tok_start >= end_g and e.tok_start < t0 + hi]
            if after:
                return [after[0]]
            earlier = [e for e in noms if e.tok_end <= trig_g]
            sure_earlier = [e for e in earlier if _cases(e) == {"nom"}]
            if sure_earlier:  # the nearest subject that cannot be an object
                return [sure_earlier[-1]]
            if earlier:  # only ambiguous forms: the first is the main clause's subject, later ones its objects
                return [earlier[0]]
            return self._speaker_list(ctx, ti)
        if slot == "speaker":
            return self._speaker_list(ctx, ti)
        if slot == "initiator":
            return self._initiator(ctx, pool)
        if slot == "context":
            return self._context(ctx, source)
        if slot == "gen0":  # the genitive right after a noun trigger: "атаку Росії", "удары ВСУ"
            return [e for e in pool if e.tok_start == end_g and "gen" in _cases(e) and not self._prep(ctx, e)][:1]
        if slot == "gen_pre":  # the possessor just before a noun trigger: "Meloni's invitation", "Путиннің сапары"
            return [e for e in pool if 0 <= trig_g - e.tok_end <= 3 and e.tok_start >= t0 + lo
                    and "gen" in _cases(e)][-1:]
        prep, _, case = slot.rpartition("+")
        reach = 8 if prep else 4
        after = [e for e in pool if end_g <= e.tok_start < t0 + hi + (6 if prep else 0)
                 and e.tok_start - end_g <= reach]
        fronted = ctx.rs.markers.get("fronted_prepositions", frozenset())
        before = [e for e in pool if t0 + lo <= e.tok_start and e.tok_end <= trig_g] \
            if prep in fronted or (ctx.rs.word_order == "sov" and not prep) else []
        if ctx.rs.word_order == "sov" and not prep:
            after = [e for e in after if e.tok_start - end_g <= 1]  # a verb-final clause: objects come first
        out = []
        owners = []
        for e in after + before[::-1]:
            p = self._prep(ctx, e)
            cases = _cases(e)
            if prep and p is None and "gen" in cases and self._owner_of_prep_object(ctx, e, prep):
                owners.append(e)  # "удар по инфраструктуре Украины": the owner of the prepositional object
                continue
            if prep:
                if p is None or prep not in (p.lemma, norm(p.text)):
                    continue
            elif p is not None:
                continue
            if cases and case not in cases:
                continue
            out.append(e)
        return (out or owners)[:1]

    def _owner_of_prep_object(self, ctx: _Ctx, e: Entity, prep: str) -> bool:
        """True when ``e`` (genitive) follows "PREP + up to three words" in its clause."""
        k = e.tok_start - 1
        for _ in range(3):
            if k < 0 or ctx.doc.tokens[k].sent != ctx.si:
                return False
            tok = ctx.doc.tokens[k]
            if tok.text in BOUNDARY or any(x.tok_start <= k < x.tok_end for x in ctx.ents):
                return False
            if prep in (tok.lemma, norm(tok.text)):
                return k < e.tok_start - 1
            if tok.pos == "PREP":
                return False
            k -= 1
        return False

    def _impersonal_source(self, ctx: _Ctx, pool: list[Entity], ti: int, lo: int) -> Entity | None:
        """"В Кремле отвергли…", "У МЗС України засудили…": an institution in the locative with a plural verb."""
        verb = ctx.toks[ti]
        if verb.number != "plur" and "plur" not in verb.tags:
            return None
        places = ctx.rs.markers.get("location_prepositions", frozenset())
        for e in pool:
            if not (ctx.first + lo <= e.tok_start and e.tok_end <= ctx.first + ti):
                continue
            p = self._prep(ctx, e)
            if p is not None and norm(p.text) in places and (not e.case or "loc" in _cases(e)):
                return e
        return None

    @staticmethod
    def _postp(ctx: _Ctx, e: Entity) -> bool:
        """True when a postposition follows the entity ("Ауғанстан үшін": for Afghanistan)."""
        posts = ctx.rs.markers.get("postpositions", frozenset())
        if not posts or e.tok_end >= len(ctx.doc.tokens):
            return False
        return norm(ctx.doc.tokens[e.tok_end].text) in posts

    def _prep(self, ctx: _Ctx, e: Entity) -> Token | None:
        """The preposition right before an entity, if any."""
        preps = ctx.rs.markers.get("prepositions", frozenset())
        if e.tok_start == 0:
            return None
        tok = ctx.doc.tokens[e.tok_start - 1]
        if tok.sent != ctx.si:
            return None
        return tok if (tok.pos == "PREP" or norm(tok.text) in preps) else None

    def _with_conjuncts(self, ctx: _Ctx, e: Entity, pool: list[Entity]) -> list[Entity]:
        """The entity and those coordinated with it ("Путин и Зеленский", "між Росією та Україною")."""
        out = [e]
        conj = ctx.rs.markers.get("conjunction", frozenset())
        # backwards: "Зеленский и Трамп встретились" picked "Трамп"
        cur = e
        while cur.tok_start >= 2 and norm(ctx.doc.tokens[cur.tok_start - 1].text) in conj:
            prev = next((x for x in pool if x.tok_end == cur.tok_start - 1 and x is not cur), None)
            if prev is None:
                break
            out.insert(0, prev)
            cur = prev
        cur = e
        while True:
            nxt_tok = cur.tok_end
            if nxt_tok >= len(ctx.doc.tokens) or norm(ctx.doc.tokens[nxt_tok].text) not in conj:
                break
            nxt = next((x for x in pool if x.tok_start == nxt_tok + 1 and x is not cur), None)
            if nxt is None:
                break
            out.append(nxt)
            cur = nxt
        return out

    def _speaker_list(self, ctx: _Ctx, ti: int) -> list[Entity]:
        """The speaker of the quote or sentence as a slot filling (empty when there is none)."""
        speaker = self._speaker(ctx, ti)
        return [speaker] if speaker else []

    def _speaker(self, ctx: _Ctx, ti: int) -> Entity | None:
        if ctx.quote is not None and ctx.quote.speaker is not None:
            return ctx.quote.speaker
        found = self._phrase_actor(ctx, ctx.rs.phrases.get("according_to", ()), ctx.ents)
        return found[0] if found else None

    @staticmethod
    def _phrase_actor(ctx: _Ctx, phrases: tuple[tuple[str, ...], ...], pool: list[Entity]) -> list[Entity]:
        """The actor a phrase introduces: at its ``*`` ("на * думку"), else right after it ("по словам X")."""
        keys = [(t.lemma, norm(t.text)) for t in ctx.toks]
        for i in range(len(ctx.toks)):
            for ph in phrases:
                if i + len(ph) > len(keys):
                    continue
                slot = None
                for k, w in enumerate(ph):
                    if w == "*":
                        slot = ctx.first + i + k
                    elif w not in keys[i + k]:
                        break
                else:
                    g = slot if slot is not None else ctx.first + i + len(ph)
                    e = next((x for x in pool if x.tok_start == g and _is_actor(x)), None)
                    if e is not None:
                        return [e]
        return []

    def _initiator(self, ctx: _Ctx, pool: list[Entity]) -> list[Entity]:
        return self._phrase_actor(ctx, ctx.rs.phrases.get("initiative", ()), pool)

    @staticmethod
    def _parties_word(ctx: _Ctx, lo: int, ti: int) -> bool:
        """True when the clause before the trigger names the sides as a group ("тараптар", "the sides")."""
        words = ctx.rs.markers.get("parties", frozenset())
        return bool(words) and any(t.lemma in words or norm(t.text) in words for t in ctx.toks[lo:ti])

    @staticmethod
    def _recent_pair(ctx: _Ctx) -> tuple[Entity, Entity] | None:
        """The first two actors of different sides named in this and the five sentences before."""
        doc = ctx.doc
        lo = doc.sents[max(0, ctx.si - 5)].start
        found: list[Entity] = []
        for e in doc.entities:
            if lo <= e.start < doc.sents[ctx.si].end and _is_actor(e) and e.kind != "place" \
                    and not any(_same_side(e, f) for f in found):
                found.append(e)
        return (found[0], found[1]) if len(found) >= 2 else None

    def _context(self, ctx: _Ctx, source: Entity | None) -> list[Entity]:
        """An actor of the sentences just before: their subject first, else the latest one named."""
        doc = ctx.doc
        for back in range(1, 6):
            si = ctx.si - back
            if si < 0:
                break
            sent = doc.sents[si]
            ents = [e for e in doc.entities if sent.start <= e.start < sent.end and _is_actor(e)]
            if source is not None:
                ents = [e for e in ents if not _same_side(e, source)]
            if not ents:
                continue
            noms = [e for e in ents if "nom" in _cases(e)]
            return [noms[0] if noms else ents[-1]]
        return []

    # ---- location ------------------------------------------------------------------------------
    def _location(self, ctx: _Ctx, lo: int, hi: int) -> dict[str, Any] | None:
        """A place in the clause after a locative preposition ("на Аляске", "в Астане")."""
        preps = ctx.rs.markers.get("location_prepositions", frozenset())
        t0 = ctx.first
        for e in ctx.ents:
            if not (t0 + lo <= e.tok_start < t0 + hi) or not e.kb_id:
                continue
            if e.kind != "place" and not (e.kind == "country" and e.via == "capital"):
                continue
            p = self._prep(ctx, e)
            if ctx.rs.word_order == "sov":  # "Астанада": the locative case alone places it
                if "loc" not in _cases(e):
                    continue
            elif p is None or norm(p.text) not in preps or (e.case and "loc" not in _cases(e)):
                continue
            actor = default_kb().actors.get(e.kb_id)
            if actor is None:
                continue
            if actor.kind == "country":
                return {"name": actor.capital.get("en") or actor.name, "country": actor.country,
                        "lat": actor.lat, "lon": actor.lon, "text": e.text, "start": e.start, "end": e.end}
            return {"name": actor.name, "country": actor.country, "lat": actor.lat, "lon": actor.lon,
                    "text": e.text, "start": e.start, "end": e.end}
        return None

    # ---- dates ---------------------------------------------------------------------------------
    def _date(
        self, ctx: _Ctx, ti: int, lo: int, hi: int, modality: Modality
    ) -> tuple[str | None, Precision | None, bool]:
        doc = ctx.doc
        sent = doc.sents[ctx.si]
        trig = ctx.toks[ti].start
        times = [t for t in doc.times if sent.start <= t.start < sent.end]
        clause_lo, clause_hi = ctx.toks[lo].start, ctx.toks[hi - 1].end
        limits = ctx.rs.markers.get("time_limit", frozenset())
        explicit = [t for t in times if not t.vague and t.value and not self._after_word(doc, t, limits)]
        in_clause = [t for t in explicit if clause_lo <= t.start < clause_hi]
        pick = in_clause or explicit
        if pick:
            best = min(pick, key=lambda t: abs(t.start - trig))
            value = best.value
            if modality == "future" and best.relation == "past" and best.precision == "day" and value \
                    and not any(ch.isdigit() for ch in best.text):
                # "в пятницу планирует встретиться": a weekday in a plan is the coming one
                value = (dt.date.fromisoformat(value) + dt.timedelta(days=7)).isoformat()
            return value, best.precision, True
        if any(t.vague for t in times) or modality != "asserted":
            return None, None, False
        inherited = self._paragraph_time(doc, ctx.si)
        if inherited is not None:
            return inherited.value, inherited.precision, True
        if doc.published is None:
            return None, None, False
        return doc.published.isoformat(), "day", False

    @staticmethod
    def _after_word(doc: Doc, t: TimeExpr, words: frozenset[str]) -> bool:
        """True when the time expression follows one of ``words`` ("до 2035 года": a limit, not a date)."""
        head = doc.text[max(0, t.start - 12) : t.start].split()
        return bool(head) and norm(head[-1]) in words

    @staticmethod
    def _paragraph_time(doc: Doc, si: int) -> TimeExpr | None:
        para = doc.sents[si].paragraph
        for back in range(si - 1, -1, -1):
            sent = doc.sents[back]
            if sent.paragraph != para:
                break
            times = [t for t in doc.times if sent.start <= t.start < sent.end and not t.vague and t.value]
            if times:
                return times[-1]
        return None


def _in_range(toks: list[Token], k: int) -> bool:
    """True for a dash between two numbers ("26–27 маусымда"), which joins rather than separates."""
    return toks[k].text in ("–", "—", "-") and 0 < k < len(toks) - 1 \
        and toks[k - 1].text[-1:].isdigit() and toks[k + 1].text[:1].isdigit()


def _actor_key(e: Entity | None) -> str | None:
    if e is None:
        return None
    return e.country or e.code or e.kb_id


def same_act(a: str, b: str) -> bool:
    """True when two CAMEO codes can name the same act: equal base codes, or one is its root's generic.

    "040" (consult) and "041" (by telephone) are one call reported twice; "051" (praise) and "057"
    (sign an agreement) are two acts.
    """
    if a[:2] != b[:2]:
        return False
    return a[:3] == b[:3] or a[:3].endswith("0") or b[:3].endswith("0")


def merge_events(events: list[Event]) -> list[Event]:
    """Merge reports of the same event within one article.

    Events with the same source and target sides, modality and act (:func:`same_act`) are one event: it
    keeps the most specific code, an explicit date over a default one, the highest confidence and every
    piece of evidence. An event with no target merges into one with the same source, act and modality.
    """
    out: list[Event] = []
    for ev in events:
        src = _actor_key(ev.source)
        twin = next((o for o in out if _same_pair(o, ev) and o.modality == ev.modality
                     and same_act(o.cameo, ev.cameo) and _dates_compatible(o, ev)), None)
        if twin is None and ev.target is None:
            twin = next((o for o in out if _actor_key(o.source) == src and same_act(o.cameo, ev.cameo)
                         and o.modality == ev.modality), None)
        if twin is None and ev.target is not None:
            lone = next((o for o in out if o.target is None and _actor_key(o.source) == src
                         and same_act(o.cameo, ev.cameo) and o.modality == ev.modality), None)
            if lone is not None:
                out.remove(lone)
                ev.evidence = lone.evidence + ev.evidence
        if twin is None:
            out.append(ev)
            continue
        _absorb(twin, ev)
    return out


def _same_pair(a: Event, b: Event) -> bool:
    """Same source and target; for symmetric acts (talks, calls, agreements) in either direction."""
    pa, pb = (_actor_key(a.source), _actor_key(a.target)), (_actor_key(b.source), _actor_key(b.target))
    return pa == pb or (a.symmetric and b.symmetric and pa == pb[::-1])


def _dates_compatible(a: Event, b: Event) -> bool:
    return a.date == b.date or not a.date_explicit or not b.date_explicit


def _absorb(keep: Event, other: Event) -> None:
    if _specificity(other.cameo) > _specificity(keep.cameo):
        keep.cameo = other.cameo
    if other.date_explicit and not keep.date_explicit:
        keep.date, keep.date_precision, keep.date_explicit = other.date, other.date_precision, True
    keep.confidence = max(keep.confidence, other.confidence)
    for ev in other.evidence:
        if ev not in keep.evidence:
            keep.evidence.append(ev)
    if keep.target is None and other.target is not None:
        keep.target = other.target


def _specificity(code: str) -> int:
    try:
        lookup(code)
    except KeyError:
        return 0
    return len(code) - (1 if code.endswith("0") and len(code) == 3 else 0)
