"""`refuses_domain_errors`: a domain error raised by a view becomes the refused page with the
error's status, message and reasons; anything else goes through."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.urls import reverse

from approvals.services import QuorumNotMet
from exchange.importing import BundleRefused
from nominations.exceptions import (
    ConflictingAction,
    DomainError,
    InvalidInput,
    NotAllowed,
    ReasonsRequired,
    TransitionRefused,
)
from nominations.list_import import ListRefused
from nominations.record_import import RecordRefused
from nominations.web import refuses_domain_errors

# The status each kind of refusal answers with, as the pages have always answered.
STATUSES = {
    DomainError: 400,
    InvalidInput: 400,
    NotAllowed: 403,
    TransitionRefused: 409,
    # Where a page has the form, it asks for the reasons on it (400); anywhere else, a refusal.
    ReasonsRequired: 409,
    ConflictingAction: 409,
    QuorumNotMet: 409,
    RecordRefused: 400,  # a workbook that cannot be imported
    ListRefused: 400,  # a list of nominations that cannot be imported
    BundleRefused: 400,  # another Laurel's bundle that cannot be imported
}


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_domain_error_has_its_expected_status_listed():
    assert set(_all_subclasses(DomainError)) <= set(STATUSES)


def _request(rf, **headers):
    request = rf.post("/somewhere/", **headers)
    request.user = AnonymousUser()
    return request


def _raising(exc):
    @refuses_domain_errors
    def view(request, pk):
        raise exc

    return view


@pytest.mark.parametrize("error", list(STATUSES), ids=lambda e: e.__name__)
def test_a_domain_error_becomes_the_refused_page_with_its_status(rf, error):
    response = _raising(error("Not today.", reasons=["First reason.", "Second reason."]))(
        _request(rf), pk=1
    )

    assert response.status_code == STATUSES[error]
    page = response.content.decode()
    assert 'id="refused-title"' in page
    assert "Not today." in page
    assert "<li>First reason.</li>" in page and "<li>Second reason.</li>" in page


def test_the_refused_page_leads_back_where_the_user_came_from(rf):
    view = _raising(NotAllowed("No."))

    came_from = view(_request(rf, HTTP_REFERER="/nominations/7/"), pk=7).content.decode()
    direct = view(_request(rf), pk=7).content.decode()

    assert 'href="/nominations/7/"' in came_from
    assert 'href="/"' in direct


def test_the_view_may_name_the_page_to_go_back_to(rf):
    @refuses_domain_errors(back=lambda request, pk: f"/nominations/{pk}/")
    def view(request, pk):
        raise TransitionRefused("Too late.")

    response = view(_request(rf, HTTP_REFERER="/elsewhere/"), pk=12)

    assert response.status_code == 409
    assert 'href="/nominations/12/"' in response.content.decode()


def test_a_view_that_succeeds_answers_as_it_does(rf):
    @refuses_domain_errors
    def view(request):
        return HttpResponse("fine", status=201)

    response = view(_request(rf))

    assert (response.status_code, response.content) == (201, b"fine")
    assert view.__name__ == "view"  # wrapped as views are, for the URLconf and the decorators


@pytest.mark.parametrize("error", [ValueError("a bug"), Http404("no such thing")])
def test_other_exceptions_are_not_swallowed(rf, error):
    with pytest.raises(type(error)):
        _raising(error)(_request(rf), pk=1)


def test_a_refused_action_through_the_page_leads_back_to_the_nomination(client, world, draft):
    """The action view names the nomination's page as the way back, wherever the form was."""
    client.force_login(world.proposer)
    url = reverse("nomination_act", args=[draft.pk, "approve"])

    response = client.post(url, {"version": draft.version}, HTTP_REFERER="/inbox/")

    assert response.status_code == 403
    assert f'href="{reverse("nomination_detail", args=[draft.pk])}"' in response.content.decode()
