"""Documents drafted from Word templates with merge fields (docxtpl): the council's minutes and
the draft decision of a session, and a dossier's achievement report.

Each kind of document has one set of merge fields, shown by `SAMPLES` (sample data with every
field a template may use). A template is rendered strictly: a field Laurel does not fill is an
error, never an empty gap, so an administrator's upload is rendered against the sample before
it is accepted (`check`). The documents are set in Vietnamese, the language the acts are signed
in, whatever the reader's language, as the PDFs (honours_public/documents.py)."""

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate, Listing
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from nominations.exceptions import TransitionRefused
from nominations.models import Nomination
from nominations.people import display_name

from .models import CouncilSession, DocumentKind, DocumentTemplate, DraftDocument

BUILT_IN = Path(__file__).resolve().parent / "docx_templates"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

OUTCOMES = {
    "approved": "Tán thành",
    "rejected": "Không tán thành",
    "deferred": "Hoãn xét",
    "withdrawn": "Rút khỏi chương trình",
    "pending": "Chưa biểu quyết",
}
NUMBER_PLACEHOLDER = "……/{year}/QĐ-{code}"
REQUEST_NUMBER_PLACEHOLDER = "……/{year}/TTr-{code}"
SIGNER_TITLE = "Thủ trưởng cơ quan"


def _day(d: date) -> dict:
    return {"day": f"{d.day:02d}", "month": f"{d.month:02d}", "year": str(d.year)}


_SAMPLE_ITEM = {
    "position": 1,
    "reference": "TĐ-2026-0001",
    "nominee": "Nguyễn Thị Hương",
    "award": "Chiến sĩ thi đua cơ sở",
    "approve": 7,
    "disapprove": 1,
    "abstain": 0,
    "not_voted": 0,
    "base": 8,
    "outcome": "Tán thành",
}
_COMMON = {"place": "Hà Nội", "today": _day(date(2026, 12, 1))}
SAMPLES: dict[str, dict] = {
    DocumentKind.MINUTES: {
        **_COMMON,
        "agency": "Sở Nội vụ",
        "session_number": 3,
        "campaign": "Thi đua năm 2026",
        "date": "01/12/2026",
        "opened_at": "08:30",
        "closed_at": "10:15",
        "chair": "Trần Văn Bình",
        "secretary": "Lê Thị Mai",
        "members_present": ["Trần Văn Bình", "Lê Thị Mai"],
        "members_absent": ["Phạm Đức Anh"],
        "quorum": {"members": 3, "present": 2, "needed": 2, "rule": "2/3", "met": True},
        "items": [_SAMPLE_ITEM],
        "approved_count": 1,
    },
    DocumentKind.DRAFT_DECISION: {
        **_COMMON,
        "agency": "Sở Nội vụ",
        "agency_code": "SNV",
        "number": "……/2026/QĐ-SNV",
        "title": "Về việc khen thưởng thành tích năm 2026",
        "signer_title": SIGNER_TITLE,
        "campaign": "Thi đua năm 2026",
        "session_number": 3,
        "session_date": "01/12/2026",
        "awardees": [
            {
                "reference": "TĐ-2026-0001",
                "nominee": "Nguyễn Thị Hương",
                "unit": "Phòng Tổ chức",
                "award": "Chiến sĩ thi đua cơ sở",
            }
        ],
    },
}
_REPORT = {
    **_COMMON,
    "proposing_unit": "Phòng Tổ chức",
    "award": "Chiến sĩ thi đua cơ sở",
    "campaign": "Thi đua năm 2026",
    "reference": "TĐ-2026-0001",
    "achievements": Listing("Hoàn thành xuất sắc nhiệm vụ.\nDẫn đầu phong trào."),
    "contributions": Listing("—"),
    "initiatives": Listing("—"),
    "prior_awards": [{"year": 2025, "award": "Lao động tiên tiến", "decision_number": "012/2025"}],
}
SAMPLES[DocumentKind.REQUEST_LETTER] = {
    **_COMMON,
    "agency": "Sở Nội vụ",
    "agency_code": "SNV",
    "number": "……/2026/TTr-SNV",
    "title": "Về việc đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
    "addressed_to": "Thủ tướng Chính phủ",
    "grounds": Listing("Căn cứ kết quả họp Hội đồng Thi đua - Khen thưởng."),
    "signer_title": SIGNER_TITLE,
    "campaign": "Thi đua năm 2026",
    "nominees": [
        {
            "reference": "N-00001",
            "nominee": "Nguyễn Thị Hương",
            "unit": "Phòng Tổ chức",
            "award": "Bằng khen của Thủ tướng Chính phủ",
        }
    ],
}
SAMPLES[DocumentKind.REPORT_PERSON] = {
    **_REPORT,
    "nominee": {
        "name": "Nguyễn Thị Hương",
        "position": "Chuyên viên",
        "unit": "Phòng Tổ chức",
        "service_start": "01/09/2015",
    },
}
SAMPLES[DocumentKind.REPORT_COLLECTIVE] = {
    **_REPORT,
    "nominee": {"name": "Phòng Tổ chức", "parent": "Sở Nội vụ"},
}


