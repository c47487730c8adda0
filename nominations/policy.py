"""Who may do what to a nomination. The one home of these rules: services call `authorize` to
refuse, selectors call `visible_q` / `conflict_q` to filter, views call `allowed_actions` to
decide what to show.

A role is held at a unit and covers its whole subtree (`RoleAssignment`). A delegation lets
someone act in a role the principal holds directly, on the principal's behalf, for a period.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import DateField, Exists, IntegerField, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from audit.types import Actor

from .compiled import Compiled
from .exceptions import NotAllowed
from .models import Delegation, Hold, Nomination, Profile, RoleAssignment, StageDecision, Unit
from .people import display_name
from .roles import Role
from .stages import ACTION_TASK, DEFAULT_STAGE_ROLE, PROGRESS, Status, task_at


@dataclass(frozen=True)
class Assignment:
    role: str
    unit_id: int
    path: str
    on_behalf_of_id: int | None = None  # set when held through a delegation
    delegation_id: int | None = None
    delegation_period: tuple[date, date] | None = None  # (starts_on, ends_on)


@dataclass(frozen=True)
class Authority:
    """In which capacity a user acts: their role, and whose behalf if delegated."""

    role: str
    on_behalf_of: Actor | None = None
    delegation_id: int | None = None
    delegation_period: tuple[date, date] | None = None


def _direct(user_ids) -> list[tuple]:
    return list(
        RoleAssignment.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "role", "unit_id", "unit__path"
        )
    )


def assignments(user) -> list[Assignment]:
    """The user's roles: held directly, and through delegations active today whose principal
    still holds the role directly. Read once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_laurel_assignments", None)
    if cached is not None:
        return cached
    # The roles held and the delegations received, in one query: every action and page asks.
    rows = _ASSIGNMENTS.all(user=user.pk, today=timezone.localdate())
    result = [
        Assignment(role, unit_id, path) for pk, _p, role, unit_id, path, *_ in rows if pk is None
    ]
    delegations = [row for row in rows if row[0] is not None]
    if delegations:
        principal_holds = {
            (uid, role, path) for uid, role, _, path in _direct({d[1] for d in delegations})
        }
        for pk, principal_id, role, unit_id, path, starts_on, ends_on in delegations:
            if any(
                uid == principal_id and r == role and path.startswith(p)
                for uid, r, p in principal_holds
            ):
                result.append(
                    Assignment(role, unit_id, path, principal_id, pk, (starts_on, ends_on))
                )
    user._laurel_assignments = result
    return result


def _held_and_received(user: int, today: date):
    held = (
        RoleAssignment.objects.filter(user_id=user)
        .order_by()
        .values_list(
            Value(None, output_field=IntegerField()),
            Value(None, output_field=IntegerField()),
            "role",
            "unit_id",
            "unit__path",
            Value(None, output_field=DateField()),
            Value(None, output_field=DateField()),
        )
    )
    received = (
        Delegation.objects.filter(
            delegate_id=user, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today
        )
        .order_by()
        .values_list("pk", "principal_id", "role", "unit_id", "unit__path", "starts_on", "ends_on")
    )
    return held.union(received, all=True)


# Compiled once per connection (`nominations.compiled`): every action and page reads it.
_ASSIGNMENTS = Compiled(RoleAssignment, _held_and_received, user=int, today=date)


def roles_of(user) -> set[str]:
    return {a.role for a in assignments(user)}


def holding(user, role: str, unit: Unit, *, directly: bool = False) -> Assignment | None:
    """How the user holds `role` at `unit` or above it (directly if they can), or None."""
    found = [
        a
        for a in assignments(user)
        if a.role == role and unit.path.startswith(a.path) and not (directly and a.on_behalf_of_id)
    ]
    found.sort(key=lambda a: a.on_behalf_of_id is not None)
    return found[0] if found else None


def holds(user, role: str, unit: Unit) -> bool:
    return holding(user, role, unit) is not None


def scope_q(user, roles, path_field: str = "proposing_unit__path") -> Q:
    """Matches rows whose unit lies in the scope of any of the user's `roles`."""
    q = Q(pk__in=[])
    for a in assignments(user):
        if a.role in roles:
            q |= Q(**{f"{path_field}__startswith": a.path})
    return q


# --- seeing --------------------------------------------------------------------------------

