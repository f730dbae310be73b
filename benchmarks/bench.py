"""Time syslead's commands beside the bare interpreter and a minimal Typer app, in one run.

Each command is run many times, round-robin (so drift in machine load hits them all alike), and the
median wall time is reported with its ratio to the minimal Typer app. Usage:

    python benchmarks/bench.py [--runs 21] [--markdown]
    python benchmarks/bench.py --instructions [--markdown]

``--instructions`` runs each command once under valgrind's callgrind and reports the instructions
it executed instead of the time it took: a count that other work on the machine does not change,
for comparing two versions of the code on a busy machine (valgrind must be installed; it is slow,
about a minute a command).

Run it from the repository root with syslead installed in the current interpreter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable


def commands(big_library: Path | None) -> list[tuple[str, list[str], str]]:
    """(label, argv, what it is compared with)."""
    syslead = [PY, "-m", "syslead"]
    minimal = [PY, str(HERE / "minimal_typer.py")]
    rows = [
        ("python -c pass", [PY, "-c", "pass"], ""),
        ("minimal Typer --version", [*minimal, "--version"], ""),
        ("minimal Typer subcommand", [*minimal, "plan"], ""),
        ("minimal Typer, 25 options", [*minimal, "wide"], ""),
        ("syslead --version", [*syslead, "--version"], "minimal Typer --version"),
        (
            "syslead playbooks validate",
            [*syslead, "playbooks", "validate"],
            "minimal Typer subcommand",
        ),
        (
            "syslead playbooks list --to json",
            [*syslead, "playbooks", "list", "--to", "json"],
            "minimal Typer subcommand",
        ),
    ]
    if has_command("plan-session"):
        rows.append(
            (
                "syslead plan-session --to json",
                [*syslead, "plan-session", "--to", "json"],
                "minimal Typer subcommand",
            )
        )
        rows.append(
            (
                "syslead plan-session --to json (25 options)",
                [*syslead, "plan-session", "--to", "json"],
                "minimal Typer, 25 options",
            )
        )
        rows.append(
            (
                "syslead plan-session --to md",
                [*syslead, "plan-session", "--to", "md"],
                "minimal Typer subcommand",
            )
        )
        if big_library is not None:
            rows.append(
                (
                    "plan-session, 2,000 user activities",
                    [*syslead, "plan-session", "--to", "json", "--playbooks", str(big_library)],
                    "syslead plan-session --to json",
                )
            )
    extra = (
        (
            "syslead scenario fixed-budget --to json",
            ["scenario", "fixed-budget", "--example", "--to", "json"],
        ),
        ("syslead assess questionnaire --to csv", ["assess", "questionnaire", "--to", "csv"]),
    )
    for label, args in extra:
        if has_command(args[0]):
            rows.append((label, [*syslead, *args], "minimal Typer subcommand"))
    return rows


def has_command(name: str) -> bool:
    result = subprocess.run([PY, "-m", "syslead", name, "--help"], capture_output=True, check=False)
    return result.returncode == 0


def measure(rows: list[tuple[str, list[str], str]], runs: int) -> dict[str, list[float]]:
    env = dict(os.environ)
    env.pop("SYSLEAD_PLAYBOOKS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up run must leave bytecode caches behind
    times: dict[str, list[float]] = {label: [] for label, _, _ in rows}
    for label, argv, _ in rows:  # warm-up: fill the bytecode caches
        result = subprocess.run(argv, capture_output=True, env=env, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{label} failed: {result.stderr.decode()}")
    for _ in range(runs):
        for label, argv, _ in rows:
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, env=env, check=True)
            times[label].append(time.perf_counter() - start)
    return times


def count_instructions(rows: list[tuple[str, list[str], str]]) -> dict[str, float]:
    """Millions of instructions each command executes (warm caches), counted by callgrind."""
    import re
    import shutil

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    env = dict(os.environ)
    env.pop("SYSLEAD_PLAYBOOKS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    counts: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, argv, _ in rows:
            subprocess.run(argv, capture_output=True, env=env, check=True)  # warm the caches
            out = Path(tmp) / "callgrind.out"
            result = subprocess.run(
                [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            found = re.search(r"Collected : (\d+)", result.stderr)
            if found is None:
                raise SystemExit(f"callgrind gave no count for {label}: {result.stderr[-500:]}")
            counts[label] = int(found[1]) / 1e6
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with callgrind instead"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = None
        if has_command("plan-session"):
            from generate_library import generate

            big = Path(tmp) / "big"
            generate(big, 2000)
        rows = commands(big)
        if args.instructions:
            report_instructions(rows, count_instructions(rows), args.markdown)
            return
        times = measure(rows, args.runs)
    medians = {label: statistics.median(values) * 1000 for label, values in times.items()}
    print(f"python {sys.version.split()[0]}, {args.runs} runs each, round-robin; median wall time")
    if args.markdown:
        print("\n| command | median ms | compared with | ratio |\n|---|---:|---|---:|")
    for label, _, base in rows:
        ratio = f"{medians[label] / medians[base]:.2f}x" if base else ""
        if args.markdown:
            print(f"| {label} | {medians[label]:.1f} | {base} | {ratio} |")
        else:
            print(
                f"{label:40} {medians[label]:8.1f} ms  {ratio:>6} {('vs ' + base) if base else ''}"
            )


def report_instructions(
    rows: list[tuple[str, list[str], str]], counts: dict[str, float], markdown: bool
) -> None:
    print(f"python {sys.version.split()[0]}; instructions executed, counted by callgrind")
    if markdown:
        print("\n| command | million instructions | compared with | ratio |\n|---|---:|---|---:|")
    for label, _, base in rows:
        ratio = f"{counts[label] / counts[base]:.2f}x" if base else ""
        if markdown:
            print(f"| {label} | {counts[label]:.0f} | {base} | {ratio} |")
        else:
            print(f"{label:40} {counts[label]:8.0f} M  {ratio:>6} {('vs ' + base) if base else ''}")


if __name__ == "__main__":
    main()
