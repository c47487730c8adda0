"""The consultations section of a nomination's page. The page is the workflow's
(`workflows.views.nomination_detail`), a layer below the council's: it shows this section by
loading the tag, so that no code of the workflow reads the council's models."""

from django import template
from django.utils import timezone

from approvals import consultations
from approvals import policy as council_policy
from approvals.consultation_views import active_bodies
from approvals.forms import ConsultationForm, OpinionForm

register = template.Library()


@register.inclusion_tag("council/_consultations.html", takes_context=True)
def consultations_panel(context, nomination):
    """Each consultation of the nomination with its bodies' answers; for the office, the forms
    to open one and to record an answer."""
    user = context["request"].user
    found = consultations.consultations_of(nomination)
    may_consult = council_policy.may_consult_on(user, nomination)
    today = timezone.localdate()
    may_open = (
        may_consult
        and nomination.status in consultations.CONSULTABLE
        and not any(c.is_open for c in found)
    )
    return {
        "nomination": nomination,
        "consultations": found,
        "may_consult": may_consult,
        "open_form": ConsultationForm(
            bodies=active_bodies(),
            default_due=consultations.default_due_on(today),
            auto_id="consult-%s",
        )
        if may_open
        else None,
        "opinion_form": OpinionForm() if may_consult else None,
        "today": today,
        "csrf_token": context.get("csrf_token"),
    }
