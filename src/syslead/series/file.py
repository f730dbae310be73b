"""Series files on disk: read with located errors, written atomically under a lock.

Several facilitators (or several terminals) may record into the same series at once. Every change
takes an exclusive lock on a lock file beside the series, reads the file afresh, applies the change
and writes a temporary file that is renamed into place, so a reader never sees half a file and no
writer's record is lost. A writer that finds the lock taken says so after a second and gives up
after :data:`LOCK_TIMEOUT` seconds.

Reading goes through the bounded PyYAML loader (line numbers for every problem, and the node cap
that stops alias bombs). Writing goes back through ruamel.yaml's round-trip mode: the file as it
is on disk is updated in place, so comments a person wrote and the order of their keys survive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syslead.errors import InputError, OutputError, Problem, SysleadError
from syslead.library.yamlio import load_yaml, locate, located, validate_as
from syslead.output import write_atomic
from syslead.series.programme import SCHEMA_VERSION, Series, order_issues, reference_issues

HEADER = """\
# A syslead series: a recurring programme and the log of what each session agreed.
# Edit dates, formats, focus and members by hand if you need to; `syslead series record` adds to
# the log. Comments you add are kept when syslead writes the file again.
# `syslead series status` shows where the programme stands; `syslead series plan` writes the packs.
"""

LOCK_TIMEOUT = 30.0
"""How many seconds a writer waits for another writer's lock before giving up."""
LOCK_NOTICE = 1.0
"""After how many seconds of waiting a writer says that it is waiting."""


def load_series(path: Path) -> Series:
    """Read and validate a series file; every problem is reported with its line."""
    doc = load_yaml(path, "series file")
    if not isinstance(doc.data, dict):
        line, column = locate(doc.node, ())
        raise InputError(
            [Problem(doc.path, line, column, "", "expected a series (a mapping with sessions)")]
        )
    series: Series = validate_as(Series, doc.data, doc, context={"order_checked_by_caller": True})
    issues = order_issues(series) + reference_issues(series)
    if issues:
        raise InputError(located(doc, issues))
    return series


def series_data(series: Series) -> dict[str, Any]:
    """The series as plain data, in a stable order that diffs well, without empty noise."""
    data = series.model_dump(mode="json", exclude_none=True)
    data["schema_version"] = SCHEMA_VERSION
    for key in ("members", "skip", "organisations"):
        if not data.get(key):
            data.pop(key, None)
    for session in data["sessions"]:
        record = session["record"]
        for key in [k for k, v in record.items() if not v]:
            del record[key]  # an empty log is noise in a file meant for people
        if not record:
            del session["record"]
        if not session["revision"]:
            del session["revision"]
    return data


def dump_series(series: Series, previous: str | None = None) -> str:
    """The series as YAML; with ``previous`` (the file as it was), an update that keeps its comments."""
    data = series_data(series)
    if previous is None:
        import yaml

        return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 100
    document = rt.load(previous)
    if not isinstance(document, dict):  # pragma: no cover - load_series refused it already
        raise SysleadError("the series file is not a mapping")
    merged = _merge(document, data)
    out = io.StringIO()
    rt.dump(merged, out)
    return out.getvalue()


def _merge(old: Any, new: Any) -> Any:
    """``new`` laid over ``old`` in place, keeping old's comments, quoting and key order."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        order = list(new)
        for key, value in new.items():
            if key in old:
                old[key] = _merge(old[key], value)
                continue
            later = [k for k in order[order.index(key) + 1 :] if k in old]
            position = list(old).index(later[0]) if later and hasattr(old, "insert") else len(old)
            if hasattr(old, "insert"):
                old.insert(position, key, value)
            else:  # pragma: no cover - ruamel always gives CommentedMaps
                old[key] = value
        return old
    if isinstance(old, list) and isinstance(new, list):
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merge(old[index], value)
            else:
                old.append(value)
        del old[len(new) :]
        return old
    return old if _same(old, new) else new


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool) and old == new
    if isinstance(old, (list, dict)) or isinstance(new, (list, dict)):
        return False
    return old == new and (
        type(old) is type(new) or (isinstance(old, str) and isinstance(new, str))
    )


@contextlib.contextmanager
def locked(path: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """An exclusive lock for changing ``path``, held on a hidden ``.NAME.lock`` beside it.

    The lock file is left in place: removing it while another writer waits on it would let two
    writers hold "the" lock at once. ``on_wait`` hears once that the lock is taken, after
    :data:`LOCK_NOTICE` seconds; after :data:`LOCK_TIMEOUT` (or ``$SYSLEAD_LOCK_TIMEOUT``) seconds
    the writer gives up with a clear message.
    """
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic replace still prevents torn files
        yield
        return
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise OutputError(
            f"{path}: cannot make the lock file {lock_path} ({err.strerror}); syslead needs to "
            "write in the series file's folder"
        ) from None
    try:
        _acquire(fd, path, on_wait)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def lock_timeout() -> float:
    """The documented wait, or ``$SYSLEAD_LOCK_TIMEOUT`` seconds when set to a number."""
    try:
        return max(0.0, float(os.environ.get("SYSLEAD_LOCK_TIMEOUT", LOCK_TIMEOUT)))
    except ValueError:
        return LOCK_TIMEOUT


def _acquire(fd: int, path: Path, on_wait: Callable[[str], None] | None) -> None:
    import fcntl

    began = time.monotonic()
    told = False
    limit = lock_timeout()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - began
        if waited >= limit:
            raise SysleadError(
                f"{path}: gave up after {limit:g} seconds waiting for another writer to finish "
                "with this series; nothing was written. Try again in a moment (if no other "
                "syslead is running, another program holds the lock)"
            )
        if not told and waited >= LOCK_NOTICE and on_wait is not None:
            on_wait(f"{path}: another writer is changing this series; waiting for it to finish")
            told = True
        time.sleep(0.05)


@dataclass(frozen=True)
class Update:
    """What an update wrote: the series, and the schema version it was upgraded from, if any."""

    series: Series
    upgraded_from: int | None = None


def update_series(
    path: Path,
    change: Callable[[Series], Series],
    on_wait: Callable[[str], None] | None = None,
) -> Update:
    """Apply ``change`` to the series on disk, under the lock, and write it back atomically."""
    if not path.is_file():
        load_series(path)  # the clear "no such series file" message, and no lock file left behind
    with locked(path, on_wait):
        text = path.read_text(encoding="utf-8")
        before = load_series(path)
        series = change(before)
        write_atomic(path, dump_series(series, text), force=True)
    upgraded = before.schema_version if before.schema_version < SCHEMA_VERSION else None
    return Update(series, upgraded)
