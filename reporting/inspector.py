"""The inspectors' workspace: every nomination's full timeline, a search across all events with
CSV/JSON exports, the integrity panel and the supervision reports.

Inspectors read everything and change nothing. The services refuse them every action (they
hold no acting role); the only thing they may post here is "verify the chain now", which
changes no record of the agency's work and is itself audited, as is every export.
"""

import csv
import json
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from audit import integrity, reports
from audit import selectors as trail
from audit.events import Event
from audit.events import label as event_label
from audit.integrity import IntegrityProblem
from audit.services import Origin, record_inspection
from nominations import exports, policy
from nominations.exceptions import DomainError, NotAllowed
from nominations.models import AwardType, Campaign, Nomination, Unit
from nominations.roles import Role
from nominations.stages import AWAITING_DECISION, STAGE_ORDER, Status
from nominations.views import get_visible
from nominations.web import refuses_domain_errors
from workflows.selectors import overdue_tasks

PAGE_SIZE = 50
# The search counts its matches no further than this ("10000+"): counting a million events on
# every page would cost more than the page itself.
COUNT_CAP = 10_000


def inspector_required(view):
    """Signed in and an inspector; a domain error in the page becomes the refused page."""

    @login_required
    @wraps(view)
    @refuses_domain_errors
    def wrapped(request, *args, **kwargs):
        if Role.INSPECTOR not in policy.roles_of(request.user):
            raise NotAllowed(_("This workspace is for inspectors."))
        return view(request, *args, **kwargs)

    return wrapped


class QuickSelect(forms.Select):
    """A select whose options are written inline rather than through one template include
    each: the search form's units, actions, awards and campaigns are a few hundred options,
    drawn on every search (the same markup: value, selected, label)."""

    template_name = "laurel/forms/quick_select.html"


class EventSearchForm(forms.Form):
    nomination = forms.CharField(
        label=gettext_lazy("Nomination"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Its reference, e.g. N-00012."),
    )
    actor = forms.CharField(label=gettext_lazy("Person"), required=False)
    unit = forms.ModelChoiceField(
        Unit.objects.order_by("path"),
        label=gettext_lazy("Unit"),
        required=False,
        widget=QuickSelect,
    )
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False, widget=QuickSelect)
    award_type = forms.ModelChoiceField(
        AwardType.objects.order_by("code"),
        label=gettext_lazy("Award"),
        required=False,
        widget=QuickSelect,
    )
    campaign = forms.ModelChoiceField(
        Campaign.objects.order_by("-year", "code"),
        label=gettext_lazy("Campaign"),
        required=False,
        widget=QuickSelect,
    )
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "—")] + [(a, event_label(a)) for a in trail.actions()]

    def clean_nomination(self) -> int | None:
        text = self.cleaned_data["nomination"]
        if not text:
            return None
        pk = Nomination.pk_from_reference(text)
        if pk is None:
            raise forms.ValidationError(_("Not a nomination reference: %(text)s") % {"text": text})
        return pk

    def offered(self) -> tuple[list[Unit], list[AwardType], list[Campaign]]:
        """The units, award types and campaigns the form offers, read once: its choices are
        made of them, and the results are named from them (else the page reads each twice)."""
        offered = []
        for name in ("unit", "award_type", "campaign"):
            field = self.fields[name]
            objects = list(field.queryset)
            field.choices = [
                ("", field.empty_label),
                *((o.pk, field.label_from_instance(o)) for o in objects),
            ]
            offered.append(objects)
        return tuple(offered)

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {
            "nomination_id": data.get("nomination"),
            "actor": data.get("actor") or "",
            "unit_path": data["unit"].path if data.get("unit") else "",
            "action": data.get("action") or "",
            "award_type_id": data["award_type"].pk if data.get("award_type") else None,
            "campaign_id": data["campaign"].pk if data.get("campaign") else None,
            "since": data.get("since"),
            "until": data.get("until"),
        }


class _Names:
    """Names of the units, award types and campaigns events refer to by id (three queries, or
    none given the lists read already)."""

    def __init__(self, units=None, awards=None, campaigns=None):
        self.units = {u.path: u for u in (Unit.objects.all() if units is None else units)}
        self.awards = {a.pk: a for a in (AwardType.objects.all() if awards is None else awards)}
        self.campaigns = {
            c.pk: c for c in (Campaign.objects.all() if campaigns is None else campaigns)
        }

    def unit(self, path):
        return self.units.get(path, path)

    def label(self, event):
        event.unit_name = self.unit(event.unit_path) if event.unit_path else ""
        event.award_name = self.awards.get(event.award_type_id, "")
        event.campaign_name = self.campaigns.get(event.campaign_id, "")
        event.shown = trail.shown_data(event)
        # (field, before, after): a template reads a pair's halves only by failed lookups.
        event.changes = [(f, old, new) for f, (old, new) in (event.shown["changes"] or {}).items()]
        return event


