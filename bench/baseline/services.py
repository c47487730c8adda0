"""The baseline's service: what a team writes around django-fsm. Lock the row, fire the
transition (django-fsm-log records it, with who and why), save (simple-history records it)."""

from django.db import transaction

from .models import Nomination


def act(pk: int, action: str, *, actor, reasons: str = "") -> Nomination:
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=pk)
        getattr(nomination, action)(by=actor, description=reasons or None)
        nomination._history_user = actor
        nomination.save()
    return nomination