_UNIT_ROLES = {Role.UNIT_PROPOSER, Role.UNIT_HEAD}
# Who may read the council's pages (sessions, results, minutes, decisions).
COUNCIL_READERS = frozenset(
    {Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.DECISION_SIGNER, Role.INSPECTOR}
)
# Reviewers see what reached their stage (and stays visible to them afterwards).
_STAGE_OF_ROLE = {role: stage for stage, role in DEFAULT_STAGE_ROLE.items()}
_REACHED = {
    Role.PARTY_COMMITTEE_REVIEWER: PROGRESS[_STAGE_OF_ROLE[Role.PARTY_COMMITTEE_REVIEWER]],
    Role.LEADERSHIP_REVIEWER: PROGRESS[_STAGE_OF_ROLE[Role.LEADERSHIP_REVIEWER]],
    Role.COUNCIL_SECRETARY: PROGRESS[Status.COUNCIL_REVIEW],
    Role.COUNCIL_MEMBER: PROGRESS[Status.COUNCIL_REVIEW],
    Role.DECISION_SIGNER: PROGRESS[Status.APPROVED],
}


def visible_q(user) -> Q:
    """Which nominations the user may see, as a filter."""
    if Role.INSPECTOR in roles_of(user):
        return Q()
    q = scope_q(user, _UNIT_ROLES)
    for role, reached in _REACHED.items():
        q |= scope_q(user, {role}) & Q(progress__gte=reached)
    return q | _escalated_to_q(user)


# A task not yet done (viewflow's statuses, as `workflows.models.OPEN`).
_OPEN_TASK = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def _escalated_to_q(user) -> Q:
    """The nominations whose overdue task was escalated to a role the user holds over the
    proposing unit (`ESCALATES_TO`): they are told of it, and may reassign it."""
    q = Q(pk__in=[])
    for a in assignments(user):
        below = [r for r, above in ESCALATES_TO.items() if above == a.role]
        if below and a.role not in _UNIT_ROLES:  # a unit's roles see all of its nominations
            escalated = Nomination.objects.filter(
                tasks__role__in=below,
                tasks__escalated_at__isnull=False,
                tasks__status__in=_OPEN_TASK,
            ).values("pk")
            q |= Q(proposing_unit__path__startswith=a.path, pk__in=escalated)
    return q


# Who reads the quota report: a unit head their units' quotas; reviewers, the council, the
# signer and inspectors the quotas of the units they hold the role over (the agency).
QUOTA_READERS = frozenset({Role.UNIT_HEAD, *_REACHED, Role.INSPECTOR})


def quota_report_scope(user) -> list[str]:
    """The unit paths whose quotas the user may read on the quota report (empty: none)."""
    paths = sorted({a.path for a in assignments(user) if a.role in QUOTA_READERS})
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


# Who reads the statutory statistics (Ministry of Home Affairs forms): the emulation office (the
# council's secretary), the leadership and the signer, and inspectors, over the units they hold
# the role at. Unit proposers and heads report through the office, not on these forms.
STATISTICS_READERS = frozenset(
    {Role.COUNCIL_SECRETARY, Role.LEADERSHIP_REVIEWER, Role.DECISION_SIGNER, Role.INSPECTOR}
)


def statistics_scope(user) -> list[str]:
    """The unit paths whose statutory statistics the user may read (empty: none)."""
    paths = sorted({a.path for a in assignments(user) if a.role in STATISTICS_READERS})
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def can_view(user, nomination: Nomination) -> bool:
    return Nomination.objects.filter(visible_q(user), pk=nomination.pk).exists()


# --- acting --------------------------------------------------------------------------------

_UNIT_ACTIONS = {"submit", "resubmit", "withdraw", "edit"}
# Off its task (the lifecycle refuses the action then), an action still names the role it needs,
# so a refusal says why; the council's objections are the secretary's during the notice.
_ROLE_OFF_TASK = {
    "council_approve": Role.COUNCIL_SECRETARY,
    "council_reject": Role.COUNCIL_SECRETARY,
    "objection_return": Role.COUNCIL_SECRETARY,
    "objection_reject": Role.COUNCIL_SECRETARY,
    "confer": Role.DECISION_SIGNER,
    "forward": Role.DECISION_SIGNER,
    "higher_confer": Role.COUNCIL_SECRETARY,
    "higher_not_confer": Role.COUNCIL_SECRETARY,
    "higher_return": Role.COUNCIL_SECRETARY,
}

# The office records what the higher level decided: a record of someone else's judgement, not a
# judgement of its own, so having judged the nomination at an earlier stage (the secretary who
# closed the council's vote) does not bar it. Proposing the nomination or being its nominee
# still does.
RECORDING_ACTIONS = frozenset({"higher_confer", "higher_not_confer", "higher_return"})
RECORDING_STATUSES = [Status.FORWARDED]


