"""What the public honour roll reads: the awards conferred by Laurel's signed decisions (in force
or revoked, never the imported records of past years, which no decision of Laurel's published),
each with its decision's verification code and its place in the decision.

Every reader is anonymous here: nothing is read that is not printed on a published decision
(the holder, the award, the year, the proposing unit, the decision's number and date, and the
revoking decision's)."""

from collections import defaultdict

from django.db.models import Q, QuerySet

from approvals import verification
from nominations.models import ConferredAward, Unit

FEED_SIZE = 30


def published() -> QuerySet[ConferredAward]:
    return ConferredAward.objects.filter(decision_id__isnull=False).select_related(
        "award_type", "person", "unit", "nomination__proposing_unit"
    )


def roll(*, year=None, unit: Unit | None = None, award_type=None) -> QuerySet[ConferredAward]:
    """The roll, newest first; a unit filters its whole subtree (the proposing unit, or the
    collective itself)."""
    awards = published()
    if year:
        awards = awards.filter(year=year)
    if unit is not None:
        awards = awards.filter(
            Q(nomination__proposing_unit__path__startswith=unit.path)
            | Q(unit__path__startswith=unit.path)
        )
    if award_type is not None:
        awards = awards.filter(award_type=award_type)
    return awards.order_by("-conferred_on", "-id")


def prior_awards(nomination, *, whole_record: bool) -> list[ConferredAward]:
    """The awards in force on the nominee's record before this nomination's, oldest first, for the
    achievement report: all of them for a reader of the record (`nominations.policy
    .may_see_record`), otherwise only those a decision of Laurel's published."""
    holder = (
        {"person_id": nomination.nominee_person_id}
        if nomination.nominee_person_id
        else {"unit_id": nomination.nominee_unit_id}
    )
    awards = (
        ConferredAward.objects.in_force()
        .filter(**holder)
        .exclude(nomination_id=nomination.pk)
        .select_related("award_type")
        .order_by("year", "id")
    )
    if not whole_record:
        awards = awards.filter(decision_id__isnull=False)
    return list(awards)


def years() -> list[int]:
    conferred = ConferredAward.objects.filter(decision_id__isnull=False)
    return sorted(set(conferred.values_list("year", flat=True)), reverse=True)


def newest(count: int = FEED_SIZE) -> list[ConferredAward]:
    return annotate(list(published().order_by("-conferred_on", "-id")[:count]))


def annotate(awards: list[ConferredAward]) -> list[ConferredAward]:
    """Give each award its decision's code (`code`, None if the chain has no signature for it),
    its place among the awards that decision conferred (`position`, 1-based: the certificate's
    address) and the revoking decision's code (`revoked_code`). Two queries, however many."""
    decision_ids = {a.decision_id for a in awards} | {
        a.revoked_by_decision_id for a in awards if a.revoked_by_decision_id
    }
    codes = verification.codes_of_ids(decision_ids)
    places: dict[int, list[int]] = defaultdict(list)
    for decision_id, pk in (
        ConferredAward.objects.filter(decision_id__in={a.decision_id for a in awards})
        .order_by("id")
        .values_list("decision_id", "id")
    ):
        places[decision_id].append(pk)
    for a in awards:
        a.code = codes.get(a.decision_id)
        a.position = places[a.decision_id].index(a.pk) + 1
        a.revoked_code = codes.get(a.revoked_by_decision_id)
    return awards
