"""The room display in the system Chromium through Playwright, with the page's clock under control."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from syslead.library.loader import load_library

from .conftest import Run

Cli = Callable[..., Run]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2027, 1, 15)
EVIL = "<script>window.pwned=1</script> {{ 7*7 }}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("the system Chromium (/usr/bin/chromium) is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    from typer.testing import CliRunner

    from syslead.cli import app

    folder = tmp_path_factory.mktemp("room")
    plan_file, page = folder / "plan.yaml", folder / "room.html"
    runner = CliRunner()
    args = ["plan-session", "--date", DAY.isoformat(), "--org", EVIL, "--org", "Northshire ICB"]
    made = runner.invoke(app, [*args, "--title", EVIL, "--to", "yaml", "-o", str(plan_file)])
    assert made.exit_code == 0, made.stderr
    shown = runner.invoke(app, ["room", str(plan_file), "-o", str(page)])
    assert shown.exit_code == 0, shown.stderr
    return page, yaml.safe_load(plan_file.read_text())


def at(clock: str, day: dt.date = DAY, seconds: int = 0) -> dt.datetime:
    hours, minutes = (int(x) for x in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes, seconds), tzinfo=LONDON)


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def clock_of(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def open_room(browser: Any, page_file: Path, when: dt.datetime) -> Any:
    """A fresh page (its own storage) whose clock starts at ``when``, in London."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 720}, timezone_id="Europe/London"
    )
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.clock.install(time=when)
    page.goto(page_file.as_uri())
    page.clock.run_for(500)
    page.requests = requests
    return page


def text(page: Any, selector: str) -> str:
    return str(page.inner_text(selector)).strip()


def block_at(plan: dict[str, Any], clock: str) -> int:
    now = minutes(clock)
    return next(
        i for i, b in enumerate(plan["blocks"]) if minutes(b["start"]) <= now < minutes(b["end"])
    )


def test_following_the_clock_shows_the_block_of_the_moment(
    browser: Any, room: tuple[Path, dict[str, Any]]
) -> None:
    page_file, plan = room
    i = block_at(plan, "14:20")
    block, after = plan["blocks"][i], plan["blocks"][i + 1]
    page = open_room(browser, page_file, at("14:20", seconds=30))
    assert "Following the clock" in text(page, "#mode")
    assert text(page, "#now-title") in block["title"]
    left = minutes(block["end"]) - minutes("14:20")
    assert text(page, "#now-ends") == f"{left} min left of {block['minutes']}"
    assert text(page, "#now-remaining") == f"{left - 1}:30"
    assert (
        text(page, "#next") == f"Next: {after['start']} {after['title']} ({after['minutes']} min)"
    )
    assert text(page, "#strip-status") == "On time"
    assert "current" in page.get_attribute(f"#strip .seg:nth-child({i + 1})", "class")
    # ten minutes on, the clock has moved the countdown with it
    page.clock.run_for(10 * 60 * 1000)
    assert text(page, "#now-ends") == f"{left - 10} min left of {block['minutes']}"
    page.context.close()


def test_a_quiet_cue_two_minutes_before_the_end_and_at_zero(
    browser: Any, room: tuple[Path, dict[str, Any]]
) -> None:
    page_file, plan = room
    i = block_at(plan, "14:20")
    end = minutes(plan["blocks"][i]["end"])
    page = open_room(browser, page_file, at(clock_of(end - 3)))
    assert page.evaluate("document.body.className") == ""
    assert text(page, "#cue") == ""
    page.clock.run_for(61_000)  # 1:59 left
    assert page.evaluate("document.body.className") == "cue-two"
    assert text(page, "#cue") == "Two minutes left"
    page.clock.run_for(120_000)  # the next block has begun: the cue says this one is over
    assert page.evaluate("document.body.className") == "cue-zero"
    assert "has ended" in text(page, "#cue")
    page.clock.run_for(30_000)
    assert page.evaluate("document.body.className") == ""
    page.context.close()


def test_by_hand_space_arrows_and_a_minute_more_shift_later_blocks(
    browser: Any, room: tuple[Path, dict[str, Any]]
) -> None:
    page_file, plan = room
    blocks = plan["blocks"]
    page = open_room(browser, page_file, at("09:00", DAY - dt.timedelta(days=1)))
    assert "Driven by hand, paused" in text(page, "#mode")
    assert text(page, "#now-title") in blocks[0]["title"]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert text(page, "#mode").startswith("Driven by hand")
    page.clock.run_for(61_000)
    second = blocks[1]
    assert text(page, "#now-ends") == f"{second['minutes'] - 1} min left of {second['minutes']}"
    page.keyboard.press("+")
    assert text(page, "#now-ends") == f"{second['minutes']} min left of {second['minutes'] + 1}"
    later = clock_of(minutes(blocks[2]["start"]) + 1)
    assert text(page, "#next") == (
        f"Next: {later} {blocks[2]['title']} ({blocks[2]['minutes']} min)"
    )
    page.keyboard.press("Space")  # pause: the countdown stands still
    before = text(page, "#now-remaining")
    page.clock.run_for(30_000)
    assert text(page, "#now-remaining") == before
    # the position survives a reload, through the page's own local storage
    page.reload()
    page.clock.run_for(500)
    assert text(page, "#now-remaining") == before
    assert "local storage" in text(page, "#storage-note")
    page.keyboard.press("ArrowDown")  # the next step
    assert text(page, "#step-now").startswith("Step 2 of")
    page.context.close()


