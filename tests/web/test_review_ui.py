"""The review screen: header, the route drawn as an SVG, what changed since a return, and the
actions each user is offered."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nominations import services as dossier
from nominations.models import DayKind, Holiday, Nomination
from workflows.models import NominationTask
from workflows.views import _word_diff


def detail(client, nomination) -> str:
    response = client.get(reverse("nomination_detail", args=[nomination.pk]))
    assert response.status_code == 200
    return response.content.decode()


def svg_of(page: str) -> str:
    match = re.search(r'<svg class="route-map".*?</svg>', page, re.S)
    assert match
    return match.group(0)


def steps(page: str) -> dict[str, str]:
    """The state of each step of the route diagram, by stage."""
    found = re.findall(r'<g class="step (\w+)[^"]*" data-stage="(\w+)"', svg_of(page))
    return {stage: state for state, stage in found}


def current_steps(page: str) -> list[str]:
    return re.findall(r'<g class="step current" data-stage="(\w+)" aria-current="step"', page)


def test_at_the_party_committee_the_route_marks_that_stage_current(client, world, walk, draft):
    walk(draft, "submit", "approve")
    client.force_login(world.party_reviewer)
    page = detail(client, draft)
    svg = svg_of(page)
    assert 'role="img"' in svg and "<title" in svg and "Party committee review" in svg
    assert current_steps(page) == ["party_committee_review"]
    assert steps(page) == {
        "draft": "done",
        "unit_review": "done",
        "party_committee_review": "current",
        "leadership_review": "todo",
        "council_review": "todo",
        "decision": "todo",
    }
    # The same route as text for screen readers, the current stage marked there too.
    listing = re.search(r'<ol class="visually-hidden"[^>]*>(.*?)</ol>', page, re.S).group(1)
    assert re.search(
        r'<li data-stage="party_committee_review" aria-current="step">'
        r"Party committee review — current stage",
        listing,
    )


def test_the_route_follows_the_award_types_own_stages(client, world, walk):
    short = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.short,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        achievements="x",
    )
    walk(short, "submit", "approve", "approve")  # unit, leadership: approved, awaiting decision
    client.force_login(world.proposer)
    page = detail(client, short)
    assert steps(page) == {
        "draft": "done",
        "unit_review": "done",
        "leadership_review": "done",
        "decision": "current",
    }


def test_a_returned_nomination_is_back_at_the_dossier_and_shows_where(client, world, walk, draft):
    walk(draft, "submit", "approve", "return_for_revision")
    client.force_login(world.proposer)
    page = detail(client, draft)
    assert current_steps(page) == ["draft"]
    assert 'class="step todo returned-here" data-stage="party_committee_review"' in page


def test_a_rejected_nomination_stops_at_the_stage_that_rejected_it(client, world, walk, draft):
    walk(draft, "submit", "approve", "reject")
    client.force_login(world.proposer)
    page = detail(client, draft)
    assert current_steps(page) == []
    assert steps(page) == {
        "draft": "done",
        "unit_review": "done",
        "party_committee_review": "stopped",
        "leadership_review": "todo",
        "council_review": "todo",
        "decision": "todo",
    }


def test_the_header_names_the_nomination_and_whom_it_waits_on(client, world, walk, draft):
    walk(draft, "submit")
    client.force_login(world.unit_head)
    page = detail(client, draft)
    assert f"{draft.reference} — " in page
    assert '<span class="status unit_review">Unit head confirmation</span>' in page
    assert "Waiting for: Unit head confirmation (Unit head)" in page
    assert "overdue-badge" not in page
    crumbs = re.search(r'<ol class="breadcrumb[^"]*">(.*?)</ol>', page, re.S).group(1)
    assert reverse("nomination_list") in crumbs
    assert f'aria-current="page">{draft.reference}</li>' in crumbs

    NominationTask.objects.filter(nomination=draft, status="NEW").update(
        due_on=datetime.date(2000, 1, 3)
    )
    assert re.search(r'overdue-badge">\d+ working days overdue<', detail(client, draft))


def test_after_a_return_and_an_edit_the_reviewer_sees_before_and_after(client, world, walk, draft):
    returned = walk(draft, "submit", "return_for_revision")
    dossier.update_dossier(
        returned,
        actor=world.proposer,
        changes={
            "achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2026.",
            "initiatives": "Sáng kiến số hoá hồ sơ.",
        },
    )
    walk(Nomination.objects.get(pk=draft.pk), "resubmit")
    client.force_login(world.unit_head)
    page = detail(client, draft)
    assert "Changed since it was returned" in page
    achievements = re.search(r'data-field="achievements">(.*?)</div>\s*</div>\s*</div>', page, re.S)
    assert achievements and "Achievements summary" in achievements.group(1)
    block = achievements.group(1)
    # The words taken out are struck in the old text, the words put in are marked in the new.
    assert "<del>năm.</del>" in block
    assert "<ins>năm 2026.</ins>" in block
    assert "Hoàn thành xuất sắc nhiệm vụ " in block
    initiatives = re.search(r'data-field="initiatives">(.*?)</div>\s*</div>\s*</div>', page, re.S)
    assert "<ins>Sáng kiến số hoá hồ sơ.</ins>" in initiatives.group(1)
    assert "(empty)" in initiatives.group(1)
    assert 'data-field="contributions"' not in page  # unchanged fields are not listed


def test_the_word_diff_marks_only_what_changed():
    diff = _word_diff("a b c", "a x c d")
    assert diff["before"] == [("a ", False), ("b", True), (" c", False)]
    assert diff["after"] == [("a ", False), ("x", True), (" c", False), (" d", True)]
    assert "".join(t for t, _ in diff["after"]) == "a x c d"


@pytest.mark.parametrize("who", ["unit_head", "proposer"])
def test_the_reviewer_is_offered_approve_return_and_reject_the_proposer_is_not(
    client, world, walk, draft, who
):
    walk(draft, "submit")
    client.force_login(getattr(world, who))
    page = detail(client, draft)
    offered = set(re.findall(r'<form method="post" action="/nominations/\d+/(\w+)/"', page))
    if who == "unit_head":
        assert {"approve", "return_for_revision", "reject"} <= offered
        assert ">Approve</button>" in page
        assert ">Return for revision</button>" in page and ">Reject</button>" in page
        for action in ("return_for_revision", "reject"):
            textarea = re.search(rf'<textarea[^>]*id="reasons-{action}"[^>]*>', page).group(0)
            assert "required" in textarea
        reject = re.search(r'<form[^>]*class="action reject[^"]*"[^>]*>', page, re.S).group(0)
        assert "data-confirm=" in reject
    else:
        assert not {"approve", "return_for_revision", "reject"} & offered
        assert ">Approve</button>" not in page
        assert "withdraw" in offered  # the proposing unit may still withdraw it


def test_a_draft_page_offers_its_proposer_the_submit_button(client, world, draft):
    client.force_login(world.proposer)
    page = detail(client, draft)
    form = re.search(r'<form[^>]*class="action submit[^"]*">.*?</form>', page, re.S).group(0)
    assert f'name="version" value="{draft.version}"' in form
    assert ">Submit</button>" in form
    assert current_steps(page) == ["draft"]


# --- the reviewer's decisions (issue 18, point 4) -------------------------------------------


def actions_card(page: str) -> str:
    return re.search(r'<section class="card mb-3 actions".*?</section>', page, re.S).group(0)


def test_approve_return_and_reject_are_three_equal_choices_none_behind_a_toggle(
    client, world, walk, draft
):
    submitted = walk(draft, "submit")
    client.force_login(world.unit_head)
    card = actions_card(detail(client, draft))
    assert "<details" not in card and "<summary" not in card
    # Three radios styled as buttons of one size, in the order a reviewer reads them...
    radios = re.findall(
        r'<input type="radio" class="btn-check" name="decision" id="decide-(\w+)"', card
    )
    assert radios == ["approve", "return_for_revision", "reject"]
    labels = re.findall(
        r'<label class="btn decision-choice ([\w-]+)" for="decide-(\w+)">([^<]+)<', card
    )
    assert [(action, text) for _, action, text in labels] == [
        ("approve", "Approve"),
        ("return_for_revision", "Return for revision"),
        ("reject", "Reject"),
    ]
    # ...outside the forms: choosing posts nothing, each form posts on its own as before.
    assert card.index("</fieldset>") < card.index("<form")
    for action, label in [
        ("approve", "Comment (optional)"),
        ("return_for_revision", "Reasons"),
        ("reject", "Reasons"),
    ]:
        form = re.search(rf'<form [^>]*id="decision-{action}".*?</form>', card, re.S).group(0)
        assert f'action="{reverse("nomination_act", args=[draft.pk, action])}"' in form
        assert f'name="version" value="{submitted.version}"' in form
        field_label = re.search(
            rf'<label[^>]*for="reasons-{action}"[^>]*>(.*?)</label>', form, re.S
        )
        assert re.sub(r"<[^>]+>", "", field_label.group(1)).strip().startswith(label)
        textarea = re.search(r"<textarea[^>]*>", form).group(0)
        assert 'name="reasons"' in textarea
        assert ("required" in textarea) is (action != "approve")
        assert ("data-confirm=" in form) is (action == "reject")
    assert 'data-confirm="Reject this nomination? Its journey ends here."' in card


def test_choosing_a_decision_shows_its_form_by_css_alone():
    """No script: each radio, checked, shows its own form (and the prompt goes)."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "laurel.css").read_text()
    rules = css[css.index("@supports selector(:has(*))") :]
    assert ".decisions form.decision { display: none; }" in rules
    for action in ("approve", "return_for_revision", "reject"):
        assert f".decisions:has(#decide-{action}:checked) form.decision.{action}" in rules


