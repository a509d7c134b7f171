"""Derive src/detente/kb/data/wikidata.tsv (KB id → Wikidata QID) from NEREL's train and dev links.

    .venv/bin/python tools/build_wikidata.py                 # writes the file
    .venv/bin/python tools/build_wikidata.py --dry-run -v    # prints the mapping and the conflicts

The pipeline runs over NEREL v1.1 train + dev (never test: `detente eval --sets nerel-link` scores
the mapping there). Every gold mention with a QID where a linked proper-name entity sits at the same
span votes for (KB id, QID); a KB id keeps its majority QID with at least --min-votes votes and
--min-share of its votes. Wikidata facts are CC0; the links come from the NEREL annotation.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

from detente.doc import Article
from detente.evaluate.wikidata import MIN_SHARE, MIN_VOTES, linked_spans, majority, read_links, votes, write_mapping
from detente.kb.base import default_kb
from detente.pipeline import default_pipeline

ROOT = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev")


def main() -> None:
    """Run the pipeline over the tuning splits, count votes, write the mapping."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path,
                    default=Path(os.environ.get("DETENTE_EVAL_DATA") or ROOT.parent / "shared" / "eval"))
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "detente" / "kb" / "data" / "wikidata.tsv")
    ap.add_argument("--min-votes", type=int, default=MIN_VOTES)
    ap.add_argument("--min-share", type=float, default=MIN_SHARE)
    ap.add_argument("--limit", type=int, default=None, help="at most this many documents per split")
    ap.add_argument("--dry-run", action="store_true", help="print, do not write")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    pipe = default_pipeline()
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    docs = 0
    t0 = time.perf_counter()
    for split in SPLITS:
        folder = a.data / "nerel" / "NEREL-v1.1" / split
        if not folder.is_dir():
            sys.exit(f"{folder} not found")
        for n, doc in enumerate(read_links(folder)):
            if a.limit is not None and n >= a.limit:
                break
            processed = pipe.process(Article(text=doc.text, name=f"{split}/{doc.name}", lang="ru"))
            counts.update(votes(doc.links, linked_spans(processed.entities)))
            docs += 1
    mapping = majority(counts, a.min_votes, a.min_share)
    kb = default_kb()
    by_id: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for (kb_id, qid), n in counts.items():
        by_id[kb_id][qid] += n
    known = {k: kb.actors[k].wikidata for k in mapping if k in kb.actors and kb.actors[k].wikidata}
    agree = sum(known[k] == mapping[k] for k in known)
    print(f"{docs} documents in {time.perf_counter() - t0:.0f} s; {sum(counts.values())} votes for "
          f"{len(by_id)} KB ids; kept {len(mapping)} (≥{a.min_votes} votes, ≥{a.min_share:.0%} share); "
          f"{agree}/{len(known)} agree with the QID the KB already records", file=sys.stderr)
    if a.verbose:
        for kb_id, qids in sorted(by_id.items()):
            mark = "kept" if kb_id in mapping else "    "
            own = kb.actors[kb_id].wikidata if kb_id in kb.actors else None
            flag = " KB says " + own if own and kb_id in mapping and own != mapping[kb_id] else ""
            print(f"{mark} {kb_id:40} {dict(qids.most_common(4))}{flag}", file=sys.stderr)
    if not a.dry_run:
        write_mapping(a.out, mapping)
        print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
