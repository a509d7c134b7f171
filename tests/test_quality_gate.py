"""The quality gate: the fast subset of `detente eval` may not fall below quality/floors.json."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from detente.evaluate import gate
from detente.events import coder
from detente.events.rules import RuleSet, parse_rules

from .conftest import ROOT, SHARED

DATA = SHARED / "eval"
FLOORS = ROOT / "quality" / "floors.json"
needs_shared = pytest.mark.skipif(not (SHARED / "seeds").exists() or not DATA.exists(),
                                  reason="../shared (seeds and eval data) is not present")


@needs_shared
def test_quality_gate_holds() -> None:
    """Every gated score is at or above its pinned floor, on the inputs the floors were pinned for."""
    floors = gate.load_floors(FLOORS)
    scores = gate.measure(DATA, ROOT)
    problems = gate.check(scores, floors, gate.digest(gate.input_files(DATA, ROOT)))
    assert problems == [], "\n".join(problems)


@needs_shared
def test_gate_fails_on_a_broken_rule_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule file that codes telephone calls as criticism drops the seed score, and the gate says so."""
    raw = yaml.safe_load(resources.files("detente.lang").joinpath("ru/rules.yaml").read_text(encoding="utf-8"))
    for rule in raw["rules"]:
        if rule["id"].startswith("ru.phone"):
            rule["cameo"] = "111"
    broken = parse_rules(raw, "ru", "broken ru.yaml")
    real = coder.load_rules

    def patched(lang: str) -> RuleSet:
        return broken if lang == "ru" else real(lang)

    monkeypatch.setattr(coder, "load_rules", patched)
    floors = gate.load_floors(FLOORS)
    from detente.evaluate.runner import run_all

    scores = {gate.score_key(r): r.f1 for r in run_all(DATA, ROOT, ["seeds"]) if not r.skipped}
    problems = gate.check(scores, floors, floors.digest)
    assert any("events/seeds/ru/f1 fell" in p for p in problems), problems


def test_gate_reports_changed_inputs(tmp_path: Path) -> None:
    floors = gate.Floors("abc", {"events/seeds/all/f1": 0.9}, [])
    assert gate.check({"events/seeds/all/f1": 0.95}, floors, "abc") == []
    problems = gate.check({"events/seeds/all/f1": 0.5}, floors, "def")
    assert len(problems) == 2 and "inputs changed" in problems[0]
    path = tmp_path / "f.json"
    gate.pin(path, {"x/y/z/f1": 0.5}, "d1", "first")
    gate.pin(path, {"x/y/z/f1": 0.4}, "d1", "lowered on purpose: new harder dev articles")
    assert gate.load_floors(path).reasons == ["first", "lowered on purpose: new harder dev articles"]
