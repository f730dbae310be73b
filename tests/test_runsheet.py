"""The facilitator's run sheet and its companions, from plans written by hand.

The plans here are built as :class:`Plan` objects with blocks that carry a live issue, a case study
or a break type, over a few activities of the tests' own, so the documents are checked apart from
whatever the planner would choose. Markdown is read as markdown-it tokens and HTML with html.parser.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from syslead.documents.handouts import (
    material_line,
    plan_document_html,
    plan_document_md,
)
from syslead.documents.pack import build_pack
from syslead.documents.templating import environments
from syslead.library.loader import Library, load_library
from syslead.library.models import Material
from syslead.planning.plan import Plan, to_minutes

from .conftest import Pack
from .reading import (
    block_section,
    headings,
    md_text,
    parse_html,
    section,
    table_rows,
    text_of,
    tokens_of,
)

EVIL = "<script>alert(1)</script> {{ 7*7 }} *not bold*"

POWER = """
id: rs-power
title: Power, as the tests run it
factors: [conflict]
summary: The group says out loud where power sits.
purpose: Make power discussable.
arc: explore
energy: medium
duration: {min: 30, default: 45, max: 60}
group_size: {min: 4, max: 30}
configuration: Pairs, then the whole group.
room: Chairs in a circle; one flipchart.
lead: Co-facilitator
uses: [power-sheet]
materials:
  - Flipchart
  - {item: power sheet, per: person}
  - {item: sticky notes, per: pair, count: 2}
  - {item: marker pens, per: table, count: 3}
  - {item: timer, count: 2}
steps:
  - minutes: 15
    text: Alone, fill in the power sheet.
  - minutes: 30
    text: In pairs, compare.
