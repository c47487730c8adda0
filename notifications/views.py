"""A person's notifications: the list, marking them read, and their email preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .forms import PreferenceForm
from .selectors import notifications_of, unread
from .sentences import sentence
from .services import preference_of

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request):
    page = Paginator(notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(n, sentence(n)) for n in page]
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications")


@login_required
@require_POST
def notification_read(request, pk):
    marked = unread(request.user).filter(pk=pk).update(read_at=timezone.now())
    if not marked and not notifications_of(request.user).filter(pk=pk).exists():
        raise Http404(_("No such notification."))
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    count = unread(request.user).update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications marked as read."))
    return _back(request)


@login_required
def notification_preferences(request):
    preference = preference_of(request.user)
    if not preference.language:
        preference.language = request.LANGUAGE_CODE
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if request.method == "POST" else 200,
    )
