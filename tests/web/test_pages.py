"""What each kind of user sees and can do through the pages."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.models import Nomination, StageDecision
from tests.factories import person
from workflows import views
from workflows.models import NominationTask
from workflows.views import ACTIONS

ROLE_USERS = [
    "proposer",
    "unit_head",
    "party_reviewer",
    "leader",
    "secretary",
    "member",
    "signer",
    "inspector",
    "admin",
    "staff",
    "other_proposer",
]


def detail(pk):
    return reverse("nomination_detail", args=[pk])


def footprint(nomination):
    n = Nomination.objects.get(pk=nomination.pk)
    return (n.status, StageDecision.objects.count(), AuditEvent.objects.count())


def test_anonymous_visitor_is_sent_to_log_in(client, draft):
    response = client.get(detail(draft.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_logs_a_demo_user_in(client, world):
    response = client.post(reverse("login"), {"username": "proposer", "password": "pw"})
    assert response.status_code == 302
    assert client.get(reverse("inbox")).status_code == 200


@pytest.mark.parametrize("who", ROLE_USERS)
def test_every_role_sees_its_inbox_and_list(client, world, walk, draft, who):
    walk(draft, "submit", "approve")
    client.force_login(getattr(world, who))
    assert client.get(reverse("inbox")).status_code == 200
    listing = client.get(reverse("nomination_list"))
    assert listing.status_code == 200
    page = client.get(detail(draft.pk))
    # At the party committee: the unit, the party committee and inspectors see it; later stages
    # don't see it before it reaches them.
    sees_it = who in {"proposer", "unit_head", "party_reviewer", "inspector"}
    assert page.status_code == (200 if sees_it else 404)
    assert (draft.reference in listing.content.decode()) == sees_it


def test_reviewer_finds_the_task_in_the_inbox_and_takes_it(client, world, walk, draft):
    walk(draft, "submit", "approve")  # now at the party committee
    client.force_login(world.party_reviewer)
    inbox = client.get(reverse("inbox")).content.decode()
    assert draft.reference in inbox
    task = NominationTask.objects.get(nomination=draft, status="NEW")
    response = client.post(reverse("task_take", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == world.party_reviewer
    assert "Taken by" in client.get(detail(draft.pk)).content.decode()


def test_other_reviewers_inbox_does_not_show_a_task_of_another_stage(client, world, walk, draft):
    walk(draft, "submit")
    client.force_login(world.leader)
    assert draft.reference not in client.get(reverse("inbox")).content.decode()


def test_proposer_writes_a_draft_attaches_evidence_and_submits(client, world):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_create"),
        {
            "campaign": world.campaign.pk,
            "award_type": world.full.pk,
            "proposing_unit": world.unit.pk,
            "nominee_person": world.staff.pk,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    nomination = Nomination.objects.get()
    upload = SimpleUploadedFile("báo cáo.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    response = client.post(
        reverse("evidence_add", args=[nomination.pk]),
        {"kind": "achievement_report", "file": upload},
    )
    assert response.status_code == 302
    evidence = nomination.evidence.get()
    assert evidence.original_name == "báo cáo.pdf"
    download = client.get(reverse("evidence_download", args=[nomination.pk, evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 demo"

    response = client.post(
        reverse("nomination_act", args=[nomination.pk, "submit"]),
        {"version": Nomination.objects.get().version},
    )
    assert response.status_code == 302
    assert Nomination.objects.get().status == "unit_review"


def test_form_refuses_a_nominee_of_the_wrong_kind(client, world):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_create"),
        {
            "campaign": world.campaign.pk,
            "award_type": world.collective.pk,
            "proposing_unit": world.unit.pk,
            "nominee_person": world.staff.pk,
            "achievements": "x",
        },
    )
    assert response.status_code == 400
    assert "This award is for collectives." in response.content.decode()
    assert not Nomination.objects.exists()


def test_evidence_of_another_units_nomination_is_not_found(client, world, draft):
    evidence = dossier.add_evidence(
        draft,
        actor=world.proposer,
        kind="achievement_report",
        upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    client.force_login(world.other_proposer)
    url = reverse("evidence_download", args=[draft.pk, evidence.pk])
    assert client.get(url).status_code == 404


def test_editing_a_dossier_records_the_changed_fields(client, world, draft):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_edit", args=[draft.pk]),
        {
            "award_type": world.full.pk,
            "nominee_person": world.staff.pk,
            "achievements": "Bản mới của báo cáo thành tích.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    event = AuditEvent.objects.filter(action=Event.DOSSIER_EDITED).get()
    assert event.data["changes"]["achievements"][1] == "Bản mới của báo cáo thành tích."
    assert event.actor == world.proposer


def test_after_a_return_the_reviewer_sees_what_changed(client, world, walk, draft):
    returned = walk(draft, "submit", "return_for_revision")
    dossier.update_dossier(returned, actor=world.proposer, changes={"initiatives": "Sáng kiến A"})
    walk(Nomination.objects.get(pk=draft.pk), "resubmit")
    client.force_login(world.unit_head)
    page = client.get(detail(draft.pk)).content.decode()
    assert "Changed since it was returned" in page
    assert "Sáng kiến A" in page


def test_acting_on_a_page_that_is_out_of_date_is_a_conflict(client, world, walk, draft):
    seen = walk(draft, "submit", "approve")  # the party committee opens the page
    walk(seen, "return_for_revision", "resubmit", "approve")  # back at the same stage
    client.force_login(world.party_reviewer)
    response = client.post(
        reverse("nomination_act", args=[draft.pk, "approve"]), {"version": seen.version}
    )
    assert response.status_code == 409
    assert "changed this nomination while you were viewing it" in response.content.decode()
    assert Nomination.objects.get(pk=draft.pk).status == "party_committee_review"


def test_who_may_see_but_not_act_is_refused_for_that_even_from_an_out_of_date_page(
    client, world, walk, draft
):
    seen = walk(draft, "submit")
    walk(seen, "approve")  # the page the inspector holds is now out of date
    client.force_login(world.inspector)
    response = client.post(
        reverse("nomination_act", args=[draft.pk, "approve"]), {"version": seen.version}
    )
    assert response.status_code == 403
    assert "changed this nomination" not in response.content.decode()


def test_a_page_made_out_of_date_by_ones_own_action_says_so(client, world, walk, draft):
    client.force_login(world.proposer)
    version = draft.version
    client.post(reverse("nomination_act", args=[draft.pk, "submit"]), {"version": version})
    response = client.post(
        reverse("nomination_act", args=[draft.pk, "withdraw"]), {"version": version}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "This page is out of date: you changed this nomination" in page
    assert "Someone" not in page


def test_return_without_reasons_is_refused_and_changes_nothing(client, world, walk, draft):
    walk(draft, "submit")
    before = footprint(draft)
    client.force_login(world.unit_head)
    response = client.post(
        reverse("nomination_act", args=[draft.pk, "return_for_revision"]),
        {"version": Nomination.objects.get(pk=draft.pk).version, "reasons": "  "},
    )
    assert response.status_code == 400
    assert footprint(draft) == before


def test_reasons_are_shown_escaped(client, world, walk, draft):
    walk(draft, "submit")
    client.force_login(world.unit_head)
    client.post(
        reverse("nomination_act", args=[draft.pk, "return_for_revision"]),
        {
            "version": Nomination.objects.get(pk=draft.pk).version,
            "reasons": "<script>alert(1)</script>",
        },
    )
    page = client.get(detail(draft.pk)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "steps", [[], ["submit"], ["submit", "approve"], ["submit", "return_for_revision"]]
)
@pytest.mark.parametrize("who", ROLE_USERS)
def test_an_action_whose_button_is_absent_is_refused_when_posted(
    client, world, walk, draft, who, steps
):
    nomination = walk(draft, *steps)
    client.force_login(getattr(world, who))
    page = client.get(detail(nomination.pk))
    offered = set(re.findall(r'action="/nominations/\d+/(\w+)/"', page.content.decode()))
    for action in ACTIONS:
        if action in offered:
            continue
        before = footprint(nomination)
        response = client.post(
            reverse("nomination_act", args=[nomination.pk, action]),
            {"version": nomination.version, "reasons": "thử"},
        )
        assert response.status_code in (403, 404, 409), (who, action, response.status_code)
        assert footprint(nomination) == before, (who, action)


def test_state_is_never_changed_by_a_get(client, world, draft):
    client.force_login(world.proposer)
    response = client.get(reverse("nomination_act", args=[draft.pk, "submit"]))
    assert response.status_code == 405
    assert Nomination.objects.get(pk=draft.pk).status == "draft"


def test_list_page_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            dossier.create_draft(
                actor=world.proposer,
                campaign=world.campaign,
                award_type=world.full,
                proposing_unit=world.unit,
                nominee_person=person(world.unit),
                achievements="x",
            )

    client.force_login(world.proposer)
    make(2)
    with django_assert_max_num_queries(11):
        client.get(reverse("nomination_list"))
    make(20)
    with django_assert_max_num_queries(11):
        client.get(reverse("nomination_list"))


def test_detail_and_inbox_query_counts_are_bounded(
    client, world, walk, draft, django_assert_max_num_queries
):
    walk(draft, "submit", "return_for_revision", "resubmit", "approve")
    client.force_login(world.party_reviewer)
    # 20, the navigation's unread-notifications count, and the consultations (hiệp y) section.
    with django_assert_max_num_queries(22):
        assert client.get(detail(draft.pk)).status_code == 200
    # The tasks taken, the queue's size, its overdue and due-soon counts, its page (and, with
    # the cache off in tests, the badge's count).
    with django_assert_max_num_queries(13):
        assert client.get(reverse("inbox")).status_code == 200


def test_a_nomination_is_walked_through_the_pages_from_draft_to_council_review(client, world):
    """The newcomer's walk of README.md, with a return on the way, every step a click."""

    def act(user, action, reasons=""):
        client.force_login(user)
        page = client.get(detail(nomination.pk)).content.decode()
        assert f'/{action}/"' in page, (user, action)
        version = Nomination.objects.get(pk=nomination.pk).version
        response = client.post(
            reverse("nomination_act", args=[nomination.pk, action]),
            {"version": version, "reasons": reasons},
        )
        assert response.status_code == 302, response.content.decode()
        return Nomination.objects.get(pk=nomination.pk).status

    client.force_login(world.proposer)
    client.post(
        reverse("nomination_create"),
        {
            "campaign": world.campaign.pk,
            "award_type": world.full.pk,
            "proposing_unit": world.unit.pk,
            "nominee_person": world.staff.pk,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        },
    )
    nomination = Nomination.objects.get()
    assert act(world.proposer, "submit") == "unit_review"
    assert act(world.unit_head, "approve") == "party_committee_review"
    assert act(world.party_reviewer, "return_for_revision", "Bổ sung sáng kiến.") == "returned"
    client.force_login(world.proposer)
    client.post(
        reverse("nomination_edit", args=[nomination.pk]),
        {
            "award_type": world.full.pk,
            "nominee_person": world.staff.pk,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
            "initiatives": "Sáng kiến số hoá hồ sơ.",
        },
    )
    assert act(world.proposer, "resubmit") == "unit_review"
    assert act(world.unit_head, "approve") == "party_committee_review"
    assert act(world.party_reviewer, "approve") == "leadership_review"
    assert act(world.leader, "approve") == "council_review"

    client.force_login(world.inspector)
    timeline = client.get(detail(nomination.pk)).content.decode()
    for label in [
        "Draft created",
        "Submitted",
        "Returned for revision",
        "Dossier edited",
        "Resubmitted",
        "Approved",
    ]:
        assert label in timeline
    outcomes = list(
        StageDecision.objects.filter(nomination=nomination).values_list(
            "outcome", "actor__username"
        )
    )
    assert outcomes == [
        ("submitted", "proposer"),
        ("approved", "head"),
        ("returned", "party"),
        ("resubmitted", "proposer"),
        ("approved", "head"),
        ("approved", "party"),
        ("approved", "leader"),
    ]
    assert NominationTask.objects.get(nomination=nomination, status="NEW").role == (
        "council_secretary"
    )


def test_a_long_history_shows_its_latest_events_and_the_rest_on_request(
    client, world, draft, monkeypatch
):
    monkeypatch.setattr(views, "TIMELINE_PAGE", 3)
    for i in range(4):
        draft = dossier.update_dossier(
            draft, actor=world.proposer, changes={"initiatives": f"Sáng kiến {i}"}
        )
    client.force_login(world.proposer)
    page = client.get(detail(draft.pk)).content.decode()
    assert "The latest 3 of 5 events." in page
    assert page.count("<li>\n      <time") == 3
    assert "Sáng kiến 3" in page and "Draft created" not in page
    whole = client.get(detail(draft.pk) + "?history=all").content.decode()
    assert whole.count("<li>\n      <time") == 5 and "Draft created" in whole
