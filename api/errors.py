"""Every refusal of the API as an RFC 9457 problem (`application/problem+json`): `type`,
`title`, `status`, `detail` — the same sentences the pages show — and, for input that could not
be read, `errors` by field. Domain errors take the status `nominations.exceptions` gives them
(InvalidInput 400, NotAllowed 403, ConflictingAction 409, TransitionRefused 409); a refusal
for want of reasons (`ReasonsRequired`) is input to correct: 400, on the `reasons` field."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from nominations.exceptions import (
    ConflictingAction,
    DomainError,
    InvalidInput,
    NotAllowed,
    ReasonsRequired,
    TransitionRefused,
)

PROBLEM = "application/problem+json"
TYPE_BASE = "https://laurel.invalid/problems/"

# The problem types, by the exception that raises them (the first match wins).
_KINDS = [
    (ReasonsRequired, "reasons-required"),
    (ConflictingAction, "conflicting-action"),
    (TransitionRefused, "transition-refused"),
    (NotAllowed, "not-allowed"),
    (InvalidInput, "invalid-input"),
    (DomainError, "refused"),
]


def problem(status_code: int, kind: str, title: str, detail: str = "", **extra) -> Response:
    body = {"type": TYPE_BASE + kind, "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM)


def from_domain(exc: DomainError) -> Response:
    kind = next(k for cls, k in _KINDS if isinstance(exc, cls))
    if isinstance(exc, ReasonsRequired):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            kind,
            exc.message,
            str(exc),
            errors={"reasons": [exc.message, *exc.reasons]},
        )
    return problem(exc.http_status, kind, exc.message, str(exc), reasons=exc.reasons)


def invalid(message: str, errors: dict) -> Response:
    """Input that could not be read: each field's errors, as the form would show them."""
    flat = {
        field: [str(e) for e in (msgs if isinstance(msgs, list | tuple) else [msgs])]
        for field, msgs in errors.items()
    }
    return problem(
        status.HTTP_400_BAD_REQUEST,
        "invalid-input",
        message,
        " ".join(f"{f}: {' '.join(m)}" for f, m in flat.items()),
        errors=flat,
    )


_DRF_KINDS = {
    status.HTTP_401_UNAUTHORIZED: "not-authenticated",
    status.HTTP_403_FORBIDDEN: "not-allowed",
    status.HTTP_404_NOT_FOUND: "not-found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method-not-allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not-acceptable",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported-media-type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


def handler(exc, context):
    """DRF's exception handler (`REST_FRAMEWORK["EXCEPTION_HANDLER"]`)."""
    if isinstance(exc, DomainError):
        return from_domain(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return invalid(_("The request could not be read."), errors)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
    kind = _DRF_KINDS.get(response.status_code, "error")
    out = problem(response.status_code, kind, str(detail), str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            out[header] = response[header]
    return out
