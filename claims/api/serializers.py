"""Claims, their evidence, relations and entities as the API presents them.

Serializers only present: what a user may read is decided by the querysets
(`visible_to(user).for_api(user)`), including which relations are listed.
Every field carries a description for the schema.
"""

import datetime
from functools import partial
from types import SimpleNamespace

import orjson
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.corroboration import weigh
from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.api.serializers import ReportSummarySerializer, SourceSerializer


class EntitySerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(), source="alias_list", read_only=True, help_text="Other names it goes by."
    )

    class Meta:
        model = Entity
        fields = ["id", "name", "kind", "aliases", "description"]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier of the entity."},
            "name": {"help_text": "Name of the person, organisation, place or equipment."},
            "kind": {"help_text": "Kind of entity."},
            "description": {"help_text": "Who or what it is."},
        }


class AttributionSerializer(serializers.ModelSerializer):
    source = SourceSerializer(read_only=True, help_text="Who the claim is attributed to.")
    report = ReportSummarySerializer(read_only=True, help_text="The report that carries the claim.")
    grade = serializers.CharField(
        read_only=True,
        help_text="Admiralty grade: the source's reliability (A-F) and this information's credibility (1-6), e.g. F3.",
    )

    class Meta:
        model = Attribution
        fields = ["id", *Attribution.EVIDENCE_FIELDS, "grade", "relay_of", "updated_at"]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier of the attribution."},
            "quote": {"help_text": "Verbatim passage of the report; equals the report's text from start to end."},
            "start": {"help_text": "Offset of the quote's first character in the report's text."},
            "end": {"help_text": "Offset just after the quote's last character in the report's text."},
            "mode": {"help_text": "Direct quote, paraphrase, or the outlet's own voice."},
            "stance": {"help_text": "Whether this report, through this source, supports or contradicts the claim."},
            "updated_at": {"help_text": "When the attribution was last changed."},
            "relay_of": {"help_text": "Id of the earlier attribution this one repeats (a relay), or null."},
            "via": {"help_text": "Id of the report through which this outlet got the words, or null."},
            "said_on": {"help_text": "When the source said it, if not on the report's date."},
        }


class OriginSerializer(serializers.Serializer):
    """One independent origin: a speaker (after "same speaker as") and what repeats it."""

    stance = serializers.ChoiceField(
        choices=Attribution.Stance.choices, help_text="What this origin says of the claim."
    )
    source = serializers.IntegerField(help_text="Id of the speaking source (canonical: after “same speaker as”).")
    party = serializers.IntegerField(help_text="Id of its party: the top of its “speaks for / member of” chain.")
    attributions = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the attributions in this origin, relays included."
    )
    relays = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of those that repeat an earlier report (not independent)."
    )
    hedged = serializers.BooleanField(help_text="Every attribution in it is hedged (conditional, “reportedly”).")
    circular = serializers.BooleanField(help_text="Different outlets that collapse into this one origin.")


class CorroborationSerializer(serializers.Serializer):
    """The weight of a claim's evidence: independent origins and parties, not mentions."""

    supporting_origins = serializers.IntegerField(help_text="Independent origins that support the claim.")
    contradicting_origins = serializers.IntegerField(help_text="Independent origins that contradict it.")
    supporting_parties = serializers.IntegerField(help_text="Distinct parties among the supporting origins.")
    contradicting_parties = serializers.IntegerField(help_text="Distinct parties among the contradicting origins.")
    single_source = serializers.BooleanField(help_text="Exactly one supporting origin.")
    suggested_credibility = serializers.IntegerField(
        min_value=1, max_value=6, help_text="Admiralty credibility the origins suggest (1 best, 6 cannot be judged)."
    )
    reason = serializers.CharField(help_text="Why, in words: origins and parties.")
    origins = OriginSerializer(many=True, help_text="The origins, supporting first.")


# A claim with no evidence yet weighs as nothing.
UNWEIGHED = weigh([], {}, {}).as_dict()


