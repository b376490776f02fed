"""Indexes that let every claims list seek (issue 14): the API's pages by status and id or creation, and what
`updated_since` and the withdrawals feed look for by time. Each index's comment in the models names its user."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_search_everywhere"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="attribution",
            index=models.Index(fields=["updated_at"], name="claims_attribution_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "id"], name="claims_claim_status_id_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "created_at", "id"], name="claims_claim_created_idx"),
        ),
        migrations.AddIndex(
            model_name="claimrelation",
            index=models.Index(fields=["created_at"], name="claims_claimrelation_new_idx"),
        ),
        migrations.AddIndex(
            model_name="claimtransition",
            index=models.Index(fields=["from_status", "at"], name="claims_transition_left_idx"),
        ),
    ]
