"""Reads of the audit trail: a nomination's timeline, the inspectors' search, and what an event
may show of its data."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .events import RETURNS, Event
from .models import AuditEvent

# What of an event's `data` pages and exports may show. Anything else stays out — in
# particular anything about how a member voted in a secret ballot: ballot events record
# `secret: true` and never carry a choice, and even if one did, it would not be shown.
SHOWN_DATA = {
    "stage",
    "task",
    "changes",
    "evidence",
    "kind",
    "name",
    "size",
    "dossier",
    "delegation_from",
    "delegation_until",
    "objection",
    "session",
    "item",
    "secret",
    "tally",
    "counts",
    "quorum",
    "filters",
    "count",
    "format",
    "result",
    "decision",
    "decision_number",
    "request",
    "request_number",
    "higher_decision_number",
    "higher_decision_date",
    "hold_kind",
    "expected_end",
    "held_since",
    "reason_code",
    "reason_label",
    "scopes",
    "expires_at",
    "username",
    "roles",
    "second_factor",
    "step",
    "ended",
}
# Keys that name a voter's choice; dropped whenever the event says the ballot was secret.
CHOICE_KEYS = {"choice", "vote", "ballot", "choices", "votes"}


class EventData(dict):
    """An event's data for a page: a key the event does not carry reads as None. A page's
    template asks each event for a dozen keys most events lack; a plain dict answers each with
    a failed lookup that Django's template engine pays for dearly (an exception and a `dir()`
    per key: a fifth of the inspector's search page)."""

    def __missing__(self, key):
        return None


def shown_data(event: AuditEvent) -> dict:
    """The part of the event's data an inspector's page or export shows."""
    data = event.data or {}
    secret = data.get("secret")
    return EventData(
        (k, v) for k, v in data.items() if k in SHOWN_DATA and not (secret and k in CHOICE_KEYS)
    )


def timeline(nomination_id: int) -> QuerySet[AuditEvent]:
    """Every event of one nomination, in chain order."""
    return AuditEvent.objects.filter(nomination_id=nomination_id).order_by("seq")


def search_events(
    *,
    actor: str = "",
    unit_path: str = "",
    action: str = "",
    award_type_id: int | None = None,
    campaign_id: int | None = None,
    nomination_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching every given criterion, newest first. `actor` matches the acting or
    represented person's name or username; `unit_path` a unit and everything under it;
    `action` an exact action or a prefix ending in '.' ("nomination.")."""
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(
            Q(actor_label__icontains=actor) | Q(on_behalf_of_label__icontains=actor)
        )
    if unit_path:
        events = events.filter(unit_path__startswith=unit_path)
    if action:
        events = (
            events.filter(action__startswith=action)
            if action.endswith(".")
            else events.filter(action=action)
        )
    if award_type_id is not None:
        events = events.filter(award_type_id=award_type_id)
    if campaign_id is not None:
        events = events.filter(campaign_id=campaign_id)
    if nomination_id is not None:
        events = events.filter(nomination_id=nomination_id)
    # Days as ranges of instants (local midnight to midnight), not `__date`: a range on the
    # column itself can use its index, a date computed from every row cannot.
    if since is not None:
        events = events.filter(occurred_at__gte=_midnight(since))
    if until is not None:
        events = events.filter(occurred_at__lt=_midnight(until + datetime.timedelta(days=1)))
    return events.order_by("-seq")


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def capped_count(events: QuerySet, cap: int = 10_000) -> int:
    """How many events match, counting no further than `cap` + 1: a page can say "10,000+"
    without PostgreSQL counting a million rows on every request. Only the key is selected under
    the count: the rows' annotations and joined columns (an inbox's hold kind, its nominee and
    award) would be computed for every row counted, and planned, for nothing."""
    return events.order_by().values("pk")[: cap + 1].count()


@dataclass
class KeysetPage:
    """One page of a search, newest first, and the cursors of its neighbours: `newer` for
    `?after=`, `older` for `?before=` (None where there is nothing on that side)."""

    events: list[AuditEvent] = field(default_factory=list)
    newer: int | None = None
    older: int | None = None
    # Where the page starts: at the newest event (no cursor) or somewhere in the chain.
    at_newest: bool = True

    @property
    def first_seq(self) -> int | None:
        return self.events[0].seq if self.events else None

    @property
    def last_seq(self) -> int | None:
        return self.events[-1].seq if self.events else None


def keyset_page(
    events: QuerySet, *, before: int | None = None, after: int | None = None, size: int = 50
) -> KeysetPage:
    """A page of `events` by `seq` instead of by OFFSET: `before=n` the `size` newest events
    older than #n, `after=n` the `size` oldest newer than #n (`after=0`: the oldest page), neither
    the newest. One query whatever the depth: the index walk starts at the cursor, so the last
    page of a million events costs what the first does. `seq` is unique, so events sharing an
    instant are never skipped or repeated at a page's edge.

    The side the page was reached from is known without a query: the chain is append-only, so
    the event the cursor names (one of a page already shown) still matches the filters."""
    if after is not None:
        rows = list(events.filter(seq__gt=after).order_by("seq")[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        rows.reverse()
        return KeysetPage(
            events=rows,
            newer=rows[0].seq if rows and more else None,
            older=rows[-1].seq if rows and after > 0 else None,
            at_newest=False,
        )
    if before is not None:
        events = events.filter(seq__lt=before)
    rows = list(events.order_by("-seq")[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    return KeysetPage(
        events=rows,
        newer=rows[0].seq if rows and before is not None else None,
        older=rows[-1].seq if rows and more else None,
        at_newest=before is None,
    )


def actions() -> list[str]:
    """The distinct actions in the chain (the search form's choices, read on every search)."""
    if connection.vendor == "postgresql":
        # A DISTINCT over a million rows reads them all; hopping through the action index from
        # one value to the next reads one entry per distinct action.
        table = AuditEvent._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"""WITH RECURSIVE a(action) AS (
                    (SELECT action FROM {table} ORDER BY action LIMIT 1)
                    UNION ALL
                    SELECT (SELECT e.action FROM {table} e WHERE e.action > a.action
                            ORDER BY e.action LIMIT 1)
                    FROM a WHERE a.action IS NOT NULL
                ) SELECT action FROM a WHERE action IS NOT NULL"""
            )
            return [row[0] for row in cur.fetchall()]
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


