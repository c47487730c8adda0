"""The pages that list work: the inbox, the nominations list, the dashboard and delegations,
as a user sees them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.selectors import capped_count
from nominations import services as dossier
from nominations.models import Delegation, Holiday
from nominations.roles import Role
from workflows import selectors, views
from workflows.models import NominationTask

from ..factories import person
from .test_review_ui import working_days_ago


def propose(world, *, award_type=None, nominee=None, achievements="Hoàn thành xuất sắc nhiệm vụ."):
    return dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=award_type or world.full,
        proposing_unit=world.unit,
        nominee_person=nominee or person(world.unit),
        achievements=achievements,
    )


def listed(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].paginated_rows]


def html(response) -> str:
    return response.content.decode()


# --- the inbox ----------------------------------------------------------------------------


def test_the_inbox_counts_what_waits_and_marks_overdue_and_due_soon_work(client, world, walk):
    late, soon, later = (walk(propose(world), "submit") for _ in range(3))
    today = timezone.localdate()
    NominationTask.objects.filter(nomination=late).update(due_on=today - datetime.timedelta(1))
    NominationTask.objects.filter(nomination=soon).update(due_on=today)
    NominationTask.objects.filter(nomination=later).update(due_on=today + datetime.timedelta(30))
    client.force_login(world.unit_head)

    page = client.get(reverse("inbox"))

    assert page.context["counts"] == {"taken": 0, "waiting": 3, "overdue": 1, "soon": 1}
    body = html(page)
    assert re.search(r'data-testid="count-overdue">1<', body)
    assert re.search(r'data-testid="count-waiting">3<', body)
    rows = {
        ref: row
        for row in body.split('<tr class="task')
        for ref in [late, soon, later]
        if f">{ref.reference}<" in row
    }
    # How long overdue, in working days ("Overdue" alone if yesterday was not a working day).
    assert re.search(r'overdue-badge">(1 working day overdue|Overdue)<', rows[late])
    assert "due-soon-badge" in rows[soon] and "overdue-badge" not in rows[soon]
    assert "badge" not in rows[later]
    # Each row is one click from the work; the waiting ones can be taken from here.
    assert reverse("nomination_detail", args=[late.pk]) in rows[late]
    task = NominationTask.objects.get(nomination=late, status="NEW")
    assert reverse("task_take", args=[task.pk]) in rows[late]

    client.post(reverse("task_take", args=[task.pk]))
    page = client.get(reverse("inbox"))
    assert page.context["counts"] == {"taken": 1, "waiting": 2, "overdue": 1, "soon": 1}
    assert [t.nomination_id for t in page.context["mine"]] == [late.pk]


def test_an_overdue_task_says_how_many_working_days_overdue(client, world, walk):
    """Counted as the due-soon badge counts, today excluded, weekends and holidays skipped."""
    six, one = (walk(propose(world), "submit") for _ in range(2))
    today = timezone.localdate()
    holiday = working_days_ago(today, 3)
    Holiday.objects.create(date=holiday, name="Giỗ Tổ Hùng Vương")
    due = working_days_ago(today, 6, holidays={holiday})
    NominationTask.objects.filter(nomination=six).update(due_on=due)
    NominationTask.objects.filter(nomination=one).update(due_on=working_days_ago(today, 1))
    client.force_login(world.unit_head)
    body = html(client.get(reverse("inbox")))
    rows = {
        ref: row
        for row in body.split('<tr class="task')
        for ref in [six, one]
        if f">{ref.reference}<" in row
    }
    assert (
        '<span class="badge text-bg-danger overdue-badge">6 working days overdue</span>'
        in (rows[six])
    )
    assert f'<time datetime="{due:%Y-%m-%d}">' in rows[six]
    assert ">1 working day overdue<" in rows[one]


def test_the_inbox_rows_become_cards_on_a_phone(client, world, walk):
    """One table; below the md breakpoint laurel.css draws each row as a card, its cells named
    so the card can order them: reference and nominee, award, unit, stage, due, action."""
    walk(propose(world), "submit")
    client.force_login(world.unit_head)
    body = html(client.get(reverse("inbox")))
    assert '<table class="table table-sm table-hover align-middle mb-0 tasks task-cards"' in body
    row = body.split('<tr class="task')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="task-(\w+)[^"]*" role="cell">', row)
    assert cells == ["ref", "award", "unit", "stage", "due", "action"]
    assert '<span class="d-md-none text-body-secondary">Due:</span>' in row  # the card's label


def test_an_empty_inbox_says_so_and_offers_a_proposer_a_new_nomination(client, world):
    client.force_login(world.proposer)
    body = html(client.get(reverse("inbox")))
    assert "Nothing waits for you." in body
    assert "empty-state" in body and reverse("nomination_create") in body

    client.force_login(world.leader)
    body = html(client.get(reverse("inbox")))
    assert "Nothing waits for you." in body
    assert reverse("nomination_create") not in body


def test_the_inbox_summary_costs_the_same_queries_however_many_tasks_are_late(client, world, walk):
    walk(propose(world), "submit")
    client.force_login(world.unit_head)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("inbox"))
    for _ in range(4):
        walk(propose(world), "submit")
    NominationTask.objects.update(due_on=timezone.localdate() - datetime.timedelta(3))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("inbox"))
    assert page.context["counts"]["overdue"] == 5
    assert len(many) == len(few)


# --- the nominations list -------------------------------------------------------------------


def test_filters_narrow_the_list_by_status_award_and_search(client, world, walk):
    other_person = person(world.unit, username="tran")
    other_person.first_name, other_person.last_name = "Bình", "Trần Thị"
    other_person.save()
    submitted = walk(propose(world), "submit")
    short = propose(world, award_type=world.short, achievements="Sáng kiến số hoá hồ sơ.")
    named = propose(world, nominee=other_person)
    client.force_login(world.proposer)
    url = reverse("nomination_list")

    assert set(listed(client.get(url))) == {submitted.pk, short.pk, named.pk}
    assert listed(client.get(url, {"status": "unit_review"})) == [submitted.pk]
    assert listed(client.get(url, {"award_type": world.short.pk})) == [short.pk]
    assert listed(client.get(url, {"q": "số hoá"})) == [short.pk]
    assert listed(client.get(url, {"q": "Trần Bình"})) == [named.pk]
    assert listed(client.get(url, {"q": named.reference})) == [named.pk]
    assert listed(client.get(url, {"q": "số hoá", "status": "unit_review"})) == []
    assert listed(client.get(url, {"proposing_unit": world.unit.pk, "status": "draft"})) == [
        named.pk,
        short.pk,
    ]

    page = client.get(url, {"status": "unit_review"})
    body = html(page)
    assert "1 nomination<" in body
    assert '<span class="status unit_review">Unit head confirmation</span>' in body
    assert reverse("nomination_detail", args=[submitted.pk]) in body
    nothing = html(client.get(url, {"q": "không có"}))
    assert "No nomination matches these filters." in nothing and "Clear filters" in nothing


def test_the_list_sorts_by_its_columns(client, world):
    first, second, third = (propose(world) for _ in range(3))
    client.force_login(world.proposer)
    url = reverse("nomination_list")
    assert listed(client.get(url)) == [third.pk, second.pk, first.pk]  # newest first
    assert listed(client.get(url, {"sort": "reference"})) == [first.pk, second.pk, third.pk]
    body = html(client.get(url, {"sort": "reference"}))
    assert 'aria-sort="ascending"' in body and "sort=-reference" in body
    for column in ["nominee", "award_type", "proposing_unit", "status", "updated_at"]:
        assert client.get(url, {"sort": f"-{column}"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"award_type": "abc"},
        {"award_type": "999999"},
        {"campaign": "1; DROP TABLE"},
        {"proposing_unit": "-1"},
        {"page": "zz"},
        {"page": "999"},
        {"sort": "nominee_person__password"},
        {"q": "x" * 5000},
        {"q": "N-99999999999999999999"},
    ],
)
def test_bad_filter_values_never_break_the_list(client, world, query):
    propose(world)
    client.force_login(world.proposer)
    response = client.get(reverse("nomination_list"), query)
    assert response.status_code == 200


def test_an_unreadable_filter_is_shown_as_a_form_error_and_left_out(client, world):
    draft = propose(world)
    client.force_login(world.proposer)
    response = client.get(reverse("nomination_list"), {"status": "bogus"})
    assert "is-invalid" in html(response)
    assert listed(response) == [draft.pk]


def test_a_unit_filter_offers_only_the_units_the_user_holds_a_role_over(client, world):
    client.force_login(world.proposer)
    form = client.get(reverse("nomination_list")).context["filters"].form
    assert list(form.fields["proposing_unit"].queryset) == [world.unit]


def test_the_list_costs_the_same_queries_at_any_number_of_rows(client, world):
    client.force_login(world.proposer)
    url = reverse("nomination_list") + f"?award_type={world.full.pk}&sort=nominee"
    propose(world)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        propose(world)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(listed(response)) == 25  # a page at a time
    assert len(many) == len(few)


def test_an_empty_list_offers_a_proposer_a_new_nomination(client, world):
    client.force_login(world.proposer)
    body = html(client.get(reverse("nomination_list")))
    assert "No nominations yet." in body and reverse("nomination_create") in body
    client.force_login(world.inspector)
    body = html(client.get(reverse("nomination_list")))
    assert "No nominations to show." in body and reverse("nomination_create") not in body


# --- the dashboard ------------------------------------------------------------------------


CHARTS = [
    ("chart-stage", "Nominations by stage"),
    ("chart-award", "Nominations by award"),
    ("chart-unit", "Nominations by proposing unit"),
    ("chart-median", "Median time in each stage (days)"),
]


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_the_dashboard_draws_accessible_charts_for_leaders_and_inspectors(client, world, walk, who):
    for _ in range(2):
        walk(propose(world), "submit", "approve", "approve")
    client.force_login(getattr(world, who))
    body = html(client.get(reverse("dashboard")))
    for chart_id, title in CHARTS:
        assert f'<title id="{chart_id}-title">{title}</title>' in body
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in body
    assert body.count('role="img"') == len(CHARTS)
    assert re.search(r'data-testid="kpi-total">2<', body)
    assert "Leadership review: 2" in body  # the chart's description carries its figures
    assert "Figures for nominations you may see:" in body
    scope = re.search(r'data-testid="dashboard-scope">(.*?)</p>', body, re.S).group(1)
    if who == "inspector":
        assert "the whole agency" in scope
    else:
        assert world.agency.name in scope and "Leadership reviewer" in scope


def test_a_proposer_sees_only_the_figures_of_their_unit(client, world, walk):
    walk(propose(world), "submit")
    stranger = person(world.other_unit, username="elsewhere")
    dossier.create_draft(
        actor=world.other_proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.other_unit,
        nominee_person=stranger,
        achievements="Hoàn thành tốt nhiệm vụ.",
    )
    client.force_login(world.proposer)
    body = html(client.get(reverse("dashboard")))
    assert re.search(r'data-testid="kpi-total">1<', body)
    assert re.search(r'data-testid="kpi-in-progress">1<', body)
    assert world.unit.name in body
    assert world.other_unit.name not in body
    scope = re.search(r'data-testid="dashboard-scope">(.*?)</p>', body, re.S).group(1)
    assert world.unit.name in scope and "whole agency" not in scope


# --- delegations --------------------------------------------------------------------------


def test_delegations_are_listed_with_their_status(client, world):
    today = timezone.localdate()
    Delegation.objects.create(
        principal=world.leader,
        delegate=world.party_reviewer,
        role=Role.LEADERSHIP_REVIEWER,
        unit=world.agency,
        starts_on=today,
        ends_on=today + datetime.timedelta(7),
    )
    client.force_login(world.leader)
    body = html(client.get(reverse("delegations")))
    assert '<span class="badge text-bg-success">active</span>' in body
    assert "btn btn-sm btn-outline-danger" in body  # it can be revoked
    assert 'class="form-select' in body  # the Bootstrap form to delegate again
    client.force_login(world.party_reviewer)
    body = html(client.get(reverse("delegations")))
    assert "active" in body and "Revoke" not in body


# --- the navigation's inbox badge ------------------------------------------------------------


def _badge(response) -> int | None:
    found = re.search(r'data-testid="inbox-count">(\d+)<', html(response))
    return int(found.group(1)) if found else None


DUE_DATES = 'SELECT "workflows_nominationtask"."due_on"'


def _counts_of_the_queue(client, url) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    counted = [  # a count, or the read of the queue's due dates that counts it
        q["sql"]
        for q in queries.captured_queries
        if "workflows_nominationtask" in q["sql"]
        and ("COUNT(" in q["sql"].upper() or q["sql"].startswith(DUE_DATES))
    ]
    return response, len(counted)


def test_the_inbox_badge_is_counted_once_and_follows_ones_own_actions(
    client, world, walk, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for _ in range(2):
        walk(propose(world), "submit")
    client.force_login(world.unit_head)
    # The inbox page counts its queue (waiting, overdue, due soon: one read of its due dates),
    # and the badge reuses that.
    response, counts = _counts_of_the_queue(client, reverse("inbox"))
    assert _badge(response) == 2 and counts == 1
    # Other pages show the remembered figure without counting again...
    response, counts = _counts_of_the_queue(client, reverse("nomination_list"))
    assert _badge(response) == 2 and counts == 0
    # ...until the user acts: then the badge is counted afresh.
    task = NominationTask.objects.filter(status="NEW").first()
    nomination = task.nomination
    client.post(
        reverse("nomination_act", args=[nomination.pk, "approve"]),
        {"version": nomination.version, "reasons": ""},
    )
    response, counts = _counts_of_the_queue(client, reverse("nomination_list"))
    assert _badge(response) == 1 and counts == 1


def test_a_queue_longer_than_the_cap_is_counted_to_the_cap_and_says_so(
    client, world, walk, monkeypatch
):
    for module in (selectors, views):
        monkeypatch.setattr(module, "INBOX_COUNT_CAP", 2)
    for _ in range(3):
        walk(propose(world), "submit")
    client.force_login(world.unit_head)
    page = html(client.get(reverse("inbox")))
    assert re.search(r'data-testid="count-waiting">2\+<', page)
    assert "The first 2 by due date are listed" in page
    assert len(re.findall(r'<tr class="task', page)) == 2


@pytest.mark.parametrize(
    "days, expected",
    [
        # (working) days from today to each task's due date → waiting, overdue, due soon
        ([-3, -2, -1], (3, 3, 0)),  # every task read is overdue: overdue counted on its own
        ([-1, 0, 0, 30], (3, 1, 2)),  # the read ends due soon: due soon counted on its own
        ([-1, 0, 30, 30], (3, 1, 1)),  # the read holds them all
        ([0, None, None], (3, 0, 1)),  # a task without a due date comes last
    ],
)
def test_the_queue_counts_at_the_cap_are_what_separate_counts_give(world, walk, days, expected):
    today = timezone.localdate()
    for offset in days:
        n = walk(propose(world), "submit")
        due = None if offset is None else today + datetime.timedelta(offset)
        NominationTask.objects.filter(nomination=n).update(due_on=due)
    waiting = selectors.waiting_for(world.unit_head)
    soon = today + datetime.timedelta(2)
    found = selectors.waiting_counts(waiting, today, soon, cap=2)
    assert found == expected
    separate = (
        capped_count(waiting, 2),
        capped_count(waiting.filter(due_on__lt=today), 2),
        capped_count(waiting.filter(due_on__gte=today, due_on__lte=soon), 2),
    )
    assert found == separate


@pytest.mark.parametrize("who, offered", [("proposer", True), ("unit_head", False)])
def test_new_nomination_is_offered_only_to_who_may_draft_one(client, world, who, offered):
    client.force_login(getattr(world, who))
    page = html(client.get(reverse("inbox")))
    assert (f'href="{reverse("nomination_create")}"' in page) is offered
    if not offered:  # and the page it would lead to refuses them
        assert client.get(reverse("nomination_create")).status_code in (403, 404)
