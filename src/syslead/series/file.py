"""Series files on disk: read with located errors, written atomically under a lock.

Several facilitators (or several terminals) may record into the same series at once. Every change
takes an exclusive lock on a lock file beside the series, reads the file afresh, applies the change
and writes a temporary file that is renamed into place, so a reader never sees half a file and no
writer's record is lost.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from syslead.errors import InputError, Problem
from syslead.library.yamlio import load_yaml, locate, located, validate_as
from syslead.output import write_atomic
from syslead.series.programme import Series, order_issues

HEADER = """\
# A syslead series: a recurring programme and the log of what each session agreed.
# Edit dates, formats and focus by hand if you need to; `syslead series record` adds to the log.
# syslead writes this file from its data, so comments added by hand are not kept.
# `syslead series status` shows where the programme stands; `syslead series plan` writes the packs.
"""


def load_series(path: Path) -> Series:
    """Read and validate a series file; every problem is reported with its line."""
    doc = load_yaml(path, "series file")
    if not isinstance(doc.data, dict):
        line, column = locate(doc.node, ())
        raise InputError(
            [Problem(doc.path, line, column, "", "expected a series (a mapping with sessions)")]
        )
    series: Series = validate_as(Series, doc.data, doc, context={"order_checked_by_caller": True})
    issues = order_issues(series)
    if issues:
        raise InputError(located(doc, issues))
    return series


def dump_series(series: Series) -> str:
    """The series as YAML, in a stable order that diffs well."""
    import yaml

    data = series.model_dump(mode="json", exclude_none=True)
    for session in data["sessions"]:
        if not any(session["record"].values()):
            del session["record"]  # an empty log is noise in a file meant for people
        if not session["revision"]:
            del session["revision"]
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock for changing ``path``, held on a hidden ``.NAME.lock`` beside it.

    The lock file is left in place: removing it while another writer waits on it would let two
    writers hold "the" lock at once.
    """
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic replace still prevents torn files
        yield
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def update_series(path: Path, change: Callable[[Series], Series]) -> Series:
    """Apply ``change`` to the series on disk, under the lock, and write it back atomically."""
    if not path.is_file():
        load_series(path)  # the clear "no such series file" message, and no lock file left behind
    with locked(path):
        series = change(load_series(path))
        write_atomic(path, dump_series(series), force=True)
    return series
