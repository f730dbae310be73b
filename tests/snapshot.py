"""Reference snapshots: compared byte for byte, rewritten only on request, differences shown.

A test hands its output to the ``snapshot`` fixture (in conftest) with a file name under
``tests/snapshots/``. A missing snapshot fails rather than being written, and a changed output fails
with a unified diff; ``pytest --regenerate-snapshots`` writes the new output and prints the same
diff, so that every change to a reference is seen and deliberate.
"""

from __future__ import annotations

import difflib
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
OPTION = "--regenerate-snapshots"


def difference(path: Path, text: str) -> str | None:
    """A unified diff from the snapshot at ``path`` to ``text``; None when they are equal."""
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text:
        return None
    before = f"{path.name} (missing)" if old is None else f"{path.name} (snapshot)"
    diff = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        text.splitlines(keepends=True),
        fromfile=before,
        tofile=f"{path.name} (this run)",
    )
    return "".join(diff)


def compare(path: Path, text: str, *, regenerate: bool) -> str | None:
    """Check ``text`` against its snapshot; return the diff when it was regenerated.

    Raises AssertionError, with the diff, when they differ and ``regenerate`` is not set.
    """
    diff = difference(path, text)
    if diff is None:
        return None
    if not regenerate:
        what = "is missing" if not path.exists() else "differs from this run"
        raise AssertionError(
            f"the snapshot {path.name} {what}; check the diff and run pytest {OPTION} to accept "
            f"it:\n{diff}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return diff
