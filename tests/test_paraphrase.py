"""The playbooks and templates paraphrase the source paper rather than copying it.

No run of ``RUN`` or more consecutive words (lower-cased, punctuation stripped) may be shared
between The King's Fund (2017), *Leading across the health and care system: lessons from
experience*, and any file in ``playbooks/`` or ``templates/``. Phrases in quotation marks are
skipped: a short quoted phrase with attribution is allowed.

The paper's text is not part of the repository, so the test compares against a fingerprint:
``tests/data/paper-shingles.txt`` holds the first 12 hex digits of the SHA-256 of every run of
``RUN`` words in the paper, sorted. When the paper's text is present beside the repository
(``../shared/seed``), the test also checks that the fingerprint matches it. To regenerate the
fingerprint, or to list the longest runs shared with the paper, run::

    .venv/bin/python tests/test_paraphrase.py            # regenerate the fingerprint
    .venv/bin/python tests/test_paraphrase.py --report   # longest shared run in each file
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import yaml

RUN = 10
"""Words in a run that may not be shared with the paper."""

ROOT = Path(__file__).resolve().parents[1]
FINGERPRINT = ROOT / "tests" / "data" / "paper-shingles.txt"
PAPER = ROOT.parent / "shared" / "seed" / "000_49235e1add86b6e4.txt"
CHECKED = ("playbooks", "templates")

_QUOTED = re.compile(
    r'"[^"\n]*"'  # straight double quotes
    r"|“[^”]*”"  # curly double quotes
    r"|‘[^’]*’(?!\w)"  # curly single quotes (an apostrophe inside a word does not close them)
    r"|(?<!\w)'[^'\n]*'(?!\w)"  # straight single quotes around a phrase
)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MARKUP = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The text's words, lower-cased, apostrophes dropped and other punctuation as a separator."""
    text = text.lower().replace("’", "").replace("'", "")
    return _WORD.findall(text)


def shingles(text: str, size: int = RUN) -> Iterator[tuple[str, ...]]:
    """Every run of ``size`` consecutive words in ``text``."""
    tokens = words(text)
    for i in range(len(tokens) - size + 1):
        yield tuple(tokens[i : i + size])


def digest(run: Iterable[str]) -> str:
    """The fingerprint of one run of words."""
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:12]


def paper_fingerprint(text: str) -> list[str]:
    """The sorted, unique digests of every run of ``RUN`` words in the paper."""
    return sorted({digest(run) for run in shingles(text)})


def unquoted(text: str) -> list[str]:
    """The stretches of ``text`` outside quotation marks (each a separate stretch of words)."""
    return _QUOTED.split(text)


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def segments(path: Path) -> list[str]:
    """The stretches of prose in a playbook or template file, quoted phrases removed.

    A YAML file gives each of its string values; a template gives its text between Jinja tags
    and HTML markup. Runs are never counted across two stretches.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix in {".yaml", ".yml"}:
        parts = list(_strings(yaml.safe_load(text)))
    else:
        parts = _MARKUP.split("\n".join(_JINJA.split(text)))
    return [piece for part in parts for piece in unquoted(part)]


def checked_files() -> list[Path]:
    """Every text file under the folders checked."""
    return sorted(
        path
        for folder in CHECKED
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".yaml", ".yml", ".j2", ".md", ".txt"}
    )


def shared_runs(path: Path, fingerprint: set[str]) -> list[str]:
    """The runs of ``RUN`` words in ``path`` whose digest is in the paper's fingerprint."""
    return [
        " ".join(run)
        for segment in segments(path)
        for run in shingles(segment)
        if digest(run) in fingerprint
    ]


def load_fingerprint() -> set[str]:
    """The committed fingerprint of the paper."""
    return set(FINGERPRINT.read_text(encoding="ascii").split())


def test_fingerprint_is_well_formed() -> None:
    lines = FINGERPRINT.read_text(encoding="ascii").splitlines()
    assert len(lines) > 1000
    assert lines == sorted(set(lines))
    assert all(re.fullmatch(r"[0-9a-f]{12}", line) for line in lines)


@pytest.mark.skipif(not PAPER.exists(), reason="the paper's text is not beside the repository")
def test_fingerprint_matches_the_paper() -> None:
    expected = paper_fingerprint(PAPER.read_text(encoding="utf-8"))
    assert FINGERPRINT.read_text(encoding="ascii").split() == expected, (
        "tests/data/paper-shingles.txt is out of date: run .venv/bin/python tests/test_paraphrase.py"
    )


def test_the_check_catches_a_copied_run(tmp_path: Path) -> None:
    source = "One two three four five six seven eight nine ten eleven twelve."
    fingerprint = set(paper_fingerprint(source))
    copied = tmp_path / "copied.yaml"
    copied.write_text("text: Zero, one two three four five six seven eight nine ten!\n")
    assert shared_runs(copied, fingerprint) == ["one two three four five six seven eight nine ten"]
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(
        "text: 'As the paper says, \"one two three four five six seven eight nine ten\".'\n"
    )
    assert shared_runs(quoted, fingerprint) == []
    assert words("Don’t ‘quote’ me") == ["dont", "quote", "me"]


@pytest.mark.parametrize("path", checked_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_run_of_ten_words_is_copied_from_the_paper(path: Path) -> None:
    runs = shared_runs(path, load_fingerprint())
    assert not runs, f"{path.relative_to(ROOT)} shares these runs with the paper: {runs}"


def longest_shared_run(text_words: list[str], paper_words: list[str]) -> list[str]:
    """The longest run of words that ``text_words`` shares with ``paper_words``."""
    best: list[str] = []
    previous = [0] * (len(paper_words) + 1)
    for word in text_words:
        current = [0] * (len(paper_words) + 1)
        for j, paper_word in enumerate(paper_words, start=1):
            if word == paper_word:
                current[j] = previous[j - 1] + 1
                if current[j] > len(best):
                    best = paper_words[j - current[j] : j]
        previous = current
    return best


def report() -> None:
    """Print the longest run each checked file shares with the paper (needs the paper's text)."""
    paper_words = words(PAPER.read_text(encoding="utf-8"))
    rows = []
    for path in checked_files():
        best: list[str] = []
        for segment in segments(path):
            run = longest_shared_run(words(segment), paper_words)
            if len(run) > len(best):
                best = run
        rows.append((len(best), str(path.relative_to(ROOT)), " ".join(best)))
    for length, name, run in sorted(rows, reverse=True):
        if length >= 6:
            print(f"{length:3d}  {name}: {run}")


def main(argv: list[str]) -> int:
    """Regenerate the fingerprint, or with ``--report`` list the longest shared runs."""
    if not PAPER.exists():
        print(f"the paper's text is not at {PAPER}", file=sys.stderr)
        return 1
    if "--report" in argv:
        report()
        return 0
    FINGERPRINT.parent.mkdir(parents=True, exist_ok=True)
    lines = paper_fingerprint(PAPER.read_text(encoding="utf-8"))
    FINGERPRINT.write_text("\n".join(lines) + "\n", encoding="ascii")
    print(f"wrote {len(lines)} digests to {FINGERPRINT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
