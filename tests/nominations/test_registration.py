"""Emulation registration: a unit's proposer registers its people and collectives for a year;
a title whose award type requires registration is proposed (drafted, its nominee or award type
changed) and submitted or resubmitted only for a nominee registered for the campaign's year."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.events import Event
from audit.models import AuditEvent
from nominations import registration
from nominations import services as dossier
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import EmulationRegistration, Nomination
from nominations.stages import Status
from tests.factories import person
from workflows import services


@pytest.fixture
def registered(world):
    """register(*holders, year=campaign's): the unit's proposer registers them."""

    def _register(*holders, year=None, commitments="Hoàn thành xuất sắc nhiệm vụ."):
        people = [h for h in holders if not hasattr(h, "path")]
        units = [h for h in holders if hasattr(h, "path")]
        return registration.register(
            actor=world.proposer,
            unit=world.unit,
            year=year or world.campaign.year,
            people=people,
            collectives=units,
            commitments=commitments,
        )

    return _register


@pytest.fixture
def fighter(world):
    """The full route's title, now requiring registration (as an emulation title does)."""
    world.full.requires_registration = True
    world.full.save()
    return world.full


def _draft(world, **kwargs):
    values = {
        "actor": world.proposer,
        "campaign": world.campaign,
        "award_type": world.full,
        "proposing_unit": world.unit,
        "nominee_person": world.staff,
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
        **kwargs,
    }
    return dossier.create_draft(**values)


# --- the rule ------------------------------------------------------------------------------


def test_an_unregistered_person_cannot_be_proposed_for_a_title_that_requires_registration(
    world, fighter
):
    with pytest.raises(InvalidInput) as refused:
        _draft(world)
    year = world.campaign.year
    assert f"is not registered for the emulation movement of {year}" in refused.value.message
    assert world.staff.get_full_name() in refused.value.message
    # and how to register
    assert "Emulation registration, in the menu under their name, then Register" in (
        refused.value.message
    )
    assert not Nomination.objects.exists()


def test_a_registered_person_can_be_proposed(world, fighter, registered):
    registered(world.staff)
    assert _draft(world).status == Status.DRAFT


def test_a_registration_for_another_year_does_not_count(world, fighter, registered):
    registered(world.staff, year=world.campaign.year - 1)
    with pytest.raises(InvalidInput, match="not registered"):
        _draft(world)


def test_titles_that_do_not_require_registration_are_proposed_without(world):
    assert _draft(world, award_type=world.short).status == Status.DRAFT


def test_a_collective_must_be_registered_too(world, registered):
    world.collective.requires_registration = True
    world.collective.save()
    draft = {"award_type": world.collective, "nominee_person": None, "nominee_unit": world.unit}
    with pytest.raises(InvalidInput, match="not registered"):
        _draft(world, **draft)
    registered(world.unit)
    assert _draft(world, **draft).nominee_unit == world.unit


def test_changing_the_nominee_or_the_award_type_to_one_needing_registration_is_refused(
    world, fighter, registered
):
    registered(world.staff)
    nomination = _draft(world)
    other = person(world.unit, username="other")
    with pytest.raises(InvalidInput, match="not registered"):
        dossier.update_dossier(nomination, actor=world.proposer, changes={"nominee_person": other})
    unregistered = _draft(world, award_type=world.short, nominee_person=other)
    with pytest.raises(InvalidInput, match="not registered"):
        dossier.update_dossier(
            unregistered, actor=world.proposer, changes={"award_type": world.full}
        )
    assert Nomination.objects.get(pk=nomination.pk).nominee_person == world.staff
    assert Nomination.objects.get(pk=unregistered.pk).award_type == world.short


def test_editing_the_rest_of_the_dossier_does_not_ask_again(world, fighter, registered):
    registered(world.staff)
    nomination = _draft(world)
    EmulationRegistration.objects.all().delete()  # (an administrator's correction)
    edited = dossier.update_dossier(
        nomination, actor=world.proposer, changes={"achievements": "Bổ sung số liệu."}
    )
    assert edited.achievements == "Bổ sung số liệu."


def test_submitting_an_unregistered_nominee_is_refused_and_changes_nothing(world, draft, fighter):
    # Drafted before the award type required registration; the rule holds at submission.
    events = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused, match="not registered for the emulation movement"):
        services.submit(draft, actor=world.proposer)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and AuditEvent.objects.count() == events
    assert not draft.tasks.exists()


def test_resubmitting_an_unregistered_nominee_is_refused(world, walk, draft, fighter, registered):
    registered(world.staff)
    returned = walk(draft, "submit", "return_for_revision")
    EmulationRegistration.objects.all().delete()
    with pytest.raises(TransitionRefused, match="not registered"):
        services.resubmit(returned, actor=world.proposer)
    registered(world.staff)
    assert services.resubmit(returned, actor=world.proposer).status == Status.UNIT_REVIEW


