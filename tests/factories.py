import datetime

import factory
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nominations.middleware import mark_seen_in
from nominations.models import (
    AnnualRating,
    AwardType,
    Campaign,
    ConferredAward,
    Criterion,
    CriterionKind,
    DisciplinaryMeasure,
    DisciplineKind,
    Initiative,
    NomineeKind,
    Profile,
    Rating,
    RecognitionLevel,
    RoleAssignment,
    RouteStage,
    Unit,
)
from nominations.stages import Stage


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name_vi = factory.Sequence(lambda n: f"Đơn vị {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    kind = Unit.Kind.UNIT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pw")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    position = "Chuyên viên"


def person(unit, *roles, scope=None, username=None, **names):
    """A user working in `unit` holding `roles` over `scope` (default: `unit`); `names`:
    first_name, last_name, if they matter."""
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs, **names)
    ProfileFactory(user=user, unit=unit)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, unit=scope or unit)
    return user


FULL_ROUTE = [
    Stage.UNIT_REVIEW,
    Stage.PARTY_COMMITTEE_REVIEW,
    Stage.LEADERSHIP_REVIEW,
    Stage.COUNCIL_REVIEW,
]
SHORT_ROUTE = [Stage.UNIT_REVIEW, Stage.LEADERSHIP_REVIEW]


class AwardTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardType
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"award-{n}")
    name_vi = factory.Sequence(lambda n: f"Danh hiệu {n}")
    name_en = factory.Sequence(lambda n: f"Title {n}")
    nominee_kind = NomineeKind.INDIVIDUAL

    @factory.post_generation
    def stages(self, create, extracted, **kwargs):
        for position, stage in enumerate(extracted if extracted is not None else FULL_ROUTE):
            RouteStage.objects.create(award_type=self, position=position + 1, stage=stage)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    code = factory.Sequence(lambda n: f"campaign-{n}")
    name_vi = factory.Sequence(lambda n: f"Phong trào {n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    submissions_open = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=30)
    )
    submissions_close = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )


# --- eligibility: criteria and the record they read -----------------------------------------


class CriterionFactory(factory.django.DjangoModelFactory):
    """A hard rule citing the Law of 2022, in force without dates unless told."""

    class Meta:
        model = Criterion

    code = factory.Sequence(lambda n: f"rule-{n}")
    kind = CriterionKind.RATINGS
    hard = True
    instrument = "Luật Thi đua, khen thưởng 2022"
    article = "24"


class ConferredAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConferredAward

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    decision_number = factory.Sequence(lambda n: f"{n + 1}/QĐ-VPQH")
    conferred_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 20))


class AnnualRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualRating

    rating = Rating.GOOD


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Sáng kiến {n}")
    level = RecognitionLevel.AGENCY


class DisciplinaryMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisciplinaryMeasure

    kind = DisciplineKind.WARNING
    reference = factory.Sequence(lambda n: f"{n + 1}/QĐ-KL")


# --- signing in ----------------------------------------------------------------------------


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator app (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the device's app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login_verified(client, user) -> TOTPDevice:
    """Log `user` in with their second factor passed in this session, as django-otp's own tests
    do: a confirmed device, and the session naming it; the idle clock starts now."""
    device = totp_device(user)
    Client.force_login(client, user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    mark_seen_in(session)
    session.save()
    return device
