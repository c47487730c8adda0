"""Supervision reports computed from the trail: each finds what it should and nothing else."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit import reports
from audit import services as audit
from audit.events import Event
from nominations import policy
from nominations import services as dossier
from nominations.roles import Role
from tests.factories import person
from workflows import services
from workflows.models import NominationTask


def record(action, *, actor, nomination, **kwargs):
    with transaction.atomic():
        return audit.record(
            action,
            actor=actor,
            subject_type=kwargs.pop("subject_type", "nomination"),
            subject_id=kwargs.pop("subject_id", nomination.pk),
            **nomination.audit_context(),
            **kwargs,
        )


def test_a_person_judging_one_nomination_at_two_stages_is_reported(world, draft, walk, monkeypatch):
    # The engine refuses this now (tests/nominations/test_separation_of_duties.py); the report
    # is for history written before the rule, or imported: arrange such a history.
    monkeypatch.setattr(policy, "conflict_of_interest", lambda user, nomination: None)
    both = person(world.agency, Role.PARTY_COMMITTEE_REVIEWER, Role.LEADERSHIP_REVIEWER)
    n = walk(draft, "submit", "approve")
    n = services.approve(n, actor=both)
    n = services.approve(n, actor=both)
    findings = reports.same_person_at_two_stages()
    assert [(f.nomination_id, f.details["stages"]) for f in findings] == [
        (n.pk, ["party_committee_review", "leadership_review"])
    ]


def test_different_people_at_each_stage_are_not_reported(world, history):
    assert reports.same_person_at_two_stages() == []


def test_a_delegate_acting_outside_the_delegations_dates_is_reported(world, draft):
    today = timezone.localdate()
    inside = {
        "delegation_from": (today - datetime.timedelta(days=1)).isoformat(),
        "delegation_until": (today + datetime.timedelta(days=1)).isoformat(),
    }
    expired = {
        "delegation_from": (today - datetime.timedelta(days=10)).isoformat(),
        "delegation_until": (today - datetime.timedelta(days=3)).isoformat(),
    }
    record(
        Event.APPROVED,
        actor=world.member,
        nomination=draft,
        on_behalf_of=world.leader,
        data=inside,
    )
    late = record(
        Event.APPROVED,
        actor=world.member,
        nomination=draft,
        on_behalf_of=world.leader,
        data=expired,
    )
    unknown = record(
        Event.APPROVED, actor=world.member, nomination=draft, on_behalf_of=world.leader
    )
    findings = reports.delegates_outside_their_dates()
    assert [f.seqs for f in findings] == [[late.seq], [unknown.seq]]
    assert "outside" in findings[0].what and world.leader.username in findings[0].who
    assert findings[1].what == "no delegation period recorded"


def test_a_resubmission_without_any_change_is_reported(world, walk, history):
    unchanged = walk(
        _second(world),
        "submit",
        "return_for_revision",
        "resubmit",
    )
    findings = reports.resubmissions_without_change()
    assert [f.nomination_id for f in findings] == [unchanged.pk]  # `history` was revised


def _second(world):
    return dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.short,
        proposing_unit=world.unit,
        nominee_person=person(world.unit),
        achievements="Lần hai.",
    )


def test_time_in_each_stage_is_the_median_of_calendar_days_by_unit_and_award(world, monkeypatch):
    clock = {"now": timezone.now() - datetime.timedelta(days=30)}
    monkeypatch.setattr(audit.timezone, "now", lambda: clock["now"])
    for stay in (1, 3, 8):
        n = _second(world)
        record(
            Event.SUBMITTED,
            actor=world.proposer,
            nomination=n,
            from_state="draft",
            to_state="unit_review",
        )
        clock["now"] += datetime.timedelta(days=stay)
        record(
            Event.APPROVED,
            actor=world.unit_head,
            nomination=n,
            from_state="unit_review",
            to_state="leadership_review",
        )
    rows = {r.stage: r for r in reports.time_in_stages({"unit_review", "leadership_review"})}
    assert rows["unit_review"].count == 3
    assert rows["unit_review"].median_days == 3.0
    assert rows["unit_review"].longest_days == 8.0
    assert rows["unit_review"].unit_path == world.unit.path
    assert rows["unit_review"].award_type_id == world.short.pk
    assert rows["leadership_review"].still_waiting == 3


def test_stages_past_their_deadline_are_on_the_report_page(client, world, draft, walk):
    n = walk(draft, "submit")
    task = NominationTask.objects.get(nomination=n, finished__isnull=True)
    NominationTask.objects.filter(pk=task.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    client.force_login(world.inspector)
    page = client.get(reverse("inspector_reports")).content.decode()
    assert n.reference in page and "still open" in page


@pytest.mark.parametrize(
    "section", ["two-stages", "delegates", "overdue", "unchanged", "objections", "stage-times"]
)
def test_the_report_page_has_every_section(client, world, history, section):
    client.force_login(world.inspector)
    assert f'id="{section}"' in client.get(reverse("inspector_reports")).content.decode()
