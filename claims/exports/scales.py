"""The analysts' scales in the numbers and words the standards use (../shared/STANDARDS.md).

One table per scale, shared by the exports and the imports, so that a value
goes out and comes back the same.
"""

from claims.models import Likelihood

# Admiralty information credibility -> STIX confidence (the OASIS stix2 library's scale, after the spec's
# appendix). 6, "truth cannot be judged", has no number: the confidence is left out.
CREDIBILITY_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}

# ICD 203 likelihood: (its term, STIX confidence, ClaimReview rating 1-7, higher = more likely true).
# STIX's numbers are not ICD 203's own percentage bands: the term always goes with them.
LIKELIHOODS = {
    Likelihood.ALMOST_NO_CHANCE: ("almost no chance", 5, 1),
    Likelihood.VERY_UNLIKELY: ("very unlikely", 15, 2),
    Likelihood.UNLIKELY: ("unlikely", 30, 3),
    Likelihood.ROUGHLY_EVEN: ("roughly even chance", 50, 4),
    Likelihood.LIKELY: ("likely", 70, 5),
    Likelihood.VERY_LIKELY: ("very likely", 85, 6),
    Likelihood.ALMOST_CERTAIN: ("almost certain", 95, 7),
}
LIKELIHOOD_BY_TERM = {term: value for value, (term, _, _) in LIKELIHOODS.items()}
BEST_RATING, WORST_RATING = 7, 1
