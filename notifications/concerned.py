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
from datetime import date, datetime

from audit.events import Event
from audit.models import AuditEvent
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
        Event.FORWARDED,  # the office awaits the higher level's outcome
    }
)

# Events that concern the proposing unit (and the nominee or the creator), by kind.
OUTCOMES = {
    Event.RETURNED: Kind.RETURNED,  # also after an upheld objection (recorded as a return)
    Event.REJECTED: Kind.REJECTED,  # also after an upheld objection
    Event.COUNCIL_REJECTED: Kind.NOT_APPROVED,
    Event.CONFERRED: Kind.AWARDED,
    # The higher level's outcomes, as the office records them (`approvals.forwarding`).
    Event.HIGHER_CONFERRED: Kind.AWARDED,
    Event.HIGHER_NOT_CONFERRED: Kind.REJECTED,
    Event.HIGHER_RETURNED: Kind.RETURNED,
    Event.HOLD_PLACED: Kind.HELD,
    Event.OBJECTION_FILED: Kind.OBJECTION,
}

# The deadlines' events (`workflows.deadlines`) and a task given to someone (`reassign_task`):
# their data name the task's role, owner and due date.
TASK_EVENTS = frozenset({Event.TASK_REMINDED, Event.TASK_ESCALATED, Event.TASK_REASSIGNED})

# Events the timers record (nobody acted), by kind, and the roles over the proposing unit told
# of them: a notice over with no objection, to those who sign the decision and prepare it; a
# hold past its expected end, to the council's secretaries (who may lift a hold at any stage)
# besides the person who placed it (the event's `placed_by`); a consultation complete (by the
# last answer, or by its due date), to the council's secretaries, who put it before the council
# (the one who recorded the last answer is not told of their own act).
TIMED = {
    Event.NOTICE_ENDED: (Kind.READY_TO_SIGN, (Role.DECISION_SIGNER, Role.COUNCIL_SECRETARY)),
    Event.HOLD_END_PASSED: (Kind.HOLD_END_PASSED, (Role.COUNCIL_SECRETARY,)),
    Event.CONSULTATION_COMPLETED: (Kind.CONSULTATION_COMPLETED, (Role.COUNCIL_SECRETARY,)),
}

# The events whose data this reader needs (read for them alone: see `_read_data`).
WITH_DATA = TASK_EVENTS | set(TIMED)

# Every action read here, for the one query of the chain.
ACTIONS = frozenset(TASK_ARRIVES | set(OUTCOMES) | WITH_DATA)

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
    due_on: date | None = None


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
        elif e["action"] not in TASK_EVENTS:
            asks[e["seq"]] = [(Role.UNIT_PROPOSER, e["unit_path"])]
    _read_data(events)
    # Which (role, unit) pairs each deadline's event asks about: the task's role, when nobody
    # has taken it, and for an escalation the role above.
    task_asks = {e["seq"]: _task_asks(e) for e in events if e["action"] in TASK_EVENTS}
    wanted = {pair for pairs in (*asks.values(), *task_asks.values()) for pair in pairs}
    holders = policy.Holders(wanted) if wanted else None

    result = []
    for e in events:
        if e["seq"] in task_asks:
            if e["nomination_id"] in people:
                result += _told_of_task(e, task_asks[e["seq"]], holders, people[e["nomination_id"]])
            continue
        if e["seq"] not in asks or e["nomination_id"] not in people or holders is None:
            continue
        created_by, nominee = people[e["nomination_id"]]
        who = set().union(*(holders.of(*pair) for pair in asks[e["seq"]]))
        action = e["action"]
        if action in TIMED:
            kind = TIMED[Event(action)][0]
            placed_by = (e.get("data") or {}).get("placed_by")
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


def _read_data(events: list[dict]) -> None:
    """Give the deadlines' and the timers' events their data (one query, for those alone: the
    chain's reader does not read every event's data, which can be a whole dossier)."""
    seqs = [e["seq"] for e in events if e["action"] in WITH_DATA and "data" not in e]
    if not seqs:
        return
    data = dict(AuditEvent.objects.filter(seq__in=seqs).values_list("seq", "data"))
    for e in events:
        if e["seq"] in data:
            e["data"] = data[e["seq"]]


def _task_asks(e: dict) -> list[tuple[str, str]]:
    data = e.get("data") or {}
    pairs: list[tuple[str, str]] = []
    if e["action"] == Event.TASK_REASSIGNED:
        return pairs  # told: the new owner alone
    if not data.get("owner") and data.get("role"):
        pairs.append((data["role"], e["unit_path"]))
    if e["action"] == Event.TASK_ESCALATED and data.get("escalated_to"):
        pairs.append((data["escalated_to"], e["unit_path"]))
    return pairs


def _told_of_task(
    e: dict, pairs: list[tuple[str, str]], holders: policy.Holders | None, people: tuple
) -> list[Told]:
    """A reminder: the task's owner, or if nobody took it the holders of its role over the
    unit. An escalation: the same, and the holders of the role above. A reassignment: the new
    owner (told, as of any task arriving, that the work waits for them)."""
    data = e.get("data") or {}
    created_by, nominee = people
    kind = {
        Event.TASK_REMINDED: Kind.REMINDER,
        Event.TASK_ESCALATED: Kind.ESCALATED,
        Event.TASK_REASSIGNED: Kind.TASK,
    }[Event(e["action"])]
    who: set[int] = {data["owner"]} if data.get("owner") else set()
    for role, path in pairs:
        found = holders.of(role, path) if holders is not None else set()
        if role != Role.UNIT_PROPOSER:
            # Nobody judges what they proposed or what names them (policy.conflict_of_interest).
            found -= {created_by, nominee}
        who |= found
    who.discard(e["actor_id"])  # never told of one's own action
    due = date.fromisoformat(data["due_on"]) if data.get("due_on") else None
    stage = data.get("stage") or e["to_state"]
    return [
        Told(uid, e["seq"], kind, e["nomination_id"], stage, e["occurred_at"], due)
        for uid in sorted(who)
    ]
