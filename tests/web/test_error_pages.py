"""Error pages give a reference to quote, and the log has it with the request; neither the page
nor anything sent to the browser shows the internals."""

import logging
import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from config import errors

REFERENCE = re.compile(r'data-testid="error-reference">([2-9A-HJKMNP-Z]{8})<')


def _reference(response) -> str:
    found = REFERENCE.search(response.content.decode())
    assert found, response.content.decode()
    return found.group(1)


@pytest.mark.urls("tests.web.error_urls")
def test_a_failing_page_is_a_500_with_a_reference_in_the_page_and_the_log(
    client, world, settings, caplog
):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(world.proposer)
    with caplog.at_level(logging.ERROR, logger="laurel.errors"):
        response = client.get("/boom/?x=1")
    assert response.status_code == 500
    ref = _reference(response)
    html = response.content.decode()
    assert "Something went wrong" in html
    for leak in ("Traceback", "RuntimeError", "hunter2", "secret internals", "SECRET_KEY"):
        assert leak not in html
    [record] = [r for r in caplog.records if r.name == "laurel.errors"]
    assert record.reference == ref and record.status_code == 500
    assert record.path == "/boom/" and record.user_id == world.proposer.pk
    assert ref in record.getMessage() and "/boom/?x=1" in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)


def test_a_missing_page_is_a_404_with_a_reference(client, world, caplog):
    client.force_login(world.proposer)
    with caplog.at_level(logging.WARNING, logger="laurel.errors"):
        response = client.get(reverse("nomination_detail", args=[999999]))
    assert response.status_code == 404
    ref = _reference(response)
    assert "Page not found" in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "laurel.errors"]
    assert record.reference == ref and record.status_code == 404 and not record.exc_info


def test_each_reference_is_new_and_the_page_speaks_vietnamese(client, world):
    client.force_login(world.proposer)
    url = reverse("nomination_detail", args=[999999])
    first, second = client.get(url), client.get(url)
    assert _reference(first) != _reference(second)
    client.cookies["django_language"] = "vi"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="vi"' in page


def test_a_bad_request_and_a_forbidden_page_have_references_too(rf):
    request = rf.get("/x/")
    for view, status in ((errors.bad_request, 400), (errors.permission_denied, 403)):
        response = view(request, Exception("internal detail"))
        assert response.status_code == status
        assert _reference(response)
        assert "internal detail" not in response.content.decode()


def test_a_form_without_its_csrf_token_is_a_403_with_a_reference(world, draft):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.proposer)
    response = strict.post(
        reverse("nomination_act", args=[draft.pk, "submit"]), {"version": draft.version}
    )
    assert response.status_code == 403
    assert _reference(response)
    assert "CSRF" not in response.content.decode()  # the reason is logged, not shown


@pytest.mark.urls("tests.web.error_urls")
def test_the_500_page_is_drawn_even_when_the_database_is_what_failed(
    client, world, settings, monkeypatch
):
    """Reading the user for the log fails too: the page and its reference still come."""
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(world.proposer)

    def unreachable(*args, **kwargs):
        raise OperationalError("the database is gone")

    monkeypatch.setattr(type(world.proposer), "is_authenticated", property(unreachable))
    response = client.get("/database-down/")
    assert response.status_code == 500 and _reference(response)
