"""Emulation registration (đăng ký thi đua): at the start of a year a unit registers its people
and collectives to the movement, with their commitments; an emulation title whose award type
`requires_registration` is proposed only for those registered for the campaign's year
(registration is a ground for considering emulation titles: see docs/DOMAIN.md).

`refusal` is the rule, asked when a nomination is made or its nominee or award type changes
(`nominations.services`) and when it is submitted or resubmitted (`workflows.services._act`);
`register` writes registrations; `registrations` and the exports read them.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import Origin
from audit.types import Actor

from . import events, policy
from .exceptions import InvalidInput, TransitionRefused
from .models import EmulationRegistration, Nomination, NomineeKind, Unit
from .people import display_name

# The actions whose nominee must be registered (besides making the nomination).
CHECKED_ACTIONS = frozenset({"submit", "resubmit"})


def refusal(nomination: Nomination) -> str | None:
    """Why the nomination may not be made or submitted for want of a registration, or None.
    One query, and only for an award type that requires registration with a nominee chosen."""
    award = nomination.award_type
    if award is None or not award.requires_registration:
        return None
    year = nomination.campaign.year
    if nomination.nominee_person_id:
        holder = {"person_id": nomination.nominee_person_id}
        name = display_name(nomination.nominee_person)
    elif nomination.nominee_unit_id:
        holder = {"unit_id": nomination.nominee_unit_id}
        name = str(nomination.nominee_unit)
    else:
        return None
    if EmulationRegistration.objects.filter(year=year, **holder).exists():
        return None
    return _(
        "%(name)s is not registered for the emulation movement of %(year)s, which %(award)s "
        "requires. The unit's proposer registers them first: Emulation registration, in the "
        "menu under their name, then Register."
    ) % {"name": name, "year": year, "award": award}


def check(nomination: Nomination, action: str) -> None:
    """Refuse submitting or resubmitting a nominee who is not registered (see `refusal`)."""
    if action in CHECKED_ACTIONS:
        reason = refusal(nomination)
        if reason:
            raise TransitionRefused(reason)


# --- registering ---------------------------------------------------------------------------


def register(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    people=(),
    collectives=(),
    commitments: str,
    origin: Origin | None = None,
) -> list[EmulationRegistration]:
    """The unit's proposer registers people working in the unit and the unit or its sub-units,
    for a year, with their commitments; each registration is audited. All or nothing: someone
    already registered for the year, or outside the unit, refuses the whole list, named."""
    role = policy.authorize_registration(actor, unit)
    commitments = commitments.strip()
    if not commitments:
        raise InvalidInput(_("Write the commitments they register."))
    if not people and not collectives:
        raise InvalidInput(_("Choose at least one person or collective to register."))
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 1:
        raise InvalidInput(
            _("Registrations are made for last year, this year or next year (%(years)s).")
            % {"years": f"{this_year - 1}–{this_year + 1}"}
        )
    outside = [display_name(p) for p in people if not _works_in(p, unit)]
    outside += [str(c) for c in collectives if not c.is_within(unit)]
    if outside:
        raise InvalidInput(
            _("Only people and collectives of %(unit)s can be registered by it: %(names)s.")
            % {"unit": unit, "names": ", ".join(outside)}
        )
    with transaction.atomic():
        taken = EmulationRegistration.objects.filter(year=year)
        already = [display_name(r.person) for r in taken.filter(person__in=people)]
        already += [str(r.unit) for r in taken.filter(unit__in=collectives)]
        if already:
            raise _already(year, already)
        now = timezone.now()
        made = [
            EmulationRegistration(
                person=holder if isinstance(holder, get_user_model()) else None,
                unit=holder if isinstance(holder, Unit) else None,
                year=year,
                commitments=commitments,
                registering_unit=unit,
                registered_by=actor,
                registered_at=now,
            )
            for holder in [*people, *collectives]
        ]
        for registration in made:
            try:
                registration.save(force_insert=True)
            except IntegrityError as exc:  # registered meanwhile by someone else
                holder = registration.person or registration.unit
                name = display_name(holder) if registration.person else str(holder)
                raise _already(year, [name]) from exc
        audit.bulk_append(
            [events.registration_recorded(r, actor=actor, role=role, origin=origin) for r in made]
        )
    return made


def _already(year: int, names: list[str]) -> InvalidInput:
    return InvalidInput(
        _("Already registered for %(year)s: %(names)s.") % {"year": year, "names": ", ".join(names)}
    )


def _works_in(person, unit: Unit) -> bool:
    profile = getattr(person, "profile", None)
    return profile is not None and profile.unit.is_within(unit)


# --- reading and exporting -----------------------------------------------------------------


def registrations(*, year: int, unit: Unit) -> QuerySet[EmulationRegistration]:
    """A year's registrations of people and collectives of `unit` and its sub-units."""
    return (
        EmulationRegistration.objects.filter(
            year=year, registering_unit__path__startswith=unit.path
        )
        .select_related("person__profile__unit", "unit", "registering_unit", "registered_by")
        .order_by("registering_unit__path", "unit__path", "person__last_name", "person__first_name")
    )


def export_rows(rows) -> tuple[list[str], list[list]]:
    """The registration list as a table: a header and one line per registration."""
    header = [
        _("Year"),
        _("Kind"),
        _("Username or unit code"),
        _("Name"),
        _("Unit"),
        _("Commitments"),
        _("Registered by unit"),
        _("Registered by"),
        _("Registered on"),
    ]
    lines = []
    for r in rows:
        if r.person_id:
            kind = str(NomineeKind.INDIVIDUAL.label)
            key, name = r.person.get_username(), display_name(r.person)
            where = str(r.person.profile.unit) if hasattr(r.person, "profile") else ""
        else:
            kind, key, name = str(NomineeKind.COLLECTIVE.label), r.unit.code, str(r.unit)
            where = str(r.unit)
        lines.append(
            [
                r.year,
                kind,
                key,
                name,
                where,
                r.commitments,
                str(r.registering_unit),
                display_name(r.registered_by),
                timezone.localtime(r.registered_at).date().isoformat(),
            ]
        )
    return header, lines
