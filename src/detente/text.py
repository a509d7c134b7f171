"""Text helpers shared by every stage: the matching key of a token."""

from __future__ import annotations

import functools
import re

_APOS = re.compile(r"['’ʼ`]")


@functools.lru_cache(maxsize=1 << 17)
def norm(token: str) -> str:
    """Return the matching key of a token: lowercase, ё→е, one apostrophe."""
    return _APOS.sub("'", token.lower().replace("ё", "е"))
