"""The learned event layer: a model that reads a sentence with candidate actors and says which event it states.

``features`` turns a processed :class:`~detente.doc.Doc` into candidates (a sentence, a source actor
and a target actor or none) with their features; ``model`` is a softmax regression over them, trained
by ``tools/train_events.py`` on the team's training articles and shipped as a small data file.
"""
