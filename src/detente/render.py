"""A readable plain-text rendering of an annotated article, used by golden-text tests and `show --plain`."""

from __future__ import annotations

from detente.doc import Doc, Entity
from detente.output import event_dict


def _actor(e: Entity | None) -> str:
    if e is None:
        return "—"
    who = e.name or e.text
    return f"{who} [{e.code or e.country or '?'}] «{e.text}»"


def render_doc(doc: Doc) -> str:
    """Return the article sentence by sentence, each followed by its entities, times, quotes and events."""
    lines = [f"article {doc.name}  lang={doc.lang}  published={doc.published}  outlet_country={doc.outlet_country}"]
    for si, sent in enumerate(doc.sents):
        lines.append("")
        lines.append(f"[{si}] ({sent.lang}, ¶{sent.paragraph}) {doc.text[sent.start : sent.end]}")
        for e in doc.entities:
            if sent.start <= e.start < sent.end:
                link = f"→ {e.name} {e.kb_id} {e.country or '-'} {e.code or '-'}" if e.kb_id or e.country else "→ ?"
                kind = e.mention + (", nested" if e.nested else "")
                lines.append(f"    {e.type:5} «{e.text}» {e.start}:{e.end} {link} via={e.via} ({kind})")
        for t in doc.times:
            if sent.start <= t.start < sent.end:
                vague = ", vague" if t.vague else ""
                lines.append(f"    TIME  «{t.text}» {t.start}:{t.end} → {t.value} ({t.precision}{vague})")
        for q in doc.quotes:
            if sent.start <= q.start < sent.end:
                spk = q.speaker.name if q.speaker else "?"
                lines.append(f"    QUOTE «{q.text[:40]}…» {q.start}:{q.end} speaker={spk}")
        for ev in doc.events:
            if ev.sent == si:
                d = event_dict(doc, ev)
                lines.append(
                    f"    EVENT {d['cameo']} {d['cameo_label']} | {_actor(ev.source)} → {_actor(ev.target)} | "
                    f"{ev.modality} | date={ev.date} | trigger «{d['trigger']['text']}» | {ev.rule}"
                )
    return "\n".join(lines) + "\n"
