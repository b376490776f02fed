"""The demo: Le Monde's article on Turkey beside Mali's junta, read claim by claim, with the later reports.

`demo.json` holds the analysts' reading: reports (with their notes and the
reports they derive from), sources (with "same speaker as" and "speaks for"
links), entities, claims with their attributions and statuses, relations,
and the claims an earlier reading held that this one retires. The article's
text is the file beside it.

`load_demo` brings a database to that reading whatever it holds, writing only
through `claims.services`: an empty database is loaded; an earlier demo is
upgraded in place (rows found by their natural keys, what differs changed,
what the reading no longer holds deleted, vetted claims whose substance
changed reviewed again, so no claim loses its history); the current demo is
left as it is, without writing a row.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims import roles, services
from claims.anchoring import normalise
from claims.models import MANUAL_TRANSITIONS, TRANSITIONS, Attribution, Claim, ClaimRelation, Entity
from sources.models import Report, ReportDerivation, Source

DEMO_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    group: str
    staff: bool


DEMO_ACCOUNTS = [
    DemoAccount("analyst", "analyst-demo-pass", roles.ANALYSTS, staff=True),
    DemoAccount("reviewer", "reviewer-demo-pass", roles.REVIEWERS, staff=True),
    DemoAccount("consumer", "consumer-demo-pass", roles.API_CONSUMERS, staff=False),
]

# Who takes each workflow step in the demo: the analyst edits and submits, the reviewer (four eyes) decides.
ACTORS = {"submit": "analyst", "vet": "reviewer", "reject": "reviewer", "reopen": "analyst", "retract": "reviewer"}
DEMO_COMMENT = "Demo review."
NOT_IN_READING = "no longer in the demo's reading"


def steps_between(current: str, target: str) -> list[tuple[str, str]] | None:
    """The fewest workflow steps, as (action, username), from status `current` to `target`.

    None when no steps lead there: a retracted claim stays retracted, and a
    vetted one goes back to review only when its substance changes.
    """
    paths: dict[str, list[tuple[str, str]]] = {current: []}
    todo = deque([current])
    while todo:
        status = todo.popleft()
        if status == target:
            return paths[status]
        for action in MANUAL_TRANSITIONS:
            step = TRANSITIONS[action]
            if status in step.from_statuses and step.to_status not in paths:
                paths[step.to_status] = [*paths[status], (str(action), ACTORS[action])]
                todo.append(step.to_status)
    return None


# The steps that bring a fresh draft to each demo status, and who takes them.
STEPS_TO_STATUS = {status: steps_between(Claim.Status.DRAFT, status) for status in Claim.Status}


def read_demo(path: Path = DEMO_DIR / "demo.json") -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ensure_accounts() -> dict[str, object]:
    """Create the demo accounts once; an existing account keeps its password."""
    User = get_user_model()
    users = {}
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username, defaults={"is_staff": account.staff, "email": f"{account.username}@example.org"}
        )
        if created:
            user.set_password(account.password)
            user.save()
        user.groups.add(Group.objects.get(name=account.group))
        users[account.username] = User.objects.get(pk=user.pk)  # fresh permission cache
    return users


@transaction.atomic
def load_demo(data: dict | None = None) -> dict[str, int]:
    """Bring the database to the demo's reading (`data`, by default `demo.json`), in one transaction.

    Returns how many rows of each kind it wrote, e.g. {"claims updated": 14,
    "review steps": 23}; empty when the database already holds the reading.
    """
    loader = _Loader(data if data is not None else read_demo(), ensure_accounts())
    loader.run()
    return dict(loader.written)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _quote_key(quote: str) -> str:
    """A quote as anchoring compares it: typography and spacing aside."""
    return normalise(quote).strip()


def _differs(instance, values: dict) -> bool:
    """Give `instance` the `values`; whether that changed any of them."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed)


