"""The responses CSV: the blank template respondents fill in, and reading it back as responses.

Answers are collected in a spreadsheet, one row per respondent and one column per statement, and
spreadsheets vary in what they save (semicolons, byte-order marks, legacy encodings, stray blank
rows). So reading is tolerant where it safely can be and otherwise reports every problem in the
file at once, each with its line and column, so that the file can be fixed in one pass. This is
the only part of the assessment that reads answers from a file; the statistics in
:mod:`syslead.assessment.statistics` work on the :class:`~syslead.assessment.questionnaire.Response` values it returns.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import replace
from pathlib import Path
from typing import Literal

from syslead.assessment.questionnaire import (
    COLUMN_ALIASES,
    ORGANISATION,
    RESPONDENT,
    SCALE_MAX,
    SCALE_MIN,
    Questionnaire,
    Response,
)
from syslead.errors import InputError, Problem
from syslead.library.yamlio import read_text

MAX_PROBLEMS = 50
"""A responses file with more problems than this lists only the first ones (in file order)."""


def questionnaire_csv_template(q: Questionnaire) -> str:
    """A blank responses CSV: the header row only, one row per respondent to be added below.

    There is no example row: an example left in by mistake would be read back as a respondent, and
    a blank one as a respondent with no answers. The header alone is exactly what
    :func:`parse_responses` expects, and the printed form carries the instructions.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(q.columns)
    return buffer.getvalue()


EXAMPLE_GROUP = (
    ("Asha", "Northshire County Council"),
    ("Ben", "Northshire County Council"),
    ("Carys", "Northshire Hospitals NHS Trust"),
    ("Dev", "Northshire Hospitals NHS Trust"),
    ("Ellen", "Northshire ICB"),
    ("Femi", "Northshire ICB"),
    ("Grace", "Northshire Community Health"),
    ("Hari", "Northshire GP Federation"),
    ("Iona", "Northshire Voluntary Action"),
    ("Jon", "Northshire Voluntary Action"),
)
"""The made-up respondents of the example: ten leaders from six organisations."""

EXAMPLE_LEANING = {
    "shared-purpose": (4, 4),
    "personal-contact": (3, 4),
    "conflict": (2, 3),
    "altruism": (3, 3),
    "long-term": (2, 4),
}
"""Where the example group stands on each factor, as the answers of its two halves (1 to 5).

Conflict is the lowest and long-term commitment divides the group, so the report on the example
shows a recommended focus, its reasons and a disagreement flag.
"""

EXAMPLE_COMMENTS = {
    "conflict": "We agree in the room and then go back to our own budgets.",
    "long-term": "Some of us will not be here in two years; what holds the work then?",
}


def example_responses_csv(q: Questionnaire) -> str:
    """A filled-in responses CSV for trying ``assess report``: the same bytes every time.

    Ten made-up leaders from six organisations answer every statement; answers vary a point either
    side of each half's leaning by a fixed pattern (not a random draw), and reverse-scored
    statements are answered the other way round, as a real respondent would.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(q.columns)
    free = {factor: ft.id for factor, ft in q.free_texts}
    for person, (name, organisation) in enumerate(EXAMPLE_GROUP):
        row = {RESPONDENT: name, ORGANISATION: organisation}
        for number, (factor, statement) in enumerate(q.statements):
            low, high = EXAMPLE_LEANING.get(factor, (3, 3))
            leaning = low if person % 2 else high
            value = min(SCALE_MAX, max(SCALE_MIN, leaning + (person + number) % 3 - 1))
            row[statement.id] = str(SCALE_MIN + SCALE_MAX - value if statement.reverse else value)
        if person == 0:
            row |= {free[f]: text for f, text in EXAMPLE_COMMENTS.items() if f in free}
        writer.writerow([row.get(column, "") for column in q.columns])
    return buffer.getvalue()


# --- Reading responses --------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    """A spreadsheet column name for a 0-based index: 0 is A, 25 is Z, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _where(name: str, index: int) -> str:
    return f"{name} (column {_column_letter(index)})" if name else f"column {_column_letter(index)}"


