"""The schema's refusals: every operation may answer with a problem (RFC 9457), documented once
here rather than on each view."""

from django.utils.translation import gettext_lazy as _

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "A refusal, as RFC 9457 describes it.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status"],
}

REFUSALS = {
    "400": _("The input could not be read, or a field is wrong (`errors` by field)."),
    "401": _("No valid token or session: unknown, expired or revoked token."),
    "403": _("The caller (or the token's scopes) may not do this."),
    "404": _("Not found, or not visible to the caller."),
    "409": _(
        "Refused by the nomination's state: changed since the version given (stale version), "
        "or the action is not possible from its status."
    ),
    "429": _("Too many requests: wait and try again."),
}


def problems(result, generator, request, public):
    """drf-spectacular post-processing hook: add the Problem schema and the refusals."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, text in REFUSALS.items():
                responses.setdefault(
                    code,
                    {
                        "description": str(text),
                        "content": {"application/problem+json": {"schema": ref}},
                    },
                )
    return result
