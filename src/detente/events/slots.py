"""Argument slots: who fills a rule's source and target ("subj", "dat", "с+ins", "speaker", ...)."""

from __future__ import annotations

from detente.doc import Entity, Token
from detente.events import syntax
from detente.events.context import BOUNDARY, QUOTE_MARKS, SentenceContext, TriggerSpan, cases, is_actor, same_side
from detente.events.quotes import speech_data
from detente.text import norm


def fill(ctx: SentenceContext, slots: tuple[str, ...], pool: list[Entity], span: TriggerSpan,
         source: Entity | None) -> tuple[list[Entity], str]:
    """The first slot of ``slots`` that finds an actor (other than ``source``'s side), with its conjuncts."""
    for slot in slots:
        found = slot_fillers(ctx, slot, pool, span, source)
        if source is not None:
            found = [e for e in found if not same_side(e, source)]
        if found:
            return with_conjuncts(ctx, found[0], pool), slot
    return [], ""


def slot_fillers(ctx: SentenceContext, slot: str, pool: list[Entity], span: TriggerSpan,
                 source: Entity | None) -> list[Entity]:
    """The candidates for one slot, best first."""
    trig_g, end_g = ctx.first + span.ti, ctx.first + span.end
    if slot == "subj":
        return _subject(ctx, pool, span)
    if slot == "speaker":
        return speaker_list(ctx)
    if slot == "reporter":
        return _reporter(ctx, span)
    if slot == "initiator":
        return phrase_actor(ctx, ctx.rs.phrases.get("initiative", ()), pool)
    if slot == "context":
        return _context(ctx, source)
    if slot in ("clause", "sentence"):
        return _nearest(ctx, pool, span, slot == "clause")
    if slot == "gen0":  # the genitive right after a noun trigger: "атаку Росії", "удары ВСУ"
        return [e for e in pool if e.tok_start == end_g and "gen" in cases(e) and not prep_before(ctx, e)][:1]
    if slot == "gen_pre":  # the possessor just before a noun trigger: "Meloni's invitation", "Путиннің сапары"
        return [e for e in pool if 0 <= trig_g - e.tok_end <= 3 and e.tok_start >= ctx.first + span.lo
                and "gen" in cases(e)][-1:]
    return _case_slot(ctx, slot, pool, span)


def _nearest(ctx: SentenceContext, pool: list[Entity], span: TriggerSpan, in_clause: bool) -> list[Entity]:
    """The actors of the trigger's clause (or sentence): its subjects in text order, then the nearest others."""
    trig_g, end_g = ctx.first + span.ti, ctx.first + span.end
    lo, hi = (ctx.first + span.lo, ctx.first + span.hi) if in_clause else (0, len(ctx.doc.tokens))
    inside = [e for e in pool
              if lo <= e.tok_start and e.tok_end <= hi and (e.tok_end <= trig_g or e.tok_start >= end_g)]
    noms = [e for e in inside if "nom" in cases(e) and not prep_before(ctx, e)]
    rest = [e for e in inside if e not in noms]
    return noms + sorted(rest, key=lambda e: trig_g - e.tok_end if e.tok_end <= trig_g else e.tok_start - end_g)


def _subject(ctx: SentenceContext, pool: list[Entity], span: TriggerSpan) -> list[Entity]:
    """The subject: a nominative before the trigger in its clause, else after it, else the speaker."""
    t0 = ctx.first
    trig_g, end_g = t0 + span.ti, t0 + span.end
    noms = [e for e in pool if "nom" in cases(e) and not prep_before(ctx, e) and not _postposition_after(ctx, e)]
    if syntax.parsed(ctx, span):  # the parse breaks the tie between nominatives
        found = [e for e in syntax.subject(ctx, noms, span) if e.tok_start < t0 + span.hi]
        if found:
            return found[:1]
    before = [e for e in noms if e.tok_end <= trig_g and e.tok_start >= t0 + span.lo]
    if ctx.rs.word_order == "sov":
        # "Қазақстан Үндістан мен Пәкістанды шақырды": a conjunct takes the case of the last member,
        # and the subject opens the clause
        before = [e for e in before if "nom" in cases(with_conjuncts(ctx, e, pool)[-1])]
        return before[:1] or speaker_list(ctx)
    sure = [e for e in before if cases(e) == {"nom"}]
    if sure:  # an unambiguous nominative beats an indeclinable name that may be an object
        return [sure[-1]]
    seat = _impersonal_source(ctx, pool, span)
    if seat is not None and not any(e.tok_start < seat.tok_start for e in before):
        return [seat]  # "У Москві візит Рютте розкритикували": the plural verb has no subject
    if not ctx.rs.subject_after_verb:
        # "X summoned Estonia's envoy and handed him a protest": a name right after a verb is its object
        before = [e for e in before if not _after_verb(ctx, e)] or before
    if before:
        return [before[-1]]
    if not ctx.rs.subject_after_verb:
        return speaker_list(ctx)
    after = [e for e in noms if e.tok_start >= end_g and e.tok_start < t0 + span.hi]
    if after:
        return [after[0]]
    earlier = [e for e in noms if e.tok_end <= trig_g]
    sure_earlier = [e for e in earlier if cases(e) == {"nom"}]
    if sure_earlier:  # the nearest subject that cannot be an object
        return [sure_earlier[-1]]
    if earlier:  # only ambiguous forms: the first is the main clause's subject, later ones its objects
        return [earlier[0]]
    return speaker_list(ctx)


