"""Proposed attributions (`claims.extraction`): each rule on hand-made sentences, paragraphs of French news the
rules were not written on, English, the anchoring property, the command's contract and the evaluation targets.

The French model loads once for the whole session (a few seconds): `french_model` below.
"""

import ast
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims import extraction
from claims.extraction import CONTRACT_KEYS, ClaimKind, Mode, SourceKind, is_conditional, propose_attributions
from claims.management.commands import eval_extraction
from claims.models import Attribution, Claim
from sources.models import Source
from tests.factories import ClaimFactory, EntityFactory, ReportFactory, SourceFactory

ARTICLE = (Path(extraction.__file__).parent / "demo" / "lemonde-2026-01-29-turquie-mali.txt").read_text()


@pytest.fixture(scope="session", autouse=True)
def french_model():
    """spaCy's French pipeline, loaded once per test session (the module caches it for the process)."""
    return extraction.nlp()


def propose(text, language="fr", **kw):
    kw.setdefault("outlet", "Le Monde")
    return propose_attributions(text, language, **kw)


def the_one(text, fragment, **kw):
    """The proposal whose quote holds `fragment`."""
    found = [p for p in propose(text, **kw) if fragment in p.quote]
    assert len(found) == 1, [p.quote for p in propose(text, **kw)]
    return found[0]


# The module's own words --------------------------------------------------------------------------------------


def test_its_kinds_and_modes_are_the_models_values():
    assert {v for k, v in vars(SourceKind).items() if k.isupper()} == set(Source.Kind.values)
    assert {v for k, v in vars(Mode).items() if k.isupper()} == set(Attribution.Mode.values)
    assert {v for k, v in vars(ClaimKind).items() if k.isupper()} == set(Claim.Kind.values)


def test_the_extractor_imports_no_django():
    tree = ast.parse(Path(extraction.__file__).read_text())
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)] + [
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith(("django", "sources", "claims.models"))]


# Direct quotes ------------------------------------------------------------------------------------------------


def test_a_quote_then_its_speaker_gives_one_proposal_per_sentence_of_the_quote():
    text = (
        "«\u00a0Les drones sont arrivés. Ils ont changé la guerre\u00a0», "
        "analyse un officier malien, qui a requis l’anonymat."
    )
    first, second = propose(text)
    assert (first.quote, second.quote) == ("Les drones sont arrivés.", "Ils ont changé la guerre")
    assert {p.source for p in (first, second)} == {"un officier malien, qui a requis l’anonymat"}
    assert {p.source_kind for p in (first, second)} == {SourceKind.ANONYMOUS_INDIVIDUAL}
    assert {p.verb for p in (first, second)} == {"analyse"}
    assert {p.mode for p in (first, second)} == {Mode.DIRECT_QUOTE}


def test_a_speaker_before_the_quote_with_a_colon():
    p = the_one(
        "La présidente de la commission a déclaré : « Nous exigeons la transparence sur cet accord. »",
        "transparence",
    )
    assert (p.source, p.verb, p.mode) == (
        "La présidente de la commission",
        "a déclaré",
        Mode.DIRECT_QUOTE,
    )
    assert p.source_kind == SourceKind.DESCRIBED_INDIVIDUAL


def test_an_incise_inside_the_quote_names_its_speaker_and_a_pronoun_the_subject_before():
    text = (
        "Le ministre des affaires étrangères a quitté Bamako mardi. « Nous avons obtenu des garanties, "
        "a-t-il affirmé à son arrivée. Les otages seront libérés dans les prochains jours. »"
    )
    quoted = [p for p in propose(text) if p.mode == Mode.DIRECT_QUOTE]
    assert [p.quote for p in quoted] == [
        "Nous avons obtenu des garanties",
        "Les otages seront libérés dans les prochains jours.",
    ]
    assert {p.source for p in quoted} == {"Le ministre des affaires étrangères"}
    assert quoted[1].claim_kind == ClaimKind.PREDICTION  # a future


def test_a_quotation_alone_continues_the_speaker_before():
    text = (
        "« Le matériel est neuf et de bonne qualité », confie un haut gradé.\n\n"
        "« Ils viennent avec leurs interprètes et restent discrets. »"
    )
    assert the_one(text, "interprètes").source == "un haut gradé"


def test_a_short_quotation_inside_a_sentence_is_no_direct_quote_of_its_own():
    p = the_one("Le parquet a ouvert une enquête pour « homicide » hier soir.", "parquet")
    assert p.mode == Mode.OUTLET_VOICE


