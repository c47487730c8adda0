"""Quotas: how many nominations for an award type a unit, with the units below it, may send on in
a campaign (`models.Quota`), and where each quota stands.

- The **limit** is the share of the base, rounded down, computed exactly (15% of 7 is 1.05, so 1),
  and no more than `max_count` when one is set; a fixed quota's limit is its `max_count`.
- The **base**: the people working in the unit's subtree (`Profile.unit`), or the subtree's
  nominations for `base_title` in the campaign that still claim it (not rejected, withdrawn or
  not approved by the council), or nothing (a fixed number).
- **Counted**: the campaign's nominations for the award type proposed by units of the subtree that
  the unit head has confirmed — they went beyond unit review (`Nomination.progress`) — and that
  still claim the award.

The unit head's confirmation is refused when it would take a quota over its limit
(`check_confirmation`, called by `workflows.services._act`). A quota may still be over — it was
set or lowered after confirmations — and the council's agenda and the quota report show it.
Every standing is read in one query whatever the number of quotas (`standings`).
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import (
    CharField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .compiled import Compiled
from .exceptions import TransitionRefused
from .models import Campaign, Nomination, Profile, Quota, QuotaBase
from .stages import CLOSED_UNAWARDED, PROGRESS, Stage, Status

# A nomination the unit head confirmed has gone beyond unit review.
CONFIRMED_PROGRESS = PROGRESS[Stage.UNIT_REVIEW] + 1


def limit_of(quota: Quota, base: int | None) -> int:
    """The most nominations the quota lets through, from its base's size (exact arithmetic)."""
    if quota.base == QuotaBase.FIXED:
        return quota.max_count or 0
    share = Fraction(quota.share_percent or 0) / 100
    limit = (share * (base or 0)).__floor__()
    if quota.max_count is not None:
        limit = min(limit, quota.max_count)
    return limit


@dataclass(frozen=True)
class Standing:
    """Where a quota stands in a campaign."""

    quota: Quota
    base: int | None  # the size of the base (None for a fixed quota)
    limit: int
    counted: int  # confirmed by the unit head and still claiming the award
    awarded: int

    @property
    def over(self) -> bool:
        return self.counted > self.limit

    @property
    def full(self) -> bool:
        return self.counted >= self.limit

    @property
    def excess(self) -> int:
        """By how many the quota is over (0 when it is not)."""
        return max(self.counted - self.limit, 0)

    @property
    def left(self) -> int:
        """How many more may be confirmed (negative: by how many the quota is over)."""
        return self.limit - self.counted

    @property
    def basis(self) -> str:
        return legal_basis(self.quota)


def legal_basis(quota: Quota) -> str:
    parts = [p for p in (quota.instrument, quota.article) if p]
    return ", ".join(parts) if parts else _("no legal basis recorded")


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated count of `queryset`'s rows, as a column of the outer query: `COUNT` as a
    plain function, so the subquery has no GROUP BY and always one row."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _claims(campaign_id: int, award_type) -> QuerySet:
    """The campaign's nominations for `award_type` from the quota's subtree still claiming it."""
    return Nomination.objects.filter(
        campaign_id=campaign_id,
        award_type_id=award_type,
        proposing_unit__path__startswith=OuterRef("unit__path"),
    ).exclude(status__in=CLOSED_UNAWARDED)


def standings(
    campaign: Campaign,
    *,
    award_type_ids=None,
    unit_paths=None,
    within_paths=None,
    excluding: int | None = None,
) -> list[Standing]:
    """The quotas in force for `campaign`, each with its standing, in one query. A quota set for
    the campaign replaces one set for every campaign (same award type and unit). Narrowed to
    some award types, to the units at exactly `unit_paths` (a unit and those above it), or to
    the quotas of units within any of `within_paths`; `excluding` leaves one nomination out of the
    counts (the one being confirmed)."""
    quotas = Quota.objects.filter(Q(campaign_id=campaign.pk) | Q(campaign__isnull=True))
    if award_type_ids is not None:
        quotas = quotas.filter(award_type_id__in=list(award_type_ids))
    if unit_paths is not None:
        quotas = quotas.filter(unit__path__in=list(unit_paths))
    if within_paths is not None:
        within = Q(pk__in=[])
        for path in within_paths:
            within |= Q(unit__path__startswith=path)
        quotas = quotas.filter(within)
    return _chosen(_with_counts(quotas, campaign.pk, excluding))


