"""Exports of the demo corpus: GDELT 2.0 Events and Mentions load with pandas under GDELT's own column list,
with its types and zero-padded codes; POLECAT has its 40 columns; Parquet loads in pyarrow, polars and
DuckDB with the documented schema; the API answers the same formats."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.api.app import create_app
from detente.api.context import Settings
from detente.cli import cli
from detente.export import gdelt, parquet, polecat

from .test_query_path import ingest_demo

# GDELT 2.0 Event codebook, "GDELT_2.0_Column_Labels_Header_Row", in its order (written out here, not imported)
GDELT_EVENTS = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name Actor1CountryCode
Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code
Actor1Type3Code Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code
Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode
QuadClass GoldsteinScale NumMentions NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName
Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat
Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code
ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL""".split()  # noqa: SIM905
GDELT_MENTIONS = """GLOBALEVENTID EventTimeDate MentionTimeDate MentionType MentionSourceName MentionIdentifier
SentenceID Actor1CharOffset Actor2CharOffset ActionCharOffset InRawText Confidence MentionDocLen MentionDocTone
MentionDocTranslationInfo Extras""".split()  # noqa: SIM905
# the types GDELT's documentation gives each column (codes are strings: their leading zeros matter)
GDELT_TYPES = {"GLOBALEVENTID": "int64", "SQLDATE": "int64", "MonthYear": "int64", "Year": "int64",
               "FractionDate": "float64", "IsRootEvent": "int64", "QuadClass": "int64", "GoldsteinScale": "float64",
               "NumMentions": "int64", "NumSources": "int64", "NumArticles": "int64", "AvgTone": "float64",
               "Actor1Geo_Lat": "float64", "Actor1Geo_Long": "float64", "Actor2Geo_Lat": "float64",
               "Actor2Geo_Long": "float64", "ActionGeo_Lat": "float64", "ActionGeo_Long": "float64",
               "DATEADDED": "int64"}
STRINGS = [c for c in GDELT_EVENTS if c not in GDELT_TYPES]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("export") / "demo.db")
    ingest_demo(db)
    return db


def _export(db: str, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--db", db, "export", *args])
    assert res.exit_code == 0, res.output
    return res.stdout


def _gdelt_frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), sep="\t", header=None, names=GDELT_EVENTS, dtype=dict.fromkeys(STRINGS, str),
                       keep_default_na=False, na_values={c: [""] for c in GDELT_TYPES})


