"""The graph of who says what, as Cytoscape.js elements: used by /graph/, /graph/data/ and the focused graph
on each claim, source and report page.

Nodes are claims, sources, reports and entities. Edges:

- ``says``: a source → a claim it is attributed (one per source, claim and stance; ``hedged`` when every one
  of those attributions is hedged);
- ``reported_in``: a claim → a report that carries it;
- ``relation``: a claim → a claim (duplicate of, contradicts, corroborates, refines);
- ``derives``: a report → the report it relays, quotes, translates or summarises;
- ``about``: a claim → an entity;
- ``same_as`` / ``member_of``: a source → another source.

`build()` draws either every claim the filters keep (those changed last first, at most `CLAIM_LIMIT`), or,
with ``focus``, the neighbourhood of one object up to ``depth`` hops (one hop: an attribution, which joins a
claim, its source and its report; a relation; a derivation; an "about"; a source link). Entities are leaves
unless they are the focus: a claim about Mali does not pull in every other claim about Mali. Either way a
drawn source brings the source it is recorded again as and the one it speaks for, so its party shows.

The date range is the reports' publication date (``published_after``/``published_before``, as on the claims
page): a claim is kept when one of its reports was published in the range, and only the attributions in
reports of the range are drawn, so the graph shows what was said in that period.

Querysets in, a dict out, in a fixed number of queries whatever the number of claims: rows are read with
``values_list()``, never as objects (eight queries for the whole graph, at most five more per hop for a focus).
Visibility comes first: claims from ``Claim.objects.visible_to(user)``, reports and sources from
``reads.reports_visible_to`` / ``sources_visible_to``, and an edge is drawn only between drawn nodes, so a
user never gets a node or an edge for a claim they may not read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import reads
from claims.filtersets import ClaimFilterSet
from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import ReportDerivation, Source

# The most claims one answer draws: beyond a few thousand nodes a browser's layout takes too long to be of use.
CLAIM_LIMIT = 2_000
DEPTH_LIMIT = 3
# Rows of the text list under the canvas (the page without JavaScript, a screen reader's table).
LISTED_EDGES = 300

CLAIM, SOURCE, REPORT, ENTITY = "claim", "source", "report", "entity"
KINDS = (CLAIM, SOURCE, REPORT, ENTITY)
PLURALS = {CLAIM: "claims", SOURCE: "sources", REPORT: "reports", ENTITY: "entities"}
LABEL_LENGTH = 70

# The words of the links, in the reader's language (/graph/data/ is a page's, not the API's).
SOURCE_LINKS = {"same_as": _("same speaker as"), "member_of": _("member of")}
STANCES = {
    Attribution.Stance.SUPPORTS: _("supports"),
    Attribution.Stance.CONTRADICTS: _("contradicts"),
    Attribution.Stance.NEUTRAL: _("neutral"),
}
DERIVATIONS = {
    ReportDerivation.Kind.RELAYS: _("relays"),
    ReportDerivation.Kind.QUOTES: _("quotes"),
    ReportDerivation.Kind.TRANSLATES: _("translates"),
    ReportDerivation.Kind.SUMMARISES: _("summarises"),
}
RELATIONS = {
    ClaimRelation.Kind.CONTRADICTS: _("contradicts"),
    ClaimRelation.Kind.CORROBORATES: _("corroborates"),
    ClaimRelation.Kind.REFINES: _("refines"),
    ClaimRelation.Kind.DUPLICATE_OF: _("duplicate of"),
}
# "No claim #12 that you may see.": one sentence per kind (French agrees it with the kind's gender).
NOT_FOUND = {
    CLAIM: _("No claim #%(pk)s that you may see."),
    SOURCE: _("No source #%(pk)s that you may see."),
    REPORT: _("No report #%(pk)s that you may see."),
    ENTITY: _("No entity #%(pk)s that you may see."),
}


class FocusNotFound(LookupError):
    """The focus is not an object the user may see (or not one at all)."""


class FocusForm(forms.Form):
    focus = forms.RegexField(
        regex=rf"^({'|'.join(KINDS)}):[0-9]{{1,18}}$",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "claim:12", "aria-describedby": "focus-help"}),
        help_text=_("claim:<id>, source:<id>, report:<id> or entity:<id>: draw that object's neighbourhood."),
        error_messages={"invalid": _("Give the focus as claim:<id>, source:<id>, report:<id> or entity:<id>.")},
    )
    depth = forms.IntegerField(
        min_value=1, max_value=DEPTH_LIMIT, required=False, help_text=_("Hops from the focus (1 to 3; default 1).")
    )


@dataclass
class GraphQuery:
    """The parameters of /graph/ and /graph/data/: the claims page's filters (`ClaimFilterSet`: status, entity,
    published_after/before and the others) plus ``focus`` and ``depth``."""

    filterset: ClaimFilterSet
    focus_form: FocusForm

    @classmethod
    def from_request(cls, request) -> GraphQuery:
        claims = Claim.objects.visible_to(request.user)
        return cls(ClaimFilterSet(request.GET, queryset=claims, request=request), FocusForm(request.GET))

    @cached_property
    def errors(self) -> dict[str, list[str]]:
        errors = {}
        for form in (self.filterset.form, self.focus_form):
            if not form.is_valid():
                errors.update(
                    {field: [str(message) for message in messages] for field, messages in form.errors.items()}
                )
        published = self.filterset.form.cleaned_data.get("published") if not errors else None
        if published and published.start and published.stop and published.start > published.stop:
            errors["published"] = [gettext("The start date is after the end date.")]
        return errors

    @property
    def error_message(self) -> str:
        """The errors in one sentence, e.g. "Bad parameters: status: Select a valid choice. …"."""
        return gettext("Bad parameters: %(errors)s") % {
            "errors": "; ".join(f"{field}: {' '.join(messages)}" for field, messages in self.errors.items())
        }

    def options(self) -> dict:
        """`build()`'s keyword arguments (call once `errors` is empty)."""
        focus = self.focus_form.cleaned_data["focus"]
        return {
            "claims": self.filterset.qs,
            "published": self.filterset.form.cleaned_data.get("published"),
            "focus": (focus.split(":")[0], int(focus.split(":")[1])) if focus else None,
            "depth": self.focus_form.cleaned_data["depth"] or 1,
        }


