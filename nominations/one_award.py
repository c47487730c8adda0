"""One achievement, one award: a person or collective is proposed for an award type at most once
per campaign (the period its achievements are judged over). A second nomination of the same
nominee for the same award type in the same campaign is refused, naming the first, while the
first still claims the award — that is, until it is rejected, withdrawn or not approved by the
council (`stages.CLOSED_UNAWARDED`).

The one home of the rule: the services ask `refuse_second` before writing (creating a draft,
changing its nominee or award type, resubmitting), and the database holds it too (the partial
unique constraints `one_award_person` and `one_award_collective` on `Nomination`), so that two
drafts written at the same moment cannot both pass; the loser's `IntegrityError` becomes the
same refusal (`guarded`).
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .exceptions import TransitionRefused
from .models import Nomination
from .stages import CLOSED_UNAWARDED

# The names of the database's half of the rule (`Nomination.Meta.constraints`).
PERSON_CONSTRAINT = "one_award_person"
COLLECTIVE_CONSTRAINT = "one_award_collective"

# The condition under which a nomination claims its nominee's award, as the constraints say it.
CLAIMING = ~Q(status__in=CLOSED_UNAWARDED)


def first_claim(nomination: Nomination) -> Nomination | None:
    """The other nomination that already claims this nominee's award in this campaign, or None
    (one query; none at all for a draft without a nominee)."""
    if nomination.nominee_person_id:
        nominee = Q(nominee_person_id=nomination.nominee_person_id)
    elif nomination.nominee_unit_id:
        nominee = Q(nominee_unit_id=nomination.nominee_unit_id)
    else:
        return None
    return (
        Nomination.objects.filter(
            nominee,
            CLAIMING,
            award_type_id=nomination.award_type_id,
            campaign_id=nomination.campaign_id,
        )
        .exclude(pk=nomination.pk)
        .select_related("proposing_unit", "award_type", "nominee_person", "nominee_unit")
        .order_by("pk")
        .first()
    )


def refusal(nomination: Nomination, first: Nomination) -> TransitionRefused:
    """The refusal of a second nomination, naming the first: reference, status, proposing unit."""
    return TransitionRefused(
        _(
            "%(nominee)s is already proposed for %(award)s in this campaign: %(reference)s "
            "(“%(status)s”, proposed by %(unit)s)."
        )
        % {
            "nominee": first.nominee_name,
            "award": first.award_type,
            "reference": first.reference,
            "status": first.get_status_display(),
            "unit": first.proposing_unit,
        },
        reasons=[
            _(
                "One achievement, one award: another nomination for the same award may be made "
                "only once that one is rejected, withdrawn or not approved by the council."
            )
        ],
    )


def refuse_second(nomination: Nomination) -> None:
    """Refuse `nomination` if another one already claims its nominee's award in its campaign."""
    if nomination.status in CLOSED_UNAWARDED:
        return
    first = first_claim(nomination)
    if first is not None:
        raise refusal(nomination, first)


@contextmanager
def guarded(nomination: Nomination):
    """Write `nomination` inside this block: if the database refuses it as a second claim (a
    concurrent draft won the race after `refuse_second` passed), refuse it as `refuse_second`
    would have, naming the winner — never an error page. The block is a savepoint, so the
    caller's transaction stays usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        first = first_claim(nomination)
        if first is None:  # some other constraint: not this rule's to explain
            raise
        raise refusal(nomination, first) from None
