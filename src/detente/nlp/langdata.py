"""Per-language word lists kept as data files under ``nlp/lang/<lang>/``."""

from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.cache
def word_lists(lang: str, name: str) -> dict[str, list[str]]:
    """Return the lists of ``nlp/lang/<lang>/<name>.yaml`` (empty when the language has no such file)."""
    res = resources.files("detente.nlp").joinpath("lang", lang, f"{name}.yaml")
    if not res.is_file():
        return {}
    data = yaml.safe_load(res.read_text(encoding="utf-8")) or {}
    return {str(k): [str(x) for x in v or []] for k, v in data.items()}