def build(
    *,
    user,
    claims: QuerySet[Claim] | None = None,
    published: slice | None = None,
    focus: tuple[str, int] | None = None,
    depth: int = 1,
    limit: int = CLAIM_LIMIT,
) -> dict:
    """The graph `user` may see of `claims` (default: all), as ``{"elements": {"nodes", "edges"}, ...}``.

    Raises `FocusNotFound` when ``focus`` is not an object `user` may see.
    """
    visible = Claim.objects.visible_to(user)
    universe = visible if claims is None else visible.filter(pk__in=claims.order_by().values("pk"))
    evidence = Attribution.objects.filter(claim__in=universe)
    if published is not None and published.start:
        evidence = evidence.filter(report__published__gte=published.start)
    if published is not None and published.stop:
        evidence = evidence.filter(report__published__lte=published.stop)
    reports, sources = reads.reports_visible_to(user), reads.sources_visible_to(user)
    entities = Entity.objects.visible_to(user)
    about = Claim.entities.through.objects

    truncated = False
    if focus is None:
        # 1. the claims, changed last first
        claim_rows = list(universe.order_by("-updated_at", "-id").values_list("id", "statement", "status")[: limit + 1])
        truncated = len(claim_rows) > limit
        claim_rows = claim_rows[:limit]
        claim_ids = {row[0] for row in claim_rows}
        # 2. their attributions (in the date range)
        attribution_rows = list(evidence.filter(claim_id__in=claim_ids).values_list(*ATTRIBUTION_FIELDS))
        source_ids = {row[1] for row in attribution_rows}
        report_ids = {row[2] for row in attribution_rows}
        # 3. what they are about
        about_rows = list(about.filter(claim_id__in=claim_ids).values_list("claim_id", "entity_id"))
        entity_ids = {entity for _, entity in about_rows}
    else:
        found, truncated = _neighbourhood(
            focus, depth, limit, universe=universe, evidence=evidence, reports=reports, sources=sources
        )
        claim_ids, source_ids, report_ids, entity_ids = (found[kind] for kind in KINDS)
        # The focus is drawn even when the filters leave it out (it is then alone): 1. the claims
        claim_rows = list(visible.filter(pk__in=claim_ids).values_list("id", "statement", "status"))
        # 2. the attributions between them; 3. their "about" links
        attribution_rows = list(
            evidence.filter(claim_id__in=claim_ids, source_id__in=source_ids, report_id__in=report_ids).values_list(
                *ATTRIBUTION_FIELDS
            )
        )
        about_rows = list(
            about.filter(claim_id__in=claim_ids, entity_id__in=entity_ids).values_list("claim_id", "entity_id")
        )
    # 4. sources, 5. reports, 6. entities, 7. derivations and 8. relations between the nodes
    # A drawn source brings the sources it is recorded again as, or speaks for (one link up): its party shows.
    drawn_sources = Source.objects.filter(pk__in=source_ids)
    linked = Q(pk__in=drawn_sources.values("same_as_id")) | Q(pk__in=drawn_sources.values("member_of_id"))
    source_rows = list(
        sources.filter(Q(pk__in=source_ids) | linked).values_list(
            "id", "label", "reliability", "same_as_id", "member_of_id"
        )
    )
    report_rows = reports.filter(pk__in=report_ids).values_list("id", "outlet", "title", "published")
    entity_rows = entities.filter(pk__in=entity_ids).values_list("id", "name", "kind")
    derivation_rows = ReportDerivation.objects.filter(report_id__in=report_ids, original_id__in=report_ids)
    relation_rows = ClaimRelation.objects.filter(from_claim_id__in=claim_ids, to_claim_id__in=claim_ids)

    drawing = _Drawing(focus)
    drawing.claims(claim_rows)
    drawing.sources(source_rows)
    drawing.reports(report_rows)
    drawing.entities(entity_rows)
    if focus is not None and _node_id(*focus) not in drawing.nodes:
        raise FocusNotFound(NOT_FOUND[focus[0]] % {"pk": focus[1]})
    drawing.attributions(attribution_rows)
    drawing.about(about_rows)
    drawing.derivations(derivation_rows.values_list("report_id", "original_id", "kind"))
    drawing.relations(relation_rows.values_list("from_claim_id", "to_claim_id", "kind"))
    drawing.source_links(source_rows)
    return drawing.result(truncated=truncated, limit=limit, depth=depth)


