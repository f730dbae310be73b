"""The printable HTML as a browser draws it: a screenshot in headless Chromium, where it is installed."""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run

Cli = Callable[..., Run]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("document", ["facilitator.html", "participant.html", "cards.html"])
def test_handouts_render_in_a_browser(cli: Cli, tmp_path: Path, document: str) -> None:
    out = tmp_path / "pack"
    assert cli("plan-session", "--out-dir", str(out), "--org", "Northshire Council").exit_code == 0
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
            (out / document).as_uri(),
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
