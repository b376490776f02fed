"""Propose the attributions of a report: `python manage.py suggest_attributions REPORT_ID [--json]`.

With --json, prints a JSON list of proposals with exactly the keys of
`claims.extraction.CONTRACT_KEYS` (the contract scripts and the evaluation
use); without, a table to read. Proposes only: nothing is written.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

# `similar_claims_ranker` moved to claims.intake: still importable from here for whoever imported it from here.
from claims.intake import propose_for, similar_claims_ranker  # noqa: F401
from sources.models import Report


class Command(BaseCommand):
    help = "Propose the attributions of a report (who says what, how surely); --json for the scripts' contract."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument("--json", action="store_true", help="Print a JSON list (the contract's keys).")

    def handle(self, *args, report_id: int, json: bool, **options):
        report = Report.objects.filter(pk=report_id).first()
        if report is None:
            raise CommandError(f"No report #{report_id}.")
        proposals = propose_for(report)
        if json:
            self.stdout.write(_json([proposal.as_dict() for proposal in proposals]))
            return
        self.stdout.write(f"{report}: {len(proposals)} proposed attributions\n")
        self.stdout.write(f"{'span':>13}  {'mode':<12} {'hedged':<6} {'kind':<20} {'source':<36} {'verb':<14} quote")
        for p in proposals:
            source = p.source + (f" [#{p.source_id}]" if p.source_id else "") + (f" via {p.via}" if p.via else "")
            quote = " ".join(p.quote.split())
            self.stdout.write(
                f"{p.start:>6}-{p.end:<6}  {p.mode:<12} {'yes' if p.hedged else '':<6} {p.source_kind:<20} "
                f"{_cut(source, 36):<36} {_cut(p.verb, 14):<14} {_cut(quote, 70)}"
            )
            if p.similar_claims:
                self.stdout.write(f"{'':>15}similar claims: {', '.join(f'#{pk}' for pk in p.similar_claims)}")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
