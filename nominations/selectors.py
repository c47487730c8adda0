"""Reads of nominations, already filtered by who may see them (`policy.visible_q`)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from . import policy
from .compiled import prepared
from .models import (
    AnnualRating,
    ConferredAward,
    DisciplinaryMeasure,
    EmulationRegistration,
    Initiative,
    Nomination,
    Revocation,
    StageDecision,
    Unit,
)
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
    """One nomination the user may see (Nomination.DoesNotExist otherwise: no hint it exists).

    Its reads are prepared (`compiled.prepared`): looked up by id, they are planned alike for any
    id, and PostgreSQL's planning of the nine joined tables cost ten times their reading (2 ms
    against 0.2 ms at 100,000 nominations), on every nomination's page and every action posted."""
    # The nominee's unit too: the page links the nominee's name to their record where allowed.
    with prepared():
        return (
            visible_nominations(user)
            .select_related("nominee_person__profile__unit")
            .prefetch_related("award_type__route", "evidence")
            .get(pk=pk)
        )


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
        StageDecision.objects.filter(nomination_id=nomination_id, outcome__in=StageDecision.RETURNS)
        .select_related("actor", "reason_code")  # the page names who returned it, and why
        .order_by("-decided_at", "-id")
        .first()
    )


# --- the record across years ---------------------------------------------------------------


@dataclass
class RecordYear:
    """One year of a person's or collective's record, as the record page shows it."""

    year: int
    registration: EmulationRegistration | None = None
    rating: AnnualRating | None = None
    awards: list[ConferredAward] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    discipline: list[DisciplinaryMeasure] = field(default_factory=list)


def record_of(*, person=None, unit: Unit | None = None) -> list[RecordYear]:
    """A person's or a collective's record, newest year first: conferred awards (from decisions
    and imported, the revoked ones marked by `revoked_at`, each with its proposals of revocation
    as `revocations_shown`: the decision and what was recovered), annual ratings, initiatives,
    disciplinary measures and emulation registrations. One query per kind, whatever the length
    of the record."""
    holder = {"person": person} if person is not None else {"unit": unit}
    years: dict[int, RecordYear] = {}

    def at(year: int) -> RecordYear:
        return years.setdefault(year, RecordYear(year))

    awards = (
        ConferredAward.objects.filter(**holder)
        .select_related("award_type", "nomination__proposing_unit", "nomination__campaign__agency")
        .prefetch_related(
            Prefetch(
                "revocations",
                queryset=Revocation.objects.order_by("proposed_at", "id"),
                to_attr="revocations_shown",
            )
        )
    )
    for award in awards:
        at(award.year).awards.append(award)
    for rating in AnnualRating.objects.filter(**holder):
        at(rating.year).rating = rating
    for registration in EmulationRegistration.objects.filter(**holder).select_related(
        "registered_by"
    ):
        at(registration.year).registration = registration
    if person is not None:
        for initiative in Initiative.objects.filter(person=person):
            at(initiative.year).initiatives.append(initiative)
        for measure in DisciplinaryMeasure.objects.filter(person=person):
            at(measure.decided_on.year).discipline.append(measure)
    return [years[y] for y in sorted(years, reverse=True)]
