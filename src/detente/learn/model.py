"""A softmax regression over candidate features, trained with AdaGrad; saved as one ``.npz`` file."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

NONE = "none"  # the label of a candidate that states no event

Floats = npt.NDArray[np.float32]


class ModelFileError(ValueError):
    """An event model file that cannot be read."""


@dataclass
class EventModel:
    """Weights per feature and label, a bias per label; ``labels[0]`` is :data:`NONE`."""

    labels: tuple[str, ...]
    index: dict[str, int]
    weights: Floats  # [feature, label]
    bias: Floats  # [label]
    threshold: float = 0.5

    def scores(self, features: Sequence[str]) -> Floats:
        """The label probabilities of one candidate."""
        ids = [i for i in (self.index.get(f) for f in features) if i is not None]
        z = self.bias + (self.weights[ids].sum(axis=0) if ids else 0.0)
        z = z - z.max()
        e = np.exp(z)
        out: Floats = (e / e.sum()).astype(np.float32)
        return out

    def predict(self, features: Sequence[str]) -> tuple[str, float]:
        """The most likely event label other than :data:`NONE`, and its probability."""
        p = self.scores(features)
        k = int(p[1:].argmax()) + 1
        return self.labels[k], float(p[k])

    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz`` (features sorted by id)."""
        names = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(path, labels=np.array(self.labels), features=np.array(names),
                            W=self.weights, b=self.bias, threshold=np.array([self.threshold]))

    @classmethod
    def load(cls, path: Path) -> EventModel:
        """Read a model written by :meth:`save`."""
        try:
            with np.load(path, allow_pickle=False) as z:
                names = [str(x) for x in z["features"]]
                return cls(tuple(str(x) for x in z["labels"]), {n: i for i, n in enumerate(names)},
                           z["W"].astype(np.float32), z["b"].astype(np.float32), float(z["threshold"][0]))
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(f"{path}: not an event model file ({exc})") from exc


def train(examples: Sequence[tuple[Sequence[str], str]], *, epochs: int = 12, rate: float = 0.2, l2: float = 1e-5,
          min_count: int = 2, seed: int = 7) -> EventModel:
    """Fit a softmax regression to ``(features, label)`` pairs; features seen fewer than ``min_count`` times drop."""
    counts = Counter(f for feats, _ in examples for f in set(feats))
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    labels = (NONE, *sorted({lab for _, lab in examples} - {NONE}))
    lab_id = {lab: i for i, lab in enumerate(labels)}
    data = [(np.array(sorted({index[f] for f in feats if f in index}), dtype=np.intp), lab_id[lab])
            for feats, lab in examples]
    w = np.zeros((len(names), len(labels)), dtype=np.float32)
    b = np.zeros(len(labels), dtype=np.float32)
    gw = np.full_like(w, 1e-6)
    gb = np.full_like(b, 1e-6)
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            ids, y = data[k]
            z = b + w[ids].sum(axis=0)
            z -= z.max()
            p = np.exp(z)
            p /= p.sum()
            p[y] -= 1.0  # the gradient of the log loss in the scores
            g = p[None, :] + l2 * w[ids]
            gw[ids] += g * g
            w[ids] -= rate * g / np.sqrt(gw[ids])
            gb += p * p
            b -= rate * p / np.sqrt(gb)
    return EventModel(labels, index, w, b)


def log_loss(model: EventModel, examples: Sequence[tuple[Sequence[str], str]]) -> float:
    """Mean negative log-likelihood of the gold labels."""
    lab_id = {lab: i for i, lab in enumerate(model.labels)}
    total = 0.0
    for feats, lab in examples:
        p = model.scores(feats)
        total -= math.log(max(float(p[lab_id.get(lab, 0)]), 1e-9))
    return total / max(1, len(examples))
