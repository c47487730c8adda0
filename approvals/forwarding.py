"""Awards decided at a higher level (docs/DOMAIN.md; issue 16): after the agency's council, the
office gathers the nominations whose award another level confers (`AwardType
.decided_at_higher_level`) into a request (tờ trình), the head of agency signs it under a number
of its own and it is forwarded; the office then records that level's outcome for each nominee
when it arrives — conferred (with that level's decision number and date, onto the nominee's
record), not conferred (with the reason), or returned for more documents (back to the unit,
which revises and resubmits along its route as for any return).

Each action is one transaction: the nominations locked first (in id order, as every batch), then
the request, its audit event last. The nominations move through the lifecycle's own transitions
(`workflows.services.forward`, `record_higher_outcome`), so their records, tasks and events are
written as every other move's."""

import datetime
import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

from audit import services as audit
from audit.services import Origin
from audit.types import Actor
from nominations import policy as nomination_policy
from nominations.exceptions import ConflictingAction, InvalidInput, TransitionRefused
from nominations.models import Campaign, ConferredAward, Nomination, RecordSource, Unit
from nominations.services import check_upload, store_file, upload_name
from nominations.stages import AWAITING_DECISION
from workflows import services as transitions

from . import drafting, events
from . import policy as council_policy
from .models import ForwardEntry, ForwardRequest, RequestCounter
from .outcomes import awaiting_signature, why_not_signable

Outcome = ForwardEntry.Outcome


# --- reading -------------------------------------------------------------------------------


def to_forward(agency: Unit) -> list[tuple[Nomination, str | None]]:
    """The agency's nominations awaiting the decision whose award a higher level confers, each
    with why it cannot be forwarded yet (None: it can) — the signature list's own reasons, and
    the request it already waits in, if any. A fixed number of queries."""
    rows = [
        (n, why) for n, why in awaiting_signature(agency) if n.award_type.decided_at_higher_level
    ]
    in_requests = dict(
        ForwardEntry.objects.filter(
            nomination__in=[n.pk for n, _why in rows], outcome=Outcome.PENDING
        ).values_list("nomination_id", "request_id")
    )
    return [
        (
            n,
            why
            or (
                _("In request no. %(pk)d, being prepared.") % {"pk": in_requests[n.pk]}
                if n.pk in in_requests
                else None
            ),
        )
        for n, why in rows
    ]


def requests_visible_to(user):
    """The requests of the agencies where the user reads the council's work (its secretary,
    members, signer, inspectors), newest first, with how many nominees each names and how many
    of each outcome. One query."""
    by_outcome = {f"n_{o}": Count("entries", filter=Q(entries__outcome=o)) for o in Outcome.values}
    return (
        ForwardRequest.objects.filter(
            nomination_policy.scope_q(user, nomination_policy.COUNCIL_READERS, "agency__path")
        )
        .select_related("agency", "campaign", "prepared_by", "signed_by")
        .annotate(n_entries=Count("entries"), **by_outcome)
        .order_by("-prepared_at", "-id")
    )


def entries_of(request: ForwardRequest) -> list[ForwardEntry]:
    return list(
        request.entries.select_related(
            "nomination__award_type",
            "nomination__proposing_unit",
            "nomination__nominee_person",
            "nomination__nominee_unit",
            "recorded_by",
        ).order_by("position")
    )


def default_addressee(nominations: list[Nomination]) -> str:
    """Who the request is addressed to: the level that confers the awards it proposes, in the
    language the letter is signed in (Vietnamese)."""
    names = dict.fromkeys(
        n.award_type.higher_authority_vi or n.award_type.higher_authority_en for n in nominations
    )
    return "; ".join(name for name in names if name)


# --- preparing -----------------------------------------------------------------------------


def _clean_text(title: str, addressed_to: str) -> tuple[str, str]:
    title, addressed_to = (title or "").strip(), (addressed_to or "").strip()
    if not title:
        raise InvalidInput(_("Give the request a title."))
    return title, addressed_to


def _lock_chosen(nominations: list[Nomination]) -> dict[int, Nomination]:
    """The chosen nominations, locked in id order (before the request, as signing does)."""
    if not nominations:
        raise InvalidInput(_("Choose the nominations the request forwards."))
    return Nomination.objects.lock_many(n.pk for n in nominations)


