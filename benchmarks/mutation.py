"""Mutation testing of syslead's core logic with mutmut, one module at a time, on a clean copy.

Each core module is mutated on its own, with the tests that pin its promises, in a copy of the
tree (the working tree itself is never touched). By default the copy is the working tree as it is
on disk: every tracked file plus every untracked file git does not ignore (``git ls-files -co
--exclude-standard``), so tests not yet committed count; symlinks stay symlinks. ``--committed``
copies the committed tree (``git archive HEAD``) instead.

The script prints a score per module: killed mutants over mutants that ran (timeouts count as
killed, since a mutant that hangs is caught; "no tests" and "suspicious" are reported apart). When
mutmut's clean run of the tests fails (so no mutant was tried) the script says so on standard
error with mutmut's own output, marks the row "FAILED", and exits with code 1. Usage, from the
repository root, with the test extras and mutmut installed:

    python benchmarks/mutation.py                      # every module below
    python benchmarks/mutation.py planning/rules.py    # one module
    python benchmarks/mutation.py --survivors          # and list the surviving mutants
    python benchmarks/mutation.py --show scenario/money.py   # and print each survivor's diff
    python benchmarks/mutation.py --keep /tmp/mut scenario/money.py  # keep the copy to look into

It is far too slow for every change (minutes a module on two cores), so CI does not run it; its
latest figures live in TESTING.md.

Why the configuration copies ``src/syslead/playbooks`` and ``src/syslead/templates``: in the
repository they are symlinks to ``playbooks/`` and ``templates/``, and the package finds them with
``importlib.resources.files("syslead")``. mutmut copies the source into ``mutants/src/`` by walking
it with ``os.walk``, which does not follow symlinked folders, so without these two entries the
mutated package would have no playbooks and no templates of its own.
"""

from __future__ import annotations

import argparse
import importlib.util
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
    "scenario/money.py": [
        "tests/test_scenario.py",
        "tests/test_scenario_money.py",
        "tests/test_scenario_cli.py",
    ],
    "scenario/rules.py": [
        "tests/test_scenario.py",
        "tests/test_scenario_money.py",
        "tests/test_scenario_cli.py",
    ],
    "scenario/jsondata.py": [
        "tests/test_scenario.py",
        "tests/test_scenario_money.py",
        "tests/test_scenario_cli.py",
    ],
    "planning/rules.py": ["tests/test_plan_rules.py"],
    "planning/planner.py": [
        "tests/test_planner_parts.py",
        "tests/test_fitting.py",
        "tests/test_reference_plans.py",
        "tests/test_cli_plan.py",
    ],
    "planning/seating.py": ["tests/test_seating.py"],
    "assessment/statistics.py": [
        "tests/test_assessment.py",
        "tests/test_assess_cli.py",
        "tests/test_assessment_confidentiality.py",
    ],
    "series/programme.py": [
        "tests/test_series_programme.py",
        "tests/test_series_actions.py",
        "tests/test_series_ledger.py",
    ],
    "series/actions.py": ["tests/test_series_actions.py", "tests/test_series_programme.py"],
    "series/status.py": ["tests/test_series_status.py", "tests/test_series_programme.py"],
    "series/planned.py": [
        "tests/test_series_planned.py",
        "tests/test_series_programme.py",
        "tests/test_series_learning.py",
    ],
    "series/learning.py": ["tests/test_series_guidance.py", "tests/test_series_learning.py"],
    "series/pairs.py": ["tests/test_series_pairs.py", "tests/test_series_status.py"],
    "series/trend.py": ["tests/test_series_trend_figures.py", "tests/test_series_trend.py"],
}
"""Core module (under src/syslead/) to the tests that pin it (files missing from the tree are skipped)."""

STATUS = re.compile(r"^\s*(?P<name>[\w.]+__mutmut_\d+): (?P<status>[\w ]+)$")

RESOURCE_LINKS = ("src/syslead/playbooks", "src/syslead/templates")
"""Symlinked folders inside the package that mutmut's copy of ``src/`` would otherwise lose."""


class CleanRunFailed(Exception):
    """mutmut could not run the chosen tests cleanly on the unmutated code."""


