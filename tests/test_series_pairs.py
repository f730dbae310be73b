"""Contact between sessions: a round-robin of cross-organisation pairs, seating, and pairs met."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from syslead.series.pairs import (
    Round,
    best_by_round,
    cross_pairs,
    met_pairs,
    pair_rounds,
    rounds_data,
    seatings,
)
from syslead.series.programme import Member, new_series, record

from .conftest import Run

Cli = Callable[..., Run]


def members(sizes: list[int]) -> list[Member]:
    return [
        Member(name=f"Member {org}-{i}", organisation=f"Organisation {org}")
        for org, size in enumerate(sizes)
        for i in range(size)
    ]


def check_round_robin(people: list[Member], rounds: list[Round]) -> int | None:
    """Assert the schedule's promises; return the round by which every cross pair has met."""
    cross = cross_pairs(people)
    org = {m.name: m.organisation for m in people}
    seen: set[frozenset[str]] = set()
    complete = None
    for r in rounds:
        names = [n for g in r.groups for n in g] + r.resting
        assert sorted(names) == sorted(m.name for m in people), "everyone once per round"
        assert all(2 <= len(g) <= 3 for g in r.groups)
        for g in r.groups:
            # every group meets someone from another organisation
            assert any(org[a] != org[b] for a, b in itertools.combinations(g, 2))
        met = r.pairs() & cross
        if seen != cross:
            assert not (met & seen), f"round {r.session} repeats a pair before all have met"
        else:
            seen = set()
        seen |= met
        if seen >= cross and complete is None:
            complete = r.session
    return complete


@settings(deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=6), min_size=2, max_size=6),
    st.integers(min_value=1, max_value=14),
    st.integers(min_value=-5, max_value=5),
)
def test_every_cross_pair_meets_once_before_any_repeats(
    sizes: list[int], count: int, seed: int
) -> None:
    people = members(sizes)
    rounds = pair_rounds(people, count, seed)
    assert len(rounds) == count
    check_round_robin(people, rounds)
    # Nobody rests while a partner they have not met is free (odd members join a pair as a trio).
    for r in rounds:
        for name in r.resting:
            partners = [
                n for g in r.groups for n in g if frozenset((n, name)) in cross_pairs(people)
            ]
            assert partners or len(sizes) == 1


def test_twelve_members_from_four_organisations_meet_everyone_in_the_fewest_rounds() -> None:
    people = members([3, 3, 3, 3])
    rounds = pair_rounds(people, 12)
    assert len(cross_pairs(people)) == 54
    complete = check_round_robin(people, rounds)
    assert complete == 9  # nine rounds of six pairs: the best possible
    assert best_by_round(people, 8) == 48
    assert all(not r.resting and all(len(g) == 2 for g in r.groups) for r in rounds)


def test_an_odd_member_makes_a_trio() -> None:
    people = members([3, 3, 3, 2])
    first = pair_rounds(people, 1)[0]
    assert sorted(len(g) for g in first.groups) == [2, 2, 2, 2, 3]
    assert not first.resting


def test_unequal_organisations_use_trios_and_stay_close_to_the_best() -> None:
    people = members([7, 3, 2])
    rounds = pair_rounds(people, 12)
    complete = check_round_robin(people, rounds)
    best = next(k for k in range(1, 40) if best_by_round(people, k) >= len(cross_pairs(people)))
    assert complete is not None
    assert complete <= best + 2


def test_seating_gives_new_neighbours_from_other_organisations() -> None:
    series = new_series(
        title="T",
        start=__import__("datetime").date(2027, 1, 15),
        count=4,
        members=members([3, 3, 3, 3]),
        participants=12,
    )
    plans = seatings(series)
    assert [len(p.tables) for p in plans] == [2, 2, 2, 2]
    org = {m.name: m.organisation for m in series.members}
    for plan in plans:
        assert sorted(n for t in plan.tables for n in t) == sorted(org)
        for table in plan.tables:
            # no organisation has more than two people at one table of six
            counts = [sum(1 for n in table if org[n] == o) for o in set(org.values())]
            assert max(counts) <= 2
    # Later sessions still bring mostly new neighbours: the first gives 6 * 2 tables' worth.
    assert plans[0].new_neighbours >= 24
    assert plans[1].new_neighbours >= 18


