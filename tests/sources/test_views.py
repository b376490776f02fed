"""The reviewers' pages about reports and sources: the annotated report, sources by kind, a source."""

import datetime
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.urls import reverse

from claims.models import Attribution, Claim
from sources.models import Report, Source
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory
from tests.helpers import page_text as text

PAGES = {
    "report_detail": lambda objects: reverse("report_detail", args=[objects.report.pk]),
    "source_list": lambda objects: reverse("source_list"),
    "source_detail": lambda objects: reverse("source_detail", args=[objects.source.pk]),
}

BODY = "Selon un officier malien, les drones turcs seraient arrivés à la fin de 2022 <b>&amp; pas avant</b>."


class AnnotatedBody(HTMLParser):
    """Reads the annotated body out of the page: its text, and its marks' attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text = ""
        self.marks: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
            if tag == "mark":
                self.marks.append(attrs)
        elif "data-annotated-body" in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text += data


def annotated_body(response) -> AnnotatedBody:
    parser = AnnotatedBody()
    parser.feed(response.content.decode())
    return parser


def attribute(report, quote, **kwargs) -> Attribution:
    return AttributionFactory(report=report, quote=quote, **kwargs)


# The annotated report --------------------------------------------------------


def test_the_annotated_text_equals_the_body_with_nested_and_overlapping_passages(reviewer_client):
    report = ReportFactory(body=BODY)
    attribute(report, "Selon un officier malien, les drones turcs seraient arrivés")
    attribute(report, "les drones turcs")  # nested in the first
    attribute(report, "seraient arrivés à la fin de 2022")  # overlaps the first
    attribute(report, "seraient arrivés à la fin de 2022")  # the same passage, said again
    attribute(report, "<b>&amp; pas avant</b>")  # markup in the body is text, not HTML

    body = annotated_body(reviewer_client.get(reverse("report_detail", args=[report.pk])))

    assert body.text == BODY


def test_each_attribution_has_exactly_one_highlight_anchor(reviewer_client):
    report = ReportFactory(body=BODY)
    outer = attribute(report, "Selon un officier malien, les drones turcs seraient arrivés")
    inner = attribute(report, "les drones turcs")
    overlapping = attribute(report, "seraient arrivés à la fin de 2022")

    body = annotated_body(reviewer_client.get(reverse("report_detail", args=[report.pk])))

    anchors = [mark["data-attribution-id"] for mark in body.marks if "data-attribution-id" in mark]
    assert sorted(anchors) == sorted(str(a.pk) for a in [outer, inner, overlapping])


def test_highlights_are_coloured_by_source_kind_and_carry_the_grade(reviewer_client):
    report = ReportFactory(body=BODY)
    estimate = SourceFactory(kind=Source.Kind.ESTIMATE, reliability="C", label="des estimations occidentales")
    attribution = attribute(report, "les drones turcs", source=estimate, credibility=2, hedged=True)

    response = reviewer_client.get(reverse("report_detail", args=[report.pk]))

    [mark] = annotated_body(response).marks
    assert "kind-estimate" in mark["class"].split()
    assert "hedged" in mark["class"].split()
    assert mark["title"].startswith("C2 · des estimations occidentales · Supports · hedged")
    assert [kind.value for kind in response.context["legend"]] == ["estimate"]
    assert f'id="attribution-{attribution.pk}"' in response.content.decode()


def test_passages_of_retracted_and_rejected_claims_look_withdrawn_and_say_so(reviewer_client):
    report = ReportFactory(body=BODY)
    retracted = attribute(report, "Selon un officier malien", claim=ClaimFactory(status=Claim.Status.RETRACTED))
    rejected = attribute(report, "les drones turcs", claim=ClaimFactory(status=Claim.Status.REJECTED))
    vetted = attribute(report, "à la fin de 2022", claim=ClaimFactory(status=Claim.Status.VETTED))

    response = reviewer_client.get(reverse("report_detail", args=[report.pk]))

    marks = {
        mark["data-attribution-id"]: mark for mark in annotated_body(response).marks if "data-attribution-id" in mark
    }
    assert "withdrawn" in marks[str(retracted.pk)]["class"].split()
    assert "withdrawn" in marks[str(rejected.pk)]["class"].split()
    assert "withdrawn" not in marks[str(vetted.pk)]["class"].split()
    assert marks[str(retracted.pk)]["title"].endswith(f"claim #{retracted.claim_id} (retracted)")
    page = text(response)
    assert "Claim retracted: it does not stand" in page  # in the list beside the text, copied into the pop-over
    assert "Claim rejected: it does not stand" in page
    assert "claim rejected or retracted: not evidence" in page  # the legend


def test_the_legend_explains_withdrawn_passages_only_when_there_are_some(reviewer_client):
    report = ReportFactory(body=BODY)
    attribute(report, "les drones turcs", claim=ClaimFactory(status=Claim.Status.VETTED))

    page = text(reviewer_client.get(reverse("report_detail", args=[report.pk])))

    assert "rejected or retracted" not in page
    assert "withdrawn" not in page


def test_the_claims_are_listed_beside_the_text_in_order_of_appearance(reviewer_client):
    report = ReportFactory(body=BODY)
    last = attribute(report, "à la fin de 2022", claim=ClaimFactory(statement="They came in late 2022."))
    first = attribute(report, "Selon un officier malien", claim=ClaimFactory(statement="An officer spoke."))

    response = reviewer_client.get(reverse("report_detail", args=[report.pk]))

    assert response.context["attributions"] == [first, last]
    page = text(response)
    assert page.index("An officer spoke.") < page.index("They came in late 2022.")


def test_attributions_of_other_reports_are_not_highlighted(reviewer_client):
    report = ReportFactory(body=BODY)
    attribute(report, "les drones turcs")
    AttributionFactory(quote="les drones turcs", report=ReportFactory(body=BODY))

    body = annotated_body(reviewer_client.get(reverse("report_detail", args=[report.pk])))

    assert len([mark for mark in body.marks if "data-attribution-id" in mark]) == 1


def test_the_demo_article_reads_exactly_as_its_body_with_one_highlight_per_attribution(reviewer_client, demo):
    article = Report.objects.get(title__startswith="La Turquie")

    body = annotated_body(reviewer_client.get(reverse("report_detail", args=[article.pk])))

    assert body.text == article.body
    assert len([mark for mark in body.marks if "data-attribution-id" in mark]) == article.attributions.count()


# Sources ---------------------------------------------------------------------


def test_the_sources_page_groups_sources_by_kind_in_the_order_analysts_use(reviewer_client):
    SourceFactory(kind=Source.Kind.ESTIMATE, label="des estimations occidentales")
    SourceFactory(kind=Source.Kind.OUTLET, label="Le Monde")
    SourceFactory(kind=Source.Kind.ANONYMOUS_INDIVIDUAL, label="un officier malien")

    response = reviewer_client.get(reverse("source_list"))

    assert [source.kind for source in response.context["sources"]] == ["outlet", "anonymous_individual", "estimate"]
    page = text(response)
    assert page.index("Outlet's own reporting") < page.index("Anonymous individual") < page.index("Estimate")


def test_the_sources_page_lists_each_report_once(reviewer_client):
    # What came of the claims it supported (its track record) is tested in tests/claims/test_track_record.py.
    source = SourceFactory(label="un haut gradé malien")
    report = ReportFactory(title="Le Monde article")
    claim = ClaimFactory()
    AttributionFactory(source=source, report=report, claim=claim)
    AttributionFactory(source=source, report=report, claim=claim, quote="les drones")
    AttributionFactory(source=source, report=report)
    AttributionFactory(source=source, stance=Attribution.Stance.CONTRADICTS)

    response = reviewer_client.get(reverse("source_list"))

    [shown] = response.context["sources"]
    assert len(shown.report_attributions) == 2
    assert text(response).count(reverse("report_detail", args=[report.pk])) == 1


def test_a_source_page_lists_what_it_said_in_time_order_with_quotes(reviewer_client):
    source = SourceFactory(label="un officier malien")
    later = AttributionFactory(source=source, report=ReportFactory(published=datetime.date(2025, 4, 8)))
    earlier = AttributionFactory(
        source=source, report=ReportFactory(published=datetime.date(2025, 4, 1)), quote="les drones sont arrivés"
    )
    AttributionFactory()  # someone else's

    response = reviewer_client.get(reverse("source_detail", args=[source.pk]))

    assert list(response.context["attributions"]) == [earlier, later]
    page = text(response)
    assert earlier.quote in page
    assert page.index("1 Apr 2025") < page.index("8 Apr 2025")


# Queries ---------------------------------------------------------------------
# Every request by a signed-in reviewer starts with 2 queries: the session and
# the user; `visible_to` then loads the user's and the groups' permissions (2 queries).


@pytest.mark.parametrize("count", [3, 30])
def test_the_annotated_report_runs_7_queries_whatever_its_attributions_and_6_once_seen(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    report = make_evidence(count).report
    # session, user, user permissions, group permissions, the data's version (`claims.pagecache`),
    # the report, its attributions in text order with claim and source
    with django_assert_max_num_queries(7):
        response = reviewer_client.get(reverse("report_detail", args=[report.pk]))
    # the same but its attributions: the page's content comes from the cache of rendered pages
    with django_assert_max_num_queries(6):
        again = reviewer_client.get(reverse("report_detail", args=[report.pk]))
    assert len(response.context["attributions"]) == count
    assert again.content.decode().count('class="attribution ') == count


@pytest.mark.parametrize("count", [3, 30])
def test_marking_withdrawn_passages_costs_no_query(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    evidence = make_evidence(count)
    # A fixture's shortcut, not the workflow: only the page's reading of the status matters here.
    Claim.objects.filter(pk__in=[claim.pk for claim in evidence.claims[::2]]).update(status=Claim.Status.RETRACTED)
    # the same 7 queries: the claim (and its status) comes with each attribution
    with django_assert_max_num_queries(7):
        response = reviewer_client.get(reverse("report_detail", args=[evidence.report.pk]))
    assert response.content.decode().count("withdrawn-note") == len(evidence.claims[::2])


@pytest.mark.parametrize("count", [3, 30])
def test_the_sources_page_runs_9_queries_whatever_the_number_of_sources(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    make_evidence(count)
    # session, user, user permissions, group permissions, the sources by kind, the sources in a
    # same_as/member_of chain and the claims their speakers supported (their track records),
    # one attribution per (source, report) with its report, and the count of sources for the pages
    with django_assert_max_num_queries(9):
        response = reviewer_client.get(reverse("source_list"))
    assert len(response.context["sources"]) == count + 1


@pytest.mark.parametrize("count", [3, 30])
def test_a_source_page_runs_9_queries_whatever_its_attributions(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    source = make_evidence(count).source
    # session, user, user permissions, group permissions, the source, the sources in a same_as/member_of
    # chain and the claims its speaker supported (its track record),
    # the count of its attributions for the pages, a page of them in time order with claim, report and source
    with django_assert_max_num_queries(9):
        response = reviewer_client.get(reverse("source_detail", args=[source.pk]))
    assert len(response.context["attributions"]) == count


@pytest.mark.parametrize("page", PAGES)
def test_the_report_and_source_pages_run_a_bounded_number_of_queries_on_the_demo(
    reviewer_client, demo, page, django_assert_max_num_queries
):
    article = Report.objects.get(title__startswith="La Turquie")
    objects = SimpleNamespace(report=article, source=Source.objects.filter(kind=Source.Kind.OUTLET).first())
    # The same figures as above on the demo article: 7 annotated report, 9 sources, 9 source.
    limit = {"report_detail": 7, "source_list": 9, "source_detail": 9}[page]
    with django_assert_max_num_queries(limit):
        assert reviewer_client.get(PAGES[page](objects)).status_code == 200
