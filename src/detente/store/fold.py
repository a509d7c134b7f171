"""Case folding for matching names in any script, the same in Python and in SQL.

SQLite's ``lower()`` folds ASCII only (``токаев`` never matches ``Токаев``), so the store registers
:func:`fold` on every SQLite connection as the SQL function ``detente_fold``.
"""

from __future__ import annotations

import sqlite3
import unicodedata

SQL_NAME = "detente_fold"


def fold(text: str) -> str:
    """Text for matching regardless of case in any script: NFC, casefolded, ё as е."""
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def _sql_fold(value: object) -> str | None:
    return None if value is None else fold(value if isinstance(value, str) else str(value))


def register(dbapi_conn: sqlite3.Connection) -> None:
    """Make ``detente_fold(text)`` available on a SQLite connection."""
    dbapi_conn.create_function(SQL_NAME, 1, _sql_fold, deterministic=True)