def _check_chosen(agency: Unit, campaign: Campaign, locked: dict[int, Nomination]):
    """Refuse, naming each, unless every chosen nomination is of the campaign, decided at a
    higher level and awaiting the decision."""
    problems = []
    for n in locked.values():
        if n.campaign_id != campaign.pk or campaign.agency_id != agency.pk:
            problems.append(
                _("%(ref)s is not of the campaign %(campaign)s.")
                % {"ref": n.reference, "campaign": campaign}
            )
        elif not n.award_type.decided_at_higher_level:
            problems.append(
                _("%(ref)s is decided by this agency: sign a decision for it instead.")
                % {"ref": n.reference}
            )
        elif n.status not in AWAITING_DECISION:
            problems.append(
                _("%(ref)s is “%(status)s”, not awaiting the decision.")
                % {"ref": n.reference, "status": n.get_status_display()}
            )
    if problems:
        raise TransitionRefused(_("The request cannot be prepared."), reasons=problems)
    return list(locked.values())


def _write_entries(request: ForwardRequest, nominations: list[Nomination]) -> None:
    """The request's nominees, in the order chosen (by reference). A nomination waits in one
    request at a time (`one_pending_forward_entry`): another's is refused, naming it."""
    busy = dict(
        ForwardEntry.objects.filter(
            nomination__in=[n.pk for n in nominations], outcome=Outcome.PENDING
        )
        .exclude(request=request)
        .values_list("nomination_id", "request_id")
    )
    if busy:
        raise ConflictingAction(
            _("Some nominations are already in another request."),
            reasons=[
                _("%(ref)s is in request no. %(pk)d.") % {"ref": n.reference, "pk": busy[n.pk]}
                for n in nominations
                if n.pk in busy
            ],
        )
    request.entries.all().delete()
    try:
        with transaction.atomic():
            ForwardEntry.objects.bulk_create(
                [
                    ForwardEntry(request=request, nomination=n, position=i)
                    for i, n in enumerate(sorted(nominations, key=lambda n: n.pk), start=1)
                ]
            )
    except IntegrityError:  # another request took one of them between the read and the write
        raise ConflictingAction(
            _("Another request took one of these nominations meanwhile; reload and try again.")
        ) from None


def prepare_request(
    *,
    actor: Actor,
    agency: Unit,
    nominations: list[Nomination],
    title: str,
    campaign: Campaign | None = None,
    addressed_to: str = "",
    grounds: str = "",
    origin: Origin | None = None,
) -> ForwardRequest:
    """The office gathers nominations of one campaign (by default, the one they are of) whose
    award a higher level confers into a request to that level, with its title, addressee (by
    default the level the award types name) and grounds. It stays a draft, editable, until the
    head of agency signs it."""
    role = council_policy.authorize_office(actor, agency)
    title, addressed_to = _clean_text(title, addressed_to)
    with transaction.atomic():
        chosen = _lock_chosen(nominations)
        if campaign is None:
            campaigns = {n.campaign for n in chosen.values()}
            if len(campaigns) > 1:
                raise InvalidInput(
                    _("A request forwards the nominations of one campaign: choose them apart.")
                )
            campaign = next(iter(campaigns))
        locked = _check_chosen(agency, campaign, chosen)
        request = ForwardRequest.objects.create(
            agency=agency,
            campaign=campaign,
            title=title,
            addressed_to=addressed_to or default_addressee(locked),
            grounds=(grounds or "").strip(),
            prepared_by=actor,
        )
        if not request.addressed_to:
            raise InvalidInput(_("Say whom the request is addressed to."))
        _write_entries(request, locked)
        audit.append(
            events.request_prepared(
                request, nominations=locked, edited=False, actor=actor, role=role, origin=origin
            )
        )
    return request


def _lock_request(request: ForwardRequest) -> ForwardRequest:
    return (
        ForwardRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "campaign")
        .get(pk=request.pk)
    )


def _refuse_unless_draft(request: ForwardRequest) -> None:
    if request.status != ForwardRequest.Status.DRAFT:
        raise TransitionRefused(
            _("Request %(ref)s is signed: it no longer changes.") % {"ref": request.reference}
        )


def edit_request(
    request: ForwardRequest,
    *,
    actor: Actor,
    nominations: list[Nomination],
    title: str,
    addressed_to: str,
    grounds: str = "",
    origin: Origin | None = None,
) -> ForwardRequest:
    """The office changes a request being prepared: its nominees, title, addressee, grounds."""
    role = council_policy.authorize_office(actor, request.agency)
    title, addressed_to = _clean_text(title, addressed_to)
    if not addressed_to:
        raise InvalidInput(_("Say whom the request is addressed to."))
    with transaction.atomic():
        chosen = _lock_chosen(nominations)
        request = _lock_request(request)
        _refuse_unless_draft(request)
        locked = _check_chosen(request.agency, request.campaign, chosen)
        request.title, request.addressed_to = title, addressed_to
        request.grounds = (grounds or "").strip()
        request.save(update_fields=["title", "addressed_to", "grounds"])
        _write_entries(request, locked)
        audit.append(
            events.request_prepared(
                request, nominations=locked, edited=True, actor=actor, role=role, origin=origin
            )
        )
    return request


