"""The inspectors' workspace: full timelines with revisions, search, audited exports, the
integrity panel; inspectors change nothing; secret-ballot choices never show."""

import csv
import html
import io
import json
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from audit import services as audit
from audit.events import Event
from audit.models import AuditEvent, VerificationRun
from nominations import services as dossier
from nominations.models import Evidence, Nomination
from reporting import inspector as inspector_views
from workflows.models import NominationTask
from workflows.views import ACTIONS

SECRET = "CHOICE-THAT-MUST-NOT-LEAK"


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def inspector(client, world):
    client.force_login(world.inspector)
    return client


def test_an_inspector_follows_a_nomination_from_draft_to_resubmission(inspector, history):
    page = body(inspector.get(reverse("inspector_timeline", args=[history.pk])))
    events = AuditEvent.objects.filter(nomination_id=history.pk)
    for event in events:
        assert f"#{event.seq}" in page
    assert "Lý do: return_for_revision" in page  # the reviewer's reasons
    assert "Party committee reviewer" in page or "party" in page
    assert "Returns for revision" in page
    assert "<ins>Thêm.</ins>" in page  # the field changed between returned and resubmitted


def test_the_timeline_says_when_a_dossier_came_back_unchanged(inspector, world, draft, walk):
    n = walk(draft, "submit", "return_for_revision", "resubmit")
    page = body(inspector.get(reverse("inspector_timeline", args=[n.pk])))
    assert "Resubmitted without any change to the dossier." in page


def test_only_inspectors_enter_the_workspace(client, world, history):
    client.force_login(world.party_reviewer)
    for name, args in [
        ("inspector_home", []),
        ("inspector_events", []),
        ("inspector_reports", []),
        ("inspector_timeline", [history.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse("inspector_verify")).status_code == 403
    assert not VerificationRun.objects.exists()


def test_search_finds_events_by_actor_action_unit_award_campaign_and_dates(
    inspector, world, history, walk, draft
):
    url = reverse("inspector_events")
    returned = AuditEvent.objects.get(action=Event.RETURNED)
    page = body(inspector.get(url, {"actor": world.party_reviewer.username}))
    assert f"#{returned.seq}" in page
    assert body(inspector.get(url, {"action": Event.RETURNED})).count("<tr>") == 2
    assert "1 event" in body(inspector.get(url, {"action": Event.RETURNED}))
    other = body(inspector.get(url, {"unit": world.other_unit.pk}))
    assert "0 events" in other
    assert f"#{returned.seq}" in body(
        inspector.get(url, {"award_type": world.full.pk, "campaign": world.campaign.pk})
    )
    day = timezone.localdate(returned.occurred_at).isoformat()
    assert f"#{returned.seq}" in body(inspector.get(url, {"since": day, "until": day}))
    assert "0 events" in body(inspector.get(url, {"until": "2000-01-01"}))


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]*)" rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


