"""Per-language word lists, read from the language's folder (``detente/lang/<lang>/<name>.yaml``)."""

from __future__ import annotations

from detente.lang import default_languages


def word_lists(lang: str, name: str) -> dict[str, list[str]]:
    """Return the lists of ``<name>.yaml`` of ``lang`` (empty when the language or the file is unknown)."""
    found = default_languages().find(lang)
    return found.words(name) if found is not None else {}
