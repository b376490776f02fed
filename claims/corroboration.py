"""Weighing the evidence of one claim: count independent origins, not mentions.

An attribution's *speaker* is its source's canonical source (the end of its
`same_as` chain); its *party* is the top of the `member_of` chain, taken after
`same_as` at each step.

An attribution X in report B is a *relay* of an attribution Y of the same claim
when Y is in a report A upstream of X (an ancestor of B by derivation, X.via,
or an ancestor of X.via), with the same stance, and either the same speaker or
both in their outlet's own voice. Among several such Y the earliest by
(published, report id, attribution id) wins. A relay joins the origin of what
it relays, so relays of relays join the root. A speaker with nothing upstream
to relay is its report's own reporting.

Non-relays form origins keyed by (speaker, stance): the same speaker saying it
twice is not corroboration. Outlet-voice attributions of different outlets stay
distinct origins. An origin is *circular* when it holds a relay from another
outlet than the attribution it relays: different outlets collapsing into one.

The suggested Admiralty credibility counts parties (S supporting, C
contradicting): none at all 6; C >= 2 and S <= 1 5; S = 0 6; C = 0: 1 when
S >= 2 and not every supporting origin is hedged, else 2; contested: 3 when
S > C, else 4. Neutral attributions form origins but count for neither side.
A relay can never raise a claim to 1: credibility 1 means confirmed by other
*independent* sources.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sources.chains import Parent, chain_cycle, closes_cycle, follow  # noqa: F401 (the cycle checks, re-exported)


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NEUTRAL = "neutral"


_STANCE_ORDER = list(Stance)


@dataclass(frozen=True)
class SourceFact:
    id: int
    label: str
    same_as: int | None = None
    member_of: int | None = None


@dataclass(frozen=True)
class ReportFact:
    id: int
    outlet: str
    published: datetime.date
    derived_from: tuple[int, ...] = ()


@dataclass(frozen=True)
class AttributionFact:
    id: int
    source: int
    report: int
    stance: Stance | str
    hedged: bool = False
    outlet_voice: bool = False
    via: int | None = None


@dataclass(frozen=True)
class Origin:
    stance: Stance
    source: int
    party: int
    attributions: tuple[int, ...]
    relays: tuple[int, ...]
    reports: tuple[int, ...]
    hedged: bool
    circular: bool
    first_published: datetime.date


@dataclass(frozen=True)
class Corroboration:
    origins: tuple[Origin, ...]
    supporting_origins: int
    contradicting_origins: int
    supporting_parties: int
    contradicting_parties: int
    single_source: bool
    suggested_credibility: int
    reason: str
    relay_of: Mapping[int, int | None]

    def as_dict(self) -> dict:
        return {
            "supporting_origins": self.supporting_origins,
            "contradicting_origins": self.contradicting_origins,
            "supporting_parties": self.supporting_parties,
            "contradicting_parties": self.contradicting_parties,
            "single_source": self.single_source,
            "suggested_credibility": self.suggested_credibility,
            "reason": self.reason,
            "origins": [
                {
                    "stance": origin.stance.value,
                    "source": origin.source,
                    "party": origin.party,
                    "attributions": list(origin.attributions),
                    "relays": list(origin.relays),
                    "hedged": origin.hedged,
                    "circular": origin.circular,
                }
                for origin in self.origins
            ],
        }


def _end(start: int, parent: Parent, key: Callable[[int], object] | None = None) -> int:
    """The end of the chain; in cyclic bad data, the least node of the cycle (so every member agrees)."""
    path, loop = follow(start, parent)
    return path[-1] if loop is None else min(path[loop:], key=key)


def canonical(source_id: int, sources: Mapping[int, SourceFact]) -> int:
    return _end(source_id, lambda s: sources[s].same_as if s in sources else None)


def party(source_id: int, sources: Mapping[int, SourceFact]) -> int:
    def parent(s: int) -> int | None:
        member_of = sources[s].member_of if s in sources else None
        return None if member_of is None else canonical(member_of, sources)

    return _end(canonical(source_id, sources), parent)


def ancestors(report_id: int, reports: Mapping[int, ReportFact]) -> set[int]:
    """Every report `report_id` derives from, directly or not; never the report itself."""
    found: set[int] = set()
    todo = [report_id]
    while todo:
        report = reports.get(todo.pop())
        for upstream in report.derived_from if report else ():
            if upstream not in found:
                found.add(upstream)
                todo.append(upstream)
    found.discard(report_id)
    return found


def weigh(
    attributions: Iterable[AttributionFact], sources: Mapping[int, SourceFact], reports: Mapping[int, ReportFact]
) -> Corroboration:
    def order(a: AttributionFact) -> tuple:
        return (reports[a.report].published, a.report, a.id)

    atts = sorted(attributions, key=order)
    by_id = {a.id: a for a in atts}
    speaker = {a.id: canonical(a.source, sources) for a in atts}
    stance = {a.id: Stance(a.stance) for a in atts}

    def relayed(x: AttributionFact) -> int | None:
        """The earliest attribution upstream of `x` that `x` repeats, if any."""
        upstream = ancestors(x.report, reports)
        if x.via is not None:
            upstream |= {x.via} | ancestors(x.via, reports)
        upstream.discard(x.report)
        repeats = (
            y.id
            for y in atts
            if y.report in upstream
            and stance[y.id] == stance[x.id]
            and (speaker[y.id] == speaker[x.id] or (y.outlet_voice and x.outlet_voice))
        )
        return next(repeats, None)

    # A relay's root is the end of its relay chain (in cyclic bad data, the earliest of the cycle).
    parents = {a.id: relayed(a) for a in atts}
    roots = {a.id: _end(a.id, parents, key=lambda i: order(by_id[i])) for a in atts}
    relay_of = {i: (root if root != i else None) for i, root in roots.items()}

    def fits(a: AttributionFact, group: list[AttributionFact]) -> bool:
        """Same speaker and stance; an outlet's own voice joins no other outlet's own voice."""
        root = group[0]
        voices = {reports[m.report].outlet for m in group if m.outlet_voice}
        return (speaker[root.id], stance[root.id]) == (speaker[a.id], stance[a.id]) and (
            not a.outlet_voice or voices <= {reports[a.report].outlet}
        )

    groups: list[list[AttributionFact]] = []
    for a in atts:
        if relay_of[a.id] is None:
            group = next((g for g in groups if fits(a, g)), None)
            if group is None:
                groups.append(group := [])
            group.append(a)
    home = {m.id: g for g in groups for m in g}
    for a in atts:
        if relay_of[a.id] is not None:
            home[roots[a.id]].append(a)
    origins = sorted(
        (_origin(sorted(g, key=order), speaker[g[0].id], stance[g[0].id], sources, reports, relay_of) for g in groups),
        key=lambda o: (_STANCE_ORDER.index(o.stance), o.first_published, o.attributions[0]),
    )
    return _grade(tuple(origins), sources, relay_of)


def _origin(
    members: list[AttributionFact],
    speaker: int,
    stance: Stance,
    sources: Mapping[int, SourceFact],
    reports: Mapping[int, ReportFact],
    relay_of: Mapping[int, int | None],
) -> Origin:
    relays = [a for a in members if relay_of[a.id] is not None]
    outlet = {a.id: reports[a.report].outlet for a in members}
    return Origin(
        stance=stance,
        source=speaker,
        party=party(speaker, sources),
        attributions=tuple(a.id for a in members),
        relays=tuple(a.id for a in relays),
        reports=tuple(dict.fromkeys(a.report for a in members)),
        hedged=all(a.hedged for a in members),
        circular=any(outlet[a.id] != outlet[relay_of[a.id]] for a in relays),
        first_published=reports[members[0].report].published,
    )


def _grade(
    origins: tuple[Origin, ...], sources: Mapping[int, SourceFact], relay_of: dict[int, int | None]
) -> Corroboration:
    supporting = [o for o in origins if o.stance == Stance.SUPPORTS]
    contradicting = [o for o in origins if o.stance == Stance.CONTRADICTS]
    s_names = _names({o.party for o in supporting}, sources)
    c_names = _names({o.party for o in contradicting}, sources)
    s, c = len(s_names), len(c_names)
    supports = f"{s} part{'y supports' if s == 1 else 'ies support'} ({', '.join(s_names)})"
    contradict = f"contradict{'s' if c == 1 else ''} ({', '.join(c_names)})"
    if s == 0 and c == 0:
        grade, reason = 6, "nothing supports it"
    elif s == 0:
        grade = 5 if c >= 2 else 6
        reason = f"nothing supports it; {c} part{'y' if c == 1 else 'ies'} {contradict}"
    elif c >= 2 and s <= 1:
        grade, reason = 5, f"contested: {supports}, {c} {contradict}"
    elif c == 0:
        n = len(supporting)
        reason = f"{n} origin{'' if n == 1 else 's'}, {s} part{'y' if s == 1 else 'ies'}: {', '.join(s_names)}"
        grade = 1 if s >= 2 and not all(o.hedged for o in supporting) else 2
        if grade == 2:
            why = "single source" if n == 1 else "single party" if s == 1 else "every supporting origin hedged"
            reason += f" — {why}"
    else:
        grade, reason = (3 if s > c else 4), f"contested: {supports}, {c} {contradict}"
    return Corroboration(
        origins=origins,
        supporting_origins=len(supporting),
        contradicting_origins=len(contradicting),
        supporting_parties=s,
        contradicting_parties=c,
        single_source=len(supporting) == 1,
        suggested_credibility=grade,
        reason=reason,
        relay_of=relay_of,
    )


def _names(parties: set[int], sources: Mapping[int, SourceFact]) -> list[str]:
    """Party names sorted by label (then id, so two parties with one label both show)."""
    labelled = sorted((sources[p].label if p in sources else f"source {p}", p) for p in parties)
    return [label for label, _ in labelled]
