"""`load_demo`: the Le Monde article read claim by claim, the follow-up reports, the demo accounts.

The demo is loaded once for the module (a few seconds); each test runs in a
savepoint inside that load, so tests stay independent of each other. The
upgrade tests come first: they need a database without the demo, and the
module's load lasts from the first test that asks for it to the module's end.
"""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import reverse

from claims import roles
from claims.demo import DEMO_ACCOUNTS, load_demo, read_demo
from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, ReportDerivation, Source

ARTICLE_TITLE = "La Turquie, alliée de plus en plus présente auprès de la junte au Mali"
# The reading the demo held before issue 9 (claims/demo/demo.json as it was), to upgrade from.
EARLIER_DEMO = Path(__file__).resolve().parent / "fixtures" / "demo-2026-11.json"


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


# Upgrading an earlier demo in place (before the module's load: these need a database without the demo) -----


def the_reading() -> dict[str, object]:
    """What a load of the demo comes to, told without ids: the claims of the reading (retired ones aside)
    with their status, judgement, evidence and weight; relations, derivations, reports and sources."""
    retired = {item["statement"] for item in read_demo().get("retired", [])}
    claims = Claim.objects.exclude(statement__in=retired).prefetch_related(
        "entities", "attributions__report", "attributions__source", "attributions__via"
    )
    sources = Source.objects.select_related("same_as", "member_of")
    relations = ClaimRelation.objects.exclude(from_claim__statement__in=retired).exclude(
        to_claim__statement__in=retired
    )
    return {
        "statuses": {claim.statement: claim.status for claim in claims},
        "judgements": {
            claim.statement: (
                *(getattr(claim, name) for name in Claim.CONTENT_FIELDS),
                sorted(entity.name for entity in claim.entities.all()),
            )
            for claim in claims
        },
        "evidence": {
            claim.statement: sorted(
                (
                    a.report.title,
                    a.quote,
                    a.source.label,
                    a.verb,
                    a.mode,
                    a.stance,
                    a.hedged,
                    a.credibility,
                    a.said_on,
                    a.via.title if a.via else None,
                    a.note,
                )
                for a in claim.attributions.all()
            )
            for claim in claims
        },
        "weights": {
            claim.statement: (
                *(getattr(claim, name) for name in Claim.WEIGHT_FIELDS if name != "corroboration"),
                claim.corroboration["reason"],
            )
            for claim in claims
        },
        "relations": {
            (relation.from_claim.statement, relation.to_claim.statement, relation.kind, relation.rationale)
            for relation in relations.select_related("from_claim", "to_claim")
        },
        "derivations": {
            (derivation.report.title, derivation.original.title, derivation.kind, derivation.note)
            for derivation in ReportDerivation.objects.select_related("report", "original")
        },
        "reports": {
            report.title: (report.outlet, report.published, report.kind, report.body_kind, report.body, report.note)
            for report in Report.objects.all()
        },
        "sources": {
            source.label: (
                source.kind,
                source.description,
                source.reliability,
                source.anonymous,
                source.same_as and source.same_as.label,
                source.member_of and source.member_of.label,
            )
            for source in sources
        },
    }


@pytest.fixture
def earlier_demo(db):
    """The database as the earlier demo left it."""
    assert not Claim.objects.exists(), "runs before the module's demo is loaded (see the module's docstring)"
    load_demo(read_demo(EARLIER_DEMO))


def test_loading_over_an_earlier_demo_gives_what_a_fresh_load_gives(db):
    with transaction.atomic():
        load_demo()
        fresh = the_reading()
        transaction.set_rollback(True)
    assert not Claim.objects.exists()
    load_demo(read_demo(EARLIER_DEMO))

    written = load_demo()

    assert written["claims updated"] >= 4  # the reworded ones, found by what they formerly said
    upgraded = the_reading()
    for part, expected in fresh.items():
        assert upgraded[part] == expected, part
    # The chapô's duplicate had left the building: retracted, it stays, listed for consumers as withdrawn.
    for item in read_demo()["retired"]:
        assert Claim.objects.get(statement=item["statement"]).status == Claim.Status.RETRACTED
    before = row_counts()
    assert load_demo() == {}
    assert row_counts() == before