def _seqs(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="d-none d-md-table-cell">(\d+)</td>', page)]


def test_search_pages_by_event_number_newer_and_older_with_the_filters_kept(inspector, world):
    # 120 events in the same instant (the page's edge falls inside it), 60 of one action among
    # them: the filter must survive paging, and no event is skipped or shown twice.
    with time_machine.travel(timezone.now(), tick=False), transaction.atomic():
        for i in range(120):
            action = Event.TASK_TAKEN if i % 2 else Event.TASK_RELEASED
            audit.record(action, actor=world.admin, subject_type="t", subject_id=i)
    taken = list(
        AuditEvent.objects.filter(action=Event.TASK_TAKEN)
        .order_by("-seq")
        .values_list("seq", flat=True)
    )
    assert len(set(AuditEvent.objects.filter(seq__in=taken).values_list("occurred_at"))) == 1
    url = reverse("inspector_events")
    first = body(inspector.get(url, {"action": Event.TASK_TAKEN}))
    assert "60 events" in first
    assert _seqs(first) == taken[:50]
    assert _link(first, "prev") is None and _link(first, "first") is None
    older = _link(first, "next")
    assert older == f"?action={Event.TASK_TAKEN.value}&before={taken[49]}"

    second = body(inspector.get(url + older))  # the address alone: a shared link works
    assert _seqs(second) == taken[50:]
    assert "60 events" in second
    assert _link(second, "next") is None
    newer = _link(second, "prev")
    assert newer == f"?action={Event.TASK_TAKEN.value}&after={taken[50]}"
    assert _seqs(body(inspector.get(url + newer))) == taken[:50]

    oldest = body(inspector.get(url + _link(first, "last")))
    assert _seqs(oldest) == taken[-50:]
    assert _link(oldest, "next") is None
    assert _seqs(body(inspector.get(url + _link(oldest, "prev")))) == taken[:10]
    # An unreadable cursor is ignored: the newest page, not an error.
    assert (
        _seqs(body(inspector.get(url, {"action": Event.TASK_TAKEN, "before": "x"}))) == (taken[:50])
    )


def test_the_search_counts_no_further_than_its_cap(inspector, world, monkeypatch):
    with transaction.atomic():
        for i in range(12):
            audit.record(Event.TASK_TAKEN, actor=world.admin, subject_type="t", subject_id=i)
    monkeypatch.setattr(inspector_views, "COUNT_CAP", 10)
    page = body(inspector.get(reverse("inspector_events"), {"action": Event.TASK_TAKEN}))
    assert "More than 10 events" in page
    assert "12 events" not in page
    assert len(_seqs(page)) == 12


def test_exports_hold_the_events_and_are_themselves_audited(inspector, world, history):
    url = reverse("inspector_events")
    response = inspector.get(url, {"action": Event.RETURNED, "export": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [r["action"] for r in rows] == [Event.RETURNED]
    assert rows[0]["comment"] == "Lý do: return_for_revision"
    exported = AuditEvent.objects.get(action=Event.INSPECTOR_EXPORTED)
    assert exported.actor == world.inspector and exported.role == "inspector"
    assert exported.data == {
        "format": "csv",
        "filters": {"action": Event.RETURNED},
        "count": 1,
    }

    response = inspector.get(reverse("inspector_timeline", args=[history.pk]), {"export": "json"})
    document = json.loads(body(response))
    second = AuditEvent.objects.filter(action=Event.INSPECTOR_EXPORTED).latest("seq")
    assert second.nomination_id == history.pk and second.data["format"] == "json"
    # The nomination's whole history, down to the record of this very export.
    assert [e["seq"] for e in document["events"]] == list(
        AuditEvent.objects.filter(nomination_id=history.pk).values_list("seq", flat=True)
    )
    assert document["events"][-1]["action"] == Event.INSPECTOR_EXPORTED


def test_the_integrity_panel_runs_a_verification_and_records_the_request(inspector, world, history):
    assert "Never run." in body(inspector.get(reverse("inspector_home")))
    response = inspector.post(reverse("inspector_verify"))
    assert response.status_code == 302
    run = VerificationRun.objects.get()
    assert run.ok and run.triggered_by == world.inspector.username
    event = AuditEvent.objects.get(action=Event.VERIFICATION_RUN)
    assert event.actor == world.inspector and event.data["result"] == "intact"
    page = body(inspector.get(reverse("inspector_home")))
    assert "Intact" in page and run.message in page


# What an inspector may change of their own: their notifications' read marks, their preferences.
OWN_SETTINGS = (
    "notification_read",
    "notifications_read_all",
    "notification_preferences",
    # one's own second factor (tests/web/test_sign_in.py)
    "second_factor",
    "two_factor",
    "two_factor_setup",
    "two_factor_codes",
    "two_factor_remove",
)


def _post_targets(history):
    """Every URL of the site that accepts a POST, with real ids filled in."""
    evidence = Evidence.objects.filter(nomination=history).first()
    task = NominationTask.objects.filter(nomination=history).first()
    values = {
        "pk": history.pk,
        "evidence_pk": evidence.pk if evidence else 1,
        "task_pk": task.pk,
        "item_pk": 1,
        "kind": "minutes",  # a council session's drafted document
        "draft_pk": 1,
        # a statutory statistics form, and one of its figures
        "slug": "0602",
        "row": 0,
        "column": "total",
        "opinion_pk": 1,  # a consulted body's answer (hiệp y)
        "entry_pk": 1,  # a nominee of a request to the higher level
    }
    for pattern in get_resolver().url_patterns:
        name = getattr(pattern, "name", None)
        if name is None or name in ("login", "logout", *OWN_SETTINGS):
            # admin/, i18n/, logging in or out, one's own notifications (read or not), email
            # preferences and second factor are not the agency's records
            continue
        converters = pattern.pattern.converters
        if "action" in converters:
            for action in ACTIONS:
                yield name, reverse(name, kwargs={**{"pk": history.pk}, "action": action})
            continue
        yield name, reverse(name, kwargs={k: values[k] for k in converters})


def _footprint():
    return (
        list(Nomination.objects.order_by("pk").values_list("pk", "status", "version")),
        list(NominationTask.objects.order_by("pk").values_list("pk", "status", "owner_id")),
        Evidence.objects.count(),
        list(AuditEvent.objects.exclude(action=Event.VERIFICATION_RUN).values_list("seq")),
    )


def test_every_post_an_inspector_makes_is_refused_except_verification(inspector, world, walk):
    n = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        achievements="Xuất sắc.",
    )
    n = walk(n, "submit", "approve", "return_for_revision")
    before = _footprint()
    targets = list(_post_targets(n))
    assert len(targets) > 10
    for name, url in targets:
        response = inspector.post(
            url, {"version": n.version, "reasons": "Thanh tra.", "achievements": "Sửa."}
        )
        if name == "inspector_verify":
            assert response.status_code == 302
        else:
            assert response.status_code in (400, 403, 404, 405), (name, url)
    assert _footprint() == before
    assert AuditEvent.objects.filter(action=Event.VERIFICATION_RUN).count() == 1


def test_a_secret_ballots_choice_cannot_enter_the_trail(world):
    with pytest.raises(ValueError, match="secret ballot"), transaction.atomic():
        audit.record(
            Event.BALLOT_CAST,
            actor=world.member,
            subject_type="ballot",
            subject_id=1,
            data={"secret": True, "choice": "disapprove"},
        )


def test_nothing_but_known_data_appears_in_the_workspace_or_its_exports(inspector, world, draft):
    with transaction.atomic():
        audit.record(
            Event.BALLOT_CAST,
            actor=world.member,
            role="council_member",
            subject_type="ballot",
            subject_id=7,
            **draft.audit_context(),
            data={"secret": True, "session": 3, "member_note": SECRET, "how": SECRET},
        )
    pages = [
        inspector.get(reverse("inspector_timeline", args=[draft.pk])),
        inspector.get(reverse("inspector_events")),
        inspector.get(reverse("inspector_events"), {"export": "csv"}),
        inspector.get(reverse("inspector_events"), {"export": "json"}),
        inspector.get(reverse("inspector_timeline", args=[draft.pk]), {"export": "json"}),
        inspector.get(reverse("inspector_reports")),
    ]
    for response in pages:
        text = body(response)
        assert response.status_code == 200
        assert SECRET not in text
    assert "Secret ballot: the member voted" in body(pages[0])


def test_the_search_page_costs_the_same_queries_for_ten_or_fifty_events(
    inspector, world, django_assert_max_num_queries
):
    def queries_for(n):
        with transaction.atomic():
            for i in range(n):
                audit.record(Event.TASK_TAKEN, actor=world.admin, subject_type="t", subject_id=i)
        with CaptureQueriesContext(connection) as captured:
            assert inspector.get(reverse("inspector_events")).status_code == 200
        return len(captured)

    few = queries_for(10)
    many = queries_for(40)
    assert few == many
    # (one of them: the inspector's second factor, checked still to be theirs on every request)
    with django_assert_max_num_queries(14):
        inspector.get(reverse("inspector_events"))


@pytest.mark.postgres
def test_the_search_count_has_its_covering_index_on_postgresql(db):
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_search_count_idx'")
        (definition,) = cur.fetchone()
    assert "(action varchar_pattern_ops, unit_path varchar_pattern_ops, occurred_at)" in (
        definition
    )
