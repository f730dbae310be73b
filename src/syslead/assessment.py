"""The five-factor self-assessment: the questionnaire, reading the answers, and the report.

Before an away session a facilitator wants to know where the group stands on each of the five
factors and, just as much, where its members disagree: the seed paper warns that the absence of
visible conflict can be more worrying than its presence. So the report gives the spread of answers
beside each mean, and the spread between respondents' own views, flags wide disagreement between
people, and recommends a focus from both.

Everything here is pure apart from :func:`load_questionnaire` and :func:`read_responses`, which
read files; the command line turns the results into tables, Markdown, HTML or JSON.

Scoring, in one place:

- Answers run from 1 (strongly disagree) to 5 (strongly agree). A reverse-scored statement (worded
  so that agreeing is a bad sign) scores ``6 - answer``, so a high score always means "this factor
  is in good shape".
- A blank cell is no answer: it is left out, never counted as zero or as a low score.
- A factor's statistics pool every answer to its statements, after reverse scoring: ``n`` is the
  number of answers (a respondent gives up to four per factor), not the number of respondents,
  which is reported separately as ``respondents``.
- Disagreement is measured between people: each respondent's mean for the factor (over the
  statements they answered) is their view, and ``respondent_sd``, ``respondent_min`` and
  ``respondent_max`` describe the spread of those views. The ``disagreement`` flag uses them, never
  the pooled answers (see :data:`DISAGREEMENT_SD`).
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import statistics
import textwrap
from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import InputError, Problem
from .markup import md, md_block
from .models import FACTOR_IDS, FactorId, Id, Text
from .yamlio import load_yaml, read_text, validate_as

if TYPE_CHECKING:
    from .documents import Environments

SCALE_MIN = 1
SCALE_MAX = 5
"""The answer scale, 1 (strongly disagree) to 5 (strongly agree); reverse scoring is 6 - answer."""

STATEMENTS_PER_FACTOR = 4
"""Every factor has the same number of statements, so that no factor weighs more in the form."""

DISAGREEMENT_SD = 0.8
"""A factor is flagged when the standard deviation of its respondents' own means is at least this.

Disagreement is measured between people, not between answers. Each respondent's mean for the
factor (after reverse scoring, over the statements they answered) is their view of it; the flag
looks at how far those views differ. Pooling every answer instead would flag a group in which
everyone holds the same view but answers the four statements unevenly, which is noise, not
disagreement.

Why 0.8: in a group of six split into two camps of three a point and a half apart (say 2.5 against
4, "unsure" against "agree"), the sample standard deviation of the six means is 0.82, so it is
flagged; two camps one point apart (3 against 4) give 0.55, and are not. And averaging four
answers damps a person's answer-to-answer wobble: if each answer strays from that person's view
by about a point (a standard deviation of 0.7 to 1), their mean strays by only 0.35 to 0.5, so a
spread of 0.8 between means is well beyond what unevenness alone produces. Wide disagreement is
itself information: the seed paper's point is that the absence of conflict can be more worrying
than its presence, so a split group has something to talk about even when its mean looks fine.
"""

DISAGREEMENT_RANGE = 2.0
"""A factor is flagged when its respondents' means span at least this many points.

Two points apart puts one person on the "disagree" side of the midpoint and another on the "agree"
side (for instance 2 and 4). This catches the lone dissenter that a standard deviation over a
larger group dilutes: nine respondents at 4 and one at 2 have a standard deviation of only 0.63,
yet that one unvoiced view is exactly what the session needs to surface.
"""

DISAGREEMENT_MIN_RESPONDENTS = 3
"""Disagreement is flagged only for a factor answered by at least this many respondents.

Two people who see a factor differently are two people, not a divided group, and the table shows
their figures anyway; without this floor, most two-person organisations in the breakdown would be
flagged. With one respondent there is no one to disagree with.
"""

_TOLERANCE = 1e-9
"""Slack for comparing a range of respondent means with :data:`DISAGREEMENT_RANGE`.

A respondent mean is a whole number of points over one to four answers, so two different ranges
differ by at least 1/12; the slack only absorbs float rounding (11/3 - 5/3 is 1.9999999999999998
in floats) and can never merge two different ranges.
"""

LOW_MEAN = 3.0
"""A factor whose mean is below the scale's midpoint (neither agree nor disagree) is flagged:
on balance, the group does not see it in place."""

MAX_FOCUS = 3
"""The recommended focus names at most this many factors, since a session can only do so much."""

MAX_PROBLEMS = 50
"""A responses file with more problems than this lists only the first ones (in file order)."""

BUILTIN_ID = "five-factor"
"""The id of the built-in questionnaire."""

RESPONDENT = "respondent"
ORGANISATION = "organisation"
_COLUMN_ALIASES = {"organization": ORGANISATION}
"""Alternative spellings accepted in a responses file's header."""

Flag = Literal["lowest", "below-midpoint", "disagreement", "no-answers"]
FLAGS: tuple[Flag, ...] = ("lowest", "below-midpoint", "disagreement", "no-answers")
"""Every flag, in the order they are listed: ``lowest`` (the lowest mean, ties included),
``below-midpoint`` (mean below :data:`LOW_MEAN`), ``disagreement`` (respondents' own means differ
widely: see :data:`DISAGREEMENT_SD`, :data:`DISAGREEMENT_RANGE` and
:data:`DISAGREEMENT_MIN_RESPONDENTS`) and ``no-answers`` (nobody answered the factor's
statements)."""

