"""manage.py import_stix FILE --by USER: load a STIX bundle exported by a claimtracker (ids, statuses and times
kept), as USER, through the services."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.imports.stix import BundleRefused, import_bundle


class Command(BaseCommand):
    help = (
        "Load a STIX 2.1 bundle that a claimtracker exported (?format=stix) into this database, which must not "
        "hold its ids (an empty one): claims with their status, sources, reports, attributions, relations and "
        "derivations. Objects it does not understand are listed and skipped. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The bundle, as /api/v1/claims/?format=stix gives it.")
        parser.add_argument(
            "--by",
            required=True,
            help="Username the history records as the importer: a reviewer, since the claims keep their statuses.",
        )

    def handle(self, *args, file, by, **options):
        user = get_user_model().objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"No user “{by}”.")
        try:
            with open(file, encoding="utf-8") as handle:
                bundle = json.load(handle)
            imported = import_bundle(bundle, by=user)
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from None
        except BundleRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError("The bundle was refused; nothing was imported.") from None
        for skipped in imported.skipped:
            self.stdout.write(f"skipped {skipped}")
        self.stdout.write(
            f"{imported.claims} claim(s), {imported.sources} source(s), {imported.reports} report(s), "
            f"{imported.attributions} attribution(s), {imported.relations} relation(s), "
            f"{imported.derivations} derivation(s) imported; {len(imported.skipped)} object(s) skipped."
        )
        if imported.claims:
            self.stdout.write(
                "The claims keep the times they had where they were exported: an API consumer that syncs this "
                "installation with updated_since should pull everything once now."
            )
