"""Handouts, packs, cards and the charter: rendered, then parsed and checked, never grepped blind."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from syslead.documents.handouts import scale_steps
from syslead.library.loader import load_library
from syslead.planning.file import load_plan
from syslead.planning.placement import placement_of, text_for

from .conftest import Pack, Run, WriteTree
from .reading import headings, md_text, output, parse_html, section, table_rows, tokens_of

Cli = Callable[..., Run]
PRINCIPLES = (
    Path(__file__).resolve().parents[1] / "playbooks" / "principles" / "devon-principles.yaml"
)


def needs_weasyprint() -> None:
    """Skip where the optional PDF extra (or the system's Pango) is missing."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("the pdf extra is not installed")


EVIL = "<script>alert(1)</script> {{ 7*7 }} *not bold*"

EVIL_OPENING = f"""
id: opening-purpose-and-principles
role: opening
formats: [away-day]
title: '{EVIL}'
factors: [shared-purpose]
summary: '{EVIL} summary'
purpose: '{EVIL} purpose'
arc: open
energy: medium
duration: {{min: 30, default: 45, max: 60}}
group_size: {{min: 2, max: 60}}
configuration: Whole group.
room: A circle.
materials: ['{EVIL} flipchart']
steps:
  - minutes: 45
    text: '{EVIL} step'
facilitator_notes: 'SECRET-NOTE {EVIL}'
source: A test.
"""


def make_plan(cli: Cli, tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "plan.yaml"
    result = cli(
        "plan-session",
        "--to",
        "yaml",
        "-o",
        str(path),
        "--date",
        "2027-01-15",
        "--org",
        "Northshire Council",
        *args,
    )
    assert result.exit_code == 0, result.stderr
    return path


def test_pack_writes_everything(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    result = cli(
        "plan-session",
        "--out-dir",
        str(out),
        "--org",
        "Northshire Council",
        "--org",
        "Northshire Hospitals",
    )
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    plan = yaml.safe_load((out / "plan.yaml").read_text())
    library = load_library()
    uses = {
        tool
        for block in plan["blocks"]
        if block["activity"]
        for tool in library.activity(block["activity"]).uses
    }
    # The printed tools come only when a block of the plan uses them.
    tools = {
        "power-sheet": ["power-sheet"],
        "observation-sheet": ["observation-sheet"],
        "budget-brief": ["budget-brief", "budget-key"],
    }
    carried = [f"{name}.{ext}" for tool in uses for name in tools[tool] for ext in ("md", "html")]
    assert names == sorted(
        [
            "plan.yaml",
            "agenda.md",
            "agenda.html",
            "facilitator.md",
            "facilitator.html",
            "participant.md",
            "participant.html",
            "cards.md",
            "cards.html",
            "charter.md",
            "charter.html",
            "evaluation.md",
            "evaluation.html",
            "room.html",
            *carried,
        ]
    )
    assert plan["organisations"] == ["Northshire Council", "Northshire Hospitals"]
    signers = [row[0] for row in list(table_rows(tokens_of((out / "charter.md").read_text())))[1:]]
    assert signers[:2] == ["Northshire Council", "Northshire Hospitals"]
    assert result.stdout == ""
    assert result.stderr == f"wrote {len(names)} files to {out}\n"
    # The saved plan renders back to the same agenda.
    again = cli("render", str(out / "plan.yaml"), "--to", "md")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == (out / "agenda.md").read_text()


def test_pack_refuses_to_overwrite_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    out.mkdir()
    (out / "participant.md").write_text("mine")
    result = cli("plan-session", "--out-dir", str(out))
    assert result.exit_code == 1
    assert "participant.md already exists; use --force" in result.stderr
    assert [p.name for p in out.iterdir()] == ["participant.md"]
    assert (out / "participant.md").read_text() == "mine"
    assert cli("plan-session", "--out-dir", str(out), "--force").exit_code == 0
    assert (out / "participant.md").read_text() != "mine"


def test_pack_is_deterministic(cli: Cli, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert cli("plan-session", "--out-dir", str(tmp_path / name), "--seed", "3").exit_code == 0
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_facilitator_run_sheet_structure(cli: Cli, tmp_path: Path) -> None:
    plan_path = make_plan(cli, tmp_path)
    plan = yaml.safe_load(plan_path.read_text())
    text = output(cli("handout", str(plan_path), "--audience", "facilitator"))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    h2 = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert h2[:2] == ["Run of show", "Before the day"]
    assert h2.index("Materials checklist") < h2.index("Run sheet")
    assert h2.count("Watch for, throughout") == 1
    assert {"Key messages to cascade", "Actions agreed", "Next meeting"} <= set(h2)
    assert any(h.startswith("Working principles") for h in h2)
    h3 = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h3"
    ]
    for block in plan["blocks"]:
        assert any(h.startswith(f"{block['start']}-{block['end']} ") for h in h3), block["title"]
    library = load_library()
    saved = load_plan(plan_path, library)
    for block in saved.blocks:
        if block.activity:
            activity = library.activity(block.activity)
            notes = text_for(activity, placement_of(saved, block)).facilitator_notes
            assert " ".join(notes.split()[:8]) in " ".join(md_text(text).split())


def test_participant_handout_has_no_facilitator_notes(cli: Cli, tmp_path: Path) -> None:
    plan_path = make_plan(cli, tmp_path)
    plan = yaml.safe_load(plan_path.read_text())
    library = load_library()
    md = output(cli("handout", str(plan_path), "--audience", "participant"))
    html = output(cli("handout", str(plan_path), "--audience", "participant", "--to", "html"))
    flat_md = " ".join(md_text(md).split())
    flat_html = " ".join("".join(parse_html(html).text).split())
    for block in plan["blocks"]:
        if block["activity"]:
            activity = library.activity(block["activity"])
            for secret in [activity.facilitator_notes, *activity.watch_for]:
                probe = " ".join(secret.split()[:8])
                assert probe not in flat_md
                assert probe not in flat_html
    assert "Before you come" in flat_md
    for factor_id in plan["focus"]:
        question = library.factor(factor_id).pre_reading_questions[0]
        assert " ".join(question.split()) in flat_md


def test_html_is_self_contained_and_structured(cli: Cli, tmp_path: Path) -> None:
    plan_path = make_plan(cli, tmp_path)
    html = output(cli("handout", str(plan_path), "--audience", "facilitator", "--to", "html"))
    page = parse_html(html)
    assert page.tags.count("svg") == 1
    assert "script" not in page.tags
    assert "link" not in page.tags
    for _, attrs in page.attrs:
        for key in ("src", "href"):
            assert not (attrs.get(key) or "").startswith(("http:", "https:", "//"))
    assert ("html", {"lang": "en-GB"}) in page.attrs
    sections = [a for t, a in page.attrs if t == "section"]
    assert any(a.get("id") == "run-sheet" for a in sections)
    plan = yaml.safe_load(plan_path.read_text())
    bars = [a for t, a in page.attrs if t == "g" and (a.get("class") or "").startswith("block ")]
    assert len(bars) == len(plan["blocks"])
    legend = [a for t, a in page.attrs if t == "g" and a.get("class") == "legend"]
    assert len(legend) == 6
    assert "@page" in html
    assert "A4" in html


def test_cards_one_section_per_activity(cli: Cli, tmp_path: Path) -> None:
    plan_path = make_plan(cli, tmp_path)
    plan = yaml.safe_load(plan_path.read_text())
    html = output(cli("handout", str(plan_path), "--cards", "--to", "html"))
    sections = [a for t, a in parse_html(html).attrs if t == "section" and a.get("class") == "h2"]
    assert len(sections) == sum(1 for b in plan["blocks"] if b["activity"])
    assert "body.cards section.h2 + section.h2 { break-before: page; }" in html


def test_markup_and_template_syntax_come_out_literally(
    cli: Cli, tmp_path: Path, write_tree: WriteTree
) -> None:
    root = write_tree({"activities/opening.yaml": EVIL_OPENING})
    plan_path = tmp_path / "plan.yaml"
    assert (
        cli(
            "plan-session",
            "--to",
            "yaml",
            "-o",
            str(plan_path),
            "--playbooks",
            str(root),
            "--org",
            EVIL,
        ).exit_code
        == 0
    )
    for audience in ("facilitator", "participant"):
        md = output(
            cli("handout", str(plan_path), "--audience", audience, "--playbooks", str(root))
        )
        rendered = MarkdownIt("commonmark").enable("table").render(md)
        assert "<script>" not in rendered
        assert "<em>not bold</em>" not in rendered
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} *not bold*" in rendered
        assert "{{ 7*7 }}" in md_text(md)  # shown as typed, never evaluated
        html = output(
            cli(
                "handout",
                str(plan_path),
                "--audience",
                audience,
                "--to",
                "html",
                "--playbooks",
                str(root),
            )
        )
        page = parse_html(html)
        assert "script" not in page.tags
        text = "".join(page.text)
        assert "<script>alert(1)</script> {{ 7*7 }} *not bold*" in text
    participant = output(
        cli("handout", str(plan_path), "--audience", "participant", "--playbooks", str(root))
    )
    assert "SECRET" not in participant
    agenda_html = output(cli("render", str(plan_path), "--to", "html", "--playbooks", str(root)))
    assert "script" not in parse_html(agenda_html).tags


def test_user_template_overrides_one_template(
    cli: Cli, tmp_path: Path, write_tree: WriteTree
) -> None:
    plan_path = make_plan(cli, tmp_path)
    templates = write_tree({"participant.md.j2": "# Our own handout for {{ plan.title }}\n"})
    result = cli(
        "handout", str(plan_path), "--audience", "participant", "--templates", str(templates)
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "# Our own handout for System leadership away session\n"
    facilitator = cli(
        "handout", str(plan_path), "--audience", "facilitator", "--templates", str(templates)
    )
    assert facilitator.exit_code == 0, facilitator.stderr
    # the other templates are still the built-ins
    assert headings(tokens_of(facilitator.stdout), "h2")[:2] == ["Run of show", "Before the day"]


def test_user_template_errors_are_one_message(
    cli: Cli, tmp_path: Path, write_tree: WriteTree
) -> None:
    plan_path = make_plan(cli, tmp_path)
    broken = write_tree({"participant.md.j2": "line one\n{% for x in %}\n"})
    result = cli("handout", str(plan_path), "--audience", "participant", "--templates", str(broken))
    assert result.exit_code == 1
    assert "participant.md.j2:2: template syntax error" in result.stderr
    sneaky = write_tree({"participant.md.j2": "{{ plan.__class__.__mro__ }}\n"})
    result = cli("handout", str(plan_path), "--audience", "participant", "--templates", str(sneaky))
    assert result.exit_code == 1
    assert "the template failed" in result.stderr
    missing = cli(
        "handout",
        str(plan_path),
        "--audience",
        "participant",
        "--templates",
        str(tmp_path / "none"),
    )
    assert missing.exit_code == 1
    assert "no such templates folder" in missing.stderr


def test_handout_option_errors(cli: Cli, tmp_path: Path) -> None:
    plan_path = make_plan(cli, tmp_path)
    choose = "syslead: choose one: --audience facilitator, --audience participant, or --cards\n"
    for args in ([], ["--cards", "--audience", "participant"]):
        result = cli("handout", str(plan_path), *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", choose), args
    result = cli("handout", str(plan_path), "--audience", "participant", "--to", "pdf")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "PDF output needs a file" in result.stderr


def test_pdf_without_the_extra_says_how_to_install(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_path = make_plan(cli, tmp_path)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` fail
    result = cli(
        "handout", str(plan_path), "--audience", "participant", "-o", str(tmp_path / "p.pdf")
    )
    assert result.exit_code == 1
    assert "pip install 'syslead[pdf]'" in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_pdf_pages_and_text(
    cli: Cli, tmp_path: Path, write_tree: WriteTree, readme_pack: Pack
) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(readme_pack.pdf("facilitator.pdf")))
    assert len(reader.pages) >= 5
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "facilitator's run sheet" in text
    # Playbook text prints as typed in a PDF too, and the participant's carries no secret notes.
    root = write_tree({"activities/opening.yaml": EVIL_OPENING})
    plan_path = tmp_path / "plan.yaml"
    made = cli("plan-session", "--to", "yaml", "-o", str(plan_path), "--playbooks", str(root))
    assert made.exit_code == 0, made.stderr
    participant = tmp_path / "participant.pdf"
    result = cli(
        "handout",
        str(plan_path),
        "--audience",
        "participant",
        "-o",
        str(participant),
        "--playbooks",
        str(root),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    ptext = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(participant.read_bytes())).pages
    )
    assert "<script>alert(1)</script> {{ 7*7 }}" in " ".join(ptext.split())
    assert "SECRET" not in ptext


def test_pack_with_pdfs(readme_pack: Pack) -> None:
    """``--pdf`` adds a PDF twin of every printed page and the wall agenda, and says so."""
    readme_pack.pdf("agenda.pdf")  # skips where the pdf extra is missing
    names = sorted(p.name for p in readme_pack.folder.iterdir())
    run = readme_pack.run
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == f"wrote {len(names)} files to {readme_pack.folder}\n"
    printed = {n.removesuffix(".html") for n in names if n.endswith(".html") and n != "room.html"}
    pdfs = {n.removesuffix(".pdf") for n in names if n.endswith(".pdf")}
    assert pdfs == printed | {"agenda-wall"}
    for name in pdfs:
        assert readme_pack.pdf(f"{name}.pdf").startswith(b"%PDF-"), name


def test_charter(cli: Cli) -> None:
    result = cli("principles", "--charter", "--org", "City Council", "--org", "Acute | Trust")
    assert result.exit_code == 0
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    cells = [
        t.children[0].content if t.children else "" for t in tokens if t.type == "inline" and t.map
    ]
    assert "City Council" in cells
    assert "Acute | Trust" in cells
    html = cli("principles", "--charter", "--to", "html")
    assert html.exit_code == 0, html.stderr
    page = parse_html(html.stdout)
    assert page.tags.count("tr") == 7  # header and six blank lines to sign


def test_principles_json(cli: Cli) -> None:
    result = cli("principles", "--to", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    source = yaml.safe_load(PRINCIPLES.read_text(encoding="utf-8"))
    assert data["id"] == "devon-principles"
    # the six principles of the Devon-style set, in the playbook's own order and words
    assert len(data["principles"]) == 6
    assert [(p["id"], p["title"]) for p in data["principles"]] == [
        (p["id"], p["title"]) for p in source["principles"]
    ]


def test_steps_scale_to_the_block() -> None:
    library = load_library()
    activity = library.activity("naming-power")
    for minutes in range(activity.duration.min, activity.duration.max + 1):
        steps = scale_steps(activity, minutes, "13:00")
        assert sum(s.minutes for s in steps) == minutes
        assert all(s.minutes >= 1 for s in steps)
        assert steps[0].clock == "13:00"


def seated(cell: str) -> dict[str, int]:
    """``"A (2), B"`` as ``{"A": 2, "B": 1}``: who sits at a table, and how many of each."""
    found = {}
    for part in cell.split(", "):
        name, _, count = part.partition(" (")
        found[name] = int(count.rstrip(")")) if count else 1
    return found


def test_run_sheet_suggests_mixed_tables(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    orgs = ["Northshire Council", "Northshire Hospitals", "Northshire ICB"]
    args = [arg for org in orgs for arg in ("--org", org)]
    assert (
        cli(
            "plan-session", "--to", "yaml", "-o", str(path), "--participants", "13", *args
        ).exit_code
        == 0
    )
    result = cli("handout", str(path), "--audience", "facilitator")
    assert result.exit_code == 0, result.stderr
    tokens = tokens_of(result.stdout)
    h2 = headings(tokens, "h2")
    assert h2.index("Mixing organisations") + 1 == h2.index("Materials checklist")
    rows = list(table_rows(section(tokens, "Mixing organisations")))
    assert rows[0] == ["Table", "Who sits there"]
    seats = {row[0]: seated(row[1]) for row in rows[1:]}
    # 13 people at tables of about six: three tables, of 5, 4 and 4; every table mixes all three
    # organisations, and the 13 are shared between them as evenly as they go (5, 4, 4).
    assert list(seats) == ["1", "2", "3"]
    assert [sum(table.values()) for table in seats.values()] == [5, 4, 4]
    assert all(set(table) == set(orgs) for table in seats.values())
    totals = {org: sum(table[org] for table in seats.values()) for org in orgs}
    assert sorted(totals.values(), reverse=True) == [5, 4, 4]
    participant = cli("handout", str(path), "--audience", "participant")
    assert participant.exit_code == 0, participant.stderr
    assert "Mixing organisations" not in headings(tokens_of(participant.stdout), "h2")
