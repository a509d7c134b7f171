"""Decoding a CRFsuite name-tagger model with numpy, from feature ids instead of feature strings.

The shipped models (``lang/<lang>/ner.crfsuite``) are written by CRFsuite through ``pycrfsuite``.
Tagging through ``pycrfsuite`` turns every feature string of every token into an attribute id
again, sentence after sentence; most of those strings come from word forms the tagger has met
before. This module reads the model file once (labels, attributes, state and transition weights,
all as stored) so a caller can keep the attribute ids of a word form, and decodes with the same
arithmetic as CRFsuite's ``crf1dc_viterbi``: a label's state score is the sum of its weights over
the token's attributes in their order, starting from zero; a path's score adds the transition
weights; ties go to the lower label index. The tags are the ones ``pycrfsuite.Tagger.tag`` gives
(``tests/test_crf_decode.py`` holds that over the sample corpus).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["CompiledCRF", "ModelFormatError", "load_model"]

Floats = npt.NDArray[np.float64]


class ModelFormatError(ValueError):
    """A name-tagger model file that is not a CRFsuite 1d model this reader understands."""


_HEADER = struct.Struct("<4sI4sIIIIIIIII")  # magic, size, type, version, counts, chunk offsets
_CQDB = struct.Struct("<4sIIIII")  # id, size, flag, byte order, backward size, backward offset
_FEATURE = struct.Struct("<IIId")  # type (0 state, 1 transition), source, destination, weight


def _strings(data: bytes, off: int, path: Path) -> list[str]:
    """The strings of a CQDB chunk at ``off``, by id (CRFsuite's label and attribute tables)."""
    cid, _size, _flag, _order, n, bwd = _CQDB.unpack_from(data, off)
    if cid != b"CQDB":
        raise ModelFormatError(f"{path}: no string table at offset {off}; is this a CRFsuite model?")
    out: list[str] = []
    for i, (rec,) in enumerate(struct.iter_unpack("<I", data[off + bwd: off + bwd + 4 * n])):
        rid, ksize = struct.unpack_from("<iI", data, off + rec)
        if rid != i:
            raise ModelFormatError(f"{path}: string table entry {i} is numbered {rid}")
        out.append(data[off + rec + 8: off + rec + 8 + ksize - 1].decode("utf-8"))
    return out


@dataclass(frozen=True)
class CompiledCRF:
    """A CRFsuite model as arrays: row ``aid + 1`` of ``state`` holds attribute ``aid``'s weights.

    Row 0 is all zeros; :meth:`attribute` gives it to attributes the model does not know, which
    CRFsuite drops (adding zero leaves every score as it was).
    """

    labels: tuple[str, ...]
    index: dict[str, int]
    state: Floats
    trans: Floats

    def attribute(self, name: str) -> int:
        """The row of the attribute ``name`` (0 when the model does not know it)."""
        return self.index.get(name, 0)

    def decode(self, rows: list[int], starts: list[int]) -> list[str]:
        """The best label sequence for tokens whose attribute rows are ``rows[starts[t]:starts[t+1]]``.

        Every token must have at least one row (row 0 will do).
        """
        if not starts:
            return []
        scores = np.add.reduceat(self.state[np.asarray(rows, dtype=np.intp)], np.asarray(starts, dtype=np.intp), axis=0)
        n = len(starts)
        back = np.zeros((n, len(self.labels)), dtype=np.intp)
        cur = scores[0]
        for t in range(1, n):
            cand = cur[:, None] + self.trans  # cand[i, j]: from label i to label j
            back[t] = cand.argmax(axis=0)  # the first maximum, as CRFsuite's strict comparison
            cur = cand.max(axis=0) + scores[t]
        best = [int(cur.argmax())]
        for t in range(n - 1, 0, -1):
            best.append(int(back[t, best[-1]]))
        return [self.labels[i] for i in reversed(best)]


def load_model(path: Path) -> CompiledCRF:
    """Read a CRFsuite 1d model file (``ner.crfsuite``) into a :class:`CompiledCRF`."""
    data = path.read_bytes()
    if len(data) < _HEADER.size:
        raise ModelFormatError(f"{path}: too short for a CRFsuite model")
    magic, _size, kind, _version, _nf, _nl, _na, off_feat, off_labels, off_attrs, _lr, _ar = _HEADER.unpack_from(data)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelFormatError(f"{path}: not a CRFsuite 1d model (magic {magic!r}, type {kind!r})")
    labels = _strings(data, off_labels, path)
    attrs = _strings(data, off_attrs, path)
    cid, _csize, n = struct.unpack_from("<4sII", data, off_feat)
    if cid != b"FEAT":
        raise ModelFormatError(f"{path}: no feature table at offset {off_feat}")
    state = np.zeros((len(attrs) + 1, len(labels)), dtype=np.float64)
    trans = np.zeros((len(labels), len(labels)), dtype=np.float64)
    start = off_feat + 12
    for ftype, src, dst, weight in struct.iter_unpack(_FEATURE.format, data[start: start + _FEATURE.size * n]):
        if ftype == 0:
            state[src + 1, dst] += weight
        else:
            trans[src, dst] += weight
    return CompiledCRF(tuple(labels), {a: i + 1 for i, a in enumerate(attrs)}, state, trans)
