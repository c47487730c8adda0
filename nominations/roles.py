from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of docs/DOMAIN.md ("Roles"). A role is held at a unit and covers its subtree."""

    UNIT_PROPOSER = "unit_proposer", _("Unit proposer")
    UNIT_HEAD = "unit_head", _("Unit head")
    PARTY_COMMITTEE_REVIEWER = "party_committee_reviewer", _("Party committee reviewer")
    LEADERSHIP_REVIEWER = "leadership_reviewer", _("Leadership reviewer")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    COUNCIL_MEMBER = "council_member", _("Council member")
    DECISION_SIGNER = "decision_signer", _("Decision signer")
    INSPECTOR = "inspector", _("Inspector")
    ADMINISTRATOR = "administrator", _("Administrator")
