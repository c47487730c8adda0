from nominations.models import Nomination

from .models import Decision


def record_decision(
    nomination: Nomination,
    *,
    outcome: str,
    stage: str,
    from_status: str,
    actor,
    role: str,
    reasons: str = "",
    on_behalf_of=None,
) -> Decision:
    """Write the decision record of an action; called by the workflow service of that action."""
    return Decision.objects.create(
        nomination=nomination,
        stage=stage,
        outcome=outcome,
        reasons=reasons,
        from_status=from_status,
        to_status=nomination.status,
        actor=actor,
        role=role,
        on_behalf_of=on_behalf_of,
        dossier=nomination.dossier_snapshot(),
    )
