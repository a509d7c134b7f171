"""The ``detente`` command line: ingest, extract, annotate, run, load, stories, story, events, export, show, search,
actors, codes, serve, eval.

The group and :func:`main` live here; the commands, one module per concern, are added to the group:
:mod:`~detente.cli.process` (extract, annotate, ingest), :mod:`~detente.cli.stories`,
:mod:`~detente.cli.read` (events, show, search, actors, codes), :mod:`~detente.cli.export`,
:mod:`~detente.cli.batch` (run, load),
:mod:`~detente.cli.serve` and
:mod:`~detente.cli.evaluate`. A command's
module is imported when the command runs (or help lists it), so ``detente extract`` never pays for
the database layer or the web server.
"""

from __future__ import annotations

import importlib
from typing import TextIO

import click

from detente import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("detente.cli.process", "extract"), "annotate": ("detente.cli.process", "annotate"),
    "ingest": ("detente.cli.process", "ingest"), "events": ("detente.cli.read", "events"),
    "show": ("detente.cli.read", "show"), "search": ("detente.cli.read", "search"),
    "actors": ("detente.cli.read", "actors"), "codes": ("detente.cli.read", "codes"),
    "stories": ("detente.cli.stories", "stories"), "story": ("detente.cli.stories", "story"),
    "serve": ("detente.cli.serve", "serve"), "eval": ("detente.cli.evaluate", "evaluate"),
    "export": ("detente.cli.export", "export"),
    "run": ("detente.cli.batch", "run_command"), "load": ("detente.cli.batch", "load"),
    "watch": ("detente.cli.watch", "watch"),
}
"""Every built-in command: the module that defines it and the command object's name there."""


class _LazyGroup(click.Group):
    """A click group whose built-in commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, built-in or added."""
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, importing its module the first time."""
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attr = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
      detente stories news/ --format table          group articles into stories, find reprints
      detente ingest news/                          process and store a folder
      detente run archive/ --engine ray --out parts/  a batch run into Parquet parts (then: detente load)
      detente events --country KAZ --root 04        list stored events
      detente export --format gdelt -o events.CSV   all stored events in GDELT's format
      detente show 3f2a                             an article with its marked spans
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db



def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> None:
    """Run the command line."""
    cli.main(args=argv, prog_name="detente")


__all__ = ["cli", "main"]
