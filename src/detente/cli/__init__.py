"""The ``detente`` command line: ingest, extract, annotate, events, show, search, actors, codes, serve, eval.

The group and :func:`main` live here; the commands, one module per concern, are added to the group:
:mod:`~detente.cli.process` (extract, annotate, ingest), :mod:`~detente.cli.read` (events, show,
search, actors, codes), :mod:`~detente.cli.serve` and :mod:`~detente.cli.evaluate`.
"""

from __future__ import annotations

from typing import TextIO

import click

from detente import __version__
from detente.cli.evaluate import evaluate
from detente.cli.process import annotate, extract, ingest
from detente.cli.read import actors, codes, events, search, show
from detente.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="detente")
@click.option(
    "--db",
    envvar="DETENTE_DB",
    default="detente.db",
    show_default=True,
    help="SQLite file (or an SQLAlchemy URL such as postgresql://...). Also from DETENTE_DB. "
    "May also follow the subcommand.",
)
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """detente: political news in Russian, Ukrainian, Kazakh and English turned into event data.

    Every event says who did what to whom (CAMEO code, Goldstein, QuadClass, PLOVER), when, where,
    whether it happened, was planned, refused or only conditional, and the evidence in the article.

    \b
    Typical use:
      detente extract article.txt --format table    code one file, no database
      detente ingest news/                          process and store a folder
      detente events --country KAZ --root 04        list stored events
      detente show 3f2a                             an article with its marked spans
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


for command in (extract, annotate, ingest, events, show, search, actors, serve, codes, evaluate):
    cli.add_command(command)


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> None:
    """Run the command line."""
    cli.main(args=argv, prog_name="detente")


__all__ = ["cli", "main"]
