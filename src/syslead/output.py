"""Writing outputs without ever leaving a partial file or clobbering one by accident.

The rules, as README gives them:

- an existing regular file is replaced only with ``--force``, and then atomically (the new content
  is written beside it and renamed into place, so a reader never sees half a file);
- a symbolic link is followed: its target is written (by the same rules) and the link stays;
- a FIFO or a character device (``-o /dev/stdout``) is written through, as a shell redirection
  would, and never replaced by a regular file; a socket or a block device is refused;
- a folder that does not exist, or that cannot be written to, is refused before any work is done.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from syslead.errors import OutputError


def _target(path: Path) -> Path:
    """The path that is written: a symbolic link's target, or the path itself."""
    return path.resolve() if path.is_symlink() else path


def _kind(path: Path) -> str | None:
    """What is at a path: "file", "folder", "fifo", "device", "socket", "disk", or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as err:
        raise OutputError(f"{path}: cannot be read ({err.strerror})") from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "disk"


def check_writable(path: Path, force: bool) -> None:
    """Refuse what would be clobbered or cannot be written; call before any work is done."""
    target = _target(path)
    kind = _kind(target)
    if kind == "folder":
        raise OutputError(f"{path}: is a folder (expected a file name to write)")
    if kind in ("socket", "disk"):
        what = "a socket" if kind == "socket" else "a block device"
        raise OutputError(f"{path}: is {what}, not a file syslead will write")
    if kind in ("fifo", "device"):
        return  # written through, never replaced
    if kind == "file" and not force:
        raise OutputError(f"{path}: the file exists; use --force to overwrite it")
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {folder} cannot be written to (permission denied)")


def write_atomic(path: Path, data: str | bytes, force: bool = False) -> None:
    """Write through a temporary file in the same folder and rename it into place.

    A FIFO or a character device is written through instead (see the module's rules).
    """
    check_writable(path, force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = _target(path)
    if _kind(target) in ("fifo", "device"):
        try:
            with target.open("wb") as handle:
                handle.write(payload)
        except OSError as err:
            raise OutputError(f"{path}: cannot be written ({_reason(err)})") from None
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OutputError(f"{path}: cannot be written ({_reason(err)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        # mkstemp makes the file private; give it the mode the file had, or a new file's usual one.
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot be written ({_reason(err)})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "the disk is full"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return err.strerror or type(err).__name__


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
