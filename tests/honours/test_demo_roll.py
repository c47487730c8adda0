"""The demo's honour roll: reachable without login, it lists every award the demo's signed
decision conferred, and the decision's code verifies it and prints its PDF."""

import io
import re
import unicodedata

import pypdf
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from approvals import verification
from approvals.models import SignedDecision
from nominations.models import ConferredAward, Revocation
from nominations.people import display_name
from tests.workflows.test_seed_demo import run_seed


def test_the_demo_roll_shows_the_demos_awards_and_their_decision_verifies(db, client):
    run_seed()
    decision = SignedDecision.objects.get(corrects__isnull=True)
    awards = list(
        ConferredAward.objects.filter(decision_id=decision.pk).select_related("person", "unit")
    )
    assert len(awards) >= 2
    holders = [display_name(a.person) if a.person else str(a.unit) for a in awards]

    html = client.get(reverse("honour_roll")).content.decode()  # nobody logged in
    shown = re.findall(r'<span class="fw-semibold holder">([^<]+)</span>', html)
    assert sorted(shown) == sorted(holders)
    assert html.count(decision.reference) >= len(awards)
    (correction,) = SignedDecision.objects.filter(corrects=decision)
    assert html.count(correction.reference) == 1  # the one award it revoked

    code = verification.code_of(decision)
    page = client.get(reverse("honour_verify_code", args=[code]))
    assert page.status_code == 200 and page.context["found"].link_intact

    pdf = client.get(reverse("honour_decision_pdf", args=[code]))
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    assert decision.title in text
    assert decision.reference in text and verification.grouped(code) in text
    with translation.override("vi"):  # the document's language
        for award in awards:
            assert (display_name(award.person) if award.person else str(award.unit)) in text


def test_the_demos_revoked_award_is_on_the_roll_and_on_the_holders_record(db, client):
    run_seed()
    revocation = Revocation.objects.select_related("award__person").get()
    award = revocation.award
    assert revocation.status == Revocation.Status.REVOKED
    assert award.revoked_at and award.revoked_by_number == revocation.decision_number
    holder = display_name(award.person)

    html = client.get(reverse("honour_roll")).content.decode()  # nobody logged in
    rows = re.findall(r'<li class="list-group-item honour[^"]*".*?</li>', html, re.S)
    (revoked,) = [r for r in rows if "honour-revoked" in r]
    assert holder in revoked and revocation.decision_number in revoked

    users = {u.username: u for u in get_user_model().objects.all()}
    client.force_login(users["secretary"])
    record = client.get(reverse("person_record", args=[award.person.pk])).content.decode()
    (block,) = re.findall(r'<div class="revocation.*?</div>', record, re.S)
    assert 'data-status="revoked"' in block
    assert revocation.decision_number in block
    assert "Certificate returned on" in block
    assert "Money to recover: 702,000 VND; recovered: 702,000 VND" in block
