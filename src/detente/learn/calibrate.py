"""Confidence that means something: a rule event's confidence is the probability that it is right.

A small logistic model over what is known of each rule event (its rule and root, modality, how its
source and target were found, whether it stands in a quote or the headline, how many reports merged
into it and the rule's own score) is fitted by ``tools/train_events.py`` on the team's training
articles, where each rule event is right or wrong against the gold. The ``confidence`` stage replaces
the rules' scores with its probabilities; events of the learned layer keep the model's own.
"""

from __future__ import annotations

import functools
from pathlib import Path

from detente.doc import Doc, Entity, Event
from detente.learn.model import EventModel

CALIBRATION_PATH = Path(__file__).resolve().parent / "data" / "calibration.npz"
RIGHT = "right"


def _actor(prefix: str, e: Entity | None) -> list[str]:
    if e is None:
        return [f"{prefix}=none"]
    return [f"{prefix}={e.mention}:{e.kind or '-'}", f"{prefix}via={e.via}"]


def event_features(doc: Doc, ev: Event) -> list[str]:
    """What the calibration model reads of one rule event."""
    lang = doc.sents[ev.sent].lang if ev.sent < len(doc.sents) else doc.lang
    return ["bias", "rule=" + ev.rule, "root=" + ev.cameo[:2], "mood=" + ev.modality, "tvia=" + (ev.target_via or "-"),
            "lang=" + lang, f"quote={ev.quote is not None}", f"head={ev.sent == 0}",
            f"reports={min(3, len(ev.evidence))}", f"conf={int(ev.confidence * 10)}",
            *_actor("src", ev.source), *_actor("tgt", ev.target)]


@functools.cache
def shipped_calibration() -> EventModel:
    """The calibration model trained by ``tools/train_events.py`` and shipped in the package, loaded once."""
    return EventModel.load(CALIBRATION_PATH)


class CalibrateConfidence:
    """Pipeline stage: each rule event's confidence becomes the calibrated probability that it is right."""

    name = "confidence"
    requires = ("events",)
    assigns = ("events.confidence",)

    def __init__(self, model: EventModel | None = None) -> None:
        """Use ``model`` (by default the shipped one): a two-label model whose labels include ``right``."""
        self.model = model or shipped_calibration()
        self.right = self.model.labels.index(RIGHT)

    def __call__(self, doc: Doc) -> Doc:
        """Set the confidence of every rule event of ``doc``."""
        for ev in doc.events:
            if ev.rule != "model":
                ev.confidence = round(float(self.model.scores(event_features(doc, ev))[self.right]), 3)
        return doc
