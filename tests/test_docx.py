"""Word output: every document read back with python-docx, and opened in LibreOffice where it is."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from syslead.library.loader import load_library

from .conftest import Run, WriteTree
from .test_documents import EVIL, EVIL_OPENING

Cli = Callable[..., Run]
docx = pytest.importorskip("docx")

ORGS = ("--org", "Northshire ICB", "--org", "Northshire County Council")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack from the issue's example: plan-session --date ... --out-dir pack --docx."""
    from typer.testing import CliRunner

    from syslead.cli import app

    out = tmp_path_factory.mktemp("docx") / "pack"
    args = ["plan-session", "--date", "2027-01-15", *ORGS, "--out-dir", str(out), "--docx"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return out


def read(path: Path | bytes) -> Any:
    data = path if isinstance(path, bytes) else path.read_bytes()
    return docx.Document(io.BytesIO(data))


def headings(document: Any) -> list[tuple[str, str]]:
    """(style, text) of every title and heading, in order."""
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name == "Title" or p.style.name.startswith("Heading")
    ]


def markdown_headings(text: str) -> list[tuple[str, str]]:
    styles = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [
        (styles[t.tag], tokens[i + 1].content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]


def all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_pack_with_docx_has_a_word_twin_of_every_markdown_document(pack: Path) -> None:
    markdown = sorted(p.stem for p in pack.glob("*.md"))
    assert {"agenda", "facilitator", "participant", "cards", "charter", "evaluation"} <= set(
        markdown
    )
    assert sorted(p.stem for p in pack.glob("*.docx")) == markdown
    for stem in markdown:
        document = read(pack / f"{stem}.docx")
        md_text = (pack / f"{stem}.md").read_text(encoding="utf-8")
        got = headings(document)
        want = markdown_headings(md_text)
        assert [s for s, _ in got] == [s for s, _ in want], stem
        assert [t for _, t in got] == [_inline_text(t) for _, t in want], stem


def _inline_text(markdown_inline: str) -> str:
    """The text a reader sees of a line of inline Markdown (escapes undone, emphasis dropped)."""
    tokens = MarkdownIt("commonmark").parseInline(markdown_inline)
    return "".join(c.content for c in tokens[0].children or [] if c.type in {"text", "code_inline"})


def test_word_files_use_real_styles_a4_and_a_title(pack: Path) -> None:
    from docx.shared import Mm

    plan = yaml.safe_load((pack / "plan.yaml").read_text())
    agenda = read(pack / "agenda.docx")
    assert agenda.core_properties.title == plan["title"]
    assert agenda.paragraphs[0].style.name == "Title"
    assert agenda.paragraphs[0].text == plan["title"]
    section = agenda.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert ("Heading 1", "Agenda") in headings(agenda)
    table = agenda.tables[0]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Time", "Minutes", "Session", "Factors"]
    header = table.rows[0]._tr.trPr.xml
    assert "w:tblHeader" in header
    assert "w:cantSplit" in header
    for block, row in zip(plan["blocks"], table.rows[1:], strict=True):
        assert row.cells[0].text == f"{block['start']}-{block['end']}"
        assert row.cells[1].text == str(block["minutes"])
        assert row.cells[2].text == block["title"]
    # the minutes column is right-aligned, as in the printed agenda
    assert table.rows[1].cells[1].paragraphs[0].alignment is not None


def test_lists_are_word_lists_and_each_numbered_list_starts_at_one(pack: Path) -> None:
    cards = read(pack / "cards.docx")
    styles = {p.style.name for p in cards.paragraphs}
    assert {"List Number", "List Bullet"} <= styles
    numbers = {
        p._p.pPr.numPr.numId.val
        for p in cards.paragraphs
        if p.style.name == "List Number" and p._p.pPr.numPr is not None
    }
    steps_lists = sum(1 for p in cards.paragraphs if p.text == "Steps")
    assert len(numbers) == steps_lists  # a numbering of its own for each card's steps


def test_each_exercise_card_starts_a_page(pack: Path) -> None:
    cards = read(pack / "cards.docx")
    card_titles = [p for p in cards.paragraphs if p.style.name == "Heading 1"]
    assert len(card_titles) > 3
    assert not card_titles[0].paragraph_format.page_break_before
    assert all(p.paragraph_format.page_break_before for p in card_titles[1:])


def test_the_run_of_show_is_a_landscape_page_of_its_own(pack: Path) -> None:
    from docx.enum.section import WD_ORIENT

    sheet = read(pack / "facilitator.docx")
    first, *rest = sheet.sections
    assert first.orientation == WD_ORIENT.LANDSCAPE
    assert first.page_width > first.page_height
    assert rest
    assert all(s.orientation == WD_ORIENT.PORTRAIT for s in rest)


def test_the_participant_version_holds_no_facilitator_notes(pack: Path) -> None:
    library = load_library([])
    plan = yaml.safe_load((pack / "plan.yaml").read_text())
    text = all_text(read(pack / "participant.docx"))
    assert text
    for block in plan["blocks"]:
        if block["activity"]:
            notes = library.entries[block["activity"]].facilitator_notes
            assert " ".join(notes.split())[:60] not in " ".join(text.split())
    assert "facilitator only" not in text
    assert "facilitator only" in all_text(read(pack / "facilitator.docx"))


def test_user_text_is_literal_in_word(cli: Cli, tmp_path: Path, write_tree: WriteTree) -> None:
    mine = write_tree({"activities/opening.yaml": EVIL_OPENING})
    out = tmp_path / "pack"
    result = cli(
        "plan-session",
        "--playbooks",
        str(mine),
        "--title",
        EVIL,
        "--org",
        "<b>Acute</b> & {{ 7*7 }}",
        "--org",
        "=SUM(A1:A9)",
        "--out-dir",
        str(out),
        "--docx",
    )
    assert result.exit_code == 0, result.stderr
    for name in ("agenda", "facilitator", "participant", "cards", "charter"):
        if name == "charter":
            assert read(out / "charter.docx").core_properties.title.startswith(EVIL)
            continue
        data = (out / f"{name}.docx").read_bytes()
        document = read(data)
        text = all_text(document)
        assert "<script>alert(1)</script> {{ 7*7 }} *not bold*" in text, name
        assert "49" not in text.replace("2049", ""), name
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            body = package.read("word/document.xml").decode("utf-8")
        assert "instrText" not in body
        assert "fldSimple" not in body
        assert "<script>" not in body  # escaped as XML text, never markup
        assert document.core_properties.title.startswith(EVIL)
    charter = all_text(read(out / "charter.docx"))
    assert "<b>Acute</b> & {{ 7*7 }}" in charter
    assert "=SUM(A1:A9)" in charter
    assert "SECRET-NOTE" not in all_text(read(out / "participant.docx"))
    assert "SECRET-NOTE" in all_text(read(out / "facilitator.docx"))


def test_word_output_is_the_same_bytes_every_time(cli: Cli, tmp_path: Path, pack: Path) -> None:
    plan = pack / "plan.yaml"
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        result = cli("handout", str(plan), "--audience", "participant", "-o", str(out))
        assert result.exit_code == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == (pack / "participant.docx").read_bytes()


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["plan-session", "--date", "2027-01-15", "--to", "docx"], "agenda"),
        (["handout", "{plan}", "--cards", "--to", "docx"], "cards"),
        (["handout", "{plan}", "--audience", "facilitator", "--to", "docx"], "run sheet"),
        (["principles", "--charter", "--org", "A", "--org", "B", "--to", "docx"], "charter"),
        (["principles", "--to", "docx"], "principles"),
        (["scenario", "fixed-budget", "--example", "--to", "docx"], "brief"),
        (
            ["scenario", "fixed-budget", "--example", "--audience", "facilitator", "--to", "docx"],
            "key",
        ),
        (["scenario", "power-sheet", "--org", "A", "--to", "docx"], "power sheet"),
        (["scenario", "observation-sheet", "--to", "docx"], "observation sheet"),
        (["assess", "questionnaire", "--to", "docx"], "questionnaire"),
        (["assess", "report", "{answers}", "--to", "docx"], "report"),
    ],
)
def test_every_printable_document_has_word_output(
    cli: Cli, tmp_path: Path, pack: Path, args: list[str], name: str
) -> None:
    answers = tmp_path / "answers.csv"
    if "{answers}" in args:
        assert cli("assess", "questionnaire", "--to", "csv", "-o", str(answers)).exit_code == 0
        _fill_answers(answers)
    out = tmp_path / "out.docx"
    filled = [
        a.replace("{plan}", str(pack / "plan.yaml")).replace("{answers}", str(answers))
        for a in args
    ]
    result = cli(*filled, "-o", str(out))
    assert result.exit_code == 0, (name, result.stderr)
    document = read(out)
    assert document.paragraphs[0].style.name == "Title", name
    assert document.core_properties.title, name
    to_terminal = cli(*filled)
    assert to_terminal.exit_code == 1
    assert "needs a file" in to_terminal.stderr


