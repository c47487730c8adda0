"""What the clock does by itself (`run_timers`, step 2): a public notice closes once it is over
with no objection open, and tells those who sign the decision; a hold still open after its
expected end is recorded and its placer reminded (not lifted: Decree 152 holds until the matter
is resolved). Each exactly once however often the timers run, even two at once (PostgreSQL).
Days are moved with time-machine."""

import datetime
import io
import time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from approvals import notice, outcomes
from approvals import services as council_services
from approvals.models import Objection, Tally
from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.calendar import add_working_days
from nominations.models import Hold, HoldKind, Nomination
from nominations.stages import Status
from notifications import sentences
from notifications.models import Kind, Notification
from tests.factories import person
from tests.notifications.test_concurrency import together
from workflows import holds, services

TZ = datetime.timezone(datetime.timedelta(hours=7))


def at_ten(day: datetime.date) -> datetime.datetime:
    """Ten in the morning in Hà Nội on `day`."""
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ)


def run_timers() -> str:
    out = io.StringIO()
    call_command("run_timers", stdout=out)
    return out.getvalue()


def events(action: Event, nomination: Nomination) -> int:
    return AuditEvent.objects.filter(action=action, nomination_id=nomination.pk).count()


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# --- public notices close by date ------------------------------------------------------------


def test_a_notice_closes_once_on_its_last_day_and_tells_the_signer_and_secretary(world, approved):
    nomination = approved(5)
    ends = notice.notice_ends_on(nomination)
    assert ends == add_working_days(timezone.localdate(), 5)
    the_day_before = ends - datetime.timedelta(days=1)

    with time_machine.travel(at_ten(the_day_before), tick=False):
        assert "0 public notices closed" in run_timers()
    assert events(Event.NOTICE_ENDED, nomination) == 0

    with time_machine.travel(at_ten(ends), tick=False):
        assert "1 public notices closed" in run_timers()
        assert "0 public notices closed" in run_timers()  # the second run does nothing
    with time_machine.travel(at_ten(ends + datetime.timedelta(days=3)), tick=False):
        assert "0 public notices closed" in run_timers()

    assert events(Event.NOTICE_ENDED, nomination) == 1
    tally = Tally.objects.get(item__nomination=nomination)
    assert tally.notice_closed_at is not None
    event = AuditEvent.objects.get(action=Event.NOTICE_ENDED)
    assert event.actor_id is None and event.data["notice_ended_on"] == ends.isoformat()
    # Told once each, in the run that closed it: the signer signs, the secretary prepares.
    assert told(Kind.READY_TO_SIGN) == {"signer", "secretary"}
    assert Notification.objects.filter(kind=Kind.READY_TO_SIGN).count() == 2
    # Closing the notice changes nothing of the nomination: it still awaits the decision.
    assert Nomination.objects.get(pk=nomination.pk).status == Status.COUNCIL_APPROVED


def test_an_open_objection_keeps_the_notice_open_until_it_is_dismissed(world, approved):
    nomination = approved(5)
    ends = notice.notice_ends_on(nomination)
    objection = council_services.file_objection(
        nomination, actor=world.other_proposer, reasons="Chưa đủ tiêu chuẩn."
    )
    with time_machine.travel(at_ten(ends + datetime.timedelta(days=1)), tick=False):
        assert notice.close_ended() == 0
        assert Objection.objects.get(pk=objection.pk).status == Objection.Status.OPEN
        outcomes.resolve_objection(
            objection, actor=world.secretary, upheld=False, reasons="Không có căn cứ."
        )
        assert notice.close_ended() == 1
        assert notice.close_ended() == 0
    assert events(Event.NOTICE_ENDED, nomination) == 1


def test_a_notice_without_days_or_not_approved_is_never_closed_by_the_clock(world, approved):
    at_once = approved(0)  # no notice: signable at once, nothing to close
    with time_machine.travel(at_ten(timezone.localdate() + datetime.timedelta(days=30))):
        assert notice.close_ended() == 0
    assert events(Event.NOTICE_ENDED, at_once) == 0


# --- holds past their expected end ------------------------------------------------------------


@pytest.fixture
def held(world, walk, draft):
    """A nomination at the leadership's review, held by the leader until an expected end."""

    def _held(expected_end):
        nomination = walk(draft, "submit", "approve", "approve")
        return services.place_hold(
            nomination,
            actor=world.leader,
            kind=HoldKind.INSPECTION,
            reason="Đang thanh tra.",
            expected_end=expected_end,
        )

    return _held


def test_a_hold_past_its_expected_end_is_recorded_once_and_its_placer_reminded(world, held):
    expected_end = timezone.localdate() + datetime.timedelta(days=10)
    hold = held(expected_end)

    with time_machine.travel(at_ten(expected_end), tick=False):  # its last expected day
        assert "0 holds past their expected end" in run_timers()
    assert Hold.objects.get(pk=hold.pk).end_passed_at is None

    with time_machine.travel(at_ten(expected_end + datetime.timedelta(days=1)), tick=False):
        assert "1 holds past their expected end" in run_timers()
        assert "0 holds past their expected end" in run_timers()

    hold = Hold.objects.get(pk=hold.pk)
    assert hold.end_passed_at is not None
    # Not lifted: the matter is resolved when it is, and a person says how.
    assert hold.is_open and Nomination.objects.get(pk=hold.nomination_id).status == Status.ON_HOLD
    event = AuditEvent.objects.get(action=Event.HOLD_END_PASSED)
    assert event.actor_id is None
    assert event.data["expected_end"] == expected_end.isoformat()
    assert event.data["hold_kind"] == HoldKind.INSPECTION
    assert told(Kind.HOLD_END_PASSED) == {"leader", "secretary"}
    # Lifting it afterwards works as always, by a person, saying how it was resolved.
    services.lift_hold(hold.nomination, actor=world.leader, resolution="Thanh tra đã kết luận.")
    assert not Hold.objects.get(pk=hold.pk).is_open