def _with_counts(quotas: QuerySet, campaign_id: int, excluding: int | None) -> QuerySet:
    """`quotas` with the counts a standing needs, each a correlated subquery: one query."""
    counted = _claims(campaign_id, OuterRef("award_type_id")).filter(
        progress__gte=CONFIRMED_PROGRESS
    )
    if excluding is not None:
        counted = counted.exclude(pk=excluding)
    return (
        quotas.select_related("award_type", "unit", "base_title", "campaign")
        .annotate(
            counted=_count(counted),
            awarded=_count(
                _claims(campaign_id, OuterRef("award_type_id")).filter(status=Status.AWARDED)
            ),
            staff=_count(Profile.objects.filter(unit__path__startswith=OuterRef("unit__path"))),
            holders=_count(_claims(campaign_id, OuterRef("base_title_id"))),
        )
        .order_by("award_type__code", "unit__path", "campaign_id")
    )


def _chosen(rows) -> list[Standing]:
    chosen: dict[tuple[int, int], Quota] = {}
    for quota in rows:  # NULL sorts last on PostgreSQL, first on SQLite: either way, the
        key = (quota.award_type_id, quota.unit_id)  # campaign's own quota wins
        if key not in chosen or quota.campaign_id is not None:
            chosen[key] = quota
    return [_standing(q) for q in chosen.values()]


def _over_unit(campaign: int, award_type: int, path: str, nomination: int) -> QuerySet:
    """The quotas for `award_type` in force for `campaign` at the unit with `path` or a unit
    above it (whose path begins that one), counted without `nomination`."""
    quotas = (
        Quota.objects.filter(Q(campaign_id=campaign) | Q(campaign__isnull=True))
        .filter(award_type_id=award_type)
        .alias(_below=Value(path, output_field=CharField()))
        .filter(_below__startswith=F("unit__path"))
    )
    return _with_counts(quotas, campaign, nomination)


# The unit head's confirmation reads it every time: compiled once per connection.
_CONFIRMING = Compiled(Quota, _over_unit, campaign=int, award_type=int, path=str, nomination=int)


def _standing(quota) -> Standing:
    base = {
        QuotaBase.STAFF: quota.staff,
        QuotaBase.TITLE_HOLDERS: quota.holders,
    }.get(quota.base)
    return Standing(quota, base, limit_of(quota, base), quota.counted, quota.awarded)


def paths_up(path: str) -> list[str]:
    """A unit's path and those of the units above it: "/1/4/9/" → "/1/", "/1/4/", "/1/4/9/"."""
    ids = [p for p in path.split("/") if p]
    return ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]


def check_confirmation(nomination: Nomination, action: str) -> None:
    """Refuse the unit head's confirmation (approving at unit review) of a nomination that would
    take a quota of its proposing unit, or of a unit above it, over its limit. One query, and
    only for that action."""
    if action != "approve" or nomination.status != Stage.UNIT_REVIEW:
        return
    rows = _CONFIRMING.all(
        campaign=nomination.campaign_id,
        award_type=nomination.award_type_id,
        path=nomination.proposing_unit.path,
        nomination=nomination.pk,
    )
    for standing in _chosen(rows):
        if standing.counted + 1 > standing.limit:
            raise TransitionRefused(
                _("Confirming this nomination would exceed the quota for %(award)s at %(unit)s.")
                % {"award": standing.quota.award_type, "unit": standing.quota.unit},
                reasons=[
                    _(
                        "%(counted)d of at most %(limit)d nominations are already confirmed in "
                        "this campaign (%(basis)s)."
                    )
                    % {
                        "counted": standing.counted,
                        "limit": standing.limit,
                        "basis": standing.basis,
                    }
                ],
            )
