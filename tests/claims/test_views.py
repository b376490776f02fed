"""The reviewers' pages about claims: who may open them, what they show, and their bounded queries."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims import services
from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Source
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
    UserFactory,
)
from tests.helpers import page_text as text
from tests.helpers import vetted_claim

PAGES = {
    "overview": lambda objects: reverse("overview"),
    "claim_list": lambda objects: reverse("claim_list"),
    "claim_detail": lambda objects: reverse("claim_detail", args=[objects.claim.pk]),
    "entity_detail": lambda objects: reverse("entity_detail", args=[objects.entity.pk]),
}


def listed(response) -> list[int]:
    return [claim.pk for claim in response.context["object_list"]]


def test_the_login_page_signs_a_reviewer_in_and_lands_on_the_overview(client, reviewer):
    response = client.post(reverse("login"), {"username": "rev", "password": "test-pass-123"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("overview")
    assert response.context["user"] == reviewer


def test_admin_links_are_shown_only_to_users_who_may_edit(client, analyst, one_of_each):
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_claim"))
    url = reverse("claim_detail", args=[one_of_each.claim.pk])
    admin_url = reverse("admin:claims_claim_change", args=[one_of_each.claim.pk])

    client.force_login(reader)
    assert admin_url not in text(client.get(url))
    client.force_login(analyst)
    assert admin_url in text(client.get(url))


# Overview --------------------------------------------------------------------


def test_the_overview_counts_claims_by_status_and_by_source_kind(reviewer_client):
    outlet = SourceFactory(kind=Source.Kind.OUTLET)
    AttributionFactory(claim=ClaimFactory(status=Claim.Status.VETTED), source=outlet)
    AttributionFactory(claim=ClaimFactory(status=Claim.Status.VETTED), source=outlet)
    AttributionFactory(claim=ClaimFactory(status=Claim.Status.DRAFT))

    response = reviewer_client.get(reverse("overview"))

    statuses = {status.value: count for status, count in response.context["status_counts"]}
    assert statuses == {"draft": 1, "in_review": 0, "vetted": 2, "rejected": 0, "retracted": 0}
    kinds = {kind.value: count for kind, count in response.context["source_kind_counts"]}
    assert kinds == {"outlet": 2, "anonymous_individual": 1}


def test_the_overview_lists_the_reports_last_added_and_the_claims_last_changed(reviewer_client):
    report = ReportFactory(title="Le rapport le plus récent")
    ClaimFactory.create_batch(12)  # more than the overview shows
    latest = ClaimFactory(statement="The latest claim.")

    page = text(reviewer_client.get(reverse("overview")))

    assert "Le rapport le plus récent" in page
    assert reverse("report_detail", args=[report.pk]) in page
    assert reverse("claim_detail", args=[latest.pk]) in page


# Claims list -----------------------------------------------------------------


def test_the_claims_list_shows_the_most_recently_changed_claims_first(reviewer_client):
    older, newer = ClaimFactory(), ClaimFactory()
    Claim.objects.filter(pk=older.pk).update(updated_at=newer.updated_at + datetime.timedelta(hours=1))

    assert listed(reviewer_client.get(reverse("claim_list"))) == [older.pk, newer.pk]


def test_the_claims_list_filters_by_status(reviewer_client):
    vetted = ClaimFactory(status=Claim.Status.VETTED)
    ClaimFactory(status=Claim.Status.DRAFT)

    assert listed(reviewer_client.get(reverse("claim_list"), {"status": "vetted"})) == [vetted.pk]


def test_the_claims_list_filters_by_source_kind_and_reliability(reviewer_client):
    by_estimate = AttributionFactory(source=SourceFactory(kind=Source.Kind.ESTIMATE, reliability="B")).claim
    AttributionFactory(source=SourceFactory(kind=Source.Kind.OUTLET, reliability="B"))
    AttributionFactory(source=SourceFactory(kind=Source.Kind.ESTIMATE, reliability="E"))

    response = reviewer_client.get(reverse("claim_list"), {"source_kind": "estimate", "reliability": "C"})

    assert listed(response) == [by_estimate.pk]


def test_the_claims_list_filters_by_entity_and_by_report(reviewer_client):
    about_kati = AttributionFactory().claim
    kati = EntityFactory(name="Kati")
    about_kati.entities.add(kati)
    other = AttributionFactory()

    assert listed(reviewer_client.get(reverse("claim_list"), {"entity": kati.pk})) == [about_kati.pk]
    assert listed(reviewer_client.get(reverse("claim_list"), {"report": other.report_id})) == [other.claim_id]


def test_the_claims_list_searches_statements_quotes_and_source_labels(reviewer_client):
    officer = AttributionFactory(source=SourceFactory(label="un officier malien")).claim
    akinci = ClaimFactory(statement="Two Akinci drones were delivered.")

    assert listed(reviewer_client.get(reverse("claim_list"), {"q": "officier"})) == [officer.pk]
    assert listed(reviewer_client.get(reverse("claim_list"), {"q": "akinci"})) == [akinci.pk]


def test_the_claims_list_filters_by_the_date_the_claim_is_about(reviewer_client):
    in_2022 = ClaimFactory(about_date=datetime.date(2022, 12, 1), about_precision=Claim.DatePrecision.MONTH)
    ClaimFactory(about_date=datetime.date(2025, 4, 1), about_precision=Claim.DatePrecision.DAY)

    response = reviewer_client.get(reverse("claim_list"), {"about_after": "2022-01-01", "about_before": "2023-01-01"})

    assert listed(response) == [in_2022.pk]


def test_evidence_counts_stay_right_when_filters_join_attributions(reviewer_client):
    claim = ClaimFactory(statement="Drones arrived.")
    source = SourceFactory(kind=Source.Kind.OUTLET, label="Le Monde")
    AttributionFactory(claim=claim, source=source)
    AttributionFactory(claim=claim, source=source)
    AttributionFactory(claim=claim, stance=Attribution.Stance.CONTRADICTS)

    kati, bamako = EntityFactory(), EntityFactory()
    claim.entities.add(kati, bamako)

    response = reviewer_client.get(
        reverse("claim_list"), {"source_kind": "outlet", "q": "drones", "entity": [kati.pk, bamako.pk]}
    )

    [shown] = response.context["object_list"]
    assert (shown.supports_count, shown.contradicts_count) == (2, 1)


def test_the_claims_list_renders_its_filter_form(reviewer_client):
    page = text(reviewer_client.get(reverse("claim_list")))

    for name in ["status", "kind", "source_kind", "reliability", "credibility", "likelihood", "confidence"]:
        assert f'name="{name}"' in page
    for name in ["entity", "report", "about_after", "about_before", "q"]:
        assert f'name="{name}"' in page


def test_a_bad_filter_value_shows_an_error_instead_of_failing(reviewer_client):
    ClaimFactory()

    response = reviewer_client.get(reverse("claim_list"), {"about_after": "not a date"})

    assert response.status_code == 200
    assert response.context["filter"].errors


def test_the_short_multiple_choice_filters_are_checkboxes(reviewer_client):
    page = reviewer_client.get(reverse("claim_list")).content.decode()

    for name, value in [
        ("status", "vetted"),
        ("kind", "assessment"),
        ("source_kind", "estimate"),
        ("likelihood", "likely"),
        ("confidence", "high"),
    ]:
        assert f'type="checkbox" name="{name}" value="{value}"' in page
    assert '<select name="status"' not in page


def test_ticking_two_status_checkboxes_lists_claims_in_either_and_keeps_them_ticked(reviewer_client):
    draft = ClaimFactory(status=Claim.Status.DRAFT)
    vetted = ClaimFactory(status=Claim.Status.VETTED)
    ClaimFactory(status=Claim.Status.REJECTED)

    response = reviewer_client.get(reverse("claim_list"), {"status": ["draft", "vetted"]})

    assert sorted(listed(response)) == sorted([draft.pk, vetted.pk])
    page = response.content.decode()
    assert 'name="status" value="vetted" id="id_status_2" checked' in page
    assert 'name="status" value="rejected" id="id_status_3">' in page


def test_the_filter_form_drops_empty_fields_with_a_static_script(reviewer_client):
    page = reviewer_client.get(reverse("claim_list")).content.decode()

    assert "data-drop-empty" in page
    assert '<script src="/static/js/filter-form.js" defer></script>' in page


def test_an_unreadable_filter_value_shows_its_error_beside_the_field_and_says_why_nothing_is_listed(
    reviewer_client,
):
    ClaimFactory()

    response = reviewer_client.get(reverse("claim_list"), {"updated_since": "yesterday"})

    assert response.status_code == 200
    assert listed(response) == []
    page = text(response)
    field = page.split('class="field field-updated_since has-errors"', 1)[1].split("</div>", 1)[0]
    assert 'aria-invalid="true"' in field
    assert "Enter a valid date/time." in field
    assert "0 claims" not in page
    assert '<a href="#id_updated_since">Changed since</a>' in page


def test_the_claims_list_shows_25_claims_a_page_and_keeps_the_filters_across_pages(reviewer_client):
    ClaimFactory.create_batch(30, status=Claim.Status.DRAFT)
    ClaimFactory(status=Claim.Status.VETTED)

    first = reviewer_client.get(reverse("claim_list"), {"status": "draft"})
    second = reviewer_client.get(reverse("claim_list"), {"status": "draft", "page": 2})

    assert len(listed(first)) == 25
    assert len(listed(second)) == 5
    assert set(listed(first)).isdisjoint(listed(second))
    assert "?status=draft&amp;page=2" in first.content.decode()


# A claim -------------------------------------------------------------------


def test_a_claim_page_shows_its_evidence_in_order_of_publication_supporting_and_contradicting(reviewer_client):
    claim = ClaimFactory()
    later = AttributionFactory(claim=claim, report=ReportFactory(published=datetime.date(2025, 4, 8)))
    denial = AttributionFactory(
        claim=claim,
        report=ReportFactory(published=datetime.date(2025, 4, 2)),
        stance=Attribution.Stance.CONTRADICTS,
    )
    first = AttributionFactory(claim=claim, report=ReportFactory(published=datetime.date(2025, 4, 1)))

    response = reviewer_client.get(reverse("claim_detail", args=[claim.pk]))

    assert list(response.context["claim"].attributions.all()) == [first, denial, later]
    page = response.content.decode()
    assert page.count('class="timeline-item stance-contradicts"') == 1
    assert page.count('class="timeline-item stance-supports"') == 2
    assert "1 Apr 2025" in page and "2 Apr 2025" in page and "8 Apr 2025" in page


def test_a_claim_page_links_related_claims_in_both_directions(reviewer_client):
    claim = ClaimFactory()
    contradicted = ClaimFactory(statement="Russia and Turkey are complementary.")
    refinement = ClaimFactory(statement="A more precise version.")
    ClaimRelationFactory(from_claim=claim, to_claim=contradicted, kind=ClaimRelation.Kind.CONTRADICTS)
    ClaimRelationFactory(from_claim=refinement, to_claim=claim, kind=ClaimRelation.Kind.REFINES)

    page = text(reviewer_client.get(reverse("claim_detail", args=[claim.pk])))

    assert reverse("claim_detail", args=[contradicted.pk]) in page
    assert "Russia and Turkey are complementary." in page
    assert reverse("claim_detail", args=[refinement.pk]) in page
    assert "A more precise version." in page


def test_a_claim_page_shows_its_review_history(reviewer_client, analyst, reviewer):
    claim = ClaimFactory()
    services.claim_transition(claim=claim, action="submit", by=analyst, comment="Ready for a second pair of eyes.")
    services.claim_transition(claim=claim, action="vet", by=reviewer, comment="Checked against the AP dispatch.")

    response = reviewer_client.get(reverse("claim_detail", args=[claim.pk]))

    steps = [(s.from_status, s.to_status, s.by.username) for s in response.context["claim"].transitions.all()]
    assert steps == [("draft", "in_review", "ana"), ("in_review", "vetted", "rev")]
    assert "Checked against the AP dispatch." in text(response)


def test_a_claim_page_shows_its_last_editor_apart_from_its_last_update(reviewer_client, analyst, second_reviewer):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    services.claim_transition(claim=claim, action="submit", by=analyst)
    services.claim_transition(claim=claim, action="vet", by=second_reviewer, comment="Checked.")
    claim.refresh_from_db()

    page = text(reviewer_client.get(reverse("claim_detail", args=[claim.pk])))

    facts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert "<dt>Last edited by</dt><dd>ana</dd>" in facts
    assert "<dt>Last review step</dt>" in facts
    assert "Vetted by rev2" in facts
    assert f"<dt>Updated</dt><dd>{claim.updated_at:%-d %b %Y %H:%M}" in facts
    assert "Last changed" not in facts


def test_the_review_box_says_a_comment_is_required_to_reject(reviewer_client, analyst):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    services.claim_transition(claim=claim, action="submit", by=analyst)

    page = text(reviewer_client.get(reverse("claim_detail", args=[claim.pk])))

    assert "Comment (required to reject or retract)" in page


def test_the_review_box_says_a_comment_is_optional_when_no_step_needs_one(client, analyst):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    client.force_login(analyst)

    page = text(client.get(reverse("claim_detail", args=[claim.pk])))

    assert "Submit for review" in page
    assert "Comment (optional)" in page


def test_the_retract_button_asks_for_confirmation_through_a_static_script(client, analyst, reviewer):
    claim = vetted_claim(analyst, reviewer)
    client.force_login(reviewer)

    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    [button] = [part for part in page.split("<button") if 'value="retract"' in part]
    assert f'data-confirm="Retract claim #{claim.pk}?' in button
    assert '<script src="/static/js/confirm.js" defer></script>' in page
    assert "Comment (required to reject or retract)" in text(client.get(reverse("claim_detail", args=[claim.pk])))


def test_without_javascript_a_retraction_without_a_reason_is_refused(client, analyst, reviewer):
    claim = vetted_claim(analyst, reviewer)
    client.force_login(reviewer)

    response = client.post(
        reverse("claim_review", args=[claim.pk]),
        {"action": "retract", "comment": "  ", "loaded_version": claim.version},
        follow=True,
    )

    claim.refresh_from_db()
    assert claim.status == Claim.Status.VETTED
    assert "Give a reason to reject or retract a claim." in text(response)


def test_a_claim_that_does_not_exist_is_404(reviewer_client):
    assert reviewer_client.get(reverse("claim_detail", args=[999999])).status_code == 404


# An entity -------------------------------------------------------------------


def test_an_entity_page_lists_the_claims_about_it_and_no_others(reviewer_client):
    kati = EntityFactory(name="Kati")
    about = ClaimFactory(statement="Turkish personnel are at Kati.")
    about.entities.add(kati)
    ClaimFactory(statement="Something else entirely.")

    response = reviewer_client.get(reverse("entity_detail", args=[kati.pk]))

    assert [claim.pk for claim in response.context["claims"]] == [about.pk]
    assert "Something else entirely." not in text(response)


# Queries -------------------------------------------------------------------
# Every request by a signed-in reviewer starts with 2 queries: the session and
# the user. The first permission check then loads the user's and the groups'
# permissions (2 queries); the pages then run their own recipe.


@pytest.mark.parametrize("count", [3, 30])
def test_the_overview_runs_10_queries_whatever_the_number_of_claims(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    make_evidence(count)
    # session, user, user permissions, group permissions, claims by status, claims by source kind,
    # recent reports with attribution counts, recent claims with evidence counts, their entities, their
    # attributions with sources (the "Sources" column)
    with django_assert_max_num_queries(10):
        assert reviewer_client.get(reverse("overview")).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_claims_list_runs_10_queries_whatever_the_number_of_claims(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    make_evidence(count)
    # session, user, user permissions, group permissions, the filter form's entities and reports,
    # the paginator's count, the page of claims with evidence counts, their entities, their attributions with sources
    with django_assert_max_num_queries(10):
        response = reviewer_client.get(reverse("claim_list"), {"status": "vetted", "source_kind": "group"})
    assert len(response.context["object_list"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_a_claim_page_runs_11_queries_whatever_its_evidence(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    claim = make_evidence(count).claims[1]
    AttributionFactory.create_batch(count, claim=claim)  # each in a report and from a source of its own
    # session, user, user permissions, group permissions, the claim (with its creator and editor),
    # its attributions with source and report, entities, outgoing relations, incoming relations,
    # review steps with their users, its history (likelihood and confidence over time)
    with django_assert_max_num_queries(11):
        response = reviewer_client.get(reverse("claim_detail", args=[claim.pk]))
    assert len(response.context["claim"].attributions.all()) >= count


@pytest.mark.parametrize("count", [3, 30])
def test_a_claim_in_review_shows_its_review_box_in_12_queries_whatever_its_evidence(
    reviewer_client, analyst, count, django_assert_max_num_queries
):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    AttributionFactory.create_batch(count, claim=claim)
    services.claim_transition(claim=claim, action="submit", by=analyst)
    # the 11 queries of a claim page (its history among them), then for the four-eyes rule: who changed
    # its attributions since it was last vetted (their history)
    with django_assert_max_num_queries(12):
        response = reviewer_client.get(reverse("claim_detail", args=[claim.pk]))
    assert [action for action, _ in response.context["review_steps"]] == ["vet", "reject"]


@pytest.mark.parametrize("count", [3, 30])
def test_an_entity_page_runs_9_queries_whatever_the_number_of_claims(
    reviewer_client, make_evidence, count, django_assert_max_num_queries
):
    entity = make_evidence(count).entity
    # session, user, the entity, user permissions, group permissions, its claims with evidence counts, their entities,
    # their attributions with sources, and the count of its claims for the pages
    with django_assert_max_num_queries(9):
        response = reviewer_client.get(reverse("entity_detail", args=[entity.pk]))
    assert len(response.context["claims"]) == count


@pytest.mark.parametrize("page", PAGES)
def test_the_claim_pages_run_a_bounded_number_of_queries_on_the_demo(
    reviewer_client, demo, page, django_assert_max_num_queries
):
    rivalry = Claim.objects.get(outgoing_relations__kind=ClaimRelation.Kind.CONTRADICTS)
    objects = SimpleNamespace(claim=rivalry, entity=rivalry.entities.first())
    # The same figures as above on the demo article: 10 overview, 10 list, 12 claim (in review), 8 entity.
    limit = {"overview": 10, "claim_list": 10, "claim_detail": 12, "entity_detail": 9}[page]
    with django_assert_max_num_queries(limit):
        assert reviewer_client.get(PAGES[page](objects)).status_code == 200