# Actions that complete no task, and the roles that may do them besides whoever the nomination
# waits on where it stands (`Nomination.waiting_on`; for a held nomination, where it was held).
# A hold (Decree 152/2025, Art. 4) is placed and lifted by the reviewer of the stage, the
# council's secretary at the council, the unit's proposer at its revision, the signer awaiting
# the decision — and at any of these by a council secretary over the proposing unit (the
# secretary's role is held over the agency). Not by an administrator, who takes no part in the
# lifecycle (and sees no nomination), nor an inspector, who changes nothing. Separation of
# duties applies as to a judgement: nobody places or lifts a hold on what they proposed, what
# names them or their unit, or what they judged at another stage.
_BESIDES_WAITING = {
    "hold": (Role.COUNCIL_SECRETARY,),
    "lift_hold": (Role.COUNCIL_SECRETARY,),
}
HOLD_ACTIONS = list(_BESIDES_WAITING)


def acting_roles(nomination: Nomination, action: str) -> list[str]:
    """The roles any one of which performs `action` on the nomination as it stands, in the
    order they are tried (`acting_role` but for the actions with several)."""
    if action in _BESIDES_WAITING:
        waiting = nomination.waiting_on()
        first = [waiting.role] if waiting is not None else []
        return list(dict.fromkeys([*first, *_BESIDES_WAITING[action]]))
    role = acting_role(nomination, action)
    return [role] if role else []


def acting_role(nomination: Nomination, action: str) -> str:
    """The role that performs `action` on the nomination as it stands: the proposer for the
    unit's own actions, else whoever the task it completes waits on (`Nomination.waiting_on`)."""
    if action in _UNIT_ACTIONS:
        return Role.UNIT_PROPOSER
    if action not in ACTION_TASK and action not in _ROLE_OFF_TASK:
        raise ValueError(action)
    waiting = nomination.waiting_on()
    if waiting is not None and waiting.task == ACTION_TASK.get(action):
        return waiting.role
    return _ROLE_OFF_TASK.get(action, "")


# The council's stage spans its vote and the public notice that follows (objections).
COUNCIL_STAGE: list[str] = [Status.COUNCIL_REVIEW, Status.COUNCIL_APPROVED, Status.COUNCIL_REJECTED]


def _judgements(**filters):
    """The stage decisions by which somebody judged a nomination (`StageDecision.JUDGING`)."""
    return StageDecision.objects.filter(outcome__in=StageDecision.JUDGING, **filters)


# The statuses at which a person judged a nomination (in person or for a principal), compiled
# once per connection: every review asks it.
_JUDGED_AT = Compiled(
    StageDecision,
    lambda nomination, user: (
        _judgements(nomination_id=nomination)
        .filter(Q(actor_id=user) | Q(on_behalf_of_id=user))
        .order_by()
        .values_list("from_status")
        .distinct()
    ),
    nomination=int,
    user=int,
)


def _same_stage(status: str) -> list[str]:
    return COUNCIL_STAGE if status in COUNCIL_STAGE else [status]


def conflict_of_interest(
    user, nomination: Nomination, *, acted_elsewhere: bool | None = None
) -> str | None:
    """Why the user may not judge this nomination now, or None. Applies to every review, vote
    and signature: nobody judges what they proposed, what names them or their unit, what comes
    from their own unit where the award type says so, or at a second stage of its journey."""
    if nomination.created_by_id == user.pk:
        return _("You proposed this nomination.")
    if nomination.nominee_person_id == user.pk:
        return _("You are the nominee.")
    profile = getattr(user, "profile", None)
    if profile is not None:
        if nomination.nominee_unit_id and profile.unit.is_within(nomination.nominee_unit):
            return _("Your unit is the nominee.")
        if (
            nomination.award_type.reviewers_from_other_units_only
            # the unit head confirms their own unit
            and nomination.standing_status != Status.UNIT_REVIEW
            and profile.unit.is_within(nomination.proposing_unit)
        ):
            return _("This award type is reviewed only by people outside the proposing unit.")
    if acted_elsewhere is None:  # batches read everyone's history at once (authorize_many)
        same = _same_stage(nomination.standing_status)
        acted_elsewhere = any(
            status not in same
            for (status,) in _JUDGED_AT.all(nomination=nomination.pk, user=user.pk)
        )
    if acted_elsewhere:
        return _("You already acted on this nomination at another stage.")
    return None


def _home_path(user) -> str | None:
    """The path of the user's own unit, read once per user object (one query, not two)."""
    if not hasattr(user, "_laurel_home_path"):
        loaded = user._state.fields_cache.get("profile")
        if loaded is not None and "unit" in loaded._state.fields_cache:
            return loaded.unit.path
        user._laurel_home_path = (
            Profile.objects.filter(user_id=user.pk).values_list("unit__path", flat=True).first()
        )
    return user._laurel_home_path