# Paraphrases ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "source", "verb", "kind"),
    [
        (
            "Selon une source diplomatique européenne, Ankara aurait proposé un accord.",
            "une source diplomatique européenne",
            "Selon",
            SourceKind.ANONYMOUS_INDIVIDUAL,
        ),
        (
            "Environ 2\u00a0000 soldats seraient présents dans le pays, selon des estimations occidentales.",
            "des estimations occidentales",
            "selon",
            SourceKind.ESTIMATE,
        ),
        (
            "D’après un rapport de l’ONU, les combats ont fait 300 morts.",
            "un rapport de l’ONU",
            "D’après",
            SourceKind.DOCUMENT,
        ),
        (
            "Selon Jean Dupont, porte-parole du parti, le projet est abandonné.",
            "Jean Dupont, porte-parole du parti",
            "Selon",
            SourceKind.NAMED_INDIVIDUAL,
        ),
        (
            "Les drones sont arrivés fin 2022, selon un officier malien, qui a requis l’anonymat.",
            "un officier malien, qui a requis l’anonymat",
            "selon",
            SourceKind.ANONYMOUS_INDIVIDUAL,
        ),
        (
            "De source sécuritaire, on assure que le document est un faux.",
            "source sécuritaire",
            "de source",
            SourceKind.ANONYMOUS_INDIVIDUAL,
        ),
        (
            "À en croire plusieurs diplomates, la réunion a tourné court.",
            "plusieurs diplomates",
            "À en croire",
            SourceKind.GROUP,
        ),
    ],
)
def test_according_to(text, source, verb, kind):
    (p,) = propose(text)
    assert (p.source, p.verb, p.source_kind, p.mode) == (source, verb, kind, Mode.PARAPHRASE)


def test_according_to_leaves_the_attribution_out_of_the_statement():
    (p,) = propose("Selon le ministère du travail, la réforme permettrait d’économiser 3 milliards d’euros.")
    assert p.statement == "La réforme permettrait d'économiser 3 milliards d'euros."
    assert p.source_kind == SourceKind.ORGANISATION
    assert p.hedged and p.claim_kind == ClaimKind.QUANTITY


def test_our_own_information_is_the_outlet_voice():
    (p,) = propose("Selon nos informations, le chef de la police aurait été limogé dimanche.")
    assert (p.mode, p.source, p.hedged) == (Mode.OUTLET_VOICE, "Le Monde", True)


def test_cite_par_proposes_the_relaying_outlet_as_via():
    (p,) = propose("Un ancien ministre de la santé, cité par Radio Okapi, accuse les autorités d’avoir tardé à réagir.")
    assert (p.source, p.via, p.source_kind) == (
        "Un ancien ministre de la santé",
        "Radio Okapi",
        SourceKind.FORMER_OFFICIAL,
    )
    assert p.claim_kind == ClaimKind.ALLEGATION


def test_told_to_an_outlet_is_a_relay_unless_it_is_the_reports_own():
    told_afp = the_one(
        "Au moins 40 personnes ont été tuées, a indiqué à l’AFP une source sécuritaire.",
        "40",
    )
    assert (told_afp.source, told_afp.via, told_afp.verb) == (
        "une source sécuritaire",
        "l’AFP",
        "a indiqué",
    )
    told_us = the_one("Plusieurs sources ont affirmé au Monde que des Turcs gardent le palais.", "palais")
    assert (told_us.via, told_us.source_kind, told_us.verb) == ("", SourceKind.GROUP, "ont affirmé")
    assert told_us.statement == "Des Turcs gardent le palais."


def test_a_reporting_verb_and_its_subject_either_order():
    before = the_one("Plusieurs économistes estiment que ce chiffre est sous-évalué.", "chiffre")
    assert (before.source, before.source_kind, before.claim_kind) == (
        "Plusieurs économistes",
        SourceKind.OBSERVERS,
        ClaimKind.ASSESSMENT,
    )
    after = the_one(
        "Le bilan pourrait encore s’alourdir, a prévenu le gouverneur de la région dimanche soir.",
        "bilan",
    )
    assert (after.source, after.verb, after.hedged) == ("le gouverneur de la région", "a prévenu", True)


