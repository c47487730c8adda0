from django.db.models import Count, Prefetch, Q, QuerySet

from nominations import policy as nomination_policy
from nominations.models import Campaign, Nomination
from nominations.roles import Role
from nominations.stages import Status

from .models import (
    AgendaItem,
    BallotReceipt,
    CouncilSession,
    DecisionEntry,
    Objection,
    OpenBallot,
    SessionMember,
    SignedDecision,
)

# --- the council ---------------------------------------------------------------------------


def sessions_visible_to(user) -> QuerySet[CouncilSession]:
    """Sessions of the agencies where the user holds a council role (or inspects)."""
    return (
        CouncilSession.objects.filter(
            nomination_policy.scope_q(
                user, nomination_policy.COUNCIL_READERS, "campaign__agency__path"
            )
        )
        .select_related("campaign__agency", "chair", "secretary")
        .annotate(
            item_count=Count(
                "items", filter=~Q(items__status=AgendaItem.Status.DEFERRED), distinct=True
            )
        )
        .order_by("-scheduled_on", "-id")
    )


def session_for(user, pk: int) -> CouncilSession:
    """One session the user may read (CouncilSession.DoesNotExist otherwise)."""
    return sessions_visible_to(user).get(pk=pk)


def agenda(session: CouncilSession) -> list[AgendaItem]:
    """The session's items with what the page shows of each: nomination, recusals, tally, and
    how many have voted (never how, for a secret item)."""
    return list(
        session.items.select_related(
            "nomination__award_type",
            "nomination__proposing_unit",
            "nomination__nominee_person",
            "nomination__nominee_unit",
            "tally",
        )
        .prefetch_related("recusals__member")
        .annotate(
            receipts_count=Count("receipts", distinct=True),
            open_count=Count("open_ballots", distinct=True),
            open_approve=Count(
                "open_ballots", filter=Q(open_ballots__choice="approve"), distinct=True
            ),
            open_disapprove=Count(
                "open_ballots", filter=Q(open_ballots__choice="disapprove"), distinct=True
            ),
            open_abstain=Count(
                "open_ballots", filter=Q(open_ballots__choice="abstain"), distinct=True
            ),
        )
        .order_by("position")
    )


def seats(session: CouncilSession) -> list[SessionMember]:
    return list(session.members.select_related("member"))


def open_ballots(session: CouncilSession) -> list[OpenBallot]:
    """Open (not secret) ballots of the session, with names: these are public by design."""
    return list(
        OpenBallot.objects.filter(item__session=session, item__secret=False)
        .select_related("member", "item")
        .order_by("item__position", "member__last_name")
    )


def seat_of(user, session: CouncilSession) -> SessionMember | None:
    return session.members.filter(member=user).first()


def my_ballot_state(user, session: CouncilSession) -> dict[int, dict]:
    """For the member's ballot page: per item, whether they are recused, whether they voted,
    and (open ballots only) their current choice. A secret choice is stored nowhere, so it
    cannot be shown even to the member who made it."""
    recused = dict(
        session.items.filter(recusals__member=user).values_list("pk", "recusals__reason")
    )
    voted = set(
        BallotReceipt.objects.filter(item__session=session, member=user).values_list(
            "item_id", flat=True
        )
    )
    choices = dict(
        OpenBallot.objects.filter(item__session=session, member=user).values_list(
            "item_id", "choice"
        )
    )
    return {
        item_id: {
            "recused": recused.get(item_id),
            "voted": item_id in voted or item_id in choices,
            "choice": choices.get(item_id),
        }
        for item_id in session.items.values_list("pk", flat=True)
    }


def campaigns_for_planning(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(
        nomination_policy.scope_q(user, {Role.COUNCIL_SECRETARY}, "agency__path")
    ).select_related("agency")


# --- public notice and objections ----------------------------------------------------------


def on_notice() -> QuerySet[Nomination]:
    """Candidates the council approved whose award type has a public notice, awaiting the
    decision: readable by every signed-in staff member."""
    return (
        Nomination.objects.filter(
            status=Status.COUNCIL_APPROVED, award_type__public_notice_days__gt=0
        )
        .select_related(
            "award_type", "campaign", "proposing_unit", "nominee_person", "nominee_unit"
        )
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.select_related("filed_by", "resolved_by"),
            )
        )
        .order_by("status_changed_at", "id")
    )


def open_objections() -> QuerySet[Objection]:
    return (
        Objection.objects.filter(status=Objection.Status.OPEN)
        .select_related(
            "nomination__proposing_unit",
            "nomination__award_type",
            "nomination__nominee_person",
            "nomination__nominee_unit",
            "filed_by",
        )
        .order_by("filed_at")
    )


# --- signed decisions ----------------------------------------------------------------------


def signed_decisions() -> QuerySet[SignedDecision]:
    """Signed decisions are published acts: every signed-in staff member may read them."""
    return SignedDecision.objects.select_related("agency", "signed_by", "corrects").annotate(
        entry_count=Count("entries")
    )


def signed_decision_entries(decision: SignedDecision) -> QuerySet[DecisionEntry]:
    return decision.entries.select_related(
        "nomination__award_type",
        "nomination__proposing_unit",
        "nomination__nominee_person",
        "nomination__nominee_unit",
        "nomination__conferred_award",
    )
