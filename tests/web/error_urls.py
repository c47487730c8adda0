"""The site's URLs and error handlers, plus a page that fails (tests/web/test_error_pages.py)."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("secret internals: DATABASE password=hunter2")


urlpatterns = [path("boom/", boom), *urlpatterns]
