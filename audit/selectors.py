from .models import AuditEvent


def timeline(nomination_id: int):
    """Every event of one nomination, oldest first."""
    return AuditEvent.objects.filter(nomination_id=nomination_id).order_by("id")
