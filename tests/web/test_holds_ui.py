"""Holds on the pages: the "Put on hold" form on a nomination's page, the banner saying why,
since when and by whom with the "Lift the hold" form, the inbox's badge, the list's filter and
the timelines. Bad input is a form error (400), a refusal a 4xx page: never a 500."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from nominations.models import Hold, HoldKind, Nomination
from nominations.stages import Status
from workflows import services
from workflows.models import NominationTask

from .test_query_counts import _get, _new, _queries

REASON = "Đơn tố cáo về việc kê khai thành tích, đang được xác minh."
RESOLUTION = "Thanh tra đã kết luận: đơn tố cáo không có cơ sở."


@pytest.fixture
def at_party(world, walk):
    return walk(_new(world), "submit", "approve")


@pytest.fixture
def held(world, at_party):
    return services.place_hold(
        at_party, actor=world.party_reviewer, kind=HoldKind.COMPLAINT, reason=REASON
    ).nomination


def page(client, n) -> str:
    response = client.get(reverse("nomination_detail", args=[n.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _version(n) -> int:
    return Nomination.objects.get(pk=n.pk).version


def post_hold(client, n, **data):
    fields = {"version": _version(n), "kind": "complaint", "reason": REASON, **data}
    return client.post(reverse("nomination_hold", args=[n.pk]), fields)


def post_lift(client, n, **data):
    fields = {"version": _version(n), "resolution": RESOLUTION, **data}
    return client.post(reverse("nomination_lift_hold", args=[n.pk]), fields)


def test_the_reviewer_of_the_stage_is_offered_the_hold_form_and_the_inspector_is_not(
    client, world, at_party
):
    client.force_login(world.party_reviewer)
    html = page(client, at_party)
    form = re.search(r'<form[^>]*action="/nominations/\d+/hold/".*?</form>', html, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form
    for field in ('name="kind"', 'name="reason"', 'name="expected_end"', 'name="version"'):
        assert field in form
    assert "Put on hold" in html

    client.force_login(world.inspector)
    assert "/hold/" not in page(client, at_party)


def test_putting_on_hold_from_the_page_holds_it_and_shows_the_banner(client, world, at_party):
    client.force_login(world.party_reviewer)
    response = post_hold(client, at_party, kind="investigation", expected_end="2031-01-15")

    assert response.status_code == 302
    n = Nomination.objects.get(pk=at_party.pk)
    assert n.status == Status.ON_HOLD
    hold = n.open_hold()
    assert (hold.kind, hold.reason) == ("investigation", REASON)
    assert hold.placed_by == world.party_reviewer
    html = client.get(response.url).content.decode()
    assert "is on hold until the matter is resolved" in html
    banner = re.search(r'<section class="alert alert-warning hold-banner.*?</section>', html, re.S)
    text = banner.group(0)
    assert "On hold: Investigation" in text and REASON in text
    assert "Put on hold by" in text and "Party committee review" in text
    assert "Expected to end by" in text
    assert f'action="/nominations/{n.pk}/lift-hold/"' in text
    # Nothing else is offered while it is held: no decision, no hold, no taking its task.
    assert 'id="decision-approve"' not in html
    assert f'action="/nominations/{n.pk}/hold/"' not in html
    assert "Take this task" not in html


def test_a_hold_without_details_is_shown_again_with_the_error_on_its_field(client, world, at_party):
    client.force_login(world.party_reviewer)
    response = post_hold(client, at_party, reason="   ")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why the nomination is put on hold." in html
    assert Nomination.objects.get(pk=at_party.pk).status == Status.PARTY_COMMITTEE_REVIEW
    assert not Hold.objects.exists()


@pytest.mark.parametrize(
    ("data", "status"),
    [({"kind": "gossip"}, 400), ({"expected_end": "not a date"}, 400), ({"version": "x"}, 400)],
)
def test_unreadable_hold_input_is_a_400_never_a_500(client, world, at_party, data, status):
    client.force_login(world.party_reviewer)
    assert post_hold(client, at_party, **data).status_code == status
    assert not Hold.objects.exists()


def test_someone_without_the_authority_is_refused_with_a_403(client, world, at_party):
    client.force_login(world.proposer)  # sees it, proposed it: holds are not the unit's
    response = post_hold(client, at_party)
    assert response.status_code == 403
    assert not Hold.objects.exists()


def test_a_hold_from_an_out_of_date_page_is_a_409(client, world, at_party):
    client.force_login(world.party_reviewer)
    stale = _version(at_party)
    services.place_hold(
        at_party, actor=world.secretary, kind=HoldKind.INSPECTION, reason="Kiểm tra."
    )
    response = post_hold(client, at_party, version=stale)
    assert response.status_code == 409
    assert Hold.objects.count() == 1


def test_lifting_from_the_banner_returns_it_where_it_was(client, world, held):
    client.force_login(world.party_reviewer)
    task = NominationTask.objects.open_for(held)

    response = post_lift(client, held)

    assert response.status_code == 302
    n = Nomination.objects.get(pk=held.pk)
    assert n.status == Status.PARTY_COMMITTEE_REVIEW
    assert NominationTask.objects.open_for(n).pk == task.pk
    html = client.get(response.url).content.decode()
    assert "hold-banner" not in html
    assert 'id="decision-approve"' in html


def test_lifting_without_a_resolution_is_a_form_error(client, world, held):
    client.force_login(world.party_reviewer)
    response = post_lift(client, held, resolution="")
    assert response.status_code == 400
    assert "Say how the matter was resolved." in response.content.decode()
    assert Nomination.objects.get(pk=held.pk).status == Status.ON_HOLD


def test_lifting_a_nomination_not_held_is_refused_not_crashed(client, world, at_party):
    client.force_login(world.party_reviewer)
    assert post_lift(client, at_party).status_code == 409


def test_approving_a_held_nomination_through_the_page_is_refused(client, world, held):
    client.force_login(world.party_reviewer)
    response = client.post(
        reverse("nomination_act", args=[held.pk, "approve"]), {"version": _version(held)}
    )
    assert response.status_code == 409
    assert "On hold" in response.content.decode()


def test_taking_the_task_of_a_held_nomination_is_refused(client, world, held):
    client.force_login(world.party_reviewer)
    task = NominationTask.objects.open_for(held)
    response = client.post(reverse("task_take", args=[task.pk]))
    assert response.status_code == 409
    assert NominationTask.objects.get(pk=task.pk).owner_id is None


def test_the_inbox_marks_held_work_with_its_kind_and_offers_no_take(client, world, walk, held):
    other = walk(_new(world), "submit", "approve")
    client.force_login(world.party_reviewer)
    html = client.get(reverse("inbox")).content.decode()

    rows = dict(re.findall(r"(N-\d{5})</a>(.*?)</tr>", html, re.S))  # each row by reference
    assert "On hold: Complaint or denunciation" in rows[held.reference]
    assert "hold-badge" not in rows[other.reference]
    assert "Take " + held.reference not in rows[held.reference]
    assert "Take " + other.reference in rows[other.reference]


def test_the_inbox_costs_the_same_queries_with_held_work(client, world, walk, held):
    client.force_login(world.party_reviewer)
    one = _queries(_get(client, reverse("inbox")))
    for _ in range(3):
        n = walk(_new(world), "submit", "approve")
        services.place_hold(n, actor=world.secretary, kind=HoldKind.DISCIPLINE, reason=REASON)
    assert _queries(_get(client, reverse("inbox"))) == one


def test_the_held_page_costs_the_same_queries_however_long_its_history(client, world, held):
    client.force_login(world.party_reviewer)
    url = reverse("nomination_detail", args=[held.pk])
    short = _queries(_get(client, url))
    n = held
    for _ in range(3):
        n = services.lift_hold(n, actor=world.party_reviewer, resolution=RESOLUTION).nomination
        n = services.place_hold(
            n, actor=world.party_reviewer, kind=HoldKind.COMPLAINT, reason=REASON
        ).nomination
    assert _queries(_get(client, url)) == short


def test_the_list_filters_nominations_on_hold(client, world, walk, held):
    other = walk(_new(world), "submit")
    client.force_login(world.proposer)
    response = client.get(reverse("nomination_list"), {"status": "on_hold"})
    assert response.status_code == 200
    html = response.content.decode()
    assert held.reference in html
    assert other.reference not in html


def test_the_timelines_show_the_hold_and_its_lifting_with_their_reasons(client, world, held):
    services.lift_hold(held, actor=world.party_reviewer, resolution=RESOLUTION)
    client.force_login(world.proposer)
    html = page(client, held)
    timeline = re.search(r'<ol class="timeline">.*?</ol>', html, re.S).group(0)
    assert "Put on hold" in timeline and REASON in timeline
    assert "Complaint or denunciation" in timeline
    assert "Hold lifted" in timeline and RESOLUTION in timeline

    client.force_login(world.inspector)
    html = client.get(reverse("inspector_timeline", args=[held.pk])).content.decode()
    assert "Put on hold" in html and REASON in html and "Complaint or denunciation" in html
    assert "Hold lifted" in html and RESOLUTION in html
    assert AuditEvent.objects.filter(nomination_id=held.pk).count() >= 5
