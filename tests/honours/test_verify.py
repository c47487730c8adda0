"""The verification code: derived from the audit event that recorded the decision's signature as
docs/CHAIN.md says, printed on the decision page, and answered by a public page with the
decision, its awards and the chain checked around it — or "unknown"."""

import base64
import hashlib
import hmac
import re

import pytest
from django.urls import reverse

from approvals import outcomes, verification
from audit import integrity
from audit.events import Event
from audit.models import AuditEvent

from .conftest import ACHIEVEMENTS


def _signature_event(decision) -> AuditEvent:
    return AuditEvent.objects.get(
        action=Event.DECISION_SIGNED, subject_type="signed_decision", subject_id=str(decision.pk)
    )


def test_the_code_is_the_one_docs_chain_specifies(world, awarded):
    decision = awarded()
    event = _signature_event(decision)
    # docs/CHAIN.md, "Verification codes", recomputed here by its words alone.
    message = f"laurel-decision-code-v1:{decision.reference}:{event.seq}".encode()
    mac = hmac.new(event.hash.encode("ascii"), message, hashlib.sha256).digest()
    expected = base64.b32encode(mac).decode("ascii")[:10]
    assert verification.code_of(decision) == expected
    assert re.fullmatch(r"[A-Z2-7]{10}", expected)


def test_each_decision_has_its_own_code(world, awarded):
    first, second = awarded(), awarded()
    codes = verification.codes_of_ids([first.pk, second.pk])
    assert codes[first.pk] != codes[second.pk]
    assert verification.lookup(codes[second.pk]).decision == second


def test_the_code_is_read_as_people_type_it(world, awarded):
    decision = awarded()
    code = verification.code_of(decision)
    typed = f" {code[:5].lower()}-{code[5:]} ".replace("O", "0").replace("I", "1")
    assert verification.lookup(typed).decision == decision
    assert verification.lookup(code[:9]) is None
    assert verification.lookup("") is None


def test_the_decision_page_prints_the_code_and_links_the_pdf(client, world, awarded):
    decision = awarded()
    code = verification.code_of(decision)
    client.force_login(world.staff)
    html = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert f">{verification.grouped(code)}<" in html
    assert reverse("honour_decision_pdf", args=[code]) in html
    assert reverse("honour_verify_code", args=[code]) in html


def test_a_valid_code_shows_the_decision_its_awards_and_the_chain_checked(client, world, awarded):
    decision = awarded(count=2)
    code = verification.code_of(decision)
    integrity.run_verification(triggered_by="test")

    response = client.get(reverse("honour_verify_code", args=[verification.grouped(code)]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="valid"' in html
    assert f'data-testid="decision-number">{decision.reference}<' in html
    assert decision.title in html
    for entry in decision.entries.all():
        assert entry.nomination.nominee_name in html
    found = response.context["found"]
    assert found.link_intact and found.last_run is not None
    assert "intact" in html and "last verified intact" in html
    assert reverse("honour_certificate_pdf", args=[code, 2]) in html


def test_the_form_sends_the_typed_code_to_its_page(client, world, awarded):
    code = verification.code_of(awarded())
    response = client.get(reverse("honour_verify"), {"code": code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("honour_verify_code", args=[code])


def test_an_unknown_code_is_answered_unknown(client, world, awarded):
    awarded()
    response = client.get(reverse("honour_verify_code", args=["AAAAA-BBBBB"]))
    assert response.status_code == 404
    assert 'data-testid="unknown"' in response.content.decode()
    assert "AAAAA-BBBBB" in response.content.decode()
    assert response.context["found"] is None


def test_a_correction_is_verified_with_the_awards_it_revoked(client, world, awarded):
    decision = awarded(count=2)
    revoked = decision.entries.order_by("id").first().nomination
    correction = outcomes.sign_correction(
        decision, actor=world.signer, revoke=[revoked], reasons="Kê khai không trung thực."
    )

    html = client.get(
        reverse("honour_verify_code", args=[verification.code_of(correction)])
    ).content.decode()
    assert correction.reference in html and decision.reference in html
    (row,) = re.findall(r'<li class="list-group-item" data-testid="revoked">.*?</li>', html, re.S)
    assert revoked.nominee_name in row
    assert "Kê khai" not in html  # the grounds are not the page's to show

    # The first decision's page says which of its awards was revoked, and by which decision.
    html = client.get(
        reverse("honour_verify_code", args=[verification.code_of(decision)])
    ).content.decode()
    assert f"Revoked by decision {correction.reference}" in html


def test_the_page_shows_nothing_that_is_not_public(client, world, voted):
    decision, nomination = voted()
    event = _signature_event(decision)
    html = client.get(
        reverse("honour_verify_code", args=[verification.code_of(decision)])
    ).content.decode()
    assert nomination.nominee_name in html
    for private in (
        ACHIEVEMENTS[:20],
        "Hoàn thành xuất sắc",  # the dossier
        decision.reasons,  # the grounds as written
        nomination.reference,  # internal ids
        event.hash,
        f"#{event.seq}",
        "/nominations/",
        "/people/",
        "/council/",
        "/inspector/",
    ):
        assert private not in html
    assert not re.search(r"ballot|quorum|abstain|tally|votes?\b|phiếu", html, re.I)


@pytest.mark.parametrize("broken", ["its own hash", "the link before it"])
def test_a_signature_record_that_does_not_hash_is_reported_broken(world, awarded, broken):
    code = verification.code_of(awarded())
    found = verification.lookup(code)
    assert found.link_intact
    # What the verifier reads: the two events' rows. Alter one value of each in turn.
    rows = list(
        AuditEvent.objects.filter(seq__in=[found.seq - 1, found.seq])
        .order_by("seq")
        .values_list(*verification.verify.ROW_FIELDS)
    )
    index = 1 if broken == "its own hash" else 0
    altered = list(rows[index])
    altered[3 + verification.chain.BODY_FIELDS.index("comment")] = "altered"
    rows[index] = tuple(altered)
    assert not verification.rows_intact(rows, found.seq)