def copy_committed(into: Path) -> None:
    """The committed tree, as CI sees it."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def copy_working(into: Path) -> None:
    """The working tree as it is on disk: tracked and untracked-but-not-ignored files."""
    listing = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "-co", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout
    for name in sorted(set(filter(None, listing.decode().split("\0")))):
        source = ROOT / name
        target = into / name
        if not source.is_symlink() and not source.exists():
            continue  # tracked but deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)


def configure(tree: Path, module: str, tests: list[str]) -> None:
    """Add mutmut's settings to the copy's pyproject.toml.

    Every pytest run stays in one process (``-n 0`` when pytest-xdist is installed, since the
    suite's options ask for workers): mutmut records which tests reach a mutated function from
    inside the process that runs them, and sees nothing a worker process records.
    """
    pyproject = tree / "pyproject.toml"
    text = pyproject.read_text()
    selection = json.dumps([*tests, "-x", "-q", "-p", "no:cacheprovider", "-n", "0"])  # one process
    every_run = json.dumps(["-n", "0"] if importlib.util.find_spec("xdist") else [])
    also_copy = json.dumps(["playbooks/", "templates/", "benchmarks/", *RESOURCE_LINKS])
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src/"]\n'
        f'only_mutate = ["src/syslead/{module}"]\n'
        f"also_copy = {also_copy}\n"
        f"pytest_add_cli_args = {every_run}\n"
        f"pytest_add_cli_args_test_selection = {selection}\n"
    )
    pyproject.write_text(text)


SPINNER = re.compile(r"^\s*[\u2800-\u28ff] ")


def tail(output: str, lines: int = 60) -> str:
    """The end of mutmut's output, without its spinner's lines."""
    kept = [line for line in output.splitlines() if not SPINNER.match(line)]
    return "\n".join(kept[-lines:])


def mutmut_results(mutmut: str, tree: Path, env: dict[str, str]) -> dict[str, str]:
    listing = subprocess.run(
        [mutmut, "results", "--all", "true"],
        cwd=tree,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, str] = {}
    for line in listing.splitlines():
        match = STATUS.match(line)
        if match:
            found[match["name"]] = match["status"].strip()
    return found


def run_module(
    module: str,
    tests: list[str],
    *,
    committed: bool,
    survivors: bool,
    show: bool,
    keep: Path | None = None,
) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="syslead-mutation-") as folder:
        tree = Path(folder)
        if keep is not None:
            tree = keep / module.replace("/", "-").removesuffix(".py")
            tree.mkdir(parents=True)
        (copy_committed if committed else copy_working)(tree)
        present = [t for t in tests if (tree / t).exists()]
        configure(tree, module, present)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        mutmut = shutil.which("mutmut") or str(Path(sys.executable).parent / "mutmut")
        run = subprocess.run(
            [mutmut, "run"], cwd=tree, env=env, check=False, capture_output=True, text=True
        )
        output = run.stdout + run.stderr
        statuses = mutmut_results(mutmut, tree, env)
        if run.returncode != 0 or "Failed to run clean test" in output:
            raise CleanRunFailed(
                f"mutmut run exited with code {run.returncode} for {module}; "
                f"its output ends:\n{tail(output)}"
            )
        if not statuses:
            raise CleanRunFailed(f"mutmut reported no mutants for {module}:\n{tail(output)}")
        counts: dict[str, int] = {}
        for name, status in statuses.items():
            counts[status] = counts.get(status, 0) + 1
            if status == "survived" and (survivors or show):
                print(f"  survived: {name}", flush=True)
                if show:
                    diff = subprocess.run(
                        [mutmut, "show", name],
                        cwd=tree,
                        env=env,
                        check=False,
                        capture_output=True,
                        text=True,
                    ).stdout
                    print(diff, flush=True)
        return counts


def score(counts: dict[str, int]) -> tuple[int, int]:
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    ran = killed + counts.get("survived", 0)
    return killed, ran


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules under src/syslead/ (default: all)")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    parser.add_argument(
        "--show", action="store_true", help="list surviving mutants with their diffs"
    )
    parser.add_argument(
        "--committed",
        action="store_true",
        help="mutate a copy of the committed tree (git archive HEAD), not the working tree",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep each module's copy in DIR/<module> (for 'mutmut show' or 'mutmut run NAME')",
    )
    args = parser.parse_args()
    chosen = args.modules or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}; known: {', '.join(MODULES)}")
    if not (shutil.which("mutmut") or (Path(sys.executable).parent / "mutmut").exists()):
        parser.error("mutmut is not installed here: pip install 'mutmut>=3.8'")
    failed = False
    print("| module | killed | ran | score | other |")
    print("|---|---:|---:|---:|---|")
    for module in chosen:
        try:
            counts = run_module(
                module,
                MODULES[module],
                committed=args.committed,
                survivors=args.survivors,
                show=args.show,
                keep=args.keep,
            )
        except CleanRunFailed as problem:
            failed = True
            print(f"| {module} | - | - | FAILED | clean run failed, see stderr |", flush=True)
            print(f"mutation.py: {problem}", file=sys.stderr, flush=True)
            continue
        killed, ran = score(counts)
        other = ", ".join(
            f"{n} {s}"
            for s, n in sorted(counts.items())
            if s not in {"killed", "survived", "timeout"}
        )
        percent = f"{100 * killed / ran:.0f}%" if ran else "-"
        print(f"| {module} | {killed} | {ran} | {percent} | {other} |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
