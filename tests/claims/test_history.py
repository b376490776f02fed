"""Every change is kept, with who made it and when; a deleted claim comes back with its evidence."""

import html

import pytest
from django.urls import reverse

from claims import services
from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, Source
from tests.adminforms import form_data, inline_prefix, messages_of
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
)
from tests.helpers import change_url, logged_in, save_change_form

Status = Claim.Status


# Each kind of change is recorded with who, when and what ----------------------------------------------


@pytest.mark.django_db
def test_a_claim_edited_in_the_admin_keeps_its_old_statement_and_the_editor(analyst):
    claim = ClaimFactory(statement="Six TB2 drones arrived.")

    def edit(data, response):
        data["statement"] = "Eight TB2 drones arrived."

    save_change_form(logged_in(analyst), claim, edit)

    latest, previous = claim.history.all()[:2]
    assert latest.history_user == analyst
    assert latest.history_date is not None
    assert latest.diff_against(previous).changed_fields == ["statement"]
    assert (previous.statement, latest.statement) == ("Six TB2 drones arrived.", "Eight TB2 drones arrived.")


@pytest.mark.django_db
def test_an_attribution_edited_in_the_claims_inline_is_recorded_with_its_editor(analyst):
    attribution = AttributionFactory(credibility=3)

    def edit(data, response):
        data[f"{inline_prefix(response, Attribution)}-0-credibility"] = "2"

    save_change_form(logged_in(analyst), attribution.claim, edit)

    latest, previous = attribution.history.all()[:2]
    assert (previous.credibility, latest.credibility, latest.history_user) == (3, 2, analyst)