class RelationSerializer(serializers.Serializer):
    """A relation as seen from the claim that lists it."""

    kind = serializers.ChoiceField(choices=ClaimRelation.Kind.choices, help_text="How the two claims relate.")
    direction = serializers.ChoiceField(
        choices=[("outgoing", "outgoing"), ("incoming", "incoming")],
        help_text="outgoing: this claim <kind> the other one (e.g. refines it); incoming: the other one <kind> this.",
    )
    claim_id = serializers.IntegerField(help_text="Id of the related claim.")
    statement = serializers.CharField(help_text="Statement of the related claim.")


class ClaimSerializer(serializers.ModelSerializer):
    about = serializers.CharField(
        read_only=True, help_text="The time the claim is about, as an analyst would say it, e.g. “Apr 2025”."
    )
    entities = EntitySerializer(many=True, read_only=True, help_text="Who and what the claim is about.")
    attributions = AttributionSerializer(
        many=True, read_only=True, help_text="Its evidence: who says it, in which report, graded how."
    )
    relations = serializers.SerializerMethodField(
        help_text="Links to other claims you may read: contradicts, corroborates, refines, duplicate of."
    )
    corroboration = serializers.SerializerMethodField(
        help_text="The weight of its evidence: independent origins and parties, and the credibility they suggest."
    )

    class Meta:
        model = Claim
        fields = ["id", *Claim.CONTENT_FIELDS, "about", "status", "entities", "attributions", "relations"]
        fields += ["corroboration"]
        fields += ["created_at", "updated_at"]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier of the claim."},
            "kind": {"help_text": "Kind of assertion."},
            "about_precision": {"help_text": "How precise about_date is: day, month, year or approximate."},
            "likelihood": {"help_text": "ICD 203 likelihood the analyst gives the claim; empty when not judged."},
            "confidence": {"help_text": "ICD 203 confidence in that judgement; empty when not judged."},
            "status": {"help_text": "Review status: always vetted for API consumers."},
            "created_at": {"help_text": "When the claim was entered."},
            "updated_at": {"help_text": "When the claim itself last changed (see also its attributions' updated_at)."},
        }

    @extend_schema_field(CorroborationSerializer)
    def get_corroboration(self, claim: Claim) -> dict:
        # Stored by the services (claims.services.weighing); a vetted claim's evidence is all visible to its readers.
        return claim.corroboration or UNWEIGHED

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations(self, claim: Claim) -> list[dict]:
        # Preloaded by `Claim.objects.for_api(user)`, which keeps only relations to claims the user may read.
        outgoing = [
            {"kind": r.kind, "direction": "outgoing", "claim_id": r.to_claim_id, "statement": r.to_claim.statement}
            for r in claim.outgoing_relations.all()
        ]
        incoming = [
            {"kind": r.kind, "direction": "incoming", "claim_id": r.from_claim_id, "statement": r.from_claim.statement}
            for r in claim.incoming_relations.all()
        ]
        return outgoing + incoming


class WithdrawnQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        help_text="ISO 8601 timestamp, e.g. your last sync: claims withdrawn at or after it."
    )

    def validate_since(self, moment):
        """In UTC for the query (PostgreSQL refuses offsets beyond ±15:59); within the storable years."""
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise serializers.ValidationError("Enter a date/time between the years 1 and 9999.") from None


class WithdrawalSerializer(serializers.Serializer):
    """A claim that is no longer vetted: retracted, or sent back to review after a change."""

    id = serializers.IntegerField(source="claim_id", help_text="Id of the claim to drop from your copy.")
    withdrawn_at = serializers.DateTimeField(help_text="When it stopped being vetted.")


# The hot path: the claims list and detail, in JSON and CSV ---------------------------------------------------


def _grouped(rows: list[dict], build) -> dict[int, list]:
    """`build(row)` of each row, in the rows' order, by the claim each row names (`claim_id`)."""
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row["claim_id"], []).append(build(row))
    return grouped


