"""Readers and scorers of the public gold sets: factRuEval-2016, BSNLP, NEREL links, NER confusion.

Every fixture is a tiny synthetic file written into ``tmp_path``; no real evaluation data is used.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from detente.evaluate import bsnlp, wikidata
from detente.evaluate.factrueval import FactRuStats, read_factrueval
from detente.evaluate.ner import MISSED, SPURIOUS, NerScore, confusion_pairs
from detente.pipeline import Pipeline

# ---- factRuEval-2016 -------------------------------------------------------------------------------
FACT_TEXT = "Иван Петров посетил ООО «Ромашка».\nПотом он уехал в Москву."
# tokens: id offset length text
FACT_TOKENS = [("10", 0, "Иван"), ("11", 5, "Петров"), ("12", 12, "посетил"), ("13", 20, "ООО"), ("14", 24, "«"),
               ("15", 25, "Ромашка"), ("16", 32, "»"), ("17", 33, "."), ("18", 35, "Потом"), ("19", 41, "он"),
               ("20", 44, "уехал"), ("21", 50, "в"), ("22", 52, "Москву"), ("23", 58, ".")]
FACT_SPANS = """\
1 name 0 4 10 1  # 10 Иван
2 surname 5 6 11 1  # 11 Петров
3 org_descr 20 3 13 1  # 13 ООО
4 org_name 25 7 15 1  # 15 Ромашка
5 loc_name 52 6 22 1  # 22 Москву
6 job 12 7 12 1  # 12 посетил
"""
FACT_OBJECTS = """\
100 Person 1 2 # Иван Петров
101 Org 3 4 # ООО Ромашка
102 LocOrg 5 # Москву
103 Project 6 # посетил
"""


def _write_fact(folder: Path, text: str, tokens: list[tuple[str, int, str]], newline: str = "\n") -> None:
    folder.mkdir(exist_ok=True)
    (folder / "book_7.txt").write_bytes(text.replace("\n", newline).encode("utf-8"))
    lines = []
    for tid, off, tok in tokens:
        lines.append(f"{tid} {off} {len(tok)} {tok}")
        if tok == ".":
            lines.append("")
    (folder / "book_7.tokens").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "book_7.spans").write_text(FACT_SPANS, encoding="utf-8")
    (folder / "book_7.objects").write_text(FACT_OBJECTS, encoding="utf-8")


def _slices(doc_text: str, spans: set[tuple[int, int, str]]) -> set[tuple[str, str]]:
    return {(doc_text[s:e], t) for s, e, t in spans}


def test_factrueval_reader_types_and_spans(tmp_path: Path) -> None:
    _write_fact(tmp_path / "testset", FACT_TEXT, FACT_TOKENS)
    stats = FactRuStats()
    (doc,) = list(read_factrueval(tmp_path / "testset", stats))
    assert doc.name == "book_7" and doc.text == FACT_TEXT
    # the span runs from the first to the last token of the object's spans; Project is ignored
    assert _slices(doc.text, doc.spans) == {("Иван Петров", "PER"), ("ООО «Ромашка", "ORG"), ("Москву", "LOC")}
    assert stats.objects == 3 and stats.objects_dropped == 0 and stats.offset_agreement == 1.0


def test_factrueval_offsets_counting_crlf_as_two(tmp_path: Path) -> None:
    # the stored text has "\r\n" and the offsets count it as two characters: the reader folds and remaps
    shifted = [(tid, off + 1 if off > 34 else off, tok) for tid, off, tok in FACT_TOKENS]
    _write_fact(tmp_path / "crlf", FACT_TEXT, shifted, newline="\r\n")
    stats = FactRuStats()
    (doc,) = list(read_factrueval(tmp_path / "crlf", stats))
    assert "\r" not in doc.text and stats.crlf_docs == 1 and stats.tokens_moved == 0
    assert ("Москву", "LOC") in _slices(doc.text, doc.spans)


def test_factrueval_offsets_of_folded_text_in_a_crlf_file(tmp_path: Path) -> None:
    # the file has "\r\n" but the offsets were taken on "\n" text: the folded reading fits
    _write_fact(tmp_path / "lf", FACT_TEXT, FACT_TOKENS, newline="\r\n")
    stats = FactRuStats()
    (doc,) = list(read_factrueval(tmp_path / "lf", stats))
    assert stats.crlf_docs == 0 and stats.offset_agreement == 1.0
    assert _slices(doc.text, doc.spans) == {("Иван Петров", "PER"), ("ООО «Ромашка", "ORG"), ("Москву", "LOC")}


def test_factrueval_moves_a_shifted_token_and_drops_a_lost_one(tmp_path: Path) -> None:
    tokens = [(tid, off + 2 if tok == "Москву" else off, tok) for tid, off, tok in FACT_TOKENS]
    tokens = [(tid, off, "Петрова" if tok == "Петров" else tok) for tid, off, tok in tokens]
    _write_fact(tmp_path / "bad", FACT_TEXT, tokens)
    stats = FactRuStats()
    with pytest.warns(UserWarning, match="fit badly"):
        (doc,) = list(read_factrueval(tmp_path / "bad", stats))
    assert stats.tokens_moved == 1 and stats.tokens_lost == 1 and stats.objects_dropped == 1
    assert _slices(doc.text, doc.spans) == {("ООО «Ромашка", "ORG"), ("Москву", "LOC")}


# ---- BSNLP -----------------------------------------------------------------------------------------
RAW_RU = "ru-1\nru\n2019-01-10T10:00:00+02:00\nhttps://example.org/a\nКлимкин приехал в Брюссель\r\n" \
         "Павел Климкин встретился с Андреем Коболевым в Брюсселе.\n"
ANN_RU = "ru-1\nКлимкин\tКлимкин\tPER\tPER-Klimkin\nПавел Климкин\tПавел Климкин\tPER\tPER-Klimkin\n" \
         "Андреем Коболевым\tАндрей Коболев\tPER\tPER-Kobolev\nБрюсселе\tБрюссель\tLOC\tGPE-Brussels\n" \
         "Брюссель\tБрюссель\tLOC\tGPE-Brussels\n"
RAW_UK = "\ufeffuk-1\nuk\n\nhttps://example.org/b\nКоболєв у Брюсселі\nАндрій Коболєв виступив.\n"
ANN_UK = "uk-1\nКоболєв\tКоболєв\tPER\tPER-Kobolev\nАндрій Коболєв\tАндрій Коболєв\tPER\tPER-Kobolev\n" \
         "Брюсселі\tБрюссель\tLOC\tGPE-Brussels\nNAFTOGAZ\tNAFTOGAZ\tORG\tORG-Naftogaz\n"


def _write_bsnlp(root: Path) -> None:
    for lang, raw, ann in (("ru", RAW_RU, ANN_RU), ("uk", RAW_UK, ANN_UK)):
        (root / "topic" / "raw" / lang).mkdir(parents=True)
        (root / "topic" / "annotated" / lang).mkdir(parents=True)
        (root / "topic" / "raw" / lang / f"t_{lang}_file_1.txt").write_bytes(raw.encode("utf-8"))
        (root / "topic" / "annotated" / lang / f"t_{lang}_file_1.out").write_text(ann, encoding="utf-8")


def test_bsnlp_reader(tmp_path: Path) -> None:
    _write_bsnlp(tmp_path)
    (ru,) = bsnlp.read_topic(tmp_path, "topic", "ru")
    assert ru.doc_id == "ru-1" and ru.lang == "ru" and ru.url == "https://example.org/a"
    assert ru.published is not None and ru.published.isoformat() == "2019-01-10"
    assert ru.text.startswith("Климкин приехал в Брюссель\nПавел Климкин") and "\r" not in ru.text
    assert ru.title == "Климкин приехал в Брюссель"
    assert ru.mentions[2] == bsnlp.GoldMention("Андреем Коболевым", "Андрей Коболев", "PER", "PER-Kobolev")
    (uk,) = bsnlp.read_topic(tmp_path, "topic", "uk")
    assert uk.doc_id == "uk-1" and uk.published is None and len(uk.mentions) == 4
    assert bsnlp.read_topic(tmp_path, "topic", "uk", limit=0) == []
    art = bsnlp.article(uk)
    assert art.lang == "uk" and art.text == uk.text


def test_skeleton_is_language_neutral() -> None:
    assert bsnlp.skeleton("Коболєв") == bsnlp.skeleton("коболев")
    assert bsnlp.skeleton("Андрій") == bsnlp.skeleton("Андрий") == "андрии"
    assert bsnlp.skeleton("Об'єднане  Королівство") == "обеднане короливство"
    assert bsnlp.skeleton("«Газпром»") == "газпром"


def test_match_whitespace_then_case() -> None:
    preds = [bsnlp.Predicted("Павел  Климкин", "PER", "p:k", "павел климкин"),
             bsnlp.Predicted("ЕВРОПА", "LOC", None, "европа")]
    assert bsnlp.match("Павел Климкин", preds) == preds[:1]
    assert bsnlp.match("Европа", preds) == preds[1:]
    assert bsnlp.match("Азия", preds) == []


def test_predicted_ids() -> None:
    london = bsnlp.Predicted("Лондоне", "LOC", "Q145", "лондон", via="capital")
    assert bsnlp.predicted_id([london]) == "Q145"
    assert bsnlp.predicted_id([london], literal=True) == "Q145@capital"
    nil = bsnlp.Predicted("Коболєв", "PER", None, "коболєв")
    assert bsnlp.predicted_id([nil]) == "nil:коболев"
    assert bsnlp.predicted_id([nil, london]) == "Q145"  # a linked reading wins


def test_pairwise_counts() -> None:
    ru = [("A", "x"), ("A", "x"), ("B", "y")]
    uk = [("A", "x"), ("B", "x"), ("B", "y")]
    # gold-positive pairs: A 2×1 + B 1×2 = 4; predicted-positive: x 2×2 + y 1×1 = 5; both: (A,x) 2 + (B,y) 1
    assert bsnlp.pairwise(ru, uk) == (3, 5, 4)
    assert bsnlp.pairwise([], uk) == (0, 0, 0)


def test_topic_score(tmp_path: Path) -> None:
    _write_bsnlp(tmp_path)
    ru_preds = [bsnlp.Predicted("Павел Климкин", "PER", "person:klimkin", "павел климкин"),
                bsnlp.Predicted("Андреем Коболевым", "PER", None, "андрей коболев"),
                bsnlp.Predicted("Брюсселе", "LOC", "Q239", "брюссель"),
                bsnlp.Predicted("Брюссель", "LOC", "Q239", "брюссель")]
    uk_preds = [bsnlp.Predicted("Коболєв", "PER", None, "коболєв"),
                bsnlp.Predicted("Андрій Коболєв", "PER", None, "андрій коболєв"),
                bsnlp.Predicted("Брюсселі", "LOC", "Q239", "брюссель")]
    preds = {"ru": ru_preds, "uk": uk_preds}
    score = bsnlp.TopicScore("topic")
    for lang in bsnlp.LANGS:
        for doc in bsnlp.read_topic(tmp_path, "topic", lang):
            score.add(doc, preds[lang])
    score.close()
    assert (score.gold, score.found) == (9, 7)  # "Климкин" and "NAFTOGAZ" are not found
    # shared ids: Kobolev, Brussels (Klimkin and Naftogaz are in one language only)
    # ru found: Kobolev (nil:андреи коболев), Brussels ×2 (Q239); uk: Kobolev ×2 (two nil keys), Brussels (Q239)
    assert score.pairs["shared"] == 2
    assert (score.pairs["tp"], score.pairs["pred"], score.pairs["gold"]) == (2, 2, 4)
    assert score.pair_prf()[:2] == (1.0, 0.5)
    # every gold mention of a shared id: Kobolev 1 ru × 2 uk, Brussels 2 ru × 1 uk; tp 2 of 4
    assert score.pairs["all gold"] == 4 and score.detail()["R end-to-end"] == 0.5
    assert score.detail()["found"] == pytest.approx(7 / 9)


def test_topic_score_with_the_pipeline(tmp_path: Path, pipeline: Pipeline) -> None:
    _write_bsnlp(tmp_path)
    score = bsnlp.score_topic(tmp_path, "topic", pipeline.process)
    assert sum(score.docs.values()) == 2 and score.gold == 9
    assert 0 < score.found <= score.gold


@pytest.mark.parametrize(("text", "lang", "base"), [
    ("Европейской комиссией", "ru", "Европейская комиссия"),
    ("Дональда Трампа", "ru", "Дональд Трамп"),
    ("Соединенных Штатах", "ru", "Соединенные Штаты"),
    ("МЗС Британії", "uk", "МЗС Британії"),
    ("Брексіту", "uk", "Брексіт"),
    ("Андрія Коболєва", "uk", "Андрій Коболєв"),
    ("Nord Stream", "ru", "Nord Stream"),
    ("Москва", "ru", "Москва"),
])
def test_base_form(text: str, lang: str, base: str) -> None:
    assert bsnlp.base_form(text, lang) == base


# ---- NEREL links -----------------------------------------------------------------------------------
ANN = "T1\tPERSON 0 5\tПутин\nT2\tCITY 15 21\tМоскву\nT3\tPROFESSION 30 39\tпрезидент\n" \
      "T4\tCOUNTRY 40 46;50 52\tРоссия\nN1\tReference T1 Wikidata:Q7747\tПутин, Владимир\n" \
      "N2\tReference T2 Wikidata:Q649\tМосква\nN3\tReference T3 Wikidata:NULL\tнет данных\n" \
      "N4\tReference T4 Wikidata:Q159\tРоссия\n"


def test_nerel_links_votes_and_majority(tmp_path: Path) -> None:
    links = wikidata.parse_ann(ANN)
    assert links == [wikidata.Link(0, 5, "PERSON", "Q7747"), wikidata.Link(15, 21, "CITY", "Q649")]
    (tmp_path / "a.txt").write_text("Путин прибыл в Москву", encoding="utf-8")
    (tmp_path / "a.ann").write_text(ANN, encoding="utf-8")
    (doc,) = list(wikidata.read_links(tmp_path))
    assert doc.links == links
    spans = {(0, 5): {"person:putin": "PER"}, (15, 21): {"Q159": "LOC", "person:moskva": "PER"}}
    counts = wikidata.votes(links, spans)  # a person cannot vote for a city's QID
    assert counts == collections.Counter({("person:putin", "Q7747"): 1, ("Q159", "Q649"): 1})
    counts.update({("person:putin", "Q7747"): 2, ("Q159", "Q159"): 2, ("org:x", "Q1"): 1})
    # Q159 has 2 of 3 votes for Q159 (67 % ≥ 60 %); org:x has one vote only
    assert wikidata.majority(counts) == {"Q159": "Q159", "person:putin": "Q7747"}
    assert wikidata.majority(counts, min_share=0.7) == {"person:putin": "Q7747"}


def test_nerel_link_score_and_mapping_file(tmp_path: Path) -> None:
    mapping = {"person:putin": "Q7747", "Q159": "Q159"}
    path = tmp_path / "wikidata.tsv"
    wikidata.write_mapping(path, mapping)
    assert path.read_text(encoding="utf-8") == "Q159\tQ159\nperson:putin\tQ7747\n"
    assert wikidata.load_mapping(path) == mapping
    score = wikidata.LinkScore()
    links = [wikidata.Link(0, 5, "PERSON", "Q7747"), wikidata.Link(15, 21, "CITY", "Q649"),
             wikidata.Link(30, 36, "COUNTRY", "Q159"), wikidata.Link(40, 46, "COUNTRY", "Q159")]
    score.add(links, {(0, 5): {"person:putin": "PER"}, (30, 36): {"person:putin": "PER"}}, mapping)
    assert (score.mentions, score.covered, score.predicted, score.correct) == (4, 3, 2, 1)
    assert score.accuracy == pytest.approx(1 / 3) and score.precision == 0.5
    assert score.coverage == 0.75 and score.entity_coverage == pytest.approx(2 / 3)
    assert score.name_coverage == 0.75


# ---- confusion -------------------------------------------------------------------------------------
def test_confusion_pairs() -> None:
    gold = {(0, 5, "PER"), (6, 9, "LOC"), (10, 12, "ORG"), (20, 25, "LOC")}
    pred = {(0, 5, "PER"), (6, 9, "ORG"), (13, 15, "LOC"), (20, 25, "LOC"), (20, 25, "ORG")}
    assert confusion_pairs(gold, pred) == collections.Counter({
        ("PER", "PER"): 1, ("LOC", "ORG"): 1, ("ORG", MISSED): 1, (SPURIOUS, "LOC"): 1, ("LOC", "LOC"): 1,
        (SPURIOUS, "ORG"): 1})


def test_ner_score_keeps_the_confusion_table() -> None:
    score = NerScore()
    score.add({(0, 5, "PER"), (6, 9, "LOC")}, {(0, 5, "PER"), (6, 9, "ORG"), (10, 12, "LOC")})
    score.add({(0, 3, "ORG")}, set())
    assert score.confusion_table() == {"PER": {"PER": 1}, "LOC": {"ORG": 1}, "ORG": {MISSED: 1},
                                       SPURIOUS: {"LOC": 1}}
    assert score.prf() == (1 / 3, 1 / 3, pytest.approx(1 / 3))


def test_confusion_in_the_html_report() -> None:
    from detente.evaluate.report import render_html
    from detente.evaluate.runner import Result

    score = NerScore()
    score.add({(0, 5, "PER"), (6, 9, "LOC")}, {(0, 5, "PER"), (6, 9, "ORG")})
    rows = [Result("ner", "fake set", "ru", 1, 0.5, 0.5, 0.5, 1.0, {"PER": 1.0}, confusion=score.confusion_table()),
            Result("link", "BSNLP test (micro)", "ru+uk", 2, 0.9, 0.8, 0.85, 1.0, {"found": 0.8, "pairs": 12.0}),
            Result("link", "NEREL links", "ru", 2, 0.9, 0.8, 0.85, 1.0, {"coverage": 0.3})]
    page = render_html(rows)
    assert "fake set (ru): gold type × predicted type" in page
    assert "<th>MISSED</th>" in page and "<th>SPURIOUS</th>" in page
    assert page.count("<caption>Linking</caption>") == 2  # BSNLP and NEREL rows have different columns
    assert "<td>12</td>" in page
