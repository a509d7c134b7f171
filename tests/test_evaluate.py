"""Readers and scoring of public NER gold (used by `detente eval`)."""

from __future__ import annotations

from pathlib import Path

from detente.evaluate.ner import NerScore, predicted_spans, read_brat, read_iob


def test_brat_reader_maps_types(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Путин прибыл в Москву.", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 0 5\tПутин\nT2\tCITY 15 21\tМоскву\nT3\tEVENT 6 12\tприбыл\n",
                                    encoding="utf-8")
    docs = list(read_brat(tmp_path))
    assert docs[0].spans == {(0, 5, "PER"), (15, 21, "LOC")}


def test_iob_reader_builds_text_and_spans(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("Қасым-Жомарт B-PERSON\nТоқаев I-PERSON\nАстанада B-GPE\nболды O\n\nБҰҰ B-ORGANISATION\n",
                 encoding="utf-8")
    docs = list(read_iob(f))
    assert docs[0].text == "Қасым-Жомарт Тоқаев Астанада болды"
    assert docs[0].spans == {(0, 19, "PER"), (20, 28, "LOC")}
    assert docs[1].spans == {(0, 3, "ORG")}


def test_micro_scores() -> None:
    score = NerScore()
    score.add({(0, 5, "PER"), (6, 9, "LOC")}, predicted_spans([
        {"start": 0, "end": 5, "type": "PER"}, {"start": 6, "end": 9, "type": "ORG"},
        {"start": 10, "end": 12, "type": "MISC"}]))
    p, r, f = score.prf()
    assert (p, r) == (0.5, 0.5) and round(f, 3) == 0.5


def test_ner_uk_tab_format(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Зеленський прибув до Варшави .", encoding="utf-8")
    (tmp_path / "b.ann").write_text("T1\tPERS\t0\t10\tЗеленський\nT2\tLOC\t21\t28\tВаршави\n", encoding="utf-8")
    assert next(read_brat(tmp_path)).spans == {(0, 10, "PER"), (21, 28, "LOC")}


def test_event_scoring_matches_the_shared_scorer_rules() -> None:
    from detente.evaluate.events import score_events

    gold = [{"id": "a", "lang": "ru", "events": [
        {"source": "RUS", "target": ["KAZ"], "root": ["04"], "cameo": "041", "date": "2025-08-08",
         "modality": "asserted"},
        {"source": "UKR", "target": ["KAZ"], "root": ["04"], "symmetric": True, "modality": "asserted"},
        {"source": "KAZ", "target": [None], "root": ["01"], "optional": True}]}]
    preds = [
        {"article": "a.txt", "cameo": "041", "source": {"country": "RUS"}, "target": {"country": "KAZ"},
         "date": "2025-08-08", "modality": "asserted"},
        {"article": "a", "cameo": "040", "source": {"country": "KAZ"}, "target": {"country": "UKR"},
         "modality": "future"},
        {"article": "a", "cameo": "010", "source": {"country": "KAZ"}, "target": None, "modality": "asserted"},
        {"article": "a", "cameo": "111", "source": {"code": "IGOEUREEC"}, "target": {"country": "RUS"},
         "modality": "asserted"}]
    score = score_events(gold, preds)["all"]
    assert (score.counts["tp"], score.counts["fp"], score.counts["fn"]) == (2, 1, 0)
    assert score.accuracy("date") == 1.0 and score.accuracy("modality") == 0.5


def test_eval_command(tmp_path: Path) -> None:
    import json
    import re

    from click.testing import CliRunner

    from detente.cli import cli

    from .conftest import SEEDS

    data = tmp_path / "eval"
    seeds = tmp_path / "seeds"
    data.mkdir()
    seeds.mkdir()
    for p in SEEDS.glob("*.txt"):
        (seeds / p.name).write_bytes(p.read_bytes())
    (seeds / "gold.jsonl").write_text(json.dumps({"id": "000_e5002aae462662f6", "lang": "ru", "events": [
        {"source": "RUS", "target": ["KAZ"], "root": ["04"], "cameo": "041", "modality": "asserted"}]}) + "\n",
        encoding="utf-8")
    out = tmp_path / "r.json"
    html = tmp_path / "r.html"
    res = CliRunner().invoke(cli, ["eval", "--data", str(data), "--sets", "seeds,nerel", "--json", str(out),
                                   "--html", str(html)])
    assert res.exit_code == 0, res.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    seeds_all = next(r for r in rows if r["dataset"] == "seeds" and r["lang"] == "all")
    assert seeds_all["recall"] == 1.0
    assert any(r["dataset"].startswith("NEREL") and r["skipped"] for r in rows)
    assert "<table>" in html.read_text(encoding="utf-8")
    assert "events by confidence" in res.output and re.search(r"\d\.\d\d of \d+", res.output)
    bad = CliRunner().invoke(cli, ["eval", "--data", str(data), "--sets", "nope"])
    assert bad.exit_code != 0 and "unknown evaluation set" in bad.output


def test_news_sets_score_every_language_folder(tmp_path: Path) -> None:
    import json

    from detente.evaluate.runner import news_folders, run_events
    from detente.pipeline import default_pipeline

    for lang, text, events in [
        ("ru", " date 2025-03-14 Лавров провел переговоры с Фиданом\n\nМинистр иностранных дел России Сергей "
               "Лавров провел в пятницу в Москве переговоры с главой МИД Турции Хаканом Фиданом.",
         [{"source": "RUS", "target": ["TUR"], "root": ["04"], "cameo": "043", "date": "2025-03-14",
           "modality": "asserted", "symmetric": True}]),
        ("en", " date 2025-03-14 Weather\n\nIt rained in Astana on Friday.", []),
    ]:
        part = tmp_path / "samples" / "news" / lang / "dev"
        part.mkdir(parents=True)
        (part / f"{lang}_n001.txt").write_text(text, encoding="utf-8")
        (part / "gold.jsonl").write_text(json.dumps({"id": f"{lang}_n001", "file": f"{lang}_n001.txt", "lang": lang,
                                                     "date": "2025-03-14", "events": events}) + "\n", encoding="utf-8")
    folders = news_folders(tmp_path, "dev")
    assert [f.parent.parent.name for f, _ in folders] == ["en", "ru"]
    rows = {r.lang: r for r in run_events("news-dev", folders, default_pipeline())}
    assert set(rows) == {"all", "en", "ru"}
    assert rows["ru"].recall == 1.0 and rows["all"].docs == 2
    assert run_events("news-held-out", news_folders(tmp_path, "held_out"), default_pipeline())[0].skipped


def test_calibration_counts_right_events_per_confidence_band() -> None:
    from detente.evaluate.events import calibration, score_events

    gold = [{"id": "a", "lang": "ru", "events": [
        {"source": "RUS", "target": ["UKR"], "root": ["19"], "cameo": "190", "modality": "asserted"},
        {"source": "UKR", "target": ["RUS"], "root": ["11"], "cameo": "111", "modality": "asserted",
         "optional": True}]}]
    rus, ukr = {"country": "RUS"}, {"country": "UKR"}
    preds = [
        {"article": "a", "cameo": "190", "source": rus, "target": ukr, "confidence": 0.95},
        {"article": "a", "cameo": "112", "source": ukr, "target": rus, "confidence": 0.55},
        {"article": "a", "cameo": "042", "source": {"country": "KAZ"}, "target": None, "confidence": 0.55},
        {"article": "a", "cameo": "051", "source": {"country": "KAZ"}, "target": None, "confidence": 0.2},
    ]
    bands = {(b.low, b.high): (b.events, b.right) for b in calibration(gold, preds)}
    assert bands[(0.9, 1.0)] == (1, 1) and bands[(0.5, 0.6)] == (2, 1) and bands[(0.0, 0.5)] == (1, 0)
    assert bands[(0.7, 0.8)] == (0, 0)
    counts = score_events(gold, preds)["all"].counts
    assert (counts["tp"], counts["fp"], counts["fn"]) == (1, 2, 0)
