"""Turning the bytes of a file into text, whatever encoding it was saved in.

Articles reach detente as UTF-8, as UTF-16 from Windows tools, and in the legacy Cyrillic code
pages (cp1251, KOI8-R/U, cp866, ...) that Russian-, Ukrainian- and Kazakh-language sites and
archives still use.  :func:`read_text_bytes` tries, in order:

1. a byte-order mark (UTF-32 LE/BE, UTF-8, UTF-16 LE/BE), decoded strictly;
2. if the bytes hold NUL bytes: UTF-16 (or UTF-32) without a BOM when the NULs sit at alternating
   positions, else the file is binary;
3. strict UTF-8, then UTF-8 with a few broken bytes replaced by U+FFFD when the bytes are
   clearly UTF-8 otherwise (at least 20 good non-ASCII characters per broken byte);
4. the best guess of charset-normalizer among a short list of encodings that make sense for
   detente's languages, ties broken towards the encoding whose letters belong to the Cyrillic and
   Latin alphabets of those languages, then towards the more common encoding;
5. Latin-1, as a last resort, only when the result has (almost) no C1 control characters.

Whatever decodes, the result must look like text: text made mostly of control characters is
reported as :class:`~detente.ingest.errors.BinaryFile`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from detente.ingest.errors import BinaryFile, UndecodableText

__all__ = ["LEGACY_ENCODINGS", "read_text_bytes"]

#: Legacy single-byte encodings considered when the bytes are not UTF-8, most common first.
#: (Python codec names; the order breaks ties between equally good guesses.)
LEGACY_ENCODINGS: tuple[str, ...] = (
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp866",
    "iso8859_5",
    "mac_cyrillic",
    "kz1048",
    "cp1252",
    "cp1250",
)

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: the UTF-32 LE mark begins with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

# C0 controls other than tab, LF, VT, FF, CR; DEL; and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x80-\x9f]")
# The letters of Russian, Ukrainian, Belarusian, Kazakh and of Latin-script languages.
_EXPECTED_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyz"
    "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿßœšžł"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "іїєґў"
    "әғқңөұүһ"
)

_SAMPLE = 65_536  # characters inspected by the (slower) per-character checks
_MAX_CONTROL_RATIO = 0.10  # more control characters than this: not text
_MAX_BAD_RATIO = 0.005  # unassigned / private-use / C1 characters allowed in a guessed decoding
_MIN_NUL_RATIO = 0.02  # share of the NUL-heavy byte column that makes UTF-16 plausible


def read_text_bytes(data: bytes, path: str) -> str:
    """Decode the bytes of a text file, detecting its encoding.

    Only decoding happens here: a byte-order mark is dropped, but line ends and all other
    characters are returned as decoded (the article readers normalise ``"\\r\\n"`` afterwards).
    Empty input gives ``""``.

    Args:
        data: the raw bytes of the file.
        path: the file's path, used only in error messages.

    Returns:
        The decoded text.

    Raises:
        BinaryFile: the bytes hold NUL bytes but are not UTF-16/UTF-32, or the decoded text is
            mostly control characters.
        UndecodableText: no supported encoding gives plausible text.
    """
    if not data:
        return ""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise UndecodableText(
                    path,
                    f"starts with a {label} byte-order mark but is not valid {label} ({exc.reason} "
                    f"at byte {exc.start + len(bom)})",
                ) from None
            return _check_text(text, path)
    if b"\x00" in data:
        wide = _guess_wide(data)
        if wide is None:
            raise BinaryFile(path, "contains NUL bytes and is not UTF-16 or UTF-32 text; not a text file")
        return _check_text(wide, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _check_text(text, path)
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return _check_text(damaged, path)
    legacy = _guess_legacy(data)
    if legacy is None:
        raise UndecodableText(
            path,
            "is neither UTF-8 nor UTF-16 and no legacy encoding ("
            + ", ".join(LEGACY_ENCODINGS)
            + ") gives plausible text; re-save it as UTF-8",
        )
    return _check_text(legacy, path)


def _check_text(text: str, path: str) -> str:
    """Return ``text`` unless it is mostly control characters (then raise :class:`BinaryFile`)."""
    sample = text[:_SAMPLE]
    if sample and len(_CONTROL.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise BinaryFile(path, "is mostly control characters; not a text file")
    return text


def _bad_ratio(text: str) -> float:
    """Share of characters that never occur in real text: controls, C1, unassigned, private use."""
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = 0
    for ch in sample:
        if ch in "\t\n\r\x0b\x0c":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn") or ch == "\ufffd":
            bad += 1
    return bad / len(sample)


def _expected_share(text: str) -> float:
    """Share of the letters of ``text`` that belong to the alphabets detente expects."""
    letters = [ch for ch in text[:_SAMPLE].lower() if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(ch in _EXPECTED_LETTERS for ch in letters) / len(letters)


def _guess_wide(data: bytes) -> str | None:
    """Decode BOM-less UTF-16 or UTF-32 when the NUL bytes say so; ``None`` if they do not."""
    n4 = len(data) // 4
    if n4 and len(data) % 4 == 0:
        # UTF-32: for BMP text, two of every four bytes are NUL.
        columns = [data[i::4].count(0) for i in range(4)]
        for codec, zero_cols in (("utf-32-le", (2, 3)), ("utf-32-be", (0, 1))):
            if all(columns[c] >= 0.9 * n4 for c in zero_cols):
                text = _strict(data, codec)
                if text is not None and _bad_ratio(text) <= _MAX_BAD_RATIO:
                    return text
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    n2 = len(data) // 2
    if n2 == 0:
        return None
    body = data[: 2 * n2]  # a file cut after an odd number of bytes loses its half character
    # ASCII characters (spaces, digits, punctuation in Cyrillic text) give a NUL in the high byte:
    # odd positions for little-endian, even ones for big-endian.  The other column has (almost) none.
    if odd >= _MIN_NUL_RATIO * n2 and even * 20 <= odd:
        codec = "utf-16-le"
    elif even >= _MIN_NUL_RATIO * n2 and odd * 20 <= even:
        codec = "utf-16-be"
    else:
        return None
    text = _strict(body, codec)
    if text is None or _bad_ratio(text) > _MAX_BAD_RATIO:
        return None
    return text


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a bad download, one stray legacy character), or ``None``.

    Legacy Cyrillic text almost never forms valid multi-byte UTF-8 sequences, so many valid
    non-ASCII characters and few broken bytes (at most one per 20 good characters) mean UTF-8;
    the broken bytes become U+FFFD.
    """
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    if broken > 0 and good >= 20 * broken:
        return text
    return None


