"""The review workflow: who may take which step from which status, four eyes, and return to review."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from claims import roles, services
from claims.models import Attribution, Claim, ClaimTransition
from sources.models import Source
from tests.adminforms import form_data, inline_prefix, messages_of
from tests.factories import AttributionFactory, ClaimFactory, SourceFactory, UserFactory
from tests.helpers import change_url, logged_in, page_text, save_change_form

Status = Claim.Status
ACTIONS = ["submit", "vet", "reject", "reopen", "retract"]

# Written out rather than read from Claim.TRANSITIONS, so that the rule is checked, not restated.
ALLOWED = {
    "analyst": {("draft", "submit"), ("rejected", "reopen")},
    "reviewer": {
        ("draft", "submit"),
        ("rejected", "reopen"),
        ("in_review", "vet"),
        ("in_review", "reject"),
        ("vetted", "retract"),
    },
    "consumer": set(),
    "outsider": set(),
}
LEADS_TO = {"submit": "in_review", "vet": "vetted", "reject": "rejected", "reopen": "draft", "retract": "retracted"}


def transition_url(claim):
    return reverse("admin:claims_claim_transition", args=[claim.pk])


def drafted_by_someone_else(status=Status.DRAFT, **kwargs) -> Claim:
    drafter = UserFactory(username="drafter")
    claim = ClaimFactory(status=status, created_by=drafter, updated_by=drafter, **kwargs)
    AttributionFactory(claim=claim)
    return claim


# Roles -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_creates_the_three_roles_with_their_permissions():
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    analysts, reviewers, consumers = (
        codenames(roles.ANALYSTS),
        codenames(roles.REVIEWERS),
        codenames(roles.API_CONSUMERS),
    )

    for model in ["report", "source", "claim", "attribution", "claimrelation", "entity"]:
        assert {f"add_{model}", f"change_{model}"} <= analysts
    assert "submit_claim" in analysts
    assert not {"vet_claim", "retract_claim"} & analysts
    assert analysts | {"vet_claim", "retract_claim"} == reviewers
    assert consumers == {"access_api"}


@pytest.mark.django_db
def test_an_api_consumer_cannot_enter_the_admin(consumer):
    response = logged_in(consumer).get(reverse("admin:claims_claim_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# Every step, allowed and refused, by role ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "reviewer", "consumer", "outsider"])
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_step_is_allowed_only_to_its_role_and_from_its_status(request, persona, status, action):
    user = request.getfixturevalue(persona)
    claim = drafted_by_someone_else(status=status)
    allowed = (status, action) in ALLOWED[persona]

    assert (action in claim.allowed_transitions(user)) is allowed
    if allowed:
        step = services.claim_transition(claim=claim, action=action, by=user, comment="Checked against TB2 imagery.")
        claim.refresh_from_db()
        assert claim.status == LEADS_TO[action]
        assert (step.from_status, step.to_status, step.by, step.comment) == (
            status,
            LEADS_TO[action],
            user,
            "Checked against TB2 imagery.",
        )
        assert step.at is not None
    else:
        with pytest.raises(PermissionDenied):
            services.claim_transition(claim=claim, action=action, by=user, comment="Why.")
        claim.refresh_from_db()
        assert claim.status == status
        assert not ClaimTransition.objects.exists()


@pytest.mark.django_db
def test_a_step_is_recorded_in_the_claims_history_with_who_took_it(reviewer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)

    services.claim_transition(claim=claim, action="vet", by=reviewer)

    latest = claim.history.latest()
    assert (latest.status, latest.history_user) == (Status.VETTED, reviewer)


# Four eyes -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["vet", "reject"])
def test_a_reviewer_cannot_vet_or_reject_a_claim_they_drafted(reviewer, action):
    claim = ClaimFactory(status=Status.IN_REVIEW, created_by=reviewer, updated_by=None)

    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_transition(claim=claim, action=action, by=reviewer, comment="Why.")
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["vet", "reject"])
def test_a_reviewer_cannot_vet_or_reject_a_claim_they_last_changed(reviewer, second_reviewer, action):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)
    claim.confidence = Claim.Confidence.HIGH
    services.claim_save(claim=claim, by=reviewer, version=claim.version)

    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_transition(claim=claim, action=action, by=reviewer, comment="Why.")
    services.claim_transition(claim=claim, action=action, by=second_reviewer, comment="Why.")
    assert claim.status == LEADS_TO[action]


@pytest.mark.django_db
def test_a_reviewer_may_submit_and_retract_their_own_claims(reviewer, second_reviewer):
    claim = ClaimFactory(created_by=reviewer, updated_by=reviewer)

    services.claim_transition(claim=claim, action="submit", by=reviewer)
    services.claim_transition(claim=claim, action="vet", by=second_reviewer)
    services.claim_transition(claim=claim, action="retract", by=reviewer, comment="Disproved.")

    assert claim.status == Status.RETRACTED


# The buttons on the claim's change page -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_change_page_shows_a_reviewer_the_steps_they_may_take(reviewer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)

    text = page_text(logged_in(reviewer).get(change_url(claim)))

    assert transition_url(claim) in text
    assert 'name="action" value="vet"' in text
    assert 'name="action" value="reject"' in text
    assert 'value="retract"' not in text


@pytest.mark.django_db
def test_the_change_page_offers_an_analyst_no_vetting_and_no_noise_about_it(analyst):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)

    text = page_text(logged_in(analyst).get(change_url(claim)))

    assert 'value="vet"' not in text
    assert "permission to vet" not in text  # a step the role never has needs no explaining


@pytest.mark.django_db
def test_the_change_page_tells_a_reviewer_who_drafted_a_claim_why_they_cannot_vet_it(reviewer):
    claim = ClaimFactory(created_by=reviewer, updated_by=reviewer, status=Status.IN_REVIEW)

    text = page_text(logged_in(reviewer).get(change_url(claim)))

    assert 'value="vet"' not in text
    assert "Vet: Four eyes" in text


@pytest.mark.django_db
def test_the_change_page_tells_the_drafting_reviewer_about_four_eyes(reviewer):
    claim = ClaimFactory(status=Status.IN_REVIEW, created_by=reviewer)

    text = page_text(logged_in(reviewer).get(change_url(claim)))

    assert 'value="vet"' not in text
    assert "Four eyes" in text


@pytest.mark.django_db
def test_the_vet_button_vets_the_claim_with_the_comment_and_says_so(reviewer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)

    response = logged_in(reviewer).post(
        transition_url(claim),
        {"action": "vet", "comment": "Two sources agree.", "loaded_version": claim.version},
        follow=True,
    )

    assert response.redirect_chain == [(change_url(claim), 302)]
    assert f"Claim #{claim.pk} is now vetted." in messages_of(response)
    claim.refresh_from_db()
    assert claim.status == Status.VETTED
    step = claim.transitions.get()
    assert (step.by, step.comment) == (reviewer, "Two sources agree.")


@pytest.mark.django_db
def test_a_button_pressed_by_a_user_without_the_permission_is_refused_with_a_message(analyst):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)
    client = logged_in(analyst)

    response = client.post(transition_url(claim), {"action": "vet", "loaded_version": claim.version}, follow=True)

    assert "You do not have permission to vet claims." in messages_of(response)
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_a_button_on_a_claim_changed_since_the_page_was_opened_is_refused(reviewer, analyst):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)
    seen = claim.version
    claim.statement = "Turkey delivered eight TB2 drones, not six."
    services.claim_save(claim=claim, by=analyst, version=seen)

    response = logged_in(reviewer).post(transition_url(claim), {"action": "vet", "loaded_version": seen}, follow=True)

    [message] = messages_of(response)
    assert "Someone else changed" in message
    assert "ana" in message
    assert "statement" in message
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_the_transition_url_refuses_get(reviewer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)

    assert logged_in(reviewer).get(transition_url(claim)).status_code == 405


@pytest.mark.django_db
def test_the_transition_url_refuses_a_post_without_csrf_token(reviewer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)

    response = client.post(transition_url(claim), {"action": "vet", "loaded_version": claim.version})

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_the_transition_url_refuses_an_unknown_step(reviewer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)

    response = logged_in(reviewer).post(transition_url(claim), {"action": "publish", "loaded_version": claim.version})

    assert response.status_code == 400


@pytest.mark.django_db
def test_the_transition_url_sends_an_api_consumer_to_the_login_page(consumer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)

    response = logged_in(consumer).post(transition_url(claim), {"action": "vet", "loaded_version": claim.version})

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


# The admin actions -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_vet_action_vets_what_it_may_and_names_what_four_eyes_refuses(reviewer):
    others = drafted_by_someone_else(status=Status.IN_REVIEW)
    own = ClaimFactory(status=Status.IN_REVIEW, created_by=reviewer)

    response = logged_in(reviewer).post(
        reverse("admin:claims_claim_changelist"),
        {"action": "vet_claims", "_selected_action": [others.pk, own.pk]},
        follow=True,
    )

    texts = messages_of(response)
    assert "1 claim(s) vetted." in texts
    assert any(text.startswith(f"#{own.pk}: Four eyes") for text in texts)
    assert Claim.objects.get(pk=others.pk).status == Status.VETTED
    assert Claim.objects.get(pk=own.pk).status == Status.IN_REVIEW


@pytest.mark.django_db
def test_an_analyst_is_not_offered_the_vet_or_retract_actions(analyst):
    ClaimFactory()

    actions = logged_in(analyst).get(reverse("admin:claims_claim_changelist")).context["action_form"]
    choices = {value for value, _ in actions.fields["action"].choices}

    assert {"submit_claims", "reopen_claims"} <= choices
    assert not {"vet_claims", "reject_claims", "retract_claims"} & choices


# Changing a vetted claim's substance sends it back to review ---------------------------------------------


@pytest.fixture
def vetted_claim():
    claim = drafted_by_someone_else(status=Status.VETTED, statement="Bamako received TB2 drones at the end of 2022.")
    return claim


@pytest.mark.django_db
def test_changing_a_vetted_claims_statement_in_the_admin_returns_it_to_review(analyst, vetted_claim):
    def edit(data, response):
        data["statement"] = "Bamako received six TB2 drones at the end of 2022."

    response = save_change_form(logged_in(analyst), vetted_claim, edit)

    vetted_claim.refresh_from_db()
    assert vetted_claim.status == Status.IN_REVIEW
    step = vetted_claim.transitions.get()
    assert (step.from_status, step.to_status, step.by) == (Status.VETTED, Status.IN_REVIEW, analyst)
    assert "went back to review" in " ".join(messages_of(response))


@pytest.mark.django_db
def test_changing_an_attributions_credibility_in_the_inline_returns_the_vetted_claim_to_review(analyst, vetted_claim):
    def edit(data, response):
        data[f"{inline_prefix(response, Attribution)}-0-credibility"] = "1"

    save_change_form(logged_in(analyst), vetted_claim, edit)

    vetted_claim.refresh_from_db()
    assert vetted_claim.attributions.get().credibility == 1
    assert vetted_claim.status == Status.IN_REVIEW
    assert vetted_claim.updated_by == analyst  # so four eyes keeps the analyst from vetting it again


@pytest.mark.django_db
def test_removing_an_attribution_returns_the_vetted_claim_to_review(analyst, vetted_claim):
    def edit(data, response):
        data[f"{inline_prefix(response, Attribution)}-0-DELETE"] = "on"

    save_change_form(logged_in(analyst), vetted_claim, edit)

    vetted_claim.refresh_from_db()
    assert not vetted_claim.attributions.exists()
    assert vetted_claim.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_a_change_to_an_attributions_note_leaves_the_claim_vetted(analyst, vetted_claim):
    def edit(data, response):
        data[f"{inline_prefix(response, Attribution)}-0-note"] = "Same officer as in the 2024 piece."

    save_change_form(logged_in(analyst), vetted_claim, edit)

    vetted_claim.refresh_from_db()
    assert vetted_claim.attributions.get().note == "Same officer as in the 2024 piece."
    assert vetted_claim.status == Status.VETTED


@pytest.mark.django_db
def test_saving_an_unchanged_claim_writes_nothing_and_keeps_the_reviewer_free_to_vet(reviewer):
    claim = drafted_by_someone_else(status=Status.IN_REVIEW)
    version = claim.version

    response = save_change_form(logged_in(reviewer), claim, lambda data, response: None)

    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.version == version
    assert "vet" in claim.allowed_transitions(reviewer)


@pytest.mark.django_db
def test_lowering_a_sources_reliability_returns_the_vetted_claims_citing_it_to_review(analyst, vetted_claim):
    source = vetted_claim.attributions.get().source
    draft = drafted_by_someone_else()
    AttributionFactory(claim=draft, source=source)
    elsewhere = ClaimFactory(status=Status.VETTED)
    AttributionFactory(claim=elsewhere, source=SourceFactory())
    client = logged_in(analyst)
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = form_data(client.get(url))
    data["reliability"] = Source.Reliability.E

    response = client.post(url, data, follow=True)

    assert Source.objects.get(pk=source.pk).reliability == Source.Reliability.E
    vetted_claim.refresh_from_db()
    assert vetted_claim.status == Status.IN_REVIEW
    assert "from F to E" in vetted_claim.transitions.get().comment
    assert Claim.objects.get(pk=draft.pk).status == Status.DRAFT
    assert Claim.objects.get(pk=elsewhere.pk).status == Status.VETTED
    assert f"went back to review: #{vetted_claim.pk}." in " ".join(messages_of(response))


# The demo -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_puts_every_status_on_show_each_reached_through_the_workflow(demo):
    from django.contrib.auth import get_user_model

    users = {user.username: user for user in get_user_model().objects.all()}
    claims = Claim.objects.prefetch_related("transitions__by")

    assert {claim.status for claim in claims} == set(Status.values)
    for claim in claims:
        steps = list(claim.transitions.all())
        assert (steps[-1].to_status if steps else Status.DRAFT) == claim.status
        if claim.status == Status.VETTED:
            assert steps[-1].by == users["reviewer"]
        if claim.status == Status.IN_REVIEW:
            assert steps[-1].by == users["analyst"]
        history = list(claim.history.all())
        assert len(history) >= 1 + len(steps)  # created, then one record per step
        assert all(record.history_user is not None for record in history)


@pytest.mark.django_db
def test_the_demo_accounts_belong_to_their_roles(demo):
    from django.contrib.auth import get_user_model

    User = get_user_model()

    assert set(User.objects.get(username="analyst").groups.values_list("name", flat=True)) == {roles.ANALYSTS}
    assert set(User.objects.get(username="reviewer").groups.values_list("name", flat=True)) == {roles.REVIEWERS}
    consumer = User.objects.get(username="consumer")
    assert set(consumer.groups.values_list("name", flat=True)) == {roles.API_CONSUMERS}
    assert not consumer.is_staff


@pytest.mark.django_db
def test_rejecting_and_retracting_are_not_bulk_actions_since_each_needs_its_reason(reviewer):
    response = logged_in(reviewer).get(reverse("admin:claims_claim_changelist"))

    choices = {value for value, _ in response.context["action_form"].fields["action"].choices}
    assert {"submit_claims", "vet_claims", "reopen_claims"} <= choices
    assert not {"reject_claims", "retract_claims"} & choices


@pytest.mark.django_db
def test_the_admin_review_box_asks_for_a_reason_and_confirms_a_retraction(reviewer):
    claim = drafted_by_someone_else(status=Status.VETTED)

    text = page_text(logged_in(reviewer).get(change_url(claim)))

    assert "Comment (required to reject or retract)" in text
    assert f'data-confirm="Retract claim #{claim.pk}?' in text
    assert "js/admin-claim-workflow.js" in text