def _case_slot(ctx: SentenceContext, slot: str, pool: list[Entity], span: TriggerSpan) -> list[Entity]:
    """A slot "case" or "preposition+case": the nearest mention in that case after (or before) the trigger."""
    t0 = ctx.first
    trig_g, end_g = t0 + span.ti, t0 + span.end
    prep, _, case = slot.rpartition("+")
    if syntax.parsed(ctx, span):
        found = [e for e in syntax.objects(ctx, pool, span)
                 if _case_fits(e, prep, case, syntax.preposition(ctx, e))]
        if found:
            return found[:1]
    reach = 8 if prep else 4
    sov = ctx.rs.word_order == "sov"
    after = [e for e in pool if end_g <= e.tok_start < t0 + span.hi + (6 if prep else 0)
             and e.tok_start - end_g <= reach]
    fronted = ctx.rs.markers.get("fronted_prepositions", frozenset())
    before = [e for e in pool if t0 + span.lo <= e.tok_start and e.tok_end <= trig_g] \
        if prep in fronted or (sov and not prep) else []
    if sov and not prep:
        after = [e for e in after if e.tok_start - end_g <= 1]  # a verb-final clause: objects come first
    out = []
    owners = []
    for e in after + before[::-1]:
        p = prep_before(ctx, e)
        if prep and p is None and "gen" in cases(e) and _owner_of_prep_object(ctx, e, prep):
            owners.append(e)  # "удар по инфраструктуре Украины": the owner of the prepositional object
            continue
        if _case_fits(e, prep, case, p):
            out.append(e)
    return (out or owners)[:1]


def _case_fits(e: Entity, prep: str, case: str, p: Token | None) -> bool:
    """True when ``e``'s preposition ``p`` is the slot's (none for a bare case) and its case may be the slot's."""
    if prep:
        if p is None or prep not in (p.lemma, norm(p.text)):
            return False
    elif p is not None:
        return False
    e_cases = cases(e)
    return not e_cases or case in e_cases


def _owner_of_prep_object(ctx: SentenceContext, e: Entity, prep: str) -> bool:
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


def _after_verb(ctx: SentenceContext, e: Entity) -> bool:
    """True when a verb stands right before the mention, an article aside."""
    k = e.tok_start - 1
    articles = ctx.rs.markers.get("articles", frozenset())
    while k >= 0 and ctx.doc.tokens[k].sent == ctx.si and norm(ctx.doc.tokens[k].text) in articles:
        k -= 1
    return k >= 0 and ctx.doc.tokens[k].sent == ctx.si and ctx.doc.tokens[k].pos == "VERB"


def _impersonal_source(ctx: SentenceContext, pool: list[Entity], span: TriggerSpan) -> Entity | None:
    """"В Кремле отвергли…", "У МЗС України засудили…": an institution in the locative with a plural verb."""
    verb = ctx.toks[span.ti]
    if verb.number != "plur" and "plur" not in verb.tags:
        return None
    places = ctx.rs.markers.get("location_prepositions", frozenset())
    for e in pool:
        if not (ctx.first + span.lo <= e.tok_start and e.tok_end <= ctx.first + span.ti):
            continue
        p = prep_before(ctx, e)
        if p is not None and norm(p.text) in places and (not e.case or "loc" in cases(e)):
            return e
    return None


def _postposition_after(ctx: SentenceContext, e: Entity) -> bool:
    """True when a postposition follows the entity ("Ауғанстан үшін": for Afghanistan)."""
    posts = ctx.rs.markers.get("postpositions", frozenset())
    if not posts or e.tok_end >= len(ctx.doc.tokens):
        return False
    return norm(ctx.doc.tokens[e.tok_end].text) in posts


def prep_before(ctx: SentenceContext, e: Entity) -> Token | None:
    """The preposition right before an entity, if any."""
    preps = ctx.rs.markers.get("prepositions", frozenset())
    if e.tok_start == 0:
        return None
    tok = ctx.doc.tokens[e.tok_start - 1]
    if tok.sent != ctx.si:
        return None
    return tok if (tok.pos == "PREP" or norm(tok.text) in preps) else None


def unlinked_partner(ctx: SentenceContext, e: Entity) -> bool:
    """True when ``e`` is coordinated with a name no actor stands for ("Нафтогаз и Orlen подписали"): the
    other side of a joint act is unknown, not absent."""
    others = [x for x in ctx.ents if not is_actor(x) and not x.nested and x.type in ("ORG", "PER", "LOC", "MISC")]
    return len(with_conjuncts(ctx, e, [e, *others])) > 1


