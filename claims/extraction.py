"""Proposed attributions: who says what in a news report, and how surely.

Pure: a report's text and language in, proposals out; no Django. The analyst
checks every proposal before anything is written (the admin's "Propose
attributions" page, `manage.py suggest_attributions`).

How a French report is read (spaCy's `fr_core_news_md`, loaded once per
process, plus rules written here; see STANDARDS.md, "French attribution"):

1. The text is cut into paragraphs (lines) and sentences by rules aware of
   « » and “ ” (the parser's own sentence splits are unreliable around
   guillemets). Headings, bylines, datelines and "Lire aussi" links (lines
   without sentence punctuation) are skipped.
2. A sentence carrying a direct quote gives one proposal per sentence of the
   quote, spoken by the speaker named around it: after it ("», estime un
   officier"), before it ("X a déclaré : «"), or inside it ("…, a-t-il
   ajouté, …"). A quote with nobody named continues the last speaker's.
3. Any other sentence is a paraphrase when it carries an attribution:
   "selon X", "d'après X", "de source X", "à en croire X", "pour X" (a
   person), "X, cité par Y" (Y relays: proposed as `via`), a reporting verb
   with its subject ("X a affirmé à [outlet] que…", either order), a passive
   with an agent ("perçu par X comme"), a document that shows ("une vidéo
   montrant…"), or a reporting verb whose subject is the previous
   sentence's ("Et rappelé que…"). Otherwise it is the outlet's own voice.
   An incise between dashes or brackets that carries its own attribution is
   a proposal of its own.
4. The conditional (`Mood=Cnd`, or a verb whose form is its lemma's future
   stem + -ais/-ait/-aient…, which the tagger misses on "atteindrait")
   marks the proposal hedged.
5. The source's kind is read from its description (document, estimate,
   anonymity, former official, a person's name, observers, groups,
   organisations, media, described individuals) and the source is matched
   to an existing one when its label or description fits.

English reports get the same reading through regular expressions ("according
to X", "X said", "said X", "told Reuters", "quoted by", "would have",
"reportedly"): no English model ships in the package index.

Every proposal is a span of the text: `text[start:end] == quote`, always.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from claims.similarity import fold, words

MODEL = "fr_core_news_md"


def _list(text: str) -> list[str]:
    return text.split()


class SourceKind:
    """The values of `sources.Source.Kind` (a test keeps them in step; this module imports no Django)."""

    OUTLET = "outlet"
    NAMED_INDIVIDUAL = "named_individual"
    ANONYMOUS_INDIVIDUAL = "anonymous_individual"
    DESCRIBED_INDIVIDUAL = "described_individual"
    FORMER_OFFICIAL = "former_official"
    GROUP = "group"
    OBSERVERS = "observers"
    ORGANISATION = "organisation"
    DOCUMENT = "document"
    ESTIMATE = "estimate"


class Mode:
    """The values of `claims.Attribution.Mode`."""

    DIRECT_QUOTE = "direct_quote"
    PARAPHRASE = "paraphrase"
    OUTLET_VOICE = "outlet_voice"


class ClaimKind:
    """The values of `claims.Claim.Kind`."""

    EVENT = "event"
    QUANTITY = "quantity"
    ALLEGATION = "allegation"
    ASSESSMENT = "assessment"
    PREDICTION = "prediction"


# The contract of `suggest_attributions --json`, and of the evaluation: exactly these keys, in this order.
CONTRACT_KEYS = (
    "quote",
    "start",
    "end",
    "source",
    "source_kind",
    "verb",
    "mode",
    "hedged",
    "claim_kind",
    "statement",
    "similar_claims",
)

# An existing source as the matcher sees it: (id, label, kind, description).
ExistingSource = tuple[int, str, str, str]
# Ranks existing claims for a proposal: called with its quote and its draft statement, returns claim ids.
SimilarClaims = Callable[[str, str], list[int]]


@dataclass
class Proposal:
    """One proposed attribution. `as_dict()` gives the contract's keys; `via` and `source_id` ride along
    for the admin's accept page (the relaying outlet as described, the existing source matched)."""

    quote: str
    start: int
    end: int
    source: str
    source_kind: str
    verb: str
    mode: str
    hedged: bool
    claim_kind: str
    statement: str
    similar_claims: list[int] = field(default_factory=list)
    via: str = ""
    source_id: int | None = None

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in CONTRACT_KEYS}


@cache
def nlp():
    """spaCy's French pipeline, loaded once per process (a few seconds). Never downloads: it is a pinned package."""
    import spacy

    return spacy.load(MODEL)


def propose_attributions(
    text: str,
    language: str = "fr",
    *,
    outlet: str = "",
    sources: Sequence[ExistingSource] = (),
    similar: SimilarClaims | None = None,
) -> list[Proposal]:
    """The attributions a report's `text` suggests, in text order.

    `outlet` names the report's publisher: it is the source of the outlet's own voice, and "a affirmé au
    Monde" in Le Monde is first-hand (no `via`). `sources` are the existing sources to match;
    `similar` ranks existing claims for each proposal.
    """
    english = language.lower().startswith("en")
    reader = _EnglishReader(text, outlet) if english else _FrenchReader(text, outlet)
    proposals = reader.read()
    for proposal in proposals:
        assert text[proposal.start : proposal.end] == proposal.quote  # the anchoring rule, never broken
        _match_source(proposal, sources, outlet)
        if similar is not None:
            proposal.similar_claims = list(similar(proposal.quote, proposal.statement))
    return proposals


# --------------------------------------------------------------------------------------------------------------
# Segmentation: paragraphs, sentences, quotes. Offsets are always the original text's.

