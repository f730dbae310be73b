"""The figures a series stores from a self-assessment, worked out by hand, and the trend report
read as data: its JSON, its Markdown tables (markdown-it) and the chart's lines (html.parser)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from syslead.assessment.questionnaire import Questionnaire, Response, load_questionnaire
from syslead.errors import SysleadError
from syslead.series.programme import Series, new_series
from syslead.series.trend import (
    store,
    summarise,
    trend_data,
    trend_html,
    trend_json,
    trend_md,
    trend_svg,
)

Q: Questionnaire = load_questionnaire()
CODES = {"sp": "shared-purpose", "pc": "personal-contact", "cf": "conflict"}
CODES |= {"al": "altruism", "lt": "long-term"}


def person(organisation: str, sp: int, pc: int, cf: int, al: int, lt: int) -> Response:
    """Someone who holds one view per factor: each statement scores it (reverse ones 6 - view)."""
    views = {"shared-purpose": sp, "personal-contact": pc, "conflict": cf}
    views |= {"altruism": al, "long-term": lt}
    return Response(
        organisation=organisation,
        answers={
            st.id: 6 - views[factor] if st.reverse else views[factor] for factor, st in Q.statements
        },
    )


FIRST = [
    person("Trust", 4, 3, 1, 4, 5),
    person("Trust", 4, 3, 2, 4, 5),
    person("Trust", 5, 3, 3, 4, 5),
    person("Council", 2, 3, 4, 4, 5),
    person(" council", 2, 3, 4, 4, 5),
    person("Hospice", 3, 3, 4, 4, 5),
]


def figures(factors: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [
        (f["factor"], f["mean"], f["sd"], f["min"], f["max"], f["respondents"]) for f in factors
    ]


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(SysleadError) as caught:
        call()
    return str(caught.value)


def test_the_stored_summary_against_figures_worked_by_hand() -> None:
    """Six people. sp views 4 4 5 2 2 3: mean 10/3; squares of deviations 66/9, so the spread
    between people is sqrt(66/9 / 5) = 1.2111. cf views 1 2 3 4 4 4: mean 3, squares 8, spread
    sqrt(8 / 5) = 1.2649. The Trust (3) is shown; the Council (2, "Council" and " council") and
    the Hospice (1) are pooled as other organisations (3)."""
    summary, notes = summarise(Q, FIRST)
    data = summary.model_dump(mode="json")
    assert (data["respondents"], data["min_group"]) == (6, 3)
    assert figures(data["factors"]) == [
        ("shared-purpose", 3.33, 1.21, 2.0, 5.0, 6),
        ("personal-contact", 3.0, 0.0, 3.0, 3.0, 6),
        ("conflict", 3.0, 1.26, 1.0, 4.0, 6),
        ("altruism", 4.0, 0.0, 4.0, 4.0, 6),
        ("long-term", 5.0, 0.0, 5.0, 5.0, 6),
    ]
    trust, others = data["by_organisation"]
    assert (trust["organisation"], trust["pooled"], trust["respondents"]) == ("Trust", False, 3)
    # sp 4 4 5: mean 13/3, spread sqrt(1/3); cf 1 2 3: mean 2, spread 1.
    assert figures(trust["factors"]) == [
        ("shared-purpose", 4.33, 0.58, 4.0, 5.0, 3),
        ("personal-contact", 3.0, 0.0, 3.0, 3.0, 3),
        ("conflict", 2.0, 1.0, 1.0, 3.0, 3),
        ("altruism", 4.0, 0.0, 4.0, 4.0, 3),
        ("long-term", 5.0, 0.0, 5.0, 5.0, 3),
    ]
    assert (others["organisation"], others["pooled"], others["respondents"]) == (
        "other organisations",
        True,
        3,
    )
    # sp 2 2 3: mean 7/3, spread sqrt(1/3); cf 4 4 4.
    assert figures(others["factors"]) == [
        ("shared-purpose", 2.33, 0.58, 2.0, 3.0, 3),
        ("personal-contact", 3.0, 0.0, 3.0, 3.0, 3),
        ("conflict", 4.0, 0.0, 4.0, 4.0, 3),
        ("altruism", 4.0, 0.0, 4.0, 4.0, 3),
        ("long-term", 5.0, 0.0, 5.0, 5.0, 3),
    ]
    assert notes == [
        "2 organisations with fewer than 3 respondents are shown together as 'other organisations'."
    ]
    assert "answers" not in json.dumps(data)


def test_small_groups_at_two_and_the_notes_in_the_singular_and_plural() -> None:
    two, notes = summarise(Q, FIRST, min_group=2)
    assert two.min_group == 2
    assert [(g.organisation, g.respondents, g.pooled) for g in two.by_organisation] == [
        ("Council", 2, False),
        ("Trust", 3, False),
    ]
    assert notes == [
        "1 respondent from organisations with fewer than 2 respondents is counted in the totals "
        "only: too few to show as a group."
    ]
    _, notes = summarise(Q, FIRST[:3] + FIRST[5:], min_group=3)
    assert notes == [
        "1 respondent from organisations with fewer than 3 respondents is counted in the totals "
        "only: too few to show as a group."
    ]
    four, notes = summarise(Q, FIRST, min_group=4)
    assert (four.by_organisation, four.respondents) == ([], 6)
    assert notes == [
        "6 respondents from organisations with fewer than 4 respondents are counted in the "
        "totals only: too few to show as a group."
    ]
    _, notes = summarise(Q, [*FIRST, person("Clinic", 1, 1, 1, 1, 1)])
    assert notes == [
        "3 organisations with fewer than 3 respondents are shown together as 'other organisations'."
    ]
    one, notes = summarise(Q, FIRST[:3])
    assert (one.by_organisation, notes) == ([], [])  # one organisation: the totals say it all
    assert refusal(lambda: summarise(Q, FIRST, min_group=1)) == (
        "min_group 1: must be at least 2, so that no figure shows one person's answers"
    )


def programme() -> Series:
    """Four sessions; assessments at sessions 1 and 3 (the second: the Trust alone, all 4s)."""
    series = new_series(title="Northshire <leaders>", start=dt.date(2027, 2, 5), count=4)
    series = store(series, 1, summarise(Q, FIRST)[0])
    return store(series, 3, summarise(Q, [person("Trust", 4, 4, 4, 4, 4)] * 3)[0])


def test_store_replaces_an_earlier_assessment_and_names_a_session_out_of_range() -> None:
    series = programme()
    again = store(series, 3, summarise(Q, FIRST)[0])
    assert [s.assessment.respondents if s.assessment else None for s in again.sessions] == [
        6,
        None,
        6,
        None,
    ]
    assert refusal(lambda: store(series, 5, summarise(Q, FIRST)[0])) == (
        "session 5 is out of range: this series has sessions 1 to 4"
    )


def test_the_report_json_lists_each_assessment_with_its_differences() -> None:
    data = trend_data(programme())
    assert data["title"] == "Northshire <leaders>"
    first, second = data["assessments"]
    assert (first["session"], first["date"], second["session"], second["date"]) == (
        1,
        "2027-02-05",
        3,
        "2027-04-30",
    )
    # Trust against the pool: sp 4.33 - 2.33 and cf 4 - 2, two points each; the others agree
    # (no gap, the first group named both highest and lowest). Widest first, then factor order.
    assert [(d["factor"], d["highest"], d["lowest"], d["gap"]) for d in first["differences"]] == [
        ("shared-purpose", "Trust", "other organisations", 2.0),
        ("conflict", "other organisations", "Trust", 2.0),
        ("personal-contact", "Trust", "Trust", 0.0),
        ("altruism", "Trust", "Trust", 0.0),
        ("long-term", "Trust", "Trust", 0.0),
    ]
    assert second["differences"] == []
    assert second["by_organisation"] == []
    assert figures(second["factors"])[0] == ("shared-purpose", 4.0, 0.0, 4.0, 4.0, 3)


def table_rows(md: str) -> list[list[list[str]]]:
    """Every table in the Markdown, as rows of cell texts (header row first)."""
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    inline = False
    for token in MarkdownIt("commonmark").enable("table").parse(md):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            tables[-1].append(row)
        elif token.type in ("th_open", "td_open"):
            inline = True
        elif token.type == "inline" and inline and row is not None:
            row.append(token.content)
            inline = False
    return tables


def test_the_markdown_report_reads_as_tables() -> None:
    text = trend_md(programme())
    overall, trust = table_rows(text)
    assert overall == [
        ["Factor", "Session 1", "Session 3"],
        ["shared-purpose", "3.33 ± 1.21", "4.00 ± 0.00"],
        ["personal-contact", "3.00 ± 0.00", "4.00 ± 0.00"],
        ["conflict", "3.00 ± 1.26", "4.00 ± 0.00"],
        ["altruism", "4.00 ± 0.00", "4.00 ± 0.00"],
        ["long-term", "5.00 ± 0.00", "4.00 ± 0.00"],
        ["respondents", "6", "3"],
    ]
    assert trust == [
        ["Organisation", "Respondents", *CODES.values()],
        ["Trust", "3", "4.33 ± 0.58", "3.00 ± 0.00", "2.00 ± 1.00", "4.00 ± 0.00", "5.00 ± 0.00"],
        [
            "other organisations",
            "3",
            "2.33 ± 0.58",
            "3.00 ± 0.00",
            "4.00 ± 0.00",
            "4.00 ± 0.00",
            "5.00 ± 0.00",
        ],
    ]
    assert text.startswith("# Northshire \\<leaders\\>: the five factors over time\n")
    assert "## Session 1 by organisation" in text
    assert "## Session 3 by organisation" not in text
    assert (
        "Organisations differ most on shared-purpose: Trust is highest and other organisations "
        "lowest, 2.00 apart."
    ) in text
    assert "No organisation with fewer than 3 respondents is shown on its own." in text
    empty = trend_md(new_series(title="T", start=dt.date(2027, 2, 5), count=2))
    assert empty == (
        "# T: the five factors over time\n\nNo assessment is stored yet (syslead series assess).\n"
    )


class Chart(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, str] = {}
        self.labels: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "polyline":
            self.lines[found["data-factor"] or ""] = found["points"] or ""
        self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "text" and data.startswith("Session"):
            self.labels.append(data)
        if self._in == "title":
            self.title += data


def test_the_chart_draws_each_factors_mean_at_each_session() -> None:
    """The plot runs from x 48 to 470 and from y 20 (a mean of 5) to 280 (a mean of 1): a mean m
    sits at y = 20 + 65 (5 - m). Session 1 is at the left edge, session 3 at the right."""
    chart = Chart()
    chart.feed(trend_svg(programme()))
    assert chart.title == "Northshire <leaders>: each factor's mean at each assessment"
    assert chart.labels == ["Session 1", "Session 3"]
    assert chart.lines["personal-contact"] == "48.0,150.0 470.0,85.0"
    assert chart.lines["conflict"] == "48.0,150.0 470.0,85.0"
    assert chart.lines["altruism"] == "48.0,85.0 470.0,85.0"
    assert chart.lines["long-term"] == "48.0,20.0 470.0,85.0"
    assert len(chart.lines["shared-purpose"].split()) == 2
    stored = programme().sessions[0].assessment
    assert stored is not None
    one = Chart()
    one.feed(trend_svg(store(new_series(title="T", start=dt.date(2027, 2, 5)), 1, stored)))
    assert one.lines["long-term"] == "259.0,20.0"  # a single assessment sits in the middle


class Shapes(HTMLParser):
    """Every element of an SVG with its attributes, and the text inside each <text>."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[dict[str, str | None], str]] = []
        self._text: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._text = dict(attrs) if tag == "text" else None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self.texts.append((self._text, data))
            self._text = None

    def of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]


