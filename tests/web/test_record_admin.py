"""The record in the admin: every kind listed; awards imported or entered can be corrected, those
written by a signed decision cannot; registrations are made on their page (audited), not here."""

import datetime

import pytest
from django.urls import reverse

from nominations.models import ConferredAward, EmulationRegistration, RecordSource
from tests.factories import UserFactory

PAST = datetime.date.today().year - 2


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _award(world, source):
    return ConferredAward.objects.create(
        award_type=world.short,
        year=PAST,
        person=world.staff,
        decision_number="5/QĐ",
        conferred_on=datetime.date(PAST, 12, 1),
        source=source,
    )


@pytest.mark.parametrize(
    "model",
    [
        "annualrating",
        "initiative",
        "disciplinarymeasure",
        "emulationregistration",
        "conferredaward",
    ],
)
def test_every_kind_of_record_is_listed(admin_client, world, model):
    assert admin_client.get(reverse(f"admin:nominations_{model}_changelist")).status_code == 200


def _post(admin_client, award, number):
    return admin_client.post(
        reverse("admin:nominations_conferredaward_change", args=[award.pk]),
        {
            "award_type": award.award_type_id,
            "year": award.year,
            "person": award.person_id,
            "unit": "",
            "decision_number": number,
            "conferred_on": award.conferred_on.isoformat(),
        },
    )


def test_an_imported_award_can_be_corrected(admin_client, world):
    award = _award(world, RecordSource.IMPORTED)
    assert _post(admin_client, award, "5/QĐ-VP").status_code == 302
    award.refresh_from_db()
    assert award.decision_number == "5/QĐ-VP" and award.source == RecordSource.IMPORTED


def test_an_award_written_by_a_decision_is_read_only(admin_client, world):
    award = _award(world, RecordSource.WORKFLOW)
    page = admin_client.get(reverse("admin:nominations_conferredaward_change", args=[award.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert _post(admin_client, award, "changed").status_code == 403
    award.refresh_from_db()
    assert award.decision_number == "5/QĐ"
    delete = reverse("admin:nominations_conferredaward_delete", args=[award.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ConferredAward.objects.filter(pk=award.pk).exists()


def test_an_award_entered_in_the_admin_is_marked_entered(admin_client, world):
    response = admin_client.post(
        reverse("admin:nominations_conferredaward_add"),
        {
            "award_type": world.short.pk,
            "year": PAST,
            "person": world.staff.pk,
            "unit": "",
            "decision_number": "8/QĐ",
            "conferred_on": f"{PAST}-12-01",
        },
    )
    assert response.status_code == 302
    assert ConferredAward.objects.get().source == RecordSource.ENTERED


def test_registrations_are_not_made_in_the_admin(admin_client, world):
    assert (
        admin_client.get(reverse("admin:nominations_emulationregistration_add")).status_code == 403
    )
    assert not EmulationRegistration.objects.exists()
