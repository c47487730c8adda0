"""Who is concerned by an event of the audit chain, for a whole batch of events at once.

The answer is read from the event (its action, the status it left the nomination in, the
proposing unit's path) and from who holds which role over that unit now: the role a task waits
on is `Nomination.waiting_on`'s answer for the event's status, the holders are the role's
assignments over the unit and the active delegations of it (`nominations.policy` counts a
delegation only while its principal holds the role directly; so does this). Everything a batch
needs is read in a fixed number of queries, whatever its size.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from audit.events import Event
from nominations import policy
from nominations.models import AwardType, Nomination
from nominations.roles import Role
from nominations.stages import REVISE

from .models import Kind

# Events after which the nomination waits on somebody new: they are told a task has arrived.
TASK_ARRIVES = frozenset(
    {
        Event.SUBMITTED,
        Event.RESUBMITTED,
        Event.APPROVED,
        Event.COUNCIL_APPROVED,
        Event.HOLD_LIFTED,
    }
)

# Events that concern the proposing unit (and the nominee or the creator), by kind.
OUTCOMES = {
    Event.RETURNED: Kind.RETURNED,  # also after an upheld objection (recorded as a return)
    Event.REJECTED: Kind.REJECTED,  # also after an upheld objection
    Event.COUNCIL_REJECTED: Kind.NOT_APPROVED,
    Event.CONFERRED: Kind.AWARDED,
    Event.HOLD_PLACED: Kind.HELD,
    Event.OBJECTION_FILED: Kind.OBJECTION,
}

# Events the timers record (nobody acted), by kind, and the roles over the proposing unit told
# of them: a notice over with no objection, to those who sign the decision and prepare it; a
# hold past its expected end, to the council's secretaries (who may lift a hold at any stage)
# besides the person who placed it (the event's `placed_by`).
TIMED = {
    Event.NOTICE_ENDED: (Kind.READY_TO_SIGN, (Role.DECISION_SIGNER, Role.COUNCIL_SECRETARY)),
    Event.HOLD_END_PASSED: (Kind.HOLD_END_PASSED, (Role.COUNCIL_SECRETARY,)),
}

# Every action read here, for the one query of the chain.
ACTIONS = frozenset(TASK_ARRIVES | set(OUTCOMES) | set(TIMED))

# The columns of an event read here.
FIELDS = (
    "seq",
    "action",
    "actor_id",
    "occurred_at",
    "nomination_id",
    "unit_path",
    "award_type_id",
    "to_state",
    "data",
)


@dataclass(frozen=True)
class Told:
    """One person to tell of one event."""

    recipient_id: int
    event_seq: int
    kind: str
    nomination_id: int
    stage: str
    created_at: datetime


def _waiting_roles(events: list[dict]) -> dict[int, tuple[str, str]]:
    """seq → (task, role) the nomination waits on after each task-arrival event, asked of the
    lifecycle (`Nomination.waiting_on`) for the status the event left it in."""
    arriving = [e for e in events if e["action"] in TASK_ARRIVES]
    award_types = AwardType.objects.prefetch_related("route").in_bulk(
        {e["award_type_id"] for e in arriving}
    )
    found = {}
    for e in arriving:
        award_type = award_types.get(e["award_type_id"])
        if award_type is None:
            continue
        waiting = Nomination(award_type=award_type, status=e["to_state"]).waiting_on()
        if waiting is not None and waiting.role:
            found[e["seq"]] = (waiting.task, waiting.role)
    return found


def told(events: Iterable[dict]) -> list[Told]:
    """The people concerned by each of `events` (dicts of `FIELDS`, in chain order)."""
    events = [e for e in events if e["action"] in ACTIONS and e["nomination_id"]]
    if not events:
        return []
    waiting = _waiting_roles(events)
    people = {
        pk: (created_by, nominee)
        for pk, created_by, nominee in Nomination.objects.filter(
            pk__in={e["nomination_id"] for e in events}
        ).values_list("pk", "created_by_id", "nominee_person_id")
    }
    # Which (role, unit) pairs each event asks about.
    asks: dict[int, list[tuple[str, str]]] = {}
    for e in events:
        if e["action"] in TASK_ARRIVES:
            if e["seq"] in waiting:
                asks[e["seq"]] = [(waiting[e["seq"]][1], e["unit_path"])]
        elif e["action"] == Event.OBJECTION_FILED:
            asks[e["seq"]] = [(Role.COUNCIL_SECRETARY, e["unit_path"])]
        elif e["action"] in TIMED:
            asks[e["seq"]] = [(role, e["unit_path"]) for role in TIMED[Event(e["action"])][1]]
        else:
            asks[e["seq"]] = [(Role.UNIT_PROPOSER, e["unit_path"])]
    holders = policy.Holders({pair for pairs in asks.values() for pair in pairs}) if asks else None

    result = []
    for e in events:
        if e["seq"] not in asks or e["nomination_id"] not in people or holders is None:
            continue
        created_by, nominee = people[e["nomination_id"]]
        who = set().union(*(holders.of(*pair) for pair in asks[e["seq"]]))
        action = e["action"]
        if action in TIMED:
            kind = TIMED[Event(action)][0]
            placed_by = (e["data"] or {}).get("placed_by")
            if placed_by:
                who.add(placed_by)
            # Nobody judges what they proposed or what names them (policy.conflict_of_interest).
            if action == Event.NOTICE_ENDED:
                who -= {created_by, nominee}
        elif action in TASK_ARRIVES:
            kind = Kind.TASK
            if waiting[e["seq"]][0] != REVISE:
                # Nobody judges what they proposed or what names them (policy.conflict_of_interest).
                who -= {created_by, nominee}
        else:
            kind = OUTCOMES[Event(action)]
            if kind == Kind.RETURNED:
                who.add(created_by)
            elif kind in (Kind.REJECTED, Kind.NOT_APPROVED, Kind.AWARDED) and nominee:
                who.add(nominee)
        who -= {e["actor_id"], None}  # never told of one's own action
        result += [
            Told(uid, e["seq"], kind, e["nomination_id"], e["to_state"], e["occurred_at"])
            for uid in sorted(who)
        ]
    return result
