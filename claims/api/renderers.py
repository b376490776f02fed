"""Renderers of the claims API: thin wrappers around `claims.exports`."""

from rest_framework.renderers import BaseRenderer

from claims.exports.csv import claims_csv, messages_csv


class ClaimCsvRenderer(BaseRenderer):
    """Renders a page of claims (or one claim) as CSV; anything else (errors) as `field,message` rows.

    The cursor links of a page go in a `Link` header (rel="next", rel="previous").
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if isinstance(data, dict) and "results" in data:
            links = [f'<{data[rel]}>; rel="{rel}"' for rel in ("next", "previous") if data.get(rel)]
            if links and response is not None:
                response["Link"] = ", ".join(links)
            return claims_csv(data["results"])
        if isinstance(data, dict) and "attributions" in data:
            return claims_csv([data])
        return messages_csv(data)