def test_several_sources_reading_rather_than_reporting_are_observers():
    reading = the_one("D’autres sources militaires voient en la Russie un partenaire plutôt qu’un rival.", "Russie")
    reporting = the_one("Plusieurs sources militaires ont affirmé que les troupes sont parties.", "troupes")
    assert (reading.source_kind, reporting.source_kind) == (SourceKind.OBSERVERS, SourceKind.GROUP)


def test_a_weak_reporting_verb_without_que_attributes_nothing():
    p = the_one("Les soldats assurent la sécurité du palais depuis mars.", "palais")
    assert p.mode == Mode.OUTLET_VOICE


def test_a_passive_with_an_agent():
    p = the_one(
        "Ce recours est aussi perçu par plusieurs observateurs comme un signe de rivalité.",
        "recours",
    )
    assert (p.source, p.verb, p.source_kind) == ("plusieurs observateurs", "perçu", SourceKind.OBSERVERS)
    assert p.statement == "Ce recours est aussi perçu comme un signe de rivalité."


def test_a_document_that_shows():
    video = the_one(
        "En novembre, une entreprise a diffusé une vidéo sur les réseaux sociaux montrant des soldats au tir.",
        "vidéo",
    )
    assert (video.source, video.verb, video.source_kind) == ("une vidéo", "montrant", SourceKind.DOCUMENT)
    images = the_one("Des images diffusées lundi montrent des centres de soins débordés.", "images")
    assert (images.source_kind, images.verb) == (SourceKind.DOCUMENT, "montrent")


def test_a_reporting_verb_without_its_subject_takes_the_sentence_befores():
    text = (
        "Les principales sociétés d’armement ont vanté leurs produits. "
        "Et rappelé que le pays était un de leurs meilleurs clients."
    )
    p = the_one(text, "clients")
    assert (p.source, p.verb, p.source_kind) == (
        "Les principales sociétés d’armement",
        "rappelé",
        SourceKind.ORGANISATION,
    )
    assert the_one(text, "vanté").mode == Mode.OUTLET_VOICE


def test_an_incise_between_dashes_with_its_own_attribution_is_a_proposal_of_its_own():
    text = (
        "La Russie demeure la première alliée de la junte en lui fournissant des hommes – environ 2 000 "
        "combattants seraient présents, selon des estimations occidentales –, des avions et des blindés."
    )
    outlet, estimate, rest = propose(text)
    assert (outlet.mode, estimate.source_kind, rest.mode) == (Mode.OUTLET_VOICE, SourceKind.ESTIMATE, Mode.OUTLET_VOICE)
    assert estimate.quote.startswith("environ 2 000") and estimate.hedged and not outlet.hedged
    assert rest.quote == "des avions et des blindés."


# Hedging, outlet voice, what is left out ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "hedged"),
    [
        ("Le chômage atteindrait 12 % à la fin de l’année.", True),
        ("Les paramilitaires seraient présents à Kati depuis mars.", True),
        ("Le général aurait rencontré son homologue turc.", True),
        ("Le ministre déclarait alors que tout allait bien.", False),
        ("La vidéo montrait des soldats à l’entraînement.", False),
        ("Les paramilitaires sont présents à Kati depuis mars.", False),
    ],
)
def test_the_conditional_marks_the_proposal_hedged(sentence, hedged):
    (p,) = propose(sentence)
    assert p.hedged is hedged


@pytest.mark.parametrize(
    ("word", "lemma", "conditional"),
    [
        ("atteindrait", "atteindre", True),
        ("déclarerait", "déclarer", True),
        ("viendraient", "venir", True),
        ("apercevrait", "apercevoir", True),
        ("déclarait", "déclarer", False),
        ("montrait", "montrer", False),
        ("disait", "dire", False),
    ],
)
def test_a_conditional_is_told_by_its_future_stem(word, lemma, conditional):
    assert is_conditional(word, lemma) is conditional


def test_declarative_sentences_with_nobody_attributed_are_the_outlets_voice():
    (p,) = propose("Les premiers drones sont arrivés au Mali à la fin de 2022.")
    assert (p.mode, p.source, p.source_kind, p.verb, p.hedged) == (
        Mode.OUTLET_VOICE,
        "Le Monde",
        SourceKind.OUTLET,
        "",
        False,
    )


def test_headings_bylines_links_and_questions_are_not_proposed():
    text = (
        "La Turquie, alliée de la junte/Benjamin Roger/LE MONDE\n\nLe Monde, le 29 janvier 2026\n\n"
        "Lire aussi | Entre l’Algérie et le Mali, une crise qui s’enlise\n\n« Opacité la plus totale »\n\n"
        "Que fera Ankara ? Les drones sont arrivés en 2022.\n\nBenjamin Roger"
    )
    assert [p.quote for p in propose(text)] == ["Les drones sont arrivés en 2022."]