def style(attrs: dict[str, str | None]) -> tuple[str | None, str | None, str | None]:
    return attrs.get("stroke"), attrs.get("stroke-width"), attrs.get("stroke-dasharray")


def test_the_chart_has_a_scale_labels_and_a_legend_that_matches_its_lines() -> None:
    """640 by 320: the scale 1 to 5 at y 280, 215, 150, 85 and 20 from x 48 to 470, numbered at
    x 40; sessions named under the plot at y 306; the legend at x 482 to 506, one line each
    20 apart from y 30, styled as its factor's line, named at x 512."""
    series = programme()
    stored = series.sessions[0].assessment
    assert stored is not None
    no_lt = stored.model_copy(
        update={"factors": [f for f in stored.factors if f.factor != "long-term"]}
    )
    shapes = Shapes()
    shapes.feed(trend_svg(store(series, 1, no_lt)))
    (root,) = shapes.of("svg")
    assert (root["viewbox"], root["role"], root["aria-labelledby"]) == (
        "0 0 640 320",
        "img",
        "trend-title",
    )
    grid = [a for a in shapes.of("line") if a.get("stroke") == "#ccc"]
    assert [(a["x1"], a["x2"], a["y1"], a["y2"]) for a in grid] == [
        ("48", "470", y, y) for y in ("280.0", "215.0", "150.0", "85.0", "20.0")
    ]
    numbers = [(t["x"], t["y"], t["text-anchor"], s) for t, s in shapes.texts if s.isdigit()]
    assert numbers == [
        ("40", y, "end", str(n))
        for n, y in zip(range(1, 6), ("284.0", "219.0", "154.0", "89.0", "24.0"), strict=True)
    ]
    sessions = [
        (t["x"], t["y"], t["text-anchor"], s) for t, s in shapes.texts if s.startswith("Session")
    ]
    assert sessions == [
        ("48.0", "306", "middle", "Session 1"),
        ("470.0", "306", "middle", "Session 3"),
    ]
    lines = {a["data-factor"]: a for a in shapes.of("polyline")}
    # Long-term had a mean only at session 3 now: one point, still a line and a legend entry.
    assert list(lines) == list(CODES.values())
    assert all((a["fill"], a["class"]) == ("none", "factor-line") for a in lines.values())
    legend = [a for a in shapes.of("line") if a.get("stroke") != "#ccc"]
    names = [(t["x"], t["y"], s) for t, s in shapes.texts if s in lines]
    assert names == [("512", str(34 + 20 * n), f) for n, f in enumerate(lines)]
    assert [(a["x1"], a["x2"], a["y1"], a["y2"]) for a in legend] == [
        ("482", "506", str(30 + 20 * n), str(30 + 20 * n)) for n in range(5)
    ]
    assert [style(a) for a in legend] == [style(a) for a in lines.values()]
    assert len({a["stroke"] for a in legend}) == 5
    assert len({a.get("stroke-dasharray") for a in legend}) == 5  # told apart in black and white
    assert lines["shared-purpose"].get("stroke-dasharray") is None  # the first is solid
    assert all(a["stroke-width"] == "2.5" for a in legend)
    # A dot at every point, in its line's colour.
    dots = shapes.of("circle")
    for factor, line in lines.items():
        points = [p.split(",") for p in (line["points"] or "").split()]
        mine = [(d["cx"], d["cy"]) for d in dots if d["fill"] == line["stroke"]]
        assert mine == [(x, y) for x, y in points], factor
    assert all(d["r"] == "3.5" for d in dots)