def _fill_answers(path: Path) -> None:
    """Three respondents who answer 4 to every statement."""
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    rows = [
        ",".join(
            name if h == "respondent" else "" if "comment" in h or h == "organisation" else "4"
            for h in header
        )
        for name in "ABC"
    ]
    path.write_text("\n".join([",".join(header), *rows]) + "\n", encoding="utf-8")


# --- LibreOffice ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(pack: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SOFFICE is None:
        pytest.skip(
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui); "
            "the Word files were read back with python-docx only"
        )
    out = tmp_path_factory.mktemp("soffice")
    profile = out / "profile"
    files = sorted(str(p) for p in pack.glob("*.docx"))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *files,
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out


def test_every_word_file_opens_in_libreoffice(pack: Path, converted: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    for source in sorted(pack.glob("*.docx")):
        pdf = converted / f"{source.stem}.pdf"
        assert pdf.exists(), f"LibreOffice could not open {source.name}"
        reader = pypdf.PdfReader(str(pdf))
        assert len(reader.pages) >= 1
        assert reader.pages[0].extract_text().strip(), source.name


def test_the_run_of_show_fits_its_page_in_word_too(pack: Path, converted: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    plan = yaml.safe_load((pack / "plan.yaml").read_text())
    first_page = pypdf.PdfReader(str(converted / "facilitator.pdf")).pages[0].extract_text()
    assert "Run of show" in first_page
    assert f"{plan['blocks'][0]['start']}-" in first_page
    last = plan["blocks"][-1]
    assert f"{last['start']}-{last['end']}".replace("-", "") in first_page.replace("-", "").replace(
        "\n", ""
    )
    cards = pypdf.PdfReader(str(converted / "cards.pdf"))
    work = [b for b in plan["blocks"] if b["activity"]]
    assert len(cards.pages) >= len(work)  # a card to a page at least
