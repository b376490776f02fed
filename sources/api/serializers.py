"""Sources and reports as the API presents them. Every field carries a description for the schema."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources.models import Report, Source


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


class ReportSerializer(ReportSummarySerializer):
    claims = serializers.SerializerMethodField(help_text="Ids of the vetted claims this report carries, ascending.")

    class Meta(ReportSummarySerializer.Meta):
        fields = [*ReportSummarySerializer.Meta.fields, "body_kind", "claims", "created_at", "updated_at"]
        extra_kwargs = {
            **ReportSummarySerializer.Meta.extra_kwargs,
            "created_at": {"help_text": "When the report was entered."},
            "updated_at": {"help_text": "When the report was last changed."},
        }

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_claims(self, report: Report) -> list[int]:
        # Preloaded by `Report.objects.for_api(user)`: vetted claims only.
        return sorted({attribution.claim_id for attribution in report.vetted_attributions})
