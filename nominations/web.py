"""Domain errors at the web's edge, translated once: a view that raises a `DomainError` (or
lets a service's through) answers with the refused page and the error's HTTP status."""

from functools import wraps

from django.shortcuts import render

from .exceptions import DomainError


def refused(request, exc: DomainError, *, back: str | None = None):
    """Show a refused action: what was refused and why, with the error's status code."""
    return render(
        request,
        "refused.html",
        {"error": exc, "back": back or request.META.get("HTTP_REFERER") or "/"},
        status=exc.http_status,
    )


def refuses_domain_errors(view=None, *, back=None):
    """Turn a `DomainError` raised by a function view into the refused page.

    `@refuses_domain_errors` sends the user back where they came from;
    `@refuses_domain_errors(back=lambda request, pk, **kw: ...)` names the page to go back to,
    from the view's arguments. Any other exception goes through untouched. Put it closest to the
    view, under `login_required` and the method checks."""
    if view is None:
        return lambda view: refuses_domain_errors(view, back=back)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            where = back(request, *args, **kwargs) if back is not None else None
            return refused(request, exc, back=where)

    return wrapped
