"""Claims in the formats consumers load: pure functions from querysets or API dicts to bytes or dicts.

The API's renderers are thin wrappers around these; what they read and how they are cached is
`claims.api.exports`. `csv`: one row per attribution. `stix`: a STIX 2.1 bundle. `claimreview`: schema.org
ClaimReview JSON-LD. `annotations`: a report's attributions as W3C Web Annotations. `scales`: the analysts'
grades in the standards' numbers and words, shared with `claims.imports`.
"""
