"""Contact between sessions: one-to-one partners from other organisations, and seating by name.

**Pairs.** After each session every member gets a partner from another organisation to meet before
the next one. The rounds are made so that every pair of members from different organisations
meets once before any such pair meets again (a round-robin over the cross-organisation pairs).
Each round is a matching of pairs that have not met yet in this cycle, chosen among seeded tries
to cover the members with the most partners still to meet (so the cycle does not end with a few
people who can only wait). An odd member out, or one whose every partner is taken, joins a pair as
the third of a trio when that repeats nobody; a member who cannot be placed without a repeat rests
for that round. Once every cross-organisation pair has met, a new cycle begins.

**Seating.** Each session's tables of about six are filled so that people sit with as many
colleagues from other organisations as possible whom they have not sat with before.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from syslead.planning.seating import TABLE_SIZE
from syslead.series.programme import Member, Series

TRIES = 48
"""Seeded matchings tried for each round (fewer for large groups); the best is kept."""

Pair = frozenset[str]


@dataclass(frozen=True)
class Round:
    """One session's partners: pairs and at most a few trios, and anyone resting."""

    session: int
    groups: list[list[str]]
    resting: list[str] = field(default_factory=list)

    def pairs(self) -> set[Pair]:
        """Every two people who meet in this round."""
        return {frozenset(p) for g in self.groups for p in itertools.combinations(g, 2)}


class _Cycle:
    """Which cross-organisation pairs have met in the current cycle."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.org = {m.name: " ".join(m.organisation.split()).casefold() for m in members}
        self.names = [m.name for m in members]
        self.all = {
            frozenset((a, b))
            for a, b in itertools.combinations(self.names, 2)
            if self.org[a] != self.org[b]
        }
        self.met: set[Pair] = set()

    def open(self, a: str, b: str) -> bool:
        """Whether a and b are from different organisations and have not met in this cycle."""
        pair = frozenset((a, b))
        return pair in self.all and pair not in self.met

    def fits_trio(self, third: str, pair: Sequence[str]) -> bool:
        """A third joins a pair when it repeats nobody and meets at least one new person."""
        fresh = [self.open(third, p) for p in pair]
        same = [self.org[third] == self.org[p] for p in pair]
        return any(fresh) and all(f or s for f, s in zip(fresh, same, strict=True))

    def degree(self, name: str) -> int:
        return sum(1 for other in self.names if other != name and self.open(name, other))


def _matching(cycle: _Cycle, rng: random.Random) -> list[list[str]]:
    """A seeded greedy matching of open pairs, the members with most partners left first."""
    degree = {n: cycle.degree(n) for n in cycle.names}
    order = cycle.names[:]
    rng.shuffle(order)
    order.sort(key=lambda n: -degree[n])
    taken: set[str] = set()
    groups: list[list[str]] = []
    for name in order:
        if name in taken:
            continue
        partners = [o for o in order if o not in taken and o != name and cycle.open(name, o)]
        if partners:
            partner = max(partners, key=lambda o: degree[o])
            groups.append([name, partner])
            taken.update((name, partner))
    _augment(cycle, groups, taken)
    return groups


def _augment(cycle: _Cycle, groups: list[list[str]], taken: set[str]) -> None:
    """Grow the matching by swaps: u-x, y-w replaces x-y when u and w were left out."""
    improved = True
    while improved:
        improved = False
        free = [n for n in cycle.names if n not in taken]
        for u, w in itertools.permutations(free, 2):
            for index, (x, y) in enumerate(groups):
                if cycle.open(u, x) and cycle.open(y, w):
                    groups[index] = [u, x]
                    groups.append([y, w])
                    taken.update((u, w))
                    improved = True
                    break
            if improved:
                break


def _round(cycle: _Cycle, session: int, seed: int) -> Round:
    if cycle.all and cycle.met >= cycle.all:
        cycle.met = set()  # every cross-organisation pair has met: a new cycle
    degree = {n: cycle.degree(n) for n in cycle.names}
    best: list[list[str]] = []
    best_key: tuple[int, int] = (-1, -1)
    for attempt in range(max(6, min(TRIES, 600 // max(1, len(cycle.names))))):
        groups = _matching(cycle, random.Random(f"syslead-pairs:{seed}:{session}:{attempt}"))
        key = (len(groups), sum(degree[n] ** 2 for g in groups for n in g))
        if key > best_key:
            best, best_key = groups, key
    placed = {n for g in best for n in g}
    resting = []
    for name in [n for n in cycle.names if n not in placed]:
        host = next(
            (g for g in best if len(g) == 2 and cycle.fits_trio(name, g)),
            None,
        )
        if host is not None:
            host.append(name)
        else:
            resting.append(name)
    result = Round(session, [sorted(g, key=cycle.names.index) for g in best], resting)
    cycle.met |= result.pairs() & cycle.all
    return result


def pair_rounds(members: Sequence[Member], sessions: int, seed: int = 1) -> list[Round]:
    """One round of partners for each session, from the first."""
    cycle = _Cycle(members)
    return [_round(cycle, number, seed) for number in range(1, sessions + 1)]


def series_rounds(series: Series) -> list[Round]:
    """The partners for every session of a series (empty without two or more members)."""
    if len(series.members) < 2:
        return []
    return pair_rounds(series.members, len(series.sessions), series.seed)


def cross_pairs(members: Sequence[Member]) -> set[Pair]:
    """Every pair of members from different organisations."""
    return _Cycle(members).all


def best_by_round(members: Sequence[Member], rounds: int) -> int:
    """The most cross-organisation pairs a schedule could have met after ``rounds`` rounds.

    A schedule of this kind: pairs, with a member who would be left without a partner joining a
    pair as its third.
    """
    total = len(cross_pairs(members))
    n = len(members)
    orgs: dict[str, int] = {}
    for m in members:
        key = " ".join(m.organisation.split()).casefold()
        orgs[key] = orgs.get(key, 0) + 1
    largest = max(orgs.values(), default=0)
    matched = min(n // 2, n - largest)
    if largest > n - largest:  # the largest organisation's extra members join pairs as thirds
        per_round = matched + min(largest - (n - largest), matched)
    else:  # an odd member out joins a pair of two other organisations
        per_round = matched + 2 * (n % 2)
    return min(total, rounds * per_round)


def met_pairs(series: Series) -> set[Pair]:
    """The cross-organisation pairs recorded as met (series record --met)."""
    known = cross_pairs(series.members)
    canonical = {" ".join(m.name.split()).casefold(): m.name for m in series.members}
    found: set[Pair] = set()
    for session in series.sessions:
        for group in session.record.met:
            names = [canonical.get(" ".join(n.split()).casefold(), n) for n in group]
            found |= {frozenset(p) for p in itertools.combinations(names, 2)}
    return found & known


# --- seating --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seating:
    """One session's tables, each a list of members."""

    session: int
    tables: list[list[str]]
    new_neighbours: int
    """Pairs from different organisations sitting together for the first time."""