@pytest.mark.django_db
def test_a_relation_added_in_the_claims_inline_is_recorded_with_its_author(analyst):
    claim, other = ClaimFactory(), ClaimFactory()

    def edit(data, response):
        prefix = inline_prefix(response, ClaimRelation)
        data[f"{prefix}-TOTAL_FORMS"] = "1"
        data.update({f"{prefix}-0-kind": "contradicts", f"{prefix}-0-to_claim": str(other.pk)})

    save_change_form(logged_in(analyst), claim, edit)

    record = ClaimRelation.history.get()
    assert (record.history_type, record.from_claim_id, record.to_claim_id) == ("+", claim.pk, other.pk)
    assert record.history_user == analyst


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "make", "field", "value"),
    [
        (Source, SourceFactory, "affiliation", "Malian armed forces"),
        (Report, ReportFactory, "author", "Morgane Le Cam"),
    ],
)
def test_a_source_or_report_edited_in_the_admin_is_recorded_with_its_editor(analyst, model, make, field, value):
    obj = make()
    client = logged_in(analyst)
    url = reverse(f"admin:sources_{model._meta.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url))
    data[field] = value

    client.post(url, data)

    latest, previous = obj.history.all()[:2]
    assert latest.diff_against(previous).changed_fields == [field]
    assert (getattr(latest, field), latest.history_user) == (value, analyst)


@pytest.mark.django_db
def test_the_claims_history_page_lists_each_change_with_its_author(analyst):
    claim = ClaimFactory(statement="Six TB2 drones arrived.")
    claim.statement = "Eight TB2 drones arrived."
    services.claim_save(claim=claim, by=analyst, version=claim.version)

    response = logged_in(analyst).get(reverse("admin:claims_claim_history", args=[claim.pk]))

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Eight TB2 drones arrived." in text
    assert "ana" in text
    assert "Statement" in text  # the changed field, as simple-history lists it


# Restoring -------------------------------------------------------------------------------------------


@pytest.fixture
def deleted_claim(analyst):
    """A rejected claim with two attributions, an entity and a relation, deleted through the admin."""
    claim = ClaimFactory(status=Status.REJECTED, statement="Turkish instructors train Malian gendarmes in Kesan.")
    claim.entities.add(EntityFactory(name="Keşan"))
    services.claim_save(claim=claim, by=analyst, version=claim.version)
    AttributionFactory(claim=claim, credibility=2)
    AttributionFactory(claim=claim, credibility=4)
    other = ClaimFactory()
    ClaimRelationFactory(from_claim=claim, to_claim=other, kind=ClaimRelation.Kind.CORROBORATES)
    response = logged_in(analyst).post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    return claim


def assert_back_with_its_evidence(claim, by):
    restored = Claim.objects.get(pk=claim.pk)
    assert restored.statement == "Turkish instructors train Malian gendarmes in Kesan."
    assert restored.status == Status.REJECTED
    assert restored.version > claim.version
    assert sorted(restored.attributions.values_list("credibility", flat=True)) == [2, 4]
    assert restored.outgoing_relations.get().kind == ClaimRelation.Kind.CORROBORATES
    assert [entity.name for entity in restored.entities.all()] == ["Keşan"]
    latest = restored.history.latest()
    assert (latest.history_user, latest.history_change_reason.startswith("restored")) == (by, True)


@pytest.mark.django_db
def test_the_deleted_claims_page_lists_a_deleted_claim_with_who_deleted_it(analyst, deleted_claim):
    response = logged_in(analyst).get(reverse("admin:claims_claim_deleted"))

    text = html.unescape(response.content.decode())
    assert f"#{deleted_claim.pk}" in text
    assert "Turkish instructors train Malian gendarmes" in text
    assert "ana" in text
    assert (
        reverse("admin:claims_claim_deleted")
        in logged_in(analyst).get(reverse("admin:claims_claim_changelist")).content.decode()
    )


@pytest.mark.django_db
def test_restoring_from_the_deleted_claims_page_brings_back_the_claim_with_its_evidence(
    analyst, second_analyst, deleted_claim
):
    client = logged_in(second_analyst)
    [record] = client.get(reverse("admin:claims_claim_deleted")).context["deletions"]

    response = client.post(reverse("admin:claims_claim_restore", args=[record.history_id]), follow=True)

    assert response.redirect_chain == [(change_url(deleted_claim), 302)]
    assert f"Claim #{deleted_claim.pk} restored with 2 attribution(s) and 1 relation(s)." in messages_of(response)
    assert_back_with_its_evidence(deleted_claim, second_analyst)
    assert not client.get(reverse("admin:claims_claim_deleted")).context["deletions"]


@pytest.mark.django_db
def test_reverting_a_deleted_claim_from_its_history_page_restores_its_evidence_too(analyst, deleted_claim):
    client = logged_in(analyst)
    history = client.get(reverse("admin:claims_claim_history", args=[deleted_claim.pk]))
    assert history.status_code == 200
    before_deletion = deleted_claim.history.exclude(history_type="-").latest()
    url = reverse("admin:claims_claim_simple_history", args=[deleted_claim.pk, before_deletion.history_id])
    assert url in history.content.decode()
    data = form_data(client.get(url))

    response = client.post(url, data, follow=True)

    assert response.redirect_chain == [(change_url(deleted_claim), 302)]
    assert_back_with_its_evidence(deleted_claim, analyst)


def deleted(claim, *, by):
    """Delete the claim through the service; its deletion record."""
    pk = claim.pk
    services.claim_delete(claim=claim, by=by)
    return Claim.history.filter(id=pk).latest()


@pytest.mark.django_db
def test_an_attribution_removed_before_the_claim_was_deleted_stays_removed(analyst):
    claim = ClaimFactory()
    AttributionFactory(claim=claim, credibility=2)
    removed = AttributionFactory(claim=claim, credibility=5)
    removed._history_user = analyst
    removed.delete()
    deletion = deleted(claim, by=analyst)

    restored = services.claim_restore(history_id=deletion.history_id, by=analyst)

    assert list(restored.claim.attributions.values_list("credibility", flat=True)) == [2]


@pytest.mark.django_db
def test_a_relation_to_a_claim_deleted_since_is_left_out_and_named(analyst):
    claim, other = ClaimFactory(), ClaimFactory()
    ClaimRelationFactory(from_claim=claim, to_claim=other)
    other_pk = other.pk
    deletion = deleted(claim, by=analyst)
    services.claim_delete(claim=other, by=analyst)

    restored = services.claim_restore(history_id=deletion.history_id, by=analyst)

    assert restored.relations == 0
    assert restored.left_out == [f"relation to claim #{other_pk}: that claim is gone"]


@pytest.mark.django_db
def test_an_api_consumer_cannot_see_or_restore_deleted_claims(consumer, deleted_claim):
    client = logged_in(consumer)
    record = deleted_claim.history.latest()

    assert client.get(reverse("admin:claims_claim_deleted")).status_code == 302
    client.post(reverse("admin:claims_claim_restore", args=[record.history_id]))
    assert not Claim.objects.filter(pk=deleted_claim.pk).exists()


@pytest.mark.django_db
def test_a_vetted_claim_cannot_be_deleted_only_retracted(analyst):
    claim = ClaimFactory(status=Status.VETTED)

    response = logged_in(analyst).post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


# Reverting a claim that exists -------------------------------------------------------------------------


@pytest.mark.django_db
def test_reverting_a_vetted_claim_to_an_older_wording_keeps_the_workflow_and_returns_it_to_review(analyst, reviewer):
    claim = ClaimFactory(statement="Six TB2 drones arrived.")
    services.claim_save(claim=claim, by=analyst, version=claim.version)
    old = claim.history.latest()
    claim.statement = "Eight TB2 drones arrived."
    services.claim_save(claim=claim, by=analyst, version=claim.version)
    services.claim_transition(claim=claim, action="submit", by=analyst)
    services.claim_transition(claim=claim, action="vet", by=reviewer)
    client = logged_in(analyst)
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, old.history_id])

    client.post(url, form_data(client.get(url)))

    claim.refresh_from_db()
    assert claim.statement == "Six TB2 drones arrived."
    assert claim.status == Status.IN_REVIEW  # not the draft status the old record had, nor still vetted
    assert claim.transitions.last().to_status == Status.IN_REVIEW


