"""The half of YAML reading that needs PyYAML: composing nodes and building plain data from them.

Kept apart from :mod:`syslead.library.yamlio` so that a run served from the parse cache never imports PyYAML.
Object-construction tags are refused by name instead of being run, duplicate keys are errors rather
than silent overwrites, and every value keeps the node that says where it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from syslead.errors import InputError, Problem

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


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


MAX_NODES = 100_000
"""The most values one YAML file may hold once its aliases are expanded.

The largest real file (a long series) holds a few thousand; a file whose aliases refer to aliases
("a billion laughs") would otherwise expand without bound in time and memory.
"""


class _TooManyNodes(Exception):
    """Raised inside the builder to stop at the first value over the limit."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


class _Builder:
    """Turns composed nodes into plain data, collecting problems rather than stopping."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.nodes = 0

    def problem(self, node: yaml.Node, field: str, message: str) -> None:
        line, column = _mark(node)
        self.problems.append(Problem(self.path, line, column, field, message))

    def build(self, node: yaml.Node, field: str = "") -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooManyNodes(node)
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
        if construct is None or ":" in node.value:
            # YAML 1.1 reads 13:30 as a base-60 number; a facilitator means a clock time.
            return node.value
        return construct(node)

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


def _located(path: str, line: int, column: int, message: str) -> InputError:
    """One problem with the whole file, at a line and column."""
    return InputError([Problem(path, line, column, "", message)])


def compose(text: str) -> yaml.Node | None:
    """Compose a YAML text into its node tree (through the C parser where installed)."""
    return yaml.compose(text, Loader=_Loader)


def compose_document(text: str, path: str) -> tuple[Any, yaml.Node]:
    """Parse one YAML document safely into its plain data and its root node.

    Every problem in it is raised together as an InputError. The caller wraps the pair in a
    :class:`syslead.library.yamlio.Document`, so this module needs nothing from that one.
    """
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = err.problem or err.context or "not valid YAML"
        raise _located(path, line, column, f"YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as err:
        # A control character (a NUL, say) that YAML does not allow: point at its line.
        line = text[: err.position].count("\n") + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        raise _located(
            path,
            line,
            column,
            f"a control character (code {err.character:#04x}) that YAML does not allow; "
            "remove it or write the text again",
        ) from None
    except yaml.YAMLError as err:
        raise InputError([Problem(path, message=f"YAML syntax error: {err}")]) from None
    if node is None:
        raise _located(path, 1, 0, "the file is empty (expected YAML content)")
    builder = _Builder(path)
    try:
        data = builder.build(node)
    except _TooManyNodes as err:
        line, column = _mark(err.node)
        raise _located(
            path,
            line,
            column,
            f"too many nodes (alias expansion): the file would hold more than {MAX_NODES:,} "
            "values once its aliases are expanded",
        ) from None
    if builder.problems:
        raise InputError(builder.problems)
    return data, node


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