prompts: [DAYTIME-PROMPT who can say no?]
debrief: [DAYTIME-DEBRIEF what was that like?]
watch_for: [DAYTIME-WATCH senior voices reframing others' notes.]
variants: [DAYTIME-VARIANT with a bigger group, use tables.]
facilitator_notes: DAYTIME-NOTES name your own position first.
by_placement:
  after-meal:
    facilitator_notes: AFTER-MEAL-NOTES keep it gentle.
    prompts: [AFTER-MEAL-PROMPT what stays with you?]
    debrief: []
    watch_for: [AFTER-MEAL-WATCH tiredness reopening an argument.]
    variants: []
source: A test fixture.
"""

TALK = """
id: rs-talk
title: A conversation, as the tests run it
factors: [shared-purpose]
summary: The group talks about one question.
purpose: Hear each other's realities.
arc: explore
energy: low
duration: {min: 30, default: 45, max: 60}
group_size: {min: 4, max: 30}
configuration: Tables of six.
room: Small round tables.
materials:
  - flipchart
  - {item: Sticky Notes, per: person, count: 2}
  - the Power Sheet
steps:
  - minutes: 45
    text: Talk at the tables.
watch_for: [TALK-WATCH one table going quiet.]
facilitator_notes: TALK-NOTES host each table.
source: A test fixture.
"""

BUDGET = """
id: rs-budget
title: A budget, as the tests run it
factors: [conflict]
summary: The group decides who pays.
purpose: Rehearse a credible conflict.
arc: decide
energy: high
duration: {min: 30, default: 45, max: 60}
group_size: {min: 4, max: 30}
configuration: Organisation teams.
room: One table per team.
uses: [budget-brief]
steps:
  - minutes: 45
    text: Argue it out.
facilitator_notes: BUDGET-NOTES keep the figures on the wall.
source: A test fixture.
"""

CASE = """
id: rs-case
title: The Northshire pound
place: Northshire, England
factors: [altruism]
summary: CASE-SUMMARY partners treat the money as one pot.
story: CASE-STORY a longer account for the facilitator.
lessons: [A phrase can carry an idea.]
discussion_questions:
  - CASE-QUESTION-1 what would our pound cover?
  - CASE-QUESTION-2 who would fear losing out?
source: A test fixture.
"""

ORGS = ["Northshire Council", "Northshire Hospitals NHS Trust", "Northshire ICB"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("playbooks")
    for name, text in {
        "activities/rs-power.yaml": POWER,
        "activities/rs-talk.yaml": TALK,
        "activities/rs-budget.yaml": BUDGET,
        "case-studies/rs-case.yaml": CASE,
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:  # a cold cache of the module's own
        patch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.delenv("SYSLEAD_NO_CACHE", raising=False)
        return load_library([root])


def block(
    start: str, end: str, kind: str, title: str, activity: str | None = None, **more: Any
) -> dict[str, Any]:
    minutes = to_minutes(end) - to_minutes(start)
    return {
        "start": start,
        "end": end,
        "minutes": minutes,
        "kind": kind,
        "title": title,
        "activity": activity,
        **more,
    }


def make_plan(**changes: Any) -> Plan:
    """An away-day written by hand. Break titles are deliberately unhelpful: the type tells."""
    data: dict[str, Any] = {
        "title": "Northshire leaders",
        "date": "2027-01-15",
        "format": "away-day",
        "start": "12:30",
        "end": "21:00",
        "participants": 14,
        "organisations": ORGS,
        "focus": ["conflict", "shared-purpose"],
        "seed": 3,
        "plan_id": "AD-TEST",
        "issues": [EVIL, "Winter discharge delays"],
        "notes": ["NOTE-1 the rehearsal would not fit in this window."],
        "rehearsal": False,
        "blocks": [
            block("12:30", "13:00", "break", "Coffee", break_type="arrival"),
            block(
                "13:00",
                "13:45",
                "activity",
                "Power in the room",
                "rs-power",
                factors=["conflict"],
                issue=EVIL,
            ),
            block("13:45", "14:00", "break", "Pause"),
            block(
                "14:00",
                "14:45",
                "activity",
                "Talking it through",
                "rs-talk",
                factors=["shared-purpose"],
                case_study="rs-case",
            ),
            block("14:45", "18:30", "break", "Interval", break_type="free-time"),
            block("18:30", "19:30", "meal", "Evening meal", locked=True),
            block(
                "19:30", "20:15", "activity", "Power after dinner", "rs-power", factors=["conflict"]
            ),
            block("20:15", "21:00", "break", "Break", break_type="informal"),
        ],
    }
    data.update(changes)
    return Plan.model_validate(data)


def facilitator(library: Library, plan: Plan | None = None) -> list[Token]:
    return tokens_of(plan_document_md("facilitator", plan or make_plan(), library))


# --- the run of show -----------------------------------------------------------------------------


def test_run_of_show_comes_first_with_a_row_per_block(library: Library) -> None:
    plan = make_plan()
    tokens = facilitator(library, plan)
    assert headings(tokens, "h2")[0] == "Run of show"
    rows = list(table_rows(section(tokens, "Run of show")))
    assert rows[0] == ["Time", "Block", "Who leads", "Room", "Materials"]
    assert [r[0] for r in rows[1:]] == [f"{b.start}-{b.end}" for b in plan.blocks]
    by_time = {r[0]: r for r in rows[1:]}
    power = by_time["13:00-13:45"]
    assert power[1] == f"Power in the room: {EVIL}"  # the live issue, as typed
    assert power[2] == "Co-facilitator"
    assert power[3] == "Chairs in a circle"  # in brief; the block gives it in full
    assert "Chairs in a circle; one flipchart." in text_of(block_section(tokens, "13:00"))
    assert "power sheet × 14" in power[4]
    assert by_time["14:00-14:45"][2] == "Lead facilitator"  # the default lead
    for rest in ("12:30-13:00", "13:45-14:00", "14:45-18:30", "18:30-19:30", "20:15-21:00"):
        assert by_time[rest][2:] == ["—", "—", "—"]  # nobody leads a break or a meal


def test_run_of_show_is_the_first_page_in_html(library: Library) -> None:
    html = plan_document_html("facilitator", make_plan(), library)
    page = parse_html(html)
    order = [
        a.get("id") or a.get("class")
        for t, a in page.attrs
        if (t == "section" and a.get("class") == "h2") or t == "figure"
    ]
    # The timeline starts the second page, after the run of show.
    assert order[:3] == ["run-of-show", "agenda-timeline", "before-the-day"]
    assert "body.facilitator figure.agenda-timeline { break-before: page; }" in html


def test_planning_notes_and_rehearsal_print_before_the_run_of_show(library: Library) -> None:
    tokens = facilitator(library)
    first = tokens[
        : next(i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2")
    ]
    top = text_of(first)
    assert "NOTE-1 the rehearsal would not fit in this window." in top
    assert "The fixed-budget rehearsal is left out at the facilitator's request." in top
    # Without conflict in focus there is no rehearsal to leave out.
    calm = facilitator(library, make_plan(focus=["shared-purpose"], notes=[]))
    assert "rehearsal" not in text_of(calm[:30])
    kept = facilitator(library, make_plan(rehearsal=True))
    assert "left out at the facilitator's request" not in text_of(kept)


def test_before_the_day(library: Library) -> None:
    text = text_of(section(facilitator(library), "Before the day"))
    for topic in (
        "sponsor",
        "each person",
        "lead facilitator",
        "co-facilitator",
        "observer",
        "Venue, meal and travel",
    ):
        assert topic in text
    six = make_plan(
        format="six-weekly",
        start="14:00",
        end="17:00",
        blocks=[
            block("14:00", "14:45", "activity", "Talk", "rs-talk", factors=["shared-purpose"]),
        ],
        notes=[],
    )
    text = text_of(section(facilitator(library, six), "Before the day"))
    assert "Venue and refreshments" in text
    assert "rooms for the night" not in text


# --- placement, watch-for, breaks ----------------------------------------------------------------


def test_block_text_follows_its_placement(library: Library) -> None:
    tokens = facilitator(library)
    day = text_of(block_section(tokens, "13:00"))
    evening = text_of(block_section(tokens, "19:30"))
    for probe in (
        "DAYTIME-NOTES",
        "DAYTIME-PROMPT",
        "DAYTIME-DEBRIEF",
        "DAYTIME-WATCH",
        "DAYTIME-VARIANT",
    ):
        assert probe in day
        assert probe not in evening
    assert "AFTER-MEAL-NOTES" in evening
    assert "AFTER-MEAL-PROMPT" in evening
    assert "AFTER-MEAL-WATCH" in evening
    assert "AFTER-MEAL" not in day
    cards = text_of(tokens_of(plan_document_md("cards", make_plan(), library)))
    assert "AFTER-MEAL-PROMPT" in cards
    assert "DAYTIME-PROMPT" in cards
    assert "AFTER-MEAL-WATCH" in cards


def test_general_watch_for_is_printed_once(library: Library) -> None:
    tokens = facilitator(library)
    general = "People stuck, entrenched or repeating the same point."
    assert text_of(tokens).count(general) == 1
    assert general in text_of(section(tokens, "Watch for, throughout"))
    assert "name the pattern" in text_of(section(tokens, "Watch for, throughout")).lower()
    # Each block lists only its own.
    talk = text_of(block_section(tokens, "14:00"))
    assert "TALK-WATCH" in talk
    assert "DAYTIME-WATCH" not in talk
    assert "entrenched" not in talk


def test_breaks_print_by_type_not_title(library: Library) -> None:
    tokens = facilitator(library)
    assert text_of(block_section(tokens, "12:30")).startswith(
        "Arrival and refreshments: tea and coffee"
    )
    assert text_of(block_section(tokens, "13:45")).startswith("A break.")
    assert text_of(block_section(tokens, "14:45")).startswith("Free time")
    informal = text_of(block_section(tokens, "20:15"))  # titled "Break", but informal time
    assert informal.startswith("Informal time after the evening meal: unstructured time together")
    assert text_of(block_section(tokens, "18:30")).startswith("Eat together.")


# --- materials -----------------------------------------------------------------------------------


def test_materials_checklist_for_fourteen(library: Library) -> None:
    rows = list(table_rows(section(facilitator(library), "Materials checklist")))
    assert rows[0][1:3] == ["Item", "How many"]
    items = {r[1]: r for r in rows[1:]}
    assert all(r[0] == "☐" for r in rows[1:])  # a box to tick on every line
    names = [r[1].lower() for r in rows[1:]]
    # Flipchart and flipchart, Sticky Notes and sticky notes, the Power Sheet and power sheet: once.
    assert len(names) == len(set(names)) == 5
    assert items["Flipchart"][2] == "—"  # written as text: no quantity to work out
    assert items["Power sheet"][2] == "14"  # one per person
    assert items["Sticky notes"][2] == "28"  # two per person beats two per pair (7 pairs x 2)
    assert items["Marker pens"][2] == "9"  # three per table, three tables of six
    assert items["Timer"][2] == "2"  # for the group


def test_material_quantities() -> None:
    assert material_line(Material(item="cards", per="person", count=2), 13).quantity == 26
    assert material_line(Material(item="cards", per="pair"), 13).quantity == 7
    assert material_line(Material(item="cards", per="table", count=2), 13).quantity == 6
    assert material_line(Material(item="cards", per="table"), 12).quantity == 2
    assert material_line(Material(item="cards", count=3), 13).quantity == 3
    assert material_line("a flipchart", 13).quantity is None


def test_materials_checklist_prints_boxes_in_html(library: Library) -> None:
    html = plan_document_html("facilitator", make_plan(), library)

    page = parse_html(html)
    start = html.index('<section class="h2" id="materials-checklist">')
    end = html.index("</section>", start)
    part = parse_html(html[start:end])
    assert part.tags.count("table") == 1
    boxes = [a for t, a in part.attrs if t == "span" and a.get("class") == "box"]
    rows = part.tags.count("tr") - 1
    assert len(boxes) == rows > 0
    assert "input" not in page.tags  # a printed box, not a form control
    assert "[ ]" not in "".join(part.text)


# --- issues and case studies ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["facilitator", "participant", "agenda"])
def test_issue_text_prints_literally_with_its_block(library: Library, kind: str) -> None:
    plan = make_plan()
    markdown = plan_document_md(kind, plan, library)
    tokens = tokens_of(markdown)
    h3 = next(h for h in headings(tokens, "h3") if h.startswith("13:00"))
    assert EVIL in text_of(section(tokens, h3))
    rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    assert "<script>" not in rendered
    assert "<em>not bold</em>" not in rendered
    html = plan_document_html(kind, plan, library)
    page = parse_html(html)
    assert "script" not in page.tags
    assert EVIL in " ".join("".join(page.text).split())
    assert "{{ 7*7 }}" in md_text(markdown)
    assert "49" not in md_text(markdown)


def test_issues_without_a_block_are_listed_once(library: Library) -> None:
    tokens = facilitator(library)
    listed = text_of(section(tokens, "Issues named for this session"))
    assert "Winter discharge delays" in listed
    assert EVIL not in listed  # it has a block of its own
    placed = facilitator(library, make_plan(issues=[EVIL]))
    assert "Issues named for this session" not in headings(placed, "h2")


def test_case_study_goes_with_its_block(library: Library) -> None:
    participant = tokens_of(plan_document_md("participant", make_plan(), library))
    h3 = next(h for h in headings(participant, "h3") if h.startswith("14:00"))
    mine = text_of(section(participant, h3))
    assert "The Northshire pound" in mine
    assert "CASE-SUMMARY" in mine
    assert "CASE-QUESTION-1" in mine
    assert "CASE-QUESTION-2" in mine
    assert "CASE-STORY" not in text_of(participant)
    run_sheet = facilitator(library)
    assert "The Northshire pound" in text_of(block_section(run_sheet, "14:00"))
    assert "The Northshire pound" not in headings(run_sheet, "h3")  # not again in the appendix


def test_participant_handout_has_no_facilitator_text(library: Library) -> None:
    plan = make_plan()
    markdown = plan_document_md("participant", plan, library)
    html = plan_document_html("participant", plan, library)
    flat_md = text_of(tokens_of(markdown))
    flat_html = " ".join("".join(parse_html(html).text).split())
    for secret in (
        "NOTES",
        "WATCH",
        "PROMPT",
        "DEBRIEF",
        "VARIANT",
        "NOTE-1",
        "Before the day",
        "Run of show",
    ):
        assert secret not in flat_md
        assert secret not in flat_html


def test_run_sheet_names_the_tool_a_block_uses(library: Library) -> None:
    tokens = facilitator(library)
    assert "Uses: the power sheet (power-sheet.html)." in text_of(block_section(tokens, "13:00"))
    assert "Uses:" not in text_of(block_section(tokens, "14:00"))


# --- the pack ------------------------------------------------------------------------------------


def pack_names(library: Library, plan: Plan) -> set[str]:
    return set(build_pack(plan, library, environments()))


def test_pack_carries_a_tool_only_when_a_block_uses_it(library: Library) -> None:
    names = pack_names(library, make_plan())
    assert {"power-sheet.md", "power-sheet.html"} <= names
    assert not {"observation-sheet.md", "budget-brief.md", "budget-key.md"} & names
    talk_only = make_plan(
        blocks=[
            block("13:00", "13:45", "activity", "Talk", "rs-talk", factors=["shared-purpose"]),
            block("13:45", "14:00", "break", "Break"),
            block("14:00", "14:45", "activity", "More talk", "rs-talk", factors=["shared-purpose"]),
        ],
        start="13:00",
        end="14:45",
    )
    assert "conflict" in talk_only.focus  # in focus, but no block uses a sheet
    assert not {n for n in pack_names(library, talk_only) if "sheet" in n or "budget" in n}


def test_pack_budget_brief_uses_the_plans_organisations(library: Library) -> None:
    plan = make_plan(
        blocks=[
            block("13:00", "13:45", "activity", "Who pays?", "rs-budget", factors=["conflict"])
        ],
        start="13:00",
        end="13:45",
    )
    files = build_pack(plan, library, environments())
    assert {"budget-brief.md", "budget-brief.html", "budget-key.md", "budget-key.html"} <= set(
        files
    )
    key = files["budget-key.md"]
    assert isinstance(key, str)
    assert "Northshire Hospitals NHS Trust" in key
    assert "power-sheet.md" not in files


# --- the evaluation form -------------------------------------------------------------------------


def test_evaluation_form(library: Library) -> None:
    files = build_pack(make_plan(), library, environments())
    assert {"evaluation.md", "evaluation.html"} <= set(files)
    markdown = files["evaluation.md"]
    assert isinstance(markdown, str)
    tokens = tokens_of(markdown)
    rows = list(table_rows(tokens))
    assert rows[0] == ["Statement", "1", "2", "3", "4", "5"]
    factors = [r[0] for r in rows[1:] if r[1:] == ["", "", "", "", ""]]
    assert factors == [f"{f.number}. {f.short_title}" for f in library.factors]
    statements = [r for r in rows[1:] if r[1:] == ["☐"] * 5]
    assert len(statements) >= 2 * len(factors)
    assert "What will you do differently?" in headings(tokens, "h2")
    html = files["evaluation.html"]
    assert isinstance(html, str)
    page = parse_html(html)
    assert ("body", {"class": "evaluation"}) in page.attrs
    ids = [a.get("id") for t, a in page.attrs if t == "section"]
    assert "what-will-you-do-differently" in ids
    assert "body.evaluation" in page.style


def test_evaluation_form_is_one_page(library: Library) -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("the pdf extra is not installed")
    from pypdf import PdfReader

    from syslead.documents.pages import html_to_pdf

    html = build_pack(make_plan(), library, environments())["evaluation.html"]
    assert isinstance(html, str)
    pdf = html_to_pdf(html)  # as the pack prints it (documents.pack.pdf_jobs)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "What will you do differently?" in reader.pages[0].extract_text()


def test_run_of_show_fits_the_first_page(readme_pack: Pack) -> None:
    """README's pack (fourteen people, three organisations): the run of show is the first page."""
    from pypdf import PdfReader

    pdf = readme_pack.pdf("facilitator.pdf")
    plan = yaml.safe_load((readme_pack.folder / "plan.yaml").read_text(encoding="utf-8"))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "Run of show" in pages[0]
    last = plan["blocks"][-1]
    assert f"{last['start']}-{last['end']}" in pages[0]
    assert "Before the day" not in pages[0]


def test_run_sheet_from_a_warm_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's own playbook renders the same on the second run, served from the cache."""
    root = tmp_path / "playbooks"
    (root / "activities").mkdir(parents=True)
    (root / "activities" / "rs-budget.yaml").write_text(BUDGET.lstrip("\n"), encoding="utf-8")
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    plan = make_plan(
        blocks=[
            block("13:00", "13:45", "activity", "Who pays?", "rs-budget", factors=["conflict"])
        ],
        start="13:00",
        end="13:45",
    )
    cold = plan_document_md("facilitator", plan, load_library([root]))
    warm = plan_document_md("facilitator", plan, load_library([root]))
    assert warm == cold
