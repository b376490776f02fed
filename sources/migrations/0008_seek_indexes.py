"""Indexes that let the reports and sources lists seek (issue 14): recently added reports, and the reports and
sources changed since a moment (`updated_since`). Each index's comment in the models names its user."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0007_report_original"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["created_at", "id"], name="sources_report_created_idx"),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["updated_at"], name="sources_report_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["updated_at"], name="sources_source_updated_idx"),
        ),
    ]
