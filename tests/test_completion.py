"""Shell completion: the scripts for bash, zsh and fish, and what a Tab offers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

RUN = "import sys; sys.argv[0] = 'syslead'; from syslead.cli import main; main()"


def complete(words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer after ``words`` (the last word is being completed)."""
    env = {
        **os.environ,
        "_SYSLEAD_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        "_TYPER_COMPLETE_ARGS": words,
    }
    result = subprocess.run(
        [sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_factor_ids_are_offered() -> None:
    assert complete("syslead plan-session --focus con") == ["conflict"]
    assert complete("syslead playbooks list --factor ") == [
        "shared-purpose",
        "personal-contact",
        "conflict",
        "altruism",
        "long-term",
    ]


def test_activity_ids_are_offered() -> None:
    assert complete("syslead playbooks show naming-") == ["naming-power"]
    offered = complete("syslead playbooks show ")
    assert "one-two-four-all" in offered
    assert "conflict" in offered


def test_formats_and_commands_are_offered() -> None:
    assert complete("syslead handout plan.yaml --to ") == ["md", "html", "pdf", "docx"]
    assert "ics" in complete("syslead plan-session --to ")
    assert complete("syslead ro") == ["room"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN.replace("main()", f"sys.argv[1:] = ['--show-completion', '{shell}']; main()"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "_SYSLEAD_COMPLETE" in result.stdout
