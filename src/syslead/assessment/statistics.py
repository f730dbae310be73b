"""Statistics of the responses: each factor's mean and spread, flags, and the recommended focus."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from pydantic import Field

from syslead.assessment.questionnaire import (
    DISAGREEMENT_MIN_RESPONDENTS,
    DISAGREEMENT_RANGE,
    DISAGREEMENT_SD,
    FLAGS,
    FOCUS_FLAGS,
    LOW_MEAN,
    MAX_FOCUS,
    SCALE_MAX,
    SCALE_MIN,
    TOLERANCE,
    Flag,
    Model,
    Questionnaire,
    Response,
)
from syslead.errors import SysleadError, ref
from syslead.library.models import FACTOR_IDS

# --- The report ---------------------------------------------------------------------------------


class FactorStats(Model):
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


MIN_GROUP = 3
"""No figure is shown for a group of fewer respondents than this (``--min-group``)."""
LEAST_MIN_GROUP = 2
"""The smallest group a report may show: a group of one would show one person's answers."""
OTHER_ORGANISATIONS = "Other organisations"


class OrganisationStats(Model):
    """The factor statistics for the respondents from one organisation (or several, pooled)."""

    organisation: str | None = Field(description="None for respondents who gave no organisation.")
    respondents: int
    factors: list[FactorStats]
    pooled: int = Field(
        default=0, description="How many small organisations were pooled into this group."
    )


class Difference(Model):
    """Where organisations' means for one factor lie furthest apart."""

    factor: str
    highest: str
    highest_mean: float
    lowest: str
    lowest_mean: float
    gap: float


class Report(Model):
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
    min_group: int = MIN_GROUP
    hidden_respondents: int = Field(
        default=0,
        description="Respondents whose organisation's figures are not shown, the group being small.",
    )
    differences: list[Difference] = Field(
        default_factory=list,
        description="For each factor, the organisations furthest apart, widest gap first.",
    )
    focus_left_out: dict[str, list[Flag]] = Field(
        default_factory=dict,
        description="Factors flagged for focus but left out by the cap of MAX_FOCUS, with flags.",
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
    return stats.respondent_sd >= DISAGREEMENT_SD or spread >= DISAGREEMENT_RANGE - TOLERANCE


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


def organisation_stats(
    q: Questionnaire, responses: Sequence[Response], min_group: int = MIN_GROUP
) -> tuple[list[OrganisationStats], int]:
    """Statistics for each organisation's respondents, sorted by name (not given last).

    Names that differ only in case or spacing are one organisation, shown as first spelled. An
    organisation with fewer than ``min_group`` respondents is never shown on its own: such groups
    are pooled as "Other organisations", and when even the pool is too small its respondents count
    only in the totals. Returns the groups shown and how many respondents are in no group shown.
    Empty when nobody gave an organisation, since one group of everyone would repeat the totals.
    """
    if min_group < 1:
        raise SysleadError(f"{ref('min_group')} {min_group}: must be at least 1", field="min_group")
    if not any(r.organisation for r in responses):
        return [], 0
    groups: dict[str, list[Response]] = {}
    names: dict[str, str | None] = {}
    for response in responses:
        key = _organisation_key(response.organisation)
        groups.setdefault(key, []).append(response)
        names.setdefault(key, response.organisation)
    ordered = sorted(groups, key=lambda k: (k == "", k))
    small = [key for key in ordered if len(groups[key]) < min_group]
    shown = [
        OrganisationStats(
            organisation=names[key],
            respondents=len(groups[key]),
            factors=factor_stats(q, groups[key]),
        )
        for key in ordered
        if key not in small
    ]
    pooled = [response for key in small for response in groups[key]]
    if not shown:
        return [], len(pooled)  # one pool of everyone would only repeat the totals
    if len(pooled) >= min_group:
        shown.append(
            OrganisationStats(
                organisation=OTHER_ORGANISATIONS,
                respondents=len(pooled),
                factors=factor_stats(q, pooled),
                pooled=len(small),
            )
        )
        return shown, 0
    return shown, len(pooled)


def differences(groups: Sequence[OrganisationStats]) -> list[Difference]:
    """For each factor, the two organisations shown whose means lie furthest apart.

    On a tie the group listed first is named (groups are listed by name, with respondents who
    gave no organisation, then the pool of small organisations, last).
    """
    found = []
    for index, factor in enumerate(FACTOR_IDS):
        means = [
            (mean, g.organisation or "Organisation not given")
            for g in groups
            if (mean := g.factors[index].mean) is not None
        ]
        if len(means) < 2:
            continue
        high = max(means, key=lambda m: m[0])
        low = min(means, key=lambda m: m[0])
        found.append(
            Difference(
                factor=factor,
                highest=high[1],
                highest_mean=high[0],
                lowest=low[1],
                lowest_mean=low[0],
                gap=high[0] - low[0],
            )
        )
    return sorted(found, key=lambda d: -d.gap)


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


def report(q: Questionnaire, responses: Sequence[Response], min_group: int = MIN_GROUP) -> Report:
    """The assessment report: statistics, flags and a recommended focus, overall and by organisation.

    ``min_group`` is the smallest organisation shown on its own (1 shows every organisation, for
    analysis; a report for people never goes below :data:`LEAST_MIN_GROUP`, which the command line
    enforces).

    With no answers at all (which :func:`~syslead.assessment.responses.parse_responses` refuses) every
    factor is flagged ``no-answers`` and the recommended focus is empty.
    """
    factors = factor_stats(q, responses)
    groups, hidden = organisation_stats(q, responses, min_group)
    focus, reasons = recommend(factors)
    left_out = {
        s.factor: flags
        for s in factors
        if s.factor not in focus and (flags := [f for f in s.flags if f in FOCUS_FLAGS])
    }
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
        by_organisation=groups,
        min_group=min_group,
        hidden_respondents=hidden,
        differences=differences(groups),
        flags={flag: [s.factor for s in factors if flag in s.flags] for flag in FLAGS},
        recommended_focus=focus,
        focus_reasons=reasons,
        focus_left_out=left_out,
        comments=comments,
    )


