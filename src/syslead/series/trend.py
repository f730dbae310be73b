"""The five factors over time: assessments stored as summaries, and the trend report.

``series assess`` keeps only each factor's figures (never anyone's answers): overall, and for each
organisation with at least ``min_group`` respondents (never fewer than two). Smaller organisations
are pooled as "other organisations", and a pool still too small is left out, with a note, so no
figure can point at one person.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from syslead.assessment.questionnaire import Questionnaire, Response
from syslead.assessment.statistics import FactorStats, factor_stats, round2
from syslead.errors import SysleadError, ref
from syslead.library.models import FACTOR_IDS
from syslead.series.programme import (
    Assessment,
    FactorSummary,
    GroupSummary,
    Series,
    replace_session,
)

MIN_GROUP = 3
"""No figure is shown for a group with fewer respondents than this (by default)."""
LEAST_GROUP = 2
"""The smallest --min-group allowed: a group of one would show that person's answers."""
OTHERS = "other organisations"


def _summary(stats: Sequence[FactorStats]) -> list[FactorSummary]:
    return [
        FactorSummary(
            factor=s.factor,
            mean=round2(s.mean),
            sd=round2(s.respondent_sd),
            min=round2(s.respondent_min),
            max=round2(s.respondent_max),
            respondents=s.respondents,
        )
        for s in stats
    ]


def _key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _groups(responses: Sequence[Response]) -> tuple[dict[str, list[Response]], dict[str, str]]:
    groups: dict[str, list[Response]] = {}
    names: dict[str, str] = {}
    for response in responses:
        groups.setdefault(_key(response.organisation), []).append(response)
        names.setdefault(_key(response.organisation), response.organisation or "not given")
    return groups, names


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def summarise(
    q: Questionnaire, responses: Sequence[Response], min_group: int = MIN_GROUP
) -> tuple[Assessment, list[str]]:
    """The stored summary of an assessment, and notes on the groups pooled or left out."""
    if min_group < LEAST_GROUP:
        raise SysleadError(
            f"{ref('min_group')} {min_group}: must be at least {LEAST_GROUP}, so that no figure shows "
            "one person's answers"
        )
    groups, names = _groups(responses)
    shown = [k for k in sorted(groups) if len(groups[k]) >= min_group]
    small = [k for k in sorted(groups) if len(groups[k]) < min_group]
    pooled = [r for k in small for r in groups[k]]
    notes: list[str] = []
    summaries = [
        GroupSummary(
            organisation=names[k],
            respondents=len(groups[k]),
            factors=_summary(factor_stats(q, groups[k])),
        )
        for k in shown
    ]
    if small and len(pooled) >= min_group and shown:
        summaries.append(
            GroupSummary(
                organisation=OTHERS,
                pooled=True,
                respondents=len(pooled),
                factors=_summary(factor_stats(q, pooled)),
            )
        )
        notes.append(
            f"{len(small)} {_plural(len(small), 'organisation', 'organisations')} with fewer than "
            f"{min_group} respondents {_plural(len(small), 'is', 'are')} shown together as "
            f"{OTHERS!r}."
        )
    elif small:
        notes.append(
            f"{len(pooled)} {_plural(len(pooled), 'respondent', 'respondents')} from organisations "
            f"with fewer than {min_group} respondents {_plural(len(pooled), 'is', 'are')} counted "
            "in the totals only: too few to show as a group."
        )
    assessment = Assessment(
        respondents=len(responses),
        min_group=min_group,
        factors=_summary(factor_stats(q, responses)),
        by_organisation=summaries if len(groups) > 1 else [],
    )
    return assessment, notes


def store(series: Series, number: int, assessment: Assessment) -> Series:
    """The series with the assessment stored at session ``number`` (replacing any earlier one)."""
    series.session(number)
    return replace_session(series, number, assessment=assessment)


def differences(assessment: Assessment) -> list[dict[str, Any]]:
    """For each factor, the organisations with the highest and lowest means, widest gap first.

    On a tie the organisation stored first is named.
    """
    found = []
    for factor in FACTOR_IDS:
        means = [
            (g.organisation, mean)
            for g in assessment.by_organisation
            for f in g.factors
            if f.factor == factor and (mean := f.mean) is not None
        ]
        if len(means) < 2:
            continue
        high = max(means, key=lambda m: m[1])
        low = min(means, key=lambda m: m[1])
        gap = round2(high[1] - low[1])
        found.append({"factor": factor, "highest": high[0], "lowest": low[0], "gap": gap})
    return sorted(found, key=lambda d: -d["gap"])


def trend_data(series: Series) -> dict[str, Any]:
    """Every stored assessment, in session order, as plain data (the JSON of series report)."""
    return {
        "title": series.title,
        "assessments": [
            {
                "session": s.number,
                "date": s.date.isoformat(),
                **s.assessment.model_dump(mode="json"),
                "differences": differences(s.assessment),
            }
            for s in series.sessions
            if s.assessment is not None
        ],
    }


def trend_json(series: Series) -> str:
    """The trend as indented JSON."""
    return json.dumps(trend_data(series), indent=2, ensure_ascii=False)


