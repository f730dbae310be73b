"""Safe YAML reading that remembers where every value came from.

PyYAML composes the document into nodes (through the C parser where it is installed); we then build
plain Python data from those nodes ourselves. That gives us three things the stock loaders do not:
object-construction tags are refused by name instead of being run, duplicate keys are errors rather
than silent overwrites, and a validation error's field path can be mapped back to a line and column.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Problem

MAX_BYTES = 5 * 1024 * 1024
"""Playbook and plan files above this size are refused before they are parsed."""

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    _TAG + "str": None,
    _TAG + "null": _constructor.construct_yaml_null,
    _TAG + "bool": _constructor.construct_yaml_bool,
    _TAG + "int": _constructor.construct_yaml_int,
    _TAG + "float": _constructor.construct_yaml_float,
    # Dates stay text: the models parse them, and a plan's date must round-trip unchanged.
    _TAG + "timestamp": None,
}


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
        """The composed root node, for locating values."""
        if self._node is None and self.text:
            self._node = yaml.compose(self.text, Loader=_Loader)
        return self._node


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _Builder:
    """Turns composed nodes into plain data, collecting problems rather than stopping."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, field: str, message: str) -> None:
        line, column = _mark(node)
        self.problems.append(Problem(self.path, line, column, field, message))

    def build(self, node: yaml.Node, field: str = "") -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, field)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self.unsupported(node, field)
                return None
            return [self.build(item, f"{field}[{i}]") for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, field)
        self.problem(node, field, "unreadable YAML node")  # pragma: no cover - PyYAML has 3 kinds
        return None

    def unsupported(self, node: yaml.Node, field: str) -> None:
        self.problem(
            node,
            field,
            f"the YAML tag {_short_tag(node.tag)} is not allowed "
            "(expected plain text, numbers, true/false, lists and mappings)",
        )

    def scalar(self, node: yaml.ScalarNode, field: str) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.unsupported(node, field)
            return None
        construct = _SCALAR_TAGS[node.tag]
        return node.value if construct is None else construct(node)

    def mapping(self, node: yaml.MappingNode, field: str) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            self.unsupported(node, field)
            return {}
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.problem(
                    key_node, field, "merge keys (<<) are not supported; write the fields out"
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.problem(key_node, field, "a key must be plain text")
                continue
            key = str(key_node.value)
            here = f"{field}.{key}" if field else key
            if key in first_seen:
                self.problem(
                    key_node, here, f"the key appears twice (first on line {first_seen[key]})"
                )
                continue
            first_seen[key] = _mark(key_node)[0]
            result[key] = self.build(value_node, here)
        return result


def _decode(path: str, raw: bytes) -> str:
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
    return _decode(str(path), read_bytes(path, what))


def parse_yaml(text: str, path: str) -> Document:
    """Parse one YAML document safely; every problem in it is raised together as an InputError."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = err.problem or err.context or "not valid YAML"
        raise InputError([Problem(path, line, column, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as err:
        raise InputError([Problem(path, message=f"YAML syntax error: {err}")]) from None
    if node is None:
        raise InputError([Problem(path, 1, 0, "", "the file is empty (expected YAML content)")])
    builder = _Builder(path)
    data = builder.build(node)
    if builder.problems:
        raise InputError(builder.problems)
    return Document(path, data, text, node)


CACHE_VERSION = "1"


def cache_dir() -> Path | None:
    """Where parsed playbook files are cached, or None when caching is off (SYSLEAD_NO_CACHE)."""
    if os.environ.get("SYSLEAD_NO_CACHE"):
        return None
    override = os.environ.get("SYSLEAD_CACHE_DIR")
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
    name = str(path)
    text = _decode(name, raw)
    folder = cache_dir()
    if folder is None:
        return parse_yaml(text, name)
    digest = hashlib.blake2b(raw, digest_size=20, person=_PERSON).hexdigest()
    entry = folder / f"{digest}.marshal"
    try:
        data = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        doc = parse_yaml(text, name)
        _store(entry, doc.data)
        return doc
    return Document(name, data, text)


_PERSON = f"syslead{CACHE_VERSION}py{sys.version_info[0]}{sys.version_info[1]}".encode()[:16]


def _store(entry: Path, data: Any) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply not used."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(data))
        os.replace(tmp, entry)
    except (OSError, ValueError):
        pass


def locate(
    node: yaml.Node | None, loc: Sequence[int | str], at_key: bool = False
) -> tuple[int, int]:
    """The line and column of the value at ``loc``, or of its nearest existing ancestor.

    With ``at_key``, the position of the last key itself: that is where a reader looks for an
    unknown or misspelt field.
    """
    if node is None:
        return 0, 0
    position = _mark(node)
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    position = _mark(key_node) if at_key and part == loc[-1] else _mark(value_node)
                    node = value_node
                    break
            else:
                return position
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return position
            node = node.value[part]
            position = _mark(node)
        else:
            return position
    return position


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
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
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


def validate_as(
    model: type[BaseModel], data: Any, doc: Document, prefix: Sequence[int | str] = ()
) -> Any:
    """Validate ``data`` (found at ``prefix`` in ``doc``) as ``model``, with located errors."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise InputError(validation_problems(err, model, doc, prefix)) from None


def relative_name(path: Path) -> str:
    """A path as the user would want to read it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