def fields_of(kind: str) -> list[str]:
    """The merge fields a template of this kind may use, for the admin's help and errors."""
    return sorted(SAMPLES[kind])


def render(source, context: dict) -> bytes:
    """The template (a path or a file object) with its fields filled. Raises jinja2's
    TemplateError (UndefinedError for a field not in the context, SecurityError for an attempt
    to reach past the fields)."""
    template = DocxTemplate(source)
    # Sandboxed: an uploaded template reaches the fields it is given and nothing of Python's.
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    template.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def check(kind: str, source) -> None:
    """Render an uploaded template against the sample of its kind: a ValidationError saying
    what is wrong, in words, if it cannot be used."""
    try:
        render(source, SAMPLES[kind])
    except UndefinedError as e:
        raise ValidationError(
            _(
                "The template uses a merge field Laurel does not fill (%(error)s). "
                "The fields of this document are: %(fields)s."
            )
            % {"error": e.message, "fields": ", ".join(fields_of(kind))}
        ) from None
    except SecurityError as e:
        raise ValidationError(
            _("The template reaches beyond its merge fields (%(error)s).") % {"error": e}
        ) from None
    except TemplateError as e:
        raise ValidationError(
            _("The template's merge fields are not well formed: %(error)s.") % {"error": e}
        ) from None
    except Exception:
        raise ValidationError(_("This file is not a Word document (.docx).")) from None


def template_for(kind: str, award_type_id: int | None = None, day: date | None = None):
    """The template to draft with: the administrators' active one for this award type, else
    their active one for every award type, else the built-in one. One query."""
    day = day or timezone.localdate()
    candidates = list(DocumentTemplate.objects.active_on(day).filter(kind=kind))
    for award in (award_type_id, None):
        for template in candidates:
            if award is not None and template.award_type_id == award:
                return template.file.open("rb")
            if award is None and template.award_type_id is None:
                return template.file.open("rb")
    return BUILT_IN / f"{kind}.docx"


DOCUMENT_LANGUAGE = "vi"


class _Unfillable(Exception):
    """A template that passed its check but fails on this document's data (an index past the
    end of a list, …). Raised inside the document's language; said to the reader in theirs."""


@contextmanager
def _in_document_language():
    """Draft in the document's language; refuse an unfillable template in the reader's."""
    try:
        with translation.override(DOCUMENT_LANGUAGE):
            yield
    except _Unfillable as e:
        raise TransitionRefused(
            _(
                "The template of this document cannot be filled with its data (%(error)s); "
                "an administrator should correct it under Document templates."
            )
            % {"error": e}
        ) from None


def _draft(kind: str, context: dict, award_type_id: int | None = None) -> bytes:
    source = template_for(kind, award_type_id)
    try:
        return render(source, context)
    except TemplateError as e:
        raise _Unfillable(str(e)) from None
    finally:
        if hasattr(source, "close"):
            source.close()


# --- a council session's minutes and draft decision ---------------------------------------------


