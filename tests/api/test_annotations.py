"""W3C Web Annotation out (/api/v1/reports/<id>/annotations/) and in (`import_annotations`)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims import services
from claims.imports.annotations import AnnotationsRefused, anchor_highlight, import_annotations, read_annotations
from claims.models import Attribution, Claim
from sources.models import Report, Source
from tests.api.standards import demo_once, web_annotation_errors  # noqa: F401 (demo_once: a fixture)
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory


def annotations_of(client, report) -> dict:
    response = client.get(f"/api/v1/reports/{report.pk}/annotations/")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return json.loads(response.content)


def the_article():
    return Report.objects.get(title__startswith="La Turquie")


def spans(report) -> list[tuple[int, int, str]]:
    return sorted(report.attributions.values_list("start", "end", "quote"))


# Out --------------------------------------------------------------------------------------------------


def test_each_annotation_selects_its_quote_and_names_claim_source_stance_and_grade(consumer_client, db):
    attribution = AttributionFactory(
        claim=ClaimFactory(status=Claim.Status.VETTED), quote="Environ 2 000 membres", hedged=True, credibility=4
    )

    items = annotations_of(consumer_client, attribution.report)["first"]["items"]

    item = next(
        i
        for i in items
        if {"type": "TextPositionSelector", "start": attribution.start, "end": attribution.end}
        in i["target"]["selector"]
    )
    quote = item["target"]["selector"][0]
    body = attribution.report.body
    assert quote["exact"] == attribution.quote == body[attribution.start : attribution.end]
    assert body[: attribution.start].endswith(quote["prefix"]) and body[attribution.end :].startswith(quote["suffix"])
    tags = {b["value"] for b in item["body"] if b.get("purpose") == "tagging"}
    assert {f"claim:{attribution.claim_id}", f"stance:{attribution.stance}", f"grade:{attribution.grade}"} <= tags
    assert f"source:{attribution.source.label}" in tags and "hedged" in tags
    assert item["body"][0] == {
        "type": "TextualBody",
        "purpose": "describing",
        "value": attribution.claim.statement,
        "format": "text/plain",
        "language": "en",
    }


def test_a_consumer_gets_the_annotations_of_vetted_claims_only(consumer_client, db):
    report = ReportFactory()
    vetted = AttributionFactory(report=report, claim=ClaimFactory(status=Claim.Status.VETTED))
    AttributionFactory(report=report, claim=ClaimFactory(status=Claim.Status.DRAFT), quote="Ils sont très discrets")

    collection = annotations_of(consumer_client, report)

    assert collection["total"] == 1
    assert f"claim:{vetted.claim_id}" in json.dumps(collection)


def test_a_report_the_consumer_may_not_see_is_a_404(consumer_client, db):
    report = AttributionFactory(claim=ClaimFactory(status=Claim.Status.DRAFT)).report

    assert consumer_client.get(f"/api/v1/reports/{report.pk}/annotations/").status_code == 404
    assert consumer_client.get("/api/v1/reports/999999/annotations/").status_code == 404


# In ---------------------------------------------------------------------------------------------------


HYPOTHESIS = {
    "total": 2,
    "rows": [
        {
            "id": "hyp-1",
            "uri": "https://example.org/article",
            "text": "Drones arrived at the end of 2022.",
            "tags": ["source:un officier malien", "source-kind:anonymous_individual", "credibility:3", "verb:selon"],
            "target": [
                {
                    "source": "https://example.org/article",
                    "selector": [
                        # Hypothesis counts UTF-16 units: the emoji before the quote is two of them.
                        {"type": "TextPositionSelector", "start": 62, "end": 100},
                        {
                            "type": "TextQuoteSelector",
                            "exact": "les drones sont arrivés à la fin de 2022",
                            "prefix": "anonymat 🛩 ",
                            "suffix": ".",
                        },
                    ],
                }
            ],
        },
        {
            "id": "hyp-2",
            "uri": "https://example.org/article",
            "text": "",
            "tags": ["stance:contradicts", "grade:F5"],
            "target": [
                {
                    "source": "https://example.org/article",
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": "les drones sont arrivés",
                            "prefix": "",
                            "suffix": " en 2023",
                        }
                    ],
                }
            ],
        },
    ],
}


BODY = (
    "Selon un officier malien, qui a requis l\u2019anonymat 🛩 les drones sont arrivés à la fin de 2022. "
    "Un autre affirme que les drones sont arrivés en 2023."
)


def test_hypothesis_annotations_become_draft_claims_anchored_by_quote(analyst, db):
    report = ReportFactory(body=BODY)

    imported = import_annotations(HYPOTHESIS, report=report, by=analyst)

    first, second = sorted(imported.attributions, key=lambda a: a.pk)
    assert BODY[first.start : first.end] == "les drones sont arrivés à la fin de 2022"
    assert (first.source.label, first.source.kind, first.credibility, first.verb) == (
        "un officier malien",
        Source.Kind.ANONYMOUS_INDIVIDUAL,
        3,
        "selon",
    )
    assert first.claim.statement == "Drones arrived at the end of 2022." and first.claim.status == Claim.Status.DRAFT
    # The suffix chose the second occurrence; no source tag: the outlet's own voice.
    assert BODY[second.end : second.end + 8] == " en 2023"
    assert (second.stance, second.credibility, second.mode) == ("contradicts", 5, Attribution.Mode.OUTLET_VOICE)
    assert second.source.label == report.outlet and second.claim.statement == "les drones sont arrivés"


def test_the_position_is_a_hint_read_as_utf16_units_when_quotes_repeat(db):
    body = "😀 x. x. x."
    highlight = read_annotations(
        {
            "rows": [
                {
                    "target": [
                        {
                            "selector": [
                                {"type": "TextQuoteSelector", "exact": "x"},
                                {"type": "TextPositionSelector", "start": 6, "end": 7},  # the second x, in UTF-16 units
                            ]
                        }
                    ]
                }
            ]
        }
    )[0]

    assert anchor_highlight(body, highlight).start == 5


def test_our_positions_are_code_points_and_come_back_so_past_characters_beyond_the_bmp(analyst_client, analyst, db):
    """A text where a quote repeats with the same context either side and emoji before each: only the position
    tells the occurrences apart. Counted in UTF-16 units it would point several occurrences further on."""
    body = ("🛩" * 30 + " selon une source, les drones sont arrivés.") * 12
    report = ReportFactory(body=body)
    unit, quote = len(body) // 12, "les drones sont arrivés"
    for occurrence in (5, 8):
        start = occurrence * unit + body[:unit].index(quote)
        AttributionFactory(report=report, quote=quote, start=start, end=start + len(quote))
    exported = annotations_of(analyst_client, report)
    copy = ReportFactory(body=body)

    import_annotations(exported, report=copy, by=analyst)

    assert web_annotation_errors(exported) == []
    assert [span[:2] for span in spans(copy)] == [span[:2] for span in spans(report)]


def test_annotations_that_cannot_be_anchored_are_each_reported_and_nothing_is_written(analyst, db):
    report = ReportFactory(body=BODY)
    broken = json.loads(json.dumps(HYPOTHESIS))
    broken["rows"][0]["target"][0]["selector"][1]["exact"] = "words nowhere in the text"
    broken["rows"].append({"id": "page-note", "text": "A note on the whole page", "target": [{"source": "x"}]})
    claims_before = Claim.objects.count()

    with pytest.raises(AnnotationsRefused) as refused:
        import_annotations(broken, report=report, by=analyst)

    assert refused.value.problems == [
        "annotation hyp-1: its quote “words nowhere in the text” is not in the report's text",
        "annotation page-note: it has no quote (TextQuoteSelector) to anchor: a page note, not a highlight",
    ]
    assert Claim.objects.count() == claims_before and report.attributions.count() == 0


def test_a_wrong_tag_refuses_the_whole_file(analyst, db):
    report = ReportFactory(body=BODY)
    wrong = json.loads(json.dumps(HYPOTHESIS))
    wrong["rows"][1]["tags"] = ["stance:maybe"]

    with pytest.raises(AnnotationsRefused, match="stance:maybe"):
        import_annotations(wrong, report=report, by=analyst)

    assert report.attributions.count() == 0 and not Source.objects.filter(label="un officier malien").exists()


def test_the_command_reads_a_file_and_reports(analyst, db, tmp_path):
    report = ReportFactory(body=BODY)
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(HYPOTHESIS))
    out = io.StringIO()

    call_command("import_annotations", str(path), "--report", str(report.pk), "--by", analyst.username, stdout=out)

    assert out.getvalue().startswith("2 attribution(s) in 2 draft claim(s)")
    broken = json.loads(json.dumps(HYPOTHESIS))
    broken["rows"][1]["target"][0]["selector"][0]["exact"] = "absent"
    path.write_text(json.dumps(broken))
    with pytest.raises(CommandError, match="1 annotation"):
        call_command("import_annotations", str(path), "--report", str(report.pk), stderr=io.StringIO())


# The demo article, loaded once for the class ------------------------------------------------------------


@pytest.mark.usefixtures("demo_once")
class TestTheDemoArticle:
    """Loading the demo is most of a test's time: these tests read it (or add to it in their own savepoint)."""

    def test_the_demo_articles_annotations_follow_the_web_annotation_model(self, analyst_client):
        collection = annotations_of(analyst_client, the_article())

        assert web_annotation_errors(collection) == []
        assert collection["type"] == "AnnotationCollection"
        assert collection["total"] == the_article().attributions.count()

    def test_annotations_are_cached_per_etag(self, consumer_client):
        url = f"/api/v1/reports/{the_article().pk}/annotations/"
        first = consumer_client.get(url)

        assert consumer_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert consumer_client.get(url).content == first.content

    def test_reimporting_a_reports_annotations_into_a_copy_recreates_the_same_spans(self, analyst_client, analyst):
        article = the_article()
        exported = annotations_of(analyst_client, article)
        copy = Report(
            **{f: getattr(article, f) for f in ("title", "outlet", "author", "published", "language", "body")}
        )
        services.report_save(report=copy, by=analyst)

        imported = import_annotations(exported, report=copy, by=analyst)

        assert spans(copy) == spans(article)
        assert {claim.status for claim in imported.claims} == {Claim.Status.DRAFT}
        assert len(imported.claims) == article.attributions.values("claim").distinct().count()
        originals = {
            (a.start, a.source_id, a.stance, a.credibility, a.mode, a.hedged) for a in article.attributions.all()
        }
        copies = {(a.start, a.source_id, a.stance, a.credibility, a.mode, a.hedged) for a in copy.attributions.all()}
        assert copies == originals