def conflict_q(user, prefix: str = "") -> Q:
    """`conflict_of_interest` as a filter: matches the nominations the user may not judge now."""
    q = Q(**{f"{prefix}created_by": user}) | Q(**{f"{prefix}nominee_person": user})
    home = _home_path(user)
    # The unit head confirms their own unit's nominations, held at that stage too.
    held_at_unit_review = Hold.objects.filter(
        nomination_id=OuterRef(f"{prefix}pk"),
        lifted_at__isnull=True,
        held_status=Status.UNIT_REVIEW,
    )
    if home is not None:
        ancestors = [int(pk) for pk in home.strip("/").split("/")]
        q |= Q(**{f"{prefix}nominee_unit__in": ancestors})
        q |= (
            Q(**{f"{prefix}award_type__reviewers_from_other_units_only": True})
            & ~Q(**{f"{prefix}status": Status.UNIT_REVIEW})
            & ~(Q(**{f"{prefix}status": Status.ON_HOLD}) & Q(Exists(held_at_unit_review)))
            & Q(**{f"{prefix}proposing_unit__in": ancestors})
        )
    judged = _judgements(nomination_id=OuterRef(f"{prefix}pk")).filter(
        Q(actor_id=user.pk) | Q(on_behalf_of_id=user.pk)
    )
    in_council = Q(**{f"{prefix}status__in": COUNCIL_STAGE})
    # A held nomination stands where it was held (its open hold's status).
    held = Q(**{f"{prefix}status": Status.ON_HOLD})
    held_at = Hold.objects.filter(
        nomination_id=OuterRef("nomination_id"), lifted_at__isnull=True
    ).values("held_status")
    # Awaiting the higher level, the office only records that level's outcome
    # (`RECORDING_ACTIONS`): having judged the nomination before does not bar it.
    recording = Q(**{f"{prefix}status__in": RECORDING_STATUSES})
    return (
        q
        | (in_council & Q(Exists(judged.exclude(from_status__in=COUNCIL_STAGE))))
        | (held & Q(Exists(judged.exclude(from_status__in=held_at))))
        | (
            ~in_council
            & ~held
            & ~recording
            & Q(Exists(judged.exclude(from_status=OuterRef(f"{prefix}status"))))
        )
    )


def authorize(user, action: str, nomination: Nomination) -> Authority:
    """Return the capacity in which the user may do `action` now, or raise NotAllowed saying
    why. Whether the status allows the action is the lifecycle's business, not this one's."""
    return _authorize(user, action, nomination, {}, None)


def authorize_locked(user: Actor, action: str, locked: Nomination, seen: Nomination) -> Authority:
    """`authorize` on the nomination just locked, then refuse a stale page (the actor saw
    `seen`, an older version): the answer names the real reason. Whoever holds no role on the
    nomination's journey is refused for that (403) even from an out-of-date page; whoever does,
    and is refused only because the nomination moved on, is told their page is out of date
    (409)."""
    try:
        authority = authorize(user, action, locked)
    except NotAllowed:
        if locked.version != seen.version and _acts_on_journey(user, action, locked):
            locked.refuse_if_stale(seen, user)
        raise
    locked.refuse_if_stale(seen, user)
    return authority


def _acts_on_journey(user: Actor, action: str, nomination: Nomination) -> bool:
    """Whether the user holds a role that does `action` somewhere on the nomination's route."""
    roles: set[str]
    if action in _UNIT_ACTIONS:
        roles = {Role.UNIT_PROPOSER}
    elif action in _BESIDES_WAITING:
        roles = {s.role for s in nomination.award_type.stages}
        roles |= {Role.UNIT_PROPOSER, Role.DECISION_SIGNER, *_BESIDES_WAITING[action]}
    else:
        task = ACTION_TASK.get(action)
        roles = {s.role for s in nomination.award_type.stages if task_at(s.stage) == task}
        if action in _ROLE_OFF_TASK:
            roles.add(_ROLE_OFF_TASK[action])
    return any(holding(user, role, nomination.proposing_unit) for role in roles)


