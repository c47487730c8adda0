"""Who may do what to a nomination. The one home of these rules: services call `authorize` to
refuse, selectors call `visible_q` to filter, views call `allowed_actions` to decide what to show.

A role is held at a unit and covers its whole subtree (see `RoleAssignment`).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .exceptions import NotAllowed
from .models import Nomination, RoleAssignment, Unit
from .roles import Role
from .stages import Status


@dataclass(frozen=True)
class Assignment:
    role: str
    unit_id: int
    path: str


def assignments(user) -> list[Assignment]:
    """The user's role assignments, read once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_laurel_assignments", None)
    if cached is None:
        cached = [
            Assignment(role, unit_id, path)
            for role, unit_id, path in RoleAssignment.objects.filter(user=user).values_list(
                "role", "unit_id", "unit__path"
            )
        ]
        user._laurel_assignments = cached
    return cached


def roles_of(user) -> set[str]:
    return {a.role for a in assignments(user)}


def holds(user, role: str, unit: Unit) -> bool:
    """True if the user holds `role` at `unit` or above it."""
    return any(a.role == role and unit.path.startswith(a.path) for a in assignments(user))


def scope_q(user, roles, path_field: str = "proposing_unit__path") -> Q:
    """Matches rows whose unit lies in the scope of any of the user's `roles`."""
    q = Q(pk__in=[])
    for a in assignments(user):
        if a.role in roles:
            q |= Q(**{f"{path_field}__startswith": a.path})
    return q


_UNIT_ROLES = {Role.UNIT_PROPOSER, Role.UNIT_HEAD}
_REVIEW_ROLES = {
    Role.PARTY_COMMITTEE_REVIEWER,
    Role.LEADERSHIP_REVIEWER,
    Role.COUNCIL_SECRETARY,
    Role.COUNCIL_MEMBER,
    Role.DECISION_SIGNER,
}


def visible_q(user) -> Q:
    """Which nominations the user may see, as a filter."""
    if Role.INSPECTOR in roles_of(user):
        return Q()
    # The unit sees its own nominations, drafts included; reviewers see what has left the unit.
    return scope_q(user, _UNIT_ROLES) | (scope_q(user, _REVIEW_ROLES) & ~Q(status=Status.DRAFT))


def can_view(user, nomination: Nomination) -> bool:
    return Nomination.objects.filter(visible_q(user), pk=nomination.pk).exists()


# --- acting ------------------------------------------------------------------------------

_UNIT_ACTIONS = {"submit", "resubmit", "withdraw", "edit"}
_REVIEW_ACTIONS = {"approve", "return_for_revision", "reject"}
_COUNCIL_ACTIONS = {"council_approve", "council_reject", "objection_return", "objection_reject"}


def acting_role(nomination: Nomination, action: str) -> str:
    """The role that performs `action` on the nomination as it stands."""
    if action in _UNIT_ACTIONS:
        return Role.UNIT_PROPOSER
    if action in _REVIEW_ACTIONS:
        stage = nomination.award_type.route_stage(nomination.status)
        return stage.role if stage else ""
    if action in _COUNCIL_ACTIONS:
        return Role.COUNCIL_SECRETARY
    if action == "confer":
        return Role.DECISION_SIGNER
    raise ValueError(action)


def conflict_of_interest(user, nomination: Nomination) -> str | None:
    """Why the user may not judge this nomination, or None. Applies to every review, vote and
    signature: nobody judges what they proposed or what names them."""
    if nomination.created_by_id == user.pk:
        return _("You proposed this nomination.")
    if nomination.nominee_person_id == user.pk:
        return _("You are the nominee.")
    profile = getattr(user, "profile", None)
    if profile is not None:
        if nomination.nominee_unit_id and profile.unit.is_within(nomination.nominee_unit):
            return _("Your unit is the nominee.")
        if nomination.award_type.reviewers_from_other_units_only and profile.unit.is_within(
            nomination.proposing_unit
        ):
            return _("This award type is reviewed only by people outside the proposing unit.")
    return None


def conflict_q(user, prefix: str = "") -> Q:
    """`conflict_of_interest` as a filter: matches the nominations the user may not judge."""
    q = Q(**{f"{prefix}created_by": user}) | Q(**{f"{prefix}nominee_person": user})
    profile = getattr(user, "profile", None)
    if profile is not None:
        ancestors = [int(pk) for pk in profile.unit.path.strip("/").split("/")]
        q |= Q(**{f"{prefix}nominee_unit__in": ancestors})
        q |= Q(**{f"{prefix}award_type__reviewers_from_other_units_only": True}) & Q(
            **{f"{prefix}proposing_unit__in": ancestors}
        )
    return q


def authorize(user, action: str, nomination: Nomination) -> str:
    """Return the role in which the user may do `action` now, or raise NotAllowed saying why.
    Whether the status allows the action is the lifecycle's business, not this function's."""
    role = acting_role(nomination, action)
    if not role or not holds(user, role, nomination.proposing_unit):
        raise NotAllowed(
            _("This needs the role “%(role)s” for %(unit)s.")
            % {"role": Role(role).label if role else "—", "unit": nomination.proposing_unit}
        )
    if action not in _UNIT_ACTIONS:
        reason = conflict_of_interest(user, nomination)
        if reason:
            raise NotAllowed(_("You may not act on this nomination."), reasons=[reason])
    return role


def may(user, action: str, nomination: Nomination) -> bool:
    try:
        authorize(user, action, nomination)
    except NotAllowed:
        return False
    return True


def can_edit_dossier(user, nomination: Nomination) -> bool:
    return nomination.status in (Status.DRAFT, Status.RETURNED) and may(user, "edit", nomination)


def units_user_may_propose_for(user):
    return Unit.objects.filter(scope_q(user, {Role.UNIT_PROPOSER}, path_field="path"))


# The actions offered on a nomination's page, in the order they are shown.
PAGE_ACTIONS = ["submit", "resubmit", "approve", "return_for_revision", "reject", "withdraw"]


def allowed_actions(user, nomination: Nomination) -> list[str]:
    """What the user can do to the nomination now: the lifecycle allows it and so do we."""
    from .lifecycle import is_possible

    return [a for a in PAGE_ACTIONS if is_possible(nomination, a) and may(user, a, nomination)]