def test_gdelt_events_load_with_gdelts_columns_and_types(demo: str) -> None:
    assert gdelt.EVENT_COLUMNS == GDELT_EVENTS and len(GDELT_EVENTS) == 61
    text = _export(demo, "--format", "gdelt")
    assert all(line.count("\t") == 60 for line in text.splitlines())
    frame = _gdelt_frame(text)
    assert len(frame) > 100
    for column, kind in GDELT_TYPES.items():
        if column in ("AvgTone",) or column.endswith(("_Lat", "_Long")):
            assert frame[column].dtype == "float64", column  # empty: detente has no tone, places come later
        else:
            assert str(frame[column].dtype) == kind, (column, frame[column].dtype)
    assert frame["GLOBALEVENTID"].is_unique and (frame["GLOBALEVENTID"] > 0).all()
    days = pd.to_datetime(frame["SQLDATE"].astype(str), format="%Y%m%d")
    assert (frame["MonthYear"] == frame["SQLDATE"] // 100).all() and (frame["Year"] == days.dt.year).all()
    assert frame["EventRootCode"].str.fullmatch(r"\d\d").all() and frame["EventBaseCode"].str.fullmatch(r"\d{3}").all()
    assert (frame.apply(lambda r: r.EventCode.startswith(r.EventBaseCode), axis=1)).all()
    assert (frame["EventRootCode"] == "04").any() and (frame["EventBaseCode"] == "041").any()  # leading zeros kept
    assert frame["QuadClass"].between(1, 4).all() and frame["GoldsteinScale"].between(-10, 10).all()
    assert (frame[["NumMentions", "NumSources", "NumArticles"]] >= 1).all().all()
    assert frame["NumArticles"].max() >= 2  # the seeds' reports merged within their stories
    assert frame["IsRootEvent"].isin([0, 1]).all() and frame["SOURCEURL"].str.len().gt(0).all()
    assert frame["DATEADDED"].astype(str).str.fullmatch(r"\d{14}").all()
    actors = frame[frame["Actor1CountryCode"] != ""]  # an international organisation (IGOUNO) has no country
    assert actors["Actor1CountryCode"].str.fullmatch(r"[A-Z]{3}").all()
    assert (actors["Actor1Code"].str[:3] == actors["Actor1CountryCode"]).mean() > 0.9
    placed = frame[frame["ActionGeo_Type"] == "4"]
    assert len(placed) >= 10 and placed["ActionGeo_Lat"].notna().all()
    assert placed["ActionGeo_CountryCode"].str.fullmatch(r"[A-Z]{2}").all()  # FIPS 10-4, not ISO
    assert {"KZ", "UP"} <= set(placed["ActionGeo_CountryCode"])  # Kazakhstan, Ukraine ("UP", ISO "UA")
    ids = placed["ActionGeo_FeatureID"]
    assert ids.str.fullmatch(r"\d+|").all() and (ids != "").mean() > 0.5  # GeoNames ids; a region has none


def test_gdelt_mentions_point_at_the_events(demo: str) -> None:
    events = set(_gdelt_frame(_export(demo, "--format", "gdelt"))["GLOBALEVENTID"])
    text = _export(demo, "--format", "gdelt-mentions")
    frame = pd.read_csv(io.StringIO(text), sep="\t", header=None, names=GDELT_MENTIONS,
                        dtype={"MentionSourceName": str, "MentionIdentifier": str, "MentionDocTranslationInfo": str})
    assert gdelt.MENTION_COLUMNS == GDELT_MENTIONS
    reports = len(_export(demo, "--format", "jsonl", "--mentions").splitlines())
    assert len(frame) == reports > len(events)  # one row per report, more reports than events
    assert set(frame["GLOBALEVENTID"]) == events
    assert frame["Confidence"].between(0, 100).all() and (frame["MentionType"] == 1).all()
    assert frame["MentionDocTranslationInfo"].dropna().str.fullmatch(r"srclc:(rus|ukr|kaz)").all()


def test_polecat_has_its_40_columns_and_plover_types(demo: str) -> None:
    text = _export(demo, "--format", "polecat")
    frame = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    assert list(frame.columns) == polecat.COLUMNS and len(polecat.COLUMNS) == 40
    plover = {"ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "MOBILIZE",
              "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN"}
    assert len(frame) > 50 and set(frame["Event Type"]) <= plover
    assert set(frame["Quad Code"]) <= set(polecat.QUAD.values())
    assert frame["Event Date"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    cities = frame[frame["GeoNames ID"] != ""]
    assert len(cities) and cities["GeoNames ID"].str.fullmatch(r"\d+").all() and (cities["City"] != "").all()


def test_parquet_loads_in_pyarrow_polars_and_duckdb_with_the_documented_schema(demo: str, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    CliRunner().invoke(cli, ["--db", demo, "export", "--format", "parquet", "-o", str(path)])
    table = pq.read_table(path)
    assert table.schema.equals(parquet.schema())
    assert [f.name for f in table.schema] == [name for name, _ in parquet.FIELDS]
    assert table.num_rows == len(_export(demo, "--format", "jsonl").splitlines())
    frame = pl.read_parquet(path)
    assert frame.schema["published"] == pl.Date and frame.schema["quad_class"] == pl.Int8
    assert frame.schema["num_mentions"] == pl.Int32 and frame.schema["goldstein"] == pl.Float64
    assert frame["cameo"].str.starts_with("0").any()  # codes stay strings with their zeros
    count, first, kind = duckdb.sql(f"SELECT count(*), min(published), typeof(min(published)) "
                                    f"FROM read_parquet('{path}')").fetchall()[0]
    assert count == table.num_rows and isinstance(first, dt.date) and kind == "DATE"


def test_export_refuses_parquet_on_stdout_and_leaves_no_partial_file(demo: str, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["--db", demo, "export", "--format", "parquet"])
    assert res.exit_code == 2 and "-o FILE" in res.output
    out = tmp_path / "kaz.csv"
    res = CliRunner().invoke(cli, ["--db", demo, "export", "--country", "KAZ", "-o", str(out)])
    assert res.exit_code == 0 and out.exists() and not (tmp_path / "kaz.csv.part").exists()
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) > 1 and "written to" in res.output
    bad = CliRunner().invoke(cli, ["--db", demo, "export", "--country", "KA"])
    assert bad.exit_code == 2


def test_the_api_answers_the_export_formats(demo: str) -> None:
    with TestClient(create_app(Settings(db=demo))) as c:
        page = c.get("/api/events", params={"format": "gdelt", "limit": 1000}).text
        assert page == _export(demo, "--format", "gdelt")  # one page holding them all: the same rows
        r = c.get("/api/events", params={"format": "parquet", "limit": 10})
        assert r.headers["content-type"] == "application/vnd.apache.parquet"
        assert pq.read_table(io.BytesIO(r.content)).num_rows == 10 and "rel=\"next\"" in r.headers["link"]
        head = c.get("/api/events", params={"format": "polecat", "limit": 3}).text.splitlines()
        assert head[0].split("\t") == polecat.COLUMNS
        assert c.get("/api/events", params={"format": "xls"}).status_code == 422


def test_read_events_gives_typed_frames_in_pandas_and_polars(demo: str) -> None:
    import detente

    frame = detente.read_events(demo, country="KAZ", date_from="2025-08-01")
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    assert str(frame["published"].dtype).startswith("datetime64") and frame["quad_class"].dtype == "int8"
    assert (frame["day"] >= pd.Timestamp("2025-08-01")).all()  # filed under its own date, else the article's
    every = _export(demo, "--format", "jsonl", "--country", "KAZ", "--since", "2025-08-01").splitlines()
    assert len(frame) == len(every)
    polar = detente.read_events(demo, library="polars", country="KAZ", date_from="2025-08-01")
    assert isinstance(polar, pl.DataFrame) and polar.schema["day"] == pl.Date and polar.height == len(frame)
    with pytest.raises(ValueError, match="date_from"):
        detente.read_events(demo, date_from="1.8.2025")
    with pytest.raises(ValueError, match="library"):
        detente.read_events(demo, library="spark")
