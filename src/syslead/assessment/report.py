"""Presenting the self-assessment to people: the printable questionnaire and the report.

The figures come from :mod:`syslead.assessment.statistics`; this module only lays them out: as Markdown (for
handouts, and as the source of the HTML pages), as a rich table for the terminal, as an SVG bar
chart, and as self-contained printable HTML pages. Keeping presentation here leaves the core free
of layout, and the core never imports this module. Rich, markupsafe and the template machinery
are imported inside the functions that use them, so importing this module stays cheap.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from syslead.assessment.questionnaire import (
    DISAGREEMENT_MIN_RESPONDENTS,
    DISAGREEMENT_RANGE,
    DISAGREEMENT_SD,
    LOW_MEAN,
    SCALE_MAX,
    SCALE_MIN,
    Flag,
    Questionnaire,
)
from syslead.assessment.statistics import OTHER_ORGANISATIONS, FactorStats, Report, round2
from syslead.markup import md, md_block

if TYPE_CHECKING:
    from rich.console import Group, RenderableType
    from rich.table import Table

    from syslead.documents.templating import Environments

FLAG_WORDS: dict[str, str] = {
    "lowest": "lowest",
    "below-midpoint": "below midpoint",
    "disagreement": "wide disagreement",
    "no-answers": "no answers",
}


# --- The printable questionnaire ----------------------------------------------------------------


def questionnaire_md(q: Questionnaire) -> str:
    """A printable form in Markdown: instructions, the scale, then one table per factor.

    Which statements are reverse-scored is deliberately not shown: knowing it would change how
    people answer. Statement ids are shown so that answers can be typed into the CSV template;
    the printed page leaves them out, and gives each optional question a box to write in (the
    ``> Your answer:`` quote).
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
            parts.append(f"**{md(ft.text)}** (optional) `{ft.id}`\n")
            parts.append("> Your answer:\n")
    parts.append(f"*Source: {md(q.source)}*\n")
    return "\n".join(parts)


# --- Report output ------------------------------------------------------------------------------


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
        "| Factor | Mean | Bar | SD | Min–max | n | People | People's means | SD between people "
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


def _confidentiality_note(r: Report) -> str:
    """What the report leaves out, so that no figure shows a small group's answers."""
    note = (
        f"No figure is shown for an organisation with fewer than {r.min_group} respondents "
        "(--min-group)"
    )
    pooled = sum(o.pooled for o in r.by_organisation)
    if pooled:
        note += f"; {pooled} such organisations are pooled as {OTHER_ORGANISATIONS.lower()}"
    if r.hidden_respondents:
        people = r.hidden_respondents
        note += (
            f"; {people} respondent{'s' if people != 1 else ''} from smaller organisations "
            "count in the totals only"
        )
    return note + "."


def _organisation_parts(r: Report, titles: dict[str, str]) -> list[str]:
    """The report's sections by organisation: the confidentiality note, differences, each group."""
    parts: list[str] = []
    if r.by_organisation or r.hidden_respondents:
        parts.append("## By organisation\n")
        parts.append(_confidentiality_note(r) + "\n")
    if r.by_organisation:
        for o in r.by_organisation:
            name = md(o.organisation) if o.organisation else "Organisation not given"
            size = f"{o.respondents} respondent{'s' if o.respondents != 1 else ''}"
            if o.pooled:
                size += f", from {o.pooled} organisations"
            if o.respondents == 1:
                size += ": these figures are one person's answers"
            parts.append(f"### {name} ({size})\n")
            parts.append(_stats_table(o.factors) + "\n")
    if r.differences:
        parts.append("## Where organisations differ most\n")
        parts.append(
            "A split along organisational lines is itself a finding: these are the factors on "
            "which the organisations shown lie furthest apart, widest first.\n"
        )
        parts.append(
            "\n".join(
                f"- **{md(titles.get(d.factor, d.factor))}**: {md(d.highest)} "
                f"{_fmt(d.highest_mean)}, {md(d.lowest)} {_fmt(d.lowest_mean)} "
                f"(a gap of {_fmt(d.gap)})"
                for d in r.differences
            )
            + "\n"
        )
    return parts


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
    parts += _organisation_parts(r, titles)
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


