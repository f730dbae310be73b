"""Reading YAML files safely, quickly, and with every error located to a line and column.

Parsing proper lives in :mod:`syslead.library.yamlnodes` (which imports PyYAML); this module reads files,
serves clean ones from a content-keyed cache, and turns validation errors into located problems,
composing the node tree again only when an error needs a line number.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from syslead.errors import InputError, Problem

if TYPE_CHECKING:
    import yaml

M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 5 * 1024 * 1024
"""Playbook and plan files above this size are refused before they are parsed."""


class Document:
    """A parsed YAML file: its data, and (composed again on demand) the nodes that locate values.

    Data read from the cache has no node tree until an error needs a line number.
    """

    def __init__(self, path: str, data: Any, text: str, node: yaml.Node | None = None) -> None:
        self.path = path
        self.data = data
        self.text = text
        self._node = node

    @property
    def node(self) -> yaml.Node | None:
        """The composed root node (a PyYAML node), for locating values."""
        if self._node is None and self.text:
            from syslead.library.yamlnodes import compose

            self._node = compose(self.text)
        return self._node


def decode_text(path: str, raw: bytes) -> str:
    """Bytes as UTF-8 text, or an InputError naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    path,
                    line,
                    0,
                    "",
                    f"the file is not UTF-8 text (bad byte at offset {err.start})",
                )
            ]
        ) from None


def read_bytes(path: Path, what: str = "file") -> bytes:
    """Read a file, refusing oversized, missing and unreadable files with a clear message."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                [
                    Problem(
                        name,
                        0,
                        0,
                        "",
                        f"the {what} is {size:,} bytes, over the {MAX_BYTES:,}-byte limit",
                    )
                ]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, message=f"no such {what}")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, message=f"expected a {what}, found a folder")]) from None
    except OSError as err:
        raise InputError(
            [Problem(name, message=f"cannot read the {what}: {err.strerror}")]
        ) from None
    return raw


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 text file, refusing oversized, missing and undecodable files."""
    return decode_text(str(path), read_bytes(path, what))


def parse_yaml(text: str, path: str) -> Document:
    """Parse one YAML document safely; every problem in it is raised together as an InputError."""
    from syslead.library.yamlnodes import compose_document

    data, node = compose_document(text, path)
    return Document(path, data, text, node)


CACHE_VERSION = "1"
CACHE_GROWTH = 16
"""A cache entry is at most this many times its source (plus 64 KiB), or it is not written."""


_CACHE_DIRS: dict[tuple[str, str], Path | None] = {}


def cache_dir() -> Path | None:
    """Where parsed playbook files are cached, or None when caching is off (SYSLEAD_NO_CACHE).

    Worked out once for each setting of the two variables: a library of many files asks once
    per file, and platformdirs is slow enough for that to show.
    """
    key = (os.environ.get("SYSLEAD_NO_CACHE", ""), os.environ.get("SYSLEAD_CACHE_DIR", ""))
    if key not in _CACHE_DIRS:
        _CACHE_DIRS[key] = _find_cache_dir(*key)
    return _CACHE_DIRS[key]


def _find_cache_dir(no_cache: str, override: str) -> Path | None:
    if no_cache:
        return None
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("syslead", appauthor=False))


def load_yaml(path: Path, what: str = "file") -> Document:
    """Read and parse a YAML file from disk, through a cache keyed by the file's content.

    Parsing YAML is the slowest part of loading a large library, and a facilitator runs syslead
    many times over the same files. The cache holds only the plain data of files that parsed
    cleanly, keyed by a hash of their bytes, so an edited file is simply parsed again.
    """
    raw = read_bytes(path, what)
    return parse_cached(raw, str(path))


def parse_cached(raw: bytes, name: str) -> Document:
    """Parse a file's bytes, or take its data from the cache when the same bytes were parsed before."""
    text = decode_text(name, raw)
    data = cache_get("parsed", raw)
    if data is not None:
        return Document(name, data, text)
    doc = parse_yaml(text, name)
    cache_put("parsed", raw, doc.data)
    return doc


_PERSON = f"syslead{CACHE_VERSION}py{sys.version_info[0]}{sys.version_info[1]}".encode()[:16]


def _cache_entry(kind: str, raw: bytes, salt: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.blake2b(raw, digest_size=20, person=_PERSON, salt=salt[:16]).hexdigest()
    return folder / f"{digest}.{kind}.marshal"


def cache_get(kind: str, raw: bytes, salt: bytes = b"") -> Any:
    """What was cached of this kind for these bytes, or None (also when caching is off)."""
    entry = _cache_entry(kind, raw, salt)
    if entry is None:
        return None
    try:
        return marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def cache_put(kind: str, raw: bytes, data: Any, salt: bytes = b"") -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply not used."""
    entry = _cache_entry(kind, raw, salt)
    if entry is None:
        return
    try:
        body = marshal.dumps(data)
        if len(body) > CACHE_GROWTH * len(raw) + 65_536:
            return  # what a small file expands to is not worth keeping
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        tmp.write_bytes(body)
        os.replace(tmp, entry)
    except (OSError, ValueError):
        pass


def locate(
    node: yaml.Node | None, loc: Sequence[int | str], at_key: bool = False
) -> tuple[int, int]:
    """The line and column of the value at ``loc`` (see :func:`syslead.library.yamlnodes.locate`)."""
    if node is None:
        return 0, 0
    from syslead.library.yamlnodes import locate as locate_in

    return locate_in(node, loc, at_key)


def field_path(loc: Iterable[int | str]) -> str:
    """``('steps', 2, 'minutes')`` as ``steps[2].minutes``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _allowed_fields(model: type[BaseModel], loc: Sequence[int | str]) -> list[str] | None:
    """The field names of the model found at ``loc`` (for 'unknown field' messages)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``list[Step]``, ``Meal | None``), if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def _describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        hint = f" (expected one of: {', '.join(allowed)})" if allowed else ""
        return f"unknown field{hint}"
    message = str(error["msg"])
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message[:1].lower() + message[1:]
    if kind not in {"value_error", "assertion_error"} and "input" in error:
        shown = repr(error["input"])
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message += f" (got {shown})"
    return message


def validation_problems(
    err: ValidationError,
    model: type[BaseModel],
    doc: Document,
    prefix: Sequence[int | str] = (),
) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems."""
    problems = []
    for error in err.errors(include_url=False):
        loc = tuple(error["loc"])
        line, column = locate(doc.node, (*prefix, *loc), at_key=error["type"] == "extra_forbidden")
        problems.append(Problem(doc.path, line, column, field_path(loc), _describe(error, model)))
    return problems


def located(doc: Document, issues: Iterable[tuple[Sequence[int | str], str]]) -> list[Problem]:
    """Problems found after validation (a field path and a message each), located in ``doc``."""
    problems = []
    for loc, message in issues:
        line, column = locate(doc.node, loc)
        problems.append(Problem(doc.path, line, column, field_path(loc), message))
    return problems


def validate_as(
    model: type[M],
    data: Any,
    doc: Document,
    prefix: Sequence[int | str] = (),
    context: dict[str, Any] | None = None,
) -> M:
    """Validate ``data`` (found at ``prefix`` in ``doc``) as ``model``, with located errors."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as err:
        raise InputError(validation_problems(err, model, doc, prefix)) from None
