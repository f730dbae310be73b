"""Every command driven with random option values: a clear message or a result, never a traceback.

The values are what a user might type, and worse: text with control characters, Rich and Jinja
markup, dates and times at and past their edges, numbers far out of range, malformed amounts and
percentages. Each command must either succeed or refuse with exit code 1 or 2; an exception that
escapes (the in-process runner re-raises it) or an "internal error" fails the test. Each command
has a test of its own, so each gets the hypothesis profile's full count (conftest.py: 25 examples
by default, 200 with SYSLEAD_THOROUGH=1, as CI runs the suite).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Run
from .reading import output

Cli = Callable[..., Run]

# max_examples and the deadline come from the profile; the runner fixture is safe to share.
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

PUNCTUATION = "abcXYZ019 =-%£.,:/[]{}<>*&!'\"\\"
CONTROLS = ["\n", "\t", "\x00", "\x1b", "\x07", "\u2028", "é"]
nasty = st.text(alphabet=st.sampled_from([*PUNCTUATION, *CONTROLS]), max_size=24)
dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(["0001-01-01", "9999-12-31", "9000-12-31", "2027-02-30", "2027-1-5", ""]),
    nasty,
)
times = st.one_of(
    st.integers(min_value=-60, max_value=26 * 60).map(lambda m: f"{m // 60:02d}:{m % 60:02d}"),
    st.sampled_from(["24:00", "13:60", "9:30", "1300", ""]),
    nasty,
)
numbers = st.one_of(
    st.integers(min_value=-10, max_value=300).map(str),
    st.sampled_from(["0", "1", "2", "200", "201", "99999999999999999999", "-1", "1e3", "12.5"]),
    nasty,
)
amounts = st.one_of(
    st.sampled_from(["100m", "2.5m", "750k", "£1,200,000", "1.234", "0", "-5m", "1e9", "m", "10%"]),
    nasty,
)
shares = st.one_of(
    st.sampled_from(["30%", "0.3", "1", "1.5", "150%", "-10%", "0", "100%", "%", "0.5%"]),
    nasty,
)
factors = st.one_of(
    st.sampled_from(["conflict", "1", "5", "6", "0", "altruism", "long-term"]), nasty
)


def options(pairs: list[tuple[str, str]]) -> list[str]:
    return [part for name, value in pairs for part in (name, value)]


def assert_clean(result: Run) -> None:
    assert result.exit_code in (0, 1, 2), result
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("--format"), st.sampled_from(["away-day", "six-weekly", "day", "x"])),
            st.tuples(st.just("--date"), dates),
            st.tuples(st.sampled_from(["--start", "--end", "--meal"]), times),
            st.tuples(st.just("--focus"), factors),
            st.tuples(st.just("--participants"), numbers),
            st.tuples(st.sampled_from(["--org", "--title", "--issue"]), nasty),
            st.tuples(st.just("--seed"), numbers),
        ),
        max_size=6,
    ),
    st.sampled_from(["json", "md", "table"]),
    st.booleans(),
)
def test_plan_session(cli: Cli, pairs: list[tuple[str, str]], to: str, rehearsal: bool) -> None:
    extra = [] if rehearsal else ["--no-rehearsal"]
    assert_clean(cli("plan-session", *options(pairs), "--to", to, *extra))


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("--org"), st.builds(lambda n, a: f"{n}={a}", nasty, amounts)),
            st.tuples(st.just("--org"), nasty),
            st.tuples(st.just("--overperformer"), nasty),
            st.tuples(st.just("--by"), st.one_of(amounts, shares)),
            st.tuples(st.just("--budget"), amounts),
            st.tuples(
                st.sampled_from(
                    ["--marginal-rate", "--blended-share", "--aligned-share", "--risk-share"]
                ),
                shares,
            ),
            st.tuples(st.sampled_from(["--cap", "--collar"]), amounts),
            st.tuples(st.just("--seed"), numbers),
        ),
        max_size=6,
    ),
    st.sampled_from(["json", "md", "table"]),
)
def test_scenario_fixed_budget(cli: Cli, pairs: list[tuple[str, str]], to: str) -> None:
    assert_clean(cli("scenario", "fixed-budget", *options(pairs), "--to", to))


@FUZZ
@given(st.lists(nasty, max_size=4), st.sampled_from(["md", "html"]))
def test_principles_charter(cli: Cli, orgs: list[str], to: str) -> None:
    args = [part for org in orgs for part in ("--org", org)]
    assert_clean(cli("principles", "--charter", *args, "--to", to))


@FUZZ
@given(nasty, factors, st.sampled_from(["activity", "factor", "x", ""]))
def test_playbooks_show_and_list(cli: Cli, entry: str, factor: str, kind: str) -> None:
    assert_clean(cli("playbooks", "show", entry))
    assert_clean(cli("playbooks", "list", "--factor", factor, "--kind", kind))


@FUZZ
@given(
    st.lists(
        st.lists(st.one_of(st.sampled_from(["1", "3", "5", "", "0", "6", "x"]), nasty), max_size=8),
        max_size=5,
    ),
    st.booleans(),
)
def test_assess_report_on_random_csv(
    cli: Cli, tmp_path: Path, rows: list[list[str]], header: bool
) -> None:
    path = tmp_path / "answers.csv"
    template = output(cli("assess", "questionnaire", "--to", "csv")).splitlines()[0]
    lines = ([template] if header else []) + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_clean(cli("assess", "report", str(path), "--to", "json"))


counts = st.one_of(
    st.integers(min_value=-2, max_value=6).map(str),
    st.sampled_from(["", "x", "1.5", "99999999999999999999"]),
)


@FUZZ
@given(
    nasty,
    dates,
    counts,
    st.lists(nasty, max_size=3),
    st.one_of(st.sampled_from(["Europe/London", "Europe", "UTC", "Mars/Base", ""]), nasty),
    times,
)
def test_series_new(
    cli: Cli,
    tmp_path: Path,
    title: str,
    start: str,
    count: str,
    orgs: list[str],
    tz: str,
    time: str,
) -> None:
    target = tmp_path / "programme.yaml"
    org_args = [part for org in orgs for part in ("--org", org)]
    result = cli(
        "series",
        "new",
        str(target),
        "--title",
        title,
        "--start",
        start,
        "--count",
        count,
        "--tz",
        tz,
        "--time",
        f"{time}-17:00",
        *org_args,
        "--force",
    )
    assert_clean(result)
