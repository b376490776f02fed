"""manage.py import_annotations FILE --report ID: Hypothesis or W3C annotations of a report become draft claims."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.imports.annotations import AnnotationsRefused, import_annotations
from sources.models import Report


class Command(BaseCommand):
    help = (
        "Read annotations of a report (Hypothesis API JSON, or W3C Web Annotation JSON-LD) and create a draft "
        "claim with its attribution for each passage, anchored by its quote. All or nothing: every annotation "
        "that cannot be anchored is listed and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file: Hypothesis' /api/search answer, or W3C annotations.")
        parser.add_argument("--report", type=int, required=True, help="Id of the report the annotations are on.")
        parser.add_argument("--by", help="Username the history records as the author (recommended).")

    def handle(self, *args, file, report, by, **options):
        report = Report.objects.filter(pk=report).first() or self._fail(f"No report #{report}.")
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first() or self._fail(f"No user “{by}”.")
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
            imported = import_annotations(data, report=report, by=user)
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from None
        except AnnotationsRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(refused.problems)} annotation(s) refused; nothing was imported.") from None
        self.stdout.write(
            f"{len(imported.attributions)} attribution(s) in {len(imported.claims)} draft claim(s) "
            f"(#{', #'.join(str(claim.pk) for claim in imported.claims) or '-'}) in report #{report.pk}."
        )

    def _fail(self, message: str):
        raise CommandError(message)
