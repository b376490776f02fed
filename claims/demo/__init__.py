"""The demo: Le Monde's article on Turkey beside Mali's junta, read claim by claim.

`demo.json` holds the analysts' reading (reports, sources, entities, claims
with their attributions and statuses, relations); the article's text is the
file beside it. Loading goes through the same model validation and workflow
as the admin, so every quote is anchored and every status has its history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims import roles, services
from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import Report, Source

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

# The steps that bring a fresh draft to each demo status, and who takes them.
STEPS_TO_STATUS = {
    Claim.Status.DRAFT: [],
    Claim.Status.IN_REVIEW: [("submit", "analyst")],
    Claim.Status.VETTED: [("submit", "analyst"), ("vet", "reviewer")],
    Claim.Status.REJECTED: [("submit", "analyst"), ("reject", "reviewer")],
    Claim.Status.RETRACTED: [("submit", "analyst"), ("vet", "reviewer"), ("retract", "reviewer")],
}


def read_demo() -> dict:
    return json.loads((DEMO_DIR / "demo.json").read_text(encoding="utf-8"))


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
def load_demo() -> dict[str, int]:
    """Load the demo once. Returns counts of what was created (all zero when already there)."""
    users = ensure_accounts()
    data = read_demo()
    analyst = users["analyst"]
    created = {"reports": 0, "sources": 0, "entities": 0, "claims": 0, "attributions": 0, "relations": 0}

    reports = {}
    for item in data["reports"]:
        body = (DEMO_DIR / item["body_file"]).read_text(encoding="utf-8") if item.get("body_file") else item["body"]
        report = Report.objects.filter(title=item["title"], outlet=item["outlet"]).first()
        if report is None:
            report = Report(
                title=item["title"],
                outlet=item["outlet"],
                author=item.get("author", ""),
                published=date.fromisoformat(item["published"]),
                url=item.get("url", ""),
                language=item.get("language", "fr"),
                kind=item["kind"],
                body_kind=item.get("body_kind", Report.BodyKind.FULL_TEXT),
                body=body,
                created_by=analyst,
            )
            services.report_save(report=report, by=analyst)
            created["reports"] += 1
        reports[item["key"]] = report

    if Attribution.objects.filter(report=reports[data["reports"][0]["key"]]).exists():
        return created  # the article's claims are already there: loading twice changes nothing

    sources = {}
    for item in data["sources"]:
        identity = {"label": item["label"], "kind": item["kind"], "description": item.get("description", "")}
        source = Source.objects.filter(**identity).first()
        if source is None:
            source = Source(
                **identity,
                affiliation=item.get("affiliation", ""),
                side=item.get("side", ""),
                anonymous=item.get("anonymous", False),
                reliability=item.get("reliability", Source.Reliability.F),
            )
            services.source_save(source=source, by=analyst)
            created["sources"] += 1
        sources[item["key"]] = source

    entities = {}
    for item in data["entities"]:
        entity = Entity.objects.filter(name=item["name"]).first()
        if entity is None:
            entity = Entity(name=item["name"], kind=item["kind"], aliases="\n".join(item.get("aliases", [])))
            services.entity_save(entity=entity, by=analyst)
            created["entities"] += 1
        entities[item["key"]] = entity

    claims = {}
    for item in data["claims"]:
        claim = Claim(
            statement=item["statement"],
            original_wording=item.get("original_wording", ""),
            kind=item["kind"],
            about_date=date.fromisoformat(item["about_date"]) if item.get("about_date") else None,
            about_precision=item.get("about_precision") or "",
            about_text=item.get("about_text", ""),
            likelihood=item.get("likelihood", ""),
            confidence=item.get("confidence", ""),
        )
        claim._history_user = analyst
        services.claim_save(claim=claim, by=analyst)
        claim.entities.set([entities[key] for key in item.get("entities", [])])
        for attribution in item["attributions"]:
            services.attribution_save(
                attribution=Attribution(
                    claim=claim,
                    report=reports[attribution["report"]],
                    source=sources[attribution["source"]],
                    quote=attribution["quote"],
                    verb=attribution.get("verb", ""),
                    mode=attribution["mode"],
                    hedged=attribution.get("hedged", False),
                    stance=attribution.get("stance", Attribution.Stance.SUPPORTS),
                    credibility=attribution.get("credibility", Attribution.Credibility.CANNOT_BE_JUDGED),
                    note=attribution.get("note", ""),
                ),
                by=analyst,
            )
            created["attributions"] += 1
        claims[item["key"]] = claim
        created["claims"] += 1

    for item in data["relations"]:
        services.relation_save(
            relation=ClaimRelation(
                from_claim=claims[item["from"]],
                to_claim=claims[item["to"]],
                kind=item["type"],
                rationale=item.get("rationale", ""),
            ),
            by=analyst,
        )
        created["relations"] += 1

    for item in data["claims"]:
        claim = claims[item["key"]]
        for action, username in STEPS_TO_STATUS[Claim.Status(item["status"])]:
            claim._history_user = users[username]
            services.claim_transition(claim=claim, action=action, by=users[username], comment="Demo review.")
    return created
