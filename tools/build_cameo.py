"""Build the packaged CAMEO codebook table from the team's shared reference data.

Reads ``../shared/data/derived/cameo_codebook_goldstein_quad_plover.csv`` (CAMEO codes and labels
from the GDELT lookup files, Goldstein values, QuadClass by root, PLOVER mapping from
openeventdata/PLOVER CAMEO2PLOVER, CC BY-SA 4.0), fixes its known text errors and writes
``src/detente/events/data/cameo.csv``. Run from the repository root.
"""

from __future__ import annotations

import csv
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT.parent / "shared" / "data" / "derived" / "cameo_codebook_goldstein_quad_plover.csv"
OUT = ROOT / "src" / "detente" / "events" / "data" / "cameo.csv"
FIXES = {"ÒhirdÓlocation": "'third' location", "matyerial": "material", "  ": " "}


def main() -> None:
    """Write the cleaned codebook."""
    rows = list(csv.DictReader(SRC.open(encoding="utf-8")))
    out = []
    for row in rows:
        label = row["label"]
        for bad, good in FIXES.items():
            label = label.replace(bad, good)
        plover = row["plover_event"].strip()
        out.append(
            {
                "code": row["cameo_code"],
                "root": row["root_code"],
                "label": label.strip(),
                "goldstein": row["goldstein"],
                "quad_class": row["quad_class"],
                "plover": "" if plover.startswith("(") else plover,
                "plover_mode": row["plover_mode"].strip(),
                "plover_context": row["plover_context"].strip(),
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} codes to {OUT}")


if __name__ == "__main__":
    main()
