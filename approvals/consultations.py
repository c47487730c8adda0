"""Consultations (hiệp y): before the council decides, the office asks other bodies (tax, police,
inspection, the party's inspection commission) whether they object to a nominee, and records
their written opinions as the letters arrive.

It runs beside the review stages, not as one of them: a consultation may be opened on any
nomination of the agency that has left its unit and whose journey has not ended (`CONSULTABLE`),
and it completes when every body has answered, or when the answers' due date has passed — the
bodies still silent are then recorded as raising no objection by the deadline (`close_overdue`,
run by `run_timers`). While a consultation is open the council does not decide the nomination
(`approvals.outcomes.close_voting` defers it with `still_open_reasons`) and the decision cannot
confer its award (`approvals.outcomes.why_not_signable`)."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import Origin
from audit.types import Actor
from nominations import policy as nomination_policy
from nominations.calendar import add_working_days
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import Nomination
from nominations.roles import Role
from nominations.services import check_upload, store_file, upload_name
from nominations.stages import AWAITING_DECISION, Stage, Status

from . import events, policy
from .models import AgendaItem, Consultation, ConsultationOpinion, ConsultedBody

Answer = ConsultationOpinion.Answer

# Where a nomination may be when the office consults on it: past the unit's own stage (the unit
# has sent it up) and not yet at the end of its journey — under review, at the council, awaiting
# the decision, or held in one of those. Not once forwarded upward: the request to the higher
# level is made after the opinions are in. Laurel's choice; the law names no stage. The office
# consults only on what it can see (`nominations.policy.visible_q`): with the default roles a
# council secretary sees a nomination from the council's review on.
CONSULTABLE = [
    Stage.PARTY_COMMITTEE_REVIEW,
    Stage.LEADERSHIP_REVIEW,
    Stage.COUNCIL_REVIEW,
    *AWAITING_DECISION,
    Status.ON_HOLD,
]

# The answers the office records from a body's letter; "no reply" is the deadline's, not theirs.
RECORDED_ANSWERS = [Answer.AGREE, Answer.DISAGREE]


def default_due_on(today: datetime.date | None = None) -> datetime.date:
    """The answers' due date when the office does not choose one: `LAUREL_CONSULTATION_DAYS`
    working days from today (holidays and weekends not counted)."""
    return add_working_days(today or timezone.localdate(), settings.LAUREL_CONSULTATION_DAYS)


# --- opening -------------------------------------------------------------------------------


def _checked_bodies(bodies: Iterable[ConsultedBody]) -> list[ConsultedBody]:
    chosen = {b.pk: b for b in bodies}
    if not chosen:
        raise InvalidInput(_("Choose the bodies to consult."))
    inactive = [str(b) for b in chosen.values() if not b.active]
    if inactive:
        raise InvalidInput(
            _("These bodies are no longer consulted: %(names)s.") % {"names": ", ".join(inactive)}
        )
    return sorted(chosen.values(), key=lambda b: b.name_vi)


def open_consultations(
    nominations: Iterable[Nomination],
    *,
    actor: Actor,
    bodies: Iterable[ConsultedBody],
    due_on: datetime.date | None = None,
    letter_number: str = "",
    origin: Origin | None = None,
) -> list[Consultation]:
    """The office asks the chosen bodies for their opinion on one or several nominees, in one
    letter: one consultation per nomination, the same bodies and due date for all (by default
    `LAUREL_CONSULTATION_DAYS` working days from today). All are opened or none."""
    today = timezone.localdate()
    chosen = _checked_bodies(bodies)
    due_on = due_on or default_due_on(today)
    if due_on < today:
        raise InvalidInput(_("The answers cannot be due before today."))
    letter_number = (letter_number or "").strip()
    if len(letter_number) > 60:
        raise InvalidInput(_("The letter number is at most 60 characters."))
    pks = sorted({n.pk for n in nominations})
    if not pks:
        raise InvalidInput(_("Choose the nominations to consult on."))
    with transaction.atomic():
        locked = Nomination.objects.lock_many(pks)
        if len(locked) != len(pks):
            raise InvalidInput(_("Choose the nominations to consult on."))
        campaigns = {n.campaign.agency_id: n.campaign for n in locked.values()}
        roles = {policy.authorize_consulting(actor, c.agency) for c in campaigns.values()}
        role = roles.pop()
        seen = set(
            Nomination.objects.filter(nomination_policy.visible_q(actor), pk__in=pks).values_list(
                "pk", flat=True
            )
        )
        if seen != set(pks):
            raise NotAllowed(_("You cannot consult on a nomination you cannot see."))
        already = set(
            Consultation.objects.filter(
                nomination_id__in=pks, completed_at__isnull=True
            ).values_list("nomination_id", flat=True)
        )
        problems = []
        for n in locked.values():
            if n.pk in already:
                problems.append(
                    _("%(ref)s already has a consultation open.") % {"ref": n.reference}
                )
            elif n.status not in CONSULTABLE:
                problems.append(
                    _(
                        "%(ref)s is “%(status)s”: the office consults only on a nomination that "
                        "has left its unit and is not yet decided."
                    )
                    % {"ref": n.reference, "status": n.get_status_display()}
                )
        if problems:
            raise TransitionRefused(_("No consultation was opened."), reasons=problems)
        opened, trail = [], []
        for n in locked.values():
            consultation = Consultation.objects.create(
                nomination=n, opened_by=actor, due_on=due_on, letter_number=letter_number
            )
            ConsultationOpinion.objects.bulk_create(
                [ConsultationOpinion(consultation=consultation, body=b) for b in chosen]
            )
            opened.append(consultation)
            trail.append(
                events.consultation_opened(
                    consultation, bodies=chosen, actor=actor, role=role, origin=origin
                )
            )
        # Last: appending holds the chain's head until commit.
        audit.bulk_append(trail)
    return opened


# --- answers -------------------------------------------------------------------------------


def _answers(opinions: Iterable[ConsultationOpinion]) -> dict[str, str]:
    return {o.body.code: o.answer for o in opinions}


def record_opinion(
    opinion: ConsultationOpinion,
    *,
    actor: Actor,
    answer: str,
    reasons: str = "",
    upload=None,
    origin: Origin | None = None,
) -> ConsultationOpinion:
    """The office records a body's written opinion as its letter arrives: it agrees, or it
    disagrees with its reasons, with the letter itself attached if given. A body answers once.
    The last answer completes the consultation, in the same transaction."""
    reasons = (reasons or "").strip()
    if answer not in RECORDED_ANSWERS:
        raise InvalidInput(_("Record whether the body agrees or disagrees."))
    if answer == Answer.DISAGREE and not reasons:
        raise InvalidInput(_("A disagreeing opinion is recorded with the body's reasons."))
    content_type = check_upload(upload) if upload else None
    with transaction.atomic():
        # The consultation's row first: the timers and a second clerk wait on it (or skip it).
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("nomination__campaign__agency", "nomination__proposing_unit")
            .get(pk=opinion.consultation_id)
        )
        role = policy.authorize_consulting(actor, consultation.nomination.campaign.agency)
        if not consultation.is_open:
            raise TransitionRefused(
                _("This consultation was completed on %(date)s: no answer can be added.")
                % {"date": timezone.localdate(consultation.completed_at).isoformat()}
            )
        opinions = list(consultation.opinions.select_related("body").order_by("pk"))
        opinion = {o.pk: o for o in opinions}[opinion.pk]  # read fresh, under the lock
        if opinion.answer != Answer.PENDING:
            raise TransitionRefused(
                _("The answer of %(body)s is already recorded (%(answer)s).")
                % {"body": opinion.body, "answer": opinion.get_answer_display()}
            )
        opinion.consultation = consultation
        opinion.answer = answer
        opinion.reasons = reasons
        opinion.recorded_by = actor
        opinion.recorded_at = timezone.now()
        if upload is not None and content_type is not None:
            opinion.document_name = upload_name(upload.name)
            store_file(
                opinion.document, "upload", upload, what=f"consultation opinion {opinion.pk}"
            )
        try:
            opinion.save()
            trail = [events.consultation_opinion(opinion, actor=actor, role=role, origin=origin)]
            if all(o.answer != Answer.PENDING for o in opinions):
                consultation.completed_at = opinion.recorded_at
                consultation.save(update_fields=["completed_at"])
                trail.append(
                    events.consultation_completed(
                        consultation,
                        answers=_answers(opinions),
                        actor=actor,
                        role=role,
                        origin=origin,
                    )
                )
            audit.bulk_append(trail)
        except Exception:
            if opinion.document:  # nothing recorded: the stored file goes too
                opinion.document.delete(save=False)
            raise
    return opinion


# --- the deadline --------------------------------------------------------------------------


def _overdue_batch(today: datetime.date, after: int, batch: int) -> tuple[int, int | None]:
    """Complete one batch of overdue consultations after id `after`: (how many, the last id
    looked at, or None when there were none)."""
    with transaction.atomic():
        consultations = list(
            # Another run holds a row: it is completing that one, this run leaves it.
            Consultation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__gt=after, completed_at__isnull=True, due_on__lt=today)
            .select_related("nomination__proposing_unit")
            .order_by("pk")[:batch]
        )
        if not consultations:
            return 0, None
        ids = [c.pk for c in consultations]
        ConsultationOpinion.objects.filter(consultation_id__in=ids, answer=Answer.PENDING).update(
            answer=Answer.NO_REPLY
        )
        now = timezone.now()
        Consultation.objects.filter(pk__in=ids).update(completed_at=now)
        answers: dict[int, dict[str, str]] = {pk: {} for pk in ids}
        for consultation_id, code, answer in ConsultationOpinion.objects.filter(
            consultation_id__in=ids
        ).values_list("consultation_id", "body__code", "answer"):
            answers[consultation_id][code] = answer
        for c in consultations:
            c.completed_at = now
        # Last: appending holds the chain's head until commit.
        audit.bulk_append(
            [events.consultation_completed(c, answers=answers[c.pk]) for c in consultations]
        )
        return len(consultations), consultations[-1].pk


def close_overdue(today: datetime.date | None = None, *, batch: int = 200) -> int:
    """Complete, once, every open consultation whose due date has passed (from the day after
    it): the bodies that have not answered are recorded as raising no objection by the
    deadline, and `Event.CONSULTATION_COMPLETED` (actor None) tells the council's secretaries.
    Idempotent and safe on several machines at once: SKIP LOCKED batches, each consultation
    marked complete in the transaction that appends its event, and never read again. Returns
    how many were completed."""
    today = today or timezone.localdate()
    completed, after = 0, 0
    while True:
        count, last = _overdue_batch(today, after, batch)
        completed += count
        if last is None:
            return completed
        after = last


# --- the council's gate --------------------------------------------------------------------


def still_open_reasons(nomination_ids: Iterable[int]) -> dict[int, str]:
    """Why the council cannot decide, nor the head of agency confer, each nomination whose
    consultation is still open: the bodies yet to answer and the due date. Nomination id → the
    sentence, for those with one open; read in two queries."""
    open_ = (
        Consultation.objects.filter(nomination_id__in=list(nomination_ids), completed_at=None)
        .prefetch_related(
            Prefetch(
                "opinions",
                queryset=ConsultationOpinion.objects.filter(answer=Answer.PENDING)
                .select_related("body")
                .order_by("body__name_vi"),
            )
        )
        .order_by("pk")
    )
    return {
        c.nomination_id: _("Consultation with %(bodies)s still open until %(date)s.")
        % {
            "bodies": ", ".join(str(o.body) for o in c.opinions.all()) or "—",
            "date": c.due_on.isoformat(),
        }
        for c in open_
    }


# --- reading -------------------------------------------------------------------------------


def _with_opinions(qs: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return qs.select_related("opened_by").prefetch_related(
        Prefetch(
            "opinions",
            queryset=ConsultationOpinion.objects.select_related("body", "recorded_by").order_by(
                "body__name_vi"
            ),
        )
    )


def consultations_of(nomination: Nomination) -> list[Consultation]:
    """The nomination's consultations, the latest first, each with its bodies' opinions."""
    return list(_with_opinions(nomination.consultations.all()).order_by("-opened_at", "-id"))


def open_for_office(user) -> QuerySet[Consultation]:
    """The consultations still open in the agencies where the user is the council secretary,
    the earliest due first, with their nominations and opinions for the list."""
    scope = nomination_policy.scope_q(
        user, {Role.COUNCIL_SECRETARY}, "nomination__campaign__agency__path"
    )
    return (
        _with_opinions(Consultation.objects.filter(scope, completed_at__isnull=True))
        .select_related(
            "nomination__award_type",
            "nomination__proposing_unit",
            "nomination__nominee_person",
            "nomination__nominee_unit",
        )
        .order_by("due_on", "pk")
    )


def consultable_for(user) -> QuerySet[Nomination]:
    """The nominations the user's office may consult on now: its agencies', past the unit and
    not decided, with no consultation open."""
    scope = nomination_policy.scope_q(user, {Role.COUNCIL_SECRETARY}, "campaign__agency__path")
    return (
        Nomination.objects.filter(scope, nomination_policy.visible_q(user), status__in=CONSULTABLE)
        .exclude(
            Exists(
                Consultation.objects.filter(nomination=OuterRef("pk"), completed_at__isnull=True)
            )
        )
        .select_related("award_type", "proposing_unit", "nominee_person", "nominee_unit")
        .order_by("pk")
    )


def attach_to_items(items: list[AgendaItem]) -> None:
    """Give each agenda item the latest consultation of its nomination (`item.consultation`,
    None if it was never consulted on), with the opinions: two queries for the whole agenda."""
    latest: dict[int, Consultation] = {}
    for c in _with_opinions(
        Consultation.objects.filter(nomination_id__in=[i.nomination_id for i in items])
    ).order_by("opened_at", "id"):
        latest[c.nomination_id] = c  # later ones overwrite earlier ones
    for item in items:
        item.consultation = latest.get(item.nomination_id)  # type: ignore[attr-defined]
