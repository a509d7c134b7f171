"""The CAMEO event codebook with Goldstein values, QuadClass and the PLOVER mapping."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources


class UnknownCameoCode(KeyError):
    """A CAMEO code that the codebook does not hold."""

    def __str__(self) -> str:
        return f"unknown CAMEO event code {self.args[0]!r}: see `detente codes` for the codebook"


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One code of the CAMEO event codebook."""

    code: str
    root: str
    label: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


@functools.cache
def codebook() -> dict[str, CameoCode]:
    """Return the whole codebook keyed by code (codes are strings: "041", "1246")."""
    text = resources.files("detente.events").joinpath("data/cameo.csv").read_text(encoding="utf-8")
    table: dict[str, CameoCode] = {}
    for row in csv.DictReader(text.splitlines()):
        table[row["code"]] = CameoCode(
            code=row["code"],
            root=row["root"],
            label=row["label"],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover=row["plover"] or None,
            plover_mode=row["plover_mode"] or None,
            plover_context=row["plover_context"] or None,
        )
    return table


def lookup(code: str) -> CameoCode:
    """Return the codebook entry of ``code``, raising :class:`UnknownCameoCode` when there is none."""
    try:
        return codebook()[code]
    except KeyError:
        raise UnknownCameoCode(code) from None


QUAD_CLASSES: dict[int, str] = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}
"""The four QuadClass labels as GDELT and ICEWS name them."""


def roots() -> dict[str, str]:
    """The 20 CAMEO root codes with their labels."""
    return {c.code: c.label for c in codebook().values() if len(c.code) == 2}
