"""The live schema is OpenAPI 3 and documents what the API does."""

import json

from openapi_spec_validator import validate


def test_the_schema_validates_as_openapi_3(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)

    validate(schema)

    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for action in ("submit", "approve", "return_for_revision", "reject", "resubmit", "withdraw"):
        assert "post" in paths[f"/api/nominations/{{id}}/{action}/"]
    assert (
        "multipart/form-data"
        in (paths["/api/nominations/{id}/evidence/"]["post"]["requestBody"]["content"])
    )
    refusal = paths["/api/nominations/{id}/approve/"]["post"]["responses"]["409"]
    assert "application/problem+json" in refusal["content"]
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