@dataclass(frozen=True)
class Drafted:
    content: bytes
    name: str


def _clock(stamp: str | None) -> str:
    if not stamp:
        return "—"
    return timezone.localtime(datetime.fromisoformat(stamp)).strftime("%H:%M ngày %d/%m/%Y")


def minutes_context(session: CouncilSession, today: date) -> dict:
    """The minutes' fields, from the minutes kept when voting closed (no query per item)."""
    minutes = session.minutes
    items = [
        {
            "position": i["position"],
            "reference": i["reference"],
            "nominee": i["nominee"],
            "award": i["award"],
            "approve": i.get("approve", "—"),
            "disapprove": i.get("disapprove", "—"),
            "abstain": i.get("abstain", "—"),
            "not_voted": i.get("not_voted", "—"),
            "base": i.get("base", "—"),
            "outcome": OUTCOMES.get(i["outcome"], i["outcome"]),
        }
        for i in minutes.get("items", [])
    ]
    attendance = minutes.get("attendance", [])
    return {
        "place": session.campaign.agency.name,
        "today": _day(today),
        "agency": session.campaign.agency.name,
        "session_number": session.pk,
        "campaign": minutes.get("campaign", str(session.campaign)),
        "date": session.scheduled_on.strftime("%d/%m/%Y"),
        "opened_at": _clock(minutes.get("opened_at")),
        "closed_at": _clock(minutes.get("closed_at")),
        "chair": minutes.get("chair", ""),
        "secretary": minutes.get("secretary", ""),
        "members_present": [a["member"] for a in attendance if a["present"]],
        "members_absent": [a["member"] for a in attendance if not a["present"]],
        "quorum": minutes.get("quorum", {}),
        "items": items,
        "approved_count": sum(1 for i in minutes.get("items", []) if i["outcome"] == "approved"),
    }


def decision_context(session: CouncilSession, today: date) -> tuple[dict, set[int]]:
    """The draft decision's fields: the awardees the council approved at this session, with a
    number left blank until it is signed. One query for their proposing units."""
    approved = [i for i in session.minutes.get("items", []) if i["outcome"] == "approved"]
    nominations = {
        n.pk: n
        for n in Nomination.objects.filter(
            pk__in=[i["nomination"] for i in approved]
        ).select_related("proposing_unit")
    }
    agency = session.campaign.agency
    awardees = [
        {
            "reference": i["reference"],
            "nominee": i["nominee"],
            "unit": str(nominations[i["nomination"]].proposing_unit)
            if i["nomination"] in nominations
            else "—",
            "award": i["award"],
        }
        for i in approved
    ]
    award_types = {n.award_type_id for n in nominations.values()}
    context = {
        "place": agency.name,
        "today": _day(today),
        "agency": agency.name,
        "agency_code": agency.code.upper(),
        "number": NUMBER_PLACEHOLDER.format(year=today.year, code=agency.code.upper()),
        "title": f"Về việc khen thưởng — {session.campaign}",
        "signer_title": SIGNER_TITLE,
        "campaign": str(session.campaign),
        "session_number": session.pk,
        "session_date": session.scheduled_on.strftime("%d/%m/%Y"),
        "awardees": awardees,
    }
    return context, award_types


def session_draft(session: CouncilSession, kind: str, today: date) -> Drafted:
    """A closed session's minutes or draft decision, drafted afresh from the template."""
    with _in_document_language():
        return _session_draft(session, kind, today)


def _session_draft(session: CouncilSession, kind: str, today: date) -> Drafted:
    if kind == DocumentKind.MINUTES:
        content = _draft(kind, minutes_context(session, today))
        return Drafted(content, f"bien-ban-hop-hoi-dong-{session.pk}.docx")
    context, award_types = decision_context(session, today)
    # A template for one award type serves a decision whose awardees all receive that award.
    award = next(iter(award_types)) if len(award_types) == 1 else None
    content = _draft(kind, context, award)
    return Drafted(content, f"du-thao-quyet-dinh-phien-{session.pk}.docx")


