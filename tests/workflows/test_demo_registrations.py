"""The demo's emulation registrations: the titles that require registration are proposed only
for registered nominees, and one person is left unregistered so that the refusal can be seen."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from demo import data as demo
from demo.record import UNREGISTERED
from nominations.models import AwardType, Campaign, EmulationRegistration, Nomination, Unit

from .test_seed_demo import seeded

__all__ = ["seeded"]


def test_the_emulation_titles_require_registration_and_their_nominees_are_registered(seeded):
    requiring = set(
        AwardType.objects.filter(requires_registration=True).values_list("code", flat=True)
    )
    assert requiring == {demo.CSTD, demo.TTTT, demo.TTXS}
    year = Campaign.objects.get().year
    for n in Nomination.objects.filter(award_type__code__in=requiring):
        holder = {"person": n.nominee_person} if n.nominee_person_id else {"unit": n.nominee_unit}
        assert EmulationRegistration.objects.filter(year=year, **holder).exists(), n.reference
    registered = EmulationRegistration.objects.filter(year=year).count()
    assert AuditEvent.objects.filter(action=Event.REGISTRATION_RECORDED).count() == registered
    assert not EmulationRegistration.objects.filter(person__username=UNREGISTERED).exists()


def test_proposing_the_unregistered_demo_person_for_a_fighter_title_says_how_to_register(
    seeded, client
):
    client.force_login(get_user_model().objects.get(username="proposer2"))
    unit = Unit.objects.get(code="vu-hanh-chinh")
    person = Nomination.objects.filter(nominee_person__username=UNREGISTERED).first().nominee_person
    response = client.post(
        reverse("nomination_create"),
        {
            "campaign": Campaign.objects.get().pk,
            "award_type": AwardType.objects.get(code=demo.CSTD).pk,
            "proposing_unit": unit.pk,
            "nominee_person": person.pk,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        },
    )
    assert response.status_code == 400
    assert "is not registered for the emulation movement" in response.content.decode()
