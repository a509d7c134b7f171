"""The GeoNames gazetteer: cities the KB does not name get coordinates, in any case form and language,
only where a tagger typed a location; GDELT's geography columns carry FIPS codes and GeoNames ids."""

from __future__ import annotations

import pytest

from detente.doc import Article
from detente.kb.base import default_kb
from detente.kb.gazetteer import City, Gazetteer, country_codes, read_cities
from detente.lang import default_languages
from detente.pipeline import Pipeline


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    kb = default_kb()
    assert kb.gazetteer is not None
    return kb.gazetteer


def test_bundled_gazetteer_holds_the_regions_cities_and_the_worlds_large_ones() -> None:
    cities = read_cities()
    assert 5000 < len(cities) < 20000
    by_country: dict[str, int] = {}
    for c in cities:
        by_country[c.country] = by_country.get(c.country, 0) + 1
    assert by_country["KAZ"] > 50 and by_country["UKR"] > 300 and by_country["RUS"] > 1000
    assert all(-90 <= c.lat <= 90 and -180 <= c.lon <= 180 and c.names for c in cities)


@pytest.mark.parametrize(("text", "lemma", "lang", "city"), [
    ("Костанае", "костанай", "ru", "Kostanay"),  # by the lemma
    ("Харкові", "", "uk", "Kharkiv"),  # a locative the dictionary makes from the name
    ("Жезказгане", "", "ru", "Zhezqazghan"),
    ("Ақтөбе", "", "kk", "Aktobe"),
    ("Kostanay", "", "en", "Kostanay"),
    ("Янгоне", "", "ru", "Yangon"),
])
def test_find_matches_case_forms_in_each_language(gazetteer: Gazetteer, text: str, lemma: str, lang: str,
                                                  city: str) -> None:
    found = gazetteer.find(text, lemma, lang)
    assert found is not None and found[0].name == city


def test_names_go_to_the_languages_their_letters_allow() -> None:
    langs = default_languages()
    small = Gazetteer([City(1, "Aktobe", "KAZ", 50.3, 57.2, 500_000, ("Ақтөбе", "Актюбинск", "Aktobe")),
                       City(2, "Kyiv", "UKR", 50.45, 30.52, 2_900_000, ("Київ", "Киев"))],
                      [lang for code in ("ru", "uk", "kk", "en") if (lang := langs.find(code)) is not None])
    assert small.find("Ақтөбе", "", "kk") is not None and small.find("Ақтөбе", "", "ru") is None
    assert small.find("Актюбинск", "", "ru") is not None
    assert small.find("Київ", "", "uk") is not None
    assert small.find("Київ", "", "ru") is None and small.find("Київ", "", "kk") is None  # ї is Ukrainian
    assert small.find("Aktobe", "", "en") is not None and small.find("Aktobe", "", "ru") is None
    assert small.find("Мир", "мир", "ru") is None


def test_the_most_populous_city_of_a_name_wins(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Kharkiv", "", "en")
    assert found is not None and found[0].country == "UKR"


def test_a_tagged_location_the_kb_lacks_is_placed_and_events_carry_it(pipeline: Pipeline) -> None:
    text = "Президент Казахстана Касым-Жомарт Токаев провёл встречу с премьер-министром Индии в Барнауле."
    doc = pipeline.process(Article(name="t", text=text, published=None, lang="ru"))
    placed = [e for e in doc.entities if e.via == "gazetteer"]
    assert [(e.text, e.name, e.country) for e in placed] == [("Барнауле", "Barnaul", "RUS")]
    assert placed[0].kb_id and placed[0].kb_id.startswith("geonames:")
    located = [ev.location for ev in doc.events if ev.location]
    assert located and located[0]["name"] == "Barnaul" and located[0]["geonames"] == int(placed[0].kb_id.split(":")[1])


def test_a_kb_place_keeps_its_link_and_gets_its_geonames_id(pipeline: Pipeline) -> None:
    doc = pipeline.process(Article(name="t", text="Токаев провёл переговоры с Моди в Костанае.", lang="ru"))
    assert not [e for e in doc.entities if e.via == "gazetteer"]
    located = [ev.location for ev in doc.events if ev.location]
    assert located and located[0]["name"] == "Kostanay" and located[0]["geonames"] == 1519928


def test_streets_adjectives_and_case_forms_of_surnames_are_not_towns(pipeline: Pipeline) -> None:
    text = "Митинг прошёл на улице Кирова, у театра Горького и в Московской области."
    doc = pipeline.process(Article(name="t", text=text, lang="ru"))
    assert not [e.text for e in doc.entities if e.via == "gazetteer"]


def test_a_word_that_names_a_town_is_not_placed_outside_a_tagged_location(pipeline: Pipeline) -> None:
    doc = pipeline.process(Article(name="t", text="Стороны обсудили мир на Украине и в Европе.", lang="ru"))
    assert not [e for e in doc.entities if e.via == "gazetteer"]


def test_country_codes_give_fips_and_geonames_ids() -> None:
    codes = country_codes()
    assert codes["KAZ"].fips == "KZ" and codes["UKR"].fips == "UP" and codes["RUS"].fips == "RS"
    assert codes["DEU"].fips == "GM" and codes["USA"].geonameid == 6252001