def authorize_many(user, acts: list[tuple[str, Nomination]]) -> list[Authority]:
    """`authorize` for a batch of (action, nomination) (the council's tally closes a whole
    agenda at once): the same rules, the first refusal in the batch's order raised, in a fixed
    number of queries whatever the batch's size."""
    principals: dict = {}
    nominations = [n for _action, n in acts]
    for action, n in acts:  # delegations resolve once per principal, before the history is read
        held = _holding_any(user, acting_roles(n, action), n.proposing_unit)
        if held is not None and held.on_behalf_of_id and held.on_behalf_of_id not in principals:
            principals[held.on_behalf_of_id] = _principal(held.on_behalf_of_id)
    people = [user.pk, *principals]
    # (person, nomination) → statuses at which they judged it
    judged: dict[tuple[int, int], set[str]] = {}
    for nomination_id, actor_id, behalf_id, from_state in (
        _judgements(nomination_id__in=[n.pk for n in nominations])
        .filter(Q(actor_id__in=people) | Q(on_behalf_of_id__in=people))
        .values_list("nomination_id", "actor_id", "on_behalf_of_id", "from_status")
    ):
        for person in {actor_id, behalf_id} & set(people):
            judged.setdefault((person, nomination_id), set()).add(from_state)
    return [_authorize(user, action, n, principals, judged) for action, n in acts]


def _principal(pk: int):
    return get_user_model().objects.select_related("profile__unit").get(pk=pk)


def _holding_any(user, roles: list[str], unit: Unit) -> Assignment | None:
    """How the user holds the first of `roles` they hold at `unit` or above it, or None."""
    for role in roles:
        held = holding(user, role, unit)
        if held is not None:
            return held
    return None


def _authorize(user, action: str, nomination: Nomination, principals: dict, judged) -> Authority:
    roles = acting_roles(nomination, action)
    held = _holding_any(user, roles, nomination.proposing_unit)
    if held is None and len(roles) > 1:
        raise NotAllowed(
            _("This needs one of the roles %(roles)s for %(unit)s.")
            % {
                "roles": ", ".join(f"“{Role(r).label}”" for r in roles),
                "unit": nomination.proposing_unit,
            }
        )
    if held is None:
        raise NotAllowed(
            _("This needs the role “%(role)s” for %(unit)s.")
            % {"role": Role(roles[0]).label if roles else "—", "unit": nomination.proposing_unit}
        )
    role = held.role
    principal = None
    if held.on_behalf_of_id:
        principal = principals.get(held.on_behalf_of_id) or _principal(held.on_behalf_of_id)
    if action not in _UNIT_ACTIONS:
        # Delegation is no way around separation of duties: both people are checked.
        for person in filter(None, [user, principal]):
            if action in RECORDING_ACTIONS:
                reason = conflict_of_interest(person, nomination, acted_elsewhere=False)
            elif judged is None:
                reason = conflict_of_interest(person, nomination)
            else:
                stages = judged.get((person.pk, nomination.pk), set())
                elsewhere = bool(stages - set(_same_stage(nomination.standing_status)))
                reason = conflict_of_interest(person, nomination, acted_elsewhere=elsewhere)
            if reason:
                if person is principal:
                    reason = _("On behalf of %(name)s: %(reason)s") % {
                        "name": display_name(principal),
                        "reason": reason,
                    }
                raise NotAllowed(_("You may not act on this nomination."), reasons=[reason])
    return Authority(role, principal, held.delegation_id, held.delegation_period)


def may(user, action: str, nomination: Nomination) -> bool:
    try:
        authorize(user, action, nomination)
    except NotAllowed:
        return False
    return True


def can_edit_dossier(user, nomination: Nomination) -> bool:
    return nomination.status in (Status.DRAFT, Status.RETURNED) and may(user, "edit", nomination)


def may_propose(user) -> bool:
    """Whether the user drafts nominations somewhere (what pages offer "New nomination" on)."""
    return Role.UNIT_PROPOSER in roles_of(user)


def units_user_may_propose_for(user):
    return Unit.objects.filter(scope_q(user, {Role.UNIT_PROPOSER}, path_field="path"))


# The actions offered on a nomination's page, in the order they are shown.
PAGE_ACTIONS = ["submit", "resubmit", "approve", "return_for_revision", "reject", "withdraw"]


def allowed_actions(user, nomination: Nomination, among=PAGE_ACTIONS) -> list[str]:
    """What the user can do to the nomination now: the lifecycle allows it and so do we
    (`among` the page's actions, or `HOLD_ACTIONS` for the hold's forms)."""
    return [a for a in among if nomination.can(a) and may(user, a, nomination)]


# --- delegating ----------------------------------------------------------------------------


def check_delegation(principal, delegate, role: str, unit: Unit) -> None:
    """Raise NotAllowed unless `principal` may delegate `role` over `unit` to `delegate`."""
    if role not in Delegation.DELEGABLE_ROLES:
        raise NotAllowed(_("This role cannot be delegated."))
    if delegate.pk == principal.pk:
        raise NotAllowed(_("You cannot delegate to yourself."))
    if holding(principal, role, unit, directly=True) is None:
        raise NotAllowed(
            _("Only a role you hold yourself can be delegated; delegations do not chain.")
        )


