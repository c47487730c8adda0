import json
import re
import uuid
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import (
    GET_STATE,
    ConcurrentTransitionMixin,
    FSMField,
    TransitionNotAllowed,
    transition,
)

from audit.services import label as audit_label

from ..compiled import Compiled
from ..exceptions import ConflictingAction, TransitionRefused
from ..people import display_name
from ..roles import Role
from ..stages import (
    ACTION_LABELS,
    AWAITING_DECISION,
    CLOSED_UNAWARDED,
    HIGHER,
    HIGHER_LEVEL_DAYS,
    HOLDABLE,
    PROGRESS,
    REVIEW_STAGES,
    REVISE,
    REVISION_DAYS,
    SIGN,
    SIGNATURE_DAYS,
    STAGE_ORDER,
    WITHDRAWABLE,
    Stage,
    Status,
    Waiting,
    task_at,
)
from .awards import AwardType, Campaign, DocumentKind, RouteStage
from .holds import Hold
from .reasons import ReasonUse
from .units import Unit


def guard(message):
    """Mark a transition condition with the sentence shown when it fails: a fixed sentence, or
    a function of the nomination that writes it (to name exactly what is missing)."""

    def wrap(func):
        func.message = message
        return func

    return wrap


@guard(_("Choose the nominee."))
def has_nominee(nomination) -> bool:
    return bool(nomination.nominee_person_id or nomination.nominee_unit_id)


@guard(_("The nominee must be of the kind the award type is for (individual or collective)."))
def nominee_matches_award_type(nomination) -> bool:
    award_type = nomination.award_type
    if nomination.nominee_person_id:
        return award_type.accepts_individuals()
    if nomination.nominee_unit_id:
        return award_type.accepts_collectives()
    return True


@guard(_("Write the achievements summary of the dossier."))
def has_achievements(nomination) -> bool:
    return bool(nomination.achievements.strip())


def _missing_documents_sentence(nomination) -> str:
    return _("Attach the required documents still missing: %(kinds)s.") % {
        "kinds": ", ".join(nomination.missing_documents())
    }


@guard(_missing_documents_sentence)
def has_required_documents(nomination) -> bool:
    return not nomination.missing_documents()


@guard(_("The campaign is not accepting submissions today."))
def campaign_accepts_submissions(nomination) -> bool:
    return nomination.campaign.accepts_submissions()


@guard(_("The award type has no route configured; ask an administrator."))
def award_type_has_route(nomination) -> bool:
    return bool(nomination.award_type.stages)


def _first_stage(nomination, *args, **kwargs) -> str:
    return nomination.award_type.stage_after(None).stage


def _stage_after_current(nomination, *args, **kwargs) -> str:
    following = nomination.award_type.stage_after(nomination.status)
    return following.stage if following else Status.APPROVED


def _require_reasons(reasons: str, reason_code=None, use: str = ""):
    """A return, a rejection or an upheld objection gives its reason: a coded reason offered for
    that use (`ReasonCode`, read fresh by the service), a text, or both — the text too when the
    code needs it ("other")."""
    text = (reasons or "").strip()
    if reason_code is None:
        if not text:
            raise TransitionRefused(_("Reasons are required."))
        return
    if not reason_code.serves(use):
        raise TransitionRefused(
            _("The reason “%(label)s” can no longer be chosen for this.")
            % {"label": reason_code.label}
        )
    if reason_code.needs_text and not text:
        raise TransitionRefused(
            _("Write the reason out: “%(label)s” needs it.") % {"label": reason_code.label}
        )


def _held_status(nomination, hold=None, *args, **kwargs) -> str:
    """Where lifting the hold returns the nomination: the status the open hold (passed to
    `lift_hold`) was placed in. The nomination keeps no copy of it."""
    if hold is None or not hold.is_open or hold.nomination_id != nomination.pk:
        raise TransitionRefused(_("This nomination has no open hold to lift."))
    return hold.held_status


