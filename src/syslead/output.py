"""Writing outputs without ever leaving a partial file or clobbering one by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from syslead.errors import OutputError


def check_writable(path: Path, force: bool) -> None:
    """Refuse an existing file unless --force was given; call before any work is done."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder (expected a file name to write)")
    if path.exists() and not force:
        raise OutputError(f"{path}: the file exists; use --force to overwrite it")
    if not path.parent.exists():
        raise OutputError(f"{path}: the folder {path.parent} does not exist")


def write_atomic(path: Path, data: str | bytes, force: bool = False) -> None:
    """Write through a temporary file in the same folder and rename it into place."""
    check_writable(path, force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        # mkstemp makes the file private; give it the mode the file had, or a new file's usual one.
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
