"""Shared fixtures: an agency with two departments and three units, one person per role, award
types with a full and a short route, an open campaign, and helpers to walk a nomination."""

import importlib
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from nominations import services as dossier
from nominations.calendar import forget_holidays
from nominations.models import Nomination, NomineeKind, Unit
from nominations.roles import Role
from workflows import services

from .factories import (
    SHORT_ROUTE,
    AwardTypeFactory,
    CampaignFactory,
    UnitFactory,
    login_verified,
    person,
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(
                pytest.mark.skipif(
                    connection.vendor != "postgresql",
                    reason="needs PostgreSQL (row locks); run with DATABASE_URL=postgres://...",
                )
            )


@pytest.fixture(autouse=True)
def _fresh_holidays():
    """Holidays are kept per process (`nominations.calendar`); a test's rolled-back holidays
    must not outlive it."""
    forget_holidays()
    yield
    forget_holidays()


@pytest.fixture(autouse=True)
def _audit_triggers_on(request):
    """The audit tables' append-only triggers refuse the TRUNCATE with which a
    `transactional_db` test's tables are flushed afterwards. The test connection (a superuser)
    switches triggers off just for that flush (`session_replication_role`) and every test that
    uses the database starts with them on again."""
    used = [f for f in ("transactional_db", "db") if f in request.fixturenames]
    if not used:
        yield
        return
    request.getfixturevalue(used[0])
    triggers = importlib.import_module("audit.migrations.0002_chain")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
        else:  # SQLite cannot switch triggers off: they are dropped for the flush, put back here
            for statement in triggers.SQLITE_INSTALL:
                cursor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    if used[0] == "transactional_db":
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = replica")
            else:
                for statement in triggers.SQLITE_REMOVE:
                    cursor.execute(statement)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """Nothing is cached between requests (the navigation's inbox count), so that a page's
    queries are the same on every request; a test of the caching itself turns a cache on."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """The demo agency works in Vietnamese, but the tests read the English source strings: every
    test runs in English unless it asks for another language (tests/web/test_languages.py).
    A request leaves its language active in the thread, so each test starts and ends clean."""
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    yield
    translation.deactivate()


class VerifiedClient(Client):
    """The tests' client: `force_login` logs in with the second factor passed in the session
    (`login_verified`), as a signer, secretary, inspector or administrator must have it to see
    any page. Tests of the sign-in itself use a plain `Client` (the `plain_client` fixture)."""

    def force_login(self, user, backend=None):
        login_verified(self, user)


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def plain_client():
    """A client whose logins pass no second factor: what a person gets from the password alone."""
    return Client()


@dataclass
class World:
    agency: Unit
    department: Unit
    unit: Unit
    other_unit: Unit
    proposer: object
    unit_head: object
    party_reviewer: object
    leader: object
    secretary: object
    member: object
    signer: object
    inspector: object
    admin: object
    staff: object
    other_proposer: object
    full: object
    short: object
    collective: object
    campaign: object


@pytest.fixture
def world(db) -> World:
    agency = UnitFactory(code="agency", kind=Unit.Kind.AGENCY, name_vi="Văn phòng")
    department = UnitFactory(code="dept", kind=Unit.Kind.DEPARTMENT, parent=agency)
    unit = UnitFactory(code="unit-a", parent=department)
    other_department = UnitFactory(code="dept-b", kind=Unit.Kind.DEPARTMENT, parent=agency)
    other_unit = UnitFactory(code="unit-b", parent=other_department)
    return World(
        agency=agency,
        department=department,
        unit=unit,
        other_unit=other_unit,
        proposer=person(unit, Role.UNIT_PROPOSER, username="proposer"),
        unit_head=person(unit, Role.UNIT_HEAD, username="head"),
        party_reviewer=person(agency, Role.PARTY_COMMITTEE_REVIEWER, username="party"),
        leader=person(agency, Role.LEADERSHIP_REVIEWER, username="leader"),
        secretary=person(agency, Role.COUNCIL_SECRETARY, username="secretary"),
        member=person(agency, Role.COUNCIL_MEMBER, username="member"),
        signer=person(agency, Role.DECISION_SIGNER, username="signer"),
        inspector=person(agency, Role.INSPECTOR, username="inspector"),
        admin=person(agency, Role.ADMINISTRATOR, username="admin"),
        staff=person(unit, username="staff"),
        other_proposer=person(other_unit, Role.UNIT_PROPOSER, username="other_proposer"),
        full=AwardTypeFactory(code="full"),
        short=AwardTypeFactory(code="short", stages=SHORT_ROUTE),
        collective=AwardTypeFactory(code="collective", nominee_kind=NomineeKind.COLLECTIVE),
        campaign=CampaignFactory(agency=agency),
    )


def reviewer_for(world: World, nomination: Nomination):
    """The user who acts on the nomination as it stands."""
    return {
        "unit_review": world.unit_head,
        "party_committee_review": world.party_reviewer,
        "leadership_review": world.leader,
        "council_review": world.secretary,
        "returned": world.proposer,
        "approved": world.signer,
        "council_approved": world.signer,
        "forwarded": world.secretary,
    }[nomination.status]


@pytest.fixture
def new_draft(world):
    """new_draft(nominee=None): a draft for the full route of the unit's campaign, proposed for
    `nominee` (a new person of the unit by default)."""

    def _new(nominee=None) -> Nomination:
        return dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=world.full,
            proposing_unit=world.unit,
            nominee_person=nominee or person(world.unit),
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        )

    return _new


@pytest.fixture
def draft(world, new_draft) -> Nomination:
    return new_draft(world.staff)


@pytest.fixture
def walk(world):
    """walk(nomination, *steps): apply actions in order, each by the right person."""

    def _walk(nomination, *steps):
        for step in steps:
            actor = world.proposer if step in ("submit", "resubmit", "withdraw") else None
            actor = actor or reviewer_for(world, nomination)
            kwargs = (
                {"reasons": f"Lý do: {step}"} if step in ("return_for_revision", "reject") else {}
            )
            if step in ("council_approve", "council_reject"):
                nomination = services.record_council_outcome(
                    nomination, approved=step == "council_approve", actor=actor
                )
            else:
                nomination = getattr(services, step)(nomination, actor=actor, **kwargs)
        return nomination

    return _walk
