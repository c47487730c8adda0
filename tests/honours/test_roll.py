"""The public honour roll and its Atom feed: reachable without login, listing the awards signed
decisions conferred (revoked ones as revoked, with the revoking decision), filtered by year, unit
and award, and nothing a published decision does not print."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from approvals import outcomes, verification
from nominations.models import ConferredAward, RecordSource
from tests.factories import AwardTypeFactory, UnitFactory, person

from .conftest import ACHIEVEMENTS

ATOM = "{http://www.w3.org/2005/Atom}"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _roll(client, **filters):
    response = client.get(reverse("honour_roll"), filters)
    assert response.status_code == 200
    return response


def test_the_roll_is_public_and_names_each_award_with_its_decision(client, world, awarded):
    decision = awarded(first_name="Thị Hồng", last_name="Lê")
    code = verification.code_of(decision)

    response = _roll(client)  # nobody logged in

    text = _text(response)
    assert decision.entries.get().nomination.nominee_name in text
    assert str(world.short) in text
    assert str(world.unit) in text
    signed_on = date_format(timezone.localdate(decision.signed_at), "SHORT_DATE_FORMAT")
    assert f"Decision {decision.reference} of {signed_on}" in text
    html = response.content.decode()
    assert reverse("honour_decision_pdf", args=[code]) in html
    assert reverse("honour_certificate_pdf", args=[code, 1]) in html
    assert reverse("honour_verify_code", args=[code]) in html


def test_the_roll_shows_a_revoked_award_as_revoked_with_the_revoking_decision(
    client, world, awarded
):
    decision = awarded(count=2)
    revoked, kept = [e.nomination for e in decision.entries.order_by("id")]
    correction = outcomes.sign_correction(
        decision, actor=world.signer, revoke=[revoked], reasons="Kê khai không trung thực."
    )

    response = _roll(client)

    rows = re.findall(
        r'<li class="list-group-item honour[^"]*".*?</li>', response.content.decode(), re.S
    )
    assert len(rows) == 2
    (revoked_row,) = [r for r in rows if "honour-revoked" in r]
    assert revoked.nominee_name in revoked_row
    assert correction.reference in revoked_row
    assert reverse("honour_verify_code", args=[verification.code_of(correction)]) in revoked_row
    (kept_row,) = [r for r in rows if "honour-revoked" not in r]
    assert kept.nominee_name in kept_row and "Revoked" not in kept_row
    # The grounds of the correction are not the roll's to show.
    assert "Kê khai" not in response.content.decode()


def test_the_roll_filters_by_year_unit_and_award(client, world, awarded):
    elsewhere = UnitFactory(code="unit-c", parent=world.department)
    here = awarded(first_name="Ở", last_name="Đây")
    other_award = AwardTypeFactory(code="other", stages=[s.stage for s in world.short.route.all()])
    there = awarded(award_type=other_award, first_name="Ở", last_name="Kia")
    assert here.entries.get().nomination.proposing_unit == world.unit
    past = ConferredAward.objects.create(
        award_type=world.short,
        year=2019,
        person=person(elsewhere, first_name="Năm", last_name="Cũ"),
        decision_id=here.pk,  # (a row of the same decision, only its year differs)
        decision_number=here.reference,
        conferred_on=timezone.localdate(),
    )
    this_year = world.campaign.year

    def names(**filters):
        return {
            a.person.get_full_name() for a in _roll(client, **filters).context["page"].object_list
        }

    everyone = {"Ở Đây", "Ở Kia", "Năm Cũ"}
    assert names() == everyone
    assert names(year=this_year) == {"Ở Đây", "Ở Kia"}
    assert names(year=2019) == {"Năm Cũ"}
    assert names(award=other_award.pk) == {"Ở Kia"}
    assert names(award=world.short.pk, year=this_year) == {"Ở Đây"}
    # A unit stands for its whole subtree: the proposing unit's, or the collective's.
    assert names(unit=world.department.pk) == {"Ở Đây", "Ở Kia"}
    assert names(unit=world.other_unit.pk) == set()
    # A filter that is not a choice is ignored, never an error page.
    assert names(unit="x", year="abc", award="999999") == everyone
    assert there and past


def test_imported_records_are_not_on_the_roll(client, world, awarded):
    awarded(first_name="Có", last_name="Quyết Định")
    ConferredAward.objects.create(
        award_type=world.short,
        year=2020,
        person=person(world.unit, first_name="Nhập", last_name="Từ Hồ Sơ"),
        decision_number="12/QĐ-CŨ",
        conferred_on=timezone.localdate(),
        source=RecordSource.IMPORTED,
    )
    text = _text(_roll(client))
    assert "Quyết Định" in text
    assert "Từ Hồ Sơ" not in text and "12/QĐ-CŨ" not in text


def test_the_roll_shows_nothing_that_is_not_public(client, world, voted):
    decision, nomination = voted()
    html = _roll(client).content.decode()
    assert nomination.nominee_name in html
    for private in (
        ACHIEVEMENTS[:30],
        "Hoàn thành xuất sắc",  # the dossier's achievements
        decision.reasons,  # the grounds as written (the council's vote count)
        nomination.reference,  # internal ids: the nomination's reference and pages
        "/nominations/",
        "/people/",
        "/council/",
    ):
        assert private not in html
    assert not re.search(r"ballot|quorum|abstain|tally|votes?\b|phiếu", html, re.I)


def test_the_feed_lists_newly_conferred_awards_in_atom(client, world, awarded):
    decision = awarded(first_name="Văn", last_name="Bình")
    response = client.get(reverse("honour_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert "Văn Bình" in entry.findtext(f"{ATOM}title")
    assert str(world.short) in entry.findtext(f"{ATOM}title")
    assert decision.reference in entry.findtext(f"{ATOM}summary")
    code = verification.code_of(decision)
    assert reverse("honour_verify_code", args=[code]) in entry.find(f"{ATOM}link").get("href")
    assert ACHIEVEMENTS[:20] not in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_roll_and_the_feed_cost_the_same_queries_however_many_awards(client, world, awarded):
    awarded(count=1)
    roll_url = reverse("honour_roll") + f"?year={world.campaign.year}&unit={world.agency.pk}"
    few = {
        url: _queries(client, url)
        for url in (reverse("honour_roll"), roll_url, reverse("honour_feed"))
    }
    awarded(count=4)
    awarded(count=3)
    outcomes.sign_correction(
        awarded(count=2),
        actor=world.signer,
        revoke=[ConferredAward.objects.order_by("-id").first().nomination],
        reasons="Sai hồ sơ.",
    )
    many = {url: _queries(client, url) for url in few}
    assert many == few
    assert ConferredAward.objects.count() == 10


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_roll_names_awards_and_units_in_the_readers_language(client, world, awarded, language):
    world.unit.name_vi, world.unit.name_en = "Phòng Thi đua – Khen thưởng", "Commendation Division"
    world.unit.save()
    world.short.name_vi, world.short.name_en = "Lao động tiên tiến", "Advanced Worker"
    world.short.save()
    awarded()
    client.cookies["django_language"] = language
    html = client.get(reverse("honour_roll"), headers={"accept-language": language}).content
    html = html.decode()
    assert f'<html lang="{language}">' in html
    shown, hidden = (
        (("Lao động tiên tiến", "Phòng Thi đua – Khen thưởng"), ("Advanced Worker",))
        if language == "vi"
        else (("Advanced Worker", "Commendation Division"), ("Lao động tiên tiến",))
    )
    for name in shown:
        assert name in html
    for name in hidden:
        assert name not in html