def test_a_factor_nobody_answered_at_any_assessment_has_no_line() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    only = summarise(Q, FIRST)[0]
    only = only.model_copy(update={"factors": [f for f in only.factors if f.factor != "altruism"]})
    shapes = Shapes()
    shapes.feed(trend_svg(store(series, 1, only)))
    assert "altruism" not in [a["data-factor"] for a in shapes.of("polyline")]
    assert "altruism" not in [s for _, s in shapes.texts]


def test_the_page_puts_the_chart_after_the_title_and_the_json_keeps_accents() -> None:
    series = store(
        new_series(title="Équipe", start=dt.date(2027, 2, 5), count=2), 1, summarise(Q, FIRST)[0]
    )
    page = trend_html(series)
    title_end = page.index("</h1>")
    assert page[title_end + len("</h1>") :].startswith('<figure class="trend-chart"><svg ')
    assert (
        "<figcaption>Each factor's mean (1 to 5) at each session where the group took the "
        "self-assessment.</figcaption></figure>"
    ) in page
    assert page.count("<svg") == 1
    assert page.count("</h1>") == 1
    text = trend_json(series)
    assert text.startswith(
        '{\n  "title": "Équipe",\n  "assessments": [\n    {\n      "session": 1,'
    )
    assert json.loads(text) == trend_data(series)


