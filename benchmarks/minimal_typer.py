"""The yardstick: the smallest Typer app with a --version flag and one subcommand that prints JSON.

syslead's own start-up and work are measured against this in the same run (see bench.py).
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


class Colour(str, Enum):
    """A choice, as syslead's --to and --format are."""

    red = "red"
    blue = "blue"


def _version(value: bool) -> None:
    if value:
        typer.echo("minimal 0.0")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """A minimal app."""


@app.command()
def plan(title: str = "A plan") -> None:
    """Print a tiny JSON document."""
    typer.echo(json.dumps({"title": title, "blocks": []}))


@app.command()
def wide(
    a: str | None = None,
    b: str | None = None,
    c: str | None = None,
    d: str | None = None,
    e: str | None = None,
    f: str | None = None,
    g: str | None = None,
    h: int | None = None,
    i: int | None = None,
    j: int | None = None,
    k: list[str] | None = None,
    m: list[str] | None = None,
    n: list[str] | None = None,
    o: Path | None = None,
    p: Path | None = None,
    q: Path | None = None,
    r: list[Path] | None = None,
    s: bool = False,
    t: bool = False,
    u: bool = False,
    v: bool = False,
    w: Colour = Colour.red,
    x: Colour | None = None,
    y: str | None = None,
    z: str | None = None,
) -> None:
    """The same JSON, from a subcommand with as many options (25) of the same kinds as plan-session.

    Typer builds a validator for every option of the command it runs, so a command's start-up grows
    with its options; this row shows what that costs any Typer app, apart from syslead's own work.
    """
    typer.echo(json.dumps({"title": a or "A plan", "blocks": []}))


if __name__ == "__main__":
    app()
