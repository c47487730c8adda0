"""The signed decision and each award's certificate as PDF (WeasyPrint).

Documents are the published act: they are set in Vietnamese, the language the decision is signed
in, whatever the reader's language, with Be Vietnam Pro (static/fonts, SIL Open Font License,
OFL.txt beside it) so that every diacritic is drawn from one font. WeasyPrint reads nothing but
that font: any other address a template might name is refused, never fetched."""

from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from approvals import drafting, verification

FONTS = (Path(settings.BASE_DIR) / "static" / "fonts").resolve()
DOCUMENT_LANGUAGE = "vi"


class _FontsOnly(URLFetcher):
    """Fetch files under static/fonts and nothing else (no network, no other file)."""

    def fetch(self, url, headers=None):
        if not url.startswith("file://"):
            raise ValueError(f"documents fetch no {url}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(FONTS):
            raise ValueError(f"documents fetch no {url}")
        return super().fetch(path.as_uri(), headers)


def _pdf(template: str, context: dict) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(template, {**context, "fonts": FONTS.as_uri()})
    return HTML(string=html, base_url=FONTS.as_uri() + "/", url_fetcher=_FontsOnly()).write_pdf()


def qr_code(url: str):
    """The verification address as a QR code, inline SVG drawn by segno from the address alone."""
    return mark_safe(segno.make(url, error="m").svg_inline(border=0, omitsize=True))


def decision_pdf(found: verification.Verified, verify_url: str) -> bytes:
    return _pdf(
        "honours/documents/decision.html",
        {
            "found": found,
            "decision": found.decision,
            "code": verification.grouped(found.code),
            "verify_url": verify_url,
            "qr": qr_code(verify_url),
            "awards": list({a.award_type_id: a.award_type for a in found.conferred}.values()),
        },
    )


def certificate_pdf(found: verification.Verified, award, verify_url: str) -> bytes:
    return _pdf(
        "honours/documents/certificate.html",
        {
            "found": found,
            "decision": found.decision,
            "award": award,
            "code": verification.grouped(found.code),
            "verify_url": verify_url,
            "qr": qr_code(verify_url),
        },
    )


def achievement_report_pdf(nomination, prior_awards: list, today) -> bytes:
    """The achievement report (báo cáo thành tích) drawn from the dossier, laid out as the
    decree's templates lay it out: who the nominee is, the achievements, the awards already
    received, and the places to sign."""
    profile = (
        getattr(nomination.nominee_person, "profile", None)
        if nomination.nominee_person_id
        else None
    )
    return _pdf(
        "honours/documents/achievement_report.html",
        {
            "nomination": nomination,
            "profile": profile,
            "prior_awards": prior_awards,
            "today": today,
            "code": nomination.reference,
        },
    )


def request_letter_pdf(request, entries: list, today) -> bytes:
    """The request to the higher level (tờ trình) as PDF: what its Word draft says
    (`drafting.request_letter_context`), laid out as the letter is, for reading and printing."""
    with translation.override(DOCUMENT_LANGUAGE):
        letter = drafting.request_letter_context(request, entries, today)
    return _pdf(
        "honours/documents/request_letter.html",
        {"letter": letter, "forward_request": request, "when": today},
    )
