"""Write ``COUNTS.md`` for each language folder of ``samples/news``: articles, words and events.

It counts, it does not read for meaning: nobody needs to look at a held-out text to run it::

    python tools/count_news.py            # every samples/news/<lang>/
    python tools/count_news.py --print    # print the tables instead of writing them

An article is full-length when its body (after the title line) has 10 or more sentence ends.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

NEWS = Path(__file__).resolve().parents[1] / "samples" / "news"
PARTS = ("train", "dev", "held_out")
SENT_END = re.compile(r"[.!?…][\"»”’)]*(?=\s|$)")
HEAD = ("| part | articles | full-length | words | events (required/optional) | no-event articles |\n"
        "| --- | ---: | ---: | ---: | --- | ---: |")


def count_part(folder: Path) -> list[int]:
    """``[articles, full-length, words, required, optional, no-event]`` of one folder."""
    articles = full = words = 0
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")[17:]
        body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        articles += 1
        words += len(text.split())
        full += len(SENT_END.findall(body)) >= 10
    req = opt = empty = 0
    gold = folder / "gold.jsonl"
    for line in gold.read_text(encoding="utf-8").splitlines() if gold.exists() else []:
        events = json.loads(line)["events"]
        empty += not events
        opt += sum(1 for e in events if e.get("optional"))
        req += sum(1 for e in events if not e.get("optional"))
    return [articles, full, words, req, opt, empty]


def table(lang_dir: Path) -> str:
    """The COUNTS.md text of one language folder."""
    rows, total = [], [0] * 6
    for part in PARTS:
        c = count_part(lang_dir / part)
        total = [a + b for a, b in zip(total, c, strict=True)]
        rows.append(c)
    lines = [f"# {lang_dir.name}: development articles", "", HEAD]
    for name, c in [*zip(PARTS, rows, strict=True), ("total", total)]:
        lines.append(f"| {name} | {c[0]} | {c[1]} | {c[2]} | {c[3] + c[4]} ({c[3]}/{c[4]}) | {c[5]} |")
    lines += ["", "Written by `tools/count_news.py`. Words are whitespace-separated tokens of the title and",
              "body; an article is full-length when its body has 10 or more sentence ends. Who wrote and",
              "coded the articles, and how, is in `samples/README.md`."]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write or print the tables."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--print", action="store_true", help="print instead of writing COUNTS.md")
    args = ap.parse_args()
    for lang_dir in sorted(p for p in NEWS.iterdir() if p.is_dir()):
        text = table(lang_dir)
        if args.print:
            print(text)
        else:
            (lang_dir / "COUNTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