def latest_drafts(session: CouncilSession) -> dict[str, DraftDocument]:
    """The newest edited draft of each kind for the session. One query."""
    latest: dict[str, DraftDocument] = {}
    for draft in session.drafts.select_related("uploaded_by", "decision__agency"):
        latest.setdefault(draft.kind, draft)
    return latest


# --- a dossier's achievement report -----------------------------------------------------------


def achievement_report(nomination, profile, prior_awards: list, today: date) -> Drafted:
    """The achievement report as DOCX, from the dossier, with the fields of the PDF, laid out
    as the forms in the annex of Decree 152/2025/NĐ-CP (one for an individual, one for a
    collective)."""
    with _in_document_language():
        return _achievement_report(nomination, profile, prior_awards, today)


def _achievement_report(nomination, profile, prior_awards: list, today: date) -> Drafted:
    person = nomination.nominee_person_id is not None
    if person:
        kind = DocumentKind.REPORT_PERSON
        nominee = {
            "name": display_name(nomination.nominee_person),
            "position": getattr(profile, "position", "") or "—",
            "unit": str(getattr(profile, "unit", None) or nomination.proposing_unit),
            "service_start": profile.service_start.strftime("%d/%m/%Y")
            if getattr(profile, "service_start", None)
            else "—",
        }
    else:
        kind = DocumentKind.REPORT_COLLECTIVE
        unit = nomination.nominee_unit
        nominee = {"name": str(unit), "parent": str(unit.parent) if unit.parent_id else "—"}
    context = {
        "place": str(nomination.proposing_unit),
        "today": _day(today),
        "proposing_unit": str(nomination.proposing_unit),
        "award": str(nomination.award_type),
        "campaign": str(nomination.campaign),
        "reference": nomination.reference,
        "nominee": nominee,
        "achievements": Listing(nomination.achievements or "—"),
        "contributions": Listing(nomination.contributions or "—"),
        "initiatives": Listing(nomination.initiatives or "—"),
        "prior_awards": [
            {"year": a.year, "award": str(a.award_type), "decision_number": a.decision_number}
            for a in prior_awards
        ],
    }
    content = _draft(kind, context, nomination.award_type_id)
    return Drafted(content, f"bao-cao-thanh-tich-{nomination.reference}.docx")


# --- a request letter to the higher level (tờ trình) ------------------------------------------


def request_letter(request, entries: list, today: date) -> Drafted:
    """The request letter (`approvals.forwarding`), drafted from the template: the nominees it
    names, the level it is addressed to, and its number once signed (left blank before)."""
    with _in_document_language():
        return _request_letter(request, entries, today)


def request_letter_context(request, entries: list, today: date) -> dict:
    """What the request letter says, whichever its format (this DOCX; the PDF of
    `honours_public.documents`). Read in the document's language."""
    agency = request.agency
    code = agency.code.upper()
    nominees = [
        {
            "reference": e.nomination.reference,
            "nominee": e.nomination.nominee_name,
            "unit": str(e.nomination.proposing_unit),
            "award": str(e.nomination.award_type),
        }
        for e in entries
    ]
    return {
        "place": agency.name,
        "today": _day(today),
        "agency": agency.name,
        "agency_code": code,
        "number": request.reference
        or REQUEST_NUMBER_PLACEHOLDER.format(year=today.year, code=code),
        "title": request.title,
        "addressed_to": request.addressed_to,
        "grounds": Listing(request.grounds or "—"),
        "signer_title": SIGNER_TITLE,
        "campaign": str(request.campaign),
        "nominees": nominees,
    }


def _request_letter(request, entries: list, today: date) -> Drafted:
    context = request_letter_context(request, entries, today)
    award_types = {e.nomination.award_type_id for e in entries}
    # A template for one award type serves a request whose nominees are all proposed for it.
    award = next(iter(award_types)) if len(award_types) == 1 else None
    content = _draft(DocumentKind.REQUEST_LETTER, context, award)
    name = (
        f"to-trinh-{request.number:03d}-{request.year}.docx"
        if request.number
        else (f"du-thao-to-trinh-{request.pk}.docx")
    )
    return Drafted(content, name)
