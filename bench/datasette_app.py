"""Datasette serving the benchmark's SQLite file, with a canned query of the API's claims page.

The query returns what the API's page of 50 holds (vetted claims, newest first, each with its entities, its
attributions with their source and report, and its relations to vetted claims), nested as JSON by SQLite
(`json_group_array`), asked for with `?_shape=array&_json=...` so that the answer is nested JSON too. It is
not the API's bytes (Datasette has its own shape), but the same rows, nested the same way.

Served by uvicorn (`uvicorn bench.datasette_app:app`) with BENCH_DATASETTE_FILE naming the file, with as many
worker processes as gunicorn's for the app.
"""

from __future__ import annotations

import os
from pathlib import Path

QUERY_NAME = "claims_page"
CLAIMS_PAGE = """
select c.id, c.statement, c.original_wording, c.kind, c.about_date, c.about_precision, c.about_text,
  c.likelihood, c.confidence, c.status,
  (select json_group_array(json_object('id', e.id, 'name', e.name, 'kind', e.kind, 'aliases', e.aliases,
      'description', e.description))
    from claims_claim_entities ce join claims_entity e on e.id = ce.entity_id where ce.claim_id = c.id) as entities,
  (select json_group_array(json_object('id', a.id,
      'report', json_object('id', r.id, 'title', r.title, 'outlet', r.outlet, 'author', r.author,
        'published', r.published, 'url', r.url, 'language', r.language, 'kind', r.kind),
      'source', json_object('id', s.id, 'label', s.label, 'kind', s.kind, 'description', s.description,
        'affiliation', s.affiliation, 'side', s.side, 'anonymous', s.anonymous, 'reliability', s.reliability,
        'same_as', s.same_as_id, 'member_of', s.member_of_id, 'created_at', s.created_at,
        'updated_at', s.updated_at),
      'quote', a.quote, 'start', a.start, 'end', a."end", 'verb', a.verb, 'mode', a.mode, 'stance', a.stance,
      'hedged', a.hedged, 'credibility', a.credibility, 'said_on', a.said_on, 'via', a.via_id,
      'grade', s.reliability || a.credibility, 'relay_of', a.relay_of_id, 'updated_at', a.updated_at))
    from claims_attribution a join sources_source s on s.id = a.source_id join sources_report r on r.id = a.report_id
    where a.claim_id = c.id) as attributions,
  (select json_group_array(json_object('kind', x.kind, 'direction', x.direction, 'claim_id', x.other,
      'statement', x.statement))
    from (select rel.kind, 'outgoing' as direction, rel.to_claim_id as other, o.statement
          from claims_claimrelation rel join claims_claim o on o.id = rel.to_claim_id
          where rel.from_claim_id = c.id and o.status = 'vetted'
          union all
          select rel.kind, 'incoming', rel.from_claim_id, o.statement
          from claims_claimrelation rel join claims_claim o on o.id = rel.from_claim_id
          where rel.to_claim_id = c.id and o.status = 'vetted') x) as relations,
  c.corroboration, c.created_at, c.updated_at
from claims_claim c
where c.status = 'vetted' and c.id < cast(:before as integer)
order by c.id desc limit 50
"""


def page_path(database: str, before: int) -> str:
    """The URL path of the canned query's page of claims with ids below `before`."""
    json_columns = "&".join(f"_json={column}" for column in ("entities", "attributions", "relations", "corroboration"))
    return f"/{database}/{QUERY_NAME}.json?before={before}&_shape=array&{json_columns}"


def make_app(path: Path):
    from datasette.app import Datasette

    metadata = {"databases": {path.stem: {"queries": {QUERY_NAME: {"sql": CLAIMS_PAGE}}}}}
    return Datasette(files=[str(path)], metadata=metadata, settings={"sql_time_limit_ms": 30_000}).app()


app = make_app(Path(os.environ["BENCH_DATASETTE_FILE"])) if "BENCH_DATASETTE_FILE" in os.environ else None
