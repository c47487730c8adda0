"""Judging a nominee by the award type's eligibility criteria (`Criterion`), as data.

`evaluate(nomination)` reads the criteria in force on the campaign's rules date
(`Campaign.rules_date`, `Criterion.objects.in_force_on`) and the nominee's record — conferred
awards, annual ratings, initiatives, disciplinary measures, years of service, and for a collective
its members' — and gives each criterion an outcome: met (PASS), not met (FAIL) or not yet known
(UNKNOWN), with the sentence a reviewer reads (what was required, what was found), the legal
basis, and the record it used. One query reads the criteria; then one query per kind of record
the criteria need, never one per criterion or per year (`_Record`).

The years counted end with `Y_end = campaign.year − criterion.years_end_before` and span
`criterion.years` years. The workflow (`workflows.services._check_rules`) refuses a submission
that fails a hard criterion and asks an approver for reasons where a criterion is advisory and
not met, or cannot be judged yet; the evaluation is kept on the nomination (`as_json`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q
from django.utils import formats, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .compiled import Compiled
from .models import (
    AnnualRating,
    ConferredAward,
    Criterion,
    CriterionKind,
    DisciplinaryMeasure,
    Initiative,
    Nomination,
    Profile,
    Rating,
    RecognitionLevel,
)
from .models.bilingual import in_language
from .models.eligibility import COLLECTIVE, INDIVIDUAL, KIND_NOMINEES
from .models.record import DISCIPLINE_RANK, LEVEL_RANK, RATING_RANK, DisciplineKind
from .people import display_name
from .stages import CLOSED_UNAWARDED, STAGE_ORDER, Status

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

OUTCOME_LABELS = {
    PASS: gettext_lazy("Met"),
    FAIL: gettext_lazy("Not met"),
    UNKNOWN: gettext_lazy("Cannot be judged yet"),
}

# A nomination still claiming its title: not closed without the award, and not awarded (an
# awarded one is on the record as a conferred award, or was revoked).
_SETTLED = [*CLOSED_UNAWARDED, Status.AWARDED]

# The languages an evaluation is kept in, so that a stored one reads in either.
LANGUAGES = ("vi", "en")

# A collective's evidence names at most this many members per line.
MEMBERS_NAMED = 12


def _later(build) -> Promise:
    """A sentence written when it is read, in the reader's language (names and labels too)."""
    return lazy(build, str)()


def _years_text(first: int, last: int) -> str:
    return str(last) if first == last else f"{first}–{last}"


def _list(items) -> str:
    return ", ".join(str(i) for i in items)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _percent(share: Fraction) -> str:
    """A share as a percentage to one decimal, computed exactly (no float)."""
    value = Decimal(share.numerator) * 100 / Decimal(share.denominator)
    return str(value.quantize(Decimal("0.1")))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def full_years(start: datetime.date, day: datetime.date) -> int:
    """Whole years from `start` to `day` (a year is full on its anniversary)."""
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