def _seat(
    members: Sequence[Member], history: set[Pair], session: int, seed: int
) -> list[list[str]]:
    """Tables as mixed as the numbers allow, then swaps that bring more new neighbours.

    People are dealt out organisation by organisation, so that no table holds more of one
    organisation than its fair share; then two people at different tables change places whenever
    that seats more pairs from different organisations together for the first time.
    """
    org = {m.name: " ".join(m.organisation.split()).casefold() for m in members}
    count = max(1, math.ceil(len(members) / TABLE_SIZE))
    order = [m.name for m in members]
    random.Random(f"syslead-seating:{seed}:{session}").shuffle(order)
    size = {o: sum(1 for n in order if org[n] == o) for o in org.values()}
    order.sort(key=lambda n: (-size[org[n]], org[n]))
    tables: list[list[str]] = [[] for _ in range(count)]
    for turn, name in enumerate(order):
        tables[turn % count].append(name)

    def score(table: Sequence[str]) -> int:
        return sum(
            1
            for a, b in itertools.combinations(table, 2)
            if org[a] != org[b] and frozenset((a, b)) not in history
        )

    def fair(table: Sequence[str]) -> bool:
        return all(sum(1 for n in table if org[n] == o) <= math.ceil(size[o] / count) for o in size)

    improved = True
    while improved:
        improved = False
        for t1, t2 in itertools.combinations(range(count), 2):
            for i, j in itertools.product(range(len(tables[t1])), range(len(tables[t2]))):
                a, b = tables[t1][i], tables[t2][j]
                one = [*tables[t1][:i], b, *tables[t1][i + 1 :]]
                two = [*tables[t2][:j], a, *tables[t2][j + 1 :]]
                before = score(tables[t1]) + score(tables[t2])
                if score(one) + score(two) > before and fair(one) and fair(two):
                    tables[t1], tables[t2] = one, two
                    improved = True
    return tables


def _neighbours(tables: Iterable[Sequence[str]]) -> set[Pair]:
    return {frozenset(p) for t in tables for p in itertools.combinations(t, 2)}


def seatings(series: Series) -> list[Seating]:
    """Tables for every session, each seating people with new neighbours from other organisations."""
    if len(series.members) < 2:
        return []
    cross = cross_pairs(series.members)
    history: set[Pair] = set()
    plans = []
    for session in series.sessions:
        tables = _seat(series.members, history, session.number, series.seed)
        fresh = (_neighbours(tables) & cross) - history
        history |= _neighbours(tables)
        plans.append(Seating(session.number, tables, len(fresh)))
    return plans


def rounds_data(series: Series, session: int | None = None) -> list[dict[str, object]]:
    """The pairs (and tables) of every session, or of one, as plain data for JSON."""
    rounds = series_rounds(series)
    tables = seatings(series)
    data: list[dict[str, object]] = []
    for r, seating in zip(rounds, tables, strict=True):
        if session is not None and r.session != session:
            continue
        data.append(
            {
                "session": r.session,
                "date": series.session(r.session).date.isoformat(),
                "pairs": [list(g) for g in r.groups],
                "resting": list(r.resting),
                "tables": [list(t) for t in seating.tables],
                "new_neighbours": seating.new_neighbours,
            }
        )
    return data
