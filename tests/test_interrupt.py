"""An ingest killed half-way leaves a consistent database, and running it again finishes the job."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import SEEDS


def _corpus(path: Path, n: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            raw = texts[i % len(texts)]
            fh.write(json.dumps({"id": f"a{i}", "published": raw[6:16], "text": raw[17:] + f"\n\n(копия {i})"},
                                ensure_ascii=False) + "\n")


def _count(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def test_killed_ingest_resumes_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    _corpus(corpus, 60)
    db = tmp_path / "k.db"
    exe = str(Path(sys.executable).with_name("detente"))
    proc = subprocess.Popen([exe, "--db", str(db), "ingest", str(corpus)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if db.exists() and _count(db, "articles") >= 3:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(db, "articles")
    assert 0 < partial < 60
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every stored article has all its events (each article is written in one transaction)
    bad = con.execute("SELECT COUNT(*) FROM articles a WHERE a.n_events != "
                      "(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id)").fetchone()[0]
    con.close()
    assert bad == 0
    done = subprocess.run([exe, "--db", str(db), "ingest", str(corpus)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"already stored: {partial}" in done.stderr
    assert _count(db, "articles") == 60