def make(cli: Cli, tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "series.yaml"
    args = [x for m in members([3, 3, 3, 3]) for x in ("--member", f"{m.name}={m.organisation}")]
    result = cli("series", "new", str(path), "--title", "T", "--start", "2027-02-05", *args, *extra)
    assert result.exit_code == 0, result.stderr
    return path


def test_series_pairs_json_md_and_table(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    data = json.loads(cli("series", "pairs", str(path), "--to", "json").stdout)
    assert [r["session"] for r in data] == list(range(1, 9))
    people = {m.name for m in members([3, 3, 3, 3])}
    for r in data:
        assert all(isinstance(g, list) and 2 <= len(g) <= 3 for g in r["pairs"])
        assert {n for g in r["pairs"] for n in g} == people
        assert {n for t in r["tables"] for n in t} == people
    one = json.loads(cli("series", "pairs", str(path), "--session", "3", "--to", "json").stdout)
    assert one == [data[2]]
    md = cli("series", "pairs", str(path), "--session", "3", "--to", "md").stdout
    assert "## Session 3" in md
    assert "| Table | Who sits there |" in md
    table = cli("series", "pairs", str(path), "--session", "2")
    assert "meet before the next session" in table.stdout


def test_pairs_met_and_the_share_in_status(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    first = json.loads(cli("series", "pairs", str(path), "--session", "1", "--to", "json").stdout)
    met = ["=".join(g) for g in first[0]["pairs"][:3]]
    args = [x for m in met for x in ("--met", m)]
    assert cli("series", "record", str(path), "--session", "1", *args).exit_code == 0
    # Recording the same pair again (in either order) is not counted twice.
    a, b = first[0]["pairs"][0]
    assert cli("series", "record", str(path), "--session", "1", "--met", f"{b}={a}").exit_code == 0
    status = json.loads(cli("series", "status", str(path), "--to", "json").stdout)
    assert status["pairs"] == {
        "cross_pairs": 54,
        "held": 1,
        "met": 3,
        "met_share": round(3 / 54, 3),
        "scheduled_share": round(6 / 54, 3),
        "best_share": round(6 / 54, 3),
    }
    shown = cli("series", "status", str(path)).stdout
    assert "3 of 54 cross-organisation pairs have met" in shown


def test_pairs_errors(cli: Cli, tmp_path: Path) -> None:
    bare = tmp_path / "bare.yaml"
    assert cli("series", "new", str(bare), "--title", "T", "--start", "2027-02-05").exit_code == 0
    result = cli("series", "pairs", str(bare))
    assert result.exit_code == 1
    assert "pairs need at least two named members" in result.stderr
    path = make(cli, tmp_path)
    out = cli("series", "pairs", str(path), "--session", "9")
    assert out.exit_code == 1
    assert "--session 9 is out of range" in out.stderr
    no_members = cli("series", "record", str(bare), "--session", "1", "--met", "A=B")
    assert no_members.exit_code == 1
    assert "this series names no members" in no_members.stderr


def test_the_best_a_schedule_can_reach_worked_out_by_hand() -> None:
    """Pairs per round: as many as the members allow, a member left over joining as a third.

    - 3, 3, 3, 3: six pairs a round; 54 cross pairs, all met by round nine.
    - 5, 1, 1: the two outsiders pair with ICB members, and two more ICB members join as
      thirds: 2 + 2 = 4 new pairs a round, of 5 + 5 + 1 = 11.
    - 2, 2, 1: two pairs, and the fifth member joins one as a third, meeting two: 4 a round, of 8.
    - 1, 1, 1: one pair and a third: 3 a round, of 3.
    - 2: no cross pair at all.
    """
    assert [best_by_round(members([3, 3, 3, 3]), k) for k in (1, 8, 9, 10)] == [6, 48, 54, 54]
    assert [best_by_round(members([5, 1, 1]), k) for k in (1, 2, 3)] == [4, 8, 11]
    assert [best_by_round(members([2, 2, 1]), k) for k in (1, 2, 3)] == [4, 8, 8]
    assert [best_by_round(members([1, 1, 1]), k) for k in (1, 2)] == [3, 3]
    assert best_by_round(members([2]), 3) == 0
    # Organisations are told apart by name, case and spacing aside.
    same = [
        Member(name="A", organisation="Northshire ICB"),
        Member(name="B", organisation="northshire  icb"),
    ]
    assert (cross_pairs(same), best_by_round(same, 1)) == (set(), 0)


def test_pairs_met_are_read_by_name_case_aside_and_only_across_organisations() -> None:
    people = members([2, 1, 1])  # Member 0-0, Member 0-1, Member 1-0, Member 2-0
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2, members=people)
    series = record(
        series,
        1,
        met=[["member 0-0", "MEMBER 1-0"], ["Member 0-0", "Member 0-1", "Member 2-0"]],
    )
    assert met_pairs(series) == {
        frozenset({"Member 0-0", "Member 1-0"}),
        frozenset({"Member 0-0", "Member 2-0"}),
        frozenset({"Member 0-1", "Member 2-0"}),
    }


def test_pairs_data_for_one_session_has_the_documented_fields() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=3, members=members([2, 2]))
    (one,) = rounds_data(series, 2)
    assert set(one) == {"session", "date", "pairs", "resting", "tables", "new_neighbours"}
    assert (one["session"], one["date"], one["resting"]) == (2, "2027-03-19", [])
    # Two from each of two organisations: round 1 meets two of the four cross pairs, round 2
    # the other two; everyone sits at one table of four, whose four cross pairs are new at
    # session 1 only.
    first, second, third = rounds_data(series)
    assert {frozenset(g) for g in first["pairs"]} | {frozenset(g) for g in second["pairs"]} == (
        cross_pairs(series.members)
    )
    assert [r["new_neighbours"] for r in (first, second, third)] == [4, 0, 0]
    assert [len(r["tables"]) for r in (first, second, third)] == [1, 1, 1]