def test_a_hold_without_an_expected_end_or_already_lifted_is_left_alone(world, held):
    open_ended = held(None)
    with time_machine.travel(at_ten(timezone.localdate() + datetime.timedelta(days=400))):
        assert holds.remind_past_end() == 0
    services.lift_hold(open_ended.nomination, actor=world.leader, resolution="Đã giải quyết.")
    assert AuditEvent.objects.filter(action=Event.HOLD_END_PASSED).count() == 0


# --- two runs at once (PostgreSQL: real row locks) -------------------------------------------


def _slowly(monkeypatch, module, name):
    """Make module.name sleep first, so a run holds its locked batch while the other arrives."""
    real = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


@pytest.mark.postgres
def test_two_runs_at_once_close_each_notice_exactly_once(
    transactional_db, world, approved, monkeypatch
):
    nominations = [approved(5) for _ in range(3)]
    later = max(notice.notice_ends_on(n) for n in nominations) + datetime.timedelta(days=1)
    _slowly(monkeypatch, notice, "holidays_for")
    with time_machine.travel(at_ten(later), tick=False):
        runs = together(lambda: notice.close_ended(batch=2), lambda: notice.close_ended(batch=2))
        assert not [r for r in runs if isinstance(r, Exception)], runs
        assert sum(runs) == 3  # each closed by one run or the other, none by both
        assert notice.close_ended() == 0
    for n in nominations:
        assert events(Event.NOTICE_ENDED, n) == 1


@pytest.mark.postgres
def test_two_runs_at_once_note_each_hold_past_its_end_exactly_once(
    transactional_db, world, walk, monkeypatch
):
    expected_end = timezone.localdate()
    for _ in range(3):
        nomination = walk(
            dossier.create_draft(
                actor=world.proposer,
                campaign=world.campaign,
                award_type=world.full,
                proposing_unit=world.unit,
                nominee_person=person(world.unit),
                achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
            ),
            "submit",
        )
        services.place_hold(
            nomination,
            actor=world.unit_head,
            kind=HoldKind.COMPLAINT,
            reason="Đơn thư.",
            expected_end=expected_end,
        )
    _slowly(monkeypatch, holds.events, "hold_end_passed")
    with time_machine.travel(at_ten(expected_end + datetime.timedelta(days=1)), tick=False):
        runs = together(
            lambda: holds.remind_past_end(batch=2), lambda: holds.remind_past_end(batch=2)
        )
        assert not [r for r in runs if isinstance(r, Exception)], runs
        assert sum(runs) == 3
        assert holds.remind_past_end() == 0
    assert AuditEvent.objects.filter(action=Event.HOLD_END_PASSED).count() == 3


def test_the_timers_sentences_say_what_to_do(world, approved, held):
    nomination = approved(5)
    hold = held(timezone.localdate())
    with time_machine.travel(at_ten(notice.notice_ends_on(nomination)), tick=False):
        run_timers()
    ready = Notification.objects.get(kind=Kind.READY_TO_SIGN, recipient=world.signer)
    past = Notification.objects.get(kind=Kind.HOLD_END_PASSED, recipient=world.leader)
    assert past.nomination_id == hold.nomination_id
    with translation.override("en"):
        assert sentences.sentence(ready).endswith(
            "is over with no objection open: the decision can be signed."
        )
        assert sentences.sentence(past).endswith(
            "is past its expected end date: lift it once the matter is resolved."
        )


def test_the_timeline_shows_what_the_timers_recorded(client, world, approved, held):
    nomination = approved(5)
    hold = held(timezone.localdate())
    with time_machine.travel(at_ten(notice.notice_ends_on(nomination)), tick=False):
        run_timers()
    client.force_login(world.signer)
    page = client.get(reverse("nomination_detail", args=[nomination.pk]))
    assert page.status_code == 200
    assert "Public notice ended; ready for the decision" in page.content.decode()
    client.force_login(world.leader)
    page = client.get(reverse("nomination_detail", args=[hold.nomination_id]))
    assert page.status_code == 200
    assert "A hold&#x27;s expected end date passed" in page.content.decode()


def test_a_run_killed_before_its_event_is_written_marks_nothing_and_the_next_completes_it(
    world, approved, held, monkeypatch
):
    nomination = approved(5)
    hold = held(timezone.localdate())
    day = notice.notice_ends_on(nomination)

    def killed(events):
        raise KeyboardInterrupt  # the process stopped while appending

    with time_machine.travel(at_ten(day), tick=False):
        for module in (notice, holds):
            monkeypatch.setattr(module.audit, "bulk_append", killed)
            with pytest.raises(KeyboardInterrupt):
                (notice.close_ended if module is notice else holds.remind_past_end)()
            monkeypatch.undo()
        assert Tally.objects.get(item__nomination=nomination).notice_closed_at is None
        assert Hold.objects.get(pk=hold.pk).end_passed_at is None
        assert notice.close_ended() == 1
        assert holds.remind_past_end() == 1
    assert events(Event.NOTICE_ENDED, nomination) == 1
    assert events(Event.HOLD_END_PASSED, hold.nomination) == 1