@inspector_required
@require_GET
def home(request):
    return render(
        request,
        "inspector/home.html",
        {
            "last_run": integrity.last_run(),
            "last_checkpoint": integrity.last_checkpoint(),
        },
    )


@inspector_required
@require_POST
def verify_now(request):
    try:
        run = integrity.verify_now(
            actor=request.user, role=Role.INSPECTOR, origin=Origin.from_request(request)
        )
    except IntegrityProblem as exc:
        raise DomainError(_("Verification could not run."), reasons=[str(exc)]) from exc
    (messages.success if run.ok else messages.error)(request, run.message)
    return redirect("inspector_home")


@inspector_required
@require_GET
def events(request):
    form = EventSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "inspector/events.html", {"form": form}, status=400)
    criteria = form.criteria() if form.is_bound else {}
    found = trail.search_events(**criteria)
    export = request.GET.get("export")
    if export in ("csv", "json", "xlsx"):
        return _export(request, found, criteria, export, f"laurel-events.{export}")
    # Paged by `seq` ("newer than #n" / "older than #n"), not by OFFSET: every page costs what
    # the first does. The cursor is in the address beside the filters, so a page can be shared.
    page = trail.keyset_page(
        found,
        before=_cursor(request.GET.get("before")),
        after=_cursor(request.GET.get("after")),
        size=PAGE_SIZE,
    )
    names = _Names(*form.offered())
    page.events = [names.label(e) for e in page.events]
    query = request.GET.copy()
    for key in ("page", "before", "after"):
        query.pop(key, None)
    filters = query.urlencode()
    return render(
        request,
        "inspector/events.html",
        {
            "form": form,
            "page": page,
            "count": trail.capped_count(found, COUNT_CAP),
            "count_cap": COUNT_CAP,
            "query": filters,
            "newest_url": f"?{filters}",
            "oldest_url": f"?{filters}{'&' if filters else ''}after=0",
        },
    )


def _cursor(value: str | None) -> int | None:
    """A page cursor from the address: an event's number, or None (an unreadable one is
    ignored: the newest page is shown)."""
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= 0 else None


@inspector_required
@require_GET
def timeline(request, pk):
    nomination = get_visible(request, pk)
    found = trail.timeline(nomination.pk)
    export = request.GET.get("export")
    if export in ("csv", "json", "xlsx"):
        return _export(
            request,
            found,
            {"nomination_id": nomination.pk},
            export,
            f"laurel-{nomination.reference}.{export}",
        )
    names = _Names()
    return render(
        request,
        "inspector/timeline.html",
        {
            "nomination": nomination,
            "events": [names.label(e) for e in found],
            "revisions": trail.revisions(nomination.pk),
        },
    )


@inspector_required
@require_GET
def supervision(request):
    names = _Names()
    stage_times = reports.time_in_stages({*STAGE_ORDER, Status.RETURNED, *AWAITING_DECISION})
    for row in stage_times:
        row.unit_name = names.unit(row.unit_path)
        row.award_name = names.awards.get(row.award_type_id, "")
    return render(
        request,
        "inspector/reports.html",
        {
            "two_stages": reports.same_person_at_two_stages(),
            "delegates": reports.delegates_outside_their_dates(),
            "overdue": overdue_tasks(timezone.localdate()),
            "unchanged": reports.resubmissions_without_change(),
            "objections": reports.objections_left_open(),
            "stage_times": stage_times,
            "today": timezone.localdate(),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _export(request, found, criteria, fmt, filename):
    """Stream the events as CSV or JSON; the export is audited before the first byte leaves."""
    filters = {k: (str(v) if v is not None else None) for k, v in criteria.items() if v}
    record_inspection(
        Event.INSPECTOR_EXPORTED,
        actor=request.user,
        role=Role.INSPECTOR,
        subject_type="export",
        subject_id=fmt,
        nomination_id=criteria.get("nomination_id"),
        data={"format": fmt, "filters": filters, "count": found.count()},
        origin=Origin.from_request(request),
    )
    rows = trail.export_rows(found.order_by("seq"))
    if fmt == "xlsx":  # the CSV's columns and keys, as a workbook
        return exports.respond(
            fmt,
            trail.EXPORT_FIELDS,
            (
                [
                    json.dumps(row[f], ensure_ascii=False, sort_keys=True)
                    if f == "data"
                    else row[f]
                    for f in trail.EXPORT_FIELDS
                ]
                for row in rows
            ),
            name=filename.rsplit(".", 1)[0],
            title=_("Audit events"),
        )
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow(trail.EXPORT_FIELDS)
            for row in rows:
                row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
                yield writer.writerow([row[f] for f in trail.EXPORT_FIELDS])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:

        def chunks():
            yield '{"filters": ' + json.dumps(filters, ensure_ascii=False) + ', "events": ['
            for i, row in enumerate(rows):
                yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
            yield "]}"

        response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
