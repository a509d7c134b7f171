"""The keyset cursor of event lists: the sort value and id of the last row, opaque to clients.

A cursor comes back from the client, so it is read as untrusted input: its shape, the type and range of
its value for the sort key in use, and the event id are all checked, and anything else is a
:class:`~detente.query.filters.QueryError` naming ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any

from detente.query.filters import QueryError

MAX_CURSOR = 2048  # characters; a real cursor is far shorter
_EVENT_ID = re.compile(r"[0-9a-f]{40}")
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})?")
_CAMEO = re.compile(r"\d{1,4}")
# sort keys whose value is text, with the longest value a stored row can hold
_TEXT_KEYS = {"date": 10, "cameo": 4, "source": 10_000, "target": 10_000, "lang": 8, "modality": 16}
_BAD = "not a cursor this server made for this sort; start again without the cursor"


def encode_cursor(value: Any, event_id: str) -> str:
    """An opaque cursor for the row after (value, id)."""
    raw = json.dumps([value, event_id], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _load(cursor: str) -> Any:
    if len(cursor) > MAX_CURSOR or not cursor.isascii():
        raise QueryError("cursor", _BAD)
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (binascii.Error, ValueError, RecursionError):
        raise QueryError("cursor", _BAD) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a cursor")


def _valid_value(key: str, value: Any) -> bool:
    if key in _TEXT_KEYS:
        if not isinstance(value, str) or len(value) > _TEXT_KEYS[key] or "\x00" in value:
            return False
        if key == "date":
            return _DAY.fullmatch(value) is not None
        return key != "cameo" or _CAMEO.fullmatch(value) is not None
    if isinstance(value, bool):
        return False
    if key == "quad_class":
        return isinstance(value, int) and 1 <= value <= 4
    if key == "goldstein":
        return isinstance(value, int | float) and math.isfinite(value) and -10.0 <= value <= 10.0
    return False


def decode_cursor(cursor: str, key: str) -> tuple[Any, str]:
    """Read a cursor made by :func:`encode_cursor` for sort ``key``; anything else is a QueryError on ``cursor``."""
    data = _load(cursor)
    if not isinstance(data, list) or len(data) != 2:
        raise QueryError("cursor", _BAD)
    value, event_id = data
    if not isinstance(event_id, str) or not _EVENT_ID.fullmatch(event_id) or not _valid_value(key, value):
        raise QueryError("cursor", _BAD)
    return value, event_id
