"""The numpy decoder of the CRF name taggers gives pycrfsuite's tags (issue 11: speed, same output)."""

from __future__ import annotations

from pathlib import Path

import pycrfsuite
import pytest

from detente.kb.base import default_kb
from detente.nlp.crf import _rows, compiled, model_path, token_features
from detente.nlp.crf_decode import ModelFormatError, load_model
from detente.pipeline import Pipeline
from tests.conftest import read_article

ROOT = Path(__file__).resolve().parents[1]


def _sentences(lang: str) -> list[tuple[list[str], list[bool]]]:
    """Tokenized sentences of ``lang`` from the samples and the team's train articles."""
    paths = sorted(ROOT.glob(f"samples/{lang}_*.txt")) + sorted(ROOT.glob(f"samples/news/{lang}/train/*.txt"))
    pipe = Pipeline.from_names(["segment", "langid"])
    out = []
    for path in paths:
        doc = pipe.process(read_article(path))
        by_sent: dict[int, list[int]] = {}
        for i, tok in enumerate(doc.tokens):
            by_sent.setdefault(tok.sent, []).append(i)
        for ids in by_sent.values():
            toks = [doc.tokens[i] for i in ids]
            out.append(([t.text for t in toks], [i == 0 or toks[i].start > toks[i - 1].end for i in range(len(toks))]))
    return out


@pytest.mark.parametrize("lang", ["uk", "kk"])
def test_numpy_decoder_gives_pycrfsuite_tags(lang: str) -> None:
    path = model_path(lang)
    model = compiled(lang)
    assert path is not None and model is not None
    ref = pycrfsuite.Tagger()
    ref.open(str(path))
    kb = default_kb()
    sentences = _sentences(lang)
    assert len(sentences) > 200
    for words, spaced in sentences:
        want = ref.tag(token_features(words, lang, spaced, kb))
        assert model.decode(*_rows(words, lang, spaced, kb, model)) == want, words


def test_weights_are_the_stored_doubles() -> None:
    path = model_path("uk")
    assert path is not None
    model = load_model(path)
    info = pycrfsuite.Tagger()
    info.open(str(path))
    features = info.info().state_features
    assert len(model.index) == len({a for a, _ in features})
    for (attr, label), weight in list(features.items())[:2000]:
        assert abs(model.state[model.index[attr], model.labels.index(label)] - weight) < 1e-6


def test_a_file_that_is_no_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "ner.crfsuite"
    bad.write_bytes(b"not a model at all, just text" * 4)
    with pytest.raises(ModelFormatError, match="not a CRFsuite 1d model"):
        load_model(bad)