def test_missing_figures_show_as_a_dash_and_two_organisations_are_both_shown() -> None:
    """The Trust and the Council, three each; the Council left shared purpose blank, so sp has
    one organisation's mean (no difference to report) and pc the next one does. A respondent
    without an organisation is grouped as "not given"."""
    trust = [person("Trust", 4, 4, 4, 4, 4)] * 3
    council = [
        Response(
            organisation="Council",
            answers={st.id: 2 for f, st in Q.statements if f != "shared-purpose" and not st.reverse}
            | {st.id: 4 for f, st in Q.statements if f != "shared-purpose" and st.reverse},
        )
    ] * 3
    summary, notes = summarise(Q, trust + council)
    assert ([g.organisation for g in summary.by_organisation], notes) == (["Council", "Trust"], [])
    series = store(new_series(title="T", start=dt.date(2027, 2, 5), count=2), 1, summary)
    (data,) = trend_data(series)["assessments"]
    assert [(d["factor"], d["gap"]) for d in data["differences"]] == [
        ("personal-contact", 2.0),
        ("conflict", 2.0),
        ("altruism", 2.0),
        ("long-term", 2.0),
    ]
    _, by_org = table_rows(trend_md(series))
    assert by_org[1][:4] == ["Council", "3", "-", "2.00 ± 0.00"]
    unnamed, _ = summarise(Q, [person("", 3, 3, 3, 3, 3)] * 3 + trust)
    assert [g.organisation for g in unnamed.by_organisation] == ["not given", "Trust"]
    no_spread = summary.model_copy(
        update={"factors": [f.model_copy(update={"sd": None}) for f in summary.factors]}
    )
    overall, _ = table_rows(trend_md(store(series, 1, no_spread)))
    assert overall[2] == ["personal-contact", "3.00"]


