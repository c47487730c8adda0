"""Supervision reports computed from the audit trail alone (one streamed query each).

Durations are in calendar days (elapsed time / 24 h), not working days: the trail records
instants, and the working-day calendar belongs to `nominations`, which `audit` does not import.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from .events import DOSSIER_EDITS, JUDGEMENTS, OBJECTION_CLOSED, RETURNS, Event
from .models import AuditEvent


@dataclass
class Finding:
    nomination_id: int | None
    seqs: list[int]
    what: str
    who: str = ""
    details: dict = field(default_factory=dict)


def same_person_at_two_stages() -> list[Finding]:
    """Someone who judged one nomination at two different stages (acting, or represented by
    a delegate) — separation of duties says each stage is someone else's eyes."""
    seen: dict[tuple[int, str], dict] = {}
    rows = (
        AuditEvent.objects.filter(action__in=JUDGEMENTS, nomination_id__isnull=False)
        .order_by("seq")
        .values_list(
            "seq",
            "nomination_id",
            "actor_id",
            "actor_label",
            "on_behalf_of_id",
            "on_behalf_of_label",
            "data",
        )
        .iterator(chunk_size=5000)
    )
    for seq, nomination, actor, actor_label, principal, principal_label, data in rows:
        stage = (data or {}).get("stage", "")
        for person, label in ((actor, actor_label), (principal, principal_label)):
            if person is None:
                continue
            entry = seen.setdefault((nomination, person), {"label": label, "stages": {}})
            entry["stages"].setdefault(stage, []).append(seq)
    findings = []
    for (nomination, _person), entry in seen.items():
        if len(entry["stages"]) > 1:
            seqs = sorted(s for group in entry["stages"].values() for s in group)
            findings.append(
                Finding(
                    nomination,
                    seqs,
                    "acted at " + ", ".join(entry["stages"]),
                    who=entry["label"],
                    details={"stages": list(entry["stages"])},
                )
            )
    return sorted(findings, key=lambda f: f.seqs[0])


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def delegates_outside_their_dates() -> list[Finding]:
    """Actions taken on someone's behalf outside the delegation's period (data.delegation_from
    / data.delegation_until, recorded by the delegation feature), or with no period recorded."""
    findings = []
    rows = (
        AuditEvent.objects.filter(on_behalf_of__isnull=False)
        .order_by("seq")
        .values_list(
            "seq", "nomination_id", "occurred_at", "actor_label", "on_behalf_of_label", "data"
        )
        .iterator(chunk_size=5000)
    )
    for seq, nomination, occurred_at, actor, principal, data in rows:
        data = data or {}
        start, end = _date(data.get("delegation_from")), _date(data.get("delegation_until"))
        day = timezone.localtime(occurred_at).date()
        if start is None and end is None:
            what = "no delegation period recorded"
        elif (start and day < start) or (end and day > end):
            what = f"acted on {day} outside {start or '…'} – {end or '…'}"
        else:
            continue
        findings.append(
            Finding(nomination, [seq], what, who=f"{actor} for {principal}", details={"day": day})
        )
    return findings


def resubmissions_without_change() -> list[Finding]:
    """Dossiers returned for revision and resubmitted with no edit and no document added or
    removed in between."""
    findings = []
    state: dict[int, tuple[int, bool]] = {}  # nomination → (seq of the return, changed since)
    rows = (
        AuditEvent.objects.filter(
            action__in={*RETURNS, Event.RESUBMITTED, *DOSSIER_EDITS},
            nomination_id__isnull=False,
        )
        .order_by("seq")
        .values_list("seq", "nomination_id", "action", "actor_label")
        .iterator(chunk_size=5000)
    )
    for seq, nomination, action, actor in rows:
        if action in RETURNS:
            state[nomination] = (seq, False)
        elif action in DOSSIER_EDITS:
            if nomination in state:
                state[nomination] = (state[nomination][0], True)
        elif nomination in state:  # resubmitted
            returned, changed = state.pop(nomination)
            if not changed:
                findings.append(
                    Finding(nomination, [returned, seq], "resubmitted unchanged", who=actor)
                )
    return findings


def objections_left_open() -> list[Finding]:
    """Objections filed and not (yet) resolved, dismissed or withdrawn."""
    open_: dict[str, Finding] = {}
    rows = (
        AuditEvent.objects.filter(action__in={Event.OBJECTION_FILED, *OBJECTION_CLOSED})
        .order_by("seq")
        .values_list(
            "seq",
            "nomination_id",
            "action",
            "actor_label",
            "subject_type",
            "subject_id",
            "occurred_at",
            "data",
        )
        .iterator(chunk_size=5000)
    )
    for seq, nomination, action, actor, subject_type, subject_id, occurred_at, data in rows:
        key = str((data or {}).get("objection") or f"{subject_type}:{subject_id}")
        if action == Event.OBJECTION_FILED:
            open_[key] = Finding(
                nomination,
                [seq],
                f"objection filed {timezone.localtime(occurred_at):%Y-%m-%d} still open",
                who=actor,
                details={"objection": key},
            )
        else:
            open_.pop(key, None)
    return list(open_.values())


@dataclass
class StageTime:
    unit_path: str
    award_type_id: int | None
    stage: str
    count: int
    median_days: float
    longest_days: float
    still_waiting: int


def time_in_stages(stages: set[str] | None = None) -> list[StageTime]:
    """How long nominations stayed in each stage, by proposing unit and award type: from the
    event that moved a nomination into the stage to the one that moved it out. Calendar days;
    stays not yet ended are counted apart as still waiting."""
    entered: dict[int, tuple[str, datetime.datetime, str, int | None]] = {}
    spans: dict[tuple[str, int | None, str], list[float]] = defaultdict(list)
    waiting: dict[tuple[str, int | None, str], int] = defaultdict(int)
    rows = (
        AuditEvent.objects.filter(nomination_id__isnull=False)
        .exclude(to_state="")
        .order_by("seq")
        .values_list(
            "nomination_id", "occurred_at", "from_state", "to_state", "unit_path", "award_type_id"
        )
        .iterator(chunk_size=5000)
    )
    for nomination, occurred_at, from_state, to_state, unit_path, award_type in rows:
        previous = entered.pop(nomination, None)
        if previous and previous[0] == from_state:
            stage, since, unit, kind = previous
            spans[(unit, kind, stage)].append((occurred_at - since).total_seconds() / 86400)
        if stages is None or to_state in stages:
            entered[nomination] = (to_state, occurred_at, unit_path, award_type)
    for stage, _since, unit, kind in entered.values():
        waiting[(unit, kind, stage)] += 1
    keys = sorted(set(spans) | set(waiting), key=lambda k: (k[0], k[1] or 0, k[2]))
    return [
        StageTime(
            unit_path=k[0],
            award_type_id=k[1],
            stage=k[2],
            count=len(spans.get(k, [])),
            median_days=round(statistics.median(spans[k]), 2) if spans.get(k) else 0.0,
            longest_days=round(max(spans[k]), 2) if spans.get(k) else 0.0,
            still_waiting=waiting.get(k, 0),
        )
        for k in keys
    ]