def _delimiter(text: str) -> str:
    """A comma, unless the header row plainly uses semicolons or tabs (as some spreadsheets do)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def _answer(cell: str) -> int | str:
    """The answer in a non-blank cell, or a message saying what is wrong with it."""
    text = cell.strip()
    expected = (
        f"expected a whole number from {SCALE_MIN} to {SCALE_MAX}, or a blank cell for no answer"
    )
    try:
        value = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return f"{expected}, got {text!r}"
        if not number.is_integer():  # also refuses nan and inf
            return f"{expected}, got {text!r}"
        value = int(number)
    if not SCALE_MIN <= value <= SCALE_MAX:
        return f"{text} is outside the scale ({expected})"
    return value


_Role = tuple[Literal["respondent", "organisation", "statement", "free-text", "blank"], str]


def _header_roles(
    header: list[str], line: int, path: str, q: Questionnaire, problems: list[Problem]
) -> dict[int, _Role] | None:
    """What each header column holds, recording problems; None when it is not a header at all."""
    statements = [st.id for _, st in q.statements]
    free_texts = [ft.id for _, ft in q.free_texts]
    known: dict[str, _Role] = {
        RESPONDENT: ("respondent", RESPONDENT),
        ORGANISATION: ("organisation", ORGANISATION),
        **{i: ("statement", i) for i in statements},
        **{i: ("free-text", i) for i in free_texts},
    }
    names = [cell.strip().lower() for cell in header]
    names = [COLUMN_ALIASES.get(n, n) for n in names]
    if not any(n in known for n in names):
        problems.append(
            Problem(
                path,
                line,
                0,
                "",
                f"the first row is not the header this questionnaire expects ({RESPONDENT}, "
                f"{ORGANISATION}, {statements[0]} ... {statements[-1]}, one column per "
                "statement); 'syslead assess questionnaire --to csv' prints a blank template",
            )
        )
        return None
    roles: dict[int, _Role] = {}
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            roles[index] = ("blank", "")
        elif name in seen:
            first = _column_letter(seen[name])
            problems.append(
                Problem(
                    path,
                    line,
                    0,
                    _where(name, index),
                    f"the column appears more than once (first in column {first})",
                )
            )
        elif name in known:
            seen[name] = index
            roles[index] = known[name]
        else:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"did you mean {close[0]}?" if close else "it is not in the template"
            problems.append(Problem(path, line, 0, _where(name, index), f"unknown column ({hint})"))
    missing = [i for i in statements if i not in seen]
    if missing:
        problems.append(
            Problem(
                path,
                line,
                0,
                "",
                f"missing column{'s' if len(missing) > 1 else ''} for "
                f"{'statements' if len(missing) > 1 else 'statement'} {', '.join(missing)} "
                "(every statement needs a column, even if its cells are left blank)",
            )
        )
    return roles


def parse_responses(text: str, path: str, q: Questionnaire) -> list[Response]:
    """Read a responses CSV (one row per respondent) into responses, or raise one InputError.

    Every problem in the file is collected and raised together, each with its line (the row
    number a spreadsheet shows, for files without line breaks inside cells) and its column name
    and letter: missing statement columns, unknown or repeated columns, answers outside 1-5,
    cells that are not whole numbers, an empty file, a header with no rows under it, and a file
    with no answers at all. A blank cell is no answer. Rows whose cells are all blank are skipped, since
    spreadsheets often leave them at the end. The respondent, organisation and open-question
    columns are optional; a leading byte-order mark and spaces around cells are tolerated.
    """
    text = text.removeprefix("\ufeff")
    expected_header = ", ".join(q.columns[:3]) + ", ..."
    if not text.strip():
        raise InputError(
            [Problem(path, message=f"the file is empty (expected a header row: {expected_header})")]
        )
    problems: list[Problem] = []
    responses: list[Response] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = 0
    line = header_line = 1
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            line = reader.line_num + 1
            header = next(reader, None)
        header_line = line
        roles = _header_roles(header or [], header_line, path, q, problems)
        if roles is None:
            raise InputError(problems)
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            response = _parse_row(row, line, len(header or []), roles, path, problems)
            if response is not None:
                responses.append(response)
    except csv.Error as err:
        problems.append(Problem(path, line, 0, "", f"this is not readable as CSV: {err}"))
    _raise_problems(path, header_line, rows, responses, problems)
    return responses


def _raise_problems(
    path: str, header_line: int, rows: int, responses: list[Response], problems: list[Problem]
) -> None:
    """Raise every problem found, in file order (an empty file of answers is one too), if any."""
    if rows == 0 and not problems:
        problems.append(
            Problem(
                path,
                header_line,
                0,
                "",
                "no responses: the header row is there but no rows of answers follow it",
            )
        )
    if not problems and not any(r.answers for r in responses):
        problems.append(
            Problem(path, message="no answers: every statement cell in the file is blank")
        )
    if problems:
        problems.sort()
        header_text = ""
        if len(problems) > MAX_PROBLEMS:
            header_text = f"{path}: {len(problems):,} problems; the first {MAX_PROBLEMS} follow"
        raise InputError(problems[:MAX_PROBLEMS], header_text)


def _parse_row(
    row: list[str],
    line: int,
    width: int,
    roles: dict[int, _Role],
    path: str,
    problems: list[Problem],
) -> Response | None:
    """One data row as a response, recording its problems; None when it has any."""
    before = len(problems)
    _check_width(row, line, width, roles, path, problems)
    respondent: str | None = None
    organisation: str | None = None
    answers: dict[str, int] = {}
    comments: dict[str, str] = {}
    for index, (kind, name) in roles.items():
        cell = row[index].strip() if index < len(row) else ""
        if not cell:
            continue
        if kind == "respondent":
            respondent = " ".join(cell.split())
        elif kind == "organisation":
            organisation = " ".join(cell.split())
        elif kind == "free-text":
            comments[name] = cell
        elif kind == "blank":
            problems.append(
                Problem(
                    path,
                    line,
                    0,
                    _where("", index),
                    "a value in a column with no name in the header row",
                )
            )
        else:
            value = _answer(cell)
            if isinstance(value, str):
                problems.append(Problem(path, line, 0, _where(name, index), value))
            else:
                answers[name] = value
    if len(problems) > before:
        return None
    return Response(
        line=line,
        respondent=respondent,
        organisation=organisation,
        answers=answers,
        comments=comments,
    )


def _check_width(
    row: list[str],
    line: int,
    width: int,
    roles: dict[int, _Role],
    path: str,
    problems: list[Problem],
) -> None:
    """A row with more or fewer cells than the header is refused at the first column out of step.

    Extra cells are refused only when they hold something (spreadsheets pad rows with empty ones);
    a short row always is, since its answers may have shifted one column to the left and would then
    be read under the wrong statements. Both name the row and the first column out of step.
    """
    extra = [index for index in range(width, len(row)) if row[index].strip()]
    if extra:
        index, name = extra[0], ""
        what = "this cell is past the header's last column"
    elif len(row) < width:
        index = len(row)
        name = roles.get(index, ("blank", ""))[1]
        what = (
            "the cells from this column on are missing (a blank cell between commas is no answer)"
        )
    else:
        return
    problems.append(
        Problem(
            path,
            line,
            0,
            _where(name, index),
            f"the row has {len(row)} cells but the header has {width} columns: {what}",
        )
    )


def read_responses(path: Path, q: Questionnaire) -> list[Response]:
    """Read a responses CSV file: missing, oversized or undecodable files are refused clearly."""
    try:
        text = read_text(path, "responses file")
    except InputError as err:
        if any("not UTF-8" in p.message for p in err.problems):
            # Spreadsheets on Windows save plain "CSV" in a legacy encoding by default.
            hint = "; save it from your spreadsheet as 'CSV UTF-8' and try again"
            raise InputError([replace(p, message=p.message + hint) for p in err.problems]) from None
        raise
    return parse_responses(text, str(path), q)