# Kinds of source -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("un officier malien, qui a requis l’anonymat", SourceKind.ANONYMOUS_INDIVIDUAL),
        ("une source", SourceKind.ANONYMOUS_INDIVIDUAL),
        ("un bon connaisseur des arcanes du pouvoir", SourceKind.ANONYMOUS_INDIVIDUAL),
        ("un haut gradé malien", SourceKind.DESCRIBED_INDIVIDUAL),
        ("une infirmière de l’hôpital provincial", SourceKind.DESCRIBED_INDIVIDUAL),
        ("un ancien ministre, devenu opposant", SourceKind.FORMER_OFFICIAL),
        ("plusieurs sources militaires occidentales", SourceKind.GROUP),
        ("plusieurs observateurs", SourceKind.OBSERVERS),
        ("des estimations occidentales", SourceKind.ESTIMATE),
        ("le ministère de l’intérieur", SourceKind.ORGANISATION),
        ("les principales sociétés d’équipement militaire", SourceKind.ORGANISATION),
        ("une vidéo diffusée sur les réseaux sociaux", SourceKind.DOCUMENT),
        ("un rapport de l’ONU", SourceKind.DOCUMENT),
        ("Sophie Binet, secrétaire générale de la CGT", SourceKind.NAMED_INDIVIDUAL),
        ("l’analyste Wassim Nasr", SourceKind.NAMED_INDIVIDUAL),
        ("un proche de Marie Dupont", SourceKind.DESCRIBED_INDIVIDUAL),
        ("l’agence Reuters", SourceKind.OUTLET),
        ("Ankara", SourceKind.ORGANISATION),
    ],
)
def test_the_kind_of_source_is_read_from_its_description(description, kind):
    assert extraction.source_kind(description) == kind


def test_a_proposal_names_the_existing_source_that_fits_and_takes_its_kind():
    sources = [
        (7, "un officier malien", Source.Kind.ANONYMOUS_INDIVIDUAL, "un officier malien, qui a requis l’anonymat"),
        (8, "le haut gradé précité", Source.Kind.DESCRIBED_INDIVIDUAL, ""),
        (9, "Le Monde", Source.Kind.OUTLET, "Le Monde, in its own voice"),
    ]
    text = (
        "« Aucun pays ne peut rivaliser avec la Russie », estime le haut gradé précité. "
        "Les drones sont arrivés, selon un officier malien. Un conseiller a démenti toute implication."
    )
    quoted, said, unknown = propose(text, sources=sources)
    outlet = propose("Les drones sont arrivés en 2022.", sources=sources)[0]
    assert (quoted.source_id, said.source_id, unknown.source_id, outlet.source_id) == (8, 7, None, 9)


def test_similar_claims_come_from_the_ranking_given():
    asked = []

    def similar(quote, statement):
        asked.append((quote, statement))
        return [3, 1]

    (p,) = propose("Selon une source, les drones sont arrivés en 2022.", similar=similar)
    assert p.similar_claims == [3, 1]
    assert asked == [(p.quote, p.statement)]


# French news the rules were not written on --------------------------------------------------------------------