def test_the_check_costs_one_query_and_only_for_a_title_that_requires_registration(
    world, draft, fighter
):
    draft = Nomination.objects.lock(draft)  # as `_act` has it: award type and campaign loaded
    with CaptureQueriesContext(connection) as ctx:
        assert registration.refusal(draft)
    assert len(ctx.captured_queries) == 1
    draft.award_type.requires_registration = False
    with CaptureQueriesContext(connection) as ctx:
        assert registration.refusal(draft) is None
    assert len(ctx.captured_queries) == 0


# --- registering ---------------------------------------------------------------------------


def test_registering_records_each_registration_and_audits_it(world, registered):
    made = registered(world.staff, world.unit, commitments="Đạt Lao động tiên tiến.")
    assert {(r.person, r.unit) for r in made} == {(world.staff, None), (None, world.unit)}
    assert all(r.registered_by == world.proposer and r.registering_unit == world.unit for r in made)
    events = AuditEvent.objects.filter(action=Event.REGISTRATION_RECORDED).order_by("seq")
    assert [e.subject_id for e in events] == [str(r.pk) for r in made]
    assert events[0].comment == "Đạt Lao động tiên tiến."
    assert events[0].data["year"] == world.campaign.year and events[0].role == "unit_proposer"


def test_someone_already_registered_refuses_the_whole_list_naming_them(world, registered):
    other = person(world.unit, username="other")
    registered(world.staff)
    with pytest.raises(InvalidInput, match="Already registered") as refused:
        registered(other, world.staff)
    assert world.staff.get_full_name() in refused.value.message
    assert not EmulationRegistration.objects.filter(person=other).exists()


def test_only_the_units_proposer_registers_its_own_people(world):
    with pytest.raises(NotAllowed):
        registration.register(
            actor=world.unit_head,
            unit=world.unit,
            year=world.campaign.year,
            people=[world.staff],
            commitments="x",
        )
    outsider = person(world.other_unit, username="outsider")
    with pytest.raises(InvalidInput, match="Only people and collectives of"):
        registration.register(
            actor=world.proposer,
            unit=world.unit,
            year=world.campaign.year,
            people=[outsider],
            commitments="x",
        )
    assert not EmulationRegistration.objects.exists()


# --- the pages -----------------------------------------------------------------------------


def test_the_proposer_registers_from_the_page_and_sees_the_list(client, world):
    client.force_login(world.proposer)
    year = world.campaign.year
    response = client.post(
        reverse("registration_new"),
        {
            "unit": world.unit.pk,
            "year": year,
            "people": [world.staff.pk],
            "collectives": [world.unit.pk],
            "commitments": "Phấn đấu đạt Chiến sĩ thi đua cơ sở.",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert world.staff.get_full_name() in page and "Phấn đấu đạt Chiến sĩ thi đua cơ sở." in page
    again = client.post(
        reverse("registration_new"),
        {"unit": world.unit.pk, "year": year, "people": [world.staff.pk], "commitments": "x"},
    )
    assert again.status_code == 400 and "Already registered" in again.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("proposer", 200), ("unit_head", 200), ("leader", 200), ("inspector", 200), ("staff", 403)],
)
def test_who_sees_the_registration_list(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("registrations")).status_code == status


def test_the_registration_page_is_the_proposers(client, world):
    client.force_login(world.unit_head)
    assert client.get(reverse("registration_new")).status_code == 403
    client.force_login(world.proposer)
    assert client.get(reverse("registration_new")).status_code == 200


def test_a_unit_outside_the_readers_scope_is_not_listed(client, world):
    client.force_login(world.proposer)
    url = reverse("registrations") + f"?unit={world.other_unit.pk}"
    assert client.get(url).status_code == 404


def test_the_list_exports_as_xlsx_and_csv(client, world, registered):
    registered(world.staff, commitments='=HYPERLINK("http://x")')
    registered(world.unit, commitments="Tập thể lao động xuất sắc.")
    client.force_login(world.unit_head)
    query = f"?year={world.campaign.year}&unit={world.unit.pk}"
    xlsx = client.get(reverse("registrations_xlsx") + query)
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Year", "Kind", "Username or unit code", "Name"]
    by_key = {row[2]: row for row in rows[1:]}
    assert by_key["staff"][3] == world.staff.get_full_name()
    assert by_key["staff"][5] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert by_key[world.unit.code][1] == "Collective"
    assert by_key[world.unit.code][5] == "Tập thể lao động xuất sắc."
    response = client.get(reverse("registrations_csv") + query)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert len(lines) == 3 and lines[0][0] == "Year"
    assert {line[2] for line in lines[1:]} == {"staff", world.unit.code}


def test_the_draft_page_says_the_nominee_is_not_registered_instead_of_offering_submit(
    client, world, draft, fighter
):
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_edit", args=[draft.pk])).content.decode()
    assert "not registered for the emulation movement" in page
    assert f'action="/nominations/{draft.pk}/submit/"' not in page
