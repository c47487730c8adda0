"""One achievement, one award: a second nomination of the same person or collective for the same
award in the same campaign is refused naming the first — at creation, when a draft's nominee or
award changes, at resubmission — until the first is rejected, withdrawn or not approved by the
council; and the database refuses it too, so a race cannot let two through."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from nominations import one_award
from nominations import services as dossier
from nominations.exceptions import TransitionRefused
from nominations.models import Nomination
from nominations.stages import Status
from tests.factories import CampaignFactory, UnitFactory, person
from workflows import services


def _draft(world, nominee=None, *, award_type=None, unit=None, campaign=None, actor=None):
    fields = {"nominee_unit": unit} if unit is not None else {"nominee_person": nominee}
    return dossier.create_draft(
        actor=actor or world.proposer,
        campaign=campaign or world.campaign,
        award_type=award_type or world.full,
        proposing_unit=world.unit,
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        **fields,
    )


def _names_the_first(refusal, first: Nomination) -> None:
    message = str(refusal)
    assert first.reference in message
    assert str(first.get_status_display()) in message
    assert str(first.proposing_unit) in message


# --- creating ------------------------------------------------------------------------------


def test_a_second_draft_for_the_same_person_and_award_is_refused_naming_the_first(world, draft):
    with pytest.raises(TransitionRefused) as refused:
        _draft(world, world.staff)
    _names_the_first(refused.value, draft)
    assert Nomination.objects.count() == 1
    assert AuditEvent.objects.filter(action=Event.NOMINATION_CREATED).count() == 1


def test_the_first_is_named_wherever_it_stands_on_its_journey(world, draft, walk):
    first = walk(draft, "submit", "approve")
    with pytest.raises(TransitionRefused) as refused:
        _draft(world, world.staff)
    _names_the_first(refused.value, first)
    assert "Party committee review" in str(refused.value)


def test_another_proposing_unit_is_refused_as_well(world, draft):
    """The rule is about the nominee, not who proposes: a department proposing the same person
    is refused too."""
    head_office = person(world.department, "unit_proposer")
    with pytest.raises(TransitionRefused) as refused:
        dossier.create_draft(
            actor=head_office,
            campaign=world.campaign,
            award_type=world.full,
            proposing_unit=world.department,
            nominee_person=world.staff,
        )
    _names_the_first(refused.value, draft)


def test_a_collective_is_proposed_once_per_award_and_campaign(world):
    first = _draft(world, unit=world.unit, award_type=world.collective)
    with pytest.raises(TransitionRefused) as refused:
        _draft(world, unit=world.unit, award_type=world.collective)
    _names_the_first(refused.value, first)


@pytest.mark.parametrize(
    "other",
    ["another award", "another campaign", "another person"],
)
def test_another_award_campaign_or_person_is_not_a_second_claim(world, draft, other):
    kwargs = {
        "another award": {"award_type": world.short},
        "another campaign": {"campaign": CampaignFactory(agency=world.agency)},
        "another person": {"nominee": person(world.unit)},
    }[other]
    second = _draft(world, kwargs.pop("nominee", world.staff), **kwargs)
    assert second.pk != draft.pk


@pytest.mark.parametrize(
    ("steps", "closed"),
    [
        (("withdraw",), Status.WITHDRAWN),
        (("submit", "reject"), Status.REJECTED),
        (("submit", "approve", "approve", "approve", "council_reject"), Status.COUNCIL_REJECTED),
    ],
)
def test_once_the_first_no_longer_claims_the_award_another_may_be_made(
    world, draft, walk, steps, closed
):
    first = walk(draft, *steps)
    assert first.status == closed
    second = _draft(world, world.staff)
    assert second.status == Status.DRAFT
    # ...and that second one claims the award in turn.
    with pytest.raises(TransitionRefused) as refused:
        _draft(world, world.staff)
    _names_the_first(refused.value, second)


@pytest.mark.parametrize(
    "steps",
    [("submit", "return_for_revision"), ("submit", "approve", "approve", "approve")],
)
def test_a_returned_or_waiting_nomination_still_claims_it(world, draft, walk, steps):
    walk(draft, *steps)
    with pytest.raises(TransitionRefused):
        _draft(world, world.staff)


# --- editing -------------------------------------------------------------------------------


def test_changing_a_drafts_nominee_to_someone_already_proposed_is_refused(world, draft):
    other = _draft(world, person(world.unit))
    with pytest.raises(TransitionRefused) as refused:
        dossier.update_dossier(other, actor=world.proposer, changes={"nominee_person": world.staff})
    _names_the_first(refused.value, draft)
    assert Nomination.objects.get(pk=other.pk).nominee_person_id == other.nominee_person_id
    assert not AuditEvent.objects.filter(action=Event.DOSSIER_EDITED).exists()


def test_changing_a_drafts_award_to_one_the_nominee_is_already_proposed_for_is_refused(
    world, draft
):
    other = _draft(world, world.staff, award_type=world.short)
    with pytest.raises(TransitionRefused) as refused:
        dossier.update_dossier(other, actor=world.proposer, changes={"award_type": world.full})
    _names_the_first(refused.value, draft)
    assert Nomination.objects.get(pk=other.pk).award_type_id == world.short.pk


def test_editing_the_text_of_a_dossier_does_not_ask_again(world, draft, monkeypatch):
    def asked(n):
        raise AssertionError("the text of a dossier makes no new claim")

    monkeypatch.setattr(one_award, "first_claim", asked)
    edited = dossier.update_dossier(
        draft, actor=world.proposer, changes={"achievements": "Bản sửa lần hai."}
    )
    assert edited.achievements == "Bản sửa lần hai."


def test_the_edit_page_shows_the_refusal_on_the_form(client, world, draft):
    other = _draft(world, person(world.unit))
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_edit", args=[other.pk]),
        {
            "award_type": world.full.pk,
            "nominee_person": world.staff.pk,
            "achievements": "Bản sửa.",
        },
    )
    assert response.status_code == 400
    assert draft.reference in response.content.decode()


def test_the_new_nomination_page_shows_the_refusal_on_the_form(client, world, draft):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_create"),
        {
            "campaign": world.campaign.pk,
            "award_type": world.full.pk,
            "proposing_unit": world.unit.pk,
            "nominee_person": world.staff.pk,
            "achievements": "Lần hai.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert draft.reference in page and str(world.unit) in page
    assert Nomination.objects.count() == 1


# --- resubmitting --------------------------------------------------------------------------


def test_resubmitting_asks_again(world, draft, walk, monkeypatch):
    """With the database's constraint, two claims cannot coexist; the resubmission asks anyway
    (the same function, one query), so a claim that somehow exists is named, not overridden."""
    returned = walk(draft, "submit", "return_for_revision")
    other = _draft(world, person(world.unit))
    monkeypatch.setattr(one_award, "first_claim", lambda n: other if n.pk == returned.pk else None)
    with pytest.raises(TransitionRefused) as refused:
        services.resubmit(returned, actor=world.proposer)
    assert other.reference in str(refused.value)
    assert Nomination.objects.get(pk=returned.pk).status == Status.RETURNED


def test_a_resubmission_without_a_second_claim_goes_through(world, draft, walk):
    n = walk(draft, "submit", "return_for_revision", "resubmit")
    assert n.status == Status.UNIT_REVIEW


# --- the database's half -------------------------------------------------------------------


@pytest.mark.parametrize("nominee", ["person", "collective"])
def test_the_database_refuses_a_second_claim_on_its_own(world, nominee):
    award = world.full if nominee == "person" else world.collective
    fields = (
        {"nominee_person": world.staff} if nominee == "person" else {"nominee_unit": world.unit}
    )
    row = {
        "campaign": world.campaign,
        "award_type": award,
        "proposing_unit": world.unit,
        "created_by": world.proposer,
        **fields,
    }
    Nomination.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(**row)


def test_the_database_lets_a_closed_one_stand_beside_a_new_one(world):
    row = {
        "campaign": world.campaign,
        "award_type": world.full,
        "proposing_unit": world.unit,
        "created_by": world.proposer,
        "nominee_person": world.staff,
    }
    first = Nomination.objects.create(**row)
    Nomination.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)
    Nomination.objects.create(**row)
    assert Nomination.objects.filter(nominee_person=world.staff).count() == 2


def test_losing_to_the_constraint_is_the_same_refusal_not_an_error(world, draft, monkeypatch):
    """The check passed (as for a racer whose rival had not committed yet), the insert hit the
    constraint: the refusal names the first, and the caller's transaction is still usable."""
    monkeypatch.setattr(one_award, "refuse_second", lambda n: None)
    with transaction.atomic():
        with pytest.raises(TransitionRefused) as refused:
            _draft(world, world.staff)
        assert Nomination.objects.count() == 1  # the transaction goes on
    _names_the_first(refused.value, draft)


