"""Sources and reports as the API presents them. Every field carries a description for the schema."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources.models import DerivationKind, Reliability, Report, Source


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "label",
            "kind",
            "description",
            "affiliation",
            "side",
            "anonymous",
            "reliability",
            "same_as",
            "member_of",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier of the source."},
            "kind": {"help_text": "What sort of source it is, as the report words it."},
            "anonymous": {"help_text": "Whether the report withholds the source's identity."},
            "same_as": {"help_text": "Id of the source this one is the same speaker as (they count as one origin)."},
            "member_of": {"help_text": "Id of the source it speaks for or belongs to (one party), or null."},
            "created_at": {"help_text": "When the source was entered."},
            "updated_at": {"help_text": "When the source was last changed."},
        }


class TrackRecordSerializer(serializers.Serializer):
    """What came of the claims a speaker supported as an independent origin. Only claims you may read
    count (API consumers: vetted ones)."""

    source = serializers.IntegerField(
        help_text="Id of the speaker whose record this is: this source, or the one it is the same speaker as "
        "(one speaker, one record)."
    )
    stand = serializers.IntegerField(
        help_text="Claims it supported (as an independent origin: relays never count) that stand: vetted, "
        "with a suggested credibility of 1 or 2."
    )
    failed = serializers.IntegerField(
        help_text="Claims it supported that failed: rejected, retracted, or contradicted by two parties or more."
    )
    open = serializers.IntegerField(help_text="Claims it supported that neither stand nor failed yet.")
    suggested_reliability = serializers.ChoiceField(
        choices=[(grade.value, grade.label) for grade in (Reliability.B, Reliability.C, Reliability.D, Reliability.E)],
        allow_null=True,
        help_text="Admiralty reliability the record suggests once 5 claims stand or failed (null before): "
        "B from 90 % standing, C from 70 %, D from 50 %, else E. Suggested, never applied to `reliability`.",
    )


class SourceWithTrackRecordSerializer(SourceSerializer):
    """A source as /api/v1/sources/ gives it: with its party and track record (`claims.reads.sources_for_api`)."""

    party = serializers.IntegerField(
        source="party_id",
        read_only=True,
        help_text="Id of its party: the top of its “speaks for / member of” chain, after “same speaker as” "
        "(its own id when it belongs to none).",
    )
    track_record = TrackRecordSerializer(
        read_only=True, help_text="What came of the claims it supported: how many stand, failed, or are open."
    )

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "party", "track_record"]


class ReportSummarySerializer(serializers.ModelSerializer):
    """A report as cited by an attribution."""

    class Meta:
        model = Report
        fields = ["id", "title", "outlet", "author", "published", "url", "language", "kind"]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier of the report."},
            "title": {"help_text": "Title of the report."},
            "author": {"help_text": "Author, when the report names one."},
            "url": {"help_text": "Where the report is published."},
            "kind": {"help_text": "Kind of document."},
        }


class DerivationSerializer(serializers.Serializer):
    report = serializers.IntegerField(source="original_id", help_text="Id of the report it derives from.")
    kind = serializers.ChoiceField(
        choices=DerivationKind.choices, help_text="How: relays, quotes, translates or summarises it."
    )


class ReportSerializer(ReportSummarySerializer):
    claims = serializers.SerializerMethodField(help_text="Ids of the vetted claims this report carries, ascending.")
    derived_from = DerivationSerializer(
        source="visible_derivations",
        many=True,
        read_only=True,
        help_text="The reports it derives from, among those you may read: what it repeats is not independent.",
    )

    class Meta(ReportSummarySerializer.Meta):
        fields = [
            *ReportSummarySerializer.Meta.fields,
            "body_kind",
            "claims",
            "derived_from",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            **ReportSummarySerializer.Meta.extra_kwargs,
            "created_at": {"help_text": "When the report was entered."},
            "updated_at": {"help_text": "When the report was last changed."},
        }

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_claims(self, report: Report) -> list[int]:
        # Preloaded by `claims.reads.reports_for_api`: vetted claims only.
        return sorted({attribution.claim_id for attribution in report.vetted_attributions})
