"""`manage.py seed_demo`: a demo agency to try Laurel with.

It creates an agency with its departments and units, holidays, one person per role (and staff to
nominate), award types with their routes, this year's campaign, and about thirty nominations spread
over every status. Each nomination gets its history by calling the same services a user's clicks
call — drafting, evidence, submission, reviews, returns, resubmissions, the council's outcome, the
signature — each by the person whose role it is, so decisions, audit events and tasks are exactly
what real use would leave behind.

Running it again changes nothing: reference data is matched on codes and usernames and saved
only where it differs from the demo values; nominations are created only while the demo campaign
has none.
"""

import contextlib
import datetime
import io
import textwrap
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from docx import Document

from approvals import drafting, revocations
from approvals import outcomes as council_acts
from approvals import services as council
from approvals.models import (
    AgendaItem,
    CouncilSession,
    DocumentKind,
    Objection,
    Recusal,
    SignedDecision,
)
from demo import data as demo
from demo import forwarding as higher_level
from demo.consultations import seed_bodies, seed_consultations
from demo.deadlines import seed_deadlines
from demo.eligibility import seed_eligibility
from demo.holds import seed_holds
from demo.notify import seed_notify
from demo.quotas import seed_quotas
from demo.record import seed_record
from demo.statistics import seed_statistics
from nominations import services as dossier
from nominations.exceptions import DomainError
from nominations.models import (
    AwardType,
    Campaign,
    Evidence,
    Holiday,
    Nomination,
    Profile,
    RoleAssignment,
    RouteStage,
    Unit,
)
from nominations.roles import Role
from nominations.stages import DEFAULT_STAGE_ROLE, Status
from workflows import services

try:  # the demo extra; without it the demo's history is all written now
    import time_machine
except ImportError:  # pragma: no cover - exercised only outside `make demo`
    time_machine = None

DEMO_PASSWORD = "laurel-demo"
DEMO_URL = "http://127.0.0.1:8000/"

# --- helpers -------------------------------------------------------------------------------

# The journeys advance in rounds, a round every few days, so that time in stage, due dates and
# overdue work look like a real campaign's.
ROUND_DAYS = 3


def _working_day(day: datetime.date, step: int) -> datetime.date:
    while day.weekday() >= 5:  # Saturday, Sunday
        day += datetime.timedelta(days=step)
    return day


# The demo's award types and nominations: the agency's own, then the one a higher level
# confers (`demo.forwarding`), whose nominations pass the same council session.
AWARD_TYPES = [*demo.AWARD_TYPES, higher_level.AWARD_TYPE]
PLANS = [*demo.PLANS, *higher_level.PLANS]


class DemoClock:
    """When each demo step happens: drafts four weeks ago, then a round of steps every few days
    (each nomination a few minutes after the one before, so the audit trail reads in time order),
    the council on the last working day before today, the next session planned today.

    Each step runs with the clock travelled to its moment (time-machine), so every timestamp the
    services write — events, decisions, tasks, due dates — belongs to that moment."""

    def __init__(self, rounds: int, now: datetime.datetime | None = None):
        now = timezone.localtime(now)
        self.council_day = _working_day(now.date() - datetime.timedelta(days=1), -1)
        self.first_day = self.council_day - datetime.timedelta(days=ROUND_DAYS * (rounds + 1))
        self.enabled = time_machine is not None

    def _moment(self, day: datetime.date, minutes: int) -> datetime.datetime:
        start = datetime.datetime.combine(day, datetime.time(8, 30))
        return timezone.make_aware(start + datetime.timedelta(minutes=minutes))

    def round(self, number: int, index: int = 0):
        day = self.first_day + datetime.timedelta(days=ROUND_DAYS * number)
        return self._at(self._moment(_working_day(day, 1), 4 * index))

    def council(self, minutes: int = 0):
        return self._at(self._moment(self.council_day, 60 + minutes))

    def _at(self, moment):
        if not self.enabled:
            return contextlib.nullcontext()
        return time_machine.travel(moment, tick=True)


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if ord(c) < 128)