def _factor_table(r: Report, bar_column: bool, spread: bool) -> Table:
    """One row per factor; ``bar_column`` and ``spread`` (min-max and n) may be left out."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    who = f"{r.respondents} respondent{'s' if r.respondents != 1 else ''}"
    left_out = [] if spread else ["min-max and n are left out at this width"]
    table = Table(
        title=f"Five-factor self-assessment: {who}",
        title_justify="left",
        caption=f"Scores run from {SCALE_MIN} to {SCALE_MAX}, higher is better. Mean, sd, min-max "
        "and n pool every answer (n counts answers, not people); people sd is the standard "
        "deviation of each respondent's own mean, which is what wide disagreement is judged on."
        + "".join(f" ({note}.)" for note in left_out),
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    table.add_column("factor", min_width=10)
    table.add_column("mean", justify="right", no_wrap=True)
    if bar_column:
        table.add_column(_scale_ruler(), no_wrap=True, min_width=BAR_WIDTH + 1)
    table.add_column("sd", justify="right", no_wrap=True)
    if spread:
        table.add_column("min-max", justify="center", no_wrap=True)
        table.add_column("n", justify="right", no_wrap=True)
    table.add_column("people sd", justify="right", min_width=6)
    table.add_column("flags", min_width=12)
    for s in r.factors:
        cells: list[RenderableType] = [Text(s.title), _fmt(s.mean)]
        if bar_column:
            cells.append(bar(s.mean, BAR_WIDTH))
        cells.append(_fmt(s.sd))
        if spread:
            cells += ["—" if s.min is None else f"{s.min}-{s.max}", str(s.n)]
        cells += [_fmt(s.respondent_sd), Text(", ".join(FLAG_WORDS[f] for f in s.flags))]
        table.add_row(*cells)
    return table


def _organisations_table(r: Report, numbered: bool = False) -> Table:
    """One row per organisation: its people and its mean for each factor, with flag marks.

    ``numbered`` heads the factor columns with their numbers, named in the caption, for a
    narrow terminal.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    legend = ", ".join(f"{mark} {FLAG_WORDS[flag]}" for flag, mark in FLAG_MARKS.items())
    legend += ", — no answers"
    names = "; ".join(
        f"{n} {SHORT_TITLES.get(s.factor, s.title)}" for n, s in enumerate(r.factors, 1)
    )
    orgs = Table(
        title="By organisation (means)",
        title_justify="left",
        caption=(f"Factors: {names}. " if numbered else "")
        + f"Flags: {legend}. "
        + (
            "An organisation with one respondent shows one person's answers."
            if r.min_group < 2
            else f"Organisations with fewer than {r.min_group} respondents are pooled or left out."
        ),
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    orgs.add_column("organisation", min_width=12)
    orgs.add_column("people", justify="right", no_wrap=True)
    for number, s in enumerate(r.factors, 1):
        if numbered:
            orgs.add_column(str(number), justify="right")
        else:
            orgs.add_column(Text(SHORT_TITLES.get(s.factor, s.title)), justify="right", min_width=8)
    for o in r.by_organisation:
        orgs.add_row(
            Text(o.organisation or "(not given)"),
            str(o.respondents),
            *(_org_cell(s) for s in o.factors),
        )
    return orgs


def report_table(r: Report) -> Group:
    """A rich renderable of the report, readable in a plain terminal without colour.

    First a table with one row per factor: the mean with a bar drawn in block characters on the
    1-5 scale (the heading marks where each point falls), the spread of all answers, the spread
    between people and the flags in words. Then, when respondents gave organisations, one row per
    organisation with its mean for each factor and one-letter flag marks (explained in a caption).
    Last, the recommended focus with the reason for each factor. No word is split across lines:
    on a narrow terminal the bar goes first, then the pooled spread (see :mod:`syslead.terminal`).
    """
    from rich.console import Group
    from rich.text import Text

    from syslead.terminal import Fitted

    parts: list[RenderableType] = [
        Fitted(
            _factor_table(r, bar_column=True, spread=True),
            _factor_table(r, bar_column=True, spread=False),
            _factor_table(r, bar_column=False, spread=False),
        )
    ]
    if r.by_organisation:
        parts += [
            Text(""),
            Fitted(_organisations_table(r), _organisations_table(r, numbered=True)),
        ]
    elif r.hidden_respondents:
        parts += [Text(""), Text(_confidentiality_note(r))]
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


def report_html(r: Report, env: Environments | None = None, paper: str = "a4") -> str:
    """The report as a self-contained, printable HTML page, with the chart after the title.

    ``env`` holds the template environments (the built-in templates by default); ``paper`` is
    ``a4`` or ``letter``. The page is built like :func:`syslead.documents.pages.html_page` builds one, from the same Markdown as
    :func:`report_md` and the same ``page.html.j2`` template, but with the chart's own caption.
    """
    from markupsafe import Markup

    from syslead.documents.pages import PAPER, markdown_to_html
    from syslead.documents.templating import environments, render_template

    env = env or environments()
    figure = (
        '<figure class="assessment-chart">\n'
        + report_svg(r)
        + f"\n<figcaption>{html.escape(CHART_CAPTION)}</figcaption>\n</figure>"
    )
    context = {
        "title": REPORT_TITLE,
        "kind": "assessment",
        "paper": PAPER[paper],
        # markdown-it escaped every piece of text; the chart was built with html.escape.
        "body": Markup(markdown_to_html(report_md(r), figure)),
    }
    return render_template(env.html, "page.html.j2", context)


def questionnaire_html(q: Questionnaire, env: Environments | None = None, paper: str = "a4") -> str:
    """The printable form as a self-contained HTML page (A4 when printed).

    It is :func:`questionnaire_md` rendered: for each factor a table with one row per statement,
    its id, its text and five tick boxes, one per scale point, so a row never splits across pages
    and the tick columns stay narrow beside the statement's text.
    """
    from syslead.documents.pages import html_page

    return html_page(q.title, questionnaire_md(q), env, kind="questionnaire", paper=paper)