FOCUS_FLAGS: tuple[Flag, ...] = ("lowest", "below-midpoint", "disagreement")
"""The flags that make a factor a candidate for the recommended focus."""

FLAG_WORDS: dict[str, str] = {
    "lowest": "lowest",
    "below-midpoint": "below midpoint",
    "disagreement": "wide disagreement",
    "no-answers": "no answers",
}

Answer = Annotated[int, Field(ge=SCALE_MIN, le=SCALE_MAX)]


class _Model(BaseModel):
    """Base for the assessment models: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- The questionnaire --------------------------------------------------------------------------


class ScalePoint(_Model):
    """One point of the answer scale, with the words a respondent sees."""

    value: int
    label: Text


class Statement(_Model):
    """One statement, answered from 1 to 5; its id is its column in the responses CSV."""

    id: Id
    text: Text
    reverse: bool = Field(
        description="Worded so that agreeing is a bad sign: scored as 6 minus the answer."
    )


class FreeText(_Model):
    """An optional open question for a factor; its id is its column in the responses CSV."""

    id: Id
    text: Text


class Section(_Model):
    """The statements (and optional open question) for one factor."""

    factor: FactorId
    title: Text
    statements: list[Statement] = Field(
        min_length=STATEMENTS_PER_FACTOR, max_length=STATEMENTS_PER_FACTOR
    )
    free_text: FreeText | None = None


class Questionnaire(_Model):
    """A five-factor questionnaire: one section per factor, each with four statements."""

    id: Id
    title: Text
    instructions: Text = Field(description="What respondents read before they answer.")
    scale: list[ScalePoint]
    sections: list[Section]
    source: Text = Field(description="What guided the design, so a facilitator can cite it.")

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        errors: list[str] = []
        values = [p.value for p in self.scale]
        expected = list(range(SCALE_MIN, SCALE_MAX + 1))
        if values != expected:
            errors.append(f"the scale must list the values {expected} in order, got {values}")
        factors = [s.factor for s in self.sections]
        repeated = [f for f in FACTOR_IDS if factors.count(f) > 1]
        missing = [f for f in FACTOR_IDS if f not in factors]
        if repeated:
            errors.append(f"more than one section for: {', '.join(repeated)}")
        if missing:
            errors.append(f"no section for: {', '.join(missing)}")
        ids = [s.id for section in self.sections for s in section.statements]
        ids += [s.free_text.id for s in self.sections if s.free_text]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            errors.append(f"ids are repeated: {', '.join(dupes)}")
        reserved = sorted({i for i in ids if i in {RESPONDENT, ORGANISATION, *_COLUMN_ALIASES}})
        if reserved:
            errors.append(f"ids are reserved for other CSV columns: {', '.join(reserved)}")
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def section(self, factor: str) -> Section:
        """The section for one factor (every factor has exactly one)."""
        return next(s for s in self.sections if s.factor == factor)

    @property
    def ordered_sections(self) -> list[Section]:
        """The sections in the paper's factor order, whatever their order in the file."""
        return [self.section(f) for f in FACTOR_IDS]

    @property
    def statements(self) -> list[tuple[str, Statement]]:
        """Every statement with its factor id, in factor order."""
        return [(s.factor, st) for s in self.ordered_sections for st in s.statements]

    @property
    def free_texts(self) -> list[tuple[str, FreeText]]:
        """Every open question with its factor id, in factor order."""
        return [(s.factor, s.free_text) for s in self.ordered_sections if s.free_text]

    @property
    def columns(self) -> list[str]:
        """The responses CSV header: respondent, organisation, statement ids, open-question ids."""
        return [
            RESPONDENT,
            ORGANISATION,
            *(st.id for _, st in self.statements),
            *(ft.id for _, ft in self.free_texts),
        ]


def builtin_path() -> Path:
    """The built-in questionnaire file, as shipped inside the package (a checkout or a wheel)."""
    return Path(str(resources.files("syslead") / "playbooks" / "assessment" / f"{BUILTIN_ID}.yaml"))


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    """Read a questionnaire (the built-in one by default), with file:line:column errors."""
    doc = load_yaml(path or builtin_path(), "questionnaire")
    questionnaire: Questionnaire = validate_as(Questionnaire, doc.data, doc)
    return questionnaire


def questionnaire_md(q: Questionnaire) -> str:
    """A printable form in Markdown: instructions, the scale, then one table per factor.

    Which statements are reverse-scored is deliberately not shown: knowing it would change how
    people answer. Statement ids are shown so that answers can be typed into the CSV template.
    """
    boxes = " | ".join("☐" for _ in q.scale)
    numbers = " | ".join(str(p.value) for p in q.scale)
    aligns = "|".join(":-:" for _ in q.scale)
    legend = "; ".join(f"{p.value} = {md(p.label)}" for p in q.scale)
    parts = [
        f"# {md(q.title)}\n",
        f"{md_block(q.instructions)}\n",
        "**Your organisation:** ..............................................\n",
        f"**Scale:** {legend}.\n",
    ]
    for number, section in enumerate(q.ordered_sections, 1):
        rows = [
            f"| Id | Statement | {numbers} |",
            f"|---|---|{aligns}|",
            *(f"| {md(st.id)} | {md(st.text)} | {boxes} |" for st in section.statements),
        ]
        parts.append(f"## {number}. {md(section.title)}\n")
        parts.append("\n".join(rows) + "\n")
        if section.free_text:
            ft = section.free_text
            parts.append(f"**{md(ft.text)}** (optional; `{ft.id}`)\n")
            parts.append("Your answer:\n")
    parts.append(f"*Source: {md(q.source)}*\n")
    return "\n".join(parts)


