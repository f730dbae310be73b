"""The printable HTML as a browser draws it: a screenshot in headless Chromium, where it is installed."""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import Pack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("document", ["facilitator.html", "participant.html", "cards.html"])
def test_handouts_render_in_a_browser(readme_pack: Pack, tmp_path: Path, document: str) -> None:
    assert readme_pack.run.exit_code == 0, readme_pack.run.stderr
    shot = tmp_path / "shot.png"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--hide-scrollbars",
            "--window-size=900,1200",
            f"--screenshot={shot}",
            (readme_pack.folder / document).as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (900, 1200)
    assert len(data) > 30_000  # a page with text and the timeline, not a blank one


# --- accessibility and reflow: axe-core in the system Chromium through Playwright ----------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    """axe-core's script, as the axe-playwright-python package ships it (nothing is downloaded)."""
    from importlib import resources

    try:
        return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
    except ModuleNotFoundError:
        pytest.skip("axe-playwright-python is not installed (pip install -e '.[test]')")


PAGES = [
    "agenda.html",
    "budget-brief.html",
    "budget-key.html",
    "cards.html",
    "charter.html",
    "evaluation.html",
    "facilitator.html",
    "observation-sheet.html",
    "participant.html",
    "power-sheet.html",
    "room.html",
    "questionnaire.html",
    "report.html",
]
"""Every HTML page syslead writes, each checked on its own (so the checks can run side by side)."""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, readme_pack: Pack) -> dict[str, Path]:
    """Every HTML document syslead writes: README's pack, the questionnaire, a report."""
    from syslead.assessment.questionnaire import load_questionnaire
    from syslead.assessment.report import questionnaire_html, report_html
    from syslead.assessment.responses import read_responses
    from syslead.assessment.statistics import report

    assert readme_pack.run.exit_code == 0, readme_pack.run.stderr
    out = {path.name: path for path in readme_pack.folder.glob("*.html")}
    folder = tmp_path_factory.mktemp("pages")
    q = load_questionnaire()
    answers = folder / "answers.csv"
    ids = [st.id for section in q.ordered_sections for st in section.statements]
    rows = ["organisation," + ",".join(ids)]
    rows += [
        f"{org}," + ",".join(str(1 + (k + n) % 5) for k in range(len(ids)))
        for n, org in enumerate(["A Council", "B Trust", "C GPs", "A Council"])
    ]
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for name, content in (
        ("questionnaire.html", questionnaire_html(q)),
        ("report.html", report_html(report(q, read_responses(answers, q)))),
    ):
        out[name] = folder / name
        out[name].write_text(content, encoding="utf-8")
    return out


def test_the_pages_checked_are_every_page(pages: dict[str, Path]) -> None:
    assert sorted(pages) == sorted(PAGES)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("the system Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe(browser: Any, pages: dict[str, Path], name: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(pages[name].as_uri())
    page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    context.close()
    assert result["passes"]  # axe ran its rules on the page
    assert [(v["id"], len(v["nodes"])) for v in result["violations"]] == []


@pytest.mark.parametrize(
    ("width", "scale"), [(400, 1), (640, 2)], ids=["400px", "200-percent-zoom"]
)
def test_every_page_reflows_without_sideways_scrolling(
    browser: Any, pages: dict[str, Path], width: int, scale: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, device_scale_factor=scale
    )
    page = context.new_page()
    wide = {}
    for name, path in pages.items():
        page.goto(path.as_uri())
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            wide[name] = (scroll, client)
        # the timeline's labels stay at least 8 CSS pixels tall
        svg_width = page.evaluate(
            "(() => { const s = document.querySelector('svg.timeline');"
            " return s ? s.getBoundingClientRect().width : null; })()"
        )
        if svg_width is not None:
            assert svg_width / 360 * 10 >= 8, (name, svg_width)
    context.close()
    assert wide == {}