def with_conjuncts(ctx: SentenceContext, e: Entity, pool: list[Entity]) -> list[Entity]:
    """The entity and those coordinated with it ("Путин и Зеленский", "між Росією та Україною")."""
    out = [e]
    conj = ctx.rs.markers.get("conjunction", frozenset())
    tokens = ctx.doc.tokens

    def past_quotes(k: int, step: int) -> int:  # «Нафтогаз» и SOCAR: quote marks around a name
        while 0 <= k < len(tokens) and tokens[k].text in QUOTE_MARKS:
            k += step
        return k

    adjectives = ctx.kb.adjectives.get(ctx.rs.lang, {})

    def past_describers(k: int, step: int) -> int:  # "Нафтогаз і польський Orlen": the adjective describes the name
        k = past_quotes(k, step)
        if 0 <= k < len(tokens) and norm(tokens[k].text) in adjectives:
            k = past_quotes(k + step, step)
        return k

    # backwards: "Зеленский и Трамп встретились" picked "Трамп"
    cur = e
    while True:
        k = past_describers(cur.tok_start - 1, -1)
        if k < 1 or norm(tokens[k].text) not in conj:
            break
        end = past_quotes(k - 1, -1) + 1
        prev = next((x for x in pool if x.tok_end == end and x is not cur), None)
        if prev is None:
            break
        out.insert(0, prev)
        cur = prev
    cur = e
    while True:
        k = past_quotes(cur.tok_end, 1)
        if k >= len(tokens) or norm(tokens[k].text) not in conj:
            break
        start = past_describers(k + 1, 1)
        nxt = next((x for x in pool if x.tok_start == start and x is not cur), None)
        if nxt is None:
            break
        out.append(nxt)
        cur = nxt
    extra = [x for x in syntax.conjuncts(ctx, e, pool) if x not in out]
    if extra:
        out = sorted(out + extra, key=lambda x: x.tok_start)
    return out


def speaker_list(ctx: SentenceContext) -> list[Entity]:
    """The speaker of the quote or sentence as a slot filling (empty when there is none)."""
    if ctx.quote is not None and ctx.quote.speaker is not None:
        return [ctx.quote.speaker]
    return phrase_actor(ctx, ctx.rs.phrases.get("according_to", ()), ctx.ents)[:1]


def _reporter(ctx: SentenceContext, span: TriggerSpan) -> list[Entity]:
    """The subject of a speech verb before the trigger's clause ("Песков заявил, что Кишинев …")."""
    verbs = speech_data(ctx.rs.lang).get("verbs", frozenset())
    k = next((i for i in range(span.lo - 1, -1, -1) if ctx.toks[i].lemma in verbs), None)
    lo = span.lo
    if k is None:  # "Aliyev said Uzbekistan is a reliable partner": a clause with no conjunction
        k = next((i for i in range(span.ti - 1, span.lo - 1, -1) if ctx.toks[i].lemma in verbs), None)
        lo = k if k is not None else lo
    if k is None:
        return []
    verb_g = ctx.first + k
    actors = [e for e in ctx.ents if is_actor(e) and e.tok_end <= ctx.first + lo]
    before = [e for e in actors if e.tok_end <= verb_g and "nom" in cases(e) and not prep_before(ctx, e)]
    after = [e for e in actors if e.tok_start > verb_g and "nom" in cases(e) and not prep_before(ctx, e)]
    return before[-1:] or after[:1]


def phrase_actor(ctx: SentenceContext, phrases: tuple[tuple[str, ...], ...], pool: list[Entity]) -> list[Entity]:
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
                e = next((x for x in pool if x.tok_start == g and is_actor(x)), None)
                if e is not None:
                    return [e]
    return []


def parties_word(ctx: SentenceContext, lo: int, ti: int) -> bool:
    """True when the clause before the trigger names the sides as a group ("тараптар", "the sides")."""
    words = ctx.rs.markers.get("parties", frozenset())
    return bool(words) and any(t.lemma in words or norm(t.text) in words for t in ctx.toks[lo:ti])


def recent_pair(ctx: SentenceContext) -> tuple[Entity, Entity] | None:
    """The first two actors of different sides named in this and the five sentences before."""
    doc = ctx.doc
    found: list[Entity] = []
    for e in ctx.layers.entities.starting_in(doc.sents[max(0, ctx.si - 5)].start, doc.sents[ctx.si].end):
        if is_actor(e) and e.kind != "place" and e.via != "adjective" and not any(same_side(e, f) for f in found):
            found.append(e)
            if len(found) == 2:
                return found[0], found[1]
    return None


def _context(ctx: SentenceContext, source: Entity | None) -> list[Entity]:
    """An actor of the sentences just before: their subject first, else the latest one named."""
    doc = ctx.doc
    for si in range(ctx.si - 1, max(-1, ctx.si - 6), -1):
        sent = doc.sents[si]
        ents = [e for e in ctx.layers.entities.starting_in(sent.start, sent.end)
                if is_actor(e) and e.via != "adjective"]  # "китайских компаний" is no one to point back to
        if source is not None:
            ents = [e for e in ents if not same_side(e, source)]
        if ents:
            noms = [e for e in ents if "nom" in cases(e)]
            return [noms[0] if noms else ents[-1]]
    return []
