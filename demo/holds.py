"""The demo's holds (Decree 152/2025, Art. 4: a nomination is held, not rejected, while its
nominee is under a disciplinary measure, an investigation, an inspection or a complaint): one
nomination held for a complaint at the party committee's review, and one held for an inspection
at the leadership's review and lifted once it concluded, so that its timeline shows both."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from nominations import policy
from nominations.exceptions import NotAllowed
from nominations.models import HoldKind, Nomination, RoleAssignment
from nominations.stages import Status
from workflows import services

# (nominee's username, award type code, status it waits at): the nomination held, the kind of
# matter, its details, and how many days it is expected to last.
HELD = (
    ("hongbt", "chien-si-thi-dua-co-so", Status.PARTY_COMMITTEE_REVIEW),
    HoldKind.COMPLAINT,
    "Đơn tố cáo của một công chức trong đơn vị về việc kê khai thành tích năm, đang được Thanh "
    "tra Văn phòng xác minh; tạm dừng xét đến khi có kết luận.",
    20,
)
# The one held and lifted: its matter, its details, and how it was resolved.
LIFTED = (
    ("thanghd", "lao-dong-tien-tien", Status.LEADERSHIP_REVIEW),
    HoldKind.INSPECTION,
    "Đoàn kiểm tra công vụ đang kiểm tra việc chấp hành kỷ luật hành chính tại đơn vị, có liên "
    "quan đến cá nhân được đề nghị.",
    "Đoàn kiểm tra đã kết luận: cá nhân được đề nghị không có vi phạm; tiếp tục xét khen thưởng.",
)


def _nomination(nominee: str, award: str, status: str) -> Nomination | None:
    return (
        Nomination.objects.filter(
            nominee_person__username=nominee, award_type__code=award, status=status
        )
        .order_by("pk")
        .first()
    )


def _who_may(action: str, nomination: Nomination):
    """The first demo person (by id) whose roles let them do `action` on the nomination."""
    users = (
        get_user_model()
        .objects.filter(pk__in=RoleAssignment.objects.values("user_id"))
        .order_by("pk")
    )
    found = next((u for u in users if policy.may(u, action, nomination)), None)
    if found is None:
        raise NotAllowed(f"nobody in the demo may {action} {nomination.reference}")
    return found


def seed_holds(clock, count) -> None:
    """Place the demo's holds, each step at its moment on the council day (`clock.council`),
    after the council's business and before the next session is planned."""
    (nominee, award, status), kind, reason, days = HELD
    nomination = _nomination(nominee, award, status)
    if nomination is not None:
        with clock.council(400):
            actor = _who_may("hold", nomination)
            services.place_hold(
                nomination,
                actor=actor,
                kind=kind,
                reason=reason,
                expected_end=timezone.localdate() + datetime.timedelta(days=days),
            )
        count("holds", "created")
    (nominee, award, status), kind, reason, resolution = LIFTED
    nomination = _nomination(nominee, award, status)
    if nomination is not None:
        with clock.council(420):
            actor = _who_may("hold", nomination)
            hold = services.place_hold(nomination, actor=actor, kind=kind, reason=reason)
        with clock.council(480):
            services.lift_hold(hold.nomination, actor=actor, resolution=resolution)
        count("holds", "created")
