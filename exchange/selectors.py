"""What the exchange page lists for a user: the signed requests they may export, the bundles
imported where they may import."""

from django.db.models import Count

from approvals.models import ForwardRequest
from nominations import policy
from nominations.models import Unit

from .models import ImportedBundle


def _units(user, roles) -> list[int]:
    return [a.unit_id for a in policy.assignments(user) if a.role in roles]


def exportable_requests(user):
    """The signed requests of the agencies whose secretary or signer the user is."""
    agencies = Unit.objects.filter(pk__in=_units(user, policy.BUNDLE_EXPORTERS))
    return (
        ForwardRequest.objects.filter(
            agency__in=agencies,
            status__in=[ForwardRequest.Status.SIGNED, ForwardRequest.Status.SETTLED],
        )
        .select_related("agency", "campaign")
        .annotate(nominees=Count("entries"))
        .order_by("-signed_at", "-id")
    )


def imported_bundles(user):
    """The bundles imported into the campaigns of the agencies whose secretary the user is."""
    return (
        ImportedBundle.objects.filter(campaign__agency__in=_units(user, {policy.BUNDLE_IMPORTER}))
        .select_related("partner", "campaign", "imported_by")
        .annotate(made=Count("nominations"))
        .order_by("-imported_at", "-id")
    )
