"""Test data. Factories save through `full_clean()`, as the admin and the services do."""

import datetime

import factory
from django.contrib.auth import get_user_model

from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import Report, Source

BODY = (
    "Selon un officier malien, qui a requis l\u2019anonymat, les drones sont arriv\u00e9s \u00e0 la fin de 2022. "
    "\u00ab\u00a0Ils sont tr\u00e8s discrets\u00a0\u00bb, affirme une source. "
    "Environ 2\u00a0000 membres d\u2019Africa Corps seraient pr\u00e9sents dans le pays, selon des estimations. "
    "Plusieurs observateurs y voient une rivalit\u00e9 croissante."
)


class CleanedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = model_class(*args, **kwargs)
        instance.full_clean()
        instance.save()
        return instance


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("test-pass-123")


class ReportFactory(CleanedFactory):
    class Meta:
        model = Report

    title = factory.Sequence(lambda n: f"Report {n}")
    outlet = "Le Monde"
    author = "Benjamin Roger"
    published = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
    language = "fr"
    kind = Report.Kind.NEWS_ARTICLE
    body = BODY


class SourceFactory(CleanedFactory):
    class Meta:
        model = Source

    label = factory.Sequence(lambda n: f"source {n}")
    kind = Source.Kind.ANONYMOUS_INDIVIDUAL
    anonymous = True
    reliability = Source.Reliability.F


class EntityFactory(CleanedFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"Entity {n}")
    kind = Entity.Kind.PLACE


class ClaimFactory(CleanedFactory):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    statement = factory.Sequence(lambda n: f"Claim number {n} about Turkish drones in Mali.")
    original_wording = "Les drones sont arriv\u00e9s."
    kind = Claim.Kind.EVENT
    status = Claim.Status.DRAFT
    created_by = None
    updated_by = None


class AttributionFactory(CleanedFactory):
    class Meta:
        model = Attribution

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    report = factory.SubFactory(ReportFactory)
    quote = "les drones sont arriv\u00e9s \u00e0 la fin de 2022"
    verb = "selon"
    mode = Attribution.Mode.PARAPHRASE
    stance = Attribution.Stance.SUPPORTS
    credibility = 3


class ClaimRelationFactory(CleanedFactory):
    class Meta:
        model = ClaimRelation

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    kind = ClaimRelation.Kind.CONTRADICTS
    rationale = "They disagree."


def make_claim_with_evidence(*, status=Claim.Status.VETTED, attributions=2, **kwargs) -> Claim:
    """A claim in `status` with `attributions` attributions from distinct sources and reports."""
    claim = ClaimFactory(status=status, **kwargs)
    for _ in range(attributions):
        AttributionFactory(claim=claim)
    return claim
