"""`load_demo`: the Le Monde article read claim by claim, the follow-up reports, the demo accounts.

The demo is loaded once for the module (about a second); each test runs in a
savepoint inside that load, so tests stay independent of each other.
"""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import reverse

from claims import roles
from claims.demo import DEMO_ACCOUNTS, read_demo
from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, Source

ARTICLE_TITLE = "La Turquie, alliée de plus en plus présente auprès de la junte au Mali"


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Run `manage.py load_demo` once for the module, rolled back at its end."""
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loaded(demo_output, db):
    return demo_output


def demo_claim(key: str) -> Claim:
    item = next(item for item in read_demo()["claims"] if item["key"] == key)
    return Claim.objects.get(statement=item["statement"])


def row_counts() -> dict[str, int]:
    """Rows of every model, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_article_is_read_into_at_least_25_claims(loaded):
    article = Report.objects.get(title=ARTICLE_TITLE)

    assert Claim.objects.filter(attributions__report=article).distinct().count() >= 25
    assert article.outlet == "Le Monde"
    assert article.body_kind == Report.BodyKind.FULL_TEXT
    assert "Le Monde, le 29 janvier 2026" in article.body


def test_the_article_speaks_through_at_least_9_sources_of_at_least_7_kinds(loaded):
    sources = Source.objects.filter(attributions__report__title=ARTICLE_TITLE).distinct()

    assert sources.count() >= 9
    assert len({source.kind for source in sources}) >= 7


def test_the_outlets_own_statements_are_claims_too(loaded):
    outlet_voice = Attribution.objects.filter(source__kind=Source.Kind.OUTLET, mode=Attribution.Mode.OUTLET_VOICE)

    assert outlet_voice.filter(report__title=ARTICLE_TITLE).count() >= 10


def test_every_claim_has_evidence(loaded):
    assert not Claim.objects.filter(attributions__isnull=True).exists()


def test_every_quote_is_found_verbatim_at_its_offsets(loaded):
    attributions = list(Attribution.objects.select_related("report"))

    assert attributions
    for attribution in attributions:
        assert attribution.report.body[attribution.start : attribution.end] == attribution.quote, attribution.pk


def test_the_senior_malian_officer_is_one_source_quoted_twice(loaded):
    officer = Source.objects.get(label="un haut gradé malien")

    assert officer.kind == Source.Kind.DESCRIBED_INDIVIDUAL
    assert officer.attributions.count() == 2
    assert officer.attributions.values("claim").distinct().count() == 2


def test_the_rivalry_reading_and_the_complementary_reading_contradict_each_other(loaded):
    rivalry, complementary = demo_claim("goita-camara-rivalry"), demo_claim("russia-turkey-complementary")

    assert ClaimRelation.objects.filter(
        from_claim=rivalry, to_claim=complementary, kind=ClaimRelation.Kind.CONTRADICTS
    ).exists()
    assert rivalry.attributions.get().source.label == "plusieurs observateurs"
    assert complementary.attributions.get().source.label == "d’autres sources militaires"


def test_the_follow_up_reports_are_held_as_analysts_excerpts(loaded):
    follow_ups = Report.objects.exclude(title=ARTICLE_TITLE)

    assert follow_ups.count() == 5
    assert {report.body_kind for report in follow_ups} == {Report.BodyKind.ANALYST_EXCERPT}
    assert all(report.published < Report.objects.get(title=ARTICLE_TITLE).published for report in follow_ups)


def test_the_akinci_shot_down_is_corroborated_by_later_reports(loaded):
    akinci = demo_claim("akinci-shot-down")

    reports = {attribution.report.title for attribution in akinci.attributions.select_related("report")}
    assert ARTICLE_TITLE in reports
    assert len(reports) >= 3


def test_the_airspace_violation_is_both_supported_and_contradicted(loaded):
    airspace = demo_claim("drone-violated-algerian-airspace")

    stances = set(airspace.attributions.values_list("stance", flat=True))
    assert stances == {Attribution.Stance.SUPPORTS, Attribution.Stance.CONTRADICTS}
    assert airspace.attributions.get(stance=Attribution.Stance.CONTRADICTS).source.label == "Government of Mali"


def test_every_review_status_appears_with_its_history(loaded):
    assert set(Claim.objects.values_list("status", flat=True)) == set(Claim.Status.values)
    vetted = Claim.objects.vetted().first()
    assert [(t.from_status, t.to_status) for t in vetted.transitions.all()] == [
        (Claim.Status.DRAFT, Claim.Status.IN_REVIEW),
        (Claim.Status.IN_REVIEW, Claim.Status.VETTED),
    ]
    assert vetted.transitions.last().by.username == "reviewer"


def test_grades_are_given_and_anonymous_sources_start_at_f(loaded):
    assert set(Source.objects.filter(anonymous=True).values_list("reliability", flat=True)) == {"F"}
    assert Attribution.objects.exclude(credibility=Attribution.Credibility.CANNOT_BE_JUDGED).exists()


def test_loading_twice_changes_nothing(loaded):
    before = row_counts()
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert row_counts() == before
    assert "nothing changed" in out.getvalue()


def test_loading_prints_what_it_created_and_the_demo_logins(loaded):
    assert "Demo loaded:" in loaded
    for account in DEMO_ACCOUNTS:
        assert f"{account.username} / {account.password}" in loaded


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.username)
def test_the_demo_accounts_are_in_their_groups_and_can_log_in(loaded, account):
    request = RequestFactory().post("/accounts/login/")

    user = authenticate(request, username=account.username, password=account.password)

    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == [account.group]
    assert user.is_staff == account.staff


@pytest.mark.parametrize("username", ["analyst", "reviewer"])
def test_the_demo_analyst_and_reviewer_log_in_to_the_admin_and_find_the_article(loaded, client, username):
    account = next(account for account in DEMO_ACCOUNTS if account.username == username)

    response = client.post(
        reverse("admin:login"), {"username": account.username, "password": account.password}, follow=True
    )

    assert response.status_code == 200
    assert response.context["user"].username == username
    claims = client.get(reverse("admin:claims_claim_changelist"))
    assert claims.context["cl"].result_count == Claim.objects.count()
    assert "F6" in claims.content.decode()


def test_the_demo_consumer_has_no_admin_access(loaded):
    consumer = next(account for account in DEMO_ACCOUNTS if account.group == roles.API_CONSUMERS)

    assert consumer.staff is False