ATTRIBUTION_FIELDS = ("claim_id", "source_id", "report_id", "stance", "hedged")


def _neighbourhood(
    focus: tuple[str, int], depth: int, limit: int, *, universe, evidence, reports, sources
) -> tuple[dict[str, set[int]], bool]:
    """The ids of each kind within `depth` hops of `focus`: at most five queries per hop, each on the frontier
    only. Stops adding claims past `limit` (then the second value is True)."""
    kind, pk = focus
    found = {each: set() for each in KINDS}
    found[kind].add(pk)
    frontier = {each: set(ids) for each, ids in found.items()}
    truncated = False
    for hop in range(depth):
        new = {each: set() for each in KINDS}
        claims, speakers, carriers = frontier[CLAIM], frontier[SOURCE], frontier[REPORT]
        # Entities lead on only from the focus: a claim's entity does not pull in every claim about it.
        topics = frontier[ENTITY] if kind == ENTITY and hop == 0 else set()
        if claims or speakers or carriers:
            touching = _any_in(claim_id=claims, source_id=speakers, report_id=carriers)
            for claim, source, report in evidence.filter(touching).values_list("claim_id", "source_id", "report_id"):
                new[CLAIM].add(claim), new[SOURCE].add(source), new[REPORT].add(report)
        if claims:
            related = Q(from_claim_id__in=claims, to_claim__in=universe) | Q(
                to_claim_id__in=claims, from_claim__in=universe
            )
            for one, other in ClaimRelation.objects.filter(related).values_list("from_claim_id", "to_claim_id"):
                new[CLAIM].update((one, other))
        if claims or topics:
            abouts = Claim.entities.through.objects.filter(
                _any_in(claim_id=claims, entity_id=topics), claim__in=universe
            )
            for claim, entity in abouts.values_list("claim_id", "entity_id"):
                new[CLAIM].add(claim), new[ENTITY].add(entity)
        if carriers:
            derived = Q(report_id__in=carriers, original__in=reports) | Q(original_id__in=carriers, report__in=reports)
            for report, original in ReportDerivation.objects.filter(derived).values_list("report_id", "original_id"):
                new[REPORT].update((report, original))
        if speakers:
            linked = _any_in(pk=speakers, same_as_id=speakers, member_of_id=speakers)
            for source, same_as, member_of in sources.filter(linked).values_list("id", "same_as_id", "member_of_id"):
                new[SOURCE].update(pk for pk in (source, same_as, member_of) if pk is not None)
        frontier = {each: new[each] - found[each] for each in KINDS}
        room = limit - len(found[CLAIM])
        if len(frontier[CLAIM]) > room:
            frontier[CLAIM] = set(sorted(frontier[CLAIM])[: max(room, 0)])
            truncated = True
        for each in KINDS:
            found[each] |= frontier[each]
        if truncated or not any(frontier.values()):
            break
    return found, truncated


