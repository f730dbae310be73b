"""The playbooks commands, run in process as a user would run them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from syslead import __version__
from syslead.cli import app
from syslead.library.models import FACTOR_IDS

from .conftest import Run, WriteTree, activity_yaml
from .reading import headings, terminal_table, tokens_of

Cli = Callable[..., Run]
PLAYBOOKS = Path(__file__).resolve().parents[1] / "playbooks"
FOLDERS = ["factors", "activities", "principles", "case-studies", "formats"]


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"syslead {__version__}\n"


def test_list_json_covers_the_library(cli: Cli) -> None:
    result = cli("playbooks", "list", "--to", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["factor"] == 5
    assert kinds["case-study"] == 5
    assert kinds["principles"] >= 1
    activities = [r for r in rows if r["kind"] == "activity" and r["role"] == "activity"]
    assert len(activities) >= 30
    for factor in FACTOR_IDS:
        assert sum(factor in r["factors"] for r in activities) >= 5, factor
    assert {"opening", "close"} <= {r["role"] for r in rows if r["kind"] == "activity"}
    for row in rows:
        assert {"id", "kind", "title", "factors"} <= set(row)
        assert row["builtin"] is True


def json_of(result: Run) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_list_filters_by_factor_number(cli: Cli) -> None:
    by_number = json_of(cli("playbooks", "list", "--factor", "3", "--to", "json"))
    by_id = json_of(cli("playbooks", "list", "--factor", "conflict", "--to", "json"))
    assert by_number == by_id
    assert all("conflict" in row["factors"] for row in by_id)
    assert any(row["id"] == "naming-power" for row in by_id)


def test_list_table(cli: Cli) -> None:
    result = cli("playbooks", "list", "--kind", "factor")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].strip() == "5 playbook entries, all built-in"
    rows = terminal_table(result.stdout)
    assert rows[0] == ["id", "kind", "title", "factors"]
    # the five factors of the paper, in its order, each filed under itself
    ids = ["shared-purpose", "personal-contact", "conflict", "altruism", "long-term"]
    assert [row[0] for row in rows[1:]] == ids
    assert all(row[1] == "factor" and row[3] == row[0] for row in rows[1:])
    twin = json_of(cli("playbooks", "list", "--kind", "factor", "--to", "json"))
    assert [row[2] for row in rows[1:]] == [entry["title"] for entry in twin]


def test_list_marks_a_replaced_builtin(cli: Cli, write_tree: WriteTree) -> None:
    root = write_tree({"activities/naming-power.yaml": activity_yaml(id="naming-power")})
    rows = json_of(cli("playbooks", "list", "--to", "json", "--playbooks", str(root)))
    (row,) = [r for r in rows if r["id"] == "naming-power"]
    assert row["overridden"] is True
    assert row["builtin"] is False
    result = cli("playbooks", "list", "--factor", "conflict", "--playbooks", str(root))
    assert result.exit_code == 0, result.stderr
    table = terminal_table(result.stdout)
    assert table[0][-1] == "from"
    origin = {cells[0]: cells[-1] for cells in table[1:]}
    assert origin["naming-power"] == "yours (replaces built-in)"
    assert {origin[name] for name in origin if name != "naming-power"} == {"built-in"}


def test_user_playbooks_from_the_environment(cli: Cli, write_tree: WriteTree) -> None:
    root = write_tree({"activities/mine.yaml": activity_yaml(id="our-own-exercise")})
    result = cli("playbooks", "list", "--to", "json", env={"SYSLEAD_PLAYBOOKS": str(root)})
    assert "our-own-exercise" in [r["id"] for r in json_of(result)]


def test_show_activity_markdown_parses(cli: Cli) -> None:
    result = cli("playbooks", "show", "naming-power")
    assert result.exit_code == 0, result.stderr
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    headings = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert {"Purpose", "Steps", "Facilitator notes", "Source"} <= set(headings)
    assert any(t.type == "table_open" for t in tokens)


def test_show_factor_by_number(cli: Cli) -> None:
    result = cli("playbooks", "show", "2", "--to", "json")
    assert json_of(result)["id"] == "personal-contact"


def test_show_unknown_id_suggests(cli: Cli) -> None:
    result = cli("playbooks", "show", "naming-powr")
    assert result.exit_code == 1
    assert "did you mean naming-power" in result.stderr
    assert result.stdout == ""


def test_markup_in_user_text_is_escaped_in_markdown(cli: Cli, write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "activities/x.yaml": activity_yaml(
                id="sneaky",
                title="'<script>alert(1)</script> {{ 7*7 }}'",
                summary="'*bold* [link](http://x)'",
            )
        }
    )
    result = cli("playbooks", "show", "sneaky", "--playbooks", str(root))
    assert result.exit_code == 0, result.stderr
    html = MarkdownIt("commonmark").render(result.stdout)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html
    assert "<em>" not in html
    assert "<a " not in html


def test_validate_ok(cli: Cli) -> None:
    result = cli("playbooks", "validate")
    assert result.exit_code == 0, result.stderr
    counts = {kind: len(list((PLAYBOOKS / kind).glob("*.yaml"))) for kind in FOLDERS}
    files = sum(counts.values())
    assert result.stdout.startswith(
        f"ok: {files} entries from {files} files ({counts['factors']} factors, "
        f"{counts['activities']} activities, 1 principle set, "
        f"{counts['case-studies']} case studies, {counts['formats']} session formats); "
    )


def test_validate_bad_file_exit_1_with_location(cli: Cli, write_tree: WriteTree) -> None:
    root = write_tree(
        {"activities/a.yaml": activity_yaml().replace("energy: medium", "energy: wild")}
    )
    result = cli("playbooks", "validate", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{root / 'activities/a.yaml'}:7:9: energy: input should be" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_is_json_schema(cli: Cli) -> None:
    schema = json_of(cli("playbooks", "schema"))
    assert schema["$schema"].startswith("https://json-schema.org/")
    activity = json_of(cli("playbooks", "schema", "--kind", "activity"))
    assert "facilitator_notes" in activity["required"]
    assert activity["additionalProperties"] is False


def test_principles(cli: Cli) -> None:
    result = cli("principles")
    assert result.exit_code == 0, result.stderr
    source = yaml.safe_load((PLAYBOOKS / "principles" / "devon-principles.yaml").read_text("utf-8"))
    numbered = [f"{n}. {p['title']}" for n, p in enumerate(source["principles"], start=1)]
    assert len(numbered) == 6  # the Devon-style set has six
    assert headings(tokens_of(result.stdout), "h2") == numbered


def test_usage_error_exit_2(cli: Cli) -> None:
    result = cli("playbooks", "list", "--to", "yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "Invalid value for '--to'" in result.stderr


def _commands() -> list[list[str]]:
    import typer.main

    root = typer.main.get_command(app)
    paths = []

    def walk(command: Any, prefix: list[str]) -> None:
        if hasattr(command, "list_commands"):
            ctx = command.make_context(
                prefix[-1] if prefix else "syslead", [], resilient_parsing=True
            )
            for name in command.list_commands(ctx):
                child = command.get_command(ctx, name)
                assert child is not None, name
                walk(child, [*prefix, name])
        else:
            paths.append(prefix)

    walk(root, [])
    return paths


def test_every_contract_command_exists() -> None:
    commands = {" ".join(c) for c in _commands()}
    for name in [
        "playbooks list",
        "playbooks show",
        "playbooks validate",
        "playbooks schema",
        "plan-session",
        "render",
        "handout",
        "scenario fixed-budget",
        "principles",
        "series new",
        "series plan",
        "series record",
        "series next",
        "series status",
        "assess questionnaire",
        "assess report",
    ]:
        assert name in commands


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
    cli: Cli, command: list[str]
) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"syslead {' '.join(command)}" in readme
