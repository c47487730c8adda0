"""The site's URLs and error handlers, plus a page that fails (tests/web/test_error_pages.py)."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("secret internals: DATABASE password=hunter2")


def database_down(request):
    """The database fails, and keeps failing while the error page is drawn."""
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("boom/", boom), path("database-down/", database_down), *urlpatterns]
