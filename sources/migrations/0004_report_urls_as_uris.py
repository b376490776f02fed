"""Report addresses stored as URIs (the API declares `url` as format uri): IRIs on file are encoded."""

from django.db import migrations


def encode_urls(apps, schema_editor):
    from sources.models import as_uri

    Report = apps.get_model("sources", "Report")
    for report in Report.objects.exclude(url="").only("pk", "url"):
        encoded = as_uri(report.url)
        if encoded != report.url:
            Report.objects.filter(pk=report.pk).update(url=encoded)


class Migration(migrations.Migration):
    dependencies = [("sources", "0003_provenance")]

    operations = [migrations.RunPython(encode_urls, migrations.RunPython.noop)]