def test_an_edit_losing_to_the_constraint_is_the_same_refusal(world, draft, monkeypatch):
    other = _draft(world, person(world.unit))
    monkeypatch.setattr(one_award, "refuse_second", lambda n: None)
    with pytest.raises(TransitionRefused) as refused:
        dossier.update_dossier(other, actor=world.proposer, changes={"nominee_person": world.staff})
    _names_the_first(refused.value, draft)


def test_another_unit_of_the_agency_is_a_collective_of_its_own(world):
    sub = UnitFactory(code="sub-a", parent=world.unit)
    _draft(world, unit=world.unit, award_type=world.collective)
    assert _draft(world, unit=sub, award_type=world.collective).nominee_unit == sub


# --- two drafts at the same moment (PostgreSQL: real concurrency) ---------------------------


@pytest.fixture
def committed_world(transactional_db, world):
    return world


@pytest.mark.postgres
def test_two_drafts_at_once_one_is_made_and_the_other_refused_naming_it(
    committed_world, monkeypatch
):
    """Both racers pass the check before either writes (a barrier after it); the database
    lets one insert through and the other gets the refusal naming the winner, not an error."""
    world = committed_world
    second_proposer = person(world.unit, "unit_proposer", username="proposer2")
    barrier = threading.Barrier(2)
    real = one_award.refuse_second

    def check_then_wait(nomination):
        real(nomination)
        barrier.wait(timeout=10)

    monkeypatch.setattr(one_award, "refuse_second", check_then_wait)
    results: list = [None, None]

    def run(i, actor):
        try:
            results[i] = _draft(world, world.staff, actor=actor)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, actor))
        for i, actor in enumerate((world.proposer, second_proposer))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a racer is stuck"

    made = [r for r in results if isinstance(r, Nomination)]
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(made) == 1 and len(refused) == 1, results
    _names_the_first(refused[0], Nomination.objects.get(pk=made[0].pk))
    assert Nomination.objects.filter(nominee_person=world.staff).count() == 1
    assert AuditEvent.objects.filter(action=Event.NOMINATION_CREATED).count() == 1
