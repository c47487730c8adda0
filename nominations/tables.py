"""The nominations list as a sortable table. Every cell reads the row and the related rows the
list's queryset already joined (`selectors.visible_nominations`): no query per row."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Nomination
from .stages import PROGRESS
from .templatetags.laurel import status_label

JOURNEY = max(PROGRESS.values())


class NominationTable(tables.Table):
    reference = tables.Column(
        verbose_name=_("Reference"),
        accessor="pk",
        order_by=("id",),
        attrs={"td": {"class": "text-nowrap"}},
    )
    nominee = tables.Column(
        verbose_name=_("Nominee"),
        accessor="nominee_name",
        order_by=(
            "nominee_person__last_name",
            "nominee_person__first_name",
            "nominee_unit__name_vi",
        ),
    )
    award_type = tables.Column(verbose_name=_("Award"), order_by=("award_type__code",))
    proposing_unit = tables.Column(
        verbose_name=_("Proposing unit"), order_by=("proposing_unit__path",)
    )
    status = tables.Column(verbose_name=_("Status"))
    progress = tables.Column(verbose_name=_("Progress"))
    updated_at = tables.DateColumn(verbose_name=_("Updated"), short=True)
    submitted_at = tables.DateColumn(verbose_name=_("Submitted"), short=True)

    class Meta:
        model = Nomination
        fields = [
            "reference",
            "nominee",
            "award_type",
            "proposing_unit",
            "status",
            "progress",
            "updated_at",
            "submitted_at",
        ]
        per_page = 25
        order_by = "-reference"
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        empty_text = _("No nominations to show.")

    def export(self) -> tuple[list[str], object]:
        """The table as a file's header and rows: the page's columns and headers, every row of
        the filtered list in the page's order (not one page of it), read as the page reads
        them (no query per row)."""
        header = [str(column.header) for column in self.columns]
        records = self.data.data  # the queryset, ordered as the reader sorted the table
        return header, (
            [
                record.reference,
                record.nominee_name,
                record.award_type.name,
                record.proposing_unit.name,
                status_label(record.status),
                f"{record.progress}/{JOURNEY}",
                timezone.localtime(record.updated_at).date(),
                timezone.localtime(record.submitted_at).date() if record.submitted_at else None,
            ]
            for record in records.iterator(chunk_size=500)
        )

    def render_reference(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("nomination_detail", args=[record.pk]), record.reference
        )

    def render_award_type(self, value):
        return value.name

    def render_proposing_unit(self, value):
        return value.name

    def render_status(self, record):
        return format_html(
            '<span class="status {}">{}</span>', record.status, status_label(record.status)
        )

    def render_progress(self, record):
        label = _("Stage %(n)s of %(total)s of the journey") % {
            "n": record.progress,
            "total": JOURNEY,
        }
        return format_html(
            '<progress class="journey" value="{}" max="{}" aria-label="{}" title="{}"></progress>',
            record.progress,
            JOURNEY,
            label,
            label,
        )