def test_the_return_form_as_drawn_returns_the_nomination_with_its_reasons(
    client, world, walk, draft
):
    walk(draft, "submit")
    client.force_login(world.unit_head)
    card = actions_card(detail(client, draft))
    form = re.search(r'<form [^>]*id="decision-return_for_revision".*?</form>', card, re.S)
    action = re.search(r'action="([^"]+)"', form.group(0)).group(1)
    version = re.search(r'name="version" value="(\d+)"', form.group(0)).group(1)
    response = client.post(action, {"version": version, "reasons": "Bổ sung minh chứng."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "returned"
    assert "Bổ sung minh chứng." in detail(client, draft)


def test_the_proposer_is_offered_no_decision_only_to_withdraw(client, world, walk, draft):
    walk(draft, "submit")
    client.force_login(world.proposer)
    card = actions_card(detail(client, draft))
    assert 'name="decision"' not in card
    assert re.search(r'<details class="action-disclosure[^"]*">\s*<summary[^>]*>Withdraw…', card)


# --- how long overdue (issue 18, point 7) ---------------------------------------------------


def working_days_ago(today: datetime.date, n: int, holidays=()) -> datetime.date:
    """The due day that leaves exactly `n` working days from it up to today, today excluded:
    Monday to Friday, less `holidays` and the days the table says are not worked (the shipped
    public holidays among them), plus the weekend days it says are worked."""
    table = dict(Holiday.objects.values_list("date", "kind"))
    day = today
    while n:
        day -= datetime.timedelta(days=1)
        kind = table.get(day)
        if kind == DayKind.WORKING_DAY or (
            day.weekday() < 5 and kind is None and day not in holidays
        ):
            n -= 1
    return day


def test_the_header_says_how_many_working_days_overdue(client, world, walk, draft):
    walk(draft, "submit")
    today = timezone.localdate()
    holiday = working_days_ago(today, 2)
    Holiday.objects.create(date=holiday, name="Ngày nghỉ")
    due = working_days_ago(today, 6, holidays={holiday})
    NominationTask.objects.filter(nomination=draft, status="NEW").update(due_on=due)
    client.force_login(world.unit_head)
    head = re.search(r'<header class="review-head.*?</header>', detail(client, draft), re.S)
    assert '<span class="badge text-bg-danger overdue-badge">6 working days overdue</span>' in (
        head.group(0)
    )
    assert f'<time datetime="{due:%Y-%m-%d}" class="overdue">' in head.group(0)

    NominationTask.objects.filter(nomination=draft, status="NEW").update(
        due_on=working_days_ago(today, 1)
    )
    assert ">1 working day overdue<" in detail(client, draft)
