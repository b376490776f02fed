"""Renderers of the claims API: thin wrappers around `claims.exports`, and DRF's JSON by orjson."""

import json

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer

from claims.exports import annotations, claimreview, stix
from claims.exports.csv import claims_csv, messages_csv


class PlainData(dict):
    """A response body made of JSON's own types only (str, int, bool, None, lists and dicts: no floats, no
    dates, no lazy strings), such as the claims' hot path builds (`ClaimRows`): `PlainJsonRenderer` writes
    it with orjson."""


class PlainJsonRenderer(JSONRenderer):
    """DRF's JSON, byte for byte, written by orjson when the data is `PlainData`; anything else (errors, other
    data, `?indent`) goes through DRF's encoder as before.

    The bytes are the same: orjson writes what `json.dumps(ensure_ascii=False, separators=(",", ":"))` writes
    for these types (UTF-8, the same escapes), and U+2028 and U+2029 are escaped as DRF escapes them. Floats
    would differ in notation (`1e-07` against `1e-7`): `PlainData` has none.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        plain = isinstance(data, PlainData) and not self.ensure_ascii and self.compact
        if not plain or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data).replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


class ClaimCsvRenderer(BaseRenderer):
    """Renders a page of claims (or one claim) as CSV; anything else (errors) as `field,message` rows.

    The cursor links of a page go in a `Link` header (rel="next", rel="previous").
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    # UTF-8's byte-order mark, asked for by `bom=1`: without it Excel reads a CSV file as the machine's code page
    # and "Goïta" comes out "GoÃ¯ta". Off by default: scripts and most tools read UTF-8 and would keep the mark.
    BOM = "\ufeff".encode()

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = self._body(data, renderer_context)
        request = (renderer_context or {}).get("request")
        wants_bom = request is not None and request.query_params.get("bom") in {"1", "true"}
        return self.BOM + body if wants_bom else body

    def _body(self, data, renderer_context) -> bytes:
        response = (renderer_context or {}).get("response")
        if isinstance(data, dict) and "results" in data:
            links = [f'<{data[rel]}>; rel="{rel}"' for rel in ("next", "previous") if data.get(rel)]
            if links and response is not None:
                response["Link"] = ", ".join(links)
            return claims_csv(data["results"])
        if isinstance(data, dict) and "attributions" in data:
            return claims_csv([data])
        return messages_csv(data)


class _DocumentRenderer(JSONRenderer):
    """A standards document (`claims.exports`) as compact UTF-8 JSON under its own media type.

    `media_type` is what a client's Accept is matched with; the response says the full `content_type`
    (with its parameters: DRF would refuse an Accept without them).
    """

    content_type = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == 200:
            response["Content-Type"] = self.content_type
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class StixRenderer(_DocumentRenderer):
    """`?format=stix`: a STIX 2.1 bundle (`claims.exports.stix`), built by the view."""

    media_type = "application/stix+json"
    content_type = stix.MEDIA_TYPE
    format = "stix"


class ClaimReviewRenderer(_DocumentRenderer):
    """`?format=claimreview`: schema.org ClaimReview JSON-LD (`claims.exports.claimreview`), built by the view."""

    media_type = "application/ld+json"
    content_type = claimreview.MEDIA_TYPE
    format = "claimreview"


class AnnotationRenderer(_DocumentRenderer):
    """A W3C AnnotationCollection (`claims.exports.annotations`), built by the view."""

    media_type = "application/ld+json"
    content_type = annotations.MEDIA_TYPE
    format = "jsonld"
