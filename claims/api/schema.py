"""The OpenAPI schema's view of the API: drf-spectacular's AutoSchema plus what it cannot infer."""

from drf_spectacular.openapi import AutoSchema

CSV_SCHEMA = {
    "type": "string",
    "description": "CSV with a header row; one row per attribution, with the claim's, source's and report's fields.",
}
CSV_ERROR_SCHEMA = {"type": "string", "description": "CSV with `field,message` rows."}
# The standards documents (`claims.exports`): described, not modelled (their own specifications are the schema).
DOCUMENT_SCHEMAS = {
    "application/stix+json": {
        "type": "object",
        "description": "`?format=stix`: a STIX 2.1 bundle of every selected claim (README, Standards).",
    },
    "application/ld+json": {
        "type": "object",
        "description": "JSON-LD: schema.org ClaimReview (`?format=claimreview`) or a W3C AnnotationCollection.",
    },
}
DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong."}},
    "required": ["detail"],
}
INVALID_PARAMETERS_SCHEMA = {
    "type": "object",
    "description": "Each invalid query parameter, by name, with its messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    "400": ("A filter or parameter has an invalid value; the body names it.", INVALID_PARAMETERS_SCHEMA),
    "401": ("No credentials, or an unknown token: send `Authorization: Token <key>`.", DETAIL_SCHEMA),
    "403": ("The account may not use the API.", DETAIL_SCHEMA),
    "404": ("No such object among those you may read, or an invalid cursor.", DETAIL_SCHEMA),
    "429": ("Too many requests for this account; retry after the Retry-After header's seconds.", DETAIL_SCHEMA),
}


class ApiAutoSchema(AutoSchema):
    """Adds the error responses DRF gives (400, 401, 403, 404, 429) and describes CSV bodies as text."""

    def _resolve_path_parameters(self, variables):
        # `lookup_value_regex` lets any segment reach the view, so that a malformed id is a JSON 404
        # like a missing one; the id the API hands out is still an integer.
        parameters = super()._resolve_path_parameters(variables)
        model = self.view.queryset.model
        for parameter in parameters:
            if parameter["name"] == "id":
                parameter["schema"] = {"type": "integer"}
                parameter["description"] = f"Id of the {model._meta.verbose_name}."
        return parameters

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["description"] = (
                "Response format, as an alternative to Accept: json (the default), csv, or on claims stix "
                "(STIX 2.1) or claimreview (schema.org JSON-LD)."
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content")
        if direction != "response" or not content:
            return responses
        if "text/csv" in content:
            content["text/csv"] = {"schema": CSV_SCHEMA}
        for media_type, schema in DOCUMENT_SCHEMAS.items():
            if media_type in content:
                content[media_type] = {"schema": schema}
        for code, (description, schema) in ERRORS.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {
                        media_type: {"schema": CSV_ERROR_SCHEMA if media_type == "text/csv" else schema}
                        for media_type in content
                    },
                },
            )
        return responses