def delegations_visible_q(user) -> Q:
    if Role.ADMINISTRATOR in roles_of(user):
        return Q()
    return Q(principal=user) | Q(delegate=user)


def may_revoke(user, delegation: Delegation) -> bool:
    return delegation.principal_id == user.pk or Role.ADMINISTRATOR in roles_of(user)


# --- the record across years, and the emulation registration -------------------------------

# Who reads a person's or a collective's record (awards, ratings, initiatives, discipline,
# registrations): the unit's own proposers and head, and the agency's reviewers and council,
# each over the holder's unit (a role held at a unit covers its subtree); inspectors everywhere.
RECORD_READERS = frozenset(
    {
        Role.UNIT_PROPOSER,
        Role.UNIT_HEAD,
        Role.PARTY_COMMITTEE_REVIEWER,
        Role.LEADERSHIP_REVIEWER,
        Role.COUNCIL_SECRETARY,
        Role.COUNCIL_MEMBER,
    }
)
# Who imports past years' records: the council's secretary (the emulation office) and
# administrators, over their scope.
RECORD_IMPORTERS = frozenset({Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR})


def may_see_record(user, unit_path: str | None) -> bool:
    """Whether the user may read the record of a person working in, or a collective at, the unit
    whose path is `unit_path` (None: a person with no unit, whom only inspectors see)."""
    if Role.INSPECTOR in roles_of(user):
        return True
    if not unit_path:
        return False
    return any(a.role in RECORD_READERS and unit_path.startswith(a.path) for a in assignments(user))


# Who proposes revoking a conferred award (docs/DOMAIN.md, "Revocation"): the head of the unit
# that proposed it, who answers for its dossier; the council secretary of the agency that
# conferred it (the emulation office, which keeps the record); an inspector, who finds false
# declarations. Each over the award: the proposing unit, or the conferring agency.
REVOCATION_PROPOSERS = (Role.UNIT_HEAD, Role.COUNCIL_SECRETARY, Role.INSPECTOR)


def revocation_proposer_role(user, nomination: Nomination) -> str | None:
    """The role in which the user may propose revoking the award conferred on `nomination`, or
    None. A nominee never proposes their own award's fate."""
    if nomination.nominee_person_id == getattr(user, "pk", None):
        return None
    where = {
        Role.UNIT_HEAD: nomination.proposing_unit,
        Role.COUNCIL_SECRETARY: nomination.campaign.agency,
        Role.INSPECTOR: nomination.campaign.agency,
    }
    for role in REVOCATION_PROPOSERS:
        if holds(user, role, where[role]):
            return role
    return None


def authorize_revocation_proposal(user, nomination: Nomination) -> str:
    role = revocation_proposer_role(user, nomination)
    if role is None:
        raise NotAllowed(
            _(
                "Only the head of the proposing unit, the council secretary or an inspector "
                "may propose revoking this award."
            )
        )
    return role


def authorize_revocation_secretary(user, agency: Unit) -> str:
    """The council secretary of the agency records the council's conclusion on a revocation
    and what was recovered after it."""
    if not holds(user, Role.COUNCIL_SECRETARY, agency):
        raise NotAllowed(
            _("Only the council secretary of %(agency)s records this.") % {"agency": agency}
        )
    return Role.COUNCIL_SECRETARY


def record_import_scopes(user) -> list[str]:
    """The unit paths over which the user imports past records (empty: may not import)."""
    return sorted({a.path for a in assignments(user) if a.role in RECORD_IMPORTERS})


def may_import_record(user) -> bool:
    return bool(record_import_scopes(user))


def authorize_record_import(user) -> str:
    """The role in which the user imports past records, or NotAllowed saying who may."""
    for role in (Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR):
        if role in roles_of(user):
            return role
    raise NotAllowed(
        _(
            "Only the council's secretary (the emulation office) or an administrator can "
            "import records."
        )
    )


def authorize_nomination_import(user, unit: Unit | None = None) -> str:
    """The role in which the user imports a list of nominations for `unit` (None: for any unit
    of theirs, as the import page asks), or NotAllowed: a unit's proposer, as for one draft."""
    if unit is None:
        if may_propose(user):
            return Role.UNIT_PROPOSER
    else:
        held = holding(user, Role.UNIT_PROPOSER, unit)
        if held is not None:
            return held.role
    raise NotAllowed(_("Only a unit's proposer can import its list of nominations."))