def test_upgrading_keeps_every_claims_history_and_reviews_what_changed_again(earlier_demo):
    formerly = next(item for item in read_demo(EARLIER_DEMO)["claims"] if item["key"] == "akinci-shot-down")
    shot_down_pk = Claim.objects.get(statement=formerly["statement"]).pk
    vetted = {
        claim.pk: (
            set(claim.transitions.values_list("pk", flat=True)),
            set(claim.history.values_list("history_id", flat=True)),
            set(Attribution.history.filter(claim_id=claim.pk).values_list("history_id", flat=True)),
        )
        for claim in Claim.objects.vetted()
    }

    load_demo()

    for pk, (transitions, history, evidence) in vetted.items():
        claim = Claim.objects.get(pk=pk)  # none deleted
        assert transitions <= set(claim.transitions.values_list("pk", flat=True)), claim
        assert history <= set(claim.history.values_list("history_id", flat=True)), claim
        assert evidence <= set(Attribution.history.filter(claim_id=pk).values_list("history_id", flat=True)), claim
    shot_down = demo_claim("akinci-shot-down")
    assert shot_down.pk == shot_down_pk
    assert formerly["statement"] in shot_down.history.values_list("statement", flat=True)
    steps = [(step.from_status, step.to_status, step.by.username) for step in shot_down.transitions.all()]
    assert steps[-2:] == [
        (Claim.Status.VETTED, Claim.Status.IN_REVIEW, "analyst"),  # its statement and evidence changed
        (Claim.Status.IN_REVIEW, Claim.Status.VETTED, "reviewer"),
    ]
    # Le Monde's sentence left the shoot-down (its deletion is in the history) for the drone's identification.
    le_monde = Attribution.history.filter(claim_id=shot_down.pk, source__label="Le Monde")
    assert list(le_monde.values_list("history_type", flat=True).order_by("history_date"))[-1] == "-"
    assert demo_claim("akinci-identified").attributions.get().source.label == "Le Monde"


@pytest.mark.parametrize(
    ("earlier_status", "retired_as"), [("vetted", Claim.Status.RETRACTED), ("draft", None)], ids=["vetted", "draft"]
)
def test_a_claim_the_reading_retires_is_retracted_once_vetted_and_deleted_if_it_never_left(
    db, earlier_status, retired_as
):
    earlier = read_demo(EARLIER_DEMO)
    (retired,) = read_demo()["retired"]
    chapo = next(item for item in earlier["claims"] if item["statement"] == retired["statement"])
    chapo["status"] = earlier_status
    load_demo(earlier)

    load_demo()

    claim = Claim.objects.filter(statement=retired["statement"]).first()
    assert (claim and claim.status) == retired_as
    if claim is not None:
        assert claim.transitions.last().comment == retired["why"]
        assert claim.transitions.last().by.username == "reviewer"


# The demo as loaded ----------------------------------------------------------------------------------------


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
    again = Source.objects.get(label="le haut gradé précité")

    assert officer.kind == again.kind == Source.Kind.DESCRIBED_INDIVIDUAL
    # His first quote carries two claims (the praise, the medical evacuations); "le haut gradé précité" quotes
    # him a second time, a row of its own recorded as the same speaker, so the weighing counts one origin.
    assert officer.attributions.count() == 2
    assert officer.attributions.values("claim").distinct().count() == 2
    assert again.same_as == officer
    (quoted_again,) = again.attributions.select_related("claim")
    assert quoted_again.claim_id not in officer.attributions.values_list("claim", flat=True)
    assert [origin["source"] for origin in quoted_again.claim.corroboration["origins"]] == [officer.pk]


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


def test_the_articles_akinci_claim_refines_a_shoot_down_carried_by_the_follow_up_reports(loaded):
    identified, shot_down = demo_claim("akinci-identified"), demo_claim("akinci-shot-down")

    assert identified.attributions.get().report.title == ARTICLE_TITLE
    assert ClaimRelation.objects.filter(
        from_claim=identified, to_claim=shot_down, kind=ClaimRelation.Kind.REFINES
    ).exists()
    reports = {attribution.report.title for attribution in shot_down.attributions.select_related("report")}
    # Le Monde, writing ten months later, is no origin of the 2025 event: the reports of April 2025 carry it.
    assert ARTICLE_TITLE not in reports
    assert len(reports) >= 3


def test_every_relay_is_recorded_as_a_derivation_and_bodies_hold_only_the_reports_text(loaded):
    derived = {
        (derivation.report.title, derivation.original.outlet, derivation.kind)
        for derivation in ReportDerivation.objects.select_related("report", "original")
    }

    assert derived == {
        ("Drone Down: Rising Tensions at the Algeria-Mali Border", "Reuters (via TimesLive)", "relays"),
        (
            "Algeria, Mali report downed drone in border area but differ on details",
            "Algerian Ministry of National Defence",
            "quotes",
        ),
        (
            "Algeria says it shot down an armed drone near the Mali border (AP dispatch, republished)",
            "Algerian Ministry of National Defence",
            "quotes",
        ),
    }
    follow_ups = Report.objects.exclude(title=ARTICLE_TITLE)
    assert all(report.note for report in follow_ups)
    assert not any("relay" in report.body or "report 2" in report.body for report in follow_ups)


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
