"""Claims in the formats consumers load: pure functions from querysets or API dicts to bytes or dicts.

The API's renderers are thin wrappers around these. `csv`: one row per attribution.
"""
