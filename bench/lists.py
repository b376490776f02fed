"""The earlier in-process timings (`make bench-lists`): the admin, page and API lists at small sizes.

Generates synthetic reports, sources and claims inside a transaction that is
rolled back at the end, so the database is left as it was. For each size it
prints the median wall time over `repeat` requests through Django's test
client (no network), logged in as a superuser, and the number of SQL queries
of one request; then the cost of the claims' weight, of a STIX export of
every claim, and of proposing attributions for a 5,000-word report.
"""

import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from claims.api.serializers import ClaimSerializer
from claims.models import Attribution, Claim
from claims.services import claims_reweigh
from sources.models import Report, Source

DEMO_ARTICLE = Path(__file__).resolve().parent.parent / "claims" / "demo" / "lemonde-2026-01-29-turquie-mali.txt"
SENTENCE = "Selon une source, quelques dizaines d\u2019\u00e9l\u00e9ments turcs seraient pr\u00e9sents \u00e0 Kati. "


class Rollback(Exception):
    pass


class Lists:
    """`run(sizes, repeat)` prints each line through `write`."""

    def __init__(self, write):
        self.write = write

    def run(self, sizes: list[int], repeat: int) -> None:
        self.write(f"database: {connection.vendor}; median of {repeat} requests; queries of one request")
        self.write(f"{'claims':>7}  {'page':<28} {'status':>6} {'median ms':>10} {'queries':>8}")
        try:
            with transaction.atomic():
                client = self._client()
                for size in sorted(sizes):
                    try:
                        with transaction.atomic():  # each size on its own data, then rolled back
                            report = self._generate(size)
                            for label, url in self._urls(report):
                                status, ms, queries = self._measure(client, url, repeat)
                                self.write(f"{size:>7}  {label:<28} {status:>6} {ms:>10.1f} {queries:>8}")
                            self._weight_cost(size, repeat)
                            self._stix_export(client, size, repeat)
                            raise Rollback
                    except Rollback:
                        pass
                raise Rollback
        except Rollback:
            pass
        self._extraction_cost()

    def _client(self) -> Client:
        user = self._user = get_user_model().objects.create_superuser("benchmark-user", "bench@example.org", None)
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        return client

    def _urls(self, report):
        claim = Claim.objects.order_by("id").first()
        return [
            ("admin claims changelist", "/admin/claims/claim/"),
            ("admin sources changelist", "/admin/sources/source/"),
            ("page /claims/", "/claims/"),
            ("page /claims/<id>/", f"/claims/{claim.pk}/"),
            ("page /reports/<id>/", f"/reports/{report.pk}/"),
            ("page /sources/", "/sources/"),
            ("api claims list", "/api/v1/claims/?page_size=100"),
            ("api claims csv", "/api/v1/claims/?format=csv&page_size=100"),
        ]

    def _measure(self, client, url, repeat):
        timings = []
        status = queries = None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
            status, queries = response.status_code, len(captured)
        return status, statistics.median(timings), queries

    def _weight_cost(self, size: int, repeat: int) -> None:
        """The API's claims page (100) serialised with and without `corroboration`, in process: its cost."""
        page = list(Claim.objects.vetted().for_api(self._user).order_by("id")[:100])

        class Unweighed(ClaimSerializer):
            class Meta(ClaimSerializer.Meta):
                fields = [name for name in ClaimSerializer.Meta.fields if name != "corroboration"]

        timings = {}
        for label, serializer in (("without", Unweighed), ("with", ClaimSerializer)):
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                JSONRenderer().render(serializer(page, many=True).data)
                runs.append((time.perf_counter() - started) * 1000)
            timings[label] = statistics.median(runs)
        ratio = timings["with"] / timings["without"]
        self.write(
            f"{size:>7}  {'api page, corroboration':<28} {'':>6} {timings['with']:>10.1f} "
            f"(without: {timings['without']:.1f} ms; ratio {ratio:.2f})"
        )

    def _stix_export(self, client, size: int, repeat: int) -> None:
        """Every claim as one STIX bundle (`?format=stix`): built afresh (cache emptied), then served from the
        export cache, then a 304 for its ETag."""
        url = "/api/v1/claims/?format=stix"
        cold = []
        for _ in range(repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                cold.append((time.perf_counter() - started) * 1000)
            queries = len(captured)  # read now: each request empties the connection's query log
        warm = self._measure(client, url, repeat)[1]
        not_modified = self._measure_304(client, url, response["ETag"], repeat)
        label, megabytes = "api stix bundle, all claims", len(response.content) / 1e6
        self.write(
            f"{size:>7}  {label:<28} {response.status_code:>6} {statistics.median(cold):>10.1f} {queries:>8}  "
            f"({megabytes:.1f} MB; cached {warm:.1f} ms; 304 {not_modified:.1f} ms)"
        )

    def _measure_304(self, client, url, etag, repeat):
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url, secure=True, HTTP_IF_NONE_MATCH=etag)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)

    def _extraction_cost(self, words: int = 5_000) -> None:
        """Proposing attributions (`claims.extraction`) for a report of `words` words: the demo article's
        paragraphs repeated. The French model loads once per process; its load is shown apart."""
        from claims.extraction import nlp, propose_attributions  # spaCy only when measured

        paragraphs = [p for p in (DEMO_ARTICLE.read_text(encoding="utf-8")).split("\n") if p.strip()]
        chosen = []
        while sum(len(p.split()) for p in chosen) < words:
            chosen.append(paragraphs[len(chosen) % len(paragraphs)])
        text = "\n\n".join(chosen)
        started = time.perf_counter()
        nlp()
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        proposals = propose_attributions(text, "fr", outlet="Le Monde")
        took = time.perf_counter() - started
        self.write(
            f"proposing attributions, {len(text.split()):,}-word report: {took:.2f} s, {len(proposals)} proposals "
            f"(model load, once per process: {loaded:.2f} s)"
        )

    def _generate(self, count: int) -> Report:
        """`count` vetted claims, each with two attributions in one shared report and one own report."""
        body = SENTENCE * max(count, 1)
        shared = Report.objects.create(title="Benchmark report", outlet="Bench", published=date(2025, 1, 1), body=body)
        sources = Source.objects.bulk_create(
            Source(label=f"bench source {i}", kind=kind, reliability="F", anonymous=True)
            for i, kind in enumerate(Source.Kind.values)
        )
        claims = Claim.objects.bulk_create(
            Claim(statement=f"Benchmark claim {i}", status=Claim.Status.VETTED) for i in range(count)
        )
        own_reports = Report.objects.bulk_create(
            Report(
                title=f"Follow-up {i}",
                outlet="Bench",
                published=date(2025, 1, 2) + timedelta(days=i % 300),
                body=SENTENCE,
            )
            for i in range(count)
        )
        length = len(SENTENCE) - 1
        attributions = []
        for i, (claim, own) in enumerate(zip(claims, own_reports, strict=True)):
            source = sources[i % len(sources)]
            start = i * len(SENTENCE)
            # Supported in the shared report, contradicted in its own.
            for report, offset, stance, credibility in (
                (shared, start, Attribution.Stance.SUPPORTS, 3),
                (own, 0, Attribution.Stance.CONTRADICTS, 4),
            ):
                attributions.append(
                    Attribution(
                        claim=claim,
                        source=source,
                        report=report,
                        quote=SENTENCE[:length],
                        start=offset,
                        end=offset + length,
                        stance=stance,
                        credibility=credibility,
                    )
                )
        Attribution.objects.bulk_create(attributions)
        claims_reweigh(claim.pk for claim in claims)
        return shared
