"""MinHash signatures of word shingles and LSH band keys: near-copies of an article in one language.

A reprint keeps most of its source's word sequences (a new headline, a cut last paragraph, a photo
credit leave the rest), so nearly all of its 4-word shingles are in its source (their containment,
read from the Jaccard estimate and the sets' sizes) while two reports of one happening written apart
share few. The signature is :data:`NUM_PERM` minima of
universal hashes; :data:`BANDS` bands of :data:`ROWS` rows give the LSH keys under which a store
finds candidates in constant time per article.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import numpy.typing as npt

NUM_PERM = 120
BANDS = 40  # 3 rows a band: a pair at Jaccard 0.5 shares a band with probability 0.995, at 0.1 with 0.04
ROWS = NUM_PERM // BANDS
SHINGLE = 4  # words per shingle
_PRIME = np.uint64((1 << 31) - 1)  # a Mersenne prime: a * h wraps it many times, so each hash mixes well
_WORD = re.compile(r"\w+", re.UNICODE)

_rng = np.random.default_rng(20261202)  # fixed: signatures must agree across runs and processes
_A = _rng.integers(1, (1 << 31) - 1, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, NUM_PERM, dtype=np.uint64)

Signature = npt.NDArray[np.uint64]


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """Hashes below :data:`_PRIME` of the ``k``-word sequences of ``text`` (case-folded words, no punctuation)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < k:
        words = words + [""] * (k - len(words)) if words else []
    grams = {" ".join(words[i:i + k]) for i in range(max(0, len(words) - k + 1))}
    return {int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little") % int(_PRIME)
            for g in grams}


def signature(text: str) -> Signature:
    """The MinHash signature of ``text``'s shingles (all-maximum for a text without words)."""
    return signature_of(shingles(text))


def signature_of(shingle_hashes: set[int]) -> Signature:
    """The MinHash signature of a set of shingle hashes (from :func:`shingles`)."""
    hashes = np.fromiter(shingle_hashes, dtype=np.uint64)
    if hashes.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    # (a * h + b) mod p for every permutation and shingle; a, h < 2**31 so the product fits in 64 bits
    mixed = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    out: Signature = mixed.min(axis=1)
    return out


def similarity(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.mean(a == b))


def containment(a: Signature, b: Signature, size_a: int, size_b: int) -> float:
    """The estimated share of the smaller shingle set found in the larger one.

    A reprint that cuts its source's last paragraph keeps nearly all its own shingles in the source,
    while their Jaccard similarity falls with the cut; the containment is read from the Jaccard
    estimate and the two sets' sizes (``|A ∩ B| = J (|A| + |B|) / (1 + J)``).
    """
    small = min(size_a, size_b)
    if small <= 0:
        return 0.0
    j = similarity(a, b)
    return min(1.0, j * (size_a + size_b) / ((1.0 + j) * small))


def band_keys(sig: Signature) -> list[int]:
    """The LSH keys of a signature, one per band: articles sharing a key are candidate near-copies.

    Each key is a signed 64-bit hash of the band's number and rows, so a store indexes 8-byte integers.
    """
    keys = []
    for band in range(BANDS):
        chunk = bytes([band]) + sig[band * ROWS:(band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True))
    return keys
