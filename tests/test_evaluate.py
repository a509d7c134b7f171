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