EXPORT_FIELDS = [
    "seq",
    "occurred_at",
    "action",
    "actor_label",
    "role",
    "on_behalf_of_label",
    "subject_type",
    "subject_id",
    "nomination_id",
    "unit_path",
    "campaign_id",
    "award_type_id",
    "from_state",
    "to_state",
    "comment",
    "data",
    "hash",
]


def export_rows(events):
    """Events as plain dicts for CSV/JSON exports, their data reduced to what may be shown."""
    for event in events.iterator(chunk_size=2000):
        row = {f: getattr(event, f) for f in EXPORT_FIELDS if f != "data"}
        row["occurred_at"] = event.occurred_at.isoformat()
        row["data"] = shown_data(event)
        yield row


# --- dossier history ----------------------------------------------------------------------


def revisions(nomination_id: int) -> list[dict]:
    """Each return for revision and what the unit changed before sending the dossier back:
    fields (value when returned → value when resubmitted) and documents added or removed."""
    cycles, current = [], None
    for event in timeline(nomination_id):
        if event.action in RETURNS:
            current = {
                "returned": event,
                "resubmitted": None,
                "fields": {},
                "added": [],
                "removed": [],
            }
            cycles.append(current)
        elif current is None or current["resubmitted"] is not None:
            continue
        elif event.action == Event.DOSSIER_EDITED:
            for field, (old, new) in (event.data.get("changes") or {}).items():
                first = current["fields"].get(field, (old, new))[0]
                current["fields"][field] = (first, new)
        elif event.action == Event.EVIDENCE_ADDED:
            current["added"].append(event.data.get("name", ""))
        elif event.action == Event.EVIDENCE_REMOVED:
            current["removed"].append(event.data.get("name", ""))
        elif event.action == Event.RESUBMITTED:
            current["resubmitted"] = event
    for cycle in cycles:
        # An edit undone before resubmitting is no change.
        cycle["fields"] = {f: pair for f, pair in cycle["fields"].items() if pair[0] != pair[1]}
        cycle["changed"] = bool(cycle["fields"] or cycle["added"] or cycle["removed"])
    return cycles
