"""The statuses of a nomination and the review stages a route is made of."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNIT_REVIEW = "unit_review", _("Unit head confirmation")
    PARTY_COMMITTEE_REVIEW = "party_committee_review", _("Party committee review")
    LEADERSHIP_REVIEW = "leadership_review", _("Leadership review")
    COUNCIL_REVIEW = "council_review", _("Council review")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APPROVED = "approved", _("Approved, awaiting decision")
    COUNCIL_APPROVED = "council_approved", _("Approved by the council")
    COUNCIL_REJECTED = "council_rejected", _("Not approved by the council")
    AWARDED = "awarded", _("Awarded")


class Stage(models.TextChoices):
    """A stage a route may include, in the order they can appear. A route is an ordered subset."""

    UNIT_REVIEW = Status.UNIT_REVIEW.value, Status.UNIT_REVIEW.label
    PARTY_COMMITTEE_REVIEW = (
        Status.PARTY_COMMITTEE_REVIEW.value,
        Status.PARTY_COMMITTEE_REVIEW.label,
    )
    LEADERSHIP_REVIEW = Status.LEADERSHIP_REVIEW.value, Status.LEADERSHIP_REVIEW.label
    COUNCIL_REVIEW = Status.COUNCIL_REVIEW.value, Status.COUNCIL_REVIEW.label


STAGE_ORDER = [s.value for s in Stage]

# Stages where one reviewer approves, returns or rejects. The council stage is decided by a vote.
REVIEW_STAGES = [Stage.UNIT_REVIEW, Stage.PARTY_COMMITTEE_REVIEW, Stage.LEADERSHIP_REVIEW]

# Statuses in which the nomination is still the proposing unit's to withdraw.
WITHDRAWABLE = [Status.DRAFT, Status.RETURNED, *Stage]

AWAITING_DECISION = [Status.APPROVED, Status.COUNCIL_APPROVED]

FINAL = [Status.REJECTED, Status.WITHDRAWN, Status.COUNCIL_REJECTED, Status.AWARDED]

# How far along its journey a status is. Returned, rejected and withdrawn nominations have no rank
# of their own: they keep the furthest rank reached (`Nomination.progress`).
PROGRESS: dict[str, int] = {
    Status.DRAFT: 0,
    Status.UNIT_REVIEW: 1,
    Status.PARTY_COMMITTEE_REVIEW: 2,
    Status.LEADERSHIP_REVIEW: 3,
    Status.COUNCIL_REVIEW: 4,
    Status.APPROVED: 5,
    Status.COUNCIL_APPROVED: 5,
    Status.COUNCIL_REJECTED: 5,
    Status.AWARDED: 6,
}

# Who acts at each stage unless the route says otherwise.
DEFAULT_STAGE_ROLE = {
    Stage.UNIT_REVIEW: Role.UNIT_HEAD,
    Stage.PARTY_COMMITTEE_REVIEW: Role.PARTY_COMMITTEE_REVIEWER,
    Stage.LEADERSHIP_REVIEW: Role.LEADERSHIP_REVIEWER,
    Stage.COUNCIL_REVIEW: Role.COUNCIL_SECRETARY,
}
