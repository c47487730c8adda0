"""Races at the council, on PostgreSQL with real row locks: a member voting twice at once
counts once; two decisions signed at once take distinct, consecutive numbers.

Each racer is a thread with its own connection (committed data, `transactional_db`); the
winner is slowed down inside its transaction so the loser really arrives while it is open."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from approvals import outcomes
from approvals import services as council_services
from approvals.models import AgendaItem, BallotReceipt, OpenBallot, SignedDecision
from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import TransitionRefused
from nominations.models import Nomination
from nominations.stages import Status

pytestmark = pytest.mark.postgres

HOLD_SECONDS = 0.5


@pytest.fixture
def committed_world(transactional_db, world):
    return world


def race(*acts):
    barrier = threading.Barrier(len(acts))
    results: list = [None] * len(acts)

    def run(i, act):
        try:
            barrier.wait(timeout=10)
            results[i] = act()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, act)) for i, act in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    return results


@pytest.fixture
def slow_audit(monkeypatch):
    """Whoever holds the lock writes its audit event slowly, inside its transaction."""
    real = council_services.audit.record

    def slow(*args, **kwargs):
        time.sleep(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(council_services.audit, "record", slow)


def _item(committed_world, members, at_council, opened, award, secret):
    at_council(award(secret_ballot=secret))
    return AgendaItem.objects.get(session=opened())


def test_a_secret_vote_sent_twice_at_once_counts_once(
    committed_world, members, at_council, opened, award, slow_audit
):
    item = _item(committed_world, members, at_council, opened, award, secret=True)

    results = race(
        lambda: council_services.cast_ballot(item, actor=members[0], choice="approve"),
        lambda: council_services.cast_ballot(item, actor=members[0], choice="approve"),
    )

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], TransitionRefused), results
    assert "already voted" in refused[0].message
    item.refresh_from_db()
    assert (item.secret_approve, item.secret_disapprove, item.secret_abstain) == (1, 0, 0)
    assert BallotReceipt.objects.filter(item=item).count() == 1
    assert AuditEvent.objects.filter(action=Event.BALLOT_CAST).count() == 1


def test_an_open_vote_sent_twice_at_once_leaves_one_ballot(
    committed_world, members, at_council, opened, award, slow_audit
):
    item = _item(committed_world, members, at_council, opened, award, secret=False)

    results = race(
        lambda: council_services.cast_ballot(item, actor=members[0], choice="approve"),
        lambda: council_services.cast_ballot(item, actor=members[0], choice="disapprove"),
    )

    assert not any(isinstance(r, Exception) for r in results), results
    ballots = list(OpenBallot.objects.filter(item=item).values_list("choice", flat=True))
    assert len(ballots) == 1
    # The second to get the lock changed the first's choice: one cast, one change, in order.
    actions = list(
        AuditEvent.objects.filter(action__startswith="ballot.").values_list("action", flat=True)
    )
    assert actions == [Event.BALLOT_CAST, Event.BALLOT_CHANGED]


def test_a_ballot_racing_the_close_is_either_counted_or_refused_never_lost(
    committed_world, members, at_council, opened, award, slow_audit
):
    item = _item(committed_world, members, at_council, opened, award, secret=True)
    session = item.session

    results = race(
        lambda: council_services.cast_ballot(item, actor=members[0], choice="approve"),
        lambda: outcomes.close_voting(session, actor=committed_world.secretary),
    )

    ballot, closed = results
    assert not isinstance(closed, Exception), results
    item.refresh_from_db()
    receipts = BallotReceipt.objects.filter(item=item).count()
    assert item.tally.approve == receipts == item.secret_approve
    if isinstance(ballot, Exception):
        assert isinstance(ballot, TransitionRefused) and receipts == 0
    else:
        assert receipts == 1


def test_two_sessions_planned_at_once_never_share_a_nomination(
    committed_world, members, at_council
):
    nominations = [at_council() for _ in range(3)]

    def plan():
        return council_services.plan_session(
            actor=committed_world.secretary,
            campaign=committed_world.campaign,
            scheduled_on=committed_world.campaign.submissions_close,
            chair=members[0],
        )

    results = race(plan, plan)

    assert not any(isinstance(r, Exception) for r in results), results
    on_agendas = list(
        AgendaItem.objects.filter(status=AgendaItem.Status.PENDING).values_list(
            "nomination", flat=True
        )
    )
    assert sorted(on_agendas) == sorted(n.pk for n in nominations)


def test_two_decisions_signed_at_once_take_distinct_consecutive_numbers(
    committed_world, members, at_council, opened, vote, award, monkeypatch
):
    rule = award(vote_threshold_percent=Decimal("50"), public_notice_days=0)
    first, second = at_council(rule), at_council(rule)
    session = opened()
    for item in session.items.all():
        vote(item, {m: "approve" for m in members})
    outcomes.close_voting(session, actor=committed_world.secretary)
    real = outcomes.transitions.confer

    def slow(*args, **kwargs):  # holds the counter's lock a while
        time.sleep(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(outcomes.transitions, "confer", slow)

    def sign(nomination):
        return lambda: outcomes.sign_decision(
            actor=committed_world.signer,
            agency=committed_world.agency,
            nominations=[Nomination.objects.get(pk=nomination.pk)],
            title="Quyết định khen thưởng",
        )

    results = race(sign(first), sign(second))

    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(SignedDecision.objects.values_list("number", flat=True)) == [1, 2]
    statuses = set(
        Nomination.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    )
    assert statuses == {Status.AWARDED}


def test_the_same_nomination_signed_twice_at_once_is_conferred_once(
    committed_world, members, at_council, opened, vote, award, monkeypatch
):
    rule = award(vote_threshold_percent=Decimal("50"), public_notice_days=0)
    nomination = at_council(rule)
    session = opened()
    vote(session.items.get(), {m: "approve" for m in members})
    outcomes.close_voting(session, actor=committed_world.secretary)
    real = outcomes.transitions.confer

    def slow(*args, **kwargs):
        time.sleep(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(outcomes.transitions, "confer", slow)

    def sign():
        return outcomes.sign_decision(
            actor=committed_world.signer,
            agency=committed_world.agency,
            nominations=[Nomination.objects.get(pk=nomination.pk)],
            title="Quyết định khen thưởng",
        )

    results = race(sign, sign)

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], TransitionRefused), results
    assert SignedDecision.objects.count() == 1