NEWS = [
    (
        # justice
        "Le parquet de Paris a ouvert une enquête pour corruption, a-t-on appris lundi. Selon une source "
        "judiciaire, l’ancien maire aurait perçu plus de 200 000 euros de commissions. « Ces accusations sont "
        "sans fondement », a réagi son avocat, Me Paul Leroy.",
        [
            ("200 000", "une source judiciaire", SourceKind.ANONYMOUS_INDIVIDUAL, True),
            ("sans fondement", "son avocat, Me Paul Leroy", SourceKind.NAMED_INDIVIDUAL, False),
        ],
    ),
    (
        # climate
        "Les glaciers alpins ont perdu 10 % de leur volume en deux ans, selon une étude publiée jeudi. "
        "Pour plusieurs climatologues, ce recul est irréversible. Le gouvernement suisse a annoncé un plan "
        "d’adaptation de 500 millions de francs.",
        [
            ("glaciers", "une étude publiée jeudi", SourceKind.DOCUMENT, False),
            ("irréversible", "plusieurs climatologues", SourceKind.OBSERVERS, False),
            ("plan", "Le gouvernement suisse", SourceKind.ORGANISATION, False),
        ],
    ),
    (
        # sport and economy
        "Le club a vendu son attaquant pour 80 millions d’euros. « C’est une offre qu’on ne pouvait pas "
        "refuser », explique le président du club. D’après le quotidien L’Équipe, d’autres clubs "
        "auraient fait des offres supérieures.",
        [
            ("vendu", None, SourceKind.OUTLET, False),
            ("offre qu", "le président du club", SourceKind.DESCRIBED_INDIVIDUAL, False),
            ("auraient", "le quotidien L’Équipe", SourceKind.OUTLET, True),
        ],
    ),
    (
        # health, with a relay
        "L’épidémie aurait fait 500 morts, d’après un rapport de l’OMS. Un médecin de Goma, "
        "cité par l’agence Reuters, dénonce le manque d’oxygène. Des habitants affirment avoir fui la ville.",
        [
            ("500 morts", "un rapport de l’OMS", SourceKind.DOCUMENT, True),
            ("oxygène", "Un médecin de Goma", SourceKind.DESCRIBED_INDIVIDUAL, False),
            ("fui", "Des habitants", SourceKind.GROUP, False),
        ],
    ),
    (
        # economy: any verb after a quotation reports
        "La Banque centrale a relevé jeudi ses taux de 0,25 point. « L’inflation reste beaucoup trop élevée », a "
        "justifié sa présidente, Christine Lagarde, lors d’une conférence de presse. La croissance ne dépasserait pas "
        "0,6 % cette année, d’après les dernières projections de l’institution.",
        [
            ("taux", None, SourceKind.OUTLET, False),
            ("inflation", "sa présidente, Christine Lagarde", SourceKind.NAMED_INDIVIDUAL, False),
            ("croissance", "les dernières projections de l’institution", SourceKind.ESTIMATE, True),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NEWS, ids=["justice", "climate", "sport", "health", "economy"])
def test_french_news_on_other_topics(text, expected):
    proposals = propose(text)
    for fragment, source, kind, hedged in expected:
        (p,) = [p for p in proposals if fragment in p.quote]
        assert (p.source if source else None, p.source_kind, p.hedged) == (source, kind, hedged), p
    assert all(text[p.start : p.end] == p.quote for p in proposals)


def test_the_health_relay_names_reuters_as_via():
    text = NEWS[3][0]
    assert the_one(text, "oxygène").via == "l’agence Reuters"


# English --------------------------------------------------------------------------------------------------------


def test_english_reports_get_the_same_reading():
    text = (
        "Algeria's army says it shot down an armed drone near Tin Zaouatine. Rida Lyammouri, a Sahel expert, said "
        "the shooting down was a sign of serious tensions. According to Western estimates, about 2,000 Russian "
        "fighters would have been deployed. The drone was reportedly made in Turkey, a senior official told Reuters. "
        '"This is a hostile act," the foreign ministry said. The border has been closed since April.'
    )
    army, expert, estimate, official, ministry, outlet = propose(text, "en", outlet="AP")
    assert (army.source, army.source_kind, army.verb) == ("Algeria's army", SourceKind.ORGANISATION, "says")
    assert (expert.source, expert.source_kind) == ("Rida Lyammouri, a Sahel expert", SourceKind.NAMED_INDIVIDUAL)
    assert (estimate.source, estimate.source_kind, estimate.hedged) == ("Western estimates", SourceKind.ESTIMATE, True)
    assert estimate.statement == "About 2,000 Russian fighters would have been deployed."
    assert (official.source, official.via, official.hedged) == ("a senior official", "Reuters", True)
    assert (ministry.quote, ministry.mode, ministry.source) == (
        "This is a hostile act",
        Mode.DIRECT_QUOTE,
        "the foreign ministry",
    )
    assert (outlet.mode, outlet.source) == (Mode.OUTLET_VOICE, "AP")


# The anchoring rule: text[start:end] == quote, always ----------------------------------------------------------

FRAGMENTS = [
    "Selon une source, ",
    "«\u00a0Ils sont discrets.\u00a0», affirme un officier. ",
    "les drones seraient arrivés",
    " – selon des estimations – ",
    "Plusieurs sources ont affirmé au Monde que ",
    ", a indiqué à l’AFP un proche.",
    "\n\n",
    "« ",
    " »",
    "(d’après un rapport) ",
    "Le ministre, cité par Reuters, estime que ",
    '"We are ready," said the minister. ',
    "according to officials, ",
    ". ",
    "M. Dupont ",
    "2,5 % ",
]

paragraphs = [paragraph for paragraph in ARTICLE.split("\n") if paragraph.strip()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=12),
    language=st.sampled_from(["fr", "en"]),
)
def test_every_quote_is_its_span_of_generated_text(pieces, language):
    text = "".join(pieces)
    for p in propose_attributions(text, language, outlet="Le Monde"):
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start : p.end] == p.quote


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.integers(0, len(paragraphs) - 1), count=st.integers(1, 4), cut=st.integers(0, 40))
def test_every_quote_is_its_span_of_the_article(first, count, cut):
    text = "\n\n".join(paragraphs[first : first + count])[cut:]
    for p in propose_attributions(text, "fr", outlet="Le Monde"):
        assert text[p.start : p.end] == p.quote