# Exchange between two Laurels (issue 16). The sending agency's council secretary, who prepares
# a request to the higher level, or its decision signer, who signed it, exports its bundle. The
# receiving agency's council secretary (its emulation office) imports bundles into a campaign of
# that agency. The imported nominations are proposed by the sender, not by whoever imports them:
# each is drafted and submitted by the sender's account (`SENDER_ROLE` over the local unit that
# stands for the sender, an account nobody signs in with), so the importing secretary stays free
# to judge them at the council, and every trail names the sender as their proposer.
BUNDLE_EXPORTERS = (Role.COUNCIL_SECRETARY, Role.DECISION_SIGNER)
BUNDLE_IMPORTER = Role.COUNCIL_SECRETARY
SENDER_ROLE = Role.UNIT_PROPOSER


def authorize_bundle_export(user, agency: Unit) -> str:
    """The role in which the user exports the bundle of one of `agency`'s requests."""
    for role in BUNDLE_EXPORTERS:
        if holds(user, role, agency):
            return role
    raise NotAllowed(
        _(
            "Only the council secretary or the decision signer of %(agency)s exports its "
            "requests' bundles."
        )
        % {"agency": agency}
    )


def may_export_bundle(user, agency: Unit) -> bool:
    """Whether the user may export `agency`'s request bundles (as `authorize_bundle_export`)."""
    return any(holds(user, role, agency) for role in BUNDLE_EXPORTERS)


def may_export_bundles(user) -> bool:
    return bool(roles_of(user) & set(BUNDLE_EXPORTERS))


def may_import_bundles(user) -> bool:
    return BUNDLE_IMPORTER in roles_of(user)


def authorize_bundle_import(user, agency: Unit | None = None) -> str:
    """The role in which the user imports bundles into `agency`'s campaigns (None: into any
    campaign of theirs, as the import page asks), or NotAllowed."""
    if (agency is None and may_import_bundles(user)) or (
        agency is not None and holds(user, BUNDLE_IMPORTER, agency)
    ):
        return BUNDLE_IMPORTER
    raise NotAllowed(
        _(
            "Only the council secretary (the emulation office) of the receiving agency "
            "imports bundles."
        )
    )


def units_user_may_register_for(user):
    """The units whose people and collectives the user registers to the emulation movement: the
    proposer's, as for nominations."""
    return units_user_may_propose_for(user)


def authorize_registration(user, unit: Unit) -> str:
    """The role in which the user registers people and collectives of `unit`, or NotAllowed."""
    held = holding(user, Role.UNIT_PROPOSER, unit)
    if held is None:
        raise NotAllowed(
            _("Only a proposer of %(unit)s can register its people and collectives.")
            % {"unit": unit}
        )
    return held.role


def record_units(user):
    """The units whose people's and collectives' records (and registrations) the user reads."""
    if Role.INSPECTOR in roles_of(user):
        return Unit.objects.all()
    return Unit.objects.filter(scope_q(user, RECORD_READERS, path_field="path"))


# --- who holds a role over a unit, for many units at once ------------------------------------


