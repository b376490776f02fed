"""No lost updates: of two people saving the same claim (or source), the second is refused and told why."""

import threading

import pytest
from django import forms
from django.db import connection
from django.urls import reverse

from claims import services
from claims.admin import ClaimAdminForm
from claims.models import Attribution, Claim
from sources.admin import VersionedForm
from sources.models import Source
from tests.adminforms import form_data, inline_prefix, messages_of
from tests.factories import ClaimFactory, EntityFactory, SourceFactory
from tests.helpers import change_url, logged_in, page_text


@pytest.fixture
def two_editors(analyst, second_analyst, claim_on_file):
    """Both analysts open the claim's change form; each gets the form data their browser would send."""
    first, second = logged_in(analyst), logged_in(second_analyst)
    first_page, second_page = first.get(change_url(claim_on_file)), second.get(change_url(claim_on_file))
    return (first, form_data(first_page), first_page), (second, form_data(second_page), second_page)


# Through the admin, as two analysts would ------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_of_two_saves_is_refused_saying_who_changed_what(two_editors, claim_on_file):
    (first, first_data, _), (second, second_data, _) = two_editors
    first_data["statement"] = "Turkey delivered eight TB2 drones."
    second_data["confidence"] = Claim.Confidence.HIGH

    assert first.post(change_url(claim_on_file), first_data).status_code == 302
    response = second.post(change_url(claim_on_file), second_data)

    assert response.status_code == 200  # the form again, with the second analyst's input kept
    text = page_text(response)
    assert "Someone else changed claim" in text
    assert "(ana changed statement)" in text
    assert "Your changes were not saved" in text
    claim_on_file.refresh_from_db()
    assert claim_on_file.statement == "Turkey delivered eight TB2 drones."
    assert claim_on_file.confidence == Claim.Confidence.LOW
    assert claim_on_file.updated_by.username == "ana"


@pytest.mark.django_db
def test_a_stale_edit_of_an_attribution_in_the_inline_is_refused_and_the_first_edit_kept(two_editors, claim_on_file):
    (first, first_data, first_page), (second, second_data, second_page) = two_editors
    first_data[f"{inline_prefix(first_page, Attribution)}-0-credibility"] = "2"
    second_data[f"{inline_prefix(second_page, Attribution)}-0-credibility"] = "5"

    first.post(change_url(claim_on_file), first_data)
    response = second.post(change_url(claim_on_file), second_data)

    assert "(ana changed attributions)" in page_text(response)
    assert claim_on_file.attributions.get().credibility == 2


@pytest.mark.django_db
def test_a_save_that_loses_the_race_after_the_form_check_is_refused_and_writes_nothing(
    two_editors, claim_on_file, monkeypatch
):
    (first, first_data, _), (second, second_data, second_page) = two_editors
    first_data["statement"] = "Turkey delivered eight TB2 drones."
    second_data["statement"] = "Turkey delivered ten TB2 drones."
    second_data[f"{inline_prefix(second_page, Attribution)}-0-credibility"] = "5"
    first.post(change_url(claim_on_file), first_data)
    # The second save passes the form's check, as it would if it ran just before the first save committed.
    monkeypatch.setattr(ClaimAdminForm, "clean", forms.ModelForm.clean)

    response = second.post(change_url(claim_on_file), second_data, follow=True)

    assert response.redirect_chain == [(change_url(claim_on_file), 302)]
    [message] = messages_of(response)
    assert "(ana changed statement)" in message
    claim_on_file.refresh_from_db()
    assert claim_on_file.statement == "Turkey delivered eight TB2 drones."
    assert claim_on_file.attributions.get().credibility == 3  # the inline was not saved either


@pytest.mark.django_db
def test_a_change_form_posted_without_its_loaded_version_is_refused(analyst, claim_on_file):
    client = logged_in(analyst)
    data = form_data(client.get(change_url(claim_on_file)))
    del data["loaded_version"]
    data["statement"] = "Turkey delivered eight TB2 drones."

    response = client.post(change_url(claim_on_file), data)

    assert response.status_code == 200
    claim_on_file.refresh_from_db()
    assert claim_on_file.statement == "Turkey delivered six TB2 drones."


@pytest.mark.django_db
def test_the_second_of_two_saves_of_a_source_is_refused_saying_who_changed_what(analyst, second_analyst):
    source = SourceFactory(affiliation="")
    url = reverse("admin:sources_source_change", args=[source.pk])
    first, second = logged_in(analyst), logged_in(second_analyst)
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))
    first_data["affiliation"] = "Malian armed forces"
    second_data["side"] = "Western"

    assert first.post(url, first_data).status_code == 302
    response = second.post(url, second_data)

    assert "Someone else changed this source since you opened it (ana changed affiliation)" in page_text(response)
    source.refresh_from_db()
    assert (source.affiliation, source.side) == ("Malian armed forces", "")


