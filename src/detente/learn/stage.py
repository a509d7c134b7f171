"""The ``learned`` pipeline stage: adds the model's events beside the rules' (not in the default pipeline yet)."""

from __future__ import annotations

import functools
from pathlib import Path

from detente.doc import Doc
from detente.learn.layer import model_events
from detente.learn.model import EventModel

MODEL_PATH = Path(__file__).resolve().parent / "data" / "events.npz"


@functools.cache
def shipped_model() -> EventModel:
    """The model trained by ``tools/train_events.py`` and shipped in the package, loaded once."""
    return EventModel.load(MODEL_PATH)


class LearnedEvents:
    """Pipeline stage: the learned layer's events, each with ``rule`` "model" and its probability as confidence."""

    name = "learned"
    requires = ("events",)
    assigns = ("events",)

    def __init__(self, model: EventModel | None = None, threshold: float | None = None) -> None:
        """Use ``model`` (by default the shipped one) and ``threshold`` (by default the model's own)."""
        self.model = model or shipped_model()
        self.threshold = threshold

    def __call__(self, doc: Doc) -> Doc:
        """Add the model's events to ``doc.events``, after the rules' events."""
        doc.events = [*doc.events, *model_events(doc, self.model, self.threshold)]
        return doc