def _cell(f: dict[str, Any] | None) -> str:
    if f is None or f["mean"] is None:
        return "-"
    return f"{f['mean']:.2f}" + (f" ± {f['sd']:.2f}" if f["sd"] is not None else "")


def trend_md(series: Series) -> str:
    """Each factor's mean and spread at every assessment, then each assessment's organisations."""
    from syslead.markup import md

    data = trend_data(series)["assessments"]
    lines = [f"# {md(series.title)}: the five factors over time", ""]
    if not data:
        return "\n".join([*lines, "No assessment is stored yet (syslead series assess).", ""])
    lines += [
        "Each factor's mean (1 to 5) and the spread between people (standard deviation), at each",
        "session where the group took the self-assessment.",
        "",
        "| Factor | " + " | ".join(f"Session {a['session']}" for a in data) + " |",
        "|---|" + "---|" * len(data),
    ]
    for factor in FACTOR_IDS:
        cells = [
            _cell(next((f for f in a["factors"] if f["factor"] == factor), None)) for a in data
        ]
        lines.append(f"| {factor} | " + " | ".join(cells) + " |")
    lines.append("| respondents | " + " | ".join(str(a["respondents"]) for a in data) + " |")
    for a in data:
        if not a["by_organisation"]:
            continue
        lines += ["", f"## Session {a['session']} by organisation", ""]
        lines += ["| Organisation | Respondents | " + " | ".join(FACTOR_IDS) + " |"]
        lines += ["|---|---|" + "---|" * len(FACTOR_IDS)]
        for g in a["by_organisation"]:
            cells = [
                _cell(next((f for f in g["factors"] if f["factor"] == x), None)) for x in FACTOR_IDS
            ]
            lines.append(
                f"| {md(g['organisation'])} | {g['respondents']} | " + " | ".join(cells) + " |"
            )
        if a["differences"]:
            d = a["differences"][0]
            lines += [
                "",
                f"Organisations differ most on {d['factor']}: {md(d['highest'])} is highest and "
                f"{md(d['lowest'])} lowest, {d['gap']:.2f} apart. A split along organisational "
                "lines is itself a finding.",
            ]
        lines += [
            "",
            f"No organisation with fewer than {a['min_group']} respondents is shown on its own.",
        ]
    lines.append("")
    return "\n".join(lines)


COLOURS = ("#1b6ca8", "#b5651d", "#2e7d32", "#6a1b9a", "#c62828")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")


def trend_svg(series: Series) -> str:
    """An inline SVG line chart: one line per factor, mean against session."""
    data = trend_data(series)["assessments"]
    width, height, left, right, top, bottom = 640, 320, 48, 170, 20, 40
    inner_w, inner_h = width - left - right, height - top - bottom
    count = max(1, len(data) - 1)

    def x(i: int) -> float:
        return left + (inner_w * i / count if len(data) > 1 else inner_w / 2)

    def y(mean: float) -> float:
        return top + inner_h * (5 - mean) / 4

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="trend-title"><title id="trend-title">'
        f"{html.escape(series.title)}: each factor's mean at each assessment</title>"
    ]
    for score in range(1, 6):
        parts.append(
            f'<line x1="{left}" x2="{left + inner_w}" y1="{y(score):.1f}" y2="{y(score):.1f}" '
            f'stroke="#ccc"/><text x="{left - 8}" y="{y(score) + 4:.1f}" text-anchor="end" '
            f'font-size="12">{score}</text>'
        )
    for i, a in enumerate(data):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="middle" font-size="12">'
            f"Session {a['session']}</text>"
        )
    for n, factor in enumerate(FACTOR_IDS):
        points = [
            (x(i), y(f["mean"]))
            for i, a in enumerate(data)
            for f in a["factors"]
            if f["factor"] == factor and f["mean"] is not None
        ]
        if not points:
            continue
        dash = f' stroke-dasharray="{DASHES[n]}"' if DASHES[n] else ""
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(
            f'<polyline class="factor-line" data-factor="{factor}" points="{path}" fill="none" '
            f'stroke="{COLOURS[n]}" stroke-width="2.5"{dash}/>'
        )
        parts += [
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{COLOURS[n]}"/>'
            for px, py in points
        ]
        ly = top + 14 + n * 20
        parts.append(
            f'<line x1="{width - right + 12}" x2="{width - right + 36}" y1="{ly - 4}" '
            f'y2="{ly - 4}" stroke="{COLOURS[n]}" stroke-width="2.5"{dash}/>'
            f'<text x="{width - right + 42}" y="{ly}" font-size="12">{factor}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_html(series: Series) -> str:
    """The trend as a self-contained page with the line chart after the title."""
    from syslead.documents.pages import html_page

    page = html_page(f"{series.title}: the five factors over time", trend_md(series))
    figure = (
        '<figure class="trend-chart">' + trend_svg(series) + "<figcaption>Each factor's mean "
        "(1 to 5) at each session where the group took the self-assessment.</figcaption></figure>"
    )
    marker = "</h1>"
    at = page.find(marker)
    return page[: at + len(marker)] + figure + page[at + len(marker) :] if at >= 0 else page
