"""The statutory statistics: the annual forms on emulation and commendation of the Ministry of Home
Affairs' statistical reporting regime (Circular 02/2023/TT-BNV, forms 0601.N/BNV-TĐKT onwards),
counted from Laurel's own records for a year and a unit.

Each form is a declaration (its code, title, rows and columns); each row and column carries the
filter that counts it, and a figure is the records matching both. The same filter makes the
figure on the page, the cell in the XLSX and the list behind the figure, so every figure can be
traced to the awards or movements that make it up. A row or column whose breakdown Laurel does
not record (households, enterprises, the nominee's post, the method of commendation) has no
filter: its cells are left blank for the office to fill in, never guessed.

The layouts are data, here and only here: correct them in this module when the circular in
force says otherwise. They were taken from the forms as reproduced by a Vietnamese commendation
system, not from the circular's own appendix, and the circular has a successor (Circular
18/2025/TT-BNV); the page and the XLSX say that they are to be checked against the circular in
force.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nominations import policy
from nominations.exceptions import NotAllowed
from nominations.models import AwardLevel, AwardType, Campaign, ConferredAward, NomineeKind, Unit

# --- the legal basis -----------------------------------------------------------------------

BASIS = gettext_lazy(
    "Circular 02/2023/TT-BNV of 23 March 2023 of the Ministry of Home Affairs on the statistical "
    "reporting regime of the Home Affairs sector (in force from 10 May 2023)"
)
SUCCESSOR = gettext_lazy(
    "Replaced by Circular 18/2025/TT-BNV of 8 October 2025 on the same regime: layout to be "
    "checked against the circular in force."
)
RECEIVER = gettext_lazy("Ministry of Home Affairs")
DUE = gettext_lazy("15 December of the reporting year")
CAVEAT = gettext_lazy(
    "Layout to be checked against the circular in force: it follows the forms of Circular "
    "02/2023/TT-BNV as reproduced by a commendation system in use, not the circular's own "
    "appendix. Blank cells count what Laurel does not record; the office fills them in."
)


def period(year: int) -> tuple[datetime.date, datetime.date]:
    """The reporting period of the emulation and commendation forms: 1 December of the year
    before to 30 November of the reporting year (Circular 02/2023/TT-BNV), not the calendar year."""
    return datetime.date(year - 1, 12, 1), datetime.date(year, 11, 30)


def reporting_year(day: datetime.date) -> int:
    """The reporting year whose period holds `day` (December belongs to the next year's)."""
    return day.year + 1 if day.month == 12 else day.year


def default_year(today: datetime.date) -> int:
    """The year whose report is being prepared: in December, the one due on the 15th."""
    return today.year


# A filter nothing matches: a breakdown Laurel records, with nothing in it (a count of 0), as
# against None, a breakdown Laurel does not record (a blank cell).
NOTHING = Q(pk__isnull=True)


# --- the declarations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    heads: tuple  # its header, from the top row down (merged with its neighbours' equal heads)
    q: Q | None  # None: Laurel does not record this breakdown


@dataclass(frozen=True)
class Row:
    code: str  # the form's "mã số"; empty for a heading
    label: Promise | str
    q: Q | None = None
    unit_of_measure: Promise | str = ""
    heading: bool = False
    indent: int = 0


@dataclass(frozen=True)
class StatForm:
    slug: str
    code: str  # "0602.N/BNV-TĐKT"
    title: Promise
    unit_of_measure: Promise
    counts: str  # "awards" or "campaigns": what a figure is a number of
    rows: tuple[Row, ...]
    columns: Callable[[], list[Column]]
    note: Promise | str = ""


# Which of the forms' columns an award type is counted in, by the start of its code (the first
# rule that matches wins), within the levels the form counts. Laurel's award types say their
# level, not whether they are an order, a prize or a flag; this list does, in one place.
STATE_RULES = [
    ("bang-khen-thu-tuong", "pm_certificate"),
    ("bang-khen-ttg", "pm_certificate"),
    ("chien-si-thi-dua-toan-quoc", "national_fighter"),
    ("co-thi-dua-chinh-phu", "government_flag"),
    ("giai-thuong-ho-chi-minh", "hcm_prize"),
    ("giai-thuong-nha-nuoc", "state_prize"),
    ("huan-chuong", "orders_medals"),
    ("huy-chuong", "orders_medals"),
    ("anh-hung", "honorary_titles"),
    ("ba-me-viet-nam-anh-hung", "honorary_titles"),
    ("nha-giao", "honorary_titles"),
    ("thay-thuoc", "honorary_titles"),
    ("nghe-si", "honorary_titles"),
    ("nghe-nhan", "honorary_titles"),
]
MINISTRY_RULES = [
    ("chien-si-thi-dua-bo", "ministry_fighter"),
    ("chien-si-thi-dua-cap-bo", "ministry_fighter"),
    ("chien-si-thi-dua-tinh", "ministry_fighter"),
    ("co-thi-dua", "emulation_flag"),
    ("ky-niem-chuong", "badge"),
    ("huy-hieu", "badge"),
    ("bang-khen", "certificate_of_merit"),
]
# Form 0602 splits state-level awards by the body that sent the request to the Prime Minister:
# a ministry or central body (row 02), or a province (row 03). Laurel's agency is one body; this
# says which, for the rows to put its awards in.
AGENCY_IS_CENTRAL_BODY = True
STATE_LEVELS = (AwardLevel.STATE,)
# The agency's own awards are a ministry's (or a province's) when the agency is one.
MINISTRY_LEVELS = (AwardLevel.AGENCY, AwardLevel.MINISTRY)


def classify(award_type: AwardType) -> str | None:
    """The form column an award type is counted in, or None if no form counts it."""
    if award_type.level in STATE_LEVELS:
        rules, fallback = STATE_RULES, "state_other"
    elif award_type.level in MINISTRY_LEVELS:
        rules, fallback = MINISTRY_RULES, None
    else:
        return None
    return next((col for prefix, col in rules if award_type.code.startswith(prefix)), fallback)


COLLECTIVE = Q(unit__isnull=False)
INDIVIDUAL = Q(person__isnull=False)
OF_WHICH = gettext_lazy("Of which")
TOTAL = gettext_lazy("Total")


def _kinds(t: AwardType) -> list[tuple[Promise, Q]]:
    kinds = []
    if t.nominee_kind in (NomineeKind.COLLECTIVE, NomineeKind.EITHER):
        kinds.append((gettext_lazy("Collective"), COLLECTIVE))
    if t.nominee_kind in (NomineeKind.INDIVIDUAL, NomineeKind.EITHER):
        kinds.append((gettext_lazy("Individual"), INDIVIDUAL))
    return kinds


# 0602's column groups, in the form's order; a group "by type" has a column per award type.
STATE_GROUPS = [
    ("orders_medals", gettext_lazy("Orders and medals (each a column)"), True),
    ("hcm_prize", gettext_lazy("Ho Chi Minh Prize"), False),
    ("state_prize", gettext_lazy("State Prize"), False),
    ("honorary_titles", gettext_lazy("State honorary titles (each a column)"), True),
    ("government_flag", gettext_lazy("Government Emulation Flag"), False),
    ("pm_certificate", gettext_lazy("Prime Minister's Certificate of Merit"), False),
    ("national_fighter", gettext_lazy('Title "National Emulation Fighter"'), False),
    ("state_other", gettext_lazy("Other forms of commendation (each a column)"), True),
]
MINISTRY_GROUPS = [
    ("certificate_of_merit", gettext_lazy("Certificate of Merit")),
    ("ministry_fighter", gettext_lazy("Emulation Fighter at ministry or province level")),
    (
        "emulation_flag",
        gettext_lazy("Emulation Flag of the ministry, central body or province"),
    ),
    (
        "badge",
        gettext_lazy("Badge (commemorative medal) of the ministry, central body or province"),
    ),
]


def _award_types(levels) -> list[AwardType]:
    return list(AwardType.objects.filter(level__in=levels).order_by("code"))


def state_columns() -> list[Column]:
    types = _award_types(STATE_LEVELS)
    universe = Q(award_type__level__in=STATE_LEVELS)
    columns = [Column("total", (TOTAL,), universe)]
    for group, label, by_type in STATE_GROUPS:
        members = [t for t in types if classify(t) == group]
        if not members:
            columns.append(Column(group, (OF_WHICH, label), NOTHING))
            continue
        for t in members:
            for kind_label, kind_q in _kinds(t):
                heads = (
                    (OF_WHICH, label, t.name, kind_label)
                    if by_type
                    else (
                        OF_WHICH,
                        label,
                        kind_label,
                    )
                )
                key = f"{t.code}.{'c' if kind_q is COLLECTIVE else 'i'}"
                columns.append(Column(key, heads, Q(award_type=t) & kind_q))
    return columns


def ministry_columns() -> list[Column]:
    types = _award_types(MINISTRY_LEVELS)
    by_group = {g: [t.pk for t in types if classify(t) == g] for g, _label in MINISTRY_GROUPS}
    counted = [pk for pks in by_group.values() for pk in pks]
    columns = [Column("total", (TOTAL,), Q(award_type__in=counted) if counted else NOTHING)]
    for group, label in MINISTRY_GROUPS:
        pks = by_group[group]
        columns.append(Column(group, (OF_WHICH, label), Q(award_type__in=pks) if pks else NOTHING))
    return columns


AGENCY_LAUNCHED = Q(agency__kind=Unit.Kind.AGENCY)


def campaign_columns() -> list[Column]:
    launched_by = gettext_lazy("Movements by the level that launched them")
    return [
        Column("total", (TOTAL,), Q()),
        Column(
            "central",
            (
                launched_by,
                gettext_lazy("Central level (Central Emulation and Commendation Council)"),
            ),
            None,
        ),
        Column(
            "ministry",
            (launched_by, gettext_lazy("Ministries, central bodies and provinces")),
            AGENCY_LAUNCHED,
        ),
        Column(
            "unit",
            (launched_by, gettext_lazy("Agencies, organisations and units")),
            ~AGENCY_LAUNCHED,
        ),
    ]


PEOPLE = gettext_lazy("people")
COLLECTIVES = gettext_lazy("collectives")


def _beneficiary_rows(first: int) -> list[Row]:
    """The rows "by beneficiary" that 0602 and 0603 share, numbered from `first`."""
    n = iter(range(first, first + 9))
    return [
        Row(f"{next(n):02d}", gettext_lazy("Collectives"), COLLECTIVE, COLLECTIVES, indent=1),
        Row(f"{next(n):02d}", gettext_lazy("of which: enterprises"), None, indent=2),
        Row(f"{next(n):02d}", gettext_lazy("Households"), None, indent=1),
        Row(f"{next(n):02d}", gettext_lazy("Individuals"), INDIVIDUAL, PEOPLE, indent=1),
        Row(
            f"{next(n):02d}",
            gettext_lazy("leaders at ministry or province level and above"),
            None,
            indent=2,
        ),
        Row(
            f"{next(n):02d}",
            gettext_lazy("leaders at department level and equivalent"),
            None,
            indent=2,
        ),
        Row(f"{next(n):02d}", gettext_lazy("business people"), None, indent=2),
        Row(
            f"{next(n):02d}",
            gettext_lazy("other leaders, from deputy head of division up"),
            None,
            indent=2,
        ),
        Row(
            f"{next(n):02d}",
            gettext_lazy("people working, studying or serving directly (workers, farmers…)"),
            None,
            indent=2,
        ),
    ]


def _method_rows(first: int) -> list[Row]:
    labels = [
        gettext_lazy("Regular"),
        gettext_lazy("Themed"),
        gettext_lazy("One-off"),
        gettext_lazy("Foreign relations"),
        gettext_lazy("Contribution"),
        gettext_lazy("Length of service"),
        gettext_lazy("Resistance"),
    ]
    return [Row(f"{first + i:02d}", label, None, indent=1) for i, label in enumerate(labels)]


FORMS = [
    StatForm(
        slug="0601",
        code="0601.N/BNV-TĐKT",
        title=gettext_lazy("Number of emulation movements"),
        unit_of_measure=gettext_lazy("movement"),
        counts="campaigns",
        columns=campaign_columns,
        rows=(
            Row("01", TOTAL, Q()),
            Row("", gettext_lazy("1. By the scope of the movement"), heading=True),
            Row("02", gettext_lazy("Nationwide"), None, indent=1),
            Row(
                "03",
                gettext_lazy("Ministries, central bodies, localities"),
                AGENCY_LAUNCHED,
                indent=1,
            ),
            Row(
                "04",
                gettext_lazy("Emulation clusters and blocks organised by the councils"),
                None,
                indent=1,
            ),
            Row("05", gettext_lazy("Agencies, organisations, units"), ~AGENCY_LAUNCHED, indent=1),
            Row("", gettext_lazy("2. By the duration of the movement"), heading=True),
            Row("06", gettext_lazy("Under 1 year"), None, indent=1),
            Row("07", gettext_lazy("1 year"), None, indent=1),
            Row("08", gettext_lazy("From 1 to under 3 years"), None, indent=1),
            Row("09", gettext_lazy("From 3 to under 5 years"), None, indent=1),
            Row("10", gettext_lazy("5 years and more"), None, indent=1),
            Row("", gettext_lazy("3. By the way the movement is organised"), heading=True),
            Row("11", gettext_lazy("Themed emulation"), None, indent=1),
            Row("12", gettext_lazy("Regular annual emulation"), None, indent=1),
        ),
        note=gettext_lazy(
            "Counts the campaigns of the year in Laurel, by the level of the unit that runs "
            "them. Laurel does not record a movement's scope beyond that, its duration or its "
            "kind: those rows are blank."
        ),
    ),
    StatForm(
        slug="0602",
        code="0602.N/BNV-TĐKT",
        title=gettext_lazy("Number of state-level commendations"),
        unit_of_measure=gettext_lazy("collective, household, person"),
        counts="awards",
        columns=state_columns,
        rows=(
            Row("01", TOTAL, Q()),
            Row(
                "",
                gettext_lazy("1. By the body that submitted the request to the Prime Minister"),
                heading=True,
            ),
            Row(
                "02",
                gettext_lazy("Ministries, central bodies"),
                Q() if AGENCY_IS_CENTRAL_BODY else NOTHING,
                indent=1,
            ),
            Row(
                "03",
                gettext_lazy("Provinces and centrally run cities"),
                NOTHING if AGENCY_IS_CENTRAL_BODY else Q(),
                indent=1,
            ),
            Row("", gettext_lazy("2. By beneficiary"), heading=True),
            *_beneficiary_rows(6),
            Row("", gettext_lazy("3. By method of commendation"), heading=True),
            *_method_rows(15),
        ),
        note=gettext_lazy(
            "Counts the state-level awards in force conferred in the reporting period on the "
            "agency's request (recorded when the higher level's decision arrives) or entered "
            "from past records; revoked awards are not counted. The agency is a central body: "
            "its requests count in row 02."
        ),
    ),
    StatForm(
        slug="0603",
        code="0603.N/BNV-TĐKT",
        title=gettext_lazy(
            "Number of commendations at the level of ministries, central bodies and provinces"
        ),
        unit_of_measure=gettext_lazy("collective, household, person"),
        counts="awards",
        columns=ministry_columns,
        rows=(
            Row("01", TOTAL, Q()),
            Row("", gettext_lazy("1. By beneficiary"), heading=True),
            *_beneficiary_rows(2),
            Row("", gettext_lazy("2. By method of commendation"), heading=True),
            *_method_rows(11),
        ),
        note=gettext_lazy(
            "Counts the agency's own awards in force conferred in the reporting period whose "
            "form is on this form (Certificate of Merit, Emulation Fighter, Emulation Flag, "
            "Badge); revoked awards are not counted. Emulation titles of units (Advanced "
            "Worker, Grassroots Emulation Fighter, collective titles) are on no form."
        ),
    ),
]
FORMS_BY_SLUG = {f.slug: f for f in FORMS}

# The forms of the same regime that count what Laurel does not keep.
NOT_PRODUCED = [
    (
        "0604.N/BNV-TĐKT",
        gettext_lazy("Number of organisations doing emulation and commendation work"),
    ),
    (
        "0605.N/BNV-TĐKT",
        gettext_lazy("Number of civil servants doing emulation and commendation work"),
    ),
]


# --- computing a form ----------------------------------------------------------------------


@dataclass
class Cell:
    row: int
    column: Column
    q: Q | None
    value: int | None = None


@dataclass
class Grid:
    form: StatForm
    year: int
    unit: Unit
    columns: list[Column]
    rows: list[tuple[int, Row, list[Cell]]] = field(default_factory=list)

    @property
    def period(self):
        return period(self.year)

    def header(self) -> list[list[dict]]:
        """The header rows, each a list of cells {text, colspan, rowspan}, merged as the form
        merges them: equal heads side by side become one cell; a column with fewer heads than
        the deepest has its last one run down to the bottom."""
        depth = max(len(c.heads) for c in self.columns)
        rows: list[list[dict]] = [[] for _ in range(depth)]
        for level in range(depth):
            i = 0
            while i < len(self.columns):
                col = self.columns[i]
                if len(col.heads) <= level:
                    i += 1
                    continue
                j = i + 1
                while (
                    j < len(self.columns)
                    and len(self.columns[j].heads) > level
                    and self.columns[j].heads[: level + 1] == col.heads[: level + 1]
                    and (len(self.columns[j].heads) == level + 1) == (len(col.heads) == level + 1)
                ):
                    j += 1
                rowspan = depth - level if len(col.heads) == level + 1 else 1
                rows[level].append(
                    {
                        "text": str(col.heads[level]),
                        "colspan": j - i,
                        "rowspan": rowspan,
                        "first": i,
                    }
                )
                i = j
        return rows

    def total(self) -> int:
        return self.rows[0][2][0].value or 0


def within(counts: str, path: str) -> Q:
    """The records of the unit at `path` and below: a campaign by the unit that runs it; an award
    by the unit that proposed it, or, for one entered from past records, by its holder's unit."""
    if counts == "campaigns":
        return Q(agency__path__startswith=path)
    return Q(nomination__proposing_unit__path__startswith=path) | Q(nomination__isnull=True) & (
        Q(unit__path__startswith=path) | Q(person__profile__unit__path__startswith=path)
    )


def records(form: StatForm, year: int, unit: Unit) -> QuerySet:
    """Everything the form counts for the year and the unit, before its rows and columns."""
    if form.counts == "campaigns":
        return Campaign.objects.filter(within(form.counts, unit.path), year=year)
    start, end = period(year)
    return ConferredAward.objects.in_force().filter(
        within(form.counts, unit.path), conferred_on__range=(start, end)
    )


def _both(row: Row, column: Column) -> Q | None:
    if row.q is None or column.q is None:
        return None
    return row.q & column.q


def compute(form: StatForm, year: int, unit: Unit) -> Grid:
    """The form's figures for the year and the unit, in one query."""
    grid = Grid(form=form, year=year, unit=unit, columns=form.columns())
    aggregates = {}
    for i, row in enumerate(form.rows):
        cells = []
        if not row.heading:
            for column in grid.columns:
                q = _both(row, column)
                cells.append(Cell(i, column, q))
                if q is not None:
                    aggregates[f"r{i}_{column.key}"] = Count("pk", filter=q) if q else Count("pk")
        grid.rows.append((i, row, cells))
    figures = records(form, year, unit).aggregate(**aggregates) if aggregates else {}
    for _i, _row, cells in grid.rows:
        for c in cells:
            if c.q is not None:
                c.value = figures[f"r{c.row}_{c.column.key}"]
    return grid


def figure_records(form: StatForm, year: int, unit: Unit, row: int, key: str) -> QuerySet:
    """The records that make up one figure: the same filter that counted it."""
    if not 0 <= row < len(form.rows) or form.rows[row].heading:
        raise LookupError(row)
    column = next((c for c in form.columns() if c.key == key), None)
    if column is None:
        raise LookupError(key)
    q = _both(form.rows[row], column)
    if q is None:
        raise LookupError(key)
    found = records(form, year, unit).filter(q)
    if form.counts == "campaigns":
        return found.select_related("agency").order_by("code")
    return found.select_related("award_type", "person", "unit", "nomination").order_by(
        "conferred_on", "pk"
    )


# --- who reads which unit --------------------------------------------------------------------


def units_in_scope(user) -> QuerySet:
    """The units whose statistics the user may read: those below the units of their role."""
    paths = policy.statistics_scope(user)
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return Unit.objects.filter(q).order_by("path")


def authorize(user, unit: Unit | None) -> Unit:
    """The unit to report on (the top of the user's scope if none is chosen), or NotAllowed."""
    paths = policy.statistics_scope(user)
    if not paths:
        raise NotAllowed(
            _(
                "The statutory statistics are for the emulation office, the leadership and "
                "inspectors."
            )
        )
    if unit is None:
        return Unit.objects.get(path=paths[0])
    if not any(unit.path.startswith(p) for p in paths):
        raise NotAllowed(_("You may not read this unit's statistics."))
    return unit
