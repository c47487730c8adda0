from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

REVIEW = ["unit_review", "party_committee_review", "leadership_review"]
NEXT = {
    "unit_review": "party_committee_review",
    "party_committee_review": "leadership_review",
    "leadership_review": "council_review",
}


def _next_stage(instance, *args, **kwargs):
    return NEXT[instance.status]


class Nomination(ConcurrentTransitionMixin, models.Model):
    """The idiomatic model: a protected FSMField, transitions that log who fired them
    (django-fsm-log) and a history table written on every save (django-simple-history)."""

    unit = models.ForeignKey("nominations.Unit", on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    achievements = models.TextField(blank=True)
    status = FSMField(default="draft", protected=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self):
        return f"N-{self.pk}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source="draft", target="unit_review")
    def submit(self, by=None, description=None):
        self.submitted_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=REVIEW,
        target=GET_STATE(_next_stage, states=list(NEXT.values())),
    )
    def approve(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=REVIEW, target="returned")
    def return_for_revision(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source="council_review", target="council_approved")
    def council_approve(self, by=None, description=None):
        pass