def test_an_edited_file_without_a_factor_shows_a_dash_and_every_assessment_keeps_its_table() -> (
    None
):
    """Session 1's assessment has no organisations shown; session 3's has two, and someone took
    long-term out of the file by hand: its cells read "-", nothing fails."""
    first = summarise(Q, [person("Trust", 4, 4, 4, 4, 4)] * 3)[0]
    later = summarise(Q, FIRST)[0]
    later = later.model_copy(
        update={
            "factors": [f for f in later.factors if f.factor != "long-term"],
            "by_organisation": [
                g.model_copy(update={"factors": [f for f in g.factors if f.factor != "long-term"]})
                for g in later.by_organisation
            ],
        }
    )
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=3)
    series = store(store(series, 1, first), 3, later)
    text = trend_md(series)
    overall, by_org = table_rows(text)
    assert overall[-2] == ["long-term", "4.00 ± 0.00", "-"]
    assert [row[-1] for row in by_org] == ["long-term", "-", "-"]
    assert "## Session 3 by organisation\n\n| Organisation |" in text
    assert text.endswith("No organisation with fewer than 3 respondents is shown on its own.\n")


def test_organisations_are_stored_in_name_order_as_a_person_reads_it() -> None:
    """ "North Trust" before "Northern Council" (a space sorts before a letter), case aside."""
    responses = [person("Northern Council", 3, 3, 3, 3, 3)] * 3
    responses += [person("north trust", 4, 4, 4, 4, 4)] + [person("North Trust", 4, 4, 4, 4, 4)] * 2
    summary, _ = summarise(Q, responses)
    assert [(g.organisation, g.respondents) for g in summary.by_organisation] == [
        ("north trust", 3),
        ("Northern Council", 3),
    ]


def test_differences_put_a_small_gap_before_none() -> None:
    """Gaps of 2, 0.5 and 0 come in that order (a gap of none is still listed, last)."""
    trust = [person("Trust", 4, 3, 3, 3, 3)] * 3
    council = [person("Council", 2, 3, 3, 3, 3)] * 3 + [person("Council", 2, 5, 3, 3, 3)]
    series = store(
        new_series(title="T", start=dt.date(2027, 2, 5), count=2),
        1,
        summarise(Q, trust + council)[0],
    )
    (data,) = trend_data(series)["assessments"]
    assert [(d["factor"], d["gap"]) for d in data["differences"]] == [
        ("shared-purpose", 2.0),
        ("personal-contact", 0.5),
        ("conflict", 0.0),
        ("altruism", 0.0),
        ("long-term", 0.0),
    ]


def test_three_assessments_spread_across_the_chart_and_the_page_is_titled() -> None:
    series = new_series(title="Northshire", start=dt.date(2027, 2, 5), count=5)
    for number in (1, 3, 5):
        series = store(series, number, summarise(Q, FIRST)[0])
    svg = trend_svg(series)
    assert svg.endswith("</svg>")
    shapes = Shapes()
    shapes.feed(svg)
    labels = [(t["x"], s) for t, s in shapes.texts if s.startswith("Session")]
    assert labels == [("48.0", "Session 1"), ("259.0", "Session 3"), ("470.0", "Session 5")]
    solid = {a["data-factor"]: a for a in shapes.of("polyline")}["shared-purpose"]
    assert set(solid) == {"class", "data-factor", "points", "fill", "stroke", "stroke-width"}
    page = trend_html(series)
    assert "<title>Northshire: the five factors over time</title>" in page
    text = trend_md(series)
    assert (
        "Each factor's mean (1 to 5) and the spread between people (standard deviation), at each\n"
        "session where the group took the self-assessment.\n\n| Factor |"
    ) in text
    assert (
        "Organisations differ most on shared-purpose: Trust is highest and other organisations "
        "lowest, 2.00 apart. A split along organisational lines is itself a finding.\n\nNo "
        "organisation with fewer than 3 respondents is shown on its own.\n"
    ) in text


def test_a_line_after_a_factor_without_one_is_still_drawn() -> None:
    stored = summarise(Q, FIRST)[0]
    no_al = stored.model_copy(
        update={"factors": [f for f in stored.factors if f.factor != "altruism"]}
    )
    shapes = Shapes()
    shapes.feed(trend_svg(store(new_series(title="T", start=dt.date(2027, 2, 5)), 1, no_al)))
    assert [a["data-factor"] for a in shapes.of("polyline")] == [
        "shared-purpose",
        "personal-contact",
        "conflict",
        "long-term",
    ]
