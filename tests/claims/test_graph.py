"""The graph of who says what: who may open it, what it draws for whom, its filters and focus, its errors,
and its bounded queries (claims/graph.py, /graph/ and /graph/data/)."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from claims import graph
from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import ReportDerivation, Source
from tests.factories import (
    BODY,
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
)
from tests.helpers import logged_in
from tests.helpers import page_text as text


def node_ids(drawn) -> set[str]:
    return {node["data"]["id"] for node in drawn["elements"]["nodes"]}


def edges(drawn, kind=None) -> dict[tuple[str, str], dict]:
    """(source, target) → edge data, of one kind or all."""
    return {
        (edge["data"]["source"], edge["data"]["target"]): edge["data"]
        for edge in drawn["elements"]["edges"]
        if kind is None or edge["data"]["kind"] == kind
    }


def data(client, **params):
    return client.get(reverse("graph_data"), params)


@pytest.fixture
def world(db):
    """A vetted claim and a draft, related; a second vetted claim two steps away; sources linked; reports
    derived; entities on each."""
    mali, drones, secret = EntityFactory(name="Mali"), EntityFactory(name="TB2 drones"), EntityFactory(name="Secret")
    wire = ReportFactory(title="Wire story", outlet="Reuters", published=datetime.date(2025, 4, 1))
    relay = ReportFactory(title="Relay", outlet="Site", published=datetime.date(2025, 4, 3))
    later = ReportFactory(title="Later", outlet="Le Monde", published=datetime.date(2025, 6, 1))
    derivation = ReportDerivation(report=relay, original=wire, kind=ReportDerivation.Kind.RELAYS)
    derivation.full_clean()
    derivation.save()  # (no claim to weigh yet: the service would add nothing)
    army = SourceFactory(label="Malian army")
    officer = SourceFactory(label="un officier malien", member_of=army)
    again = SourceFactory(label="l'officier précité", same_as=officer)
    insider = SourceFactory(label="draft-only insider")

    vetted = ClaimFactory(statement="Turkey delivered drones.", status=Claim.Status.VETTED)
    vetted.entities.add(mali, drones)
    AttributionFactory(claim=vetted, source=officer, report=wire, hedged=True)
    AttributionFactory(claim=vetted, source=again, report=relay, stance=Attribution.Stance.CONTRADICTS)
    draft = ClaimFactory(statement="A secret draft.", status=Claim.Status.DRAFT)
    draft.entities.add(secret)
    AttributionFactory(claim=draft, source=insider, report=later)
    ClaimRelationFactory(from_claim=draft, to_claim=vetted, kind=ClaimRelation.Kind.CONTRADICTS)
    far = ClaimFactory(statement="The army denies everything.", status=Claim.Status.VETTED)
    far.entities.add(mali)
    AttributionFactory(claim=far, source=officer, report=later, stance=Attribution.Stance.NEUTRAL)
    return SimpleNamespace(**locals())


# Who may open it ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["consumer", "outsider"])
def test_api_consumers_and_users_in_no_role_get_403_on_the_graph_page_and_its_data(request, persona, world):
    client = logged_in(request.getfixturevalue(persona))

    assert client.get(reverse("graph")).status_code == 403
    assert data(client).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = data(client)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_menu_links_the_graph_for_reviewers(reviewer_client, world):
    page = text(reviewer_client.get(reverse("overview")))

    assert f'href="{reverse("graph")}"' in page


# What it draws, for whom --------------------------------------------------------------------------------


def test_a_reviewer_gets_every_claim_source_report_and_entity(reviewer_client, world):
    drawn = data(reviewer_client).json()

    w = world
    assert node_ids(drawn) == {
        *(f"claim:{c.pk}" for c in (w.vetted, w.draft, w.far)),
        *(f"source:{s.pk}" for s in (w.army, w.officer, w.again, w.insider)),
        *(f"report:{r.pk}" for r in (w.wire, w.relay, w.later)),
        *(f"entity:{e.pk}" for e in (w.mali, w.drones, w.secret)),
    }
    assert drawn["counts"] == {"claims": 3, "sources": 4, "reports": 3, "entities": 3, "edges": 16}
    assert drawn["truncated"] is False


def test_a_consumer_like_reader_gets_only_vetted_claims_and_no_edge_to_a_draft(consumer, world):
    drawn = graph.build(user=consumer)

    ids = node_ids(drawn)
    assert {f"claim:{world.vetted.pk}", f"claim:{world.far.pk}"} <= ids
    draft_only = {f"claim:{world.draft.pk}", f"source:{world.insider.pk}", f"entity:{world.secret.pk}"}
    assert not ids & draft_only
    assert all(edge["data"]["source"] in ids and edge["data"]["target"] in ids for edge in drawn["elements"]["edges"])
    assert edges(drawn, "relation") == {}  # its only relation is to the draft
    assert {node["data"]["status"] for node in drawn["elements"]["nodes"] if node["data"]["kind"] == "claim"} == {
        "vetted"
    }


def test_a_consumer_like_reader_cannot_focus_on_a_draft(consumer, world):
    with pytest.raises(graph.FocusNotFound):
        graph.build(user=consumer, focus=("claim", world.draft.pk))
    with pytest.raises(graph.FocusNotFound):
        graph.build(user=consumer, focus=("source", world.insider.pk))


def test_attributions_are_coloured_by_stance_and_dashed_when_hedged(reviewer_client, world):
    says = edges(data(reviewer_client).json(), "says")

    w = world
    assert says[(f"source:{w.officer.pk}", f"claim:{w.vetted.pk}")]["stance"] == "supports"
    assert says[(f"source:{w.officer.pk}", f"claim:{w.vetted.pk}")]["hedged"] is True
    assert says[(f"source:{w.again.pk}", f"claim:{w.vetted.pk}")]["stance"] == "contradicts"
    assert says[(f"source:{w.again.pk}", f"claim:{w.vetted.pk}")]["hedged"] is False
    assert says[(f"source:{w.officer.pk}", f"claim:{w.far.pk}")]["stance"] == "neutral"


def test_relations_derivations_reports_entities_and_source_links_are_labelled_edges(reviewer_client, world):
    drawn = data(reviewer_client).json()

    w = world
    assert edges(drawn, "relation")[(f"claim:{w.draft.pk}", f"claim:{w.vetted.pk}")]["label"] == "contradicts"
    assert edges(drawn, "derives")[(f"report:{w.relay.pk}", f"report:{w.wire.pk}")]["label"] == "relays"
    assert set(edges(drawn, "reported_in")) == {
        (f"claim:{w.vetted.pk}", f"report:{w.wire.pk}"),
        (f"claim:{w.vetted.pk}", f"report:{w.relay.pk}"),
        (f"claim:{w.draft.pk}", f"report:{w.later.pk}"),
        (f"claim:{w.far.pk}", f"report:{w.later.pk}"),
    }
    assert (f"claim:{w.vetted.pk}", f"entity:{w.drones.pk}") in edges(drawn, "about")
    assert edges(drawn, "member_of")[(f"source:{w.officer.pk}", f"source:{w.army.pk}")]["label"] == "member of"
    assert edges(drawn, "same_as")[(f"source:{w.again.pk}", f"source:{w.officer.pk}")]["label"] == "same speaker as"


def test_each_node_links_to_its_page(reviewer_client, world):
    nodes = {node["data"]["id"]: node["data"] for node in data(reviewer_client).json()["elements"]["nodes"]}

    w = world
    assert nodes[f"claim:{w.vetted.pk}"]["url"] == f"/claims/{w.vetted.pk}/"
    assert nodes[f"source:{w.officer.pk}"]["url"] == f"/sources/{w.officer.pk}/"
    assert nodes[f"report:{w.wire.pk}"]["url"] == f"/reports/{w.wire.pk}/"
    assert nodes[f"entity:{w.mali.pk}"]["url"] == f"/entities/{w.mali.pk}/"
    assert nodes[f"claim:{w.vetted.pk}"]["label"] == f"#{w.vetted.pk} Turkey delivered drones."


# Filters ------------------------------------------------------------------------------------------------


def test_the_status_filter_keeps_claims_of_that_status_and_their_evidence(reviewer_client, world):
    drawn = data(reviewer_client, status="draft").json()

    assert {n for n in node_ids(drawn) if n.startswith("claim:")} == {f"claim:{world.draft.pk}"}
    assert f"source:{world.insider.pk}" in node_ids(drawn)
    assert f"source:{world.officer.pk}" not in node_ids(drawn)
    assert edges(drawn, "relation") == {}  # its related claim is filtered out


def test_the_entity_filter_keeps_claims_about_it(reviewer_client, world):
    drawn = data(reviewer_client, entity=world.drones.pk).json()

    assert {n for n in node_ids(drawn) if n.startswith("claim:")} == {f"claim:{world.vetted.pk}"}


def test_the_date_range_keeps_what_reports_published_in_it_said(reviewer_client, world):
    drawn = data(reviewer_client, published_after="2025-04-02", published_before="2025-04-30").json()

    w = world
    assert {n for n in node_ids(drawn) if n[:6] in ("claim:", "report")} == {
        f"claim:{w.vetted.pk}",
        f"report:{w.relay.pk}",
    }
    # the wire story is out of the range: its attribution and its derivation are not drawn
    assert (f"source:{w.officer.pk}", f"claim:{w.vetted.pk}") not in edges(drawn, "says")
    assert (f"source:{w.again.pk}", f"claim:{w.vetted.pk}") in edges(drawn, "says")


# Focus --------------------------------------------------------------------------------------------------


def test_a_claims_focused_graph_holds_what_is_one_step_from_it(reviewer_client, world):
    drawn = data(reviewer_client, focus=f"claim:{world.vetted.pk}").json()

    w = world
    assert node_ids(drawn) == {
        f"claim:{w.vetted.pk}",
        f"claim:{w.draft.pk}",  # related
        f"source:{w.officer.pk}",
        f"source:{w.again.pk}",
        f"source:{w.army.pk}",  # whom the officer speaks for
        f"report:{w.wire.pk}",
        f"report:{w.relay.pk}",
        f"entity:{w.mali.pk}",
        f"entity:{w.drones.pk}",
    }
    assert drawn["focus"] == f"claim:{w.vetted.pk}"
    focus = next(node for node in drawn["elements"]["nodes"] if node["data"]["id"] == drawn["focus"])
    assert focus["data"]["focus"] is True
    # edges between nodes of the neighbourhood are drawn too
    assert (f"report:{w.relay.pk}", f"report:{w.wire.pk}") in edges(drawn, "derives")
    assert (f"source:{w.again.pk}", f"source:{w.officer.pk}") in edges(drawn, "same_as")


def test_a_second_step_reaches_further_but_not_through_entities(reviewer_client, world):
    drawn = data(reviewer_client, focus=f"claim:{world.vetted.pk}", depth=2).json()

    w = world
    assert f"claim:{w.far.pk}" in node_ids(drawn)  # through the officer, who also spoke of it
    assert f"source:{w.insider.pk}" in node_ids(drawn)  # the related draft's source


def test_an_entitys_focused_graph_holds_the_claims_about_it(reviewer_client, world):
    drawn = data(reviewer_client, focus=f"entity:{world.mali.pk}").json()

    w = world
    assert node_ids(drawn) == {f"entity:{w.mali.pk}", f"claim:{w.vetted.pk}", f"claim:{w.far.pk}"}


def test_only_the_focus_entity_leads_on_to_its_claims(reviewer):
    focus, shared = EntityFactory(name="focus"), EntityFactory(name="shared")
    about_both, about_shared_only = ClaimFactory(), ClaimFactory()
    about_both.entities.add(focus, shared)
    about_shared_only.entities.add(shared)

    drawn = graph.build(user=reviewer, focus=("entity", focus.pk), depth=3)

    assert node_ids(drawn) == {f"entity:{focus.pk}", f"claim:{about_both.pk}", f"entity:{shared.pk}"}


def test_a_source_and_a_report_focus_reach_their_claims(reviewer_client, world):
    w = world
    by_source = node_ids(data(reviewer_client, focus=f"source:{w.insider.pk}").json())
    by_report = node_ids(data(reviewer_client, focus=f"report:{w.wire.pk}").json())

    assert by_source == {f"source:{w.insider.pk}", f"claim:{w.draft.pk}", f"report:{w.later.pk}"}
    assert by_report >= {
        f"report:{w.wire.pk}",
        f"claim:{w.vetted.pk}",
        f"source:{w.officer.pk}",
        f"report:{w.relay.pk}",
    }


def test_a_focus_on_nothing_answers_404(reviewer_client, world):
    response = data(reviewer_client, focus="claim:999999")

    assert response.status_code == 404
    assert response.json()["error"] == "No claim #999999 that you may see."


# Bad parameters -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"status": "bogus"}, "status", "Select a valid choice. bogus is not one of the available choices."),
        ({"published_after": "1 April"}, "published", "Enter a valid date."),
        (
            {"published_after": "2025-05-01", "published_before": "2025-04-01"},
            "published",
            "The start date is after the end date.",
        ),
        ({"entity": "999999"}, "entity", "Select a valid choice. 999999 is not one of the available choices."),
        ({"focus": "planet:3"}, "focus", "Give the focus as claim:<id>, source:<id>, report:<id> or entity:<id>."),
        ({"focus": "claim:1", "depth": "9"}, "depth", "Ensure this value is less than or equal to 3."),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(reviewer_client, world, params, field, message):
    response = data(reviewer_client, **params)

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert response.json()["error"] == f"Bad parameters: {field}: {message}"


def test_the_page_shows_a_bad_parameter_beside_its_field(reviewer_client, world):
    response = reviewer_client.get(reverse("graph"), {"focus": "planet:3"})

    assert response.status_code == 400
    assert "Give the focus as claim:&lt;id&gt;" in response.content.decode()
    assert "data-graph-url" not in response.content.decode()


# Size ---------------------------------------------------------------------------------------------------


def test_past_the_limit_the_graph_keeps_the_claims_changed_last_and_says_to_narrow_the_filter(reviewer):
    claims = ClaimFactory.create_batch(3)

    drawn = graph.build(user=reviewer, limit=2)

    assert drawn["truncated"] is True
    assert node_ids(drawn) == {f"claim:{claims[2].pk}", f"claim:{claims[1].pk}"}
    assert drawn["notice"].startswith("More than 2 claims match: the graph shows 2 of them. Narrow the filter")


# The pages ----------------------------------------------------------------------------------------------


def test_the_graph_page_lists_its_links_as_text_and_points_its_script_at_the_data(reviewer_client, world):
    response = reviewer_client.get(reverse("graph"), {"status": "vetted"})

    page = text(response)
    assert response.status_code == 200
    assert f'data-graph-url="{reverse("graph_data")}?status=vetted"' in page
    assert "Turkey delivered drones." in page
    assert "A secret draft." not in page
    assert "<caption>Links in the graph</caption>" in page
    assert "js/graph.js" in page and "vendor/cytoscape/cytoscape.min.js" in page


@pytest.mark.parametrize(
    ("name", "kind", "attribute"),
    [("claim_detail", "claim", "vetted"), ("source_detail", "source", "officer"), ("report_detail", "report", "wire")],
)
def test_claim_source_and_report_pages_carry_their_focused_graph(reviewer_client, world, name, kind, attribute):
    pk = getattr(world, attribute).pk

    page = text(reviewer_client.get(reverse(name, args=[pk])))

    assert f'data-graph-url="{reverse("graph_data")}?focus={kind}:{pk}&depth=1"' in page
    assert f'href="{reverse("graph")}?focus={kind}:{pk}&depth=2"' in page


# Bounded queries ----------------------------------------------------------------------------------------


@pytest.fixture
def make_graph(db):
    """`count` vetted claims written in bulk (fast: no services, no history), each with every kind of edge:
    supported by a source of its own (speaking for one party) in one of two reports (one relays the other),
    contradicted by a shared source, about one shared entity and one of its own, refining the claim before."""

    def make(count: int) -> SimpleNamespace:
        original, relay = ReportFactory(), ReportFactory()
        ReportDerivation.objects.create(report=relay, original=original, kind=ReportDerivation.Kind.RELAYS)
        party, shared, entity = SourceFactory(label="party"), SourceFactory(label="shared"), EntityFactory()
        own = Source.objects.bulk_create(
            Source(label=f"own {n}", kind=Source.Kind.NAMED_INDIVIDUAL, member_of=party) for n in range(count)
        )
        topics = Entity.objects.bulk_create(Entity(name=f"topic {n}", kind=Entity.Kind.PLACE) for n in range(count))
        claims = Claim.objects.bulk_create(
            Claim(statement=f"Claim {n} in bulk.", status=Claim.Status.VETTED) for n in range(count)
        )
        span = {"quote": BODY[:6], "start": 0, "end": 6, "credibility": 3}
        Attribution.objects.bulk_create(
            attribution
            for n, claim in enumerate(claims)
            for attribution in (
                Attribution(claim=claim, source=own[n], report=(original, relay)[n % 2], hedged=n % 3 == 0, **span),
                Attribution(claim=claim, source=shared, report=relay, stance=Attribution.Stance.CONTRADICTS, **span),
            )
        )
        Claim.entities.through.objects.bulk_create(
            Claim.entities.through(claim=claim, entity=about)
            for n, claim in enumerate(claims)
            for about in (entity, topics[n])
        )
        ClaimRelation.objects.bulk_create(
            ClaimRelation(from_claim=claims[n], to_claim=claims[n - 1], kind=ClaimRelation.Kind.REFINES)
            for n in range(1, count)
        )
        return SimpleNamespace(claims=claims, entity=entity, shared=shared, party=party)

    return make


def test_the_bulk_graph_has_every_kind_of_edge(reviewer, make_graph):
    make_graph(3)

    kinds = {edge["data"]["kind"] for edge in graph.build(user=reviewer)["elements"]["edges"]}

    assert kinds == {"says", "reported_in", "about", "relation", "derives", "member_of"}


@pytest.mark.parametrize("count", [1, 30])
def test_the_graph_data_runs_13_queries_whatever_the_number_of_claims(
    reviewer_client, make_graph, count, django_assert_max_num_queries
):
    make_graph(count)
    # session, user, user permissions, group permissions; the data's version (`claims.pagecache`); the claims;
    # their attributions; their entities (ids); the sources; the reports; the entities; the derivations; the
    # relations
    with django_assert_max_num_queries(13):
        response = data(reviewer_client, status="vetted")
    assert response.json()["counts"]["claims"] == count


@pytest.mark.parametrize("count", [1, 30])
def test_a_focused_graph_runs_19_queries_whatever_the_number_of_claims(
    reviewer_client, make_graph, count, django_assert_max_num_queries
):
    made = make_graph(count)
    # session, user, user permissions, group permissions; the data's version; step 1 from the shared source:
    # its attributions, its links to other sources; step 2 from the claims and the report reached:
    # attributions, relations, "about", derivations; then the eight of the drawing (as for the whole graph)
    with django_assert_max_num_queries(19):
        response = data(reviewer_client, focus=f"source:{made.shared.pk}", depth=2)
    assert response.json()["counts"]["claims"] == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_graph_page_runs_14_queries_whatever_the_number_of_claims(
    reviewer_client, make_graph, count, django_assert_max_num_queries
):
    made = make_graph(count)
    # session, user, user permissions, group permissions; the entity filter's check of the id; the eight of
    # the graph (as /graph/data/); the filter form's chosen entity (`claims.widgets.LookupMixin`)
    with django_assert_max_num_queries(14):
        response = reviewer_client.get(reverse("graph"), {"entity": made.entity.pk})
    assert response.context["drawn"]["counts"]["claims"] == count
