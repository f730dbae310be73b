"""``syslead principles``: the working principles, or a charter to sign."""

from __future__ import annotations

from enum import auto
from typing import Annotated

import typer

from syslead.commands._common import (
    ForceOpt,
    OutputFormat,
    OutputOpt,
    PlaybooksOpt,
    TemplatesOpt,
    check_file_for,
    check_output,
    command_app,
    library_for,
    pick_format,
    write_or_print,
)

app = command_app()


class PrinciplesFormat(OutputFormat):
    """Output formats for the principles."""

    md = auto()
    html = auto()
    json = auto()
    docx = auto()


@app.command("principles")
def principles(
    charter: Annotated[
        bool,
        typer.Option(
            "--charter", help="A charter to sign: the principles and a line per organisation."
        ),
    ] = False,
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org", metavar="NAME", help="An organisation that signs the charter (repeatable)."
        ),
    ] = None,
    to: Annotated[
        PrinciplesFormat | None,
        typer.Option(
            "--to",
            help="md (Markdown; the default), html, docx (Word; needs -o) or json; or from -o's "
            "suffix.",
        ),
    ] = None,
    set_id: Annotated[
        str | None,
        typer.Option(
            "--set",
            metavar="ID",
            help="Which principle set (default: yours if you have one, else the built-in set).",
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Show the working principles a group agrees to hold itself to, or a charter to sign.

    Example: syslead principles --charter --org "City Council" --org "Acute Trust" --to html -o charter.html
    """
    from syslead.library.catalog import principle_set

    check_output(output, force)
    to = pick_format(to, output, PrinciplesFormat, PrinciplesFormat.md)
    if to is PrinciplesFormat.json and (charter or org):
        from syslead.errors import SysleadError

        raise SysleadError("a charter is a document to print: use --to md or html")
    chosen = principle_set(library_for(playbooks), set_id)
    if to is PrinciplesFormat.json:
        import json

        write_or_print(
            json.dumps(chosen.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
            output,
            force,
        )
        return
    if to is PrinciplesFormat.docx:
        check_file_for(output, "docx")
    if not charter and to is PrinciplesFormat.md and not org:
        from syslead.library.entries_md import principles_md

        write_or_print(principles_md(chosen), output, force)
        return
    from syslead.documents.handouts import charter_md
    from syslead.documents.pages import html_page
    from syslead.documents.templating import environments

    env = environments(templates)
    if charter or org:
        text = charter_md(chosen, org or [], env)
    else:
        from syslead.library.entries_md import principles_md

        text = principles_md(chosen)
    kind = "charter" if charter else "document"
    if to is PrinciplesFormat.docx:
        from syslead.documents.docx import markdown_to_docx

        write_or_print(markdown_to_docx(chosen.title, text, kind=kind), output, force)
        return
    if to is PrinciplesFormat.html:
        text = html_page(chosen.title, text, env, kind=kind)
    write_or_print(text, output, force)