def _strict(data: bytes, codec: str) -> str | None:
    """Decode strictly, returning ``None`` on failure."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess_legacy(data: bytes) -> str | None:
    """Pick the best legacy single-byte decoding, or ``None`` when none is plausible."""
    import charset_normalizer

    ranked: list[tuple[tuple[float, float, float, int], str]] = []
    try:
        matches = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS))
    except Exception:  # pragma: no cover - charset-normalizer failing is treated as "no guess"
        matches = None
    if matches is not None:
        for match in matches:
            codec = codecs.lookup(match.encoding).name
            text = _strict(data, codec)
            if text is None or _bad_ratio(text) > _MAX_BAD_RATIO:
                continue
            pref = next(
                (i for i, enc in enumerate(LEGACY_ENCODINGS) if codecs.lookup(enc).name == codec),
                len(LEGACY_ENCODINGS),
            )
            key = (
                round(float(match.chaos), 2),
                -round(float(match.coherence), 2),
                -round(_expected_share(text), 3),
                pref,
            )
            ranked.append((key, text))
    if ranked:
        ranked.sort(key=lambda kt: kt[0])
        return ranked[0][1]
    text = data.decode("latin-1")
    sample = text[:_SAMPLE]
    if len(_C1.findall(sample)) > _MAX_BAD_RATIO * len(sample):
        return None
    return text