def _held_where_sentence(nomination) -> str:
    hold = nomination.open_hold()
    held = Status(hold.held_status).label if hold else Status.ON_HOLD.label
    return _("It was put on hold while “%(status)s”, when the unit can no longer withdraw it.") % {
        "status": held
    }


@guard(_held_where_sentence)
def held_where_withdrawable(nomination) -> bool:
    """A held nomination may be withdrawn only if the status it was held in allows it."""
    if nomination.status != Status.ON_HOLD:
        return True
    hold = nomination.open_hold()
    return hold is not None and hold.held_status in WITHDRAWABLE


def _decided_above_sentence(nomination) -> str:
    award_type = nomination.award_type
    return _("%(ref)s is decided by %(authority)s: forward it in a request.") % {
        "ref": nomination.reference,
        "authority": award_type.higher_authority or _("the higher level"),
    }


@guard(_decided_above_sentence)
def decided_by_this_agency(nomination) -> bool:
    """The agency's own decision confers only the awards it decides (`AwardType
    .decided_at_higher_level`); the others go up in a request (`approvals.forwarding`)."""
    return not nomination.award_type.decided_at_higher_level


@guard(_("This award is decided by this agency: sign a decision instead of forwarding it."))
def decided_at_higher_level(nomination) -> bool:
    return nomination.award_type.decided_at_higher_level


DOSSIER_GUARDS = [
    has_nominee,
    nominee_matches_award_type,
    has_achievements,
    has_required_documents,
    award_type_has_route,
]


def _sentence(condition, nomination) -> str:
    message = condition.message
    return str(message(nomination) if callable(message) else message)


class RequiredDocument(NamedTuple):
    """A kind of document the award type requires, and whether the dossier has one."""

    kind: str
    label: str
    attached: bool


# "N-00012", "n12", "12": how people write a nomination's reference.
REFERENCE = re.compile(r"^n?-?0*(\d{1,9})$", re.IGNORECASE)


class _JSONRows(models.Aggregate):
    """The rows of a subquery as one JSON array, as text (PostgreSQL and SQLite)."""

    function = "JSON_AGG"
    template = "%(function)s(%(expressions)s)::text"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )


# The route's columns, read with the locked row (`NominationManager._for_action`).
_ROUTE_FIELDS = [f.attname for f in RouteStage._meta.concrete_fields]


def _route_rows():
    """The award type's route stages as one JSON column of the nomination's row: the route
    is read by the statement that locks the row rather than by one of its own."""
    return Subquery(
        RouteStage.objects.filter(award_type=OuterRef("award_type_id"))
        .order_by()
        .values("award_type")
        .annotate(rows=_JSONRows(JSONObject(**{name: name for name in _ROUTE_FIELDS})))
        .values("rows")
    )


def _keep_route(n: "Nomination") -> "Nomination":
    """Give the award type the route read with the row, as `prefetch_related` would, and keep
    the row's values as read (`Nomination.as_locked`)."""
    n.as_locked = {f.attname: n.__dict__.get(f.attname) for f in n._meta.concrete_fields}
    rows = json.loads(n.__dict__.pop("_route_rows", None) or "[]")
    award_type = n.award_type
    stages = []
    for row in rows:
        stage = RouteStage.from_db(n._state.db, _ROUTE_FIELDS, [row[f] for f in _ROUTE_FIELDS])
        RouteStage.award_type.field.set_cached_value(stage, award_type)
        stages.append(stage)
    route = award_type.route.all()
    route._result_cache = stages
    route._prefetch_done = True  # type: ignore[attr-defined]
    award_type._prefetched_objects_cache = {"route": route}  # type: ignore[attr-defined]
    award_type.__dict__.pop("stages", None)  # the cached property, if it was read before
    return n


