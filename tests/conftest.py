from __future__ import annotations

import json
import os
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from syslead.cli import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


WriteTree = Callable[[dict[str, str | bytes]], Path]

# How many random examples a test draws, set once for the suite: "quick" by default, "thorough"
# when SYSLEAD_THOROUGH=1 (as CI runs it). A hypothesis test leaves max_examples to the profile; a
# hand-seeded sample takes its size from ``examples()``.
for _name, _count in (("quick", 25), ("thorough", 200)):
    settings.register_profile(
        _name, max_examples=_count, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
settings.load_profile("thorough" if os.environ.get("SYSLEAD_THOROUGH") else "quick")


def examples(times: int = 1) -> int:
    """The size of a hand-seeded random sample: ``times`` the profile's number of examples."""
    return settings.default.max_examples * times


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the parse cache out of the user's folders (shared across a test session, as in real use)."""
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("SYSLEAD_NO_CACHE", raising=False)


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Turn {"activities/x.yaml": "..."} into files under a fresh folder; return the folder."""
    counter = iter(range(1000))

    def write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / f"tree{next(counter)}"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return write


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run the CLI in process with a fixed terminal width and no user playbooks from the environment."""
    monkeypatch.delenv("SYSLEAD_PLAYBOOKS", raising=False)
    monkeypatch.setenv("COLUMNS", "120")

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        runner = CliRunner()
        result = runner.invoke(app, list(args), env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerate-snapshots",
        action="store_true",
        help="rewrite the reference snapshots in tests/snapshots/ that differ, showing the diff",
    )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare a test's output with tests/snapshots/NAME (see tests/snapshot.py)."""
    import warnings

    from .snapshot import SNAPSHOTS, compare

    regenerate = bool(request.config.getoption("--regenerate-snapshots"))

    def check(name: str, text: str) -> None:
        diff = compare(SNAPSHOTS / name, text, regenerate=regenerate)
        if diff is not None:  # shown in pytest's warnings summary, with xdist too
            warnings.warn(f"regenerated the snapshot {name}:\n{diff}", stacklevel=2)

    return check


ACTIVITY = """
id: {id}
title: {title}
factors: [conflict]
summary: {summary}
purpose: Practise a hard conversation safely.
arc: explore
energy: medium
duration: {{min: 20, default: 30, max: 40}}
group_size: {{min: 4, max: 20}}
configuration: Pairs, then the whole group.
room: Chairs in a circle.
steps:
  - minutes: 10
    text: Alone, note the issue.
  - minutes: 20
    text: In pairs, talk it through.
facilitator_notes: {notes}
source: A test fixture.
"""


def activity_yaml(
    id: str = "test-activity",
    title: str = "A test activity",
    summary: str = "The group tries something.",
    notes: str = "Only for the facilitator.",
) -> str:
    return ACTIVITY.format(id=id, title=title, summary=summary, notes=notes)


README_PACK = [
    "plan-session",
    "--date",
    "2027-01-15",
    "--participants",
    "14",
    "--org",
    "Northshire County Council",
    "--org",
    "Northshire Hospitals",
    "--org",
    "Northshire GPs",
]
"""README's pack: a 14-person away-day for three organisations."""


@dataclass
class Pack:
    """A pack written once by ``plan-session --out-dir`` for the whole session, and how that went."""

    folder: Path
    run: Run
    printed: bool

    def pdf(self, name: str) -> bytes:
        """A PDF of the pack; skips the test where the pdf extra is not installed."""
        if not self.printed:
            pytest.skip("the pdf extra is not installed")
        return (self.folder / name).read_bytes()


def _pdf_extra() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@pytest.fixture(scope="session")
def readme_pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    """README's pack, with its PDFs where the pdf extra is installed, written once and shared.

    Printing a pack is the slowest thing the suite does, so every test that reads the default pack
    (its pages, its PDFs, the browser's view of it) reads this one rather than printing its own.
    Under pytest-xdist the first worker to ask writes it and the others wait for it and read it.
    """
    cache = tmp_path_factory.getbasetemp() / "cache"
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _write_pack(tmp_path_factory.mktemp("readme-pack"), cache)
    shared = tmp_path_factory.getbasetemp().parent / "readme-pack"
    try:
        shared.mkdir()  # atomic: exactly one worker gets to write the pack
    except FileExistsError:
        return _wait_for_pack(shared)
    return _write_pack(shared, cache)


def _write_pack(root: Path, cache: Path) -> Pack:
    printed = _pdf_extra()
    folder = root / "pack"
    args = [*README_PACK, "--out-dir", str(folder), *(["--pdf"] if printed else [])]
    outcome: dict[str, object] = {"error": "the pack was not written"}
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SYSLEAD_CACHE_DIR", str(cache))
            patch.delenv("SYSLEAD_NO_CACHE", raising=False)
            patch.delenv("SYSLEAD_PLAYBOOKS", raising=False)
            patch.setenv("COLUMNS", "120")
            result = CliRunner().invoke(app, args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            outcome = {"error": repr(result.exception)}
            raise result.exception
        run = Run(result.exit_code, result.stdout, result.stderr)
        outcome = {"run": vars(run), "printed": printed}
        return Pack(folder, run, printed)
    finally:
        done = root / "outcome.json.part"
        done.write_text(json.dumps(outcome), encoding="utf-8")
        done.replace(root / "outcome.json")


def _wait_for_pack(root: Path, timeout: float = 900) -> Pack:
    outcome = root / "outcome.json"
    deadline = time.monotonic() + timeout
    while not outcome.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"README's pack was not written to {root} in {timeout:.0f} seconds")
        time.sleep(0.1)
    found = json.loads(outcome.read_text(encoding="utf-8"))
    if "error" in found:
        pytest.fail(f"writing README's pack failed in another worker: {found['error']}")
    return Pack(root / "pack", Run(**found["run"]), found["printed"])
