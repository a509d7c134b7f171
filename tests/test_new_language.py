"""A fifth language added from a folder of its own, with names added to the KB, runs through the pipeline."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.doc import Article
from detente.kb.base import KnowledgeBase, default_kb
from detente.lang import LanguageError, default_languages, load_language
from detente.output import event_dict
from detente.pipeline import Dependencies, Pipeline

LANGUAGE = """\
code: be
name: Belarusian
native_name: беларуская
scripts: [Cyrillic]
letters: ўіыэё
lingua: BELARUSIAN
word_order: svo
subject_after_verb: true
head_final: false
case_marking: position
conjunctions: [і, ды]
articles: []
morphology: none
lemmatizer: none
name_tagger: none
"""
RULES = """\
markers:
  negation: [не]
  future: [плануе, збіраецца]
  conjunction: [і]
  prepositions: [з, у, на]
  location_prepositions: [у, ва]
rules:
  - id: be.meet
    cameo: "040"
    triggers: [сустрэўся, сустрэліся, сустрэцца]
    source: [subj]
    target: [з+acc]
    symmetric: true
  - id: be.phone
    cameo: "041"
    triggers: [патэлефанаваў]
    source: [subj]
    target: [acc]
    symmetric: true
"""
TIMES = """\
months:
  - [студзеня]
  - [лютага]
  - [сакавіка]
  - [красавіка]
  - [мая]
  - [чэрвеня]
  - [ліпеня]
  - [жніўня]
  - [верасня]
  - [кастрычніка]
  - [лістапада]
  - [снежня]
"""
LINKER = """\
pronouns_masc: [ён]
pronouns_fem: [яна]
not_names: [у, і]
"""
NAMES = {"person:lukashenko": ["Аляксандр Лукашэнка", "Лукашэнка"],
         "Q7747": ["Уладзімір Пуцін", "Уладзімірам Пуціным", "Пуцін", "Пуціным"]}


@pytest.fixture
def belarusian(tmp_path: Path) -> Iterator[KnowledgeBase]:
    """Register the language from a temporary folder, and a KB with its names; unregister afterwards."""
    folder = tmp_path / "be"
    folder.mkdir()
    for name, text in {"language.yaml": LANGUAGE, "rules.yaml": RULES, "times.yaml": TIMES,
                       "linker.yaml": LINKER}.items():
        (folder / name).write_text(text, encoding="utf-8")
    languages = default_languages()
    languages.add_folder(folder)
    kb: KnowledgeBase = pickle.loads(pickle.dumps(default_kb()))  # a copy: the shared KB stays as it is
    kb.add_language("be")
    for actor_id, names in NAMES.items():
        actor = kb.actors[actor_id]
        actor.names["be"] = names
        kb.add(actor)
    try:
        yield kb
    finally:
        languages.remove("be")


def test_a_language_from_its_own_folder_codes_an_event(belarusian: KnowledgeBase) -> None:
    pipe = Pipeline.from_names(deps=Dependencies(kb=belarusian))
    text = "Аляксандр Лукашэнка сустрэўся з Уладзімірам Пуціным 8 жніўня, паведамляе прэс-служба прэзідэнта."
    doc = pipe.process(Article(text=text, name="be.txt", published=dt.date(2025, 8, 11)))
    assert doc.lang == "be"
    events = [event_dict(doc, ev) for ev in doc.events]
    assert [(e["cameo"], e["source"]["kb_id"], e["target"]["kb_id"], e["date"], e["modality"]) for e in events] == [
        ("040", "person:lukashenko", "Q7747", "2025-08-08", "asserted")]
    assert events[0]["trigger"]["text"] == "сустрэўся"


def test_the_bundled_languages_come_from_their_folders() -> None:
    languages = default_languages()
    assert languages.codes[:4] == ("ru", "uk", "kk", "en")
    assert languages.get("kk").word_order == "sov" and languages.get("kk").head_final
    assert languages.get("en").case_marking == "position" and not languages.get("en").tags_names
    with pytest.raises(LanguageError, match="unsupported language 'xx'"):
        languages.get("xx")


def test_a_broken_language_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "language.yaml").write_text("code: zz\nword_order: vso\n", encoding="utf-8")
    with pytest.raises(LanguageError, match="word_order must be one of svo, sov"):
        load_language(tmp_path)
