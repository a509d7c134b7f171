"""detente: political news in ru, uk, kk and en turned into coded event data."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