def test_every_quote_is_its_span_of_the_whole_article():
    proposals = propose(ARTICLE)
    assert proposals
    assert all(ARTICLE[p.start : p.end] == p.quote for p in proposals)


# The evaluation ------------------------------------------------------------------------------------------------


def test_the_article_meets_the_targets():
    figures = eval_extraction.evaluate().figures
    assert figures["recall"] >= 0.80
    assert figures["precision"] >= 0.70
    assert figures["source_kind"] >= 0.70
    assert figures["hedged_found_hedged"] == 1.0  # every conditional passage hedged


def test_eval_extraction_prints_the_table():
    out = io.StringIO()
    call_command("eval_extraction", stdout=out)
    text = out.getvalue()
    for metric in ("recall", "precision", "source kind on matches", "hedged references found hedged"):
        assert metric in text
    assert "BELOW" not in text


def test_a_reference_is_found_only_by_a_proposal_naming_the_same_speaker():
    reference = eval_extraction.Reference(
        0, 20, "x" * 20, SourceKind.GROUP, frozenset({"source", "militaire"}), False, "c"
    )
    named = extraction.Proposal(
        "x" * 10, 5, 15, "des sources militaires", SourceKind.GROUP, "", Mode.PARAPHRASE, False, "event", ""
    )
    other = extraction.Proposal(
        "x" * 10, 5, 15, "un diplomate", SourceKind.GROUP, "", Mode.PARAPHRASE, False, "event", ""
    )
    outlet = extraction.Proposal(
        "x" * 10, 5, 15, "Le Monde", SourceKind.OUTLET, "", Mode.OUTLET_VOICE, False, "event", ""
    )
    assert [eval_extraction.same_speaker(p, reference) for p in (named, other, outlet)] == [True, False, False]
    scores = eval_extraction.score([other, named], [reference])
    assert (scores.found, scores.matched_proposals, scores.proposals) == (1, 1, 2)


# The command ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggest_attributions_prints_the_contracts_keys_in_json():
    report = ReportFactory()
    SourceFactory(label="une source", kind=Source.Kind.ANONYMOUS_INDIVIDUAL)
    drones = EntityFactory(name="Africa Corps", aliases="Afrika Korps")
    claim = ClaimFactory(statement="About 2,000 Africa Corps members are in Mali.", original_wording="")
    claim.entities.add(drones)
    out = io.StringIO()
    call_command("suggest_attributions", str(report.pk), "--json", stdout=out)
    proposals = json.loads(out.getvalue())
    assert proposals
    assert all(tuple(p) == CONTRACT_KEYS for p in proposals)
    assert all(report.body[p["start"] : p["end"]] == p["quote"] for p in proposals)
    quoted = next(p for p in proposals if p["mode"] == "direct_quote")
    assert (quoted["source"], quoted["source_kind"], quoted["verb"]) == (
        "une source",
        "anonymous_individual",
        "affirme",
    )
    africa = next(p for p in proposals if "Africa Corps" in p["quote"])
    assert africa["hedged"] and africa["similar_claims"] == [claim.pk]


@pytest.mark.django_db
def test_suggest_attributions_without_json_prints_a_table():
    report = ReportFactory()
    out = io.StringIO()
    call_command("suggest_attributions", str(report.pk), stdout=out)
    assert "proposed attributions" in out.getvalue()
    assert "direct_quote" in out.getvalue()


@pytest.mark.django_db
def test_suggest_attributions_refuses_an_unknown_report():
    with pytest.raises(CommandError, match="No report"):
        call_command("suggest_attributions", "999999", "--json")