def _ancestors(path: str) -> list[str]:
    """ "/1/4/9/" → ["/1/", "/1/4/", "/1/4/9/"]: the paths whose roles cover the unit."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class Holders:
    """Who holds which role over which units (directly or by delegation), read once for a batch
    (the notifications' reader asks it for every event at once): two queries (assignments,
    delegations), the second only when a delegable role is asked for."""

    def __init__(self, wanted: set[tuple[str, str]]):
        roles = {role for role, _path in wanted}
        paths = {p for _role, path in wanted for p in _ancestors(path)}
        self.direct = list(
            RoleAssignment.objects.filter(role__in=roles, unit__path__in=paths).values_list(
                "user_id", "role", "unit__path"
            )
        )
        self.delegated: list[tuple[int, str, str]] = []
        delegable = roles & set(Delegation.DELEGABLE_ROLES)
        if delegable:
            today = timezone.localdate()
            for delegate_id, principal_id, role, path in Delegation.objects.filter(
                role__in=delegable,
                unit__path__in=paths,
                revoked_at__isnull=True,
                starts_on__lte=today,
                ends_on__gte=today,
            ).values_list("delegate_id", "principal_id", "role", "unit__path"):
                # As policy.assignments: only while the principal still holds the role directly
                # over the delegated unit (their assignment is among those read above).
                if any(
                    uid == principal_id and r == role and path.startswith(p)
                    for uid, r, p in self.direct
                ):
                    self.delegated.append((delegate_id, role, path))

    def of(self, role: str, unit_path: str) -> set[int]:
        return {
            uid
            for uid, r, p in (*self.direct, *self.delegated)
            if r == role and unit_path.startswith(p)
        }


# --- overdue work: escalation and reassignment ---------------------------------------------

# "The role above": to whom a task is escalated once it is overdue (`workflows.deadlines`), held
# over the same proposing unit (a role held at a unit covers its subtree, so the agency's
# reviewers are found above every department). Its one home (docs/DOMAIN.md, "Routes, tasks and
# deadlines"):
# - the unit's revision (its proposers) → the unit's head, who answers for the unit's work;
# - the unit head's confirmation → the leadership reviewer, the unit head's leader;
# - the party committee's review → the council secretary, the emulation council's standing
#   secretariat, which keeps the campaign's timetable;
# - the leadership review and the council's stage (its secretary) → the decision signer, the
#   head of the agency, whom both serve;
# - the signature (the head of the agency, with nobody above) → the council secretary, who
#   prepares the decision and follows it up.
ESCALATES_TO = {
    Role.UNIT_PROPOSER: Role.UNIT_HEAD,
    Role.UNIT_HEAD: Role.LEADERSHIP_REVIEWER,
    Role.PARTY_COMMITTEE_REVIEWER: Role.COUNCIL_SECRETARY,
    Role.LEADERSHIP_REVIEWER: Role.DECISION_SIGNER,
    Role.COUNCIL_SECRETARY: Role.DECISION_SIGNER,
    Role.DECISION_SIGNER: Role.COUNCIL_SECRETARY,
}

# The unit's revision is not taken from a queue (the unit's proposers resubmit), so it is
# escalated but never reassigned.
_NOT_REASSIGNED = frozenset({Role.UNIT_PROPOSER})


def escalates_to(role: str) -> str | None:
    """The role an overdue task waiting on `role` is escalated to (None: nobody)."""
    return ESCALATES_TO.get(Role(role)) if role in Role.values else None


def may_reassign(user, role: str, nomination: Nomination) -> bool:
    """Whether the user is who a task waiting on `role` is escalated to (as `authorize_reassign`
    asks, before the new holder is chosen): what the page offers the form on."""
    above = escalates_to(role)
    return (
        role not in _NOT_REASSIGNED
        and above is not None
        and holding(user, above, nomination.proposing_unit) is not None
    )


def authorize_reassign(
    user: Actor, *, role: str, escalated: bool, nomination: Nomination, new_owner
) -> Authority:
    """The capacity in which the user may give an escalated task waiting on `role` to
    `new_owner`, or NotAllowed saying why: only someone holding the role above
    (`ESCALATES_TO`) over the proposing unit, once the task has been escalated, and only to
    another holder of the task's role there who may judge the nomination."""
    unit = nomination.proposing_unit
    if role in _NOT_REASSIGNED:
        raise NotAllowed(
            _("The unit's revision is not assigned to one person; the unit resubmits.")
        )
    above = escalates_to(role)
    held = holding(user, above, unit) if above else None
    if held is None:
        raise NotAllowed(
            _("Only whoever this task is escalated to (“%(role)s” for %(unit)s) may reassign it.")
            % {"role": Role(above).label if above else "—", "unit": unit}
        )
    if not escalated:
        raise NotAllowed(
            _("This task is not overdue enough to be escalated; it cannot be reassigned yet.")
        )
    if holding(new_owner, role, unit) is None:
        raise NotAllowed(
            _("%(name)s does not hold the role “%(role)s” for %(unit)s.")
            % {"name": display_name(new_owner), "role": Role(role).label, "unit": unit}
        )
    reason = conflict_of_interest(new_owner, nomination) if role != Role.UNIT_PROPOSER else None
    if reason:
        raise NotAllowed(
            _("%(name)s may not act on this nomination.") % {"name": display_name(new_owner)},
            reasons=[reason],
        )
    principal = _principal(held.on_behalf_of_id) if held.on_behalf_of_id else None
    return Authority(held.role, principal, held.delegation_id, held.delegation_period)


# --- signing in ----------------------------------------------------------------------------

# Who must pass a second factor (TOTP, or a recovery code) before doing anything in a session:
# those who sign decisions, run the council (its secretary; the council has no chair role),
# inspect, or administer; and anyone with staff or superuser rights (the admin site). Others
# may set one up. Enforced on every request by `nominations.middleware.SecondFactorMiddleware`.
SECOND_FACTOR_ROLES = frozenset(
    {Role.DECISION_SIGNER, Role.COUNCIL_SECRETARY, Role.INSPECTOR, Role.ADMINISTRATOR}
)


def needs_second_factor(user) -> bool:
    """Whether the user must have a verified second factor in their session (roles held
    directly or through a delegation count alike)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_of(user) & SECOND_FACTOR_ROLES)