@pytest.mark.django_db
def test_a_revert_opened_before_someone_elses_change_is_refused(analyst, second_analyst):
    claim = ClaimFactory(statement="Six TB2 drones arrived.")
    services.claim_save(claim=claim, by=analyst, version=claim.version)
    old = claim.history.latest()
    client = logged_in(analyst)
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, old.history_id])
    data = form_data(client.get(url))
    claim.statement = "Eight TB2 drones arrived, says a Malian officer."
    services.claim_save(claim=claim, by=second_analyst, version=claim.version)

    response = client.post(url, data)

    assert "Someone else changed" in html.unescape(response.content.decode())
    claim.refresh_from_db()
    assert claim.statement == "Eight TB2 drones arrived, says a Malian officer."


# Reverting a source or a report ---------------------------------------------------------------------------


def revert(client, obj, record):
    """Open `record` of `obj` from its history page and press Revert, as a browser would."""
    url = reverse(f"admin:sources_{obj._meta.model_name}_simple_history", args=[obj.pk, record.history_id])
    return client.post(url, form_data(client.get(url)), follow=True)


def edited_in_the_admin(client, obj, **changes):
    url = reverse(f"admin:sources_{obj._meta.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url))
    data.update(changes)
    assert client.post(url, data).status_code == 302


@pytest.mark.django_db
def test_reverting_a_source_from_its_history_page_restores_its_values(analyst):
    source = SourceFactory(affiliation="", side="")
    client = logged_in(analyst)
    edited_in_the_admin(client, source, affiliation="Malian armed forces")
    old = source.history.order_by("history_date").first()
    edited_in_the_admin(client, source, side="Western")

    response = revert(client, source, old)

    assert response.redirect_chain[0][1] == 302
    source.refresh_from_db()
    assert (source.affiliation, source.side) == ("", "")
    assert source.history.latest().history_user == analyst


@pytest.mark.django_db
def test_reverting_a_sources_reliability_sends_the_vetted_claims_citing_it_back_to_review(analyst):
    source = SourceFactory(reliability=Source.Reliability.B)
    old = source.history.latest()
    client = logged_in(analyst)
    edited_in_the_admin(client, source, reliability=Source.Reliability.D)
    claim = AttributionFactory(source=source, claim=ClaimFactory(status=Status.VETTED)).claim

    response = revert(client, source, old)

    source.refresh_from_db()
    assert source.reliability == Source.Reliability.B
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    assert claim.transitions.get().comment == f"Reliability of source “{source.label}” changed from D to B."
    assert f"went back to review: #{claim.pk}." in " ".join(messages_of(response))


@pytest.mark.django_db
def test_a_source_revert_opened_before_someone_elses_change_is_refused(analyst, second_analyst):
    source = SourceFactory(affiliation="")
    old = source.history.latest()
    edited_in_the_admin(logged_in(second_analyst), source, side="Western")
    client = logged_in(analyst)
    url = reverse("admin:sources_source_simple_history", args=[source.pk, old.history_id])
    data = form_data(client.get(url))
    edited_in_the_admin(logged_in(second_analyst), source, affiliation="Turkish army")

    response = client.post(url, data)

    assert "Someone else changed this source since you opened it (ana2 changed affiliation)" in html.unescape(
        response.content.decode()
    )
    source.refresh_from_db()
    assert (source.affiliation, source.side) == ("Turkish army", "Western")


@pytest.mark.django_db
def test_reverting_a_reports_text_re_anchors_its_quotes(analyst):
    report = ReportFactory()
    attribution = AttributionFactory(report=report, claim=ClaimFactory(status=Status.VETTED))
    old = report.history.latest()
    client = logged_in(analyst)
    edited_in_the_admin(client, report, body="Mis à jour le 3 mars. " + report.body, author="Morgane Le Cam")

    response = revert(client, report, old)

    assert response.redirect_chain[0][1] == 302
    restored = Report.objects.get(pk=report.pk)
    assert (restored.body, restored.author) == (report.body, report.author)
    attribution.refresh_from_db()
    assert restored.body[attribution.start : attribution.end] == attribution.quote
    assert attribution.start == report.body.index("les drones")
    assert Claim.objects.get(pk=attribution.claim_id).status == Status.VETTED  # its quote only moved


@pytest.mark.django_db
def test_reverting_a_report_to_a_text_that_lacks_a_quote_is_refused_and_writes_nothing(analyst):
    report = ReportFactory(body="Un premier jet.")
    old = report.history.latest()
    client = logged_in(analyst)
    edited_in_the_admin(client, report, body="Un premier jet. Les drones sont arrivés.")
    report.refresh_from_db()
    attribution = AttributionFactory(report=report, quote="Les drones sont arrivés")
    records = report.history.count()

    response = revert(client, report, old)

    assert f"no longer contains the quote of claim #{attribution.claim_id}" in html.unescape(response.content.decode())
    assert Report.objects.get(pk=report.pk).body == "Un premier jet. Les drones sont arrivés."
    assert report.history.count() == records


@pytest.mark.django_db
def test_a_restored_attribution_is_anchored_in_its_reports_text_as_edited_since(analyst):
    claim = ClaimFactory()
    attribution = AttributionFactory(claim=claim)
    report = attribution.report
    deletion = deleted(claim, by=analyst)
    report.body = "Un paragraphe ajouté en tête. " + report.body
    services.report_save(report=report, by=analyst)

    restored = services.claim_restore(history_id=deletion.history_id, by=analyst)

    back = restored.claim.attributions.get()
    assert back.start == attribution.start + len("Un paragraphe ajouté en tête. ")
    assert Report.objects.get(pk=report.pk).body[back.start : back.end] == back.quote


@pytest.mark.django_db
def test_an_attribution_whose_quote_left_the_reports_text_is_left_out_and_named(analyst):
    claim = ClaimFactory()
    attribution = AttributionFactory(claim=claim)
    deletion = deleted(claim, by=analyst)
    report = attribution.report
    report.body = report.body.replace(attribution.quote, "un passage réécrit")
    services.report_save(report=report, by=analyst)

    restored = services.claim_restore(history_id=deletion.history_id, by=analyst)

    assert restored.attributions == 0
    assert restored.left_out == [f"attribution #{attribution.pk}: its quote is no longer in the report's text"]