@dataclass
class Result:
    """One criterion judged: what a checklist line shows, and what the nomination keeps."""

    criterion_id: int | None
    code: str
    kind: str
    version: datetime.date | None  # the version's first day in force
    hard: bool
    outcome: str
    sentence: str | Promise
    citation: str | Promise
    evidence: list = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(CriterionKind(self.kind).label) if self.kind in CriterionKind.values else ""

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def passed(self) -> bool:
        return self.outcome == PASS

    @property
    def failed(self) -> bool:
        return self.outcome == FAIL

    @property
    def unknown(self) -> bool:
        return self.outcome == UNKNOWN

    def as_json(self) -> dict:
        def both(text) -> dict:
            out = {}
            for lang in LANGUAGES:
                with translation.override(lang):
                    out[lang] = str(text)
            return out

        return {
            "criterion": self.criterion_id,
            "code": self.code,
            "kind": self.kind,
            "version": self.version.isoformat() if self.version else None,
            "hard": self.hard,
            "outcome": self.outcome,
            "sentence": both(self.sentence),
            "citation": both(self.citation),
            "evidence": [both(e) for e in self.evidence],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Result":
        def read(text) -> str:
            if isinstance(text, dict):
                return in_language(text.get("vi", ""), text.get("en", ""))
            return str(text or "")

        version = data.get("version")
        return cls(
            criterion_id=data.get("criterion"),
            code=data.get("code", ""),
            kind=data.get("kind", ""),
            version=datetime.date.fromisoformat(version) if version else None,
            hard=bool(data.get("hard")),
            outcome=data.get("outcome", UNKNOWN),
            sentence=read(data.get("sentence")),
            citation=read(data.get("citation")),
            evidence=[read(e) for e in data.get("evidence", [])],
        )


@dataclass
class Evaluation:
    """A nominee judged by every criterion in force on the rules date."""

    rules_date: datetime.date
    results: list[Result]

    @property
    def hard_failures(self) -> list[Result]:
        return [r for r in self.results if r.hard and r.failed]

    @property
    def advisory_failures(self) -> list[Result]:
        return [r for r in self.results if not r.hard and r.failed]

    @property
    def unknowns(self) -> list[Result]:
        return [r for r in self.results if r.unknown]

    @property
    def to_override(self) -> list[Result]:
        """What an approver must give reasons for: advisory rules not met, and rules that
        cannot be judged yet."""
        return [r for r in self.results if r.unknown or (r.failed and not r.hard)]

    @property
    def counts(self) -> dict[str, int]:
        return {o: sum(1 for r in self.results if r.outcome == o) for o in (PASS, FAIL, UNKNOWN)}

    def as_json(self) -> dict:
        # No time of its own: it is kept with the transition that ran it (the nomination's
        # `status_changed_at`, the event's time).
        return {
            "rules_date": self.rules_date.isoformat(),
            "results": [r.as_json() for r in self.results],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Evaluation | None":
        """The evaluation a nomination keeps (`Nomination.eligibility`), or None if it has none."""
        if not data or "rules_date" not in data:
            return None
        return cls(
            rules_date=datetime.date.fromisoformat(data["rules_date"]),
            results=[Result.from_json(r) for r in data.get("results", [])],
        )

    def audit_data(self, overridden: list[Result] | None = None) -> dict:
        """What the transition's audit event records of it: the rules date, each rule's code,
        version and outcome, and the rules whose outcome the actor overrode with reasons."""
        data = {
            "rules_date": self.rules_date.isoformat(),
            "criteria": [
                {
                    "code": r.code,
                    "version": r.version.isoformat() if r.version else None,
                    "hard": r.hard,
                    "outcome": r.outcome,
                }
                for r in self.results
            ],
        }
        if overridden is not None:
            data["overridden"] = [r.code for r in overridden]
        return data


# --- the record, read once per kind ---------------------------------------------------------


class _Record:
    """The nominee's record as the criteria need it: each kind of record is read at most once,
    for every criterion that needs it, over the union of their years."""

    def __init__(self, nomination: Nomination, criteria: list[Criterion]):
        self.nomination = nomination
        self.campaign = nomination.campaign
        self.person = nomination.nominee_person if nomination.nominee_person_id else None
        self.unit = nomination.nominee_unit if nomination.nominee_unit_id else None
        self.criteria = criteria
        self._cache: dict[str, object] = {}

    def _once(self, key, load):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def holds(self, row) -> bool:
        """Whether a record row (an award, a rating) is the nominee's own."""
        if self.person is not None:
            return row.person_id == self.person.pk
        return row.unit_id == self.unit.pk

    def _holder_q(self, prefix: str = "") -> Q:
        if self.person is not None:
            return Q(**{f"{prefix}person": self.person})
        return Q(**{f"{prefix}unit": self.unit})

    def _window(self, c: Criterion) -> tuple[int, int]:
        last = self.campaign.year - (c.years_end_before or 0)
        return last - (c.years or 1) + 1, last

    def _span(self, kinds) -> tuple[int, int] | None:
        windows = [self._window(c) for c in self.criteria if c.kind in kinds]
        if not windows:
            return None
        return min(w[0] for w in windows), max(w[1] for w in windows)

    def _share_criteria(self, attr: str) -> list[Criterion]:
        return [
            c
            for c in self.criteria
            if c.kind == CriterionKind.MEMBER_SHARE and self.unit is not None and getattr(c, attr)
        ]

    # Members of a collective: the people whose unit lies within it.
    def members(self) -> list:
        def load():
            profiles = Profile.objects.filter(unit__path__startswith=self.unit.path)
            return [p.user for p in profiles.select_related("user").order_by("user__last_name")]

        return self._once("members", load)

    def _member_ids(self) -> list[int]:
        return [m.pk for m in self.members()] if self.unit is not None else []

    def awards(self) -> list[ConferredAward]:
        def load():
            q = Q(pk__in=[])
            span = self._span({CriterionKind.PRIOR_TITLE})
            if span:
                titles = {c.title_id for c in self.criteria if c.kind == CriterionKind.PRIOR_TITLE}
                q |= self._holder_q() & Q(award_type__in=titles, year__range=span)
            for c in self._share_criteria("title_id"):
                q |= Q(
                    person__in=self._member_ids(), award_type=c.title_id, year=self._window(c)[1]
                )
            return list(ConferredAward.objects.in_force().filter(q).select_related("award_type"))

        return self._once("awards", load)

    def ratings(self) -> list[AnnualRating]:
        def load():
            q = Q(pk__in=[])
            span = self._span({CriterionKind.RATINGS})
            if span:
                q |= self._holder_q() & Q(year__range=span)
            share_years = {self._window(c)[1] for c in self._share_criteria("rating")}
            if share_years:
                q |= Q(person__in=self._member_ids(), year__in=share_years)
            return list(AnnualRating.objects.filter(q))

        return self._once("ratings", load)

    def initiatives(self) -> list[Initiative]:
        def load():
            span = self._span({CriterionKind.INITIATIVE})
            return list(Initiative.objects.filter(person=self.person, year__range=span))

        return self._once("initiatives", load)

    def service_start(self) -> datetime.date | None:
        def load():
            found = Profile.objects.filter(user=self.person).values_list("service_start", flat=True)
            return next(iter(found), None)

        return self._once("service_start", load)

    def measures(self) -> list[DisciplinaryMeasure]:
        def load():
            day = self.campaign.rules_date
            starts = [
                _years_before(day, c.years or 1)
                for c in self.criteria
                if c.kind == CriterionKind.NO_DISCIPLINE
            ]
            who = (
                Q(person=self.person)
                if self.person is not None
                else Q(person__profile__unit__path__startswith=self.unit.path)
            )
            in_effect = Q(ends_on__gte=min(starts)) | Q(
                ends_on__isnull=True, decided_on__gte=min(starts)
            )
            return list(
                DisciplinaryMeasure.objects.filter(who, in_effect, decided_on__lte=day)
                .select_related("person")
                .order_by("decided_on", "pk")
            )

        return self._once("measures", load)

    def open_nominations(self) -> list[Nomination]:
        """Nominations in this campaign still claiming a title a criterion asks for, of the
        nominee or of its members (one query, read only when a criterion needs it)."""

        def load():
            titles = {c.title_id for c in self.criteria if c.title_id}
            who = self._holder_q("nominee_")
            if self.unit is not None:
                who |= Q(nominee_person__in=self._member_ids())
            found = (
                Nomination.objects.filter(who, campaign=self.campaign, award_type__in=titles)
                .exclude(status__in=_SETTLED)
                .select_related("award_type")
                .order_by("pk")
            )
            if self.nomination.pk:
                found = found.exclude(pk=self.nomination.pk)
            return list(found)

        return self._once("nominations", load)


# --- each kind ---------------------------------------------------------------------------


def _sentence(required, found) -> Promise:
    return _later(
        lambda: (
            _("Required: %(required)s. Found: %(found)s.")
            % {"required": str(required), "found": str(found)}
        )
    )


def _prior_title(c: Criterion, record: _Record):
    first, last = record._window(c)
    title = c.title
    held = {
        a.year: a
        for a in record.awards()
        if a.award_type_id == c.title_id and first <= a.year <= last and record.holds(a)
    }
    required = _later(
        lambda: (
            _("%(title)s in %(years)s") % {"title": title.name, "years": _years_text(first, last)}
        )
    )
    evidence = [
        _later(lambda a=a: f"{title.name} {a.year} — {a.decision_number}")
        for _y, a in sorted(held.items())
    ]
    missing = [y for y in range(first, last + 1) if y not in held]
    if not missing:
        return (
            PASS,
            _sentence(required, _later(lambda: _("conferred in every one of them"))),
            evidence,
        )
    if missing == [record.campaign.year]:
        pending = next(
            (
                n
                for n in record.open_nominations()
                if n.award_type_id == c.title_id
                and n.nominee_person_id == getattr(record.person, "pk", None)
                and n.nominee_unit_id == getattr(record.unit, "pk", None)
            ),
            None,
        )
        if pending is not None:
            year = record.campaign.year
            found = _later(
                lambda: (
                    _(
                        "%(year)s not conferred yet; nomination %(reference)s for it in this "
                        "campaign is open (%(status)s), and the titles are decided together"
                    )
                    % {
                        "year": year,
                        "reference": pending.reference,
                        "status": pending.get_status_display(),
                    }
                )
            )
            evidence.append(
                _later(
                    lambda: (
                        f"{pending.reference}: {title.name} {year} ({pending.get_status_display()})"
                    )
                )
            )
            return UNKNOWN, _sentence(required, found), evidence
    found = _later(lambda: _("not conferred in %(years)s") % {"years": _list(missing)})
    return FAIL, _sentence(required, found), evidence


def _initiative(c: Criterion, record: _Record):
    first, last = record._window(c)
    floor = LEVEL_RANK[c.level]
    level_label = RecognitionLevel(c.level).label
    required = _later(
        lambda: (
            _("an initiative or scientific work recognised at %(level)s or above in %(years)s")
            % {"level": str(level_label).lower(), "years": _years_text(first, last)}
        )
    )
    within = [i for i in record.initiatives() if first <= i.year <= last]
    good = [i for i in within if LEVEL_RANK.get(i.level, 0) >= floor]

    def line(i):
        return _later(
            lambda: (
                f"{i.title} ({i.get_level_display()}, {i.year})"
                + (f" — {i.reference}" if i.reference else "")
            )
        )

    if good:
        found = _later(
            lambda: (
                ngettext("%(count)d recognised", "%(count)d recognised", len(good))
                % {"count": len(good)}
            )
        )
        return PASS, _sentence(required, found), [line(i) for i in good]
    if within:
        found = _later(lambda: _("only initiatives recognised at a lower level"))
        return FAIL, _sentence(required, found), [line(i) for i in within]
    return FAIL, _sentence(required, _later(lambda: _("none recorded"))), []


def _service_years(c: Criterion, record: _Record):
    day = record.campaign.rules_date
    years = c.years or 0
    required = _later(
        lambda: (
            ngettext(
                "at least %(years)d full year of service on %(date)s",
                "at least %(years)d full years of service on %(date)s",
                years,
            )
            % {"years": years, "date": _date(day)}
        )
    )
    start = record.service_start()
    if start is None:
        found = _later(lambda: _("no date of entry into service is recorded"))
        return UNKNOWN, _sentence(required, found), []
    served = max(full_years(start, day), 0)
    found = _later(
        lambda: (
            ngettext(
                "%(years)d full year since %(start)s",
                "%(years)d full years since %(start)s",
                served,
            )
            % {"years": served, "start": _date(start)}
        )
    )
    evidence = [_later(lambda: _("In service since %(date)s") % {"date": _date(start)})]
    return (PASS if served >= years else FAIL), _sentence(required, found), evidence


def _ratings(c: Criterion, record: _Record):
    first, last = record._window(c)
    floor = RATING_RANK[c.rating]
    rating_label = Rating(c.rating).label
    required = _later(
        lambda: (
            _("a rating of at least “%(rating)s” in %(years)s")
            % {"rating": rating_label, "years": _years_text(first, last)}
        )
    )
    mine = {r.year: r for r in record.ratings() if first <= r.year <= last and record.holds(r)}
    evidence = [
        _later(
            lambda r=r: (
                f"{r.year}: {r.get_rating_display()}" + (f" — {r.reference}" if r.reference else "")
            )
        )
        for _y, r in sorted(mine.items())
    ]
    lower = [y for y, r in sorted(mine.items()) if RATING_RANK.get(r.rating, 0) < floor]
    missing = [y for y in range(first, last + 1) if y not in mine]
    if lower:
        found = _later(lambda: _("a lower rating in %(years)s") % {"years": _list(lower)})
        return FAIL, _sentence(required, found), evidence
    if missing:
        found = _later(lambda: _("no rating recorded for %(years)s") % {"years": _list(missing)})
        return UNKNOWN, _sentence(required, found), evidence
    return (
        PASS,
        _sentence(required, _later(lambda: _("that rating or better every year"))),
        evidence,
    )


def _no_discipline(c: Criterion, record: _Record):
    day = record.campaign.rules_date
    start = _years_before(day, c.years or 1)
    floor = DISCIPLINE_RANK.get(c.discipline, 1) if c.discipline else 1
    kind_label = DisciplineKind(c.discipline).label if c.discipline else None

    def required_text():
        values = {"start": _date(start), "end": _date(day), "kind": str(kind_label or "").lower()}
        if record.unit is not None:
            if kind_label:
                return (
                    _("no member under a %(kind)s or heavier measure between %(start)s and %(end)s")
                    % values
                )
            return (
                _("no member under a disciplinary measure between %(start)s and %(end)s") % values
            )
        if kind_label:
            return (
                _("no %(kind)s or heavier measure in effect between %(start)s and %(end)s") % values
            )
        return _("no disciplinary measure in effect between %(start)s and %(end)s") % values

    required = _later(required_text)
    found_measures = [
        m
        for m in record.measures()
        if DISCIPLINE_RANK.get(m.kind, 0) >= floor
        and m.decided_on <= day
        and (m.ends_on or m.decided_on) >= start
    ]

    def line(m):
        def text():
            until = _date(m.ends_on) if m.ends_on else _date(m.decided_on)
            out = f"{m.get_kind_display()}: {_date(m.decided_on)}–{until}"
            if record.unit is not None:
                out = f"{display_name(m.person)} — {out}"
            return out + (f" — {m.reference}" if m.reference else "")

        return _later(text)

    if found_measures:
        found = _later(
            lambda: (
                ngettext(
                    "%(count)d measure in effect then",
                    "%(count)d measures in effect then",
                    len(found_measures),
                )
                % {"count": len(found_measures)}
            )
        )
        return FAIL, _sentence(required, found), [line(m) for m in found_measures]
    return PASS, _sentence(required, _later(lambda: _("none"))), []


def _member_share(c: Criterion, record: _Record):
    year = record._window(c)[1]
    share = Fraction(c.share_percent)  # a Decimal: exact
    title = c.title if c.title_id else None
    rating_label = Rating(c.rating).label if c.rating else None

    def standard() -> str:
        parts = []
        if title is not None:
            parts.append(title.name)
        if rating_label is not None:
            parts.append(_("a rating of at least “%(rating)s”") % {"rating": rating_label})
        return _(" or ").join(parts)

    required = _later(
        lambda: (
            _("at least %(share)s%% of the members with %(standard)s in %(year)s")
            % {
                "share": format(c.share_percent.normalize(), "f"),
                "standard": standard(),
                "year": year,
            }
        )
    )
    members = record.members()
    if not members:
        found = _later(lambda: _("the collective has no members on record"))
        return UNKNOWN, _sentence(required, found), []
    ids = {m.pk for m in members}
    titled, rated, rated_well = set(), {}, set()
    if title is not None:
        titled = {
            a.person_id
            for a in record.awards()
            if a.award_type_id == c.title_id and a.year == year and a.person_id in ids
        }
    if rating_label is not None:
        rated = {r.person_id: r for r in record.ratings() if r.person_id in ids and r.year == year}
        floor = RATING_RANK[c.rating]
        rated_well = {p for p, r in rated.items() if RATING_RANK.get(r.rating, 0) >= floor}
    met = [m for m in members if m.pk in titled or m.pk in rated_well]
    if title is not None:
        claiming = {
            n.nominee_person_id for n in record.open_nominations() if n.award_type_id == c.title_id
        }
    else:
        claiming = set()
    unrated = set() if rating_label is None else ids - set(rated)
    waiting = [m for m in members if m not in met and (m.pk in claiming or m.pk in unrated)]
    total = len(members)

    def enough(count: int) -> bool:
        return Fraction(count, total) * 100 >= share

    def names(people) -> str:
        shown = [display_name(p) for p in people[:MEMBERS_NAMED]]
        if len(people) > MEMBERS_NAMED:
            shown.append("…")
        return ", ".join(shown)

    evidence = []
    if met:
        evidence.append(_later(lambda: _("Meet it: %(names)s") % {"names": names(met)}))
    if waiting:
        evidence.append(_later(lambda: _("Not decided yet: %(names)s") % {"names": names(waiting)}))
    found = _later(
        lambda: (
            _("%(met)d of %(total)d members (%(percent)s%%)")
            % {"met": len(met), "total": total, "percent": _percent(Fraction(len(met), total))}
        )
    )
    if enough(len(met)):
        return PASS, _sentence(required, found), evidence
    if waiting and enough(len(met) + len(waiting)):
        found = _later(
            lambda: (
                _(
                    "%(met)d of %(total)d members (%(percent)s%%) so far; with the %(waiting)d "
                    "not decided yet it would be met"
                )
                % {
                    "met": len(met),
                    "total": total,
                    "percent": _percent(Fraction(len(met), total)),
                    "waiting": len(waiting),
                }
            )
        )
        return UNKNOWN, _sentence(required, found), evidence
    return FAIL, _sentence(required, found), evidence


JUDGES = {
    CriterionKind.PRIOR_TITLE: _prior_title,
    CriterionKind.INITIATIVE: _initiative,
    CriterionKind.SERVICE_YEARS: _service_years,
    CriterionKind.RATINGS: _ratings,
    CriterionKind.NO_DISCIPLINE: _no_discipline,
    CriterionKind.MEMBER_SHARE: _member_share,
}


def _not_applicable(nominee_kind: str):
    if nominee_kind == COLLECTIVE:
        sentence = gettext_lazy("This rule concerns a person; it cannot judge a collective.")
    else:
        sentence = gettext_lazy("This rule concerns a collective; it cannot judge a person.")
    return UNKNOWN, sentence, []


def criteria_for(nomination: Nomination) -> list[Criterion]:
    """The award type's criteria in force on the campaign's rules date, in order (one query,
    compiled once per connection: submitting and approving judge by them)."""
    if nomination.award_type_id is None:  # a form's nomination before the award is chosen
        return []
    return _CRITERIA.all(award_type=nomination.award_type_id, day=nomination.campaign.rules_date)


_CRITERIA = Compiled(
    Criterion,
    lambda award_type, day: (
        Criterion.objects.in_force_on(day)
        .filter(award_type_id=award_type)
        .select_related("title")
        .order_by("position", "code", "pk")
    ),
    award_type=int,
    day=datetime.date,
)


def evaluate(nomination: Nomination) -> Evaluation:
    """Judge the nomination's nominee by its award type's criteria in force on its campaign's
    rules date. The nomination need not be saved (the dossier form's live checklist)."""
    if not (nomination.nominee_person_id or nomination.nominee_unit_id):
        raise ValueError("a nomination without a nominee cannot be judged")
    criteria = criteria_for(nomination)
    nominee_kind = INDIVIDUAL if nomination.nominee_person_id else COLLECTIVE
    applicable = [c for c in criteria if nominee_kind in KIND_NOMINEES[CriterionKind(c.kind)]]
    record = _Record(nomination, applicable)
    results = []
    for c in criteria:
        if c in applicable:
            outcome, sentence, evidence = JUDGES[CriterionKind(c.kind)](c, record)
        else:
            outcome, sentence, evidence = _not_applicable(nominee_kind)
        results.append(
            Result(
                criterion_id=c.pk,
                code=c.code,
                kind=c.kind,
                version=c.in_force_from,
                hard=c.hard,
                outcome=outcome,
                sentence=sentence,
                citation=_later(lambda c=c: str(c.citation)),
                evidence=evidence,
            )
        )
    return Evaluation(nomination.campaign.rules_date, results)


# Where a nomination may still be submitted or approved, its pages judge it anew; further on they
# show the evaluation kept with its last step.
JUDGED_LIVE = {Status.DRAFT, Status.RETURNED, *STAGE_ORDER}


def checklist_for(nomination: Nomination) -> tuple[Evaluation | None, bool]:
    """What a nomination's page shows of its eligibility, and whether it was judged just now:
    the nominee judged anew while the dossier may still be submitted or approved, the
    evaluation kept with its last step after that (None for no nominee, or none kept)."""
    if not (nomination.nominee_person_id or nomination.nominee_unit_id):
        return None, False
    if nomination.status in JUDGED_LIVE:
        return evaluate(nomination), True
    return Evaluation.from_json(nomination.eligibility), False
