"""Who may do what with council sessions, ballots, objections and signed decisions. Roles and
conflicts of interest are `nominations.policy`'s; this module applies them to the council."""

from django.utils.translation import gettext as _

from nominations import policy
from nominations.exceptions import NotAllowed
from nominations.roles import Role

from .models import AgendaItem, CouncilSession, SessionMember


def may_plan_sessions(user, agency) -> bool:
    return policy.holds(user, Role.COUNCIL_SECRETARY, agency)


def authorize_planning(user, agency) -> None:
    if not may_plan_sessions(user, agency):
        raise NotAllowed(
            _("Only the council secretary of %(agency)s prepares its sessions.")
            % {"agency": agency}
        )


def may_read_sessions(user, agency) -> bool:
    return any(policy.holds(user, role, agency) for role in policy.COUNCIL_READERS)


def authorize_secretary(user, session: CouncilSession) -> str:
    """The session's own secretary, still holding the role, runs it."""
    if session.secretary_id != user.pk or not policy.holds(
        user, Role.COUNCIL_SECRETARY, session.campaign.agency
    ):
        raise NotAllowed(_("Only the secretary of this session can do this."))
    return Role.COUNCIL_SECRETARY


def recusal_reason(user, item: AgendaItem) -> str | None:
    """Why the member may not vote on the item (the nominee, its proposer, …), or None."""
    return policy.conflict_of_interest(user, item.nomination)


def authorize_vote(user, item: AgendaItem, seat: SessionMember | None, recused: bool) -> str:
    if seat is None:
        raise NotAllowed(_("You are not a member of the council for this session."))
    if not policy.holds(user, Role.COUNCIL_MEMBER, item.session.campaign.agency):
        raise NotAllowed(_("You no longer hold the council-member role."))
    if not seat.present:
        raise NotAllowed(_("You were not recorded as present when the session opened."))
    if recused:
        raise NotAllowed(_("You are recused from this item and may not vote on it."))
    return Role.COUNCIL_MEMBER


def check_written_opinion(item: AgendaItem, seat: SessionMember | None, recused: bool) -> None:
    """Whose written opinion the secretary may record: a member of the session who is absent
    and not recused from the item."""
    if seat is None:
        raise NotAllowed(_("Only a member of the council for this session gives an opinion."))
    if seat.present:
        raise NotAllowed(_("This member is present and votes in person."))
    if recused:
        raise NotAllowed(_("This member is recused from this item."))


def may_object(user) -> bool:
    """Every signed-in staff member may read the notice and object."""
    return bool(getattr(user, "is_authenticated", False))


def authorize_resolving(user, nomination) -> str:
    """The council secretary resolves objections, unless the nomination is theirs to judge not."""
    return policy.authorize(user, "objection_return", nomination).role


def may_sign(user, agency) -> bool:
    return policy.holds(user, Role.DECISION_SIGNER, agency)


def authorize_signing(user, agency) -> str:
    if not may_sign(user, agency):
        raise NotAllowed(_("Only the head of agency signs its decisions."))
    return Role.DECISION_SIGNER


# --- consultations (hiệp y) ----------------------------------------------------------------


def may_consult(user, agency) -> bool:
    """The office (the agency's council secretary) asks the other bodies and records their
    written opinions as the letters arrive."""
    return policy.holds(user, Role.COUNCIL_SECRETARY, agency)


def may_consult_on(user, nomination) -> bool:
    """`may_consult` over the nomination's agency, read only for who is a secretary at all (the
    nomination's page asks it of every reader)."""
    if Role.COUNCIL_SECRETARY not in policy.roles_of(user):
        return False
    return may_consult(user, nomination.campaign.agency)


def authorize_consulting(user, agency) -> str:
    if not may_consult(user, agency):
        raise NotAllowed(
            _(
                "Only the council secretary of %(agency)s asks other bodies for their opinion "
                "and records their answers."
            )
            % {"agency": agency}
        )
    return Role.COUNCIL_SECRETARY


# --- requests to the higher level (`approvals.forwarding`) ----------------------------------
# The office — the council's secretary, the emulation council's standing secretariat — prepares
# the request and records the higher level's outcomes; the head of agency signs it, as a
# decision. The council's readers (its members, the signer, inspectors) read them.


def may_prepare_requests(user, agency) -> bool:
    return policy.holds(user, Role.COUNCIL_SECRETARY, agency)


def authorize_office(user, agency) -> str:
    if not may_prepare_requests(user, agency):
        raise NotAllowed(
            _(
                "Only the council secretary of %(agency)s prepares its requests to the higher "
                "level and records their outcomes."
            )
            % {"agency": agency}
        )
    return Role.COUNCIL_SECRETARY


def authorize_request_signing(user, agency) -> str:
    if not may_sign(user, agency):
        raise NotAllowed(_("Only the head of agency signs its requests to the higher level."))
    return Role.DECISION_SIGNER


def may_read_requests(user, agency) -> bool:
    return may_read_sessions(user, agency)
