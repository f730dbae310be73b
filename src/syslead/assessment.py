"""The five-factor self-assessment: the questionnaire, scoring, statistics and the focus.

Before an away session a facilitator wants to know where the group stands on each of the five
factors and, just as much, where its members disagree: the seed paper warns that the absence of
visible conflict can be more worrying than its presence. So the report gives the spread of answers
beside each mean, and the spread between respondents' own views, flags wide disagreement between
people, and recommends a focus from both.

This is the core of the assessment: the questionnaire and its loading, the responses as data,
the statistics, flags and recommendation, and the same as plain data for JSON. Everything here is
pure apart from :func:`load_questionnaire`, which reads a file. Reading the responses CSV is in
:mod:`syslead.assessment_csv`, and turning a report or the questionnaire into Markdown, a terminal
table, an SVG chart or HTML pages is in :mod:`syslead.assessment_report`; both import this module,
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

import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .models import FACTOR_IDS, FactorId, Id, Text
from .yamlio import load_yaml, validate_as

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
        reserved = sorted({i for i in ids if i in {RESPONDENT, ORGANISATION, *COLUMN_ALIASES}})
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
    lowest mean, then in the paper's order. So the lowest factor is always recommended: when more than three factors
    tie for lowest, all of them are (the answers single none of them out); otherwise the focus is
    never longer than three. Factors nobody answered are never recommended.
    """
    reasons: dict[str, list[Flag]] = {
        s.factor: [f for f in s.flags if f in FOCUS_FLAGS] for s in factors
    }
    lowest = [s for s in factors if "lowest" in s.flags]
    others = [s for s in factors if reasons[s.factor] and "lowest" not in s.flags]
    others.sort(key=lambda s: (-len(reasons[s.factor]), s.mean or 0.0, FACTOR_IDS.index(s.factor)))
    chosen = {s.factor for s in [*lowest, *others[: max(0, MAX_FOCUS - len(lowest))]]}
    focus = [f for f in FACTOR_IDS if f in chosen]
    return focus, {f: reasons[f] for f in focus}


def report(q: Questionnaire, responses: Sequence[Response]) -> Report:
    """The assessment report: statistics, flags and a recommended focus, overall and by organisation.

    With no answers at all (which :func:`~syslead.assessment_csv.parse_responses` refuses) every
    factor is flagged ``no-answers`` and the recommended focus is empty.
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


# --- Plain data for output ----------------------------------------------------------------------


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
