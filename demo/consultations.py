"""The demo's consultations (hiệp y): the four bodies an office usually asks before proposing
an award, and two consultations of nominations waiting for the next council session. One is
complete: the tax department disagrees (an unpaid tax), the police and the inspectorate agree,
and the party's inspection commission never answered, so the timers recorded its silence as no
objection the day after the due date. The other is still open: the council defers its nominee
if it is still open when voting closes. Both show on the next session's agenda and ballot."""

from django.utils import timezone

from approvals import consultations
from approvals.models import ConsultationOpinion, ConsultedBody
from nominations.models import Nomination
from nominations.stages import Status

Answer = ConsultationOpinion.Answer

# (code, Vietnamese name, English name)
BODIES = (
    ("thue", "Cục Thuế", "Tax Department"),
    ("cong-an", "Công an", "Police"),
    ("thanh-tra", "Thanh tra", "Inspectorate"),
    ("ubkt-dang-uy", "Ủy ban Kiểm tra Đảng ủy", "Party Committee's Inspection Commission"),
)

# The completed consultation: its letter, and each body's answer (none: it never answered).
COMPLETED_LETTER = "215/VP-TĐKT"
COMPLETED = {
    "thue": (
        Answer.DISAGREE,
        "Cá nhân còn nợ thuế thu nhập cá nhân năm 2024 (số tiền 12.450.000 đồng) chưa nộp "
        "theo Thông báo của Cục Thuế; đề nghị chưa xét khen thưởng đến khi hoàn thành nghĩa "
        "vụ thuế.",
    ),
    "cong-an": (Answer.AGREE, ""),
    "thanh-tra": (Answer.AGREE, ""),
    "ubkt-dang-uy": None,
}
OPEN_LETTER = "231/VP-TĐKT"


def seed_bodies(upsert) -> list[ConsultedBody]:
    """The bodies, created or brought up to date (every run)."""
    return [
        upsert(
            "consulted bodies",
            ConsultedBody,
            {"code": code},
            {"name_vi": name_vi, "name_en": name_en, "active": True},
        )
        for code, name_vi, name_en in BODIES
    ]


def seed_consultations(clock, campaign, secretary, count, letter) -> None:
    """On the council day, after its business and the request to the higher level
    (`clock.council`), the office consults on two nominations the council deferred to its next
    session; the first's due date is that day, so `close_overdue` completes it now (today is
    later). `letter(name, *lines)` makes the
    uploaded PDF of a body's letter."""
    waiting = list(
        Nomination.objects.filter(campaign=campaign, status=Status.COUNCIL_REVIEW)
        .exclude(consultations__isnull=False)
        .order_by("pk")[:2]
    )
    if len(waiting) < 2:
        return
    bodies = list(ConsultedBody.objects.filter(code__in=[code for code, *_ in BODIES]))
    completed, still_open = waiting
    with clock.council(600):
        (consultation,) = consultations.open_consultations(
            [completed],
            actor=secretary,
            bodies=bodies,
            due_on=timezone.localdate(),
            letter_number=COMPLETED_LETTER,
        )
    for minutes, (code, answer) in enumerate(COMPLETED.items(), start=610):
        if answer is None:
            continue
        choice, reasons = answer
        with clock.council(minutes):
            consultations.record_opinion(
                consultation.opinions.get(body__code=code),
                actor=secretary,
                answer=choice,
                reasons=reasons,
                upload=letter(
                    f"y-kien-{code}.pdf",
                    f"Cong van tra loi hiep y - {code}",
                    f"Ve de nghi {completed.reference}",
                    "Dong y" if choice == Answer.AGREE else "Khong dong y",
                ),
            )
    with clock.council(660):
        (consultation,) = consultations.open_consultations(
            [still_open], actor=secretary, bodies=bodies, letter_number=OPEN_LETTER
        )
        police = consultation.opinions.get(body__code="cong-an")
    with clock.council(670):
        consultations.record_opinion(police, actor=secretary, answer=Answer.AGREE)
    # Now, the day after the first one's due date at the earliest: the timers record the
    # commission's silence as no objection and complete it (last, so the trail reads in order).
    consultations.close_overdue()
    count("consultations", "created")
    count("consultations", "created")
