"""The dashboard counts what the user may see, and costs the same queries at any size."""

import datetime
import json
import re

import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from nominations import services as dossier
from reporting.dashboard import figures
from tests.factories import person
from workflows import services as workflow
from workflows import summary
from workflows.models import DashboardSummary, NominationTask


def make(world, walk, n, *steps):
    made = []
    for _ in range(n):
        draft = dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=world.full,
            proposing_unit=world.unit,
            nominee_person=person(world.unit),
            achievements="Hoàn thành xuất sắc nhiệm vụ.",
        )
        made.append(walk(draft, *steps))
    return made


def test_the_dashboard_counts_nominations_by_stage_for_what_the_user_may_see(world, walk):
    make(world, walk, 2)
    make(world, walk, 3, "submit", "approve")
    make(world, walk, 1, "submit", "approve", "approve")
    unit = figures(world.proposer)
    assert unit["total"] == 6
    assert {label: n for label, n, _ in unit["by_stage"]} == {
        "Draft": 2,
        "Party committee review": 3,
        "Leadership review": 1,
    }
    # The leadership reviewer sees only what reached leadership review.
    assert figures(world.leader)["total"] == 1
    assert figures(world.other_proposer)["total"] == 0


def test_the_median_time_of_each_stage_comes_from_finished_tasks(world, walk):
    make(world, walk, 2, "submit", "approve", "approve")
    stages = {stage: n for stage, _days, n in figures(world.inspector)["median_days"]}
    assert stages == {"Unit head confirmation": 2, "Party committee review": 2}


def test_overdue_tasks_are_counted(world, walk):
    make(world, walk, 2, "submit")
    NominationTask.objects.filter(status="NEW").update(due_on="2000-01-03")
    f = figures(world.unit_head)
    assert f["overdue_total"] == 2
    assert f["overdue"][0][:2] == ("Unit head confirmation", 2)


def test_the_counts_read_the_nominations_once_and_the_tasks_once(
    world, walk, django_assert_num_queries
):
    make(world, walk, 2, "submit", "approve")  # two finished at the unit, open at the party
    make(world, walk, 1, "submit")  # open at the unit, soon overdue
    other = dossier.create_draft(
        actor=world.other_proposer,
        campaign=world.campaign,
        award_type=world.short,
        proposing_unit=world.other_unit,
        nominee_person=person(world.other_unit),
        achievements="Hoàn thành xuất sắc nhiệm vụ.",
    )
    workflow.submit(other, actor=world.other_proposer)
    NominationTask.objects.filter(status="NEW", stage="unit_review").update(due_on="2000-01-03")
    summary.counts(world.inspector)  # the roles read once, as every page has
    postgresql = connection.vendor == "postgresql"
    with django_assert_num_queries(2 if postgresql else 3):  # SQLite: medians in Python
        counted = summary.counts(world.inspector)
    assert counted["by_status"] == {"party_committee_review": 2, "unit_review": 2}
    full, short = (
        [world.full.name_vi, world.full.name_en, 3],
        [world.short.name_vi, world.short.name_en, 1],
    )
    assert sorted(counted["by_award_type"]) == sorted([full, short])
    assert sorted(counted["by_unit"]) == sorted(
        [
            [world.unit.name_vi, world.unit.name_en, 3],
            [world.other_unit.name_vi, world.other_unit.name_en, 1],
        ]
    )
    assert counted["overdue"] == {"unit_review": 2} and counted["overdue_total"] == 2
    assert {stage: n for stage, (_days, n) in counted["median_days"].items()} == {"unit_review": 2}


def test_the_dashboard_page_renders_charts_with_constant_queries(
    client, world, walk, django_assert_max_num_queries
):
    client.force_login(world.inspector)
    make(world, walk, 1, "submit")
    with django_assert_max_num_queries(12) as small:
        page = client.get(reverse("dashboard"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    make(world, walk, 6, "submit", "approve")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("dashboard")).status_code == 200


# --- the summaries of the widest views, refreshed by the timers job -------------------------


def test_a_refreshed_summary_holds_what_a_direct_count_gives(world, walk):
    make(world, walk, 2)
    make(world, walk, 3, "submit", "approve")
    make(world, walk, 1, "submit", "approve", "approve")
    NominationTask.objects.filter(status="NEW").update(due_on="2000-01-03")
    assert summary.refresh() > 0
    for user in (world.party_reviewer, world.leader, world.inspector):
        kept = summary.summary_for(user)
        assert kept is not None
        assert kept.figures == json.loads(json.dumps(summary.counts(user)))
        assert figures(user, kept.figures) == figures(user)
    # The inspector's summary counts the whole agency, the leader's what reached leadership.
    assert figures(world.inspector, summary.summary_for(world.inspector).figures)["total"] == 6
    assert figures(world.leader, summary.summary_for(world.leader).figures)["total"] == 1
    # A unit's roles are counted live, never summarised.
    assert summary.summary_for(world.proposer) is None
    assert summary.summary_for(world.unit_head) is None


def test_the_summary_is_refreshed_once_old_and_not_shown_once_stale(world, walk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert summary.refresh() > 0
        assert summary.refresh() == 0  # fresh: the next runs of the minute write nothing
    make(world, walk, 1, "submit", "approve")
    with time_machine.travel(start + summary.REFRESH_AFTER / 2, tick=False):
        assert summary.refresh() == 0
        assert summary.summary_for(world.inspector).figures["by_status"] == {}
    with time_machine.travel(start + summary.REFRESH_AFTER * 2, tick=False):
        assert summary.refresh() > 0
        assert summary.summary_for(world.inspector).figures["by_status"] == {
            "party_committee_review": 1
        }
    with time_machine.travel(start + summary.SHOWN_UNTIL * 2, tick=False):
        assert summary.summary_for(world.inspector) is None  # the timers stopped: counted live


def test_the_party_committee_reads_its_summary_with_its_age(client, world, walk):
    make(world, walk, 2, "submit", "approve")
    when = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 41))
    with time_machine.travel(when, tick=False):
        summary.refresh()
    make(world, walk, 1, "submit", "approve")  # after the refresh: not in the summary yet
    client.force_login(world.party_reviewer)
    with time_machine.travel(when + datetime.timedelta(minutes=3), tick=False):
        body = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'data-testid="kpi-total">2<', body)
    as_of = re.search(r'data-testid="dashboard-as-of">(.*?)</p>', body, re.S).group(1)
    assert "As of 09:41" in as_of
    # Counted live (no summary kept), the page says no age and counts all three.
    DashboardSummary.objects.all().delete()
    body = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'data-testid="kpi-total">3<', body)
    assert "dashboard-as-of" not in body


def test_the_summarised_page_costs_the_same_queries_at_any_size(
    client, world, walk, django_assert_max_num_queries
):
    client.force_login(world.inspector)
    make(world, walk, 1, "submit")
    summary.refresh()
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("dashboard")).status_code == 200
    make(world, walk, 6, "submit", "approve")
    DashboardSummary.objects.all().delete()
    summary.refresh()
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert client.get(reverse("dashboard")).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
