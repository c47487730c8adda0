"""The inbox and a nomination's page cost the same number of queries however long the queue
or the history: nothing is fetched per row. (The benchmark, `make bench`, times them at
100,000 nominations; these tests keep the counts from creeping back.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nominations import services as dossier
from nominations.people import display_name
from notifications.services import notify_until_caught_up
from tests.factories import AwardTypeFactory, UnitFactory, person
from workflows import services, views
from workflows.selectors import inbox_for, inbox_parts, with_names


def _new(world):
    return dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=person(world.unit),
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def _get(client, url):
    def call():
        assert client.get(url).status_code == 200

    return call


def _at_party_committee(world, walk, count):
    for _ in range(count):
        walk(_new(world), "submit", "approve")


def test_inbox_page_queries_do_not_grow_with_the_queue(client, world, walk):
    _at_party_committee(world, walk, 1)
    client.force_login(world.party_reviewer)
    short = _queries(_get(client, reverse("inbox")))
    _at_party_committee(world, walk, 12)
    assert _queries(_get(client, reverse("inbox"))) == short


def test_inbox_queries_do_not_grow_with_tasks_taken(client, world, walk):
    _at_party_committee(world, walk, 3)
    client.force_login(world.party_reviewer)
    none_taken = _queries(_get(client, reverse("inbox")))
    for task in inbox_for(world.party_reviewer):
        services.take_task(task, actor=world.party_reviewer)
    # (An empty queue even saves fetching its page.)
    assert _queries(_get(client, reverse("inbox"))) <= none_taken


def test_inbox_selector_reads_the_tasks_in_one_query_and_their_names_in_a_few(world, walk):
    _at_party_committee(world, walk, 12)
    user = world.party_reviewer
    services.take_task(inbox_for(user)[0], actor=user)  # an owner to name too
    policy_read = _queries(lambda: list(inbox_for(user)[:1]))  # reads the roles, then the tasks
    # The tasks, then by id their award types, units, nominees and owners: at any page size.
    first = _queries(lambda: list(inbox_for(user)[:1]))  # roles are read once per user
    assert first == _queries(lambda: list(inbox_for(user)[:10])) == 5
    with CaptureQueriesContext(connection) as reading:
        tasks = list(inbox_for(user))
    assert len(tasks) == 12 and len(reading.captured_queries) == first
    tasks_read = reading.captured_queries[0]["sql"]
    assert '"name_vi"' not in tasks_read and '"first_name"' not in tasks_read  # by id, after
    with CaptureQueriesContext(connection) as shown:
        for task in tasks:
            assert task.nomination.nominee_name  # read with the tasks: no query per row
            assert str(task.nomination.award_type)
            assert str(task.nomination.proposing_unit)
            assert task.owner is None or display_name(task.owner)
    assert not shown.captured_queries
    assert policy_read <= first + 2


def test_the_inbox_reads_what_its_rows_show_and_not_the_dossiers(world, walk):
    _at_party_committee(world, walk, 2)
    user = world.party_reviewer
    services.take_task(inbox_for(user)[0], actor=user)
    tasks = list(inbox_for(user))
    mine, waiting = (with_names(list(part)) for part in inbox_parts(user))
    assert len(tasks) == 2 and len(mine) == 1 and len(waiting) == 1
    with CaptureQueriesContext(connection) as during:
        shown = [
            (
                t.nomination.reference,
                t.nomination.nominee_name,
                t.nomination.award_type.name,
                t.nomination.proposing_unit.name,
                t.stage,
                t.role,
                t.due_on,
                t.flow_task.name,
                t.hold_kind,
            )
            for t in (*tasks, *mine, *waiting)
        ]
        owners = {display_name(t.owner) if t.owner_id else "" for t in tasks}  # the API's
    assert not during.captured_queries  # every row shown from what was read
    assert len(shown) == 4 and owners == {"", display_name(user)}
    for t in (*tasks, *mine, *waiting):  # the dossier's text stays in the database
        assert {
            "achievements",
            "contributions",
            "initiatives",
        } <= t.nomination.get_deferred_fields()


@pytest.mark.parametrize("viewer", ["party_reviewer", "proposer", "inspector"])
def test_detail_page_queries_do_not_grow_with_the_history(client, world, walk, viewer):
    # A short history with one return (the page then also shows what changed since)...
    nomination = walk(_new(world), "submit", "return_for_revision", "resubmit", "approve")
    client.force_login(getattr(world, viewer))
    url = reverse("nomination_detail", args=[nomination.pk])
    short = _queries(_get(client, url))
    # ...and a long one: more returns, dossier edits and resubmissions, back at the same stage.
    for round_ in range(4):
        nomination = walk(nomination, "return_for_revision")
        for edit in range(3):
            nomination = dossier.update_dossier(
                nomination,
                actor=world.proposer,
                changes={"initiatives": f"Sáng kiến {round_}.{edit}"},
            )
        nomination = walk(nomination, "resubmit", "approve")
    assert nomination.status == "party_committee_review"
    assert nomination.tasks.count() > 10
    assert _queries(_get(client, url)) == short


def test_detail_page_queries_do_not_grow_with_evidence(client, world):
    nomination = _new(world)
    client.force_login(world.proposer)
    url = reverse("nomination_detail", args=[nomination.pk])
    short = _queries(_get(client, url))
    for i in range(5):
        dossier.add_evidence(
            nomination,
            actor=world.proposer,
            kind="achievement_report",
            upload=SimpleUploadedFile(f"r{i}.pdf", b"%PDF-1.4", content_type="application/pdf"),
        )
        nomination.refresh_from_db()
    assert _queries(_get(client, url)) == short


def test_inbox_shows_the_shared_queue_a_page_at_a_time(client, world, walk, monkeypatch):
    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 5)
    _at_party_committee(world, walk, 12)
    client.force_login(world.party_reviewer)
    first = client.get(reverse("inbox"))
    assert len(first.context["waiting"]) == 5
    assert first.context["page"].paginator.count == 12
    assert "Page 1 of 3" in first.content.decode()
    last = client.get(reverse("inbox"), {"page": 3})
    assert len(last.context["waiting"]) == 2
    seen = {
        t.pk
        for p in (1, 2, 3)
        for t in client.get(reverse("inbox"), {"page": p}).context["waiting"]
    }
    assert len(seen) == 12
    assert _queries(_get(client, reverse("inbox") + "?page=3")) == _queries(
        _get(client, reverse("inbox"))
    )


def test_the_bell_costs_the_same_queries_for_one_unread_or_thirty(client, world, walk):
    walk(_new(world), "submit")
    notify_until_caught_up()
    client.force_login(world.unit_head)
    one = _queries(_get(client, reverse("inbox")))
    for _ in range(29):
        walk(_new(world), "submit")
    notify_until_caught_up()
    assert _queries(_get(client, reverse("inbox"))) == one
    assert 'data-testid="unread-count">30<' in client.get(reverse("inbox")).content.decode()


def test_the_inspectors_search_costs_the_same_queries_for_one_event_or_a_page_of_them(
    client, world, walk
):
    """A page of results names each event's unit, award and campaign from the lists the
    filters offer: neither more events nor more units and awards to offer cost a query."""
    client.force_login(world.inspector)
    url = reverse("inspector_events") + "?action=nomination.submitted"
    walk(_new(world), "submit")
    one = _queries(_get(client, url))
    for code in ("unit-c", "unit-d"):
        UnitFactory(code=code, parent=world.department)
    AwardTypeFactory(code="other")
    for _ in range(6):
        walk(_new(world), "submit")
    assert _queries(_get(client, url)) == one
    assert client.get(url).content.decode().count('href="/inspector/nominations/') == 7


@pytest.mark.postgres
@pytest.mark.parametrize("read", ["page's waiting part", "inbox selector"])
def test_the_waiting_queue_is_walked_in_due_order_from_its_index_on_postgresql(world, walk, read):
    """The inbox's page of the shared queue, and a slice of the whole inbox (taken and waiting
    tasks), read `task_waiting_idx` in due order and stop after the page, rather than sorting
    every waiting task of the role: with sorting and the other scans priced out, the plan must
    still be an index scan of it (the index's condition matches the query's; a change to either
    would break this)."""
    _at_party_committee(world, walk, 3)
    user = world.party_reviewer
    page = (inbox_parts(user)[1] if read == "page's waiting part" else inbox_for(user))[:25]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_sort = off")
        cur.execute("SET LOCAL enable_bitmapscan = off")
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "Index Scan using task_waiting_idx on workflows_nominationtask" in plan
    if read == "inbox selector":  # the two parts, each in due order, merged up to the page
        assert plan.splitlines()[1].lstrip(" ->").startswith("Merge Append"), plan