_SPACES = " \t\r\n\u00a0\u202f\u2009\u2007\u200a\u2002\u2003"
# One character for another, so that offsets survive: the parser reads plain spaces and apostrophes.
_FOR_PARSER = str.maketrans({**dict.fromkeys(_SPACES[1:], " "), "\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_OPENERS = {"«": "»", "“": "”", "‹": "›", '"': '"'}
_CLOSERS = '»”›")'
_END = re.compile(r"[.!?…]+")
_EDGE = _SPACES + ",;:–—-"
_ABBREVIATIONS = frozenset(
    _list(
        "m mm mme mlle mmes dr pr me st ste etc cf av apr ex p pp vol art al gen col lt sgt cpt mr mrs ms jr sr "
        "no nos inc corp ltd co sen rep gov capt prof vs env approx"
    )
)
_BOILERPLATE = re.compile(
    r"^(?:a lire aussi|lire aussi|lire egalement|voir aussi|ecouter aussi|regarder aussi|read more|read also|"
    r"also read|related|see also)\b"
)


def _paragraphs(text: str) -> Iterable[tuple[int, int]]:
    """Each line's trimmed span, headings and boilerplate left out."""
    for line in re.finditer(r"[^\n]+", text):
        start, end = _trim(text, line.start(), line.end(), _SPACES)
        if start >= end:
            continue
        body = text[start:end]
        if not _END.search(body) or _BOILERPLATE.match(fold(body)):
            continue  # a heading, byline, dateline or "Lire aussi" link: no sentence to attribute
        yield start, end


def _trim(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Top-level quotations in text[start:end], as (opening mark, closing mark) offsets.

    A « never closed runs to the end (French quotes over several paragraphs reopen each one).
    """
    spans, stack = [], []
    for i in range(start, end):
        char = text[i]
        if stack and char == _OPENERS[stack[-1][0]]:
            _, opened = stack.pop()
            if not stack:
                spans.append((opened, i))
        elif char in "«“‹" or (char == '"' and _opens_straight(text, i, start, end)):
            stack.append((char, i))
    if stack and stack[0][0] in "«“":
        spans.append((stack[0][1], end))
    return spans


def _opens_straight(text: str, i: int, start: int, end: int) -> bool:
    """A straight " opens a quote when a word follows it and it starts the text or follows a space or bracket."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return (before in _SPACES or before in "([:—–-") and after not in _SPACES


def _boundaries(text: str, start: int, end: int, quotes: Sequence[tuple[int, int]]) -> list[int]:
    """Where sentences end in text[start:end] (offsets just past each), never inside a quotation."""
    cuts, openings = [], {open_ for open_, _ in quotes}
    for match in _END.finditer(text, start, end):
        stop = match.end()
        while True:  # closing marks, and the spaces French puts before them, end the sentence with it
            ahead = stop
            while ahead < end and text[ahead] in "\u00a0\u202f ":
                ahead += 1
            if ahead < end and text[ahead] in _CLOSERS and ahead not in openings:
                stop = ahead + 1
            else:
                break
        if any(open_ < stop - 1 < close for open_, close in quotes):
            continue  # a full stop inside a quotation still open
        following = stop
        while following < end and text[following] in _SPACES:
            following += 1
        if following >= end:
            break
        if following == stop:
            continue  # "1.5", "U.S.": no space, no new sentence
        upcoming = text[following]
        if not (upcoming.isupper() or upcoming.isdigit() or upcoming in '«“"‹(–—-¿¡'):
            continue
        if match.group() == ".":
            word = re.search(r"([^\s.]+)$", text[start : match.start()])
            initial = len(word.group(1)) == 1 and word.group(1).isalpha() if word else False
            if word and (fold(word.group(1)) in _ABBREVIATIONS or initial):
                continue  # "M. Dupont", "J. Smith"
        cuts.append(stop)
    return cuts


@dataclass
class _Unit:
    """A sentence (quotes inside it kept whole) of one paragraph."""

    start: int
    end: int
    paragraph: int
    quotes: list[tuple[int, int]]
    index: int = 0
    doc: object = None  # spaCy Doc of text[start:end], French only

    def tokens(self, start: int, end: int):
        """Tokens of the parse lying within [start, end) of the text."""
        return [tok for tok in self.doc if start <= self.start + tok.idx and self.start + tok.idx + len(tok) <= end]


def _units(text: str) -> list[_Unit]:
    units = []
    for number, (p_start, p_end) in enumerate(_paragraphs(text)):
        quotes = _quote_spans(text, p_start, p_end)
        cuts = [p_start, *_boundaries(text, p_start, p_end, quotes), p_end]
        for lo, hi in pairwise(cuts):
            start, end = _trim(text, lo, hi, _SPACES)
            if start < end:
                inner = [(a, b) for a, b in quotes if start <= a < end]
                units.append(_Unit(start, end, number, inner, index=len(units)))
    return units


def _sentences_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of a quotation's content (its own inner quotes kept whole)."""
    inner = _quote_spans(text, start, end)
    cuts = [start, *_boundaries(text, start, end, inner), end]
    spans = []
    for lo, hi in pairwise(cuts):
        s, e = _trim(text, lo, hi, _EDGE)
        if s < e:
            spans.append((s, e))
    return spans


def _word_count(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


# --------------------------------------------------------------------------------------------------------------
# Lexicons, folded (lower case, no accents). French and English words share the sets where they play one part.


def _folded(words_: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words_.split())


# Verbs that attribute what follows to their subject. The strong ones do so whatever follows them; the
# others only before "que", a colon, or (for verbs of seeing) "en", "dans", "comme": "assurer la sécurité"
# attributes nothing, "assure que" does. After a quotation or a comma ("», assure X") every one counts.
_STRONG = _folded(
    "affirmer estimer dénoncer accuser démentir nier avouer regretter déplorer marteler tonner rétorquer "
    "répliquer ironiser s'insurger insurger indigner alarmer inquiéter féliciter réjouir certifier jurer "
    "témoigner confier soupçonner annoncer confirmer révéler reconnaître"
)
_WEAK = _folded(
    "déclarer dire indiquer expliquer préciser ajouter assurer souligner rappeler raconter reconnaître admettre "
    "confirmer annoncer révéler signaler noter observer relever insister prévenir avertir soutenir prétendre "
    "répondre poursuivre conclure résumer commenter lancer glisser lâcher promettre plaider avancer suggérer "
    "évoquer mentionner écrire rapporter relater garantir répéter réitérer alerter constater souffler détailler "
    "convenir concéder protester proclamer clamer revendiquer nuancer décrire juger considérer analyser penser "
    "croire voir percevoir craindre redouter saluer qualifier douter interroger espérer prédire anticiper "
    "pronostiquer raconter confesser réagir fustiger railler tancer exclamer emporter étonner agacer offusquer "
    "désoler sourire soupirer plaisanter murmurer tempérer relativiser minimiser objecter riposter maintenir "
    "reprendre enchaîner dévoiler souvenir trancher décrypter pester grincer insister justifier défendre"
)
_REPORTING = _STRONG | _WEAK
_OPINION = _folded(
    "estimer juger considérer analyser penser croire voir percevoir craindre redouter regretter déplorer saluer "
    "qualifier douter espérer prédire anticiper pronostiquer"
)
# Verbs of seeing and judging take their complement with "en", "dans", "comme": "voient en X des partenaires".
_SEEING = _folded("voir percevoir considérer juger qualifier décrire présenter")
# Used pronominally these say nothing: "se révèle" (turns out), "se voit", "se confirme", "s'annonce".
_NOT_PRONOMINAL = _folded("révéler voir confirmer annoncer trouver rappeler présenter dire montrer décrire")
_ALLEGING = _folded("accuser dénoncer alléguer soupçonner")
# A passive with an agent attributes: "perçu par plusieurs observateurs comme…", "revendiqué par le groupe".
_AGENT_VERBS = _folded(
    "percevoir considérer juger voir décrire qualifier présenter estimer dénoncer critiquer saluer accuser affirmer "
    "rapporter confirmer démentir annoncer évoquer mentionner signaler révéler évaluer chiffrer documenter "
    "recenser revendiquer attribuer"
)
# What documents do: "une vidéo montrant…", "un rapport révélant…".
_SHOWING = _folded(
    "montrer révéler attester prouver démontrer établir suggérer indiquer documenter témoigner illustrer confirmer "
    "affirmer dénoncer détailler décrire évoquer mentionner recenser"
)
# Relays: "X, cité par Y" — Y is the outlet the words came through.
_RELAY = re.compile(
    r",?\s*\b(?:cit|interrog|interview|contact|sollicit|jointe?s?\b|rapport|relay)\w*\s+par\s+(?P<via>[^,;:()–—]+)",
    re.IGNORECASE,
)
_INTENT = _folded("entendre ambitionner prévoir compter envisager projeter vouloir promettre viser apprêter planifier")

_IRREGULAR = {
    **dict.fromkeys(_list("dit dits dite dites disent disait disaient dira diront dirait diraient disant"), "dire"),
    **dict.fromkeys(_list("voit voient voyait voyaient vu vue vus vues verra voyant"), "voir"),
    **dict.fromkeys(_list("percoit percoivent percevait percu percue percus percues"), "percevoir"),
    **dict.fromkeys(_list("reconnait reconnaissent reconnaissait reconnu reconnue reconnus"), "reconnaitre"),
    **dict.fromkeys(_list("admet admettent admettait admis admise"), "admettre"),
    **dict.fromkeys(_list("soutient soutiennent soutenait soutenu soutenue"), "soutenir"),
    **dict.fromkeys(_list("previent previennent prevenait prevenu"), "prevenir"),
    **dict.fromkeys(_list("promet promettent promettait promis promise"), "promettre"),
    **dict.fromkeys(_list("craint craignent craignait craignaient"), "craindre"),
    **dict.fromkeys(_list("croit croient croyait croyaient cru"), "croire"),
    **dict.fromkeys(_list("ecrit ecrivent ecrivait ecrite ecrits"), "ecrire"),
    **dict.fromkeys(_list("conclut concluent concluait conclu"), "conclure"),
    **dict.fromkeys(_list("decrit decrivent decrivait decrite decrits"), "decrire"),
    **dict.fromkeys(_list("pretend pretendent pretendait pretendu"), "pretendre"),
    **dict.fromkeys(_list("repond repondent repondait repondu"), "repondre"),
    **dict.fromkeys(_list("poursuit poursuivent poursuivait poursuivi"), "poursuivre"),
    **dict.fromkeys(_list("convient conviennent convenait convenu"), "convenir"),
    **dict.fromkeys(_list("dement dementent dementait dementi"), "dementir"),
    **dict.fromkeys(_list("avertit avertissent avertissait averti"), "avertir"),
}
_VERB_SUFFIXES = (
    ("eraient", "er"),
    ("erait", "er"),
    ("eront", "er"),
    ("era", "er"),
    ("aient", "er"),
    ("ait", "er"),
    ("issant", "ir"),
    ("issent", "ir"),
    ("ant", "er"),
    ("ent", "er"),
    ("ees", "er"),
    ("es", "er"),
    ("ee", "er"),
    ("e", "er"),
    ("a", "er"),
    ("er", "er"),
    ("it", "ir"),
    ("is", "ir"),
    ("ie", "ir"),
    ("i", "ir"),
)


def _lemma_of(word: str, hint: str = "") -> str:
    """The reporting verb a word is a form of ("ont affirmé" → affirmer), or "" when it is none."""
    form = re.sub(r"-(?:t-)?(?:il|elle|ils|elles|on)$", "", fold(word))
    if form in _IRREGULAR:
        return _IRREGULAR[form]
    known = _REPORTING | _AGENT_VERBS | _SHOWING | _INTENT
    if fold(hint) in known:
        return fold(hint)
    for suffix, ending in _VERB_SUFFIXES:
        if form.endswith(suffix) and form[: -len(suffix)] + ending in known:
            return form[: -len(suffix)] + ending
    return ""


# Heads of source descriptions. French heads come first in their phrase, English ones last.
_DOCUMENTS = _folded(
    "vidéo rapport document image photo photographie enregistrement note communiqué courrier lettre étude enquête "
    "message publication tweet post mémo câble procès-verbal texte film documentaire audio extrait archive dossier "
    "fichier courriel mail email bulletin circulaire décret résolution déclaration analyse données "
    "video report footage recording statement letter memo study survey cable transcript filing"
)
_ESTIMATES = _folded(
    "estimation projection évaluation calcul prévision chiffre décompte bilan comptage sondage statistique "
    "recensement extrapolation estimate projection figure count tally poll"
)
_OBSERVERS = _folded(
    "observateur analyste expert spécialiste chercheur politologue économiste commentateur sociologue historien "
    "universitaire éditorialiste consultant géopoliticien observer analyst expert specialist researcher scholar "
    "academic commentator economist"
)
_VAGUE = _folded("source connaisseur interlocuteur personne quelqu'un informateur initié insider")
_PEOPLE = _folded(
    "responsable officier gradé diplomate fonctionnaire conseiller cadre militaire soldat policier gendarme membre "
    "élu porte-parole ministre président directeur chef commandant général colonel capitaine lieutenant député "
    "sénateur maire gouverneur préfet juge procureur avocat médecin infirmier enseignant habitant témoin "
    "journaliste négociateur homme femme dirigeant leader émissaire envoyé ambassadeur agent enquêteur combattant "
    "rebelle syndicaliste militant activiste opposant partisan collaborateur employé salarié ingénieur pilote "
    "officiel attaché secrétaire proche parent voisin réfugié survivant victime commerçant entrepreneur patron "
    "industriel sources témoignage entourage résident riverain familier "
    "official officer spokesman spokeswoman spokesperson minister diplomat adviser advisor aide commander general "
    "colonel soldier lawmaker senator governor mayor judge prosecutor lawyer resident witness journalist "
    "negotiator leader envoy ambassador agent investigator fighter rebel activist member employee engineer pilot "
    "secretary relative neighbour refugee survivor victim businessman person people insider"
)
_ORGANISATIONS = _folded(
    "gouvernement ministère armée état-major présidence ambassade ong organisation agence société entreprise groupe "
    "compagnie firme parti syndicat police gendarmerie parquet tribunal justice autorités onu ue otan banque fmi "
    "institut mairie préfecture commission conseil comité collectif association fédération coalition alliance "
    "junte régime administration services renseignement kremlin élysée pentagone état opérateur constructeur "
    "fabricant fournisseur laboratoire hôpital université fondation mouvement front brigade bataillon forces douane "
    "cour assemblée sénat parlement municipalité industriels académie "
    "government ministry army military agency company firm group party union police court tribunal council "
    "committee commission coalition alliance junta regime administration office department authorities navy "
    "academy institute university foundation bank corporation"
)
_MEDIA = _folded(
    "journal quotidien hebdomadaire chaîne radio télévision magazine média presse afp reuters ap bloomberg "
    "anadolu xinhua tass efe dpa ansa bbc rfi cnn newspaper broadcaster outlet wire"
)
_DETERMINERS = _folded(
    "un une des de du d le la les l ce cet cette ces son sa ses leur leurs plusieurs certains certaines quelques "
    "nombreux nombreuses divers diverses autres autre deux trois quatre cinq six dix tout tous toutes haut haute "
    "hauts hautes bon bonne bons bonnes fin fine principal principale principaux principales grand grande grands "
    "grandes même mêmes seul seule dernier dernière derniers dernières nouveau nouvelle nouveaux nouvelles premier "
    "première premiers premières récent récente récents récentes a an the some several many other others two "
    "three four senior top high-ranking high ranking well-placed"
)
_PLURAL_DETERMINERS = _folded(
    "des les plusieurs certains certaines quelques nombreux nombreuses divers diverses autres deux trois quatre "
    "cinq six dix ces leurs several some many other two three four"
)
_FORMER = _folded("ancien ancienne anciens anciennes ex former")
_ANONYMITY = re.compile(
    r"anonymat|anonyme|sous couvert|(?:etre|soit) (?:nomme|identifie|cite)|anonymity|not to be (?:named|identified)|"
    r"not authori[sz]ed to speak|declined to be named|on condition"
)
_PRONOUNS = _folded("il elle ils elles on lui eux celui-ci celle-ci ceux-ci celles-ci he she they him them")
# A person's name: two capitalised words or more, the first no article ("Le Canard enchaîné" is none)
_NAME = re.compile(
    r"\b(?!(?:Le|La|Les|L|Un|Une|Des|Du|De|The|A|An|Selon|Pour|En|Au|Aux)\b)[A-ZÀ-Ý][a-zà-ÿı'’-]+"
    r"(?:\s+(?:[A-ZÀ-Ý][a-zà-ÿı'’-]+|[A-Z]\.))+"
)
_CAPITALISED = re.compile(r"^[A-ZÀ-Ý]")


def _words_of(description: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", fold(description))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss") else word


_FEMININE = (
    ("trice", "teur"),
    ("rice", "eur"),
    ("euse", "eur"),
    ("iere", "ier"),
    ("enne", "en"),
    ("ette", "et"),
    ("ive", "if"),
    ("e", ""),
)


def _masculines(word: str) -> list[str]:
    """The masculine forms a feminine noun may have ("infirmières" → "infirmier")."""
    forms = []
    for form in (word, _singular(word)):
        forms += [form[: -len(feminine)] + masculine for feminine, masculine in _FEMININE if form.endswith(feminine)]
    return forms


def _in(word: str, lexicon: frozenset[str]) -> bool:
    """Whether a word or its singular is in the lexicon."""
    return word in lexicon or _singular(word) in lexicon


def _observer(word: str) -> bool:
    """An analyst's noun: listed, or any "-logue", "-ologiste", "-ologist" ("climatologues")."""
    return _in(word, _OBSERVERS) or bool(re.search(r"(?:logue|logiste|ologist)s?$", word))


def source_kind(description: str, *, english: bool = False, person: bool = False, opinion: bool = False) -> str:
    """The kind of source a description names (a `Source.Kind` value).

    `person`: the description holds a person's name (an entity the parser found); `opinion`: its verb gives
    a reading, not a fact (several sources that "voient en…" are observers, that "ont affirmé que…" a group).
    """
    folded = fold(description)
    if folded in _PRONOUNS:
        return (
            SourceKind.GROUP if folded in {"ils", "elles", "eux", "they", "them"} else SourceKind.DESCRIBED_INDIVIDUAL
        )
    core = re.split(r"[,(]|\bqui\b|\bwho\b", description)[0]
    if english:
        core = re.split(r"\b(?:of|at|for|from|in|with|who|which)\b", core)[0]
    tokens = _words_of(core)
    content = [word for word in tokens if word not in _DETERMINERS and word not in _FORMER]
    # English heads come last in their phrase ("Mali's army"), French ones first ("un officier malien")
    head = next((word for word in reversed(content) if word != "s"), "") if english else next(iter(content), "")
    before_head = tokens[: tokens.index(head)] if head in tokens else tokens
    plural = (
        any(word in _PLURAL_DETERMINERS for word in before_head) or (head.endswith(("s", "x")) and head != "s")
    ) and head not in _VAGUE
    # a name of the speaker's own, not of the one it belongs to ("un proche de Marie Dupont" names nobody)
    own = re.sub(r"\b(?:de|du|des|d['’]|of)\s+[^,]*", "", description)
    named = person or bool(_NAME.search(own))

    lexicons = (_DOCUMENTS, _ESTIMATES, _MEDIA, _OBSERVERS, _VAGUE, _PEOPLE, _ORGANISATIONS)
    if head and not any(_in(head, lexicon) for lexicon in lexicons) and not _observer(head):
        # "infirmière", "experte", "chercheuse": a person's noun in the feminine
        people = _OBSERVERS | _VAGUE | _PEOPLE
        head = next((form for form in _masculines(head) if form in people), head)
    if _ANONYMITY.search(folded):
        return SourceKind.GROUP if plural else SourceKind.ANONYMOUS_INDIVIDUAL
    if _in(head, _DOCUMENTS):
        return SourceKind.DOCUMENT
    if _in(head, _ESTIMATES):
        return SourceKind.ESTIMATE
    if any(word in _FORMER for word in tokens) or any(word.startswith("ex-") for word in tokens):
        if named:
            return SourceKind.NAMED_INDIVIDUAL
        return SourceKind.FORMER_OFFICIAL
    if _in(head, _MEDIA) or (head in {"agence", "agency", "groupe", "site"} and any(w in _MEDIA for w in content[1:3])):
        return SourceKind.OUTLET
    if named and not _in(head, _ORGANISATIONS):
        return SourceKind.NAMED_INDIVIDUAL
    if _observer(head):
        return SourceKind.OBSERVERS
    if any(_in(word, _ORGANISATIONS) for word in content) and not _in(head, _PEOPLE | _VAGUE):
        return SourceKind.ORGANISATION
    if _in(head, _VAGUE) or _in(head, _PEOPLE):
        if plural:
            return SourceKind.OBSERVERS if opinion else SourceKind.GROUP
        if _in(head, _VAGUE):
            return SourceKind.ANONYMOUS_INDIVIDUAL
        return SourceKind.DESCRIBED_INDIVIDUAL
    original = [word for word in re.findall(r"[^\W\d_]+", core) if fold(word) not in _DETERMINERS]
    if original and _CAPITALISED.match(original[0]):
        # "Ankara a démenti", "Washington said": a capital or a country speaking is its government
        return SourceKind.ORGANISATION
    return SourceKind.DESCRIBED_INDIVIDUAL


def _speakerish(description: str, english: bool = False) -> bool:
    """Whether a phrase can name a speaker (a person, a group, an organisation, a document): not "la sécurité"."""
    folded = fold(description).strip()
    if not folded or len(folded.split()) > 30:
        return False
    if folded in _PRONOUNS or _NAME.search(description) or _CAPITALISED.match(description.strip()):
        return True
    if any(_CAPITALISED.match(word) and fold(word) not in _MONTHS for word in re.findall(r"[^\W\d_]+", description)):
        return True  # a proper noun: "les Chabab"
    lexicon = _DOCUMENTS | _ESTIMATES | _OBSERVERS | _VAGUE | _PEOPLE | _ORGANISATIONS | _MEDIA
    core = re.split(r"[,(]", description)[0]
    return any(_in(word, lexicon) or _observer(word) for word in _words_of(core)[:8])


# --------------------------------------------------------------------------------------------------------------
# Hedging and the kind of claim

_FUTURE_STEMS = (
    # (the lemma ends with, its future stem ends with): irregular futures and their compounds
    ("etre", "ser"),
    ("avoir", "aur"),
    ("pouvoir", "pourr"),
    ("devoir", "devr"),
    ("aller", "ir"),
    ("faire", "fer"),
    ("vouloir", "voudr"),
    ("venir", "viendr"),
    ("tenir", "tiendr"),
    ("cevoir", "cevr"),
    ("savoir", "saur"),
    ("falloir", "faudr"),
    ("valoir", "vaudr"),
    ("envoyer", "enverr"),
    ("mourir", "mourr"),
    ("courir", "courr"),
    ("querir", "querr"),
    ("asseoir", "assier"),
)
_CONDITIONAL_ENDINGS = ("ais", "ait", "aient", "ions", "iez")
_COMMON_CONDITIONALS = _folded(
    "serait seraient aurait auraient pourrait pourraient devrait devraient faudrait voudrait voudraient irait "
    "iraient ferait feraient viendrait viendraient"
)


def _future_stem(lemma: str) -> str:
    for ending, stem in _FUTURE_STEMS:
        if lemma.endswith(ending) and not (ending == "voir" and lemma != "voir"):
            return lemma[: -len(ending)] + stem
    if lemma in {"voir", "revoir", "entrevoir"}:
        return lemma[:-4] + "verr"
    if lemma.endswith("re"):
        return lemma[:-1]
    return lemma


def is_conditional(word: str, lemma: str = "", morph: str = "") -> bool:
    """The French conditional: the tagger's `Mood=Cnd`, or the form built on the lemma's future stem
    ("atteindrait" from "atteindre", which the tagger reads as an imperfect)."""
    if "Mood=Cnd" in morph:
        return True
    form = fold(word)
    if form in _COMMON_CONDITIONALS:
        return True
    if not lemma or not form.endswith(("rais", "rait", "raient", "rions", "riez")):
        return False
    stem = _future_stem(fold(lemma))
    return any(form == stem + ending for ending in _CONDITIONAL_ENDINGS)


_ENGLISH_HEDGES = re.compile(
    r"\b(?:would have|would be|reportedly|allegedly|purportedly|supposedly|(?:is|are|was|were) (?:said|believed|"
    r"thought|reported|alleged) to|may have|might have|could have)\b",
    re.IGNORECASE,
)
_APPROXIMATORS = _folded(
    "environ près quelque quelques plus moins quasi presque about around nearly almost roughly over"
)
_COUNTS = _folded(
    "dizaine dizaines centaine centaines millier milliers million millions milliard milliards quinzaine vingtaine "
    "trentaine dozens hundreds thousands millions billions"
)
_NUMBERS = _folded(
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente quarante "
    "cinquante soixante cent cents mille two three four five six seven eight nine ten eleven twelve twenty thirty "
    "forty fifty hundred thousand"
)
_MONTHS = _folded(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre january february march "
    "april may june july august september october november december"
)


def _has_quantity(text: str) -> bool:
    """A number that counts or measures something: not a year, not a day of a date."""
    folded = fold(text)
    tokens = re.findall(r"\d+(?:[\s\u00a0\u202f.,]\d{3})*(?:[.,]\d+)?|%|[a-z]+", folded)
    for i, token in enumerate(tokens):
        if token[0].isdigit():
            value = re.sub(r"\D", "", token)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if len(value) == 4 and 1800 <= int(value) <= 2100 and not re.search(r"\d[\s\u00a0\u202f]\d", token):
                continue  # a year
            if nxt in _MONTHS or (i and tokens[i - 1] in _MONTHS):
                continue  # a day
            return True
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _COUNTS or (token in _APPROXIMATORS and (following[:1].isdigit() or following in _NUMBERS)):
            return True
    return False


def _claim_kind(*, prediction: bool, hedged: bool, quantity: bool, alleging: bool, opinion: bool) -> str:
    if prediction:
        return ClaimKind.PREDICTION
    if quantity:
        return ClaimKind.QUANTITY
    if hedged or alleging:
        return ClaimKind.ALLEGATION
    if opinion:
        return ClaimKind.ASSESSMENT
    return ClaimKind.EVENT


def _statement(text: str, start: int, end: int, cut: Sequence[tuple[int, int]] = ()) -> str:
    """A draft plain statement: the passage without its attribution, one line, a capital, a full stop.
    Left in the report's language: the analyst words the claim."""
    pieces, position = [], start
    for lo, hi in sorted(cut):
        if lo >= position and hi <= end:
            pieces.append(text[position:lo])
            position = hi
    pieces.append(text[position:end])
    plain = re.sub(r"\s+", " ", " ".join(pieces).translate(_FOR_PARSER))
    plain = re.sub(r"\s+([,.;:!?…])", r"\1", plain)
    plain = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", plain)
    plain = plain.strip(' ,;:–—-«»“”"')
    plain = re.sub(r"[,;:–—-]+\s*([.!?…]*)$", r"\1", plain).strip()
    if not plain:
        return ""
    plain = plain[0].upper() + plain[1:]
    return plain if plain[-1] in ".!?…" else plain + "."


# --------------------------------------------------------------------------------------------------------------
# Matching an existing source


def _match_source(proposal: Proposal, sources: Sequence[ExistingSource], outlet: str) -> None:
    """Point the proposal at the existing source it names, when one fits; that source's kind then wins."""
    best, best_score = None, 0
    if proposal.mode == Mode.OUTLET_VOICE:
        for pk, label, kind, _ in sources:
            if kind == SourceKind.OUTLET and outlet and fold(label).strip() == fold(outlet).strip():
                best = (pk, kind)
                break
    else:
        said = fold(proposal.source).strip()
        said_words = words(proposal.source)
        for pk, label, kind, description in sources:
            if kind == SourceKind.OUTLET and proposal.source_kind != SourceKind.OUTLET:
                continue
            label_words, description_words = words(label), words(description)
            if said and said in {fold(label).strip(), fold(description).strip()}:
                score = 100
            elif len(label_words) >= 2 and label_words <= said_words:
                score = len(label_words)
            elif len(said_words) >= 2 and said_words <= description_words:
                score = len(said_words)
            else:
                continue
            if score > best_score:
                best, best_score = (pk, kind), score
    if best is not None:
        proposal.source_id, proposal.source_kind = best


# --------------------------------------------------------------------------------------------------------------
# Reading a report


@dataclass
class _Said:
    """Who says a passage, as a rule found it."""

    description: str  # as written in the report
    verb: str = ""  # as written: "ont affirmé", "selon", "estime"
    lemma: str = ""  # the reporting verb, folded ("affirmer"); English: the verb as written, folded
    via: str = ""
    cut: list[tuple[int, int]] = field(default_factory=list)  # the attribution's own words, left out of the statement
    statement_from: int | None = None  # the statement starts here (after "que")
    kind: str | None = None  # a rule's own verdict (a document); otherwise read from the description
    person: bool = False  # the description holds a person's name
    opinion: bool = False  # a reading ("estime", "voient en"), not a fact
    alleging: bool = False  # "accuse", "dénonce"


_SINGULAR_PERSONS = frozenset(
    {
        SourceKind.NAMED_INDIVIDUAL,
        SourceKind.DESCRIBED_INDIVIDUAL,
        SourceKind.ANONYMOUS_INDIVIDUAL,
        SourceKind.FORMER_OFFICIAL,
    }
)
_PLURAL_PERSONS = frozenset({SourceKind.GROUP, SourceKind.OBSERVERS})
# "selon nos informations": the outlet's own reporting
_OWN_REPORTING = re.compile(
    r"(?:nos|notre) (?:informations?|constatations?|calculs|decomptes?|enquetes?)\b"
    r"|our (?:own )?(?:information|reporting|count|tally)\b"
)
_STOP = re.compile(r",(?!\d)|[;:()–—]|\s-\s|[.!?…](?=[\s»”\"]|$)")  # "7,9 %", "2,000" go on


class _Reader:
    """What French and English share: units, quotes and their speakers, pieces, proposals."""

    english = False
    _CUE: re.Pattern  # an attribution inside an incise: "– …, selon des estimations –"
    _RELAY: re.Pattern

    def __init__(self, text: str, outlet: str):
        self.text, self.outlet = text, outlet
        self.units = _units(text)
        self.speakers: list[tuple[int, _Said, str]] = []  # (unit index, who, kind): the recent speakers

    # hooks -------------------------------------------------------------------------------------------------
    def prepare(self) -> None:
        pass

    def speaker_after(self, unit: _Unit, position: int) -> _Said | None:
        raise NotImplementedError

    def speaker_before(self, unit: _Unit, position: int) -> _Said | None:
        raise NotImplementedError

    def incise_in_quote(self, unit: _Unit, lo: int, hi: int) -> tuple[int, int, _Said] | None:
        raise NotImplementedError

    def attribution(self, unit: _Unit, start: int, end: int) -> _Said | None:
        raise NotImplementedError

    def hedged(self, unit: _Unit, start: int, end: int) -> bool:
        raise NotImplementedError

    def prediction(self, unit: _Unit, start: int, end: int) -> bool:
        raise NotImplementedError

    def finite_verb_in(self, unit: _Unit, start: int, end: int) -> bool:
        raise NotImplementedError

    # the reading -------------------------------------------------------------------------------------------
    def read(self) -> list[Proposal]:
        self.prepare()
        proposals = []
        for unit in self.units:
            direct = self.direct_quotes(unit) if unit.quotes else None
            if direct is not None:
                proposals.extend(direct)
                continue
            for start, end in self.pieces(unit):
                said = self.attribution(unit, start, end)
                proposal = self.propose(unit, start, end, said, Mode.PARAPHRASE if said else Mode.OUTLET_VOICE)
                if proposal is not None:
                    proposals.append(proposal)
        return proposals

    def direct_quotes(self, unit: _Unit) -> list[Proposal] | None:
        """Proposals for the sentences of the unit's quotations, or None when they are not direct quotes."""
        text = self.text
        quotes = [(lo, hi) for lo, hi in unit.quotes if _word_count(text[lo + 1 : hi]) >= 4]
        if not quotes:
            return None
        said = None
        if quotes[-1][1] < unit.end:
            said = self.speaker_after(unit, quotes[-1][1] + 1)
        if said is None and quotes[0][0] > unit.start:
            said = self.speaker_before(unit, quotes[0][0])
        contents = []
        for lo, hi in quotes:
            incise = self.incise_in_quote(unit, lo + 1, hi)
            if incise is None:
                contents.append((lo + 1, hi))
                continue
            cut_lo, cut_hi, incise_said = incise
            said = said or incise_said
            contents += [(lo + 1, cut_lo), (cut_hi, hi)]
        if said is None:
            outside = _word_count(text[unit.start : quotes[0][0]]) + _word_count(text[quotes[-1][1] + 1 : unit.end])
            if outside > 2:
                return None  # a quotation inside a sentence that names nobody: read the sentence
            left_open = text[quotes[-1][1] : quotes[-1][1] + 1] not in ("»", "”", '"')
            said = (self.speaker_ahead(unit) if left_open else None) or self.continued_speaker(unit)
            if said is None:
                return None
        proposals = []
        for lo, hi in contents:
            for start, end in _sentences_of(text, lo, hi):
                proposal = self.propose(unit, start, end, said, Mode.DIRECT_QUOTE)
                if proposal is not None:
                    proposals.append(proposal)
        return proposals

    def speaker_ahead(self, unit: _Unit) -> _Said | None:
        """A quotation left open at the end of its paragraph goes on in the next ones (French typography reopens
        it with « on each): its speaker is named where it closes."""
        for later in self.units[unit.index + 1 : unit.index + 8]:
            if not later.quotes or later.quotes[0][0] != later.start:
                return None
            close = later.quotes[-1][1]
            if self.text[close : close + 1] in ("»", "”", '"'):
                return self.speaker_after(later, close + 1) if close + 1 < later.end else None
        return None

    def continued_speaker(self, unit: _Unit) -> _Said | None:
        """A quotation on its own goes on with the speaker quoted just before (within three sentences)."""
        for index, said, _ in reversed(self.speakers):
            if unit.index - index <= 3:
                return _Said(said.description, person=said.person, kind=said.kind, opinion=said.opinion)
        return None

    def pieces(self, unit: _Unit) -> list[tuple[int, int]]:
        """The unit, or its parts around an incise (between dashes or brackets) carrying its own attribution."""
        text = self.text
        for opener, closer in ((r"[–—]", r"[–—]"), (r"\s-\s", r"\s-\s"), (r"\(", r"\)")):
            for match in re.finditer(rf"(?:{opener})(?P<inner>[^–—()]+?)(?:{closer}|$)", text[unit.start : unit.end]):
                lo, hi = unit.start + match.start("inner"), unit.start + match.end("inner")
                if self._CUE.search(text, lo, hi) and not self.quoted(unit, lo):
                    return [(unit.start, lo - 1), (lo, hi), (min(hi + 1, unit.end), unit.end)]
        return [(unit.start, unit.end)]

    def quoted(self, unit: _Unit, position: int) -> bool:
        return any(lo < position < hi for lo, hi in unit.quotes)

    def propose(self, unit: _Unit, start: int, end: int, said: _Said | None, mode: str) -> Proposal | None:
        text = self.text
        edge = _EDGE + '«»“”‹›"' if mode == Mode.DIRECT_QUOTE else _EDGE
        start, end = _trim(text, start, end, edge)
        if mode != Mode.DIRECT_QUOTE and end < len(text) and text[end] in ".!?…" and end + 1 <= unit.end:
            end += 1  # keep the sentence's full stop
        quote = text[start:end]
        if _word_count(quote) < 3 or quote.rstrip('»”" \u00a0').endswith("?"):
            return None  # too short to assert anything, or a question
        hedged = self.hedged(unit, start, end)
        if said is None:
            source, kind, verb, cut, statement_from, via = self.outlet, SourceKind.OUTLET, "", [], start, ""
        else:
            said = self.relayed(self.resolve(unit, said))
            source, verb, cut, via = said.description, said.verb, said.cut, said.via
            kind = said.kind or source_kind(
                said.description, english=self.english, person=said.person, opinion=said.opinion
            )
            statement_from = (
                said.statement_from if said.statement_from and start <= said.statement_from < end else start
            )
            self.speakers.append((unit.index, said, kind))
        claim_kind = _claim_kind(
            prediction=self.prediction(unit, start, end),
            hedged=hedged,
            quantity=_has_quantity(quote),
            alleging=bool(said and said.alleging),
            opinion=bool(said and said.opinion),
        )
        return Proposal(
            quote=quote,
            start=start,
            end=end,
            source=source,
            source_kind=kind,
            verb=verb,
            mode=mode,
            hedged=hedged,
            claim_kind=claim_kind,
            statement=_statement(text, statement_from, end, cut),
            via=via,
        )

    def resolve(self, unit: _Unit, said: _Said) -> _Said:
        """A pronoun ("a-t-il ajouté", "selon lui") speaks for the last speaker named, within three sentences."""
        pronoun = fold(said.description).strip()
        if pronoun not in _PRONOUNS | {"ce dernier", "cette derniere", "the latter"}:
            return said
        # "il" stands for a person, "ils" for several: never for a document, an estimate or an organisation
        plural = pronoun in {"ils", "elles", "eux", "they", "them"}
        persons = _PLURAL_PERSONS if plural else _SINGULAR_PERSONS
        for index, earlier, kind in reversed(self.speakers):
            if unit.index - index <= 3 and fold(earlier.description) not in _PRONOUNS and kind in persons:
                return _Said(
                    earlier.description,
                    verb=said.verb,
                    lemma=said.lemma,
                    via=said.via or earlier.via,
                    cut=said.cut,
                    statement_from=said.statement_from,
                    kind=kind,
                    person=earlier.person,
                    opinion=said.opinion,
                    alleging=said.alleging,
                )
        earlier = self.antecedent(unit)
        if earlier is not None:
            description, person = earlier
            return _Said(
                description,
                verb=said.verb,
                lemma=said.lemma,
                via=said.via,
                cut=said.cut,
                statement_from=said.statement_from,
                person=person,
                opinion=said.opinion,
                alleging=said.alleging,
            )
        return said

    def antecedent(self, unit: _Unit) -> tuple[str, bool] | None:
        """Who a pronoun may stand for when no speaker was quoted just before: the subject of the sentence
        before, when it names a person (French only: it needs the parse)."""
        return None

    def via(self, phrase: str) -> str:
        """The relaying outlet, unless it is the report's own ("a affirmé au Monde", in Le Monde)."""
        phrase = phrase.strip(" ,.;:")
        if not phrase or (self.outlet and words(phrase) and words(phrase) <= words(self.outlet)):
            return ""
        return phrase

    def relayed(self, said: _Said) -> _Said:
        """ "X, cité par Y": X speaks, Y relays."""
        match = self._RELAY.search(said.description)
        if match and match.start() > 0 and self.outletish(match.group("via")):
            said.via = said.via or self.via(match.group("via"))
            said.description = said.description[: match.start()].rstrip(" ,")
        return said

    @staticmethod
    def outletish(phrase: str) -> bool:
        """A publisher: a capitalised name or a media word ("joint par téléphone" names none)."""
        core = [word for word in re.findall(r"[^\W\d_]+", phrase) if fold(word) not in _DETERMINERS]
        return bool(core) and (bool(_CAPITALISED.match(core[0])) or any(_in(fold(word), _MEDIA) for word in core))

    def described(self, start: int, end: int) -> tuple[int, int]:
        return _trim(self.text, start, end, _EDGE + ".!?…")

    def phrase_end(self, unit: _Unit, start: int, end: int, *, at_start: bool) -> int:
        """Where a source's description that begins at `start` ends: at the first stop, or past an apposition
        ("selon Jean Dupont, porte-parole du parti, …"), a relative ("…, qui a requis l'anonymat") or a relay."""
        text = self.text
        match = _STOP.search(text, start, end)
        stop = match.start() if match else end
        extended = False
        while stop < end and text[stop] == ",":
            following = _STOP.search(text, stop + 1, end)
            further = following.start() if following else end
            chunk = fold(text[stop + 1 : further]).strip()
            if re.match(
                r"(?:qui|dont|lequel|laquelle|devenue?s?|cit|interrog|joint|contact|who|quoted|cited)\b", chunk
            ):
                stop = further
                continue
            if (
                at_start
                and not extended
                and further < end
                and text[further] == ","
                and 0 < _word_count(chunk) <= 12
                and not self.finite_verb_in(unit, stop + 1, further)
                and self.finite_verb_in(unit, further + 1, end)
            ):
                stop, extended = further, True
                continue
            break
        return stop


# French ------------------------------------------------------------------------------------------------------

_PRONOUN_FR = r"(?:il|elle|ils|elles|on)"
_TAIL_FR = re.compile(
    rf"\s*(?P<group>(?:s['’]|se\s+)?(?:(?:a|ont|avait|avaient|aurait|auraient|est|sont|était|étaient)"
    rf"(?:-t-{_PRONOUN_FR}|-{_PRONOUN_FR})?\s+)?(?P<verb>[^\W\d_]+)(?:-t-{_PRONOUN_FR}|-{_PRONOUN_FR})?)(?![\w'’-])",
    re.IGNORECASE,
)
_INVERTED_PRONOUN = re.compile(rf"-(?:t-)?({_PRONOUN_FR})\b", re.IGNORECASE)
_TO_OUTLET = re.compile(
    r"\s*(?:à|au|aux)\s+(?P<outlet>(?:l['’]|la\s+|le\s+|les\s+)?(?:(?:agence|journal|quotidien|hebdomadaire|chaîne|"
    r"radio|télévision|magazine|site|antenne|micro)\s+(?:de\s+|d['’])?)?[A-Z0-9][\w&.'’-]*(?:\s+[A-Z0-9][\w&.'’-]*)*)"
)
_ACCORDING_FR = re.compile(
    r"(?<![\w'’])(?:selon|d['’]apr[eè]s|[àa] en croire|si l['’]on en croit|aux dires d(?:e\s+|['’])|"
    r"de l['’]avis d(?:e\s+|['’])|de(?=\s+sources?\s+(?!ind[ée]pendante)[a-zà-ÿ]))\s*",
    re.IGNORECASE,
)
_AS_SAID_FR = re.compile(
    r"\bcomme\s+(?:l['’](?:a|ont|avait|avaient)\s+|le\s+|la\s+|les\s+|l['’])(?P<verb>[^\W\d_]+)\s+", re.IGNORECASE
)
_FOR_PERSON_FR = re.compile(r"(?:(?:et|mais|or)\s+)?(?:pour|aux yeux d(?:e\s+|['’]|u\s+|es\s+))", re.IGNORECASE)
_AGENT_FR = re.compile(r"\b(?P<verb>[^\W\d_]+)\s+(?P<par>par)\s+", re.IGNORECASE)
_NOT_AGENTS = re.compile(r"(?:la suite|ailleurs|exemple|consequent|contre|moments|endroits|rapport a)\b")
_ELIDED_FR = re.compile(
    r"(?:(?:et|mais|puis)\s+)?(?:(?:a|ont|avait|avaient)\s+)?(?:(?:aussi|également|encore)\s+)?"
    r"(?P<verb>[^\W\d_]+)\s+(?:qu['’]|que\b|:)",
    re.IGNORECASE,
)
_OPENING_PHRASE = re.compile(
    r"(?:un|une|des|le|la|les|l['’]|plusieurs|certains|certaines|deux|trois|quelques|[A-ZÀ-Ý][\w'’-]+\s+[A-ZÀ-Ý])\b",
    re.IGNORECASE,
)
_DAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|avant-hier)"
# "…, a annoncé le parquet dimanche soir", "…, a précisé le ministère dans un communiqué": the speaker ends before
_TRAILING_CIRCUMSTANCE = re.compile(
    rf"\s+(?:{_DAYS}(?:\s+(?:matin|midi|soir|après-midi))?|ce (?:matin|soir|week-end)|"
    r"(?:le\s+)?\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre)|dans (?:un|une|son|sa) (?:communiqué|entretien|interview|déclaration|message|tweet)|lors d['’e]|"
    r"à l['’]issue d|devant (?:la presse|les journalistes|des journalistes))\b.*$",
    re.IGNORECASE,
)
_GERUND_CLAUSE = re.compile(r",\s+(?:avant|après|tout en|en [^\W\d_]+ant\b|[^\W\d_]+ant\b|et\s|mais\s|car\s|lors\s)")


class _FrenchReader(_Reader):
    _CUE = re.compile(r"\b(?:selon|d['’]après|de sources?|à en croire|aux dires|cités?\s+par)\b", re.IGNORECASE)
    _RELAY = _RELAY

    def prepare(self) -> None:
        texts = [self.text[unit.start : unit.end].translate(_FOR_PARSER) for unit in self.units]
        for unit, doc in zip(self.units, nlp().pipe(texts, batch_size=64), strict=True):
            unit.doc = doc

    # passages ----------------------------------------------------------------------------------------------
    def hedged(self, unit, start, end):
        return any(
            is_conditional(tok.text, tok.lemma_, str(tok.morph))
            for tok in unit.tokens(start, end)
            if tok.pos_ in ("VERB", "AUX") or "Mood=Cnd" in str(tok.morph)
        )

    def prediction(self, unit, start, end):
        tokens = unit.tokens(start, end)
        for i, tok in enumerate(tokens):
            morph = str(tok.morph)
            if tok.pos_ in ("VERB", "AUX") and "Tense=Fut" in morph and "VerbForm=Fin" in morph:
                return True
            if fold(tok.lemma_) in _INTENT and any("VerbForm=Inf" in str(t.morph) for t in tokens[i + 1 : i + 4]):
                return True
        return False

    def finite_verb_in(self, unit, start, end):
        # the tagger reads some present tenses as participles ("vise"): any verb but an infinitive counts
        return any(
            tok.pos_ in ("VERB", "AUX") and "VerbForm=Inf" not in str(tok.morph) for tok in unit.tokens(start, end)
        )

    def person(self, unit: _Unit, start: int, end: int) -> bool:
        return any(
            ent.label_ == "PER" and start <= unit.start + ent.start_char < end and _NAME.search(ent.text)
            for ent in unit.doc.ents
        )

    # speakers of quotations --------------------------------------------------------------------------------
    def speaker_after(self, unit, position):
        text = self.text
        match = re.compile(r"[\s\u00a0\u202f]*,?").match(text, position, unit.end)
        return self.tail(unit, match.end(), unit.end, after_quote=True) or self.according_to(unit, position, unit.end)

    def speaker_before(self, unit, position):
        prefix = self.text[unit.start : position]
        if _word_count(prefix) < 1:
            return None
        return (
            self.reporting_verb(unit, unit.start, position, before_quote=True)
            or self.according_to(unit, unit.start, position)
            or self.for_person(unit, unit.start, position)
        )

    def incise_in_quote(self, unit, lo, hi):
        text = self.text
        for comma in re.finditer(",", text[lo:hi]):
            at = lo + comma.start()
            match = _TAIL_FR.match(text, at + 1, hi)
            if not match or match.group("verb").lower().endswith("ant"):
                continue
            if _lemma_of(match.group("verb")) not in _REPORTING:
                continue
            close = re.compile(r"[,.;!?…]").search(text, match.end(), hi)
            if not close:
                continue
            rest = text[match.end() : close.start()]
            pronoun = _INVERTED_PRONOUN.search(match.group("group"))
            speaker = pronoun.group(1) if pronoun else rest.strip()  # "a-t-il affirmé à Paris": il
            if not speaker or _word_count(speaker) > 8 or not _speakerish(speaker):
                continue
            lemma = _lemma_of(match.group("verb"))
            said = _Said(
                speaker,
                verb=match.group("group").strip(),
                lemma=lemma,
                opinion=lemma in _OPINION,
                alleging=lemma in _ALLEGING,
            )
            return at, close.end(), said
        return None

    # attributions ------------------------------------------------------------------------------------------
    def attribution(self, unit, start, end):
        for rule in (
            self.final_tail,
            self.reporting_verb,
            self.according_to,
            self.as_said_by,
            self.for_person,
            self.passive_agent,
            self.document,
            self.elided_subject,
        ):
            said = rule(unit, start, end)
            if said is not None:
                return said
        return None

    def tail(self, unit: _Unit, position: int, end: int, *, after_quote: bool = False) -> _Said | None:
        """ "…, a indiqué à l'AFP un de ses proches." / "», estime un officier." — the verb, then its speaker."""
        text = self.text
        match = _TAIL_FR.match(text, position, end)
        if not match or match.group("verb").lower().endswith("ant"):
            return None
        lemma = _lemma_of(match.group("verb"))
        # after a quotation, French puts a verb of saying and its speaker: any verb there reports ("», a justifié X")
        verbal = re.search(r"(?:e|é|ée|és|ées|ent|it|u|ue|i|is|a)$", fold(match.group("verb")))
        if lemma not in _REPORTING and not (after_quote and verbal):
            return None
        after = match.end()
        if re.match(r"\s*(?:qu['’]|que\b)", text[after:end], re.IGNORECASE):
            return None  # "…, a indiqué que…": not a speaker after the verb
        via = ""
        to = _TO_OUTLET.match(text, after, end)
        if to and to.end() < end:
            via, after = self.via(to.group("outlet")), to.end()
        stop = end
        clause = _GERUND_CLAUSE.search(text, after, end)
        if clause:
            stop = clause.start()
        when = _TRAILING_CIRCUMSTANCE.search(text, after, stop)
        if when and when.start() > after:
            stop = when.start()
        lo, hi = self.described(after, stop)
        pronoun = _INVERTED_PRONOUN.search(match.group("group"))
        if pronoun:
            description = pronoun.group(1)  # "estime-t-il", "a-t-elle ajouté devant la presse"
        elif lo < hi:
            description = text[lo:hi]
        else:
            return None
        if (not after_quote or lemma not in _REPORTING) and not _speakerish(description):
            return None
        return _Said(
            description,
            verb=match.group("group").strip(),
            lemma=lemma,
            via=via,
            cut=[(position - 1, end)],
            person=self.person(unit, lo, hi),
            opinion=lemma in _OPINION,
            alleging=lemma in _ALLEGING,
        )

    def final_tail(self, unit, start, end):
        """The speaker named at the end of the sentence, after a comma."""
        text = self.text
        for comma in re.finditer(",", text[start:end]):
            at = start + comma.start()
            if self.quoted(unit, at) or _word_count(text[start:at]) < 3:
                continue
            said = self.tail(unit, at + 1, end)
            if said is not None and not self.has_subject_before(unit, at + 1, end):
                return said
        return None

    def antecedent(self, unit):
        if unit.index == 0:
            return None
        previous = self.units[unit.index - 1]
        root = next((tok for tok in previous.doc if tok.dep_ == "ROOT"), None)
        subject = next((child for child in root.children if child.dep_ == "nsubj"), None) if root else None
        if subject is None or subject.pos_ == "PRON":
            return None
        lo, hi = self.described(
            previous.start + subject.left_edge.idx, previous.start + subject.right_edge.idx + len(subject.right_edge)
        )
        description = self.text[lo:hi]
        kind = source_kind(description, person=self.person(previous, lo, hi))
        if kind not in (SourceKind.NAMED_INDIVIDUAL, SourceKind.DESCRIBED_INDIVIDUAL, SourceKind.FORMER_OFFICIAL):
            return None
        return description, self.person(previous, lo, hi)

    def has_subject_before(self, unit, start, end) -> bool:
        """Whether the verb of a would-be tail ("…, accuse les autorités") has its subject before it."""
        verb = next((tok for tok in unit.tokens(start, end) if tok.pos_ in ("VERB", "AUX")), None)
        return verb is not None and any(
            child.dep_ == "nsubj" and child.i < verb.i
            for child in (verb.head if verb.dep_.startswith("aux") else verb).children
        )

    def reporting_verb(self, unit, start, end, *, before_quote=False):
        """ "X a affirmé (au Monde) que…", "X estime que…", "X voient en A des B": a reporting verb and its
        subject."""
        text = self.text
        for tok in unit.tokens(start, end):
            if tok.pos_ != "VERB" or self.quoted(unit, unit.start + tok.idx):
                continue
            lemma, last = _lemma_of(tok.text, tok.lemma_), tok
            following = [fold(t.text) for t in tok.doc[tok.i + 1 : tok.i + 3]]
            if fold(tok.lemma_) == "faire" and following[:1] and following[0] in {"savoir", "valoir", "etat"}:
                lemma, last = "affirmer", tok.doc[tok.i + 1]  # "a fait savoir que", "fait état de"
            elif fold(tok.lemma_) == "mettre" and following == ["en", "garde"]:
                lemma, last = "affirmer", tok.doc[tok.i + 2]  # "ont mis en garde contre"
            subject = next((child for child in tok.children if child.dep_ == "nsubj"), None)
            shows = lemma in _SHOWING and subject is not None and _in(fold(subject.text), _DOCUMENTS)
            if lemma not in _REPORTING and not shows:
                continue
            if tok.dep_ in ("acl", "acl:relcl", "amod") or (lemma in _NOT_PRONOMINAL and self.pronominal(tok)):
                continue
            if subject is None and tok.dep_ == "conj":
                subject = next((child for child in tok.head.children if child.dep_ == "nsubj"), None)
            if subject is not None and subject.i > tok.i:
                subject = None  # a subject after its verb is a misparse here (inversions are read as tails)
            if subject is not None and fold(subject.text) in {"qui", "que", "ce", "cela", "ca", "c'", "lequel", "on"}:
                continue  # a relative, a demonstrative, or "on" (nobody named: "de source diplomatique, on assure")
            if not before_quote and lemma not in _STRONG and not shows and not self.complement(unit, tok, lemma, end):
                continue
            auxiliaries = [child for child in tok.children if child.dep_.startswith("aux") and child.i < tok.i]
            verb_start = unit.start + min([tok.idx, *(aux.idx for aux in auxiliaries)])
            verb_end = unit.start + last.idx + len(last)
            if subject is None:
                # the parser lost the subject: the noun phrase that opens the sentence, up to the verb
                opening = self.text[start:verb_start]
                if tok.dep_ != "ROOT" or _word_count(opening) > 20 or not _OPENING_PHRASE.match(opening):
                    continue
                lo, hi = start, verb_start
            else:
                lo = unit.start + subject.left_edge.idx
                hi = unit.start + subject.right_edge.idx + len(subject.right_edge)
            if hi > verb_start > lo:
                hi = verb_start
            lo, hi = self.described(max(lo, start), min(hi, end))
            description = text[lo:hi]
            if lo >= hi or _word_count(description) > 30 or not _speakerish(description):
                continue
            said = _Said(
                description,
                verb=text[verb_start:verb_end],
                lemma=lemma,
                person=self.person(unit, lo, hi),
                opinion=lemma in _OPINION,
                alleging=lemma in _ALLEGING,
            )
            to = _TO_OUTLET.match(text, verb_end, end)
            if to:
                said.via = self.via(to.group("outlet"))
            que = re.compile(r"\b(?:qu['’]|que\b)|:", re.IGNORECASE).search(text, verb_end, end)
            if que and _word_count(text[verb_end : que.start()]) <= 6:
                said.statement_from = que.end()
            return said
        return None

    def pronominal(self, tok) -> bool:
        return any(child.dep_.startswith("expl") for child in tok.children) or (
            tok.i > 0 and fold(tok.doc[tok.i - 1].text) in {"se", "s'"}
        )

    def complement(self, unit, tok, lemma, end) -> bool:
        """A weak reporting verb reports only before "que", a colon, or (seeing) "en", "dans", "comme"."""
        for distance, following in enumerate(tok.doc[tok.i + 1 :], start=1):
            if unit.start + following.idx >= end or distance > 12:
                break
            word = fold(following.text)
            if word in {"que", "qu'", "qu"} or following.text == ":" or self.quoted(unit, unit.start + following.idx):
                return True
            if lemma in _SEEING and word in {"en", "dans", "comme"}:
                return True
            if following.pos_ in ("VERB", "AUX") and "VerbForm=Fin" in str(following.morph):
                break
        return any(child.dep_ == "ccomp" for child in tok.children)

    def according_to(self, unit, start, end):
        """ "selon X", "d'après X", "de source X", "à en croire X", "aux dires de X"."""
        text = self.text
        for match in _ACCORDING_FR.finditer(text, start, end):
            if self.quoted(unit, match.start()):
                continue
            after = text[match.end() : match.end() + 12].lower()
            if re.match(r"qu['’]|que\b", after):
                continue  # "selon que": depending on whether
            marker = text[match.start() : match.end()].strip()
            if re.match(r"lequel|laquelle|lesquel", after):  # "un rapport selon lequel…": the antecedent
                antecedent = re.search(
                    r"((?:un|une|des|le|la|les|l['’]|ce|cette|ces)\s+[^,;:()–—]{1,80}?)\s*,?\s*$",
                    text[start : match.start()],
                    re.IGNORECASE,
                )
                if not antecedent:
                    continue
                lo, hi = self.described(start + antecedent.start(1), start + antecedent.end(1))
                return _Said(text[lo:hi], verb=marker, lemma="selon")
            at_start = _word_count(text[start : match.start()]) <= 2
            stop = self.phrase_end(unit, match.end(), end, at_start=at_start)
            lo, hi = self.described(match.end(), stop)
            if lo >= hi or _OWN_REPORTING.match(fold(text[lo:hi])):
                continue
            if marker.lower() == "de":
                marker = "de source"
            cut_from, cut_to = match.start(), stop
            before = text[start : match.start()].rstrip()
            if before.endswith(",") and text[stop : stop + 1] == ",":  # "Il s'agit, selon lui, d'un effort"
                cut_from, cut_to = start + len(before) - 1, stop + 1
            return _Said(
                text[lo:hi],
                verb=marker,
                lemma="selon",
                cut=[(cut_from, cut_to)],
                person=self.person(unit, lo, hi),
            )
        return None

    def as_said_by(self, unit, start, end):
        """ "Comme l'a révélé Le Canard enchaîné, …", "comme le souligne le rapport, …"."""
        text = self.text
        for match in _AS_SAID_FR.finditer(text, start, end):
            lemma = _lemma_of(match.group("verb"))
            if self.quoted(unit, match.start()) or lemma not in _REPORTING | _SHOWING:
                continue
            at_start = _word_count(text[start : match.start()]) <= 2
            stop = self.phrase_end(unit, match.end(), end, at_start=at_start)
            lo, hi = self.described(match.end(), stop)
            if lo < hi and _speakerish(text[lo:hi]):
                verb = text[match.start("verb") : match.end("verb")]
                return _Said(
                    text[lo:hi],
                    verb=verb,
                    lemma=lemma,
                    cut=[(match.start(), stop)],
                    person=self.person(unit, lo, hi),
                    opinion=lemma in _OPINION,
                    alleging=lemma in _ALLEGING,
                )
        return None

    def for_person(self, unit, start, end):
        """ "Pour cet analyste, …", "Aux yeux de X, …": a person's reading (never "pour les autorités")."""
        text = self.text
        match = _FOR_PERSON_FR.match(text, start, end)
        if not match:
            return None
        stop = self.phrase_end(unit, match.end(), end, at_start=True)
        if stop >= end or text[stop] != ",":
            return None
        lo, hi = self.described(match.end(), stop)
        description = text[lo:hi]
        kind = source_kind(description, person=self.person(unit, lo, hi))
        if lo >= hi or kind in (SourceKind.ORGANISATION, SourceKind.DOCUMENT, SourceKind.ESTIMATE, SourceKind.OUTLET):
            return None
        if not _speakerish(description):
            return None
        return _Said(description, verb=text[match.start() : match.end()].strip(), lemma="pour", cut=[(start, stop)])

    def passive_agent(self, unit, start, end):
        """ "perçu par plusieurs observateurs comme…", "revendiqué par le groupe"."""
        text = self.text
        for match in _AGENT_FR.finditer(text, start, end):
            verb = fold(match.group("verb"))
            if self.quoted(unit, match.start()) or not re.search(r"(?:e|es|u|ue|us|ues|i|ie|is|ies|it|ite|its)$", verb):
                continue
            lemma = _lemma_of(match.group("verb"))
            if lemma not in _AGENT_VERBS:
                continue
            stop = re.compile(r"\s+comme\b|[,;:()–—]|[.!?…](?=\s|$)").search(text, match.end(), end)
            lo, hi = self.described(match.end(), stop.start() if stop else end)
            description = text[lo:hi]
            if lo >= hi or _NOT_AGENTS.match(fold(description)) or not _speakerish(description):
                continue
            return _Said(
                description,
                verb=match.group("verb"),
                lemma=lemma,
                cut=[(match.start("par") - 1, hi)],
                person=self.person(unit, lo, hi),
                opinion=lemma in _OPINION,
                alleging=lemma in _ALLEGING,
            )
        return None

    def document(self, unit, start, end):
        """ "une vidéo … montrant…", "un rapport révélant…": a document speaks."""
        tokens = unit.tokens(start, end)
        for i, tok in enumerate(tokens):
            if tok.pos_ != "NOUN" or not (_in(fold(tok.text), _DOCUMENTS) or fold(tok.lemma_) in _DOCUMENTS):
                continue
            for following in tokens[i + 1 : i + 11]:
                if following.text in ".;:":
                    break
                form = fold(following.text)
                if (form.endswith("ant") and _lemma_of(following.text) in _SHOWING) or form == "faisant":
                    left = [child for child in tok.lefts if child.dep_ in ("det", "amod", "nummod")]
                    first = min([tok, *left], key=lambda t: t.i)
                    lo, hi = unit.start + first.idx, unit.start + tok.idx + len(tok)
                    return _Said(
                        self.text[lo:hi],
                        verb=following.text,
                        lemma=_lemma_of(following.text),
                        kind=SourceKind.DOCUMENT,
                    )
        return None

    def elided_subject(self, unit, start, end):
        """ "Et rappelé que…": a reporting verb whose subject is the previous sentence's."""
        match = _ELIDED_FR.match(self.text, start, end)
        if not match or unit.index == 0 or _lemma_of(match.group("verb")) not in _REPORTING:
            return None
        previous = self.units[unit.index - 1]
        if previous.paragraph != unit.paragraph:
            return None
        lemma = _lemma_of(match.group("verb"))
        verb = self.text[start + match.start("verb") - match.start() : start + match.end("verb") - match.start()]
        for index, said, kind in reversed(self.speakers):
            if index == previous.index:
                return _Said(said.description, verb=verb, lemma=lemma, kind=kind, statement_from=match.end())
        root = next((tok for tok in previous.doc if tok.dep_ == "ROOT"), None)
        subject = next((child for child in root.children if child.dep_ == "nsubj"), None) if root else None
        if subject is None:
            return None
        lo, hi = self.described(
            previous.start + subject.left_edge.idx,
            previous.start + subject.right_edge.idx + len(subject.right_edge),
        )
        description = self.text[lo:hi]
        if not _speakerish(description):
            return None
        return _Said(
            description,
            verb=verb,
            lemma=lemma,
            statement_from=match.end(),
            person=self.person(previous, lo, hi),
            opinion=lemma in _OPINION,
        )


# English -----------------------------------------------------------------------------------------------------

_SAYING_EN = (
    r"said|says|say|told|tells|added|adds|stated|states|claimed|claims|announced|announces|acknowledged|"
    r"acknowledges|admitted|admits|denied|denies|confirmed|confirms|warned|warns|estimated|estimates|reported|"
    r"reports|noted|notes|explained|explains|insisted|insists|argued|argues|believes|believe|believed|thinks|"
    r"think|thought|wrote|writes|testified|alleged|alleges|accused|accuses|suggested|suggests|maintained|"
    r"maintains|asserted|asserts|declared|declares|revealed|reveals|indicated|indicates|stressed|stresses|"
    r"emphasi[sz]ed|emphasi[sz]es|contended|contends|recalled|recalls|predicted|predicts|fears|feared|concluded|"
    r"concludes|observed|observes|disclosed|discloses|reiterated|reiterates|conceded|concedes|complained|"
    r"complains|pointed out|points out|cautioned|cautions|recounted|recounts"
)
_OPINION_EN = re.compile(
    r"^(?:believes?|believed|thinks?|thought|argued|argues|estimated|estimates|predicted|predicts|fears|feared|"
    r"suggested|suggests|contended|contends|concluded|concludes)$"
)
_ALLEGING_EN = re.compile(r"^(?:accused|accuses|alleged|alleges|claimed|claims)$")
# Forms that are nouns as often as verbs: they report only before "that".
_AMBIGUOUS_EN = re.compile(r"^(?:claims|estimates|notes|reports|fears|believe|think|say|recalled|recalls|observed)$")
_VERB_EN = re.compile(rf"\b(?:has\s+|have\s+|had\s+)?(?P<verb>{_SAYING_EN})\b", re.IGNORECASE)
_TOLD_OUTLET_EN = re.compile(r"\s+(?P<outlet>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*)*)")
_ACCORDING_EN = re.compile(r"\b(?:according to|as reported by|in the words of|citing)\s+", re.IGNORECASE)
_AGENT_EN = re.compile(
    r"\b(?P<verb>seen|described|viewed|considered|regarded|claimed|denied|reported|characteri[sz]ed|perceived|"
    r"critici[sz]ed|welcomed|confirmed|condemned|disputed)\s+(?P<by>by)\s+",
    re.IGNORECASE,
)
_DOCUMENT_EN = re.compile(
    r"\b(?P<source>(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:video|report|document|footage|images?|photos?|recording|"
    r"statement|study|letter|memo))\b[^.;]*?\b(?P<verb>showing|shows|showed|reveals|revealed|revealing|suggests|"
    r"suggested|indicates|indicated)\b",
    re.IGNORECASE,
)
_PREDICTION_EN = re.compile(
    r"\b(?:will|shall|plans? to|planned to|intends? to|intended to|(?:is|are) expected to|aims? to|(?:is|are) set to|"
    r"(?:is|are) going to)\b",
    re.IGNORECASE,
)
_RELAY_EN = re.compile(
    r",?\s*\b(?:quoted|cited|interviewed|reached|contacted)\s+by\s+(?P<via>[^,;:()–—]+)", re.IGNORECASE
)
_LEADING_EN = re.compile(r"(?:(?:but|and|yet|however|meanwhile|still|in (?:a|its) statement)\s*,?\s+)+", re.IGNORECASE)
_PASSIVE_BEFORE_EN = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+$", re.IGNORECASE)


class _EnglishReader(_Reader):
    english = True
    _CUE = re.compile(r"\b(?:according to|said|says|told|quoted by|cited by)\b", re.IGNORECASE)
    _RELAY = _RELAY_EN

    def hedged(self, unit, start, end):
        return bool(_ENGLISH_HEDGES.search(self.text, start, end))

    def prediction(self, unit, start, end):
        return bool(_PREDICTION_EN.search(self.text, start, end))

    def finite_verb_in(self, unit, start, end):
        return bool(re.search(r"\b(?:is|are|was|were|has|have|had|will|would|\w+ed|\w+s)\b", self.text[start:end]))

    def said(self, description: str, verb: str, **kwargs) -> _Said:
        form = fold(verb).split()[-1] if verb.strip() else ""
        return _Said(
            description,
            verb=verb,
            lemma=form,
            person=bool(_NAME.search(description)),
            opinion=bool(_OPINION_EN.match(form)),
            alleging=bool(_ALLEGING_EN.match(form)),
            **kwargs,
        )

    # quotations -------------------------------------------------------------------------------------------
    def speaker_after(self, unit, position):
        text = self.text
        tail = text[position : unit.end]
        verb_first = re.match(rf"\s*,?\s*(?P<verb>{_SAYING_EN})\s+(?P<who>[^.!?]+?)\s*[.!?]?\s*$", tail, re.I)
        if verb_first and not re.match(r"(?:that|to)\b", verb_first.group("who"), re.I):
            lo, hi = self.described(position + verb_first.start("who"), position + verb_first.end("who"))
            return self.said(text[lo:hi], verb_first.group("verb"))
        who_first = re.match(
            rf"\s*,?\s*(?P<who>[^,.!?]{{2,120}}?)\s+(?:has\s+|had\s+)?(?P<verb>{_SAYING_EN})\b[^.!?]*[.!?]?\s*$",
            tail,
            re.I,
        )
        if who_first:
            lo, hi = self.described(position + who_first.start("who"), position + who_first.end("who"))
            return self.said(text[lo:hi], who_first.group("verb"))
        return self.according_to(unit, position, unit.end)

    def speaker_before(self, unit, position):
        text = self.text
        prefix = text[unit.start : position]
        match = re.search(
            rf"(?P<who>[^.!?]{{2,160}}?)\s+(?:has\s+|had\s+)?(?P<verb>{_SAYING_EN})(?:\s+that)?\s*[:,]?\s*$",
            prefix,
            re.I,
        )
        if match:
            lo, hi = self.described(unit.start + match.start("who"), unit.start + match.end("who"))
            lo = self.lead_end(lo, hi)
            return self.said(text[lo:hi], match.group("verb"))
        return self.according_to(unit, unit.start, position)

    def incise_in_quote(self, unit, lo, hi):
        text = self.text
        match = re.compile(
            rf",\s*(?:(?P<verb>{_SAYING_EN})\s+(?P<who>[^,.!?]{{2,80}}?)|(?P<who2>[^,.!?]{{2,80}}?)\s+(?P<verb2>{_SAYING_EN}))"
            r"\s*[,.]",
            re.I,
        ).search(text, lo, hi)
        if not match:
            return None
        who = match.group("who") or match.group("who2")
        if not _speakerish(who, english=True):
            return None
        return match.start(), match.end(), self.said(who.strip(), match.group("verb") or match.group("verb2"))

    def lead_end(self, lo: int, hi: int) -> int:
        lead = _LEADING_EN.match(self.text, lo, hi)
        return lead.end() if lead else lo

    # attributions ------------------------------------------------------------------------------------------
    def attribution(self, unit, start, end):
        for rule in (self.final_tail, self.according_to, self.subject_verb, self.passive_agent, self.document):
            said = rule(unit, start, end)
            if said is not None:
                return said
        return None

    def final_tail(self, unit, start, end):
        """ "…, the ministry said on Tuesday." / "…, said John Smith, a spokesman."."""
        text = self.text
        for comma in re.finditer(",", text[start:end]):
            at = start + comma.start()
            if self.quoted(unit, at) or _word_count(text[start:at]) < 3:
                continue
            rest = text[at + 1 : end]
            verb_first = re.match(rf"\s*(?P<verb>{_SAYING_EN})\s+(?P<who>[^.!?]+?)\s*[.!?]?\s*$", rest, re.I)
            who_first = re.match(
                rf"\s*(?P<who>[^,.!?]{{2,100}}?)\s+(?P<verb>{_SAYING_EN})"
                r"(?P<to>\s+(?:[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*|reporters|journalists))?"
                r"(?:\s+(?:on|in|at|late|early|last)\b[^.!?]*)?\s*[.!?]?\s*$",
                rest,
            )
            match = verb_first or who_first
            if match and not re.match(r"(?:that|to)\b", match.group("who").strip(), re.I):
                lo, hi = self.described(at + 1 + match.start("who"), at + 1 + match.end("who"))
                if lo < hi and _speakerish(text[lo:hi], english=True):
                    said = self.said(text[lo:hi], match.group("verb"), cut=[(at, end)])
                    to = match.groupdict().get("to")
                    if to and to.strip()[0].isupper():
                        said.via = self.via(to)
                    return said
        return None

    def according_to(self, unit, start, end):
        text = self.text
        for match in _ACCORDING_EN.finditer(text, start, end):
            if self.quoted(unit, match.start()):
                continue
            at_start = _word_count(text[start : match.start()]) <= 2
            stop = self.phrase_end(unit, match.end(), end, at_start=at_start)
            lo, hi = self.described(match.end(), stop)
            if lo < hi and not _OWN_REPORTING.match(fold(text[lo:hi])):
                return self.said(text[lo:hi], text[match.start() : match.end()].strip(), cut=[(match.start(), stop)])
        return None

    def subject_verb(self, unit, start, end):
        """ "Mali's army said one of its drones crashed", "X told Reuters that…"."""
        text = self.text
        for match in _VERB_EN.finditer(text, start, end):
            if self.quoted(unit, match.start()) or _PASSIVE_BEFORE_EN.search(text[start : match.start()]):
                continue
            verb = match.group("verb")
            after = text[match.end() : end]
            if _AMBIGUOUS_EN.match(verb.lower()) and not re.match(r"\s+that\b", after):
                continue
            lo, hi = self.described(start, match.start())
            lo = self.lead_end(lo, hi)
            description = text[lo:hi]
            if lo >= hi or _word_count(description) > 25 or not _speakerish(description, english=True):
                continue
            if re.search(r"\b(?:is|are|was|were|will|would|has|have|had)\b", description, re.IGNORECASE):
                continue  # a clause, not a speaker: "The drone was made in Turkey, a senior official told…"
            said = self.said(description, text[match.start() : match.end()])
            told = _TOLD_OUTLET_EN.match(text, match.end(), end) if verb.lower() in {"told", "tells"} else None
            if told:
                said.via = self.via(told.group("outlet"))
            that = re.match(r"\s+(?:[A-Z][\w.&'’-]*\s+)*that\b", after) or re.match(r"\s*:?", after)
            said.statement_from = match.end() + that.end()
            return said
        return None

    def passive_agent(self, unit, start, end):
        text = self.text
        for match in _AGENT_EN.finditer(text, start, end):
            stop = re.compile(r"\s+as\b|[,;:()–—]|[.!?](?=\s|$)").search(text, match.end(), end)
            lo, hi = self.described(match.end(), stop.start() if stop else end)
            if lo < hi and _speakerish(text[lo:hi], english=True):
                return self.said(text[lo:hi], match.group("verb"), cut=[(match.start("by") - 1, hi)])
        return None

    def document(self, unit, start, end):
        match = _DOCUMENT_EN.search(self.text, start, end)
        if not match:
            return None
        return self.said(match.group("source"), match.group("verb"), kind=SourceKind.DOCUMENT)