class ClaimRows:
    """`ClaimSerializer`'s representation, written by hand from plain rows (`Claim.objects.api_rows` for the
    claims, `api_evidence` for what they show): the same keys in the same order and the same formats (dates
    and times as DRF writes them, in UTC with a Z), so the same bytes, which `tests/api/test_fast_paths.py`
    checks on the demo and on generated data. DRF's field-by-field machinery cost more than reading the data;
    `ClaimSerializer` stays the schema's source and the browsable API's serializer.

    What the models compute (`about`, `grade`, `alias_list`) is computed by the models' own code.
    """

    def __init__(self, evidence: dict[str, list[dict]]):
        self.zone = timezone.get_current_timezone()
        self.entities = _grouped(evidence["entities"], self.entity)
        self.attributions = _grouped(evidence["attributions"], self.attribution)
        self.relations = _grouped(evidence["outgoing"], partial(self.relation, "outgoing"))
        for claim_id, relations in _grouped(evidence["incoming"], partial(self.relation, "incoming")).items():
            self.relations.setdefault(claim_id, []).extend(relations)

    def moment(self, value: datetime.datetime | None) -> str | None:
        """As `serializers.DateTimeField` writes it: ISO 8601 in the current time zone, "+00:00" as "Z"."""
        if value is None:
            return None
        text = value.astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    @staticmethod
    def day(value: datetime.date | None) -> str | None:
        return None if value is None else value.isoformat()

    def claims(self, rows) -> list[dict]:
        return [self.claim(row) for row in rows]

    def claim(self, row: dict) -> dict:
        pk = row["id"]
        corroboration = orjson.loads(row["corroboration_json"]) if row["corroboration_json"] else None
        return {
            "id": pk,
            "statement": row["statement"],
            "original_wording": row["original_wording"],
            "kind": row["kind"],
            "about_date": self.day(row["about_date"]),
            "about_precision": row["about_precision"],
            "about_text": row["about_text"],
            "likelihood": row["likelihood"],
            "confidence": row["confidence"],
            "about": Claim.about.fget(SimpleNamespace(**row)),
            "status": row["status"],
            "entities": self.entities.get(pk, []),
            "attributions": self.attributions.get(pk, []),
            "relations": self.relations.get(pk, []),
            "corroboration": corroboration or UNWEIGHED,
            "created_at": self.moment(row["created_at"]),
            "updated_at": self.moment(row["updated_at"]),
        }

    def entity(self, row: dict) -> dict:
        return {
            "id": row["entity_id"],
            "name": row["entity__name"],
            "kind": row["entity__kind"],
            "aliases": Entity.alias_list.fget(SimpleNamespace(aliases=row["entity__aliases"])),
            "description": row["entity__description"],
        }

    def attribution(self, row: dict) -> dict:
        source = SimpleNamespace(reliability=row["source__reliability"])
        return {
            "id": row["id"],
            "report": {
                "id": row["report_id"],
                "title": row["report__title"],
                "outlet": row["report__outlet"],
                "author": row["report__author"],
                "published": self.day(row["report__published"]),
                "url": row["report__url"],
                "language": row["report__language"],
                "kind": row["report__kind"],
            },
            "source": {
                "id": row["source_id"],
                "label": row["source__label"],
                "kind": row["source__kind"],
                "description": row["source__description"],
                "affiliation": row["source__affiliation"],
                "side": row["source__side"],
                "anonymous": row["source__anonymous"],
                "reliability": row["source__reliability"],
                "same_as": row["source__same_as_id"],
                "member_of": row["source__member_of_id"],
                "created_at": self.moment(row["source__created_at"]),
                "updated_at": self.moment(row["source__updated_at"]),
            },
            "quote": row["quote"],
            "start": row["start"],
            "end": row["end"],
            "verb": row["verb"],
            "mode": row["mode"],
            "stance": row["stance"],
            "hedged": row["hedged"],
            "credibility": row["credibility"],
            "said_on": self.day(row["said_on"]),
            "via": row["via_id"],
            "grade": Attribution.grade.fget(SimpleNamespace(source=source, credibility=row["credibility"])),
            "relay_of": row["relay_of_id"],
            "updated_at": self.moment(row["updated_at"]),
        }

    @staticmethod
    def relation(direction: str, row: dict) -> dict:
        return {
            "kind": row["kind"],
            "direction": direction,
            "claim_id": row["other_id"],
            "statement": row["other_statement"],
        }
