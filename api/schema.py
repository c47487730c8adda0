"""The schema's refusals: every operation may answer with a problem (RFC 9457), documented once
here rather than on each view."""

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

# The schema is written in English, whatever the language of the request that reads it.
REFUSALS = {
    "400": "The input could not be read, or a field is wrong (`errors` by field).",
    "401": "No valid token or session: unknown, expired or revoked token.",
    "403": "The caller (or the token's scopes) may not do this.",
    "404": "Not found, or not visible to the caller.",
    "409": "Refused by the nomination's state: changed since the version given (stale version), "
    "or the action is not possible from its status.",
    "429": "Too many requests: wait and try again.",
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
                        "description": text,
                        "content": {"application/problem+json": {"schema": ref}},
                    },
                )
    return result
