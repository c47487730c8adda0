"""The error pages (400, 403 and a refused CSRF check, 404, 500): each gives a short reference
the person can quote, and logs it with the request — the reference, the method and path, the
user's id and, for a 500, the exception — so that whoever reads the logs finds the case. The
page itself says nothing of the internals (no traceback, no settings, no exception text).

The pages are drawn without the request's context processors, which read the database: a 500 may
come from the database itself."""

import logging
import secrets
import sys

from django.db import DatabaseError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("laurel.errors")


def reference() -> str:
    """Eight characters, easy to read aloud: no 0/O, 1/I/L."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _page(request, status: int, title: str, explanation: str, *, exc_info=None) -> HttpResponse:
    ref = reference()
    user_id = _user_id(request)
    logger.log(
        logging.ERROR if status >= 500 else logging.WARNING,
        "error %s: %s %s %s user=%s",
        ref,
        status,
        request.method,
        request.get_full_path()[:500],
        user_id,
        exc_info=exc_info,
        extra={"reference": ref, "status_code": status, "path": request.path, "user_id": user_id},
    )
    html = loader.get_template("errors/page.html").render(
        {"status": status, "title": title, "explanation": explanation, "reference": ref}
    )
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseError:  # the database may be what failed: the page is drawn all the same
        return None


def bad_request(request, exception=None):
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request, exception=None):
    return _page(request, 403, _("Not allowed"), _("You do not have permission to open this page."))


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token, or from another site (settings.CSRF_FAILURE_VIEW)."""
    return _page(
        request,
        403,
        _("Not allowed"),
        _(
            "The form had expired or came from another site. Go back, reload the page and send "
            "it again."
        ),
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Page not found"),
        _("There is no such page, or it is not yours to see."),
    )


def server_error(request):
    return _page(
        request,
        500,
        _("Something went wrong"),
        _(
            "The error has been logged. Please try again; if it happens again, give the "
            "reference below to the administrator."
        ),
        exc_info=sys.exc_info(),
    )
