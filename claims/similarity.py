"""Ranking existing claims by how alike they are to a passage: shared words and shared entities.

Pure: text in, claim ids out. A claim's words are those of its statement and
original wording; a passage's are those of its quote and draft statement.
Both are compared after folding case, accents and apostrophes, without
stopwords, and with a crude plural strip ("drones" is "drone"). Entities count
when their name or one of their aliases occurs in the passage and the claim
is about them. The score is honest and simple:

    score = |shared words| / sqrt(|passage words| x |claim words|)      (0 to 1)
          + ENTITY_WEIGHT x |shared entities| / |entities of either|   (0 to ENTITY_WEIGHT)

Claims scoring under `threshold` are left out; the rest come best first (ties by id).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

ENTITY_WEIGHT = 0.5
THRESHOLD = 0.2
LIMIT = 5

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u201b\u2032`", "'"))
_WORD = re.compile(r"[a-z0-9]+")

# Function words of French and English: they make two sentences look alike without saying the same thing.
STOPWORDS = frozenset(
    str.split(
        """
    a au aux avec ce ces cet cette c ca d dans de des du elle elles en et eux il ils j je l la le les leur
    leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses
    son sur t ta te tes toi ton tu un une vos votre vous y est sont ete etre avoir ont a ai aussi plus
    tres tout tous toute toutes comme dont ou si sans sous entre depuis vers chez selon apres avant
    the an of to in on at by for with from and or but not no is are was were be been being has have had
    do does did it its this that these those he she they them his her their we our you your i me my as
    which who whom what when where than then there here also into about over after before under would
    could should will can may might said says say
    """
    )
)


def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes: "L’Algérie" is "l'algerie"."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.casefold().replace("ı", "i")  # Turkish dotless i: "Akıncı" is "akinci"


def _stem(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> frozenset[str]:
    """The content words of a text, folded and stemmed."""
    return frozenset(_stem(word) for word in _WORD.findall(fold(text)) if len(word) > 1 and word not in STOPWORDS)


def mentions(text: str, name: str) -> bool:
    """Whether `name` (folded) occurs in `text` as whole words."""
    needle = " ".join(_WORD.findall(fold(name)))
    haystack = " ".join(_WORD.findall(fold(text)))
    return bool(needle) and f" {needle} " in f" {haystack} "


@dataclass(frozen=True)
class Candidate:
    """An existing claim as the ranking sees it: its wording and the entities it concerns (names and aliases)."""

    id: int
    text: str
    entities: dict[int, tuple[str, ...]] = field(default_factory=dict)  # entity id -> name and aliases


def _cosine(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _value(passage_words, passage_entities, claim_words, claim_entities) -> float:
    either = passage_entities | claim_entities
    shared = len(passage_entities & claim_entities) / len(either) if either else 0.0
    return _cosine(passage_words, claim_words) + ENTITY_WEIGHT * shared


def score(passage: str, candidate: Candidate) -> float:
    """How alike `passage` and the claim are (see the module's docstring)."""
    passage_entities = _entities_in(passage, candidate.entities)
    return _value(words(passage), passage_entities, words(candidate.text), frozenset(candidate.entities))


def _entities_in(passage: str, entities: dict[int, tuple[str, ...]]) -> frozenset[int]:
    return frozenset(pk for pk, names in entities.items() if any(mentions(passage, name) for name in names))


def rank(
    passage: str, candidates: Iterable[Candidate], *, threshold: float = THRESHOLD, limit: int = LIMIT
) -> list[int]:
    """Ids of the claims most like `passage`, best first."""
    return ranker(list(candidates), threshold=threshold, limit=limit)(passage)


def ranker(
    candidates: Sequence[Candidate], *, threshold: float = THRESHOLD, limit: int = LIMIT
) -> Callable[..., list[int]]:
    """A ranking function over `candidates`, prepared once: `similar(*texts)` ranks the texts joined.

    The extractor calls it with a proposal's quote and draft statement.
    """
    prepared = [(candidate.id, words(candidate.text), frozenset(candidate.entities)) for candidate in candidates]
    names: dict[int, tuple[str, ...]] = {}
    for candidate in candidates:
        names.update(candidate.entities)

    def similar(*texts: str) -> list[int]:
        passage = " ".join(texts)
        passage_words = words(passage)
        passage_entities = _entities_in(passage, names)
        scored = []
        for pk, claim_words, claim_entities in prepared:
            value = _value(passage_words, passage_entities, claim_words, claim_entities)
            if value >= threshold:
                scored.append((-value, pk))
        return [pk for _, pk in sorted(scored)[:limit]]

    return similar
