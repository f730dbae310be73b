"""Mutation testing of syslead's core logic with mutmut, one module at a time, on a clean copy.

Each core module is mutated on its own, with the tests that pin its promises, in a copy of the
committed tree made with ``git archive`` (the working tree is never touched). The script prints a
score per module: killed mutants over mutants that ran (timeouts count as killed, since a mutant
that hangs is caught; "no tests" and "suspicious" are reported apart). Usage, from the repository
root, with the test extras and mutmut installed:

    python benchmarks/mutation.py                      # every module below
    python benchmarks/mutation.py planning/rules.py    # one module
    python benchmarks/mutation.py --survivors          # and list the surviving mutants

It is far too slow for every change (minutes a module on two cores), so CI does not run it; its
latest figures live in TESTING.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULES: dict[str, list[str]] = {
    "scenario/money.py": ["tests/test_scenario.py", "tests/test_scenario_cli.py"],
    "scenario/rules.py": ["tests/test_scenario.py", "tests/test_scenario_cli.py"],
    "planning/rules.py": [
        "tests/test_method.py",
        "tests/test_cli_plan.py",
        "tests/test_hardening.py",
    ],
    "planning/planner.py": ["tests/test_method.py", "tests/test_cli_plan.py"],
    "planning/seating.py": ["tests/test_seating.py"],
    "assessment/statistics.py": ["tests/test_assessment.py", "tests/test_assess_cli.py"],
    "series/programme.py": ["tests/test_series.py"],
}
"""Core module (under src/syslead/) to the tests that pin it."""

STATUS = re.compile(r"^\s*(?P<name>[\w.]+__mutmut_\d+): (?P<status>[\w ]+)$")


def copy_tree(into: Path) -> None:
    """The committed tree, as CI sees it, with the symlinked content folders made real."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def configure(tree: Path, module: str, tests: list[str]) -> None:
    pyproject = tree / "pyproject.toml"
    text = pyproject.read_text()
    selection = json.dumps([*tests, "-x", "-q", "-p", "no:cacheprovider", "-n", "0"])  # one process
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src/"]\n'
        f'only_mutate = ["src/syslead/{module}"]\n'
        'also_copy = ["playbooks/", "templates/", "benchmarks/"]\n'
        f"pytest_add_cli_args_test_selection = {selection}\n"
    )
    pyproject.write_text(text)


def run_module(module: str, tests: list[str], survivors: bool) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="syslead-mutation-") as folder:
        tree = Path(folder)
        copy_tree(tree)
        configure(tree, module, tests)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        mutmut = shutil.which("mutmut") or "mutmut"
        subprocess.run([mutmut, "run"], cwd=tree, env=env, check=False, capture_output=True)
        listing = subprocess.run(
            [mutmut, "results", "--all", "true"],
            cwd=tree,
            env=env,
            check=False,
            capture_output=True,
            text=True,
        ).stdout
        counts: dict[str, int] = {}
        for line in listing.splitlines():
            match = STATUS.match(line)
            if match:
                status = match["status"].strip()
                counts[status] = counts.get(status, 0) + 1
                if survivors and status == "survived":
                    print(f"  survived: {match['name']}")
        return counts


def score(counts: dict[str, int]) -> tuple[int, int]:
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    ran = killed + counts.get("survived", 0)
    return killed, ran


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules under src/syslead/ (default: all)")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    args = parser.parse_args()
    chosen = args.modules or list(MODULES)
    print("| module | killed | ran | score | other |")
    print("|---|---:|---:|---:|---|")
    for module in chosen:
        counts = run_module(module, MODULES[module], args.survivors)
        killed, ran = score(counts)
        other = ", ".join(
            f"{n} {s}"
            for s, n in sorted(counts.items())
            if s not in {"killed", "survived", "timeout"}
        )
        percent = f"{100 * killed / ran:.0f}%" if ran else "-"
        print(f"| {module} | {killed} | {ran} | {percent} | {other} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
