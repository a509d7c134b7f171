"""Print, per article, the gold events an extraction missed and the predictions that matched nothing.

    detente extract samples --format jsonl > pred.jsonl
    python tools/diagnose.py samples/gold.jsonl pred.jsonl [--lang ru]

For tuning on development data only (never on held-out or test sets).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
from score_events import actor_key, closeness, matches, norm  # type: ignore[import-not-found]


def main() -> None:
    """Print the misses and false positives."""
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--lang")
    a = ap.parse_args()
    preds = collections.defaultdict(list)
    pred_lines = Path(a.pred).read_text(encoding="utf-8").splitlines()
    for line in pred_lines:
        if line.strip():
            ev = json.loads(line)
            preds[norm(ev["article"])].append(ev)
    for line in Path(a.gold).read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if a.lang and g["lang"] != a.lang:
            continue
        ps = list(preds.get(norm(g.get("file") or g["id"]), []))
        print(f"=== {g['id']} ({g['lang']})")
        for ge in sorted(g["events"], key=lambda e: bool(e.get("optional"))):
            hit = max((p for p in ps if matches(p, ge)), key=lambda p: closeness(p, ge), default=None)
            if hit is None:
                if not ge.get("optional"):
                    note = ge.get("note", "")
                    print(f"  MISS {ge['source']}->{ge['target']} {ge['root']} {ge['modality']}  # {note}")
                continue
            ps.remove(hit)
        for p in ps:
            print(f"  FP   {actor_key(p['source'])}->{actor_key(p['target'])} {p['cameo']} {p['modality']} "
                  f"«{p['trigger']['text']}» {p['rule']} | {p['sentence']['text'][:110]}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    main()
