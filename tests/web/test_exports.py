"""The lists' and reports' exports (`nominations.exports`): each holds exactly the rows its page
shows under the same filters and policy, with the page's headers in the reader's language; the
CSV opens with its header row; an export costs the same queries for 2 rows as for 20; who may
not see the page may not export it."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from approvals import selectors as council_selectors
from nominations import exports
from nominations import services as dossier
from nominations.models import Nomination
from nominations.templatetags.laurel import status_label
from tests.approvals import conftest as council_fixtures
from tests.factories import person
from workflows.models import NominationTask

members = council_fixtures.members
at_council = council_fixtures.at_council
plan = council_fixtures.plan


def rows_of(response) -> list[list[str]]:
    """The file's rows as text, header first, whichever the format."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    if response["Content-Type"].startswith("text/csv"):
        raw = b"".join(response.streaming_content)
        assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark, then the header
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert response["Content-Type"] == exports.XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]


def _draft(world, unit=None, proposer=None, award=None):
    unit = unit or world.unit
    return dossier.create_draft(
        actor=proposer or world.proposer,
        campaign=world.campaign,
        award_type=award or world.full,
        proposing_unit=unit,
        nominee_person=person(unit),
        achievements="=1+1 Hoàn thành xuất sắc nhiệm vụ năm.",
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


# --- the nominations list ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_the_list_exports_the_rows_the_page_shows_under_its_filters(client, world, walk, fmt):
    drafts = [_draft(world) for _ in range(3)]
    walk(drafts[0], "submit")
    _draft(world, unit=world.other_unit, proposer=world.other_proposer)  # not the head's to see
    client.force_login(world.unit_head)
    for query in ({}, {"status": "draft"}, {"status": "unit_review"}, {"sort": "nominee"}):
        page = client.get(reverse("nomination_list"), query)
        shown = [r.reference for r in page.context["table"].page.object_list.data]
        exported = rows_of(client.get(reverse("nomination_list"), {**query, "export": fmt}))
        header = [str(c.header) for c in page.context["table"].columns]
        assert exported[0] == header
        assert [row[0] for row in exported[1:]] == shown, query
    everything = rows_of(client.get(reverse("nomination_list"), {"export": fmt}))
    assert {row[0] for row in everything[1:]} == {d.reference for d in drafts}
    statuses = {d.reference: status_label(d.status) for d in Nomination.objects.all()}
    assert all(row[4] == statuses[row[0]] for row in everything[1:])
    assert statuses[drafts[0].reference] != statuses[drafts[1].reference]


def test_the_list_export_is_every_page_of_the_list(client, world, monkeypatch):
    monkeypatch.setattr("nominations.views.LIST_PAGE_SIZE", 2)
    drafts = [_draft(world) for _ in range(5)]
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_list"))
    assert len(page.context["table"].page.object_list) == 2
    exported = rows_of(client.get(reverse("nomination_list"), {"export": "csv"}))
    assert [r[0] for r in exported[1:]] == [d.reference for d in reversed(drafts)]
    assert "export=csv" in page.content.decode() and "export=xlsx" in page.content.decode()


def test_the_list_headers_follow_the_readers_language(client, world):
    _draft(world)
    client.force_login(world.proposer)
    client.cookies["django_language"] = "vi"
    exported = rows_of(
        client.get(reverse("nomination_list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="vi")
    )
    page = client.get(reverse("nomination_list"), HTTP_ACCEPT_LANGUAGE="vi")
    assert exported[0] == [str(c.header) for c in page.context["table"].columns]
    assert exported[0][0] != "Reference"


def test_the_list_export_costs_the_same_queries_for_2_rows_and_20(client, world):
    client.force_login(world.proposer)
    url = reverse("nomination_list") + "?export=xlsx"
    for _ in range(2):
        _draft(world)
    few = _queries(lambda: rows_of(client.get(url)))
    for _ in range(18):
        _draft(world)
    assert _queries(lambda: rows_of(client.get(url))) == few
    assert len(rows_of(client.get(url))) == 21


def test_free_text_is_never_exported_as_a_formula(client, world):
    unit = world.unit
    nominee = person(unit, first_name="=HYPERLINK(1)", last_name="@x")
    dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=unit,
        nominee_person=nominee,
    )
    client.force_login(world.proposer)
    for fmt in exports.FORMATS:
        (row,) = rows_of(client.get(reverse("nomination_list"), {"export": fmt}))[1:]
        assert row[1].startswith("'")


# --- the inbox -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_the_inbox_exports_what_waits_and_what_is_taken(client, world, walk, fmt):
    waiting = [walk(_draft(world), "submit") for _ in range(3)]
    client.force_login(world.unit_head)
    client.post(reverse("task_take", args=[_task(waiting[0]).pk]))
    page = client.get(reverse("inbox"))
    shown = [t.nomination.reference for t in (*page.context["mine"], *page.context["waiting"])]
    exported = rows_of(client.get(reverse("inbox"), {"export": fmt}))
    assert exported[0][:3] == ["List", "Nomination", "Nominee"]
    assert [r[1] for r in exported[1:]] == shown
    assert exported[1][0] == "Taken by me" and exported[2][0] == "Waiting for my roles"
    assert "export=csv" in page.content.decode()
    # The proposer waits on none of them: an export of nothing but the header.
    client.force_login(world.other_proposer)
    assert len(rows_of(client.get(reverse("inbox"), {"export": fmt}))) == 1


def _task(nomination):
    return NominationTask.objects.filter(nomination=nomination, finished__isnull=True).get()


def test_the_inbox_export_costs_the_same_queries_for_2_rows_and_20(client, world, walk):
    client.force_login(world.unit_head)
    url = reverse("inbox") + "?export=csv"
    for _ in range(2):
        walk(_draft(world), "submit")
    few = _queries(lambda: rows_of(client.get(url)))
    for _ in range(18):
        walk(_draft(world), "submit")
    assert _queries(lambda: rows_of(client.get(url))) == few
    assert len(rows_of(client.get(url))) == 21


def test_the_inbox_export_needs_a_sign_in(client):
    response = client.get(reverse("inbox"), {"export": "csv"})
    assert response.status_code == 302 and "login" in response["Location"]


# --- the inspector's event search ----------------------------------------------------------


def test_the_event_search_exports_xlsx_for_inspectors_only(client, world, walk):
    walk(_draft(world), "submit")
    client.force_login(world.inspector)
    query = {"action": "nomination.submitted"}
    page = client.get(reverse("inspector_events"), query)
    shown = [e.seq for e in page.context["page"].events]
    exported = rows_of(client.get(reverse("inspector_events"), {**query, "export": "xlsx"}))
    assert exported[0][:3] == ["seq", "occurred_at", "action"]
    assert sorted(int(r[0]) for r in exported[1:]) == sorted(shown) and shown
    assert "export=xlsx" in page.content.decode()
    for who in (world.proposer, world.secretary, world.admin):
        client.force_login(who)
        assert client.get(reverse("inspector_events"), {"export": "xlsx"}).status_code == 403


# --- the council's agenda and tally --------------------------------------------------------


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_the_council_agenda_exports_its_items_as_the_page_shows_them(
    client, world, at_council, plan, fmt
):
    for _ in range(3):
        at_council()
    session = plan()
    client.force_login(world.secretary)
    page = client.get(reverse("council_session", args=[session.pk]))
    shown = [i.nomination.reference for i in page.context["items"]]
    exported = rows_of(client.get(reverse(f"council_agenda_{fmt}", args=[session.pk])))
    assert exported[0][:3] == ["Position", "Nomination", "Nominee"]
    assert [r[1] for r in exported[1:]] == shown and len(shown) == 3
    assert {r[6] for r in exported[1:]} == {"On the agenda"}
    assert reverse(f"council_agenda_{fmt}", args=[session.pk]) in page.content.decode()
    # Someone the session is not shown to cannot export it.
    client.force_login(world.proposer)
    assert client.get(reverse("council_session", args=[session.pk])).status_code == 404
    assert client.get(reverse(f"council_agenda_{fmt}", args=[session.pk])).status_code == 404


def test_the_council_agenda_export_costs_the_same_queries_for_2_items_and_20(
    client, world, at_council, plan
):
    for _ in range(2):
        at_council()
    small = plan()
    for _ in range(18):
        at_council()
    large = plan()
    client.force_login(world.secretary)
    assert len(council_selectors.agenda(large)) == 18
    few = _queries(lambda: rows_of(client.get(reverse("council_agenda_xlsx", args=[small.pk]))))
    many = _queries(lambda: rows_of(client.get(reverse("council_agenda_xlsx", args=[large.pk]))))
    assert many == few


# --- the quota report and the registrations ------------------------------------------------


def test_the_quota_report_and_registrations_are_refused_to_those_who_may_not_read_them(
    client, world
):
    client.force_login(world.staff)
    assert client.get(reverse("quota_report"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("quota_report"), {"format": "xlsx"}).status_code == 403
    assert client.get(reverse("registrations_csv")).status_code == 404
    assert client.get(reverse("registrations_xlsx")).status_code == 404
