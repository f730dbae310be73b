"""The yardstick: the smallest Typer app with a --version flag and one subcommand that prints JSON.

syslead's own start-up and work are measured against this in the same run (see bench.py).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


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


if __name__ == "__main__":
    app()
