"""The agenda timeline: contrast of its text and fills computed from the SVG, in colour and in grey."""

from __future__ import annotations

import itertools
import re
from xml.etree import ElementTree

import pytest

from syslead.documents.handouts import plan_document_html
from syslead.documents.pages import (
    FACTOR_COLOURS,
    REST_FILL,
    TIMELINE_WIDTH,
    WHITE,
    timeline_svg,
)
from syslead.library.loader import Library, load_library
from syslead.planning.plan import Plan, PlanRequest
from syslead.planning.planner import plan_session

SVG = "{http://www.w3.org/2000/svg}"
PT_PER_MM = 72 / 25.4


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, written here from the specification
    (relative luminance with the sRGB transfer curve), not taken from the code under test."""

    def luminance(colour: str) -> float:
        def linear(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def greyscale(colour: str) -> str:
    """The grey a printer driver makes of a colour: Rec. 601 luma, 0.299 R + 0.587 G + 0.114 B."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    y = round(0.299 * r + 0.587 * g + 0.114 * b)
    return f"#{y:02x}{y:02x}{y:02x}"


def test_the_yardsticks_match_values_worked_by_hand() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's grey on white
    assert greyscale("#ff0000") == "#4c4c4c"  # 0.299 x 255 = 76.2
    assert greyscale("#00ff00") == "#969696"  # 0.587 x 255 = 149.7
    assert WHITE == "#ffffff"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def plan(library: Library) -> Plan:
    request = PlanRequest(date="2027-01-15", participants=14, organisations=["A", "B", "C"])
    return plan_session(library, request)


@pytest.fixture(scope="module")
def svg(plan: Plan, library: Library) -> ElementTree.Element:
    return ElementTree.fromstring(timeline_svg(plan, library))


def backgrounds(root: ElementTree.Element, x: float, y: float) -> list[str]:
    """The fills under a point: the last rect drawn there (a hatched rest block is white and grey)."""
    under = [WHITE]
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("x") is None or rect.find("..") is not None:
            continue
        rx, ry = float(rect.get("x", 0)), float(rect.get("y", 0))
        rw, rh = float(rect.get("width", 0)), float(rect.get("height", 0))
        if rx <= x <= rx + rw and ry <= y <= ry + rh:
            fill = rect.get("fill", WHITE)
            under = [WHITE, REST_FILL] if fill.startswith("url(") else [fill]
    return under


def text_checks(root: ElementTree.Element) -> list[tuple[str, str, str]]:
    """(text, ink, background) for every text: each ink against each fill it may sit on."""
    out = []
    for text in root.iter(f"{SVG}text"):
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        size = float(text.get("font-size", 10))
        probe_x = x if text.get("text-anchor") != "end" else x - 2
        for fill in backgrounds(root, probe_x, y - size / 3):
            out.append((text.text or "", text.get("fill", "#000000"), fill))
    return out


def test_every_text_has_4_5_to_1_contrast_in_colour_and_greyscale(
    svg: ElementTree.Element,
) -> None:
    checks = text_checks(svg)
    assert len(checks) > 20
    for words, ink, fill in checks:
        assert contrast(ink, fill) >= 4.5, (words, ink, fill)
        assert contrast(greyscale(ink), greyscale(fill)) >= 4.5, (words, ink, fill)


def test_factor_colours_stay_apart_in_greyscale() -> None:
    colours = list(FACTOR_COLOURS.values())
    for a, b in itertools.combinations(colours, 2):
        assert contrast(a, b) >= 1.3, (a, b)
        assert contrast(greyscale(a), greyscale(b)) >= 1.3, (a, b)
    for colour in colours:  # and from the paper, the work blocks' fill and each other's digits
        assert contrast(greyscale(colour), WHITE) > 1.1


def test_text_prints_at_8pt_or_more_on_a4(plan: Plan, library: Library) -> None:
    page = plan_document_html("agenda", plan, library)
    width_mm = float(re.search(r"\.timeline \{[^}]*max-width: (\d+)mm", page).group(1))  # type: ignore[union-attr]
    scale = width_mm / TIMELINE_WIDTH * PT_PER_MM  # points per SVG unit when printed
    root = ElementTree.fromstring(timeline_svg(plan, library))
    sizes = {float(t.get("font-size", 0)) for t in root.iter(f"{SVG}text")}
    assert min(sizes) * scale >= 8


def test_every_factor_of_a_block_shows(plan: Plan, svg: ElementTree.Element) -> None:
    blocks = [g for g in svg.iter(f"{SVG}g") if "block" in g.get("class", "")]
    assert len(blocks) == len(plan.blocks)
    colour_of: dict[str, set[str | None]] = {}
    for block, g in zip(plan.blocks, blocks, strict=True):
        stripes = [r for r in g.iter(f"{SVG}rect") if r.get("class") == "stripe"]
        assert len(stripes) == len(block.factors)
        for factor, stripe in zip(block.factors, stripes, strict=True):
            colour_of.setdefault(factor, set()).add(stripe.get("fill"))
        digits = [t.text for t in g.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
        assert len(digits) == len(block.factors)
    # One colour to a factor wherever it shows, and no two factors share one.
    assert all(len(fills) == 1 for fills in colour_of.values()), colour_of
    assert len({next(iter(fills)) for fills in colour_of.values()}) == len(colour_of) == 5


def test_title_and_description_list_the_blocks(plan: Plan, svg: ElementTree.Element) -> None:
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "timeline-title timeline-desc"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert plan.title in (title.text or "")
    for block in plan.blocks:
        assert f"{block.start} to {block.end}, {block.title}" in (desc.text or "")


def test_a_block_on_two_factors_shows_both(library: Library) -> None:
    request = PlanRequest(focus=["altruism", "conflict"], participants=12, seed=2)
    plan = plan_session(library, request)
    root = ElementTree.fromstring(timeline_svg(plan, library))
    two = [b for b in plan.blocks if len(b.factors) >= 2]
    assert two
    stripes = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "stripe"]
    assert len(stripes) == sum(len(b.factors) for b in plan.blocks)
