from .models import Decision


def decisions_of(nomination_id: int):
    return Decision.objects.filter(nomination_id=nomination_id).select_related(
        "actor", "on_behalf_of"
    )


def last_return(nomination_id: int) -> Decision | None:
    return (
        Decision.objects.filter(nomination_id=nomination_id, outcome=Decision.Outcome.RETURNED)
        .select_related("actor")  # the page names who returned it
        .order_by("-decided_at", "-id")
        .first()
    )