class NominationManager(models.Manager):
    def _for_action(self):
        return (
            self.select_for_update(of=("self",))
            .select_related(
                "award_type", "campaign", "proposing_unit", "nominee_person", "nominee_unit"
            )
            .annotate(_route_rows=_route_rows())
        )

    def lock(self, seen: "Nomination") -> "Nomination":
        """Lock the nomination's row for this transaction and return it fresh from the
        database, with its award type's route (one statement, compiled once per connection:
        every action sends it). The caller checks the actor's authority on it, then
        `refuse_if_stale`: who may not act is told so, rather than that their page is out of
        date."""
        found = _LOCK.first(pk=seen.pk)
        if found is None:
            raise self.model.DoesNotExist("Nomination matching query does not exist.")
        return _keep_route(found)

    def lock_many(self, pks) -> dict[int, "Nomination"]:
        """Lock a batch of nominations at once, in id order (so two batches cannot deadlock),
        and return them fresh from the database by id."""
        return {
            n.pk: _keep_route(n) for n in self._for_action().filter(pk__in=list(pks)).order_by("pk")
        }


_LOCK = Compiled(
    "nominations.Nomination", lambda pk: Nomination.objects._for_action().filter(pk=pk), pk=int
)


class Nomination(ConcurrentTransitionMixin, models.Model):
    """A unit's proposal of one person or collective for one award type, with its dossier.

    `status` changes only through the transitions below (the lifecycle); nothing may assign it.
    The transitions neither save nor lock: the services in `workflows.services` do both, together
    with the decision record, the audit event and the task bookkeeping, in one transaction.
    """

    # Every index is rewritten by every transition (status changes, so no update is HOT).
    # `campaign` and `proposing_unit` lead the composite indexes in Meta, which serve their
    # lookups; they have none of their own.
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="nominations",
        verbose_name=_("campaign"),
    )
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("award")
    )
    proposing_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="nominations",
        verbose_name=_("proposing unit"),
    )
    nominee_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations_received",
        verbose_name=_("nominee (person)"),
    )
    nominee_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations_received",
        verbose_name=_("nominee (collective)"),
    )

    achievements = models.TextField(_("achievements summary"), blank=True)
    contributions = models.TextField(_("contributions"), blank=True)
    initiatives = models.TextField(_("initiatives"), blank=True)

    status = FSMField(
        _("status"), default=Status.DRAFT, choices=Status.choices, protected=True
    )  # indexed in Meta: `db_index` would add a LIKE index nothing searches with

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="nominations_proposed",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # When the current status was entered: time-in-stage and deadlines count from here.
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    # Bumped by every transition and every dossier change. An action names the version its actor
    # saw, so acting on a nomination that changed meanwhile is refused, even if it came back to
    # the same status (returned, revised, resubmitted and approved up to the same stage again).
    version = models.PositiveIntegerField(_("version"), default=1)
    # Who made the current version: named when someone else's stale action is refused.
    # Not indexed: nothing looks nominations up by it, and it changes with every action; only
    # deleting a user (which the PROTECT refuses while any nomination names them) scans for it.
    last_acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last acted by"),
    )
    # The furthest point of the journey ever reached (stages.PROGRESS): reviewers see nominations
    # that reached their stage, even after they were returned or rejected further on.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, editable=False)
    # The last evaluation of the award type's criteria (`nominations.eligibility`): the rule
    # versions, pass/fail/unknown per criterion and the record each used. Written with the
    # transition that ran it, so keeping it costs no statement of its own.
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True, editable=False)

    objects = NominationManager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.CheckConstraint(
                condition=Q(nominee_person__isnull=True) | Q(nominee_unit__isnull=True),
                name="nomination_one_nominee",
            ),
            # One achievement, one award (`nominations.one_award`): a nominee is proposed for an
            # award type once per campaign, unless that nomination no longer claims the award.
            models.UniqueConstraint(
                fields=["nominee_person", "award_type", "campaign"],
                condition=~Q(status__in=CLOSED_UNAWARDED),
                name="one_award_person",
            ),
            models.UniqueConstraint(
                fields=["nominee_unit", "award_type", "campaign"],
                condition=~Q(status__in=CLOSED_UNAWARDED),
                name="one_award_collective",
            ),
        ]
        indexes = [
            models.Index(fields=["proposing_unit", "status"], name="nomination_unit_status_idx"),
            models.Index(fields=["campaign", "award_type"], name="nomination_campaign_idx"),
            models.Index(fields=["status"], name="nomination_status_idx"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.nominee_name}"

    def save(self, *args, **kwargs):
        self.progress = max(self.progress, PROGRESS.get(self.status, 0))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "progress"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"N-{self.pk:05d}" if self.pk else "N-new"

    @staticmethod
    def pk_from_reference(text: str) -> int | None:
        """The nomination a reference names as people write it ("N-00012", "n12", "12")."""
        found = REFERENCE.match(text.strip())
        return int(found.group(1)) if found else None

    @property
    def nominee(self):
        return self.nominee_person or self.nominee_unit

    @property
    def nominee_name(self) -> str:
        if self.nominee_person_id:
            return display_name(self.nominee_person)
        if self.nominee_unit_id:
            return str(self.nominee_unit)
        return "—"

    @property
    def current_stage(self) -> str | None:
        return self.status if self.status in STAGE_ORDER else None

    def audit_context(self) -> dict:
        """What an audit event about this nomination records of where it sits."""
        return {
            "nomination_id": self.pk,
            "unit_path": self.proposing_unit.path,
            "campaign_id": self.campaign_id,
            "award_type_id": self.award_type_id,
        }

    def dossier_snapshot(self) -> dict:
        """The dossier as an inspector compares it between versions (values as shown). It is
        stored and compared with later snapshots, so it does not follow the reader's language:
        a collective nominee is named in Vietnamese, the name every unit has."""
        return {
            "award_type": self.award_type.code,
            "nominee": (self.nominee_unit.name_vi if self.nominee_unit_id else self.nominee_name),
            "achievements": self.achievements,
            "contributions": self.contributions,
            "initiatives": self.initiatives,
        }

    def refuse_if_stale(self, seen: "Nomination", actor) -> None:
        """Refuse an action aimed at a version of the nomination other than this one (somebody
        acted since the actor's page was drawn), naming who — or saying it was the actor."""
        if self.version == seen.version:
            return
        if self.last_acted_by_id is not None and self.last_acted_by_id == actor.pk:
            raise ConflictingAction(
                _(
                    "This page is out of date: you changed this nomination since it was shown, "
                    "and it is now “%(status)s”."
                )
                % {"status": self.get_status_display()},
                reasons=[_("Reload the page to see it as it is, then try again.")],
            )
        last = self.last_acted_by
        raise ConflictingAction(
            _("Someone changed this nomination while you were viewing it: it is now “%(status)s”.")
            % {"status": self.get_status_display()},
            reasons=[_("Last action by %(actor)s.") % {"actor": audit_label(last)}] if last else [],
        )

    def required_documents(self) -> list[RequiredDocument]:
        """The documents the award type requires, each with whether the dossier has one (from
        the prefetched evidence where it was prefetched)."""
        kinds = self.award_type.required_document_kinds()
        if not kinds:
            return []
        attached = {e.kind for e in self.evidence.all()} if self.pk else set()
        labels = dict(Evidence.Kind.choices)
        return [RequiredDocument(k, str(labels.get(k, k)), k in attached) for k in kinds]

    def missing_documents(self) -> list[str]:
        """The names of the required documents the dossier lacks."""
        return [d.label for d in self.required_documents() if not d.attached]

    # --- where it waits, and firing its transitions --------------------------------------

    # --- a hold ------------------------------------------------------------------------

    def open_hold(self) -> Hold | None:
        """The hold the nomination is under, or None unless it is on hold. Read once per
        instance (the services set it when they place or lift one)."""
        if self.status != Status.ON_HOLD:
            return None
        if "_open_hold" not in self.__dict__:
            self._open_hold = (
                self.holds.filter(lifted_at__isnull=True).select_related("placed_by").first()
            )
        return self._open_hold

    @property
    def standing_status(self) -> str:
        """Where the nomination stands on its journey: its status, or, while it is on hold,
        the status it was held in (the stage whose task stays open, waiting for the lift)."""
        if self.status == Status.ON_HOLD:
            hold = self.open_hold()
            if hold is not None:
                return hold.held_status
        return self.status

    def waiting_on(self) -> Waiting | None:
        """The task the nomination waits on in its current status — which stage, which role,
        which deadline — or None once it waits on nobody (a draft, or a journey that ended).
        The one home of that answer: the workflow writes each task from it, policy names the
        acting role from it. A route's stages, roles and deadlines are the award type's data;
        the unit's revision and the signature are the same for every award type. A held
        nomination answers as in the status it was held in: its task stays open, and whoever
        it waits on still sees it (and may lift the hold), though nobody acts on it until then."""
        status = self.standing_status
        if status in REVIEW_STAGES or status == Stage.COUNCIL_REVIEW:
            stage = self.award_type.route_stage(status)
            return Waiting(task_at(status), stage.stage, stage.role, stage.deadline_working_days)
        if status == Status.RETURNED:
            return Waiting(REVISE, Status.RETURNED, Role.UNIT_PROPOSER, REVISION_DAYS)
        if status in AWAITING_DECISION:
            return Waiting(SIGN, status, Role.DECISION_SIGNER, SIGNATURE_DAYS)
        if status == Status.FORWARDED:
            # The office (the council's secretary) records the higher level's outcome.
            return Waiting(HIGHER, status, Role.COUNCIL_SECRETARY, HIGHER_LEVEL_DAYS)
        return None

    def failed_guards(self, action: str) -> list[str]:
        """The sentences of the guards that stop `action` now (empty if none do)."""
        found = getattr(self, action)._django_fsm.get_transition(self.status)
        if found is None:
            return []
        return [_sentence(c, self) for c in (found.conditions or []) if not c(self)]

    def can(self, action: str) -> bool:
        """Whether the lifecycle allows `action` from the current status with every guard met."""
        meta = getattr(self, action)._django_fsm
        return meta.has_transition(self.status) and not self.failed_guards(action)

    def fire(self, action: str, **kwargs) -> str:
        """Fire a transition in memory, refusing with sentences a user can read (which action
        from which status, which guard failed); return the status it left."""
        method = getattr(self, action)
        before = self.status
        if not method._django_fsm.has_transition(before):
            raise TransitionRefused(
                _("You cannot %(action)s a nomination that is “%(status)s”.")
                % {"action": ACTION_LABELS[action], "status": self.get_status_display()}
            )
        problems = self.failed_guards(action)
        if problems:
            raise TransitionRefused(
                _("You cannot %(action)s this nomination yet.") % {"action": ACTION_LABELS[action]},
                reasons=problems,
            )
        try:
            method(**kwargs)
        except TransitionNotAllowed as exc:  # a guard changed its mind between check and fire
            raise TransitionRefused(str(exc)) from exc
        return before

    def _entered(self):
        self.status_changed_at = timezone.now()
        self.version += 1

    # --- the lifecycle -------------------------------------------------------------------

    @transition(
        field=status,
        source=Status.DRAFT,
        target=GET_STATE(_first_stage, states=STAGE_ORDER),
        conditions=[*DOSSIER_GUARDS, campaign_accepts_submissions],
    )
    def submit(self):
        self.submitted_at = timezone.now()
        self._entered()

    @transition(
        field=status,
        source=REVIEW_STAGES,
        target=GET_STATE(_stage_after_current, states=[*STAGE_ORDER, Status.APPROVED]),
    )
    def approve(self):
        self._entered()

    @transition(field=status, source=REVIEW_STAGES, target=Status.RETURNED)
    def return_for_revision(self, reasons: str, reason_code=None):
        _require_reasons(reasons, reason_code, ReasonUse.RETURN)
        self._entered()

    @transition(
        field=status,
        source=Status.RETURNED,
        target=GET_STATE(_first_stage, states=STAGE_ORDER),
        conditions=DOSSIER_GUARDS,
    )
    def resubmit(self):
        self._entered()

    @transition(field=status, source=REVIEW_STAGES, target=Status.REJECTED)
    def reject(self, reasons: str, reason_code=None):
        _require_reasons(reasons, reason_code, ReasonUse.REJECT)
        self._entered()

    @transition(
        field=status,
        source=WITHDRAWABLE,
        target=Status.WITHDRAWN,
        conditions=[held_where_withdrawable],
    )
    def withdraw(self):
        self._entered()

    # A disciplinary measure, an investigation, an inspection or a complaint holds the
    # nomination, not rejects it, until resolved (Decree 152/2025, Art. 4). The service writes
    # the `Hold` with the status it was held in; lifting it returns the nomination there.
    @transition(field=status, source=HOLDABLE, target=Status.ON_HOLD)
    def hold(self, reason: str):
        _require_reasons(reason)
        self._entered()

    @transition(
        field=status, source=Status.ON_HOLD, target=GET_STATE(_held_status, states=HOLDABLE)
    )
    def lift_hold(self, hold: Hold, resolution: str):
        _held_status(self, hold)  # refuse a hold that is not this nomination's open one
        _require_reasons(resolution)
        self._entered()

    @transition(field=status, source=Stage.COUNCIL_REVIEW, target=Status.COUNCIL_APPROVED)
    def council_approve(self):
        self._entered()

    @transition(field=status, source=Stage.COUNCIL_REVIEW, target=Status.COUNCIL_REJECTED)
    def council_reject(self):
        self._entered()

    # An objection upheld during the public notice: the council's approval does not stand.
    @transition(field=status, source=Status.COUNCIL_APPROVED, target=Status.RETURNED)
    def objection_return(self, reasons: str, reason_code=None):
        _require_reasons(reasons, reason_code, ReasonUse.RETURN)
        self._entered()

    @transition(field=status, source=Status.COUNCIL_APPROVED, target=Status.REJECTED)
    def objection_reject(self, reasons: str, reason_code=None):
        _require_reasons(reasons, reason_code, ReasonUse.NOT_COMMENDED)
        self._entered()

    @transition(
        field=status,
        source=AWAITING_DECISION,
        target=Status.AWARDED,
        conditions=[decided_by_this_agency],
    )
    def confer(self):
        self._entered()

    # An award decided at a higher level: the signed request (tờ trình) forwards it, and the
    # office records that level's outcome when it arrives (`approvals.forwarding`).
    @transition(
        field=status,
        source=AWAITING_DECISION,
        target=Status.FORWARDED,
        conditions=[decided_at_higher_level],
    )
    def forward(self):
        self._entered()

    @transition(field=status, source=Status.FORWARDED, target=Status.AWARDED)
    def higher_confer(self):
        self._entered()

    @transition(field=status, source=Status.FORWARDED, target=Status.NOT_CONFERRED)
    def higher_not_confer(self, reasons: str):
        _require_reasons(reasons)
        self._entered()

    # Returned for more documents: the unit revises and resubmits along its route, as for any
    # return.
    @transition(field=status, source=Status.FORWARDED, target=Status.RETURNED)
    def higher_return(self, reasons: str):
        _require_reasons(reasons)
        self._entered()


def evidence_path(instance, filename):
    # The stored name never comes from the user: no traversal, no collisions, no guessing.
    return f"evidence/{instance.nomination_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A typed document of the dossier."""

    Kind = DocumentKind

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("document type"), max_length=40, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"