class _Loader:
    """One load: the demo's keys mapped to rows as they are found or made, and a tally of what was written.

    The order matters: sources and reports before the claims that cite them;
    the evidence the reading no longer holds deleted before the reports' texts
    change (a quote must never lose its passage); statuses last, once each
    claim's evidence is what its review is about.
    """

    def __init__(self, data: dict, users: dict):
        self.data, self.users = data, users
        self.analyst = users["analyst"]
        self.written: Counter[str] = Counter()
        self.sources: dict[str, Source] = {}
        self.entities: dict[str, Entity] = {}
        self.reports: dict[str, Report] = {}
        self.claims: dict[str, Claim] = {}
        self.report_values: dict[str, dict] = {}  # existing reports: what they are to read, applied in `update_reports`
        self.kept: dict[tuple[str, int], int] = {}  # (claim key, index of its demo attribution) -> attribution id

    def run(self) -> None:
        self.load_sources()
        self.load_entities()
        self.load_reports()
        self.load_claims()
        self.retire_claims()
        self.drop_what_the_reading_no_longer_holds()
        self.update_reports()
        self.load_attributions()
        self.load_derivations()
        self.load_relations()
        self.take_review_steps()

    # Sources, entities, reports -------------------------------------------------------------------

    def load_sources(self) -> None:
        for item in self._links_first(self.data["sources"]):
            values = {
                "label": item["label"],
                "kind": item["kind"],
                "description": item.get("description", ""),
                "affiliation": item.get("affiliation", ""),
                "side": item.get("side", ""),
                "anonymous": item.get("anonymous", False),
                "reliability": item.get("reliability", Source.Reliability.F),
                "same_as_id": self.sources[item["same_as"]].pk if item.get("same_as") else None,
                "member_of_id": self.sources[item["member_of"]].pk if item.get("member_of") else None,
            }
            source = self._find_source(item)
            if source is None:
                source = Source(**values)
                services.source_save(source=source, by=self.analyst)
                self.written["sources created"] += 1
            elif _differs(source, values):
                services.source_save(source=source, by=self.analyst)
                self.written["sources updated"] += 1
            self.sources[item["key"]] = source

    @staticmethod
    def _links_first(items: list[dict]) -> list[dict]:
        """The sources in an order where each comes after those it links to (same speaker as, speaks for)."""
        by_key = {item["key"]: item for item in items}
        ordered: dict[str, dict] = {}

        def place(item: dict, path: tuple[str, ...] = ()) -> None:
            if item["key"] in path:
                raise ValueError(f"The demo's sources link in a cycle: {' → '.join((*path, item['key']))}.")
            for link in ("same_as", "member_of"):
                if item.get(link) and item[link] not in ordered:
                    place(by_key[item[link]], (*path, item["key"]))
            ordered.setdefault(item["key"], item)

        for item in items:
            place(item)
        return list(ordered.values())

    def _find_source(self, item: dict) -> Source | None:
        """By label, kind and description; else by label and kind when only one source not yet matched has them."""
        candidates = Source.objects.filter(label=item["label"], kind=item["kind"]).order_by("pk")
        exact = candidates.filter(description=item.get("description", "")).first()
        if exact is not None:
            return exact
        others = list(candidates.exclude(pk__in=[source.pk for source in self.sources.values()])[:2])
        return others[0] if len(others) == 1 else None

    def load_entities(self) -> None:
        for item in self.data["entities"]:
            values = {"name": item["name"], "kind": item["kind"], "aliases": "\n".join(item.get("aliases", []))}
            if "description" in item:
                values["description"] = item["description"]
            entity = Entity.objects.filter(name=item["name"]).first()
            if entity is None:
                entity = Entity(**values)
                services.entity_save(entity=entity, by=self.analyst)
                self.written["entities created"] += 1
            elif _differs(entity, values):
                services.entity_save(entity=entity, by=self.analyst)
                self.written["entities updated"] += 1
            self.entities[item["key"]] = entity

    def load_reports(self) -> None:
        """New reports are created; an existing one (found by title and outlet, or an outlet it formerly had)
        is changed in `update_reports`, once the quotes its new text would lose are gone."""
        for item in self.data["reports"]:
            body = (DEMO_DIR / item["body_file"]).read_text(encoding="utf-8") if item.get("body_file") else item["body"]
            values = {
                "title": item["title"],
                "outlet": item["outlet"],
                "author": item.get("author", ""),
                "published": _date(item["published"]),
                "url": item.get("url", ""),
                "language": item.get("language", "fr"),
                "kind": item["kind"],
                "body_kind": item.get("body_kind", Report.BodyKind.FULL_TEXT),
                "body": body,
                "note": item.get("note", ""),
            }
            report = self._find_report(item)
            if report is None:
                report = Report(**values, created_by=self.analyst)
                services.report_save(report=report, by=self.analyst)
                self.written["reports created"] += 1
            else:
                self.report_values[item["key"]] = values
            self.reports[item["key"]] = report

    @staticmethod
    def _find_report(item: dict) -> Report | None:
        for outlet in [item["outlet"], *item.get("formerly_outlet", [])]:
            report = Report.objects.filter(title=item["title"], outlet=outlet).order_by("pk").first()
            if report is not None:
                return report
        return None

    def update_reports(self) -> None:
        for key, values in self.report_values.items():
            report = self.reports[key]
            if _differs(report, values):
                services.report_save(report=report, by=self.analyst)  # re-anchors the quotes kept in its text
                self.written["reports updated"] += 1

    # Claims ----------------------------------------------------------------------------------------------

    def load_claims(self) -> None:
        for item in self.data["claims"]:
            values = {
                "statement": item["statement"],
                "original_wording": item.get("original_wording", ""),
                "kind": item["kind"],
                "about_date": _date(item.get("about_date")),
                "about_precision": item.get("about_precision") or "",
                "about_text": item.get("about_text", ""),
                "likelihood": item.get("likelihood", ""),
                "confidence": item.get("confidence", ""),
            }
            claim = self._find_claim([item["statement"], *item.get("formerly", [])])
            if claim is None:
                claim = Claim(**values)
                services.claim_save(claim=claim, by=self.analyst)
                self.written["claims created"] += 1
            elif _differs(claim, values):
                services.claim_save(claim=claim, by=self.analyst)  # a vetted claim goes back to review
                self.written["claims updated"] += 1
            entities = {self.entities[key].pk for key in item.get("entities", [])}
            if set(claim.entities.values_list("pk", flat=True)) != entities:
                # No service writes a claim's entities: the admin's form sets them the same way.
                claim._history_user = self.analyst
                claim.entities.set(entities)
            self.claims[item["key"]] = claim

    def _find_claim(self, statements: list[str]) -> Claim | None:
        """The claim with the first of `statements` (its own, then what it formerly said) not matched yet."""
        taken = [claim.pk for claim in self.claims.values()]
        for statement in statements:
            claim = Claim.objects.filter(statement=statement).exclude(pk__in=taken).order_by("pk").first()
            if claim is not None:
                return claim
        return None

    def retire_claims(self) -> None:
        """Claims an earlier reading held and this one does not: a vetted one is retracted (it may sit in an
        API consumer's copy), one that never left the building is deleted; a retracted one stays."""
        reviewer = self.users[ACTORS["retract"]]
        for item in self.data.get("retired", []):
            claim = self._find_claim([item["statement"]])
            if claim is None or claim.status == Claim.Status.RETRACTED:
                continue
            if claim.status == Claim.Status.IN_REVIEW:
                services.claim_transition(claim=claim, action="reject", by=reviewer, comment=item["why"])
                self.written["review steps"] += 1
            if claim.status == Claim.Status.VETTED:
                services.claim_transition(claim=claim, action="retract", by=reviewer, comment=item["why"])
                self.written["claims retracted"] += 1
            elif claim.can_be_deleted:
                for relation in claim.incoming_relations.all():
                    services.relation_delete(relation=relation, by=self.analyst, reason=item["why"])
                services.claim_delete(claim=claim, by=self.analyst)
                self.written["claims deleted"] += 1

    # Evidence ---------------------------------------------------------------------------------------------

    def drop_what_the_reading_no_longer_holds(self) -> None:
        """Delete the demo claims' attributions, relations and derivations the reading does not hold.

        An attribution is the reading's when its claim, report and quote (typography aside) are; those kept
        are remembered for `load_attributions`. Relations between demo claims and derivations between demo
        reports are the reading's by their pair; links to rows of the users' own are left alone.
        """
        for item in self.data["claims"]:
            claim = self.claims[item["key"]]
            wanted = {
                (self.reports[demo["report"]].pk, _quote_key(demo["quote"])): index
                for index, demo in reversed(list(enumerate(item["attributions"])))
            }
            for attribution in Attribution.objects.filter(claim=claim).order_by("pk"):
                index = wanted.pop((attribution.report_id, _quote_key(attribution.quote)), None)
                if index is not None:
                    self.kept[(item["key"], index)] = attribution.pk
                    continue
                attribution.claim = claim
                services.attribution_delete(attribution=attribution, by=self.analyst, reason=NOT_IN_READING)
                self.written["attributions deleted"] += 1

        by_pk = {claim.pk: claim for claim in self.claims.values()}
        pairs = {(self.claims[item["from"]].pk, self.claims[item["to"]].pk) for item in self.data["relations"]}
        for relation in ClaimRelation.objects.filter(from_claim__in=by_pk, to_claim__in=by_pk).order_by("pk"):
            if (relation.from_claim_id, relation.to_claim_id) not in pairs:
                relation.from_claim, relation.to_claim = by_pk[relation.from_claim_id], by_pk[relation.to_claim_id]
                services.relation_delete(relation=relation, by=self.analyst, reason=NOT_IN_READING)
                self.written["relations deleted"] += 1

        reports = [report.pk for report in self.reports.values()]
        wanted_derivations = set(self._derivations())
        for derivation in ReportDerivation.objects.filter(report__in=reports, original__in=reports).order_by("pk"):
            if (derivation.report_id, derivation.original_id) not in wanted_derivations:
                services.derivation_delete(derivation=derivation, by=self.analyst)
                self.written["derivations deleted"] += 1

    def load_attributions(self) -> None:
        for item in self.data["claims"]:
            claim = self.claims[item["key"]]
            for index, demo in enumerate(item["attributions"]):
                values = {
                    "report_id": self.reports[demo["report"]].pk,
                    "source_id": self.sources[demo["source"]].pk,
                    "verb": demo.get("verb", ""),
                    "mode": demo["mode"],
                    "hedged": demo.get("hedged", False),
                    "stance": demo.get("stance", Attribution.Stance.SUPPORTS),
                    "credibility": demo.get("credibility", Attribution.Credibility.CANNOT_BE_JUDGED),
                    "note": demo.get("note", ""),
                    "said_on": _date(demo.get("said_on")),
                    "via_id": self.reports[demo["via"]].pk if demo.get("via") else None,
                }
                kept = self.kept.get((item["key"], index))
                if kept is None:
                    attribution = Attribution(claim=claim, quote=demo["quote"], **values)
                    services.attribution_save(attribution=attribution, by=self.analyst)
                    self.written["attributions created"] += 1
                    continue
                attribution = Attribution.objects.get(pk=kept)  # as re-anchored in its report's new text
                attribution.claim = claim
                if _differs(attribution, values):
                    services.attribution_save(attribution=attribution, by=self.analyst)
                    self.written["attributions updated"] += 1

    def _derivations(self) -> dict[tuple[int, int], dict]:
        """(report id, original id) -> the derivation's kind and note, as the reading holds them."""
        return {
            (self.reports[item["key"]].pk, self.reports[upstream["report"]].pk): {
                "kind": upstream.get("kind", ReportDerivation.Kind.RELAYS),
                "note": upstream.get("note", ""),
            }
            for item in self.data["reports"]
            for upstream in item.get("derived_from", [])
        }

    def load_derivations(self) -> None:
        for (report, original), values in self._derivations().items():
            derivation = ReportDerivation.objects.filter(report=report, original=original).first()
            if derivation is None:
                derivation = ReportDerivation(report_id=report, original_id=original, **values)
                services.derivation_save(derivation=derivation, by=self.analyst)
                self.written["derivations created"] += 1
            elif _differs(derivation, values):
                services.derivation_save(derivation=derivation, by=self.analyst)
                self.written["derivations updated"] += 1

    def load_relations(self) -> None:
        for item in self.data["relations"]:
            ends = {"from_claim": self.claims[item["from"]], "to_claim": self.claims[item["to"]]}
            values = {"kind": item["type"], "rationale": item.get("rationale", "")}
            relation = ClaimRelation.objects.filter(**ends).first()
            if relation is None:
                services.relation_save(relation=ClaimRelation(**ends, **values), by=self.analyst)
                self.written["relations created"] += 1
            elif _differs(relation, values):
                relation.from_claim, relation.to_claim = ends["from_claim"], ends["to_claim"]
                services.relation_save(relation=relation, by=self.analyst)
                self.written["relations updated"] += 1

    # Review -----------------------------------------------------------------------------------------------

    def take_review_steps(self) -> None:
        """Bring each claim to its demo status by the fewest steps; one no step leads to is left as it is."""
        for item in self.data["claims"]:
            claim = Claim.objects.get(pk=self.claims[item["key"]].pk)
            for action, username in steps_between(claim.status, item["status"]) or []:
                reason = item.get("status_reason", DEMO_COMMENT)
                comment = reason if TRANSITIONS[action].reason_required else DEMO_COMMENT
                services.claim_transition(claim=claim, action=action, by=self.users[username], comment=comment)
                self.written["review steps"] += 1