def draft_letter(request: ForwardRequest, today: datetime.date | None = None):
    """The request letter drafted from the template (`drafting.request_letter`), as DOCX."""
    return drafting.request_letter(request, entries_of(request), today or timezone.localdate())


def upload_letter(
    request: ForwardRequest, *, actor: Actor, upload, origin: Origin | None = None
) -> ForwardRequest:
    """The office replaces the drafted letter by its edited Word file, before signing; audited
    with the file's SHA-256. Signing keeps the newest."""
    role = council_policy.authorize_office(actor, request.agency)
    if upload is None or not upload.size:
        raise InvalidInput(_("Choose the edited Word file (.docx)."))
    if upload.size > settings.LAUREL_MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("The file is too large (at most %(mb)d MB).")
            % {"mb": settings.LAUREL_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    content = upload.read()
    try:
        Document(io.BytesIO(content))
    except Exception:
        raise InvalidInput(_("This file is not a Word document (.docx).")) from None
    with transaction.atomic():
        request = _lock_request(request)
        _refuse_unless_draft(request)
        previous = request.letter.name if request.letter else ""
        store_file(
            request.letter,
            "letter.docx",
            ContentFile(content),
            what=f"letter of request {request.pk}",
        )
        request.letter_name = upload_name(upload.name)
        request.letter_sha256 = hashlib.sha256(content).hexdigest()
        try:
            request.save(update_fields=["letter", "letter_name", "letter_sha256"])
            audit.append(
                events.letter_uploaded(
                    request, size=len(content), actor=actor, role=role, origin=origin
                )
            )
        except Exception:
            request.letter.delete(save=False)
            raise
    if previous:
        request.letter.storage.delete(previous)
    return request


# --- signing -------------------------------------------------------------------------------


def next_request_number(agency: Unit, year: int) -> int:
    """The agency's next request number for the year, a series apart from its decisions'. The
    counter row is locked until the transaction commits (as `outcomes.next_decision_number`)."""
    RequestCounter.objects.get_or_create(agency=agency, year=year)
    counter = RequestCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def sign_request(
    request: ForwardRequest, *, actor: Actor, origin: Origin | None = None
) -> ForwardRequest:
    """The head of agency signs the request: it takes the next number of the agency's requests
    and every nomination it names is forwarded — on the same conditions as signing a decision
    (the council passed it, its notice is over, no objection is open, it is not held) and with
    the same separation of duties. All of them or none: a refusal names each nomination that
    can no longer be forwarded."""
    role = council_policy.authorize_request_signing(actor, request.agency)
    with transaction.atomic():
        pks = list(request.entries.values_list("nomination_id", flat=True))
        locked = Nomination.objects.lock_many(pks)  # the nominations first, as every action
        request = _lock_request(request)
        _refuse_unless_draft(request)
        entries = list(request.entries.order_by("position"))
        if not entries:
            raise InvalidInput(_("The request names no nomination."))
        problems = []
        for entry in entries:
            n = locked.get(entry.nomination_id)
            if n is None:  # named after the read above: sign again
                raise ConflictingAction(_("The request changed meanwhile; reload and try again."))
            problem = why_not_signable(n) or next(iter(n.failed_guards("forward")), None)
            if problem:
                problems.append(problem)
                continue
            conflict = nomination_policy.conflict_of_interest(actor, n)
            if conflict:
                problems.append(f"{n.reference}: {conflict}")
        if problems:
            raise TransitionRefused(_("The request cannot be signed."), reasons=problems)
        now = timezone.now()
        request.year = timezone.localdate(now).year
        request.number = next_request_number(request.agency, request.year)
        request.status = ForwardRequest.Status.SIGNED
        request.signed_by, request.signed_at = actor, now
        request.save(update_fields=["year", "number", "status", "signed_by", "signed_at"])
        forwarded = []
        for entry in entries:
            forwarded.append(
                transitions.forward(
                    locked[entry.nomination_id],
                    actor=actor,
                    origin=origin,
                    data={"request": request.pk, "request_number": request.reference},
                )
            )
        audit.append(
            events.request_signed(
                request, forwards=forwarded, actor=actor, role=role, origin=origin
            )
        )
    return request


# --- the higher level's outcomes -----------------------------------------------------------


def _clean_outcome(outcome, number, decided_on, reasons, today) -> tuple[str, str]:
    number, reasons = (number or "").strip(), (reasons or "").strip()
    if outcome not in (Outcome.CONFERRED, Outcome.NOT_CONFERRED, Outcome.RETURNED):
        raise InvalidInput(_("Choose what the higher level decided."))
    if outcome == Outcome.CONFERRED:
        if not number or decided_on is None:
            raise InvalidInput(
                _("Give the number and the date of the higher level's conferring decision.")
            )
        if decided_on > today:
            raise InvalidInput(_("The higher level's decision cannot be dated in the future."))
    elif not reasons:
        raise InvalidInput(_("Write the higher level's reasons."))
    return number, reasons


def _check_document(document) -> bytes | None:
    """The higher level's letter, checked as every uploaded document is (`check_upload`)."""
    if document is None:
        return None
    check_upload(document)
    document.seek(0)
    return document.read()


def record_outcome(
    entry: ForwardEntry,
    *,
    actor: Actor,
    outcome: str,
    decision_number: str = "",
    decided_on: datetime.date | None = None,
    reasons: str = "",
    document=None,
    origin: Origin | None = None,
) -> ForwardEntry:
    """The office records what the higher level decided about one nominee of a signed request:
    conferred (its decision's number and date; the award goes on the nominee's record, as
    conferred by that level), not conferred (the reason; the nomination closes and the nominee
    may be proposed again), or returned for more documents (the reason; the unit revises and
    resubmits). The letter or decision received may be attached. Once no nominee awaits an
    outcome, the request is settled."""
    today = timezone.localdate()
    number, reasons = _clean_outcome(outcome, decision_number, decided_on, reasons, today)
    content = _check_document(document)
    with transaction.atomic():
        nomination = Nomination.objects.lock(Nomination(pk=entry.nomination_id))
        request = _lock_request(entry.request)
        council_policy.authorize_office(actor, request.agency)
        entry = ForwardEntry.objects.select_for_update().get(pk=entry.pk)
        if request.status == ForwardRequest.Status.DRAFT:
            raise TransitionRefused(_("The request is not signed yet: nothing was forwarded."))
        if entry.outcome != Outcome.PENDING:
            raise ConflictingAction(
                _("The outcome for %(ref)s is already recorded: “%(outcome)s”.")
                % {"ref": nomination.reference, "outcome": entry.get_outcome_display()}
            )
        if outcome == Outcome.CONFERRED:
            assert decided_on is not None  # `_clean_outcome` requires it
            ConferredAward.objects.create(
                nomination=nomination,
                award_type=nomination.award_type,
                campaign=nomination.campaign,
                year=nomination.campaign.year,
                person=nomination.nominee_person,
                unit=nomination.nominee_unit,
                decision_number=number,
                conferred_on=decided_on,
                source=RecordSource.HIGHER_LEVEL,
            )
        entry.outcome = outcome
        entry.higher_decision_number = number if outcome == Outcome.CONFERRED else ""
        entry.higher_decision_date = decided_on if outcome == Outcome.CONFERRED else None
        entry.reasons = reasons
        entry.recorded_by, entry.recorded_at = actor, timezone.now()
        if content is not None:
            store_file(
                entry.document, "outcome", ContentFile(content), what=f"outcome of {entry.pk}"
            )
        entry.save()
        if not request.entries.filter(outcome=Outcome.PENDING).exists():
            request.status = ForwardRequest.Status.SETTLED
            request.settled_at = entry.recorded_at
            request.save(update_fields=["status", "settled_at"])
        # The transition and its event last (the event holds the chain's head until commit).
        transitions.record_higher_outcome(
            nomination,
            outcome=outcome,
            actor=actor,
            reasons=reasons,
            origin=origin,
            data={
                "request": request.pk,
                "request_number": request.reference,
                "higher_decision_number": entry.higher_decision_number,
                "higher_decision_date": entry.higher_decision_date.isoformat()
                if entry.higher_decision_date
                else None,
                "document": bool(content),
            },
        )
    return entry


def path_of(nomination: Nomination) -> list[ForwardEntry]:
    """The requests that forwarded the nomination, oldest first, with the higher level's
    outcome of each: its path across levels, as its page shows it."""
    return list(
        ForwardEntry.objects.filter(nomination=nomination, request__number__isnull=False)
        .select_related("request__agency", "recorded_by")
        .order_by("request__signed_at", "id")
    )