def focus_cap_note(r: Report) -> str | None:
    """A sentence saying that the focus was capped, naming what it left out; None when it was not.

    The recommended focus keeps at most :data:`MAX_FOCUS` factors, so a group flagged on four or
    five would otherwise never learn that the others were flagged too.
    """
    if not r.focus_left_out:
        return None
    flagged = len(r.recommended_focus) + len(r.focus_left_out)
    titles = {s.factor: s.title for s in r.factors}
    # The lowest factors are always in the focus, so only these two reasons can be left out.
    words = {"below-midpoint": "below the midpoint", "disagreement": "wide disagreement"}
    left = "; ".join(
        f"{titles[factor]} ({' and '.join(words[f] for f in flags)})"
        for factor, flags in r.focus_left_out.items()
    )
    return (
        f"{flagged} factors are flagged for focus, but the recommended focus keeps at most "
        f"{MAX_FOCUS} (the lowest first, then those with most reasons); also flagged: {left}"
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
                "pooled": o.pooled,
                "factors": [_factor_data(s) for s in o.factors],
            }
            for o in r.by_organisation
        ],
        "min_group": r.min_group,
        "hidden_respondents": r.hidden_respondents,
        "differences": [
            {
                "factor": d.factor,
                "highest": d.highest,
                "highest_mean": round2(d.highest_mean),
                "lowest": d.lowest,
                "lowest_mean": round2(d.lowest_mean),
                "gap": round2(d.gap),
            }
            for d in r.differences
        ],
        "flags": {k: list(v) for k, v in r.flags.items()},
        "recommended_focus": list(r.recommended_focus),
        "focus_reasons": {k: list(v) for k, v in r.focus_reasons.items()},
        "focus_left_out": {k: list(v) for k, v in r.focus_left_out.items()},
        "thresholds": {
            "disagreement_sd": DISAGREEMENT_SD,
            "disagreement_range": DISAGREEMENT_RANGE,
            "disagreement_min_respondents": DISAGREEMENT_MIN_RESPONDENTS,
            "low_mean": LOW_MEAN,
            "max_focus": MAX_FOCUS,
        },
        "comments": {k: list(v) for k, v in r.comments.items()},
    }
