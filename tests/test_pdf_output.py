"""--to pdf for the questionnaire, the assessment report and the scenario's documents, on A4 or
US letter (--paper), read back with pypdf: the page size in points and the text on the pages.
The pack's --paper letter lays every printed page out on letter, and a3 still puts the wall agenda
on A3."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run
from .reading import parse_html

pypdf = pytest.importorskip("pypdf")

Cli = Callable[..., Run]

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


@pytest.fixture(autouse=True)
def _weasyprint_or_skip() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("the pdf extra is not installed")


def read_pdf(cli: Cli, path: Path, *args: str) -> tuple[Any, str]:
    """Run a command that writes ``path``; its pages and all their text, spaces evened out."""
    result = cli(*args, "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    pdf = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in pdf.pages)
    return pdf, re.sub(r"\s+", " ", text)


def assert_paper(pdf: Any, size: tuple[float, float]) -> None:
    for page in pdf.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == size


def answers(cli: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    result = cli("assess", "questionnaire", "--example", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def test_questionnaire_on_a4_and_letter(cli: Cli, tmp_path: Path) -> None:
    pdf, text = read_pdf(cli, tmp_path / "q.pdf", "assess", "questionnaire", "--to", "pdf")
    assert_paper(pdf, A4)
    assert "Where are we as a system leadership group?" in text
    assert "Your answer" in text
    letter, text = read_pdf(
        cli, tmp_path / "q-letter.pdf", "assess", "questionnaire", "--paper", "letter"
    )
    assert_paper(letter, LETTER)
    assert "Your answer" in text


def test_report_pdf_from_the_suffix(cli: Cli, tmp_path: Path) -> None:
    path = answers(cli, tmp_path)
    pdf, text = read_pdf(cli, tmp_path / "report.pdf", "assess", "report", str(path))
    assert_paper(pdf, A4)
    assert "Five-factor self-assessment: results" in text
    assert "Recommended focus" in text
    letter, _ = read_pdf(
        cli, tmp_path / "r.pdf", "assess", "report", str(path), "--to", "pdf", "--paper", "letter"
    )
    assert_paper(letter, LETTER)


def test_budget_key_and_brief(cli: Cli, tmp_path: Path) -> None:
    base = ["scenario", "fixed-budget", "--example"]
    key, text = read_pdf(cli, tmp_path / "key.pdf", *base, "--to", "pdf")
    assert_paper(key, A4)
    assert "facilitator key" in text
    assert "£102,857,142.86" in text  # the pooled budget's net, to the penny
    brief, text = read_pdf(
        cli, tmp_path / "brief.pdf", *base, "--audience", "participant", "--paper", "letter"
    )
    assert_paper(brief, LETTER)
    assert "participant brief" in text.lower()
    assert "£102,857,142.86" not in text  # the brief gives no answers


def test_power_and_observation_sheets(cli: Cli, tmp_path: Path) -> None:
    power, text = read_pdf(
        cli, tmp_path / "power.pdf", "scenario", "power-sheet", "--org", "Northshire Council"
    )
    assert_paper(power, A4)
    assert "Naming the power in the room" in text
    assert "Northshire Council" in text
    observer, text = read_pdf(
        cli,
        tmp_path / "observer.pdf",
        "scenario",
        "observation-sheet",
        "--name",
        "Asha Patel",
        "--paper",
        "letter",
    )
    assert_paper(observer, LETTER)
    assert "Observing the conversation" in text
    assert "Asha Patel" in text


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "questionnaire", "--to", "pdf"],
        ["scenario", "fixed-budget", "--example", "--to", "pdf"],
        ["scenario", "power-sheet", "--to", "pdf"],
        ["scenario", "observation-sheet", "--to", "pdf"],
    ],
)
def test_pdf_never_goes_to_the_terminal(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 1
    assert "add -o FILE.pdf" in result.stderr
    assert result.stdout == ""


def test_report_pdf_needs_a_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("assess", "report", str(answers(cli, tmp_path)), "--to", "pdf")
    assert result.exit_code == 1
    assert "add -o FILE.pdf" in result.stderr


def test_handout_on_letter(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    assert cli("plan-session", "--format", "six-weekly", "-o", str(plan)).exit_code == 0
    pdf, text = read_pdf(
        cli,
        tmp_path / "p.pdf",
        "handout",
        str(plan),
        "--audience",
        "participant",
        "--paper",
        "letter",
    )
    assert_paper(pdf, LETTER)
    assert "Six-weekly meeting" in text


def page_sizes(html: str) -> list[str]:
    """The paper every plain ``@page`` rule of a page's style sheets asks for, in order (the last
    one wins when the page prints)."""
    return re.findall(r"@page \{\s*size: ([^;]+);", parse_html(html).style)


def test_pack_paper(cli: Cli, tmp_path: Path) -> None:
    sizes = {}
    for paper in ("a4", "letter", "a3"):
        folder = tmp_path / paper
        extra = [] if paper == "a4" else ["--paper", paper]
        result = cli("plan-session", "--format", "six-weekly", "--out-dir", str(folder), *extra)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        sizes[paper] = {
            page.name: page_sizes(page.read_text(encoding="utf-8"))[-1:]
            for page in sorted(folder.glob("*.html"))
        }
    printed = [name for name in sizes["a4"] if name != "room.html"]
    assert printed  # the agenda, the handouts, the cards, the charter, the evaluation...
    assert sizes["a4"]["room.html"] == sizes["letter"]["room.html"] == []  # a screen, not paper
    for name in printed:
        assert sizes["a4"][name] == ["A4"], name
        assert sizes["letter"][name] == ["letter"], name
        assert sizes["a3"][name] == ["A4"], name  # A3 is for the wall agenda alone
    refused = cli("assess", "questionnaire", "--to", "pdf", "--paper", "a3", "-o", "x.pdf")
    assert (refused.exit_code, refused.stdout) == (2, "")  # A3 is for the wall agenda only
    assert "--paper" in refused.stderr


def test_wall_agenda_on_letter(tmp_path: Path) -> None:
    from syslead.documents.handouts import plan_document_html
    from syslead.documents.pages import html_to_pdf
    from syslead.library.loader import load_library
    from syslead.planning.plan import PlanRequest
    from syslead.planning.planner import plan_session

    library = load_library()
    plan = plan_session(library, PlanRequest(format="six-weekly"))
    page = plan_document_html("wall", plan, library, paper="letter", large_print=True)
    pdf = pypdf.PdfReader(io.BytesIO(html_to_pdf(page, one_page=True)))
    assert len(pdf.pages) == 1
    assert_paper(pdf, LETTER)