def _any_in(**lookups: set[int]) -> Q:
    """`Q(a__in=x) | Q(b__in=y) | ...` over the non-empty sets."""
    condition = Q(pk__in=[])
    for lookup, ids in lookups.items():
        if ids:
            condition |= Q(**{f"{lookup}__in": ids})
    return condition


def _node_id(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def _url_pattern(name: str) -> str:
    """The page of an object, as a pattern: one `reverse()` per kind rather than per node."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


class _Drawing:
    """The rows turned into Cytoscape elements; an edge is kept only between nodes already drawn."""

    def __init__(self, focus: tuple[str, int] | None):
        self.focus = _node_id(*focus) if focus else None
        self.nodes: dict[str, dict] = {}
        self.edges: dict[str, dict] = {}

    def _node(self, kind: str, pk: int, label: str, url: str, **data) -> None:
        node_id = _node_id(kind, pk)
        self.nodes[node_id] = {
            "id": node_id,
            "kind": kind,
            "label": label,
            "url": url.format(pk),
            **({"focus": True} if node_id == self.focus else {}),
            **data,
        }

    def _edge(self, edge_id: str, kind: str, source: str, target: str, label: str = "", **data) -> None:
        if source in self.nodes and target in self.nodes:
            self.edges[edge_id] = {
                "id": edge_id,
                "kind": kind,
                "source": source,
                "target": target,
                "label": label,
                **data,
            }

    def claims(self, rows: Iterable) -> None:
        url, statuses = _url_pattern("claim_detail"), dict(Claim.Status.choices)
        for pk, statement, status in rows:
            self._node(
                CLAIM,
                pk,
                f"#{pk} {_short(statement)}",
                url,
                title=statement,
                status=status,
                status_label=statuses.get(status, status),
            )

    def sources(self, rows: Iterable) -> None:
        url = _url_pattern("source_detail")
        for pk, label, reliability, _same_as, _member_of in rows:
            self._node(SOURCE, pk, f"{_short(label)} ({reliability})", url, title=label, reliability=reliability)

    def reports(self, rows: Iterable) -> None:
        url = _url_pattern("report_detail")
        for pk, outlet, title, published in rows:
            label = f"{_short(outlet)}, {date_format(published, 'j M Y')}"
            self._node(REPORT, pk, label, url, title=f"{outlet}: {title}", published=published.isoformat())

    def entities(self, rows: Iterable) -> None:
        url = _url_pattern("entity_detail")
        for pk, name, kind in rows:
            self._node(ENTITY, pk, _short(name), url, title=name, entity_kind=kind)

    def attributions(self, rows: Iterable) -> None:
        """One `says` edge per source, claim and stance (hedged when all of them are), one `reported_in` per
        claim and report."""
        says: dict[tuple, list[bool]] = {}
        carried: set[tuple[int, int]] = set()
        for claim, source, report, stance, hedged in rows:
            says.setdefault((source, claim, stance), []).append(hedged)
            carried.add((claim, report))
        for (source, claim, stance), hedges in sorted(says.items()):
            text = str(STANCES[stance])
            self._edge(
                f"says:{source}-{claim}-{stance}",
                "says",
                _node_id(SOURCE, source),
                _node_id(CLAIM, claim),
                stance=stance,
                hedged=all(hedges),
                count=len(hedges),
                text=gettext("%(stance)s, hedged") % {"stance": text} if all(hedges) else text,
            )
        for claim, report in sorted(carried):
            self._edge(
                f"in:{claim}-{report}",
                "reported_in",
                _node_id(CLAIM, claim),
                _node_id(REPORT, report),
                text=gettext("reported in"),
            )

    def about(self, rows: Iterable) -> None:
        text = gettext("about")
        for claim, entity in sorted(rows):
            self._edge(f"about:{claim}-{entity}", "about", _node_id(CLAIM, claim), _node_id(ENTITY, entity), text=text)

    def derivations(self, rows: Iterable) -> None:
        for report, original, kind in sorted(rows):
            text = str(DERIVATIONS.get(kind, kind))
            self._edge(
                f"derives:{report}-{original}",
                "derives",
                _node_id(REPORT, report),
                _node_id(REPORT, original),
                label=text,
                text=text,
                derivation=kind,
            )

    def relations(self, rows: Iterable) -> None:
        for one, other, kind in sorted(rows):
            label = str(RELATIONS.get(kind, kind))
            self._edge(
                f"relation:{one}-{other}",
                "relation",
                _node_id(CLAIM, one),
                _node_id(CLAIM, other),
                label=label,
                text=label,
                relation=kind,
            )

    def source_links(self, rows: Iterable) -> None:
        for pk, _label, _reliability, same_as, member_of in rows:
            for link, target in (("same_as", same_as), ("member_of", member_of)):
                if target is not None:
                    text = str(SOURCE_LINKS[link])
                    self._edge(
                        f"{link}:{pk}-{target}",
                        link,
                        _node_id(SOURCE, pk),
                        _node_id(SOURCE, target),
                        label=text,
                        text=text,
                    )

    def result(self, *, truncated: bool, limit: int, depth: int) -> dict:
        drawn = Counter(node["kind"] for node in self.nodes.values())
        counts = {PLURALS[kind]: drawn[kind] for kind in KINDS}
        counts["edges"] = len(self.edges)
        notice = ""
        if truncated:
            notice = gettext(
                "More than %(limit)s claims match: the graph shows %(limit)s of them. "
                "Narrow the filter (an entity, a shorter date range, a status) or focus on one object."
            ) % {"limit": number_format(limit, force_grouping=True)}
        return {
            "elements": {
                "nodes": [{"data": node} for node in self.nodes.values()],
                "edges": [{"data": edge} for edge in self.edges.values()],
            },
            "counts": counts,
            "truncated": truncated,
            "limit": limit,
            "notice": notice,
            "focus": self.focus,
            "depth": depth if self.focus else None,
        }


def listing(graph: dict, limit: int = LISTED_EDGES) -> dict:
    """The graph as text for a page: its first `limit` edges as (from node, edge, to node) rows, and the nodes
    no edge reaches."""
    nodes = {element["data"]["id"]: element["data"] for element in graph["elements"]["nodes"]}
    edges = [element["data"] for element in graph["elements"]["edges"]]
    linked = {end for edge in edges for end in (edge["source"], edge["target"])}
    return {
        "rows": [
            {"source": nodes[edge["source"]], "edge": edge, "target": nodes[edge["target"]]} for edge in edges[:limit]
        ],
        "more": max(len(edges) - limit, 0),
        "alone": [node for node_id, node in nodes.items() if node_id not in linked],
    }
