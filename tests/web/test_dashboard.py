"""The dashboard counts what the user may see, and costs the same queries at any size."""

from django.urls import reverse

from nominations import services as dossier
from reporting.dashboard import figures
from tests.factories import person
from workflows.models import NominationTask


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
