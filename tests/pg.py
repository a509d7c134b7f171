"""A throw-away PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder, loopback only.

``make test`` installs Debian's ``postgresql`` package when it is missing. A run where the server cannot
start fails (the store, API and CLI query tests need it); it never skips.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "detente"


class PostgresUnavailable(RuntimeError):
    """The test server could not be started; the message says why and what to install."""


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable("no PostgreSQL server binaries (initdb): `make test` installs Debian's postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    """Run as the ``postgres`` user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextmanager
def server() -> Iterator[str]:
    """Start a server; yield its base URL (``postgresql://detente@127.0.0.1:PORT``); stop and remove it after."""
    bindir = _bindir()
    folder = Path(tempfile.mkdtemp(prefix="detente-pg-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable("running as root and there is no postgres user to own the cluster") from exc
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data, port = folder / "data", _free_port()
    log = folder / "server.log"
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8",
              "--locale=C.UTF-8"], "initdb")
        options = f"-k {folder} -h 127.0.0.1 -p {port} -F -c fsync=off -c full_page_writes=off -c max_connections=200"
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"],
             "pg_ctl start", log)
        yield f"postgresql://{USER}@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _run(cmd: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        raise PostgresUnavailable(f"{what} failed ({done.returncode}): {done.stderr[-2000:]} {tail}")


def new_database(base: str) -> str:
    """Create an empty database on the server at ``base``; its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"
