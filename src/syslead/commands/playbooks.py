"""``syslead playbooks``: list, show, validate and describe the playbook library."""

from __future__ import annotations

from enum import auto
from pathlib import Path
from typing import Annotated

import typer

from syslead.commands._common import (
    FactorOpt,
    ListFormat,
    OutputFormat,
    PlaybooksOpt,
    command_app,
    complete_entry,
    console,
    emit,
    library_for,
)

app = command_app(
    "List, show and validate the playbook library.\n\n"
    "Example: syslead playbooks list --factor conflict"
)


class ShowFormat(OutputFormat):
    """Output formats for one entry."""

    md = auto()
    json = auto()


@app.command("list")
def playbooks_list(
    factor: FactorOpt = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", metavar="KIND", help="Only entries of this kind (activity, factor, ...)."
        ),
    ] = None,
    to: Annotated[ListFormat, typer.Option("--to", help="table for people, json for scripts.")] = (
        ListFormat.table
    ),
    playbooks: PlaybooksOpt = None,
) -> None:
    """List everything loaded: id, kind, title and factors.

    Example: syslead playbooks list --factor conflict --to json
    """
    from syslead.library.catalog import catalog_rows

    rows = catalog_rows(library_for(playbooks), factor=factor, kind=kind)
    if to is ListFormat.json:
        import json

        emit(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from syslead.library.catalog import catalog_table

    console().print(catalog_table(rows))


@app.command("show")
def playbooks_show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The id of an entry, or a factor number 1-5.",
            autocompletion=complete_entry,
        ),
    ],
    to: Annotated[ShowFormat, typer.Option("--to", help="md (Markdown) or json.")] = ShowFormat.md,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Show one entry in full.

    Example: syslead playbooks show naming-power
    """
    library = library_for(playbooks)
    if entry_id.isdigit():
        from syslead.library.loader import resolve_factor

        entry_id = resolve_factor(entry_id)
    entry = library.get(entry_id)
    if to is ShowFormat.json:
        import json

        emit(json.dumps(entry.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    from syslead.library.catalog import titles
    from syslead.library.entries_md import entry_md

    emit(entry_md(entry, titles(library)))


@app.command("validate")
def playbooks_validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help="Playbook files or folders to check with the built-ins."
        ),
    ] = None,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Validate the built-in playbooks plus the given files or folders.

    The built-in self-assessment questionnaire is checked too. Every problem is listed as
    file:line:column: field: what is wrong; the exit code is 1 if any.

    Example: syslead playbooks validate my-playbooks/
    """
    from syslead.assessment.questionnaire import load_questionnaire
    from syslead.library.catalog import summary_line
    from syslead.library.loader import load_library, user_paths

    library = load_library([*user_paths(playbooks), *(paths or [])])
    questionnaire = load_questionnaire()
    emit(
        f"{summary_line(library)}; questionnaire {questionnaire.id}: "
        f"{len(questionnaire.statements)} statements"
    )


@app.command("schema")
def playbooks_schema(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="The schema of one kind only (activity, factor, principles, ...).",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema for playbook files, for editor completion.

    Example: syslead playbooks schema --kind activity > activity.schema.json
    """
    import json

    from syslead.library.catalog import json_schema

    emit(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))
