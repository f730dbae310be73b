"""``syslead assess``: the five-factor self-assessment."""

from __future__ import annotations

from enum import auto
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from syslead.commands._common import (
    FiguresFormat,
    ForceOpt,
    OutputFormat,
    OutputOpt,
    Paper,
    PaperOpt,
    TemplatesOpt,
    check_file_for,
    check_output,
    command_app,
    console,
    pick_format,
    write_or_print,
)

if TYPE_CHECKING:
    from syslead.assessment.statistics import Report

app = command_app(
    "A five-factor self-assessment: the questionnaire, and a report on the answers.\n\n"
    "Example: syslead assess questionnaire --to csv -o answers.csv"
)


class QuestionnaireFormat(OutputFormat):
    """Output formats for the questionnaire."""

    md = auto()
    html = auto()
    csv = auto()
    json = auto()
    docx = auto()
    pdf = auto()


ReportFormat = FiguresFormat


@app.command("questionnaire")
def assess_questionnaire(
    to: Annotated[
        QuestionnaireFormat | None,
        typer.Option(
            "--to",
            help="md (the default), html (a printable form), pdf (needs syslead[pdf] and -o), docx "
            "(Word; needs -o), csv (a blank template for answers) or json; or from -o's suffix.",
        ),
    ] = None,
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="A filled-in CSV of made-up answers from ten leaders, to try assess report on.",
        ),
    ] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
    paper: PaperOpt = Paper.a4,
) -> None:
    """The five-factor questionnaire: four statements per factor, answered 1 to 5.

    Example: syslead assess questionnaire --to csv -o answers.csv
    """
    from syslead.assessment.questionnaire import load_questionnaire, questionnaire_json_data
    from syslead.assessment.report import questionnaire_html, questionnaire_md
    from syslead.assessment.responses import example_responses_csv, questionnaire_csv_template

    check_output(output, force)
    default = QuestionnaireFormat.csv if example else QuestionnaireFormat.md
    to = pick_format(to, output, QuestionnaireFormat, default)
    q = load_questionnaire()
    if example:
        if to is not QuestionnaireFormat.csv:
            raise typer.BadParameter("the example is a CSV of answers", param_hint="'--example'")
        write_or_print(example_responses_csv(q), output, force)
        return
    if to is QuestionnaireFormat.docx:
        from syslead.documents.docx import markdown_to_docx

        check_file_for(output, "docx")
        data = markdown_to_docx(q.title, questionnaire_md(q), kind="questionnaire")
        write_or_print(data, output, force)
        return
    if to is QuestionnaireFormat.json:
        import json

        text = json.dumps(questionnaire_json_data(q), indent=2, ensure_ascii=False) + "\n"
    elif to is QuestionnaireFormat.csv:
        text = questionnaire_csv_template(q)
    elif to in (QuestionnaireFormat.html, QuestionnaireFormat.pdf):
        from syslead.documents.templating import environments

        page = questionnaire_html(q, environments(templates), paper.value)
        write_or_print(_printed(page, to.value, output), output, force)
        return
    else:
        text = questionnaire_md(q)
    write_or_print(text, output, force)


def _printed(page: str, to: str, output: Path | None) -> str | bytes:
    """The HTML page as it is, or printed to PDF for ``--to pdf`` (which needs -o)."""
    if to != "pdf":
        return page
    from syslead.documents.pages import html_to_pdf

    check_file_for(output, "pdf")
    return html_to_pdf(page)


def _say_if_focus_capped(result: Report) -> None:
    """On stderr: the focus was capped below the number of factors flagged for it."""
    from syslead.assessment.statistics import focus_cap_note

    note = focus_cap_note(result)
    if note:
        typer.echo(f"syslead: note: {note}", err=True)


@app.command("report")
def assess_report(
    responses: Annotated[
        Path, typer.Argument(metavar="RESPONSES.csv", help="The filled-in CSV template.")
    ],
    to: Annotated[
        ReportFormat | None,
        typer.Option(
            "--to",
            help="table (the default), md, html, pdf (needs syslead[pdf] and -o), docx (Word; "
            "needs -o) or json; or from -o's suffix.",
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
    paper: PaperOpt = Paper.a4,
    min_group: Annotated[
        int,
        typer.Option(
            "--min-group",
            metavar="N",
            help="Show no figure for an organisation with fewer respondents than this (default "
            "3, never below 2); smaller ones are pooled as other organisations.",
        ),
    ] = 3,
) -> None:
    """Where the group stands on each factor, where its members disagree, and what to focus on.

    Example: syslead assess report answers.csv --to html -o assessment.html
    """
    from syslead.assessment.questionnaire import load_questionnaire
    from syslead.assessment.responses import read_responses
    from syslead.assessment.statistics import LEAST_MIN_GROUP, report, report_json_data

    check_output(output, force)
    to = pick_format(to, output, ReportFormat, ReportFormat.table)
    if to in (ReportFormat.docx, ReportFormat.pdf):
        check_file_for(output, to.value)
    q = load_questionnaire()
    if min_group < LEAST_MIN_GROUP:
        from syslead.errors import SysleadError

        raise SysleadError(
            f"--min-group {min_group}: must be at least {LEAST_MIN_GROUP}, so that no figure "
            "shows one person's answers"
        )
    result = report(q, read_responses(responses, q), min_group)
    _say_if_focus_capped(result)
    if to is ReportFormat.table:
        if output is not None:
            from syslead.errors import SysleadError

            raise SysleadError("a table is for the terminal; use --to md, html or json with -o")
        from syslead.assessment.report import report_table

        console().print(report_table(result))
        return
    if to is ReportFormat.docx:
        from syslead.assessment.report import REPORT_TITLE, report_md
        from syslead.documents.docx import markdown_to_docx

        data = markdown_to_docx(REPORT_TITLE, report_md(result), kind="assessment")
        write_or_print(data, output, force)
        return
    if to is ReportFormat.json:
        import json

        text = json.dumps(report_json_data(result), indent=2, ensure_ascii=False) + "\n"
    elif to in (ReportFormat.html, ReportFormat.pdf):
        from syslead.assessment.report import report_html
        from syslead.documents.templating import environments

        page = report_html(result, environments(templates), paper.value)
        write_or_print(_printed(page, to.value, output), output, force)
        return
    else:
        from syslead.assessment.report import report_md

        text = report_md(result)
    write_or_print(text, output, force)
