"""Revoking a conferred award through its own route (docs/DOMAIN.md, "Revocation"): proposed
with grounds and documents by someone entitled (`nominations.policy.authorize_revocation
_proposal`), concluded by the council (its secretary records the vote counts, judged by the award
type's quorum and threshold, `arithmetic`), decided by the head of agency with a numbered
correcting decision (`outcomes.sign_correction`, the one implementation of revoking), and then
what was recovered — the certificate and any money — recorded by the council secretary.

Each step is one transaction under the nomination's row lock, with its audit event."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import Origin
from audit.types import Actor
from nominations import policy as nomination_policy
from nominations.exceptions import ConflictingAction, InvalidInput, TransitionRefused
from nominations.models import ConferredAward, Nomination, Revocation, RevocationGround

from . import arithmetic, events, outcomes
from . import policy as council_policy
from .models import SignedDecision
from .services import QuorumNotMet

# Bounds that keep input within the columns (a council of more members than any has; money
# beyond any award's), refused as input rather than failing in the database.
MAX_MEMBERS = 1000
MAX_VND = 10**15


def _award_of(nomination: Nomination) -> ConferredAward:
    """The award conferred on the locked nomination by a signed decision, locked; refused if
    there is none or it is already revoked."""
    award = (
        ConferredAward.objects.select_for_update()
        .filter(nomination=nomination, decision_id__isnull=False)
        .first()
    )
    if award is None:
        raise TransitionRefused(
            _("%(ref)s has no award conferred by a signed decision: there is nothing to revoke.")
            % {"ref": nomination.reference}
        )
    if award.revoked_at:
        raise TransitionRefused(
            _("The award of %(ref)s has already been revoked by decision %(number)s.")
            % {"ref": nomination.reference, "number": award.revoked_by_number}
        )
    return award


def _locked(revocation: Revocation) -> tuple[Revocation, Nomination]:
    """The revocation and its nomination, both locked (the nomination first, as every action)."""
    award = ConferredAward.objects.only("nomination_id").get(pk=revocation.award_id)
    assert award.nomination_id is not None  # only awards with a nomination are proposed
    nomination = Nomination.objects.lock(Nomination(pk=award.nomination_id))
    locked = (
        Revocation.objects.select_for_update(of=("self",))
        .select_related("award__award_type")
        .get(pk=revocation.pk)
    )
    return locked, nomination


def propose_revocation(
    nomination: Nomination,
    *,
    actor: Actor,
    ground: str,
    grounds: str,
    documents: str = "",
    origin: Origin | None = None,
) -> Revocation:
    """Propose revoking the award conferred on `nomination`, with a coded ground, the grounds
    written out and the documents they rest on. One open proposal per award."""
    grounds = (grounds or "").strip()
    if ground not in RevocationGround.values:
        raise InvalidInput(_("Choose the ground of the revocation."))
    if not grounds:
        raise InvalidInput(_("Write the grounds of the revocation."))
    with transaction.atomic():
        nomination = Nomination.objects.lock(nomination)
        role = nomination_policy.authorize_revocation_proposal(actor, nomination)
        award = _award_of(nomination)
        open_one = Revocation.objects.filter(award=award, status__in=Revocation.OPEN).first()
        if open_one is not None:
            raise ConflictingAction(
                _("A proposal to revoke this award is already open (no. %(pk)d).")
                % {"pk": open_one.pk}
            )
        try:
            with transaction.atomic():
                revocation = Revocation.objects.create(
                    award=award,
                    ground=ground,
                    grounds=grounds,
                    documents=(documents or "").strip(),
                    proposed_by=actor,
                    proposed_role=role,
                    proposed_at=timezone.now(),
                )
        except IntegrityError:  # another proposal committed between the read and the write
            raise ConflictingAction(_("A proposal to revoke this award is already open.")) from None
        audit.append(
            events.revocation_proposed(
                revocation, nomination, actor=actor, role=role, origin=origin
            )
        )
    return revocation


def record_council_conclusion(
    revocation: Revocation,
    *,
    actor: Actor,
    met_on: datetime.date,
    members: int,
    present: int,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    origin: Origin | None = None,
) -> Revocation:
    """The council secretary records how the council voted on the proposal. It is judged by the
    award type's council rules, as a nomination's item is: without a quorum nothing is
    concluded; the proposal is supported when the votes for revoking reach the threshold of the
    base (all members, or those present)."""
    if met_on > timezone.localdate():
        raise InvalidInput(_("The council's meeting cannot be in the future."))
    if not 1 <= members <= MAX_MEMBERS:
        raise InvalidInput(
            _("The council has between 1 and %(max)d members.") % {"max": MAX_MEMBERS}
        )
    if not 0 <= present <= members:
        raise InvalidInput(_("Members present must be between 0 and the council's members."))
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise InvalidInput(_("Vote counts cannot be negative."))
    if votes_for + votes_against + votes_abstain > present:
        raise InvalidInput(_("More votes are counted than members were present."))
    with transaction.atomic():
        revocation, nomination = _locked(revocation)
        agency = nomination.campaign.agency
        role = nomination_policy.authorize_revocation_secretary(actor, agency)
        if revocation.status != Revocation.Status.PROPOSED:
            raise TransitionRefused(
                _("The council's conclusion on this proposal is already recorded.")
            )
        if met_on < timezone.localtime(revocation.proposed_at).date():
            raise InvalidInput(_("The council cannot have met before the proposal was made."))
        award_type = revocation.award.award_type
        quorum = arithmetic.quorum(members=members, present=present, rule=award_type.quorum)
        if not quorum.met:
            raise QuorumNotMet(
                _("No quorum: %(present)d of %(members)d present, %(needed)d needed.")
                % {"present": present, "members": members, "needed": quorum.needed}
            )
        base = arithmetic.base(
            award_type.vote_base, members=members, present=present, recused=0, recused_present=0
        )
        threshold = award_type.vote_threshold_percent
        passed = arithmetic.passes(approvals=votes_for, base=base, threshold_percent=threshold)
        revocation.status = (
            Revocation.Status.SUPPORTED if passed else Revocation.Status.NOT_SUPPORTED
        )
        revocation.council_met_on = met_on
        revocation.council_members = members
        revocation.council_present = present
        revocation.votes_for = votes_for
        revocation.votes_against = votes_against
        revocation.votes_abstain = votes_abstain
        revocation.council_recorded_by = actor
        revocation.council_recorded_at = timezone.now()
        revocation.save()
        audit.append(
            events.revocation_concluded(
                revocation,
                nomination,
                actor=actor,
                role=role,
                passed=passed,
                needed=arithmetic.approvals_needed(base=base, threshold_percent=threshold),
                origin=origin,
            )
        )
    return revocation


def sign_revocation(
    revocation: Revocation, *, actor: Actor, origin: Origin | None = None
) -> SignedDecision:
    """The head of agency signs the numbered decision revoking the award, once the council
    supports it: a correcting decision of the one that conferred it (`sign_correction`, which
    marks the award revoked and records its events), its grounds the proposal's."""
    with transaction.atomic():
        revocation, nomination = _locked(revocation)
        council_policy.authorize_signing(actor, nomination.campaign.agency)
        if revocation.status != Revocation.Status.SUPPORTED:
            raise TransitionRefused(
                _("Only a proposal the council supports is decided; this one is “%(status)s”.")
                % {"status": revocation.get_status_display()}
            )
        decision_id = revocation.award.decision_id
        assert decision_id is not None  # only awards a signed decision conferred are proposed
        conferring = SignedDecision.objects.select_related("agency").get(pk=decision_id)
        correction = outcomes.sign_correction(
            conferring,
            actor=actor,
            revoke=[nomination],
            reasons=f"{revocation.get_ground_display()}: {revocation.grounds}",
            origin=origin,
        )
        revocation.status = Revocation.Status.REVOKED
        revocation.decision_id = correction.pk
        revocation.decision_number = correction.reference
        revocation.decided_at = correction.signed_at
        revocation.save(update_fields=["status", "decision_id", "decision_number", "decided_at"])
    return correction


