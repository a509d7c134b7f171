"""Check a folder of development articles and its ``gold.jsonl`` against the gold format.

It reads only the folder it is given: no rules, no KB, no extractor. Writers of development data run
it before they hand their work in::

    python tools/check_gold.py samples/news/ru/train

It checks that every ``*.txt`` is in the seed input format (`` date YYYY-MM-DD title\\n\\n...``),
that every article has exactly one gold line and every gold line an article, and that each gold
line has the fields and value shapes of ``../shared/seeds/README.md`` and ``samples/README.md``.
It prints one line per problem and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODE = re.compile(r"^([A-Z]{3}|IGO:[A-Z0-9]+|NGO:[A-Z0-9]+)$")
MODALITIES = {"asserted", "negated", "future", "hypothetical"}
EVENT_KEYS = {"source", "target", "root", "cameo", "date", "modality", "symmetric", "optional",
              "location", "note", "date_alt", "modality_alt"}
LINE_KEYS = {"id", "file", "lang", "date", "outlet_country", "events", "actors", "quotes", "locations"}


def check_article(path: Path) -> list[str]:
    """Problems with one article file's format."""
    raw = path.read_text(encoding="utf-8")
    problems = []
    if not raw.startswith(" date ") or not DATE.match(raw[6:16]) or raw[16:17] != " ":
        problems.append("does not start with ' date YYYY-MM-DD '")
    if raw.endswith("\n"):
        problems.append("ends with a newline")
    if "\n\n" not in raw:
        problems.append("has no blank line after the title")
    return [f"{path.name}: {p}" for p in problems]


def _check_event(ev: dict[str, object], where: str) -> list[str]:
    problems = [f"{where}: unknown key {k!r}" for k in ev if k not in EVENT_KEYS]
    if not isinstance(ev.get("source"), str) or not CODE.match(str(ev.get("source"))):
        problems.append(f"{where}: source {ev.get('source')!r} is not a code like RUS or IGO:EU")
    target = ev.get("target")
    if not isinstance(target, list) or not target or any(t is not None and not CODE.match(str(t)) for t in target):
        problems.append(f"{where}: target must be a non-empty list of codes or null")
    root = ev.get("root")
    if not isinstance(root, list) or not root or any(not re.match(r"^\d{2}$", str(r)) for r in root):
        problems.append(f"{where}: root must be a non-empty list of 2-digit strings")
    cameo = str(ev.get("cameo", ""))
    if not re.match(r"^\d{3,4}$", cameo) or (isinstance(root, list) and root and cameo[:2] != root[0]):
        problems.append(f"{where}: cameo {cameo!r} must be 3-4 digits starting with root[0]")
    if ev.get("date") is not None and not DATE.match(str(ev.get("date"))):
        problems.append(f"{where}: date must be YYYY-MM-DD or null")
    if ev.get("modality") not in MODALITIES:
        problems.append(f"{where}: modality must be one of {sorted(MODALITIES)}")
    for key in ("date_alt", "modality_alt"):
        if key in ev and not isinstance(ev[key], list):
            problems.append(f"{where}: {key} must be a list")
    return problems


def check_line(line: dict[str, object], folder: Path) -> list[str]:
    """Problems with one gold line."""
    where = str(line.get("id", "?"))
    problems = [f"{where}: missing key {k!r}" for k in LINE_KEYS if k not in line]
    if line.get("file") != f"{line.get('id')}.txt":
        problems.append(f"{where}: file must be the id plus .txt")
    elif not (folder / str(line["file"])).is_file():
        problems.append(f"{where}: no article file {line['file']}")
    else:
        head = (folder / str(line["file"])).read_text(encoding="utf-8")[6:16]
        if head != line.get("date"):
            problems.append(f"{where}: date {line.get('date')!r} differs from the article's {head!r}")
    events = line.get("events")
    if not isinstance(events, list):
        return [*problems, f"{where}: events must be a list"]
    for i, ev in enumerate(events):
        at = f"{where} event {i}"
        problems += _check_event(ev, at) if isinstance(ev, dict) else [f"{at}: not an object"]
    return problems


def check_folder(folder: Path) -> list[str]:
    """Every problem in the folder's articles and gold."""
    problems: list[str] = []
    articles = {p.stem: p for p in sorted(folder.glob("*.txt"))}
    for p in articles.values():
        problems += check_article(p)
    seen: set[str] = set()
    gold = folder / "gold.jsonl"
    if not gold.is_file():
        return [*problems, f"{folder}: no gold.jsonl"]
    for n, raw in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        try:
            line = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"gold.jsonl line {n}: not JSON ({exc})")
            continue
        if line.get("id") in seen:
            problems.append(f"gold.jsonl line {n}: id {line.get('id')!r} appears twice")
        seen.add(str(line.get("id")))
        problems += check_line(line, folder)
    problems += [f"{stem}.txt: no gold line" for stem in articles if stem not in seen]
    return problems


def main() -> None:
    """Check each folder given; print the problems and exit 1 if there are any."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", type=Path)
    problems = [p for folder in ap.parse_args().folders for p in check_folder(folder)]
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
