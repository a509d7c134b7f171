"""The learned event layer: features, gold alignment, model file, and the stage beside the rules."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from detente.doc import Article
from detente.learn.features import candidates
from detente.learn.layer import label
from detente.learn.model import NONE, EventModel, ModelFileError, train
from detente.learn.stage import LearnedEvents, shipped_model
from detente.pipeline import DEFAULT_STAGES, Pipeline

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Kazakhstan zorbled Uzbekistan on Monday, the ministry said."


def _doc(text: str = TEXT):  # type: ignore[no-untyped-def]
    return Pipeline.from_names().process(Article(text=text, name="probe.txt", lang="en"))


def test_candidates_pair_the_actors_of_a_sentence() -> None:
    cands = list(candidates(_doc()))
    keys = {c.key for c in cands}
    assert ("KAZ", "UZB") in keys and ("UZB", "KAZ") in keys and ("KAZ", None) in keys
    pair = next(c for c in cands if c.key == ("KAZ", "UZB"))
    assert "l=zorbled" in pair.features or "l=zorble" in pair.features
    assert "ord=True" in pair.features


def test_a_gold_event_labels_the_first_candidate_whose_actors_fit() -> None:
    cands = list(candidates(_doc()))
    labels = label(cands, [{"source": "UZB", "target": ["KAZ"], "root": ["04"], "symmetric": True}])
    got = {c.key: lab for c, lab in zip(cands, labels, strict=True) if lab != NONE}
    assert list(got.values()) == ["04"] and set(got) <= {("KAZ", "UZB"), ("UZB", "KAZ")}


def _toy_model() -> EventModel:
    word = "l=zorbled" if any("l=zorbled" in c.features for c in candidates(_doc())) else "l=zorble"
    data = [(["bias", word, "ord=True"], "05")] * 20 + [(["bias", "l=rain"], NONE)] * 20
    model = train(data, min_count=1)
    model.threshold = 0.5
    return model


def test_the_stage_adds_model_events_with_their_rule_and_confidence() -> None:
    doc = LearnedEvents(_toy_model())(_doc())
    learned = [e for e in doc.events if e.rule == "model"]
    assert learned, doc.events
    assert all(e.cameo == "050" and e.confidence >= 0.5 and e.date is None for e in learned)
    assert len({(e.source.country if e.source else None, e.target.country if e.target else None)
                for e in learned}) == len(learned)
    again = LearnedEvents(_toy_model())(doc)  # its own events count as stated: nothing is added twice
    assert len(again.events) == len(doc.events)


def test_model_files_round_trip_and_bad_files_are_refused(tmp_path: Path) -> None:
    model = _toy_model()
    path = tmp_path / "m.npz"
    model.save(path)
    back = EventModel.load(path)
    assert back.labels == model.labels and back.index == model.index and back.threshold == 0.5
    assert back.predict(["bias", "l=zorbled"])[0] == "05"
    (tmp_path / "bad.npz").write_bytes(b"nope")
    with pytest.raises(ModelFileError, match="not an event model file"):
        EventModel.load(tmp_path / "bad.npz")


def test_the_shipped_model_loads_and_the_stage_is_registered() -> None:
    model = shipped_model()
    assert model.labels[0] == NONE and 0 < model.threshold < 1 and len(model.index) > 1000
    pipe = Pipeline.from_names([*DEFAULT_STAGES, "learned"])
    assert pipe.stages[-1].name == "learned"


def test_the_model_learns_events_but_adds_little_to_the_rules_on_dev() -> None:
    """The ablation the README reports: the model alone finds events, and beside the rules it neither adds
    nor costs much (which is why the stage is opt-in)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import train_events

    dev = train_events.load("dev")
    model = shipped_model()
    rules = train_events.score(dev, None, model.threshold)["all"].prf()[2]
    alone = train_events.score(dev, model, model.threshold, rules=False)["all"].prf()[2]
    both = train_events.score(dev, model, model.threshold)["all"].prf()[2]
    assert alone >= 0.10, alone
    assert abs(both - rules) <= 0.03, (rules, both)


def test_calibrated_confidence_is_right_about_as_often_as_it_says_on_dev() -> None:
    """Expected calibration error of rule events on news dev: the calibrated confidence beats the rules'
    own scores and stays within 0.12; at 0.8 or more, events are right at least 0.85 of the time."""
    sys.path.insert(0, str(ROOT / "tools"))
    import train_events

    from detente.learn.calibrate import RIGHT, shipped_calibration

    examples = train_events.calibration_examples(train_events.load("dev"))
    model = shipped_calibration()
    right = model.labels.index(RIGHT)
    calibrated = [float(model.scores(f)[right]) for f, _ in examples]
    raw = [int(next(x for x in f if x.startswith("conf="))[5:]) / 10 + 0.05 for f, _ in examples]

    def ece(probs: list[float]) -> float:
        bands: dict[int, list[tuple[float, bool]]] = {}
        for p, (_f, lab) in zip(probs, examples, strict=True):
            bands.setdefault(min(9, int(p * 10)), []).append((p, lab == RIGHT))
        return sum(len(v) / len(examples) * abs(sum(o for _, o in v) / len(v) - sum(p for p, _ in v) / len(v))
                   for v in bands.values())

    assert ece(calibrated) < ece(raw) and ece(calibrated) <= 0.12, (ece(calibrated), ece(raw))
    sure = [lab == RIGHT for p, (_f, lab) in zip(calibrated, examples, strict=True) if p >= 0.8]
    assert len(sure) >= 30 and sum(sure) / len(sure) >= 0.85


def test_the_confidence_stage_is_in_the_default_pipeline_and_sets_probabilities() -> None:
    from detente.learn.calibrate import CalibrateConfidence

    pipe = Pipeline.from_names()
    assert any(isinstance(s, CalibrateConfidence) for s in pipe.stages)
    doc = pipe.process(Article(text="Президент Казахстана провел переговоры с президентом Узбекистана в Ташкенте.",
                               name="c.txt", published=dt.date(2026, 3, 1), lang="ru"))
    assert doc.events and all(0.0 <= e.confidence <= 1.0 for e in doc.events)