def demo_pdf(*lines: str) -> bytes:
    """A small valid one-page PDF showing `lines` (in ASCII: the base fonts have no Vietnamese)."""
    text = " ".join(
        f"({_ascii(line).replace(chr(92), '').replace('(', '[').replace(')', ']')}) Tj 0 -20 Td"
        for line in lines
    )
    stream = f"BT /F1 12 Tf 72 770 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _upload(name: str, *lines: str) -> ContentFile:
    upload = ContentFile(demo_pdf(*lines), name=name)
    upload.content_type = "application/pdf"
    return upload


def _attach(nomination: Nomination, **kwargs) -> Nomination:
    """Attach evidence; every dossier change makes a new version, so go on with the new one."""
    return dossier.add_evidence(nomination, **kwargs).nomination


@dataclass
class AtCouncil:
    """A demo nomination stopped at council review, with the outcome its session must give it
    and the steps of its journey after the council."""

    nomination: Nomination
    approve: bool
    rest: list[str]
    plan: object
    index: int
    actors: dict


def unapplied_migrations() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


class Command(BaseCommand):
    help = (
        "Create a demo agency, people in every role (password “laurel-demo”), award types, "
        "this year's campaign and nominations in every status. Safe to run again."
    )

    def handle(self, *args, **options):
        try:
            pending = unapplied_migrations()
        except DatabaseError as exc:
            detail = str(exc).strip().splitlines() or [type(exc).__name__]
            raise CommandError(f"Cannot read the database: {detail[0]}") from exc
        if pending:
            raise CommandError(
                f"The database lacks {len(pending)} migration(s): "
                "run `python manage.py migrate` first."
            )

        self.today = timezone.localdate()
        self.tally: dict[str, Counter] = {}
        self.notes: list[str] = []
        # All or nothing: a refusal halfway leaves the database as it was (evidence files
        # already written stay on disk, unreferenced).
        with transaction.atomic():
            units = self.seed_units()
            self.seed_holidays()
            self.people = self.seed_people(units)
            campaign = self.seed_campaign(units[demo.AGENCY])
            awards = self.seed_award_types(campaign.rules_date)
            seed_bodies(self.upsert)
            seed_eligibility(self, campaign, awards, self.people, units)
            created = self.seed_nominations(campaign, units, awards)
            seed_quotas(campaign, self.count)
            seed_statistics(office=self.people[demo.SECRETARY], campaign=campaign, count=self.count)
            seed_deadlines(self.tally)
            seed_notify(self.tally)
        self.report(campaign, created)

    # --- bookkeeping ---------------------------------------------------------------------

    def count(self, what: str, outcome: str) -> None:
        self.tally.setdefault(what, Counter())[outcome] += 1

    def upsert(self, what: str, model, lookup: dict, values: dict, on_create: dict | None = None):
        """Find the row by `lookup`; create it, or save it only if `values` differ from it."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values, **(on_create or {}))
            obj.save()
            self.count(what, "created")
            return obj
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        for field in changed:
            setattr(obj, field, values[field])
        if changed:
            obj.save()
            self.count(what, "updated")
        else:
            self.count(what, "unchanged")
        return obj

    # --- reference data ------------------------------------------------------------------

    def seed_units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for spec in demo.UNITS:
            units[spec.code] = self.upsert(
                "units",
                Unit,
                {"code": spec.code},
                {
                    "name_vi": spec.name_vi,
                    "name_en": spec.name_en,
                    "kind": spec.kind,
                    "parent": units[spec.parent] if spec.parent else None,
                },
            )
        return units

    def seed_holidays(self) -> None:
        for year in (self.today.year, self.today.year + 1):
            if Holiday.objects.filter(date__year=year).exclude(source="").exists():
                continue  # the year's public holidays ship as data (nominations 0010)
            days = [(datetime.date(year, m, d), name) for m, d, name in demo.FIXED_HOLIDAYS]
            if year in demo.LUNAR_NEW_YEAR:
                eve = demo.LUNAR_NEW_YEAR[year] - datetime.timedelta(days=1)
                days += [
                    (eve + datetime.timedelta(days=i), f"Tết Nguyên đán ({label})")
                    for i, label in enumerate(demo.TET_DAYS)
                ]
            if year in demo.HUNG_KINGS_DAY:
                days.append((demo.HUNG_KINGS_DAY[year], "Giỗ Tổ Hùng Vương (10/3 âm lịch)"))
            if year not in demo.LUNAR_NEW_YEAR or year not in demo.HUNG_KINGS_DAY:
                self.notes.append(
                    f"Lunar holiday dates for {year} are not known here: add them as holidays."
                )
            for date, name in days:
                self.upsert("holidays", Holiday, {"date": date}, {"name": name})

    def seed_people(self, units: dict[str, Unit]) -> dict[str, object]:
        User = get_user_model()
        # One PBKDF2 hash costs a quarter of a second; every demo user has the same password,
        # so it is hashed (and, on later runs, checked) once rather than once per user.
        hashed = make_password(DEMO_PASSWORD)
        verified = {hashed}
        people = {}
        for spec in demo.PEOPLE:
            user = self.upsert(
                "people",
                User,
                {"username": spec.username},
                {
                    "first_name": spec.family_names,
                    "last_name": spec.given_name,
                    "email": f"{spec.username}@laurel.example",
                    "is_active": True,
                    "is_staff": spec.superuser,
                    "is_superuser": spec.superuser,
                },
                on_create={"password": hashed},
            )
            if user.password not in verified:
                if check_password(DEMO_PASSWORD, user.password):
                    verified.add(user.password)
                else:
                    user.password = hashed
                    user.save(update_fields=["password"])
                    self.count("passwords reset", "updated")
            self.upsert(
                "profiles",
                Profile,
                {"user": user},
                {"unit": units[spec.unit], "position": spec.position},
            )
            for role, scope in spec.roles:
                _, created = RoleAssignment.objects.get_or_create(
                    user=user, role=role, unit=units[scope]
                )
                self.count("role assignments", "created" if created else "unchanged")
            people[spec.username] = user
        return people

    def seed_award_types(self, rules_date: datetime.date) -> dict[str, AwardType]:
        awards = {}
        legal_basis_vi, legal_basis_en, in_force_from = demo.legal_basis_on(rules_date)
        for spec in AWARD_TYPES:
            values = {k: v for k, v in spec.items() if k not in ("code", "route")}
            values.update(
                quorum_numerator=2,
                quorum_denominator=3,
                reviewers_from_other_units_only=False,
                legal_basis_vi=legal_basis_vi,
                legal_basis_en=legal_basis_en,
                in_force_from=in_force_from,
                in_force_until=None,
            )
            award = self.upsert("award types", AwardType, {"code": spec["code"]}, values)
            stages = [stage for stage, _ in spec["route"]]
            stale = RouteStage.objects.filter(award_type=award).exclude(stage__in=stages)
            for _ in stale:
                self.count("route stages", "deleted")
            stale.delete()
            for position, (stage, days) in enumerate(spec["route"], start=1):
                self.upsert(
                    "route stages",
                    RouteStage,
                    {"award_type": award, "stage": stage},
                    {
                        "position": position,
                        "role": DEFAULT_STAGE_ROLE[stage],
                        "deadline_working_days": days,
                    },
                )
            awards[award.code] = AwardType.objects.prefetch_related("route").get(pk=award.pk)
        return awards

    def seed_campaign(self, agency: Unit) -> Campaign:
        year = self.today.year
        campaign = self.upsert(
            "campaigns",
            Campaign,
            {"code": f"thi-dua-{year}"},
            {
                "name_vi": f"Phong trào thi đua năm {year}",
                "name_en": f"Emulation movement {year}",
                "agency": agency,
                "year": year,
            },
            # The window is set once; a later run must not move it (that would be a change).
            on_create={
                "submissions_open": self.today - datetime.timedelta(days=60),
                "submissions_close": self.today + datetime.timedelta(days=60),
            },
        )
        return campaign

    # --- nominations ---------------------------------------------------------------------

    def seed_nominations(self, campaign, units, awards) -> int:
        if campaign.nominations.exists():
            return 0
        if not campaign.accepts_submissions(self.today):
            # A campaign left without nominations whose window has passed: reopen it for today.
            campaign.submissions_open = self.today - datetime.timedelta(days=60)
            campaign.submissions_close = self.today + datetime.timedelta(days=60)
            campaign.save()
            self.count("campaigns", "updated")
        # Who acts in each agency-wide role: the first demo person holding it.
        agency_actors = {}
        for spec in demo.PEOPLE:
            for role, scope in spec.roles:
                if scope == demo.AGENCY:
                    agency_actors.setdefault(role, self.people[spec.username])
        staff = [spec.username for spec in demo.PEOPLE if not spec.roles]
        self.to_confer: list[Nomination] = []
        at_council: list[AtCouncil] = []
        journeys = []  # [index, plan, actors, nomination, steps still to take]
        clock = DemoClock(rounds=max(len(plan.steps.split()) for plan in PLANS))
        with clock.round(0, -15):  # the registrations, an hour before the first draft
            seed_record(people=self.people, units=units, campaign=campaign, count=self.count)
        for index, plan in enumerate(PLANS):
            unit_code, proposer, head = demo.PROPOSING_UNITS[plan.unit]
            actors = {
                **agency_actors,
                Role.UNIT_PROPOSER: self.people[proposer],
                Role.UNIT_HEAD: self.people[head],
            }
            nominee_unit = units.get(plan.nominee)
            # Varies the texts by nominee, deterministically.
            seq = staff.index(plan.nominee) if nominee_unit is None else 10 + index
            with self.refusal(index, plan, "draft"), clock.round(0, index):
                nomination = self.draft(
                    plan, campaign, awards[plan.award], units[unit_code], nominee_unit, seq, actors
                )
            journeys.append([index, plan, actors, nomination, plan.steps.split()])
        # Round by round, each nomination takes its next step, until it waits for the council.
        number = 0
        while any(steps for *_, steps in journeys):
            number += 1
            with clock.round(number, -2):  # the timers, as cron runs them, before the round
                seed_deadlines(self.tally)
            for journey in journeys:
                index, plan, actors, nomination, steps = journey
                if not steps:
                    continue
                step = steps.pop(0)
                if step in ("council_approve", "council_reject"):
                    # The council decides in a session, with the others on its agenda.
                    at_council.append(
                        AtCouncil(
                            nomination, step == "council_approve", steps[:], plan, index, actors
                        )
                    )
                    steps.clear()
                    continue
                with self.refusal(index, plan, step), clock.round(number, index):
                    journey[3] = self.act(nomination, step, plan, index, actors)
        try:
            with clock.council():
                self.hold_council(campaign, at_council)
            for waiting in at_council:
                nomination = Nomination.objects.get(pk=waiting.nomination.pk)
                for step in waiting.rest:
                    with clock.council(60 + waiting.index):
                        nomination = self.act(
                            nomination, step, waiting.plan, waiting.index, waiting.actors
                        )
            with clock.council(180):
                self.sign_decision(campaign, agency_actors[Role.DECISION_SIGNER])
            with clock.council(300):
                self.object_during_notice()
            seed_holds(clock, self.count)
            higher_level.seed_forwarding(
                clock,
                campaign,
                self.count,
                secretary=self.people[demo.SECRETARY],
                signer=agency_actors[Role.DECISION_SIGNER],
            )
            # After the request (later on the council day), and last: its timers' step is now.
            seed_consultations(clock, campaign, self.people[demo.SECRETARY], self.count, _upload)
            self.plan_next_session(campaign)
            self.revoke_one_award()
        except DomainError as exc:
            raise CommandError(f"The demo council was refused: {exc}") from exc
        return len(PLANS)

    @contextlib.contextmanager
    def refusal(self, index, plan, step):
        """A demo step the engine refuses stops the seed with one line saying which."""
        try:
            yield
        except DomainError as exc:
            raise CommandError(
                f"Demo nomination #{index + 1} ({plan.award} for {plan.nominee}) was refused "
                f"at “{step}”: {exc}"
            ) from exc

    # --- the council ---------------------------------------------------------------------

    def hold_council(self, campaign, at_council: list[AtCouncil]) -> None:
        """A session on the council day: attendance (one member absent), the items whose plans
        wait for the council voted on by the members, the rest deferred to the next session,
        voting closed and tallied."""
        secretary = self.people[demo.SECRETARY]
        members = [self.people[name] for name in demo.COUNCIL_MEMBERS]
        session = council.plan_session(
            actor=secretary,
            campaign=campaign,
            scheduled_on=timezone.localdate(),
            chair=self.people[demo.COUNCIL_CHAIR],
        )
        wanted = {w.nomination.pk: w.approve for w in at_council}
        for item in session.items.all():
            if item.nomination_id not in wanted:
                council.defer_item(item, actor=secretary, reasons=demo.DEFERRAL_REASONS)
        present = [m for m in members if m.username not in demo.ABSENT_MEMBERS]
        session = council.open_session(session, actor=secretary, present=[m.pk for m in present])
        items = session.items.filter(status=AgendaItem.Status.PENDING)
        recused = set(Recusal.objects.filter(item__session=session).values_list("item", "member"))
        for item in items:
            voters = [m for m in present if (item.pk, m.pk) not in recused]
            pattern = demo.BALLOTS_FOR if wanted[item.nomination_id] else demo.BALLOTS_AGAINST
            for member, choice in zip(voters, pattern, strict=False):
                council.cast_ballot(item, actor=member, choice=choice)
        council_acts.close_voting(session, actor=secretary)
        self.count("council sessions", "created")
        self.edit_minutes(session, secretary)
        for waiting in at_council:
            status = Nomination.objects.values_list("status", flat=True).get(
                pk=waiting.nomination.pk
            )
            expected = Status.COUNCIL_APPROVED if waiting.approve else Status.COUNCIL_REJECTED
            if status != expected:
                raise CommandError(
                    f"The demo council's vote gave {status} to {waiting.nomination.reference}, "
                    f"not {expected}: adjust the demo ballots."
                )

    def edit_minutes(self, session, secretary) -> None:
        """The secretary downloads the drafted minutes, adds the discussion and uploads them:
        the decision signed later keeps that file."""
        session = CouncilSession.objects.get(pk=session.pk)  # closed, with its minutes
        drafted = drafting.session_draft(session, DocumentKind.MINUTES, timezone.localdate())
        edited = Document(io.BytesIO(drafted.content))
        edited.add_paragraph(demo.MINUTES_DISCUSSION)
        out = io.BytesIO()
        edited.save(out)
        council.upload_draft(
            session,
            kind=DocumentKind.MINUTES,
            upload=SimpleUploadedFile(drafted.name, out.getvalue(), drafting.DOCX),
            actor=secretary,
        )
        self.count("edited drafts", "created")

    def sign_decision(self, campaign, signer) -> None:
        if not self.to_confer:
            return
        council_acts.sign_decision(
            actor=signer,
            agency=campaign.agency,
            nominations=[Nomination.objects.get(pk=n.pk) for n in self.to_confer],
            title=demo.DECISION_TITLE.format(year=campaign.year),
            reasons=demo.DECISION_GROUNDS,
        )
        self.count("signed decisions", "created")

    def object_during_notice(self) -> None:
        """A staff member objects to one candidate on public notice; the secretary has it to
        resolve."""
        nominee, filer, reasons = demo.OBJECTION
        nomination = Nomination.objects.filter(
            status=Status.COUNCIL_APPROVED, nominee_person__username=nominee
        ).first()
        if nomination is not None:
            council.file_objection(nomination, actor=self.people[filer], reasons=reasons)
            self.count("objections", "created")

    def revoke_one_award(self) -> None:
        """One award of the decision revoked through its route: the inspector's proposal, the
        council's conclusion, the head of agency's correcting decision, then the certificate and
        the bonus recovered, recorded by the secretary."""
        spec = demo.REVOCATION
        nomination = Nomination.objects.filter(
            status=Status.AWARDED,
            nominee_person__username=spec.nominee,
            award_type__code=spec.award,
        ).first()
        if nomination is None:
            return
        secretary = self.people[demo.SECRETARY]
        revocation = revocations.propose_revocation(
            nomination,
            actor=self.people[spec.proposer],
            ground=spec.ground,
            grounds=spec.grounds,
            documents=spec.documents,
        )
        members, present, votes_for, votes_against, votes_abstain = spec.council
        revocation = revocations.record_council_conclusion(
            revocation,
            actor=secretary,
            met_on=timezone.localdate(),
            members=members,
            present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
        )
        revocations.sign_revocation(revocation, actor=self.people["signer"])
        today = timezone.localdate()
        revocations.record_recovery(
            revocation,
            actor=secretary,
            certificate_returned=True,
            certificate_returned_on=today,
            amount_to_recover=spec.money,
            amount_recovered=spec.money,
            recovered_on=today,
        )
        self.count("revoked awards", "created")

    def plan_next_session(self, campaign) -> None:
        """The next session, planned, with the deferred items waiting: for a newcomer to run."""
        council.plan_session(
            actor=self.people[demo.SECRETARY],
            campaign=campaign,
            scheduled_on=self.today,
            chair=self.people[demo.COUNCIL_CHAIR],
        )
        self.count("council sessions", "created")

    def draft(self, plan, campaign, award, unit, nominee_unit, seq, actors) -> Nomination:
        """Draft the dossier and attach its documents, as the unit's proposer does."""
        proposer = actors[Role.UNIT_PROPOSER]
        fill = {"year": campaign.year, "a": 3 + seq % 5, "b": 12 + 7 * seq, "pct": 8 + seq % 9}
        if not plan.complete:
            texts = ("", "", "")
        elif nominee_unit is not None:
            texts = (
                demo.COLLECTIVE_ACHIEVEMENTS[seq % len(demo.COLLECTIVE_ACHIEVEMENTS)],
                demo.COLLECTIVE_CONTRIBUTIONS,
                "",
            )
        else:
            texts = (
                demo.INDIVIDUAL_ACHIEVEMENTS[
                    (seq + len(plan.award)) % len(demo.INDIVIDUAL_ACHIEVEMENTS)
                ],
                demo.CONTRIBUTIONS[seq % len(demo.CONTRIBUTIONS)],
                # Advanced Worker needs no initiative; the higher titles do.
                "" if plan.award == demo.LDTT else demo.INITIATIVES[seq % len(demo.INITIATIVES)],
            )
        achievements, contributions, initiatives = (text.format(**fill) for text in texts)
        nomination = dossier.create_draft(
            actor=proposer,
            campaign=campaign,
            award_type=award,
            proposing_unit=unit,
            nominee_person=None if nominee_unit else self.people[plan.nominee],
            nominee_unit=nominee_unit,
            achievements=achievements,
            contributions=contributions,
            initiatives=initiatives,
        )
        if not plan.complete:
            return nomination
        # The documents the award type requires (its request letter, achievement report, …),
        # the achievement report in any case, and the certificate of any initiative claimed.
        kinds = [*award.required_document_kinds(), Evidence.Kind.ACHIEVEMENT_REPORT]
        if initiatives:
            kinds.append(Evidence.Kind.INITIATIVE_CERTIFICATE)
        for kind in dict.fromkeys(kinds):
            nomination = self.attach_document(nomination, kind, plan, proposer)
        return nomination

    def attach_document(self, nomination, kind, plan, proposer) -> Nomination:
        prefix, title = demo.DOCUMENTS[kind]
        return _attach(
            nomination,
            actor=proposer,
            kind=kind,
            upload=_upload(
                f"{prefix}-{plan.nominee}.pdf",
                title,
                nomination.nominee_name,
                nomination.award_type.name_vi,
            ),
        )

    def act(self, nomination: Nomination, step: str, plan, index: int, actors) -> Nomination:
        """One step of a demo journey, by whoever holds the role it needs."""
        proposer = actors[Role.UNIT_PROPOSER]
        if step == "submit":
            return services.submit(nomination, actor=proposer)
        if step == "resubmit":
            return services.resubmit(nomination, actor=proposer)
        if step == "withdraw":
            reasons = demo.WITHDRAW_REASONS[index % len(demo.WITHDRAW_REASONS)]
            return services.withdraw(nomination, actor=proposer, reasons=reasons)
        if step == "revise":  # what the unit does with a returned dossier before resubmitting
            revised = dossier.update_dossier(
                nomination,
                actor=proposer,
                changes={"achievements": nomination.achievements + demo.REVISION},
            )
            # The minutes of the unit's meeting, or, where the dossier had them already, the
            # ballot count's.
            attached = set(revised.evidence.values_list("kind", flat=True))
            kind = next(
                k
                for k in (Evidence.Kind.MEETING_MINUTES, Evidence.Kind.BALLOT_MINUTES)
                if k not in attached
            )
            return self.attach_document(revised, kind, plan, proposer)
        if step == "confer":  # signed in one decision with the others, once all are walked
            self.to_confer.append(nomination)
            return nomination
        # The review stages: whoever the route names for the stage the nomination is at.
        reviewer = actors[nomination.award_type.route_stage(nomination.status).role]
        if step == "approve":
            reasons = demo.APPROVAL_NOTES[nomination.status]
            return services.approve(nomination, actor=reviewer, reasons=reasons)
        if step == "return":
            reasons = demo.RETURN_REASONS[index % len(demo.RETURN_REASONS)]
            return services.return_for_revision(nomination, actor=reviewer, reasons=reasons)
        if step == "reject":
            reasons = demo.REJECT_REASONS[index % len(demo.REJECT_REASONS)]
            return services.reject(nomination, actor=reviewer, reasons=reasons)
        raise ValueError(f"unknown demo step {step!r}")

    # --- output --------------------------------------------------------------------------

    def report(self, campaign: Campaign, created: int) -> None:
        write = self.stdout.write
        changed = False
        write("Laurel demo data")
        for what, counts in self.tally.items():
            changed = changed or any(counts[k] for k in ("created", "updated", "deleted"))
            parts = [f"{n} {k}" for k, n in counts.items() if n]
            write(f"  {what + ':':<19} {', '.join(parts)}")
        by_status = Counter(campaign.nominations.values_list("status", flat=True))
        total = sum(by_status.values())
        if created:
            write(f"  {'nominations:':<19} {created} created")
        else:
            write(f"  {'nominations:':<19} {total} already in the campaign, none created")
        for line in textwrap.wrap(
            ", ".join(f"{s.value} {by_status[s.value]}" for s in Status), width=76
        ):
            write(f"  {'':<19} {line}")
        planned = (
            CouncilSession.objects.filter(campaign=campaign, status=CouncilSession.Status.PLANNED)
            .order_by("-id")
            .first()
        )
        decisions = SignedDecision.objects.filter(agency=campaign.agency).count()
        open_objections = Objection.objects.filter(
            nomination__campaign=campaign, status=Objection.Status.OPEN
        ).count()
        write(
            f"  {'council:':<19} {campaign.council_sessions.count()} session(s), "
            f"{decisions} signed decision(s), {open_objections} open objection(s)"
        )
        for note in self.notes:
            write(f"  Note: {note}")
        if not changed and not created:
            write(self.style.SUCCESS("Nothing changed: the demo data was already in place."))
        else:
            write(self.style.SUCCESS("Demo data ready."))

        write("")
        write("Demo logins (same password for everyone):")
        rows = [("username", "password", "role(s)", "unit")]
        staff = []
        for spec in demo.PEOPLE:
            if not spec.roles:
                staff.append(spec.username)
                continue
            roles = ", ".join(str(Role(role).label) for role, _ in spec.roles)
            if spec.superuser:
                roles += " (Django admin)"
            unit = next(u.name_vi for u in demo.UNITS if u.code == spec.unit)
            rows.append((spec.username, DEMO_PASSWORD, roles, unit))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for *padded, last in rows:
            cells = [c.ljust(w) for c, w in zip(padded, widths, strict=True)]
            write("  " + "  ".join([*cells, last]))
        for line in textwrap.wrap(
            f"Staff, the nominees (no role, same password): {', '.join(staff)}", width=96
        ):
            write(f"  {line}")
        write("")
        if planned is not None:
            items = planned.items.filter(status=AgendaItem.Status.PENDING).count()
            write(
                f"Council session #{planned.pk} is planned with {items} item(s) waiting: as "
                "`secretary`, open Council, record attendance and open voting; vote as member1 … "
                "member7 (My ballot); close voting to see the tally and minutes; then, as "
                "`signer`, sign the decision under Decisions (the Certificate of Merit has no "
                "public notice in the demo, so it can be signed at once)."
            )
        write(f"Open {DEMO_URL} after `python manage.py runserver` (admin: {DEMO_URL}admin/).")
