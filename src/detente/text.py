"""Text helpers shared by every stage: the matching key of a token, and reading YAML data files."""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses the data files ~8x faster

_APOS = re.compile(r"['’ʼ`]")


@functools.lru_cache(maxsize=1 << 17)
def norm(token: str) -> str:
    """Return the matching key of a token: lowercase, ё→е, one apostrophe."""
    return _APOS.sub("'", token.lower().replace("ё", "е"))


def load_yaml(text: str) -> Any:
    """Parse YAML data safely (libyaml's C parser when PyYAML was built with it); ``yaml.YAMLError`` on bad input."""
    return yaml.load(text, Loader=_LOADER)