def questionnaire_csv_template(q: Questionnaire) -> str:
    """A blank responses CSV: the header row only, one row per respondent to be added below.

    There is no example row: an example left in by mistake would be read back as a respondent, and
    a blank one as a respondent with no answers. The header alone is exactly what
    :func:`parse_responses` expects, and the printed form carries the instructions.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(q.columns)
    return buffer.getvalue()


def questionnaire_json_data(q: Questionnaire) -> dict[str, Any]:
    """The questionnaire as plain data: every statement with its id, factor, text and direction."""
    return {
        "id": q.id,
        "title": q.title,
        "instructions": q.instructions,
        "scale": [{"value": p.value, "label": p.label} for p in q.scale],
        "factors": [{"factor": s.factor, "title": s.title} for s in q.ordered_sections],
        "statements": [
            {"id": st.id, "factor": factor, "text": st.text, "reverse": st.reverse}
            for factor, st in q.statements
        ],
        "free_text": [
            {"id": ft.id, "factor": factor, "text": ft.text} for factor, ft in q.free_texts
        ],
        "columns": q.columns,
        "source": q.source,
    }


# --- Reading responses --------------------------------------------------------------------------


class Response(_Model):
    """One respondent's answers, as read from one row of the responses CSV.

    Answers are stored as given (before reverse scoring), and only for the statements answered: a
    blank cell is no answer, so the statement is simply absent from ``answers``.
    """

    line: int = Field(default=0, description="The row's line in the CSV (0 when not from a file).")
    respondent: str | None = None
    organisation: str | None = None
    answers: dict[str, Answer] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)


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
    names = [_COLUMN_ALIASES.get(n, n) for n in names]
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
    return responses


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
    extra = [cell for cell in row[width:] if cell.strip()]
    if extra:
        problems.append(
            Problem(
                path,
                line,
                0,
                "",
                f"the row has {len(row)} cells but the header has {width} columns",
            )
        )
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


# --- The report ---------------------------------------------------------------------------------


class FactorStats(_Model):
    """One factor's answers summarised (exact values; rounded only on output).

    ``mean``, ``sd``, ``min``, ``max`` and ``n`` pool every answer to the factor's statements.
    ``respondent_sd``, ``respondent_min`` and ``respondent_max`` describe the spread between
    people: each respondent's own mean for the factor is one value. All of these are None when
    nobody answered the factor's statements.
    """

    factor: str
    title: str
    mean: float | None
    sd: float | None = Field(
        description="Sample standard deviation (n - 1); 0 when there are fewer than two answers."
    )
    min: int | None
    max: int | None
    n: int = Field(description="The number of answers (up to four per respondent).")
    respondents: int = Field(description="How many respondents answered at least one statement.")
    respondent_sd: float | None = Field(
        default=None,
        description="Sample standard deviation of the respondents' own means for the factor; "
        "0 when fewer than two respondents answered.",
    )
    respondent_min: float | None = Field(
        default=None, description="The lowest of the respondents' own means."
    )
    respondent_max: float | None = Field(
        default=None, description="The highest of the respondents' own means."
    )
    flags: list[Flag] = Field(default_factory=list)

    @property
    def respondent_range(self) -> float | None:
        """How far apart the lowest and highest respondent means are (None with no answers)."""
        if self.respondent_min is None or self.respondent_max is None:
            return None
        return self.respondent_max - self.respondent_min


class OrganisationStats(_Model):
    """The factor statistics for the respondents from one organisation."""

    organisation: str | None = Field(description="None for respondents who gave no organisation.")
    respondents: int
    factors: list[FactorStats]


class Report(_Model):
    """The whole assessment report."""

    questionnaire: str
    respondents: int
    factors: list[FactorStats]
    by_organisation: list[OrganisationStats] = Field(
        default_factory=list, description="Empty when no respondent gave an organisation."
    )
    flags: dict[str, list[str]] = Field(description="Each flag with the factors that carry it.")
    recommended_focus: list[str]
    focus_reasons: dict[str, list[Flag]] = Field(
        description="Why each recommended factor was chosen (its focus flags)."
    )
    comments: dict[str, list[str]] = Field(
        default_factory=dict, description="Answers to the open questions, by factor, in file order."
    )


def scored(answer: int, reverse: bool) -> int:
    """An answer after reverse scoring: 6 - answer for a reverse-scored statement."""
    return SCALE_MIN + SCALE_MAX - answer if reverse else answer


def _stats(factor: str, title: str, by_respondent: Sequence[Sequence[int]]) -> FactorStats:
    """The statistics of one factor, from each respondent's scored answers to its statements.

    Pooled over every answer: the mean is ``sum / n`` of integers, a correctly rounded float, so
    equal means compare equal and the 3.0 threshold is exact; ``statistics.stdev`` is the sample
    (n - 1) standard deviation, reported as 0 when there are fewer than two answers.

    Between people: each respondent's mean is kept as an exact fraction, so the standard deviation
    of those means is computed from exact values and correctly rounded once (a mean of 11/3 is
    not first rounded to a float). It too is 0 with fewer than two respondents. Respondents who
    answered none of the factor's statements are left out, not counted as a mean of zero.
    """
    answered = [list(values) for values in by_respondent if values]
    values = [v for person in answered for v in person]
    if not values:
        return FactorStats(
            factor=factor, title=title, mean=None, sd=None, min=None, max=None, n=0, respondents=0
        )
    means = [Fraction(sum(person), len(person)) for person in answered]
    return FactorStats(
        factor=factor,
        title=title,
        mean=sum(values) / len(values),
        sd=statistics.stdev(values) if len(values) >= 2 else 0.0,
        min=min(values),
        max=max(values),
        n=len(values),
        respondents=len(answered),
        respondent_sd=float(statistics.stdev(means)) if len(means) >= 2 else 0.0,
        respondent_min=float(min(means)),
        respondent_max=float(max(means)),
    )


def disagrees(stats: FactorStats) -> bool:
    """Whether respondents' own means on a factor differ widely enough to flag.

    At least :data:`DISAGREEMENT_MIN_RESPONDENTS` respondents must have answered, and then either
    the standard deviation of their means is at least :data:`DISAGREEMENT_SD` or the means span
    at least :data:`DISAGREEMENT_RANGE` points. Both thresholds are inclusive. The spread of the
    pooled answers (``sd``, ``min``, ``max``) plays no part.
    """
    spread = stats.respondent_range
    if stats.respondent_sd is None or spread is None:
        return False
    if stats.respondents < DISAGREEMENT_MIN_RESPONDENTS:
        return False
    return stats.respondent_sd >= DISAGREEMENT_SD or spread >= DISAGREEMENT_RANGE - _TOLERANCE


def with_flags(factors: Sequence[FactorStats]) -> list[FactorStats]:
    """The same statistics with their flags set, relative to each other (see :data:`FLAGS`)."""
    means = [s.mean for s in factors if s.mean is not None]
    lowest = min(means) if means else None
    out = []
    for s in factors:
        flags: list[Flag] = []
        if s.mean is None:
            flags.append("no-answers")
        else:
            if s.mean == lowest:
                flags.append("lowest")
            if s.mean < LOW_MEAN:
                flags.append("below-midpoint")
            if disagrees(s):
                flags.append("disagreement")
        out.append(s.model_copy(update={"flags": flags}))
    return out


def factor_stats(q: Questionnaire, responses: Sequence[Response]) -> list[FactorStats]:
    """Flagged statistics per factor (in the paper's order) for a set of responses."""
    values: dict[str, list[list[int]]] = {f: [] for f in FACTOR_IDS}
    for response in responses:
        mine: dict[str, list[int]] = {f: [] for f in FACTOR_IDS}
        for factor, st in q.statements:
            answer = response.answers.get(st.id)
            if answer is not None:
                mine[factor].append(scored(answer, st.reverse))
        for factor, scores in mine.items():
            values[factor].append(scores)
    return with_flags([_stats(s.factor, s.title, values[s.factor]) for s in q.ordered_sections])


def _organisation_key(name: str | None) -> str:
    return "" if name is None else " ".join(name.split()).casefold()


def organisation_stats(q: Questionnaire, responses: Sequence[Response]) -> list[OrganisationStats]:
    """Statistics for each organisation's respondents, sorted by name (not given last).

    Names that differ only in case or spacing are one organisation, shown as first spelled.
    Empty when nobody gave an organisation, since one group of everyone would repeat the totals.
    """
    if not any(r.organisation for r in responses):
        return []
    groups: dict[str, list[Response]] = {}
    names: dict[str, str | None] = {}
    for response in responses:
        key = _organisation_key(response.organisation)
        groups.setdefault(key, []).append(response)
        names.setdefault(key, response.organisation)
    ordered = sorted(groups, key=lambda k: (k == "", k))
    return [
        OrganisationStats(
            organisation=names[key],
            respondents=len(groups[key]),
            factors=factor_stats(q, groups[key]),
        )
        for key in ordered
    ]


def recommend(factors: Sequence[FactorStats]) -> tuple[list[str], dict[str, list[Flag]]]:
    """The recommended focus (factor ids in the paper's order) and the reasons for each.

    Candidates are the lowest-mean factor(s), any factor with a mean below the midpoint, and any
    factor with wide disagreement. The lowest always comes first; if there are more than
    :data:`MAX_FOCUS` candidates, the rest are taken by how many reasons they have, then by the
    lowest mean, then in the paper's order. So the lowest factor is always recommended (if more
    than three factors tie for lowest, the first three in the paper's order are), and the focus is
    never longer than three. Factors nobody answered are never recommended.
    """
    reasons: dict[str, list[Flag]] = {
        s.factor: [f for f in s.flags if f in FOCUS_FLAGS] for s in factors
    }
    lowest = [s for s in factors if "lowest" in s.flags]
    others = [s for s in factors if reasons[s.factor] and "lowest" not in s.flags]
    others.sort(key=lambda s: (-len(reasons[s.factor]), s.mean or 0.0, FACTOR_IDS.index(s.factor)))
    chosen = {s.factor for s in [*lowest, *others][:MAX_FOCUS]}
    focus = [f for f in FACTOR_IDS if f in chosen]
    return focus, {f: reasons[f] for f in focus}


def report(q: Questionnaire, responses: Sequence[Response]) -> Report:
    """The assessment report: statistics, flags and a recommended focus, overall and by organisation.

    With no answers at all (which :func:`parse_responses` refuses) every factor is flagged
    ``no-answers`` and the recommended focus is empty.
    """
    factors = factor_stats(q, responses)
    focus, reasons = recommend(factors)
    factor_of = {ft.id: factor for factor, ft in q.free_texts}
    comments: dict[str, list[str]] = {}
    for factor in FACTOR_IDS:
        texts = [
            text
            for response in responses
            for key, text in response.comments.items()
            if factor_of.get(key) == factor
        ]
        if texts:
            comments[factor] = texts
    return Report(
        questionnaire=q.id,
        respondents=len(responses),
        factors=factors,
        by_organisation=organisation_stats(q, responses),
        flags={flag: [s.factor for s in factors if flag in s.flags] for flag in FLAGS},
        recommended_focus=focus,
        focus_reasons=reasons,
        comments=comments,
    )


# --- Report output ------------------------------------------------------------------------------


def round2(value: float | None) -> float | None:
    """Round for output to two decimals, halves away from zero as a person would by hand.

    Rounding goes through the shortest decimal form of the float, so 2.125 gives 2.13 and 2.675
    gives 2.68 (Python's ``round`` would give 2.12 and 2.67).
    """
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _factor_data(s: FactorStats) -> dict[str, Any]:
    return {
        "factor": s.factor,
        "title": s.title,
        "mean": round2(s.mean),
        "sd": round2(s.sd),
        "min": s.min,
        "max": s.max,
        "n": s.n,
        "respondents": s.respondents,
        "respondent_sd": round2(s.respondent_sd),
        "respondent_min": round2(s.respondent_min),
        "respondent_max": round2(s.respondent_max),
        "flags": list(s.flags),
    }


def report_json_data(r: Report) -> dict[str, Any]:
    """The report as plain data, with means and standard deviations rounded to two decimals.

    Each factor has the pooled ``mean``, ``sd``, ``min``, ``max`` and ``n``, the number of
    ``respondents``, the spread between people (``respondent_sd``, ``respondent_min`` and
    ``respondent_max``, over each respondent's own mean) and its ``flags``.
    """
    return {
        "questionnaire": r.questionnaire,
        "respondents": r.respondents,
        "scale": {"min": SCALE_MIN, "max": SCALE_MAX},
        "factors": [_factor_data(s) for s in r.factors],
        "by_organisation": [
            {
                "organisation": o.organisation,
                "respondents": o.respondents,
                "factors": [_factor_data(s) for s in o.factors],
            }
            for o in r.by_organisation
        ],
        "flags": {k: list(v) for k, v in r.flags.items()},
        "recommended_focus": list(r.recommended_focus),
        "focus_reasons": {k: list(v) for k, v in r.focus_reasons.items()},
        "thresholds": {
            "disagreement_sd": DISAGREEMENT_SD,
            "disagreement_range": DISAGREEMENT_RANGE,
            "disagreement_min_respondents": DISAGREEMENT_MIN_RESPONDENTS,
            "low_mean": LOW_MEAN,
            "max_focus": MAX_FOCUS,
        },
        "comments": {k: list(v) for k, v in r.comments.items()},
    }


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(mean: float | None, width: int = 20) -> str:
    """A Unicode bar for a mean: empty at 1, ``width`` full blocks at 5, in eighths between."""
    if mean is None:
        return ""
    fraction = (min(max(mean, SCALE_MIN), SCALE_MAX) - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + _EIGHTHS[part]).rstrip()


def _fmt(value: float | None) -> str:
    rounded = round2(value)
    return "—" if rounded is None else f"{rounded:.2f}"


def _span(s: FactorStats) -> str:
    return "—" if s.min is None else f"{s.min}–{s.max}"


def _people_span(s: FactorStats) -> str:
    if s.respondent_min is None:
        return "—"
    return f"{_fmt(s.respondent_min)}–{_fmt(s.respondent_max)}"


MD_BAR_WIDTH = 10
"""Characters in a full bar in the Markdown tables, narrow enough for the table to fit on A4."""


def _stats_table(factors: Sequence[FactorStats]) -> str:
    rows = [
        "| Factor | Mean | | SD | Min–max | n | People | People's means | SD between people "
        "| Flags |",
        "|---|--:|---|--:|:-:|--:|--:|:-:|--:|---|",
    ]
    for s in factors:
        flags = ", ".join(FLAG_WORDS[f] for f in s.flags)
        rows.append(
            f"| {md(s.title)} | {_fmt(s.mean)} | {bar(s.mean, MD_BAR_WIDTH)} | {_fmt(s.sd)} "
            f"| {_span(s)} | {s.n} | {s.respondents} | {_people_span(s)} "
            f"| {_fmt(s.respondent_sd)} | {flags} |"
        )
    return "\n".join(rows)


def _reason_text(s: FactorStats, flag: Flag) -> str:
    """Why a factor carries a flag, in plain words (no Markdown, so any output can use it)."""
    if flag == "lowest":
        return f"the lowest mean of the five ({_fmt(s.mean)})"
    if flag == "below-midpoint":
        return f"a mean below the midpoint of {LOW_MEAN:g} ({_fmt(s.mean)})"
    return (
        f"wide disagreement between people (the {s.respondents} respondents' own means run "
        f"from {_fmt(s.respondent_min)} to {_fmt(s.respondent_max)}, standard deviation "
        f"{_fmt(s.respondent_sd)})"
    )


def _disagreement_rule() -> str:
    return (
        "A factor is flagged for wide disagreement when respondents' own views differ: taking "
        "each respondent's mean for the factor, the standard deviation of those means is "
        f"{DISAGREEMENT_SD:g} or more, or they span {DISAGREEMENT_RANGE:g} points or more, with "
        f"at least {DISAGREEMENT_MIN_RESPONDENTS} respondents. Uneven answers from one person "
        "do not count. Disagreement is worth surfacing in its own right: a group that shows no "
        "conflict may simply be avoiding it, and that can be more worrying than open disagreement."
    )


def report_md(r: Report) -> str:
    """The report in Markdown: a table per factor, the focus and why, organisations, comments."""
    titles = {s.factor: s.title for s in r.factors}
    organisations = [o for o in r.by_organisation if o.organisation]
    who = f"{r.respondents} respondent{'s' if r.respondents != 1 else ''}"
    if organisations:
        count = len(organisations)
        who += f" from {count} organisation{'s' if count != 1 else ''}"
    parts = [
        "# Five-factor self-assessment: results\n",
        f"{who}. Scores run from {SCALE_MIN} to {SCALE_MAX}, higher is better, after reverse "
        "scoring. *Mean*, *SD*, *Min–max* and *n* pool every answer: *n* counts answers (up to "
        "four per respondent for each factor), not respondents. *People* counts the respondents "
        "who answered the factor; *SD between people* and *People's means* describe the spread "
        "of their own means, one per person. Means and standard deviations are rounded to two "
        "decimals.\n",
        "## By factor\n",
        _stats_table(r.factors) + "\n",
        "## Recommended focus\n",
    ]
    by_id = {s.factor: s for s in r.factors}
    if r.recommended_focus:
        lines = []
        for factor in r.recommended_focus:
            reasons = "; ".join(_reason_text(by_id[factor], f) for f in r.focus_reasons[factor])
            lines.append(f"- **{md(titles[factor])}** (`{factor}`): {reasons}.")
        parts.append("\n".join(lines) + "\n")
    else:
        parts.append("No factor has any answers, so there is no recommendation.\n")
    parts.append(_disagreement_rule() + "\n")
    if r.by_organisation:
        parts.append("## By organisation\n")
        for o in r.by_organisation:
            name = md(o.organisation) if o.organisation else "Organisation not given"
            size = f"{o.respondents} respondent{'s' if o.respondents != 1 else ''}"
            if o.respondents == 1:
                size += ": these figures are one person's answers"
            parts.append(f"### {name} ({size})\n")
            parts.append(_stats_table(o.factors) + "\n")
    if r.comments:
        parts.append("## Comments\n")
        for factor, texts in r.comments.items():
            parts.append(f"### {md(titles.get(factor, factor))}\n")
            parts.append("\n".join(f"- {md(t)}" for t in texts) + "\n")
    return "\n".join(parts)


# --- Terminal table -----------------------------------------------------------------------------

BAR_WIDTH = 16
"""Characters in a full bar (a mean of 5) in the terminal table: 4 per scale point, each drawn in
eighths, so a bar resolves a mean to 1/32 of a point (finer than the two decimals beside it)."""

FLAG_MARKS: dict[str, str] = {"lowest": "L", "below-midpoint": "B", "disagreement": "D"}
"""One-letter marks for flags where a table has no room for words (explained in its caption);
a factor nobody answered shows a dash instead of a mean."""


def _scale_ruler(width: int = BAR_WIDTH) -> str:
    """The bar column's heading: each scale point's number where a bar for that mean ends."""
    step = width // (SCALE_MAX - SCALE_MIN)
    return "".join(str(v).ljust(step) for v in range(SCALE_MIN, SCALE_MAX)) + str(SCALE_MAX)


def _org_cell(s: FactorStats) -> str:
    if s.mean is None:
        return "—"
    marks = " ".join(FLAG_MARKS[f] for f in s.flags if f in FLAG_MARKS)
    return f"{_fmt(s.mean)} {marks}".rstrip()


SHORT_TITLES = {
    "shared-purpose": "Purpose",
    "personal-contact": "Contact",
    "conflict": "Conflict",
    "altruism": "Altruism",
    "long-term": "Long term",
}
"""One-word factor names for narrow columns, so the table fits an 80-column terminal."""


def report_table(r: Report) -> Any:
    """A rich renderable of the report, readable in a plain terminal without colour.

    First a table with one row per factor: the mean with a bar drawn in block characters on the
    1-5 scale (the heading marks where each point falls), the spread of all answers, the spread
    between people and the flags in words. Then, when respondents gave organisations, one row per
    organisation with its mean for each factor and one-letter flag marks (explained in a caption).
    Last, the recommended focus with the reason for each factor.
    """
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    who = f"{r.respondents} respondent{'s' if r.respondents != 1 else ''}"
    table = Table(
        title=f"Five-factor self-assessment: {who}",
        title_justify="left",
        caption=f"Scores run from {SCALE_MIN} to {SCALE_MAX}, higher is better. Mean, sd, min-max "
        "and n pool every answer (n counts answers, not people); people sd is the standard "
        "deviation of each respondent's own mean, which is what wide disagreement is judged on.",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    table.add_column("factor", overflow="fold", ratio=1, min_width=10)
    table.add_column("mean", justify="right", no_wrap=True)
    table.add_column(_scale_ruler(), no_wrap=True, min_width=BAR_WIDTH + 1)
    table.add_column("sd", justify="right", no_wrap=True)
    table.add_column("min-max", justify="center", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("people sd", justify="right", min_width=6)
    table.add_column("flags", overflow="fold", ratio=1, min_width=12)
    for s in r.factors:
        table.add_row(
            Text(s.title),
            _fmt(s.mean),
            bar(s.mean, BAR_WIDTH),
            _fmt(s.sd),
            "—" if s.min is None else f"{s.min}-{s.max}",
            str(s.n),
            _fmt(s.respondent_sd),
            Text(", ".join(FLAG_WORDS[f] for f in s.flags)),
        )
    parts: list[Any] = [table]
    if r.by_organisation:
        legend = ", ".join(f"{mark} {FLAG_WORDS[flag]}" for flag, mark in FLAG_MARKS.items())
        legend += ", — no answers"
        orgs = Table(
            title="By organisation (means)",
            title_justify="left",
            caption=f"Flags: {legend}. An organisation with one respondent shows one person's "
            "answers.",
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            collapse_padding=True,
            pad_edge=False,
        )
        orgs.add_column("organisation", overflow="fold", min_width=12)
        orgs.add_column("people", justify="right", no_wrap=True)
        for s in r.factors:
            orgs.add_column(
                Text(SHORT_TITLES.get(s.factor, s.title)),
                justify="right",
                overflow="fold",
                min_width=8,
                max_width=10,
            )
        for o in r.by_organisation:
            orgs.add_row(
                Text(o.organisation or "(not given)"),
                str(o.respondents),
                *(_org_cell(s) for s in o.factors),
            )
        parts += [Text(""), orgs]
    focus = Text("\n")
    focus.append("Recommended focus", style="bold")
    focus.append("\n")
    by_id = {s.factor: s for s in r.factors}
    if r.recommended_focus:
        for number, factor in enumerate(r.recommended_focus, 1):
            reasons = "; ".join(_reason_text(by_id[factor], f) for f in r.focus_reasons[factor])
            focus.append(f"{number}. {by_id[factor].title} ({factor}): {reasons}.\n")
    else:
        focus.append("No factor has any answers, so there is no recommendation.\n")
    parts.append(focus)
    parts.append(Text(_disagreement_rule()))
    return Group(*parts)


# --- Chart and HTML pages -----------------------------------------------------------------------

REPORT_TITLE = "Five-factor self-assessment: results"

CHART_CAPTION = (
    "Each bar is a factor's mean over all answers, on the scale from 1 (strongly disagree) to 5 "
    "(strongly agree); higher is better after reverse scoring, and the dashed line is the "
    "midpoint. The thin line under a bar runs from the lowest to the highest respondent's own "
    "mean for that factor. Flags are named on the right."
)

_SVG_WIDTH = 680
"""The chart's width in user units: about 180 mm, the printed page's width, at 96 per inch."""

_SVG_TOP = 30
_ROW = 54
_LEGEND = 34
_LABEL_RIGHT = 196
_PLOT_LEFT = 210
_POINT = 80
_FLAGS_LEFT = _PLOT_LEFT + _POINT * (SCALE_MAX - SCALE_MIN) + 16
_TITLE_CHARS = 30
_TITLE_LINES = 2
_INK = "#1d1d1d"
_MUTED = "#555555"
_BAR = "#1b5e8c"


def _x(score: float) -> float:
    """The horizontal position of a score on the chart's 1-5 axis."""
    return _PLOT_LEFT + (score - SCALE_MIN) * _POINT


def _title_lines(title: str) -> list[str]:
    """A factor's title wrapped to fit left of the plot, cut short with an ellipsis if need be."""
    lines = textwrap.wrap(title, _TITLE_CHARS, break_long_words=True) or [""]
    if len(lines) > _TITLE_LINES:
        rest = " ".join(lines[_TITLE_LINES - 1 :])
        lines = [*lines[: _TITLE_LINES - 1], rest[: _TITLE_CHARS - 1].rstrip() + "…"]
    return lines


def _chart_label(r: Report) -> str:
    """What the chart shows, in words, for a screen reader (and as the SVG's title)."""
    items = []
    for s in r.factors:
        if s.mean is None:
            items.append(f"{s.title}: no answers")
            continue
        flags = ", ".join(FLAG_WORDS[f] for f in s.flags)
        items.append(f"{s.title}: {_fmt(s.mean)}" + (f" ({flags})" if flags else ""))
    return f"Mean score by factor, from {SCALE_MIN} to {SCALE_MAX}. " + "; ".join(items) + "."


def report_svg(r: Report) -> str:
    """The overall results as an inline SVG bar chart: the same text for the same report.

    One horizontal bar per factor, in the paper's order, on a 1-5 axis with a gridline at each
    point (the midpoint dashed). The bar is the mean of all answers, with its value written at
    its end; a thin line beneath it runs from the lowest to the highest respondent's own mean.
    Each factor's flags are written out to the right, so nothing depends on colour. Sizes are
    fixed (a 680-unit-wide view box; the page stylesheet's ``timeline`` class scales it to the
    printed width) and every piece of text is escaped with ``html.escape``, so the result is
    well-formed XML and safe inside an HTML page.
    """
    e = html.escape
    bottom = _SVG_TOP + len(r.factors) * _ROW
    height = bottom + _LEGEND
    label = e(_chart_label(r))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline assessment-chart" '
        f'viewBox="0 0 {_SVG_WIDTH} {height}" role="img" aria-label="{label}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">',
        f"<title>{label}</title>",
    ]
    for value in range(SCALE_MIN, SCALE_MAX + 1):
        x = _x(value)
        midpoint = value == LOW_MEAN
        dash = ' stroke-dasharray="4 3"' if midpoint else ""
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{_SVG_TOP - 6}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{"#808080" if midpoint else "#d0d0d0"}" stroke-width="1"{dash}/>'
            f'<text x="{x:.1f}" y="{_SVG_TOP - 11}" text-anchor="middle" font-size="11" '
            f'fill="{_MUTED}">{value}</text>'
        )
    for i, s in enumerate(r.factors):
        y = _SVG_TOP + i * _ROW
        parts.append(f'<g class="factor" data-factor="{e(s.factor)}">')
        parts.append(f"<title>{e(s.title)}</title>")
        lines = _title_lines(s.title)
        parts.append(
            f'<text x="{_LABEL_RIGHT}" y="{y + 16}" text-anchor="end" font-size="11" '
            f'fill="{_INK}">'
            + "".join(
                f'<tspan x="{_LABEL_RIGHT}" dy="{0 if n == 0 else 13}">{e(line)}</tspan>'
                for n, line in enumerate(lines)
            )
            + "</text>"
        )
        if s.mean is None or s.respondent_min is None or s.respondent_max is None:
            parts.append(
                f'<text x="{_PLOT_LEFT + 6}" y="{y + 22}" font-size="11" font-style="italic" '
                f'fill="{_MUTED}">no answers</text>'
            )
        else:
            end = _x(s.mean)
            low, high = _x(s.respondent_min), _x(s.respondent_max)
            people = f"people {_fmt(s.respondent_min)}–{_fmt(s.respondent_max)}"
            parts.append(
                f'<text x="{_LABEL_RIGHT}" y="{y + 16 + 13 * len(lines)}" text-anchor="end" '
                f'font-size="9.5" fill="{_MUTED}">{e(people)}</text>'
            )
            parts.append(
                f'<rect class="bar" x="{_PLOT_LEFT}" y="{y + 8}" width="{end - _PLOT_LEFT:.1f}" '
                f'height="20" fill="{_BAR}"/>'
            )
            # The value sits inside the bar's end when there is room, else just after it.
            inside = end - _PLOT_LEFT >= 40
            parts.append(
                f'<text class="value" x="{end - 4 if inside else end + 4:.1f}" y="{y + 22}" '
                f'text-anchor="{"end" if inside else "start"}" font-size="10.5" '
                f'fill="{"#ffffff" if inside else _INK}">{e(_fmt(s.mean))}</text>'
            )
            parts.append(
                f'<g class="range" stroke="{_INK}" stroke-width="1.5">'
                f'<line x1="{low:.1f}" y1="{y + 36}" x2="{high:.1f}" y2="{y + 36}"/>'
                f'<line x1="{low:.1f}" y1="{y + 32}" x2="{low:.1f}" y2="{y + 40}"/>'
                f'<line x1="{high:.1f}" y1="{y + 32}" x2="{high:.1f}" y2="{y + 40}"/></g>'
            )
        flags = [FLAG_WORDS[f] for f in s.flags if f != "no-answers"]
        if flags:
            parts.append(
                f'<text class="flags" x="{_FLAGS_LEFT}" y="{y + 16}" font-size="10" '
                f'font-weight="bold" fill="{_INK}">'
                + "".join(
                    f'<tspan x="{_FLAGS_LEFT}" dy="{0 if n == 0 else 12}">{e(flag)}</tspan>'
                    for n, flag in enumerate(flags)
                )
                + "</text>"
            )
        parts.append("</g>")
    key = bottom + 22
    range_words = "lowest to highest respondent's mean"
    parts.append(
        f'<g class="legend" font-size="9.5" fill="{_MUTED}">'
        f'<rect x="{_PLOT_LEFT}" y="{key - 9}" width="16" height="10" fill="{_BAR}"/>'
        f'<text x="{_PLOT_LEFT + 22}" y="{key}">mean of all answers</text>'
        f'<line x1="{_PLOT_LEFT + 140}" y1="{key - 4}" x2="{_PLOT_LEFT + 164}" y2="{key - 4}" '
        f'stroke="{_INK}" stroke-width="1.5"/>'
        f'<text x="{_PLOT_LEFT + 170}" y="{key}">{e(range_words)}</text>'
        f'<text x="{_LABEL_RIGHT}" y="{key}" text-anchor="end">'
        f"{SCALE_MIN} strongly disagree, {SCALE_MAX} strongly agree</text></g>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def report_html(r: Report, env: Environments | None = None) -> str:
    """The report as a self-contained, printable HTML page, with the chart after the title.

    ``env`` holds the template environments (the built-in templates by default). The page is built like :func:`syslead.documents.html_page` builds one, from the same Markdown as
    :func:`report_md` and the same ``page.html.j2`` template, but with the chart's own caption.
    """
    from markupsafe import Markup

    from .documents import environments, markdown_to_html, render_template

    env = env or environments()
    figure = (
        '<figure class="assessment-chart">\n'
        + report_svg(r)
        + f"\n<figcaption>{html.escape(CHART_CAPTION)}</figcaption>\n</figure>"
    )
    context = {
        "title": REPORT_TITLE,
        "kind": "assessment",
        # markdown-it escaped every piece of text; the chart was built with html.escape.
        "body": Markup(markdown_to_html(report_md(r), figure)),
    }
    return render_template(env.html, "page.html.j2", context)


def questionnaire_html(q: Questionnaire, env: Environments | None = None) -> str:
    """The printable form as a self-contained HTML page (A4 when printed).

    It is :func:`questionnaire_md` rendered: for each factor a table with one row per statement,
    its id, its text and five tick boxes, one per scale point, so a row never splits across pages
    and the tick columns stay narrow beside the statement's text.
    """
    from .documents import html_page

    return html_page(q.title, questionnaire_md(q), env, kind="questionnaire")
