"""Reads of nominations, already filtered by who may see them (`policy.visible_q`)."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from . import policy
from .models import Nomination, StageDecision, Unit
from .roles import Role


def visible_nominations(user) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(policy.visible_q(user))
        .select_related(
            "campaign",
            "award_type",
            "proposing_unit",
            "nominee_person",
            "nominee_unit",
            "created_by",
        )
        .order_by("-id")
    )


def nomination_for(user, pk: int) -> Nomination:
    """One nomination the user may see (Nomination.DoesNotExist otherwise: no hint it exists)."""
    return visible_nominations(user).prefetch_related("award_type__route", "evidence").get(pk=pk)


def proposable_units(user) -> QuerySet[Unit]:
    """Units the user may propose for (their proposer scope)."""
    return policy.units_user_may_propose_for(user)


def proposable_people(user):
    """People of the units the user may propose for."""
    return (
        get_user_model()
        .objects.filter(policy.scope_q(user, {Role.UNIT_PROPOSER}, "profile__unit__path"))
        .select_related("profile")
        .order_by("last_name", "first_name", "username")
    )


def decisions_of(nomination_id: int):
    return StageDecision.objects.filter(nomination_id=nomination_id).select_related(
        "actor", "on_behalf_of"
    )


def last_return(nomination_id: int) -> StageDecision | None:
    return (
        StageDecision.objects.filter(
            nomination_id=nomination_id, outcome=StageDecision.Outcome.RETURNED
        )
        .select_related("actor", "reason_code")  # the page names who returned it, and why
        .order_by("-decided_at", "-id")
        .first()
    )