@pytest.mark.django_db
def test_a_source_save_that_loses_the_race_after_the_form_check_is_refused(analyst, second_analyst, monkeypatch):
    source = SourceFactory(affiliation="")
    url = reverse("admin:sources_source_change", args=[source.pk])
    first, second = logged_in(analyst), logged_in(second_analyst)
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))
    first_data["affiliation"] = "Malian armed forces"
    second_data["affiliation"] = "Turkish army"
    first.post(url, first_data)
    monkeypatch.setattr(VersionedForm, "clean", forms.ModelForm.clean)

    response = second.post(url, second_data, follow=True)

    assert "Someone else changed this source" in " ".join(messages_of(response))
    assert Source.objects.get(pk=source.pk).affiliation == "Malian armed forces"


# The service: compare-and-swap on the version -----------------------------------------------------------


@pytest.mark.django_db
def test_a_save_from_a_stale_version_raises_and_writes_nothing(analyst, second_analyst, claim_on_file):
    mine = Claim.objects.get(pk=claim_on_file.pk)
    theirs = Claim.objects.get(pk=claim_on_file.pk)
    theirs.statement = "Turkey delivered eight TB2 drones."
    services.claim_save(claim=theirs, by=analyst, version=theirs.version)
    records = Claim.history.count()
    mine.confidence = Claim.Confidence.HIGH

    with pytest.raises(services.StaleClaim) as refused:
        services.claim_save(claim=mine, by=second_analyst, version=claim_on_file.version)

    assert (refused.value.changed_fields, refused.value.changed_by) == (["statement"], ["ana"])
    assert Claim.history.count() == records
    stored = Claim.objects.get(pk=claim_on_file.pk)
    assert (stored.statement, stored.confidence) == ("Turkey delivered eight TB2 drones.", Claim.Confidence.LOW)


@pytest.mark.django_db
def test_a_workflow_step_counts_as_a_change_for_a_stale_editor(analyst, reviewer, claim_on_file):
    loaded = claim_on_file.version
    services.claim_transition(claim=claim_on_file, action="submit", by=reviewer)
    claim_on_file.statement = "Turkey delivered eight TB2 drones."

    with pytest.raises(services.StaleClaim) as refused:
        services.claim_save(claim=claim_on_file, by=analyst, version=loaded)

    assert (refused.value.changed_fields, refused.value.changed_by) == (["status"], ["rev"])


@pytest.mark.django_db
def test_a_save_of_a_claim_deleted_meanwhile_is_refused(analyst, claim_on_file):
    mine = Claim.objects.get(pk=claim_on_file.pk)
    services.claim_delete(claim=claim_on_file, by=analyst)

    with pytest.raises(services.StaleClaim, match="Someone else deleted claim"):
        services.claim_save(claim=mine, by=analyst, version=mine.version)
    assert not Claim.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a genuine race needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_on_separate_connections_let_exactly_one_through(analyst, second_analyst):
    claim = ClaimFactory(statement="Turkey delivered six TB2 drones.")
    start = threading.Barrier(2)
    outcomes = {}

    def save(user, statement):
        try:
            mine = Claim.objects.get(pk=claim.pk)  # both load version 1
            mine.statement = statement
            start.wait(timeout=10)
            services.claim_save(claim=mine, by=user, version=1)
            outcomes[user.username] = "saved"
        except services.StaleClaim:
            outcomes[user.username] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(analyst, "Turkey delivered eight TB2 drones.")),
        threading.Thread(target=save, args=(second_analyst, "Turkey delivered ten TB2 drones.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["refused", "saved"]
    [winner] = [name for name, outcome in outcomes.items() if outcome == "saved"]
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.version == 2
    assert stored.updated_by.username == winner
    assert (
        stored.statement
        == {"ana": "Turkey delivered eight TB2 drones.", "ana2": "Turkey delivered ten TB2 drones."}[winner]
    )


@pytest.mark.django_db
def test_the_second_of_two_saves_of_an_entity_is_refused_saying_who_changed_what(analyst, second_analyst):
    entity = EntityFactory(aliases="")
    url = reverse("admin:claims_entity_change", args=[entity.pk])
    first, second = logged_in(analyst), logged_in(second_analyst)
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))
    first_data["aliases"] = "général Goïta"
    second_data["description"] = "Head of the junta."

    assert first.post(url, first_data).status_code == 302
    response = second.post(url, second_data)

    assert "Someone else changed this entity since you opened it (ana changed aliases)" in page_text(response)
    entity.refresh_from_db()
    assert (entity.aliases, entity.description) == ("général Goïta", "")