RECOVERY_FIELDS = (
    "certificate_returned",
    "certificate_returned_on",
    "amount_to_recover",
    "amount_recovered",
    "recovered_on",
)


def _shown(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def record_recovery(
    revocation: Revocation,
    *,
    actor: Actor,
    certificate_returned: bool,
    certificate_returned_on: datetime.date | None = None,
    amount_to_recover: int = 0,
    amount_recovered: int = 0,
    recovered_on: datetime.date | None = None,
    origin: Origin | None = None,
) -> Revocation:
    """The council secretary records what was recovered after the decision: whether and when
    the certificate was returned, the money to be recovered (VND), how much was and when. It
    may be edited as recovery proceeds; each change is audited with the values before and after.
    Recording the same values again changes nothing."""
    today = timezone.localdate()
    if certificate_returned and certificate_returned_on is None:
        raise InvalidInput(_("Give the date the certificate was returned."))
    if not certificate_returned and certificate_returned_on is not None:
        raise InvalidInput(_("A date of return is given for a certificate not returned."))
    if amount_to_recover < 0 or amount_recovered < 0:
        raise InvalidInput(_("Amounts of money cannot be negative."))
    if amount_to_recover > MAX_VND:
        raise InvalidInput(_("This amount of money is not plausible."))
    if amount_recovered > amount_to_recover:
        raise InvalidInput(_("More money is recovered than was to be recovered."))
    if amount_recovered and recovered_on is None:
        raise InvalidInput(_("Give the date the money was recovered."))
    if not amount_recovered and recovered_on is not None:
        raise InvalidInput(_("A date of recovery is given but no money was recovered."))
    if any(d and d > today for d in (certificate_returned_on, recovered_on)):
        raise InvalidInput(_("A date of recovery cannot be in the future."))
    with transaction.atomic():
        revocation, nomination = _locked(revocation)
        role = nomination_policy.authorize_revocation_secretary(actor, nomination.campaign.agency)
        if revocation.status != Revocation.Status.REVOKED:
            raise TransitionRefused(
                _("What was recovered is recorded once a decision has revoked the award.")
            )
        decided_on = timezone.localtime(revocation.decided_at).date()
        if any(d and d < decided_on for d in (certificate_returned_on, recovered_on)):
            raise InvalidInput(_("A date of recovery cannot be before the revoking decision."))
        wanted = {
            "certificate_returned": certificate_returned,
            "certificate_returned_on": certificate_returned_on,
            "amount_to_recover": amount_to_recover,
            "amount_recovered": amount_recovered,
            "recovered_on": recovered_on,
        }
        changes = {
            name: [_shown(getattr(revocation, name)), _shown(value)]
            for name, value in wanted.items()
            if getattr(revocation, name) != value
        }
        if not changes:
            return revocation
        for name, value in wanted.items():
            setattr(revocation, name, value)
        revocation.save(update_fields=list(RECOVERY_FIELDS))
        audit.append(
            events.recovery_recorded(
                revocation, nomination, actor=actor, role=role, changes=changes, origin=origin
            )
        )
    return revocation