def test_by_hand_across_the_meal_the_meal_keeps_its_time(
    browser: Any, room: tuple[Path, dict[str, Any]]
) -> None:
    page_file, plan = room
    blocks = plan["blocks"]
    meal = next(i for i, b in enumerate(blocks) if b["kind"] == "meal")
    assert blocks[meal]["locked"]
    page = open_room(browser, page_file, at("12:00"))
    assert page.text_content("#now-state") == f"Starts at {plan['start']}"  # on the day, before
    for _ in range(meal - 2):
        page.keyboard.press("ArrowRight")
    assert text(page, "#mode") == "Driven by hand, paused"
    assert text(page, "#now-title") in blocks[meal - 2]["title"]
    page.keyboard.press("+")
    page.keyboard.press("+")
    nxt = blocks[meal - 1]
    shifted = clock_of(minutes(nxt["start"]) + 2)
    assert text(page, "#next") == f"Next: {shifted} {nxt['title']} ({nxt['minutes'] - 2} min)"
    meal_seg = page.inner_text(f"#strip .seg:nth-child({meal + 1}) .time")
    assert meal_seg.startswith(blocks[meal]["start"])
    page.keyboard.press("ArrowRight")
    page.keyboard.press("+")  # right before the meal there is no minute to move
    assert "stays at " + blocks[meal]["start"] in text(page, "#flash")
    page.keyboard.press("ArrowRight")
    assert text(page, "#now-title") == blocks[meal]["title"]
    assert (
        page.text_content("#now-state") == f"Now, {blocks[meal]['start']} to {blocks[meal]['end']}"
    )
    after = blocks[meal + 1]
    assert (
        text(page, "#next") == f"Next: {after['start']} {after['title']} ({after['minutes']} min)"
    )
    page.context.close()


def test_behind_the_printed_agenda_by_hand_on_the_day(
    browser: Any, room: tuple[Path, dict[str, Any]]
) -> None:
    page_file, plan = room
    page = open_room(browser, page_file, at(plan["start"]))
    assert "Following the clock" in text(page, "#mode")
    page.keyboard.press("Space")  # take over by hand, running
    page.keyboard.press("Space")  # and pause for five minutes
    page.clock.run_for(5 * 60_000)
    assert text(page, "#strip-status").startswith("5 min behind the printed agenda")
    page.context.close()


def test_readable_from_the_back_high_contrast_and_nothing_fetched(
    browser: Any, room: tuple[Path, dict[str, Any]]
) -> None:
    page_file, _plan = room
    page = open_room(browser, page_file, at("14:20"))
    height = 720
    for selector in ("#now-title", "#now-remaining"):
        size = float(
            page.evaluate(
                f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)"
            )
        )
        assert size >= height / 10, selector
    colours = page.evaluate(
        "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    assert page.requests == [page_file.as_uri()]
    # what the command line gave is shown as text, never run
    assert page.evaluate("window.pwned") is None
    assert EVIL in text(page, "#session")
    page.context.close()


def test_no_facilitator_notes_on_the_room_display(room: tuple[Path, dict[str, Any]]) -> None:
    page_file, plan = room
    html = " ".join(page_file.read_text(encoding="utf-8").split())
    library = load_library([])
    for block in plan["blocks"]:
        if block["activity"]:
            activity = library.entries[block["activity"]]
            assert " ".join(activity.facilitator_notes.split())[:50] not in html
            for item in activity.watch_for:
                assert " ".join(str(item).split())[:50] not in html
    assert "Content-Security-Policy" in html
    assert "<script>window.pwned" not in html


def test_every_pack_has_the_room_display(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    assert cli("plan-session", "--out-dir", str(out)).exit_code == 0
    assert (out / "room.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (out / "invite.ics").exists()  # no date, no invitation


def test_room_refuses_a_name_that_is_not_a_page(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    assert cli("plan-session", "--to", "yaml", "-o", str(plan)).exit_code == 0
    result = cli("room", str(plan), "-o", str(tmp_path / "room.pdf"))
    assert result.exit_code == 1
    assert "name the file .html" in result.stderr
    page = tmp_path / "room.html"
    assert cli("room", str(plan), "-o", str(page)).exit_code == 0
    again = cli("room", str(plan), "-o", str(page))
    assert again.exit_code == 1
    assert "--force" in again.stderr
