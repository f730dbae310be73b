"""The five-factor self-assessment: the questionnaire, scoring, statistics and the focus.

Before an away session a facilitator wants to know where the group stands on each of the five
factors and, just as much, where its members disagree: The King's Fund (2017), Leading across the
health and care system: lessons from experience, warns that the absence of visible conflict can
be more worrying than its presence. So the report gives the spread of answers beside each mean,
and the spread between respondents' own views, flags wide disagreement between people, and
recommends a focus from both.

This is the core of the assessment: the questionnaire and its loading, the responses as data,
the statistics, flags and recommendation, and the same as plain data for JSON. Everything here is
pure apart from :func:`load_questionnaire`, which reads a file. Reading the responses CSV is in
:mod:`syslead.assessment.responses`, and turning a report or the questionnaire into Markdown, a terminal
table, an SVG chart or HTML pages is in :mod:`syslead.assessment.report`; both import this module,
never the other way round.

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

from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from syslead.library.models import FACTOR_IDS, FactorId, Id, Text
from syslead.library.yamlio import load_yaml, validate_as

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
itself information: as The King's Fund (2017) paper puts it, the absence of conflict can be more worrying
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

TOLERANCE = 1e-9
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

BUILTIN_ID = "five-factor"
"""The id of the built-in questionnaire."""

RESPONDENT = "respondent"
ORGANISATION = "organisation"
COLUMN_ALIASES = {"organization": ORGANISATION}
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

Answer = Annotated[int, Field(ge=SCALE_MIN, le=SCALE_MAX)]


class Model(BaseModel):
    """Base for the assessment models: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- The questionnaire --------------------------------------------------------------------------


class ScalePoint(Model):
    """One point of the answer scale, with the words a respondent sees."""

    value: int
    label: Text


class Statement(Model):
    """One statement, answered from 1 to 5; its id is its column in the responses CSV."""

    id: Id
    text: Text
    reverse: bool = Field(
        description="Worded so that agreeing is a bad sign: scored as 6 minus the answer."
    )


class FreeText(Model):
    """An optional open question for a factor; its id is its column in the responses CSV."""

    id: Id
    text: Text


class Section(Model):
    """The statements (and optional open question) for one factor."""

    factor: FactorId
    title: Text
    statements: list[Statement] = Field(
        min_length=STATEMENTS_PER_FACTOR, max_length=STATEMENTS_PER_FACTOR
    )
    free_text: FreeText | None = None


class Questionnaire(Model):
    """A five-factor questionnaire: one section per factor, each with four statements."""

    id: Id
    title: Text
    instructions: Text = Field(description="What respondents read before they answer.")
    scale: list[ScalePoint]
    sections: list[Section]
    source: Text = Field(description="What guided the design, so a facilitator can cite it.")

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        errors = [*self._scale_issues(), *self._section_issues(), *self._id_issues()]
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def _scale_issues(self) -> list[str]:
        values = [p.value for p in self.scale]
        expected = list(range(SCALE_MIN, SCALE_MAX + 1))
        if values != expected:
            return [f"the scale must list the values {expected} in order, got {values}"]
        return []

    def _section_issues(self) -> list[str]:
        factors = [s.factor for s in self.sections]
        repeated = [f for f in FACTOR_IDS if factors.count(f) > 1]
        missing = [f for f in FACTOR_IDS if f not in factors]
        errors = []
        if repeated:
            errors.append(f"more than one section for: {', '.join(repeated)}")
        if missing:
            errors.append(f"no section for: {', '.join(missing)}")
        return errors

    def _id_issues(self) -> list[str]:
        ids = [s.id for section in self.sections for s in section.statements]
        ids += [s.free_text.id for s in self.sections if s.free_text]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        reserved = sorted({i for i in ids if i in {RESPONDENT, ORGANISATION, *COLUMN_ALIASES}})
        errors = []
        if dupes:
            errors.append(f"ids are repeated: {', '.join(dupes)}")
        if reserved:
            errors.append(f"ids are reserved for other CSV columns: {', '.join(reserved)}")
        return errors

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


# --- Responses ----------------------------------------------------------------------------------


class Response(Model):
    """One respondent's answers, as read from one row of the responses CSV.

    Answers are stored as given (before reverse scoring), and only for the statements answered: a
    blank cell is no answer, so the statement is simply absent from ``answers``.
    """

    line: int = Field(default=0, description="The row's line in the CSV (0 when not from a file).")
    respondent: str | None = None
    organisation: str | None = None
    answers: dict[str, Answer] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)
